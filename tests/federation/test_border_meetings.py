"""A liaison meeting between two real nodes: Quảng Trị (Viet Nam) proposes, Savannakhet (Laos) proposes another
date, Quảng Trị accepts it; both name delegations; the minutes are approved with four eyes on each side; both
sides record decisions and action items, each checked again on the other node; an action item of the Lao side
falls overdue when Viet Nam's deadline clock moves (BORDERLINK_CLOCK_FILE), and the reminder reaches the Lao node.
The meeting is recorded held only once both nodes' clocks have moved past its start.
A regular schedule kept on Viet Nam's node proposes its meetings to Laos as normal proposals, hosts alternating,
once each. No sleeps: waits poll the database."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    base = tmp_path_factory.mktemp("meeting-nodes")
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


def call(node: Node, user: str, method: str, path: str, body=None) -> dict:
    status, answer = node.api(user, method, path, body)
    assert status in (200, 201), (status, answer)
    return answer


def meeting_on(node: Node, user: str, meeting_id: str) -> dict:
    return call(node, user, "GET", f"/border/meetings/{meeting_id}")


def settled(node: Node, user: str, meeting_id: str, check) -> dict:
    """Wait until the node's copy of the meeting satisfies `check` (envelopes arrive asynchronously)."""
    def ready():
        status, answer = node.api(user, "GET", f"/border/meetings/{meeting_id}")
        return answer if status == 200 and check(answer) else None
    return wait_for(ready, 60, f"the meeting on {node.name}")


