"""A liaison meeting between two real nodes: Quảng Trị (Viet Nam) proposes, Savannakhet (Laos) proposes another
date, Quảng Trị accepts it; both name delegations; the minutes are approved with four eyes on each side; an
action item of the Lao side falls overdue when Viet Nam's deadline clock moves (BORDERLINK_CLOCK_FILE), and the
reminder reaches the Lao node. No sleeps: waits poll the database."""

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
    due = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    call(vn, "vn.officer", "POST", f"/border/meetings/{mid}/decisions",
         {"outcome": "Joint patrols every month.", "review_date": (datetime.date.today() + datetime.timedelta(days=90)).isoformat()})
    meeting = call(vn, "vn.officer", "POST", f"/border/meetings/{mid}/action-items",
                   {"text": "Share the list of night crossing points.", "owner_side": "invited", "owner_unit": "LA-SVK.PP",
                    "due_date": due})
    item_id = meeting["action_items"][0]["id"]
    settled(la, "la.officer", mid, lambda m: len(m["action_items"]) == 1 and len(m["decisions"]) == 1)
    assert "0 reminders" in vn.manage("border_action_items")
    Path(vn.clock).write_text(str(3 * 86400))  # type: ignore[attr-defined]
    try:
        assert "1 reminders" in vn.manage("border_action_items")
    finally:
        Path(vn.clock).write_text("0")  # type: ignore[attr-defined]
    reminded = settled(la, "la.officer", mid, lambda m: m["action_items"][0]["reminded"])
    assert reminded["events"][-1]["action"] == "action_reminder"
    call(la, "la.officer", "POST", f"/border/action-items/{item_id}/progress", {"state": "done", "note": "List sent."})
    settled(vn, "vn.officer", mid, lambda m: m["action_items"][0]["state"] == "done")
