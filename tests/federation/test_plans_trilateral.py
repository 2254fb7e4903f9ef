"""A trilateral cooperation plan between three real nodes (Viet Nam proposes, Cambodia is the partner, Laos the
third country): Laos comments and counter-proposes, and each step reaches both other nodes; the plan is signed on
every node only once the leadership of all three has approved one version; Laos's progress on its own item
crosses to both others; and the three exchange their aggregate statistics, by the button and by the worker's
scheduled sharing with plan partners. No sleeps: waits poll the other nodes' API."""

from __future__ import annotations

import json

import pytest

from borderlink.core import clock

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation
YEAR = clock.year()

MAKE_LEADER = """
from borderlink.accounts.models import User
from borderlink.accounts.services import create_token
from borderlink.core.models import Unit
user = User.objects.create_user(username="la.leader", password="correct horse battery",
                                unit=Unit.objects.get(code="LA-MPS.DFA"), language="lo")
user.is_planner = user.is_supervisor = True
user.save()
print("TOKEN=" + create_token(user, "tests")[1])
"""


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("plan-nodes-3"), ["VN", "KH", "LA"])
    by_country = {n.country: n for n in started}
    out = by_country["LA"].manage("shell", "-c", MAKE_LEADER)  # the demo has no Lao leadership
    by_country["LA"].tokens["la.leader"] = next(line for line in out.splitlines() if line.startswith("TOKEN="))[6:]
    yield by_country
    for node in started:
        node.stop()
    drop_databases(started)


def call(node: Node, user: str, method: str, path: str, body=None) -> dict:
    status, answer = node.api(user, method, path, body)
    assert status in (200, 201), (node.name, status, answer)
    return answer


def settled(node: Node, user: str, plan_id: str, check) -> dict:
    def ready():
        status, answer = node.api(user, "GET", f"/plans/{plan_id}")
        return answer if status == 200 and check(answer) else None
    return wait_for(ready, 90, f"the plan on {node.name}")


def item(**overrides):
    data = {"area": "fugitives", "activity": "Hand over fugitives.", "lead_proposing": "VN-MPS.DIC",
            "lead_partner": "KH-MOI.GCNP", "lead_third": "LA-MPS.DFA", "owner_side": "proposing",
            "indicator": "fugitives_handed_over", "target": "4", "due_date": f"{YEAR}-12-15"}
    data.update(overrides)
    return data


def test_a_trilateral_plan_agreed_signed_and_reported_by_all_three(nodes):
    vn, kh, la = nodes["VN"], nodes["KH"], nodes["LA"]
    plan = call(vn, "vn.planner", "POST", "/plans", {
        "year": YEAR, "title": f"Kế hoạch ba bên {YEAR}", "kind": "trilateral", "partner_unit": "KH-MOI.GCNP",
        "third_country": "LA", "items": [item(), item(area="training", activity="Joint course.", owner_side="third",
                                                     indicator="reported", target="2")]})
    pid = plan["id"]
    for node, user in ((kh, "kh.planner"), (la, "la.planner")):
        copy = settled(node, user, pid, lambda p: p["state"] == "proposed")
        assert copy["kind"] == "trilateral" and len(copy["items"]) == 2
    assert la.api("la.planner", "GET", f"/plans/{pid}")[1]["side"] == "third"

    # Laos comments and counter-proposes: both other nodes hear of it
    call(la, "la.planner", "POST", f"/plans/{pid}/comment", {"text": "ເຫັນດີ, ຂໍສອງຫຼັກສູດ."})
    copy = la.api("la.planner", "GET", f"/plans/{pid}")[1]
    counter = [{k: i[k] for k in ("id", "area", "activity", "lead_proposing", "lead_partner", "lead_third", "owner_side",
                                  "indicator", "target_text", "due_date")} | {"target": "4" if n == 0 else "3"}
               for n, i in enumerate(copy["items"])]
    call(la, "la.planner", "POST", f"/plans/{pid}/versions", {"items": counter, "text": "Three courses."})
    for node, user in ((vn, "vn.planner"), (kh, "kh.planner")):
        seen = settled(node, user, pid, lambda p: p["state"] == "countered" and p["current_version"] == 2)
        assert [e["action"] for e in seen["events"]][:3] == ["proposed", "comment_third", "countered_third"]

    # every party's leadership approves; the plan is signed only after the third approval, on every node
    call(vn, "vn.leader", "POST", f"/plans/{pid}/approve", {"signatory": "Bộ trưởng Bộ Công an"})
    settled(kh, "kh.leader", pid, lambda p: p["versions"][-1]["approved_proposing"])
    call(kh, "kh.leader", "POST", f"/plans/{pid}/approve", {"signatory": "Minister of Interior"})
    waiting = settled(la, "la.leader", pid, lambda p: p["versions"][-1]["approved_partner"])
    assert waiting["state"] == "countered" and waiting["versions"][-1]["approved_third"] is False
    call(la, "la.leader", "POST", f"/plans/{pid}/approve", {"signatory": "Minister of Public Security"})
    for node, user in ((vn, "vn.planner"), (kh, "kh.planner"), (la, "la.planner")):
        signed = settled(node, user, pid, lambda p: p["state"] == "signed")
        assert signed["signed_version"] == 2 and len(signed["signatories"]) == 3

    # Laos reports its own item; the update reaches Viet Nam's and Cambodia's nodes
    course = next(i for i in signed["items"] if i["owner_side"] == "third")
    assert kh.api("kh.planner", "POST", f"/plans/items/{course['id']}/progress", {"status": "done"})[0] == 404
    call(la, "la.planner", "POST", f"/plans/items/{course['id']}/progress", {"status": "in_progress", "value": "1"})
    for node, user in ((vn, "vn.planner"), (kh, "kh.planner")):
        settled(node, user, pid, lambda p: any(i["reported_value"] == "1.00" for i in p["items"]))


