"""Requests, custody notifications and a handover between two real nodes (Viet Nam and Laos).

Time is moved with each node's deadline clock file (BORDERLINK_CLOCK_FILE), never with sleeps."""

from __future__ import annotations

import base64
import datetime
from pathlib import Path

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation

HOUR = 3600


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    base = tmp_path_factory.mktemp("request-nodes")
    clocks = {c: base / f"clock-{c.lower()}" for c in ("VN", "LA")}
    for path in clocks.values():
        path.write_text("0")
    started = start_nodes(base, ["VN", "LA"], extra_env={c: {"BORDERLINK_CLOCK_FILE": str(p)} for c, p in clocks.items()})
    by_country = {n.country: n for n in started}
    for country, node in by_country.items():
        node.clock = clocks[country]  # type: ignore[attr-defined]
    yield by_country
    for node in started:
        node.stop()
    drop_databases(started)


def set_clock(nodes: dict[str, Node], seconds: float) -> None:
    for node in nodes.values():
        Path(node.clock).write_text(str(seconds))  # type: ignore[attr-defined]


def get(node: Node, user: str, path: str) -> dict:
    status, body = node.api(user, "GET", path)
    assert status == 200, (status, body)
    return body


def actions(node: Node, user: str, request_id: str) -> list[str]:
    return [e["action"] for e in get(node, user, f"/requests/{request_id}")["events"]]


def send_request(vn: Node, **fields) -> str:
    body = {"kind": "verify_identity", "requested_unit_id": vn.unit_id("LA-SVK.PP"), "offence": "fraud",
            "subject": "Xác minh nhân thân (test)", "details": "Người mang hộ chiếu N0001112, sinh năm 1992.",
            "urgency": "urgent", "data_held_directly": True, **fields}
    status, req = vn.api("vn.officer", "POST", "/requests", body)
    assert status == 201, req
    assert vn.api("vn.officer", "POST", f"/requests/{req['id']}/submit", {})[0] == 200
    status, approved = vn.api("vn.supervisor", "POST", f"/requests/{req['id']}/approve", {"justification": ""})
    assert status == 200 and approved["state"] in ("sent", "received"), approved
    return req["id"]


def publish_wanted(vn: Node, name: str, offence: str, summary: str, birth_year: int) -> dict:
    """A wanted-for-arrest notice of Quảng Trị, shared with Laos, through the API with four eyes."""
    status, notice = vn.api("vn.officer", "POST", "/notices", {
        "kind": "wanted_arrest", "offence": offence, "summary": summary,
        "review_date": (datetime.date.today() + datetime.timedelta(days=200)).isoformat(), "warrant_number": "T-9",
        "issuing_authority": "Test authority", "warrant_date": datetime.date.today().isoformat(), "max_penalty_years": 12,
        "shared_with": ["LA"], "subject": {"names": [{"name": name}], "sex": "M", "birth_year": birth_year}})
    assert status == 201, notice
    vn.api("vn.officer", "POST", f"/notices/{notice['id']}/submit", {})
    status, published = vn.api("vn.supervisor", "POST", f"/notices/{notice['id']}/approve", {"justification": ""})
    assert status == 200 and published["state"] == "published", published
    return notice


