"""A cooperation plan between two real nodes: Viet Nam proposes, Cambodia comments and counter-proposes, both
sides' leadership approve (four eyes), the plan is signed on both nodes; each side's progress report (with
evidence) crosses to the other; an amendment after signing keeps both versions on both nodes. No sleeps: waits
poll the other node's API."""

from __future__ import annotations

import base64

import pytest

from borderlink.core import clock

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation
YEAR = clock.year()  # the nodes' current year (their clocks run without an offset here)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    base = tmp_path_factory.mktemp("plan-nodes")
    started = start_nodes(base, ["VN", "KH"])
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def call(node: Node, user: str, method: str, path: str, body=None) -> dict:
    status, answer = node.api(user, method, path, body)
    assert status in (200, 201), (status, answer)
    return answer


def settled(node: Node, user: str, plan_id: str, check) -> dict:
    def ready():
        status, answer = node.api(user, "GET", f"/plans/{plan_id}")
        return answer if status == 200 and check(answer) else None
    return wait_for(ready, 60, f"the plan on {node.name}")


def item(**overrides):
    data = {"area": "fugitives", "activity": "Hand over fugitives.", "lead_proposing": "VN-MPS.DIC",
            "lead_partner": "KH-MOI.GCNP", "owner_side": "proposing", "indicator": "fugitives_handed_over",
            "target": "4", "due_date": f"{YEAR}-12-15"}
    data.update(overrides)
    return data


def test_a_plan_agreed_signed_reported_and_amended_across_nodes(nodes):
    vn, kh = nodes["VN"], nodes["KH"]
    plan = call(vn, "vn.planner", "POST", "/plans", {
        "year": YEAR, "title": f"Kế hoạch hợp tác {YEAR}", "partner_unit": "KH-MOI.GCNP",
        "items": [item(), item(area="drugs", activity="Joint operations.", owner_side="partner", indicator="reported",
                              target="12")]})
    pid = plan["id"]
    copy = settled(kh, "kh.planner", pid, lambda p: p["state"] == "proposed")
    assert copy["side"] == "partner" and copy["received_from"] and len(copy["items"]) == 2
    call(kh, "kh.planner", "POST", f"/plans/{pid}/comment", {"text": "យល់ព្រម ប៉ុន្តែ..."})
    items = [dict(i) for i in copy["items"]]
    counter = [{k: i[k] for k in ("id", "area", "activity", "lead_proposing", "lead_partner", "owner_side",
                                  "indicator", "target_text", "due_date")} | {"target": "5" if n == 0 else "12"}
               for n, i in enumerate(items)]
    bad = kh.api("kh.planner", "POST", f"/plans/{pid}/versions", {"items": [counter[0] | {"due_date": f"{YEAR + 1}-01-05"}]})
    assert bad[0] == 400 and "items" in bad[1]["errors"]
    call(kh, "kh.planner", "POST", f"/plans/{pid}/versions", {"items": counter, "text": "Năm đối tượng."})
    settled(vn, "vn.planner", pid, lambda p: p["state"] == "countered" and p["current_version"] == 2)
    # the partner's node has no say over the proposing side's approval: each approves on its own node
    assert kh.api("kh.planner", "POST", f"/plans/{pid}/approve", {"signatory": "x"})[0] == 404  # not leadership
    call(vn, "vn.leader", "POST", f"/plans/{pid}/approve", {"signatory": "Bộ trưởng Bộ Công an"})
    settled(kh, "kh.leader", pid, lambda p: p["versions"][-1]["approved_proposing"])
    call(kh, "kh.leader", "POST", f"/plans/{pid}/approve", {"signatory": "Minister of Interior"})
    for node, user in ((vn, "vn.planner"), (kh, "kh.planner")):
        signed = settled(node, user, pid, lambda p: p["state"] == "signed")
        assert signed["signed_version"] == 2 and len(signed["signatories"]) == 2
        assert [i["target"] for i in signed["items"]] == ["5.00", "12.00"]

    # progress: each side its own items only, and it crosses
    drugs = next(i for i in signed["items"] if i["owner_side"] == "partner")
    fugitives = next(i for i in signed["items"] if i["owner_side"] == "proposing")
    assert vn.api("vn.planner", "POST", f"/plans/items/{drugs['id']}/progress", {"status": "done"})[0] == 404
    evidence = {"filename": "report.txt", "content_base64": base64.b64encode(b"Seven joint operations.").decode()}
    call(kh, "kh.planner", "POST", f"/plans/items/{drugs['id']}/progress",
         {"status": "in_progress", "value": "7", "note": "Bảy chiến dịch", "evidence": [evidence]})
    call(vn, "vn.planner", "POST", f"/plans/items/{fugitives['id']}/progress", {"status": "in_progress", "note": "Two located"})
    on_vn = settled(vn, "vn.planner", pid, lambda p: any(i["reported_value"] == "7.00" for i in p["items"]))
    assert next(i for i in on_vn["items"] if i["id"] == drugs["id"])["status"] == "in_progress"
    assert vn.query("SELECT filename FROM plans_planattachment") == [("report.txt",)]
    settled(kh, "kh.planner", pid, lambda p: next(i for i in p["items"] if i["id"] == fugitives["id"])["status"] == "in_progress")
    dashboard = call(vn, "vn.planner", "GET", f"/plans/{pid}/dashboard")
    assert {r["indicator"] for r in dashboard["items"]} == {"fugitives_handed_over", "reported"}

    # an amendment after signing: both versions kept on both nodes, the signed one in force until signed again
    amended = [dict(c) for c in counter]
    amended[0]["target"] = "6"
    call(vn, "vn.planner", "POST", f"/plans/{pid}/versions", {"items": amended, "reason": "Hai đối tượng mới bị truy nã."})
    on_kh = settled(kh, "kh.planner", pid, lambda p: p["state"] == "proposed" and p["current_version"] == 3)
    assert on_kh["signed_version"] == 2 and on_kh["versions"][-1]["reason"] == "Hai đối tượng mới bị truy nã."
    call(kh, "kh.leader", "POST", f"/plans/{pid}/approve", {"signatory": "Minister of Interior"})
    settled(vn, "vn.leader", pid, lambda p: p["versions"][-1]["approved_partner"])
    call(vn, "vn.leader", "POST", f"/plans/{pid}/approve", {"signatory": "Bộ trưởng Bộ Công an"})
    for node, user in ((vn, "vn.planner"), (kh, "kh.planner")):
        final = settled(node, user, pid, lambda p: p["state"] == "signed" and p["signed_version"] == 3)
        assert [v["number"] for v in final["versions"]] == [1, 2, 3]
        assert [v["signed_at"] is not None for v in final["versions"]] == [False, True, True]
        assert final["items"][0]["target"] == "6.00"