def peer_statistics(node: Node, country: str) -> list:
    return node.query("SELECT computed_at FROM review_peerstatistics WHERE country_id = ? AND year = ?", country, YEAR)


def test_statistics_cross_between_all_three_parties(nodes):
    vn, kh, la = nodes["VN"], nodes["KH"], nodes["LA"]
    status, out = la.api("la.planner", "POST", "/review/statistics/share", {"year": YEAR})  # the button
    assert status == 200 and out["sent_to"] == ["KH", "VN"], out
    for node in (vn, kh):
        wait_for(lambda node=node: peer_statistics(node, "LA"), 90, f"Laos's statistics on {node.name}")
    # the worker's scheduled sharing goes to the plan's partners: Cambodia's to Viet Nam and Laos
    shared = kh.manage("shell", "-c", "import json; from borderlink.review.services import share_with_plan_partners; "
                                      "print(json.dumps(share_with_plan_partners()))")
    assert sorted(json.loads(shared.strip().splitlines()[-1])[str(YEAR)]) == ["LA", "VN"]
    for node in (vn, la):
        wait_for(lambda node=node: peer_statistics(node, "KH"), 90, f"Cambodia's statistics on {node.name}")
    assert kh.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'review.statistics.scheduled'")[0][0] >= 1


def test_conferences_visits_and_training_reach_every_party(nodes):
    """The node that records a conference, a visit or a training exchange writes it; the other parties' nodes get
    a copy, so both sides' reviews count the same (and a country not party to a visit gets none)."""
    vn, kh, la = nodes["VN"], nodes["KH"], nodes["LA"]
    course = call(la, "la.planner", "POST", "/plans/training", {
        "title": "Trilateral course on drug routes", "host": "LA", "starts_on": f"{YEAR}-01-05", "ends_on": f"{YEAR}-01-09",
        "courses": ["Routes", "Chemicals"], "participants": {"LA": 3, "VN": 4, "KH": 5}})
    visit = call(vn, "vn.planner", "POST", "/plans/visits", {
        "kind": "delegation", "from_country": "VN", "to_country": "KH", "starts_on": f"{YEAR}-01-10",
        "ends_on": f"{YEAR}-01-11", "purpose": "Border talks", "members": [{"name": "Col. Minh", "rank": "Colonel"}]})
    next_host = call(kh, "kh.planner", "GET", f"/plans/conferences/next-host?year={YEAR + 1}")["host"]
    conference = call(kh, "kh.planner", "POST", "/plans/conferences", {
        "year": YEAR + 1, "host": next_host, "place": "Conference hall", "starts_on": f"{YEAR + 1}-03-20",
        "ends_on": f"{YEAR + 1}-03-21", "delegates": [{"country": "KH", "name": "Minister C", "rank": "General"}]})
    for node, user in ((vn, "vn.planner"), (kh, "kh.planner")):
        wait_for(lambda node=node, user=user: any(t["title"] == course["title"] for t in
                                                  node.api(user, "GET", "/plans/training")[1]), 90,
                 f"the training exchange on {node.name}")
    wait_for(lambda: any(v["purpose"] == "Border talks" for v in kh.api("kh.planner", "GET", "/plans/visits")[1]), 90,
             "the visit on Cambodia's node")
    for node, user in ((vn, "vn.planner"), (la, "la.planner")):
        wait_for(lambda node=node, user=user: any(c["year"] == YEAR + 1 for c in
                                                  node.api(user, "GET", "/plans/conferences")[1]), 90,
                 f"the conference on {node.name}")
    assert not any(v["purpose"] == "Border talks" for v in la.api("la.planner", "GET", "/plans/visits")[1])
    assert visit["id"] and conference["year"] == YEAR + 1
    # both sides of each pair count the same exchanges in the review
    for (a, ua), (b, ub) in (((vn, "vn.planner"), (kh, "kh.planner")), ((vn, "vn.planner"), (la, "la.planner"))):
        mine = call(a, ua, "GET", f"/review?year={YEAR}&country={b.country}")["exchanges"]
        theirs = call(b, ub, "GET", f"/review?year={YEAR}&country={a.country}")["exchanges"]
        assert mine == theirs and mine["training_exchanges"] >= 1