def test_request_crosses_is_escalated_and_answered_late(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    set_clock(nodes, 0)
    rid = send_request(vn)
    wait_for(lambda: la.api("la.officer", "GET", f"/requests/{rid}")[0] == 200, 30, "the request on the Laos node")
    wait_for(lambda: get(vn, "vn.officer", f"/requests/{rid}")["state"] == "received", 30, "'received' back in Viet Nam")
    deadline = datetime.datetime.fromisoformat(get(vn, "vn.officer", f"/requests/{rid}")["deadline"])
    assert get(la, "la.officer", f"/requests/{rid}")["deadline"] and deadline

    set_clock(nodes, 7 * HOUR)  # one hour left of eight: the reminder goes to Laos
    assert "reminders: 1" in vn.manage("request_deadlines")
    wait_for(lambda: "reminder" in actions(la, "la.officer", rid), 30, "the reminder on the Laos node")
    assert la.query("SELECT count(*) FROM assistance_alert WHERE kind = 'reminder'")[0][0] == 1

    set_clock(nodes, 9 * HOUR)  # past the deadline: escalated to the supervisors of both sides
    assert "escalations: 1" in vn.manage("request_deadlines")
    assert "escalations: 0" in vn.manage("request_deadlines")  # once
    wait_for(lambda: "escalated" in actions(la, "la.officer", rid), 30, "the escalation on the Laos node")
    assert la.query("SELECT count(*) FROM assistance_alert WHERE kind = 'escalated' AND supervisors_only")[0][0] == 1
    assert vn.query("SELECT count(*) FROM assistance_alert WHERE kind = 'escalated' AND supervisors_only")[0][0] == 1
    assert "reminders: 0, escalations: 0" in la.manage("request_deadlines")  # the clock of a request is its sender's

    assert la.api("la.officer", "POST", f"/requests/{rid}/accept", {"text": "ກຳລັງກວດສອບ"})[0] == 200
    status, answered = la.api("la.officer", "POST", f"/requests/{rid}/answer", {
        "text": "ຢັ້ງຢືນຕົວຕົນແລ້ວ — identity confirmed.", "results": [{"kind": "identity_confirmed"},
                                                           {"kind": "address", "value": "Ban Naxay, Kaysone Phomvihane"}],
        "attachments": [{"filename": "record.txt", "content_base64": base64.b64encode(b"Passport N0001112").decode()}]})
    assert status == 200 and answered["state"] == "answered", answered
    wait_for(lambda: get(vn, "vn.officer", f"/requests/{rid}")["state"] == "answered", 30, "the answer in Viet Nam")
    answer = get(vn, "vn.officer", f"/requests/{rid}")["events"][-1]
    assert answer["action"] == "answered" and answer["data"]["late"] is True
    assert answer["data"]["results"][1]["value"] == "Ban Naxay, Kaysone Phomvihane"
    assert answer["attachments"][0]["filename"] == "record.txt"

    assert vn.api("vn.officer", "POST", f"/requests/{rid}/close", {"text": "Cảm ơn."})[0] == 200
    wait_for(lambda: get(la, "la.officer", f"/requests/{rid}")["state"] == "closed", 30, "closed on the Laos node")
    # one timeline: Laos holds every step Viet Nam sent, under the same ids
    vn_events = [(e["id"], e["action"]) for e in get(vn, "vn.officer", f"/requests/{rid}")["events"]]
    la_events = [(e["id"], e["action"]) for e in get(la, "la.officer", f"/requests/{rid}")["events"]]
    assert [e for e in vn_events if e[1] not in ("created", "submitted", "approved")] == la_events
    assert [a for _, a in la_events] == ["sent", "received", "reminder", "escalated", "accepted", "answered", "closed"]
    set_clock(nodes, 0)


def test_an_unapproved_request_does_not_leave_and_outsiders_see_nothing(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    status, req = vn.api("vn.officer", "POST", "/requests", {
        "kind": "locate", "requested_unit_id": vn.unit_id("LA-SVK.PP"), "offence": "kidnapping", "subject": "Draft only",
        "details": "Not yet approved."})
    assert status == 201
    vn.api("vn.officer", "POST", f"/requests/{req['id']}/submit", {})
    assert la.api("la.officer", "GET", f"/requests/{req['id']}")[0] == 404
    assert vn.api("vn.liaison", "GET", f"/requests/{req['id']}")[0] == 404  # not sent yet: only the requesting unit


def test_custody_notification_arrives_is_acknowledged_and_checked_against_shared_notices(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    notice = publish_wanted(vn, "Hoàng Minh Khôi", "fraud", "Lừa đảo trực tuyến xuyên biên giới (test).", 1990)
    wait_for(lambda: la.api("la.officer", "GET", f"/notices/{notice['id']}")[0] == 200, 30, "the notice copy in Laos")

    status, held = la.api("la.officer", "POST", "/custody", {
        "person": {"names": [{"name": "HOANG MINH KHOI"}], "sex": "M", "birth_year": 1990}, "nationality": "VN",
        "kind": "arrest", "detained_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "place_held": "Savannakhet provincial police", "offence": "fraud", "consular_access_requested": True})
    assert status == 201, held
    wait_for(lambda: vn.api("vn.supervisor", "GET", f"/custody/{held['id']}")[0] == 200, 30, "the notification in Viet Nam")
    assert vn.api("vn.officer", "GET", f"/custody/{held['id']}")[0] == 404  # the ministry's contacts, not every officer
    status, acknowledged = vn.api("vn.supervisor", "POST", f"/custody/{held['id']}/acknowledged", {"text": ""})
    assert status == 200 and acknowledged["state"] == "acknowledged"
    vn.api("vn.liaison", "POST", f"/custody/{held['id']}/consular_access_asked", {"text": "Consul, Friday 10:00."})
    wait_for(lambda: get(la, "la.officer", f"/custody/{held['id']}")["state"] == "acknowledged", 30, "acknowledged in Laos")
    wait_for(lambda: [e["action"] for e in get(la, "la.officer", f"/custody/{held['id']}")["events"]]
             == ["recorded", "acknowledged", "consular_access_asked"], 30, "the consular request in Laos")
    # the name was checked against the notice Viet Nam shares with Laos: the hit waits in Laos until an officer
    # there shares it, then it is in the owner's queue
    held = wait_for(lambda: [h for h in la.api("la.officer", "GET", "/hits/held")[1] if h["notice"] == notice["id"]], 60,
                    "the hit held in Laos")
    assert la.api("la.officer", "POST", f"/hits/{held[0]['id']}/share", {"reason": "Arrested under this name."})[0] == 200
    wait_for(lambda: any(h["notice"] == notice["id"] for h in vn.api("vn.officer", "GET", "/hits")[1]), 60,
             "the hit in Viet Nam's queue")
    month = datetime.date.today().strftime("%Y-%m")
    listing = get(vn, "vn.supervisor", f"/custody/monthly?country=LA&month={month}")["results"]
    assert [r["person_name"] for r in listing] == ["HOANG MINH KHOI"]


def test_full_handover_on_both_nodes(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    set_clock(nodes, 0)
    notice = publish_wanted(vn, "Lưu Văn Đạt", "homicide", "Giết người rồi bỏ trốn sang Lào (test).", 1984)
    rid = send_request(vn, kind="arrest_handover", notice_id=notice["id"], offence="homicide", urgency="normal",
                       data_held_directly=False, subject="Truy bắt và chuyển giao (test)")
    wait_for(lambda: la.api("la.officer", "GET", f"/requests/{rid}")[0] == 200, 30, "the request in Laos")
    assert get(la, "la.officer", f"/requests/{rid}")["notice_id"] == notice["id"]  # linked to the copy of the notice
    la.api("la.officer", "POST", f"/requests/{rid}/accept", {"text": ""})
    now = datetime.datetime.now(datetime.UTC)
    gate = la.query("SELECT id FROM core_bordergate WHERE side_a_country_id = 'VN' AND side_a_name = 'Lao Bảo'")[0][0]

    def step(node: Node, user: str, action: str, **facts) -> tuple[int, dict]:
        return node.api(user, "POST", f"/requests/{rid}/handover/{action}", facts)

    assert step(la, "la.officer", "located", at=(now - datetime.timedelta(days=2)).isoformat(), place="Ban Dong")[0] == 200
    status, body = step(la, "la.officer", "handover_planned", at=(now + datetime.timedelta(days=1)).isoformat(), gate_id=gate,
                        escort_requesting_unit_id=la.unit_id("VN-QT.PP"), escort_requested_unit_id=la.unit_id("LA-SVK.PP"))
    assert status == 400  # not arrested yet
    assert step(la, "la.officer", "arrested", at=(now - datetime.timedelta(days=1)).isoformat(), place="Savannakhet")[0] == 200
    status, body = step(la, "la.officer", "handover_planned", at=(now + datetime.timedelta(days=1)).isoformat(), gate_id=999999,
                        escort_requesting_unit_id=la.unit_id("VN-QT.PP"), escort_requested_unit_id=la.unit_id("LA-SVK.PP"))
    assert status == 400 and "gate" in body["errors"]
    status, body = step(la, "la.officer", "handover_planned", at=(now + datetime.timedelta(days=1)).isoformat(), gate_id=gate,
                        escort_requesting_unit_id=la.unit_id("VN-QT.PP"), escort_requested_unit_id=la.unit_id("LA-SVK.PP"))
    assert status == 200, body
    assert vn.api("vn.officer", "POST", f"/requests/{rid}/handover/handed_over", {})[0] == 404  # Laos hands over, not Viet Nam
    set_clock(nodes, 26 * HOUR)  # the day of the handover
    status, body = step(la, "la.officer", "handed_over", at=(now + datetime.timedelta(days=1, hours=1)).isoformat(),
                        documents="Biên bản bắt giữ; hộ chiếu", handed_by="Capt. Kham Sivongxay", received_by="Maj. Lê Quang Minh")
    assert status == 200, body
    wait_for(lambda: (get(vn, "vn.officer", f"/requests/{rid}")["handover"] or {}).get("state") == "handed_over", 30,
             "handed over, seen in Viet Nam")
    seen = get(vn, "vn.officer", f"/requests/{rid}")["handover"]
    assert seen["gate"].startswith("Lao Bảo") and seen["escort_requesting_unit"] == "VN-QT.PP" and seen["received_by"]
    status, body = vn.api("vn.officer", "POST", f"/requests/{rid}/handover/handover_closed", {})
    assert status == 200 and body["state"] == "closed", body
    wait_for(lambda: get(la, "la.officer", f"/requests/{rid}")["handover"]["state"] == "closed", 30, "closed in Laos")
    assert [a for a in actions(la, "la.officer", rid) if a not in ("sent", "received")] == [
        "accepted", "located", "arrested", "handover_planned", "handed_over", "handover_closed"]
    assert vn.query("SELECT count(*) FROM federation_quarantinedenvelope")[0][0] == 0
    assert la.query("SELECT count(*) FROM federation_quarantinedenvelope")[0][0] == 0
    set_clock(nodes, 0)


def test_answer_and_closing_that_cross_on_the_way_leave_both_nodes_alike(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    set_clock(nodes, 0)
    rid = send_request(vn, kind="locate", offence="kidnapping", subject="Crossing steps (test)")
    wait_for(lambda: la.api("la.officer", "GET", f"/requests/{rid}")[0] == 200, 30, "the request in Laos")
    la.api("la.officer", "POST", f"/requests/{rid}/accept", {"text": ""})
    wait_for(lambda: get(vn, "vn.officer", f"/requests/{rid}")["state"] == "accepted", 30, "accepted, seen in Viet Nam")
    for node in (vn, la):  # hold both outboxes: each side acts before hearing of the other's step
        node.worker.terminate()
        node.worker.wait(10)
    try:
        assert vn.api("vn.officer", "POST", f"/requests/{rid}/close", {"text": "Found him ourselves."})[0] == 200
        assert la.api("la.officer", "POST", f"/requests/{rid}/answer", {"text": "Located in Savannakhet."})[0] == 200
    finally:
        for node in (vn, la):
            node.start_worker()
    wait_for(lambda: "answered" in actions(vn, "vn.officer", rid), 60, "the answer on the Viet Nam node")
    wait_for(lambda: get(la, "la.officer", f"/requests/{rid}")["state"] == "closed", 60, "the closing on the Laos node")
    assert get(vn, "vn.officer", f"/requests/{rid}")["state"] == "closed"
    vn_steps = sorted(e["id"] for e in get(vn, "vn.officer", f"/requests/{rid}")["events"] if e["action"] in ("answered", "closed"))
    la_steps = sorted(e["id"] for e in get(la, "la.officer", f"/requests/{rid}")["events"] if e["action"] in ("answered", "closed"))
    assert vn_steps == la_steps and len(vn_steps) == 2
    assert vn.query("SELECT count(*) FROM federation_quarantinedenvelope")[0][0] == 0