def test_a_meeting_from_proposal_to_reminder(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    meeting = call(vn, "vn.officer", "POST", "/border/meetings", {
        "pair": "VN-QT25/LA-SV", "kind": "regular", "starts_at": start.isoformat(), "place": "Lao Bảo"})
    mid = meeting["id"]
    settled(la, "la.officer", mid, lambda m: m["state"] == "proposed")
    bad = la.api("la.officer", "POST", f"/border/meetings/{mid}/answer/countered",
                 {"starts_at": (start - datetime.timedelta(days=30)).isoformat(), "place": "Dansavan"})
    assert bad[0] == 400 and "starts_at" in bad[1]["errors"]
    later = start + datetime.timedelta(days=3)
    call(la, "la.officer", "POST", f"/border/meetings/{mid}/answer/countered",
         {"starts_at": later.isoformat(), "place": "Dansavan", "text": "ພວກເຮົາສະດວກວັນທີນີ້."})
    settled(vn, "vn.officer", mid, lambda m: m["state"] == "countered" and m["place"] == "Dansavan")
    call(vn, "vn.officer", "POST", f"/border/meetings/{mid}/answer/counter_accepted", {})
    settled(la, "la.officer", mid, lambda m: m["state"] == "accepted")
    call(la, "la.officer", "POST", f"/border/meetings/{mid}/delegation",
         {"delegates": [{"name": "Kham Sivongxay", "rank": "Major", "role": "head"},
                        {"name": "Noy Phommachanh", "interpreter": True}]})
    # the meeting starts in ten days: "held" is refused before then, on the page's service as a peer's
    bad = vn.api("vn.officer", "POST", f"/border/meetings/{mid}/held", {})
    assert bad[0] == 400 and "starts_at" in bad[1]["errors"]
    # both clocks move eleven days on (a node refuses a peer's step stamped beyond its own clock window)
    ahead = 11
    for node in (vn, la):
        Path(node.clock).write_text(str(ahead * 86400))  # type: ignore[attr-defined]
    try:
        a_day_after(vn, la, mid, datetime.date.today() + datetime.timedelta(days=ahead), ahead)
    finally:
        for node in (vn, la):
            Path(node.clock).write_text("0")  # type: ignore[attr-defined]


def a_day_after(vn: Node, la: Node, mid: str, today: datetime.date, ahead: int) -> None:
    """The day after the meeting (`today` on both nodes' clocks, `ahead` days on): held, minutes, decisions and
    action items, and the reminder of an overdue item."""
    call(vn, "vn.officer", "POST", f"/border/meetings/{mid}/held", {})
    settled(la, "la.officer", mid, lambda m: m["state"] == "held" and len(m["delegates"]) == 2)

    # minutes: four eyes on each side, then final on both nodes
    call(vn, "vn.officer", "POST", f"/border/meetings/{mid}/minutes", {"language": "vi", "text": "Hai bên thống nhất tuần tra chung."})
    assert vn.api("vn.officer", "POST", f"/border/meetings/{mid}/minutes/approve", {})[0] == 404  # the author
    call(vn, "vn.supervisor", "POST", f"/border/meetings/{mid}/minutes/approve", {})
    call(la, "la.officer", "POST", f"/border/meetings/{mid}/minutes", {"language": "lo", "text": "ສອງຝ່າຍຕົກລົງລາດຕະເວນຮ່ວມ."})
    call(la, "la.supervisor", "POST", f"/border/meetings/{mid}/minutes/approve", {})
    for node, user in ((vn, "vn.officer"), (la, "la.officer")):
        final = settled(node, user, mid, lambda m: m["minutes_final"])
        assert {(m["side"], m["language"]) for m in final["minutes"] if m["state"] == "approved"} == {("proposing", "vi"),
                                                                                                     ("invited", "lo")}

    # an action item of the Lao side, due tomorrow; Viet Nam's clock moves three days on
    due = (today + datetime.timedelta(days=1)).isoformat()
    call(vn, "vn.officer", "POST", f"/border/meetings/{mid}/decisions",
         {"outcome": "Joint patrols every month.", "review_date": (today + datetime.timedelta(days=90)).isoformat()})
    meeting = call(vn, "vn.officer", "POST", f"/border/meetings/{mid}/action-items",
                   {"text": "Share the list of night crossing points.", "owner_side": "invited", "owner_unit": "LA-SVK.PP",
                    "due_date": due})
    item_id = meeting["action_items"][0]["id"]
    settled(la, "la.officer", mid, lambda m: len(m["action_items"]) == 1 and len(m["decisions"]) == 1)
    # the Lao side records its own decision and action item; Viet Nam's node checks them again on arrival
    bad = la.api("la.officer", "POST", f"/border/meetings/{mid}/decisions",
                 {"outcome": "ທົບທວນມື້ນີ້.", "review_date": today.isoformat()})
    assert bad[0] == 400 and "review_date" in bad[1]["errors"]
    call(la, "la.officer", "POST", f"/border/meetings/{mid}/decisions",
         {"outcome": "ແລກປ່ຽນລາຍຊື່ທຸກເດືອນ.", "review_date": (today + datetime.timedelta(days=60)).isoformat()})
    call(la, "la.officer", "POST", f"/border/meetings/{mid}/action-items",
         {"text": "Send the patrol calendar.", "owner_side": "proposing", "owner_unit": "VN-QT.PP",
          "due_date": (today + datetime.timedelta(days=30)).isoformat()})
    both = settled(vn, "vn.officer", mid, lambda m: len(m["action_items"]) == 2 and len(m["decisions"]) == 2)
    assert {d["side"] for d in both["decisions"]} == {"proposing", "invited"}
    assert [(i["side"], i["owner_side"]) for i in both["action_items"]] == [("proposing", "invited"), ("invited", "proposing")]
    assert "0 reminders" in vn.manage("border_action_items")
    # both clocks move three days more (the clock rule, as above)
    for node in (vn, la):
        Path(node.clock).write_text(str((ahead + 3) * 86400))  # type: ignore[attr-defined]
    assert "1 reminders" in vn.manage("border_action_items")
    reminded = settled(la, "la.officer", mid, lambda m: m["action_items"][0]["reminded"])
    assert reminded["events"][-1]["action"] == "action_reminder"
    call(la, "la.officer", "POST", f"/border/action-items/{item_id}/progress", {"state": "done", "note": "List sent."})
    settled(vn, "vn.officer", mid, lambda m: m["action_items"][0]["state"] == "done")


def test_the_schedule_proposes_across_the_border(nodes):
    """Viet Nam's quarterly schedule for Quảng Trị–Savannakhet: the first meeting is proposed at once and reaches
    Laos as a normal proposal; reruns propose nothing; when Viet Nam's clock moves on, the next one is proposed,
    hosted by Laos this time, and Laos accepts it."""
    vn, la = nodes["VN"], nodes["LA"]
    first = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20)).replace(microsecond=0)
    bad = vn.api("vn.supervisor", "POST", "/border/meeting-schedules", {
        "pair": "VN-QT25/LA-SV", "frequency": "quarterly", "first_starts_at": first.isoformat(), "first_host": "KH",
        "place_here": "Lao Bảo", "place_across": "Dansavan", "lead_days": 30})
    assert bad[0] == 400 and "first_host" in bad[1]["errors"]
    assert vn.api("vn.officer", "POST", "/border/meeting-schedules", {
        "pair": "VN-QT25/LA-SV", "frequency": "quarterly", "first_starts_at": first.isoformat(), "first_host": "VN",
        "place_here": "Lao Bảo", "place_across": "Dansavan", "lead_days": 30})[0] == 404  # an officer, not a supervisor
    schedule = call(vn, "vn.supervisor", "POST", "/border/meeting-schedules", {
        "pair": "VN-QT25/LA-SV", "frequency": "quarterly", "first_starts_at": first.isoformat(), "first_host": "VN",
        "place_here": "Lao Bảo", "place_across": "Dansavan", "lead_days": 30})
    first_id = schedule["next"][0]["meeting_id"]
    assert first_id and schedule["next"][1]["meeting_id"] is None
    received = settled(la, "la.officer", first_id, lambda m: m["state"] == "proposed")
    assert (received["kind"], received["frequency"], received["host"], received["place"]) == ("regular", "quarterly", "VN", "Lao Bảo")
    assert received["received_from"] and received["side"] == "invited"
    assert "0 proposed" in vn.manage("border_schedules")  # idempotent
    # both clocks move: a node refuses a peer's step stamped before the step it follows (issue 10's clock rule)
    for node in (vn, la):
        Path(node.clock).write_text(str(80 * 86400))  # type: ignore[attr-defined]
    try:
        assert "1 proposed" in vn.manage("border_schedules")
        assert "0 proposed" in vn.manage("border_schedules")
        mine = [m for m in call(vn, "vn.officer", "GET", "/border/meetings") if m["frequency"] == "quarterly"]
        assert len(mine) == 2
        second = next(m for m in mine if m["id"] != first_id)
        assert second["host"] == "LA"
        arrived = settled(la, "la.officer", second["id"], lambda m: m["state"] == "proposed")
        assert arrived["place"] == "Dansavan" and arrived["host"] == "LA"
        call(la, "la.officer", "POST", f"/border/meetings/{second['id']}/answer/accepted", {"text": "ພວກເຮົາເປັນເຈົ້າພາບ."})
        settled(vn, "vn.officer", second["id"], lambda m: m["state"] == "accepted")
    finally:
        for node in (vn, la):
            Path(node.clock).write_text("0")  # type: ignore[attr-defined]
    audit = vn.manage("shell", "-c", "from borderlink.audit.models import AuditEvent as A; "
                      "print(A.objects.filter(action='border.schedule.proposed').count())")
    assert audit.strip().endswith("2")
