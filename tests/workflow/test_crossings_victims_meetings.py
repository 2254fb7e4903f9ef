"""Steps that cross on the way, for the victim case (VICTIM) and the liaison meeting (MEETING): every pair their
tables allow to cross, played on the two nodes the way tests/workflow/test_crossings.py plays requests and
custody (the same `_play`): each node takes its own step from the same state with valid facts, then hears of
the other's as a peer's envelope; both must keep both steps on the timeline and end in the same state, with
nothing rejected."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from borderlink import workflow
from borderlink.border.meeting_workflow import (
    ACTION_ITEMS,
    AGENDA,
    CORRECTION,
    DECISIONS,
    DELEGATION,
    MEETING,
    MINUTES,
    PROGRESS,
    SIDE_OF_STEP,
)
from borderlink.border.models import INVITED, PROPOSING, ActionItem, Meeting, Minutes, MinutesState
from borderlink.border.models import MeetingAction as MA
from borderlink.border.models import MeetingState as MS
from borderlink.victims.models import Action as VA
from borderlink.victims.models import CaseState, Closure, LegalGround, Purpose, Service, VictimCase
from borderlink.victims.workflow import FINDING, HOME, VICTIM
from tests.border.helpers import border  # noqa: F401
from tests.border.test_meetings import propose
from tests.victims.conftest import consent, identify, kh_node, la_protector, protector  # noqa: F401
from tests.workflow.test_crossings import OWNER_NODE, Peer, _cases, _copy, _play

pytestmark = pytest.mark.django_db

ORGANISATION = "Friends International"
PREPARED_ITEM = "Exchange contact lists."


def _ends(wf: workflow.Workflow, model: Any, original: Any, a: str, b: str, start: str, users: dict[str, Any],
          peers: dict[str, Peer], facts: Any, prepare: Any = None, *, check_system: bool = False,
          records: Any = None) -> list[tuple[Any, ...]]:
    """Play the pair on the owner's copy and on the other node's copy (each in a savepoint rolled back after),
    each node taking the step of its own side first; with `records`, what it tells of the object's records
    on each node joins the result."""
    ends = []
    for owner in (True, False):
        with transaction.atomic():
            sid = transaction.savepoint()
            copy = _copy(model, original, owner)
            if prepare is not None:
                prepare(copy)
            mine, theirs = (a, b) if (wf.node_side(wf.steps[a].side) == wf.owner_side) == owner else (b, a)
            end = _play(wf, copy, mine, theirs, start, users, peers, facts, check_system=check_system)
            ends.append((*end, records(copy)) if records is not None else end)
            transaction.savepoint_rollback(sid)
    return ends


# --- victim cases ----------------------------------------------------------------------------------------------


def _victim_data(case: VictimCase, action: str) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate().isoformat()
    if action in (VA.CONSENT, VA.CONSENT_HOME):
        return "", consent(Purpose.ASSISTANCE)
    if action == VA.OVERRIDE:
        return "Lệnh của tòa án số 12/2026", {"purpose": Purpose.RETURN, "ground": LegalGround.COURT_ORDER}
    if action == VA.SAFEGUARDS:
        return "", {"guardian": "Ms Dara (social worker)", "best_interests_on": today,
                    "best_interests": "Return to the family is in the child's best interests."}
    if action == VA.PLAN_DECLINED:
        return "The receiving shelter is full that week.", {}
    if action == VA.CLOSED:
        return "", {"reason": Closure.DECLINED_RETURN}
    if action == VA.CLOSED_HOME:
        return "", {"reason": Closure.REINTEGRATED}
    if action == VA.RECEIVED:
        return "", {"received_by": "Savannakhet social welfare office"}
    if action == VA.RECEPTION:
        return "", {"services": [Service.SHELTER, Service.MEDICAL]}
    if action == VA.FOLLOW_UP:
        return "", {"on": (case.returned_on or timezone.localdate()).isoformat(), "outcome": "Back at school."}
    if action == VA.REFERRAL:
        return "", {"organisation": ORGANISATION}
    return "", {}


def _victim_facts(case: VictimCase, action: str) -> tuple[workflow.Facts, dict[str, Any]]:
    text, data = _victim_data(case, action)
    return workflow.Facts(text=text, data=data), data


def _victim_records(case: VictimCase) -> dict[str, Any]:
    """What the steps write besides the state, as both nodes should hold it."""
    return {"consents": sorted(case.consents.values_list("purpose", "given", "override_ground")),
            "guardian": case.guardian, "best_interests_on": case.best_interests_on, "closure": case.closure,
            "closed": case.closed_at is not None, "returned_on": case.returned_on}


def test_victim_and_meeting_tables_have_crossings_to_play():
    assert len(workflow.crossing_pairs(VICTIM)) == 24  # with the home country's consent against the clock's two steps
    assert len(workflow.crossing_pairs(MEETING)) == 77


@pytest.mark.parametrize(("a", "b", "start"), _cases(VICTIM), ids=lambda v: str(v))
def test_victim_steps_that_cross_leave_both_nodes_alike(a, b, start, kh_node, protector, la_protector):  # noqa: F811
    case = identify(protector, consents=[consent(Purpose.SHARE_HOME), consent(Purpose.RETURN), consent(Purpose.ASSISTANCE),
                                         consent(Purpose.SHARE_ORGANISATION, organisation=ORGANISATION)])
    if start == CaseState.RETURNED:
        VictimCase.objects.filter(pk=case.pk).update(returned_on=timezone.localdate())
    users = {FINDING: protector, HOME: la_protector}
    peers = {FINDING: Peer(OWNER_NODE, "KH"), HOME: Peer("test-la", "LA")}
    ends = _ends(VICTIM, VictimCase, case, a, b, start, users, peers, _victim_facts, records=_victim_records)
    assert ends[0] == ends[1]  # state, timeline and records
    assert ends[0][1] == sorted((a, b))


# --- liaison meetings --------------------------------------------------------------------------------------


def _meeting_data(meeting: Meeting, action: str) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate()
    new_id = str(uuid.uuid4())
    if action in (MA.COUNTERED, MA.REPROPOSED):
        return "", {"starts_at": (timezone.now() + datetime.timedelta(days=14)).isoformat(), "place": "Lao Bảo"}
    if action in (MA.DECLINED, MA.COUNTER_DECLINED):
        return "Không thể tham dự vào ngày này.", {}
    if action in AGENDA.values():
        return "", {"id": new_id, "title": "Tuần tra chung tháng tới"}
    if action in DELEGATION.values():
        return "", {"delegates": [{"name": "Nguyễn Văn An", "rank": "Major", "role": "head"}]}
    if action in MINUTES.values() or action in CORRECTION.values():
        data: dict[str, Any] = {"id": new_id, "language": "vi", "version": 1, "text": "Hai bên thống nhất tuần tra chung.",
                                "approved_by_name": "Trần Văn Bình"}
        if action in CORRECTION.values():
            data.update(version=2, reason="Ngày ghi sai.")
        return "", data
    if action in DECISIONS.values():
        return "", {"id": new_id, "outcome": "Monthly list exchange.",
                    "review_date": (today + datetime.timedelta(days=30)).isoformat()}
    if action in ACTION_ITEMS.values():
        unit = meeting.invited_unit
        return "", {"id": new_id, "text": "Share the list of crossing points.", "owner_side": INVITED,
                    "owner_unit": unit.code, "due_date": (today + datetime.timedelta(days=5)).isoformat()}
    if action in PROGRESS.values():
        item = ActionItem.objects.get(meeting=meeting, owner_side=SIDE_OF_STEP[action], text=PREPARED_ITEM)
        return "", {"item": str(item.pk), "state": "in_progress", "note": "Being compiled."}
    if action in (MA.ACTION_REMINDER, MA.ACTION_ESCALATED):
        return "", {"item": str(ActionItem.objects.get(meeting=meeting, owner_side=INVITED, text=PREPARED_ITEM).pk)}
    return "", {}


def _meeting_facts(meeting: Meeting, action: str) -> tuple[workflow.Facts, dict[str, Any]]:
    text, data = _meeting_data(meeting, action)
    return workflow.Facts(text=text, data=data), data


def _meeting_records(meeting: Meeting) -> dict[str, Any]:
    """What the steps write besides the state, as both nodes should hold it (ids differ between the two plays)."""
    return {"agenda": sorted(meeting.agenda.values_list("side", flat=True)),
            "delegates": sorted(meeting.delegates.values_list("side", flat=True)),
            "minutes": sorted(meeting.minutes.values_list("side", "version", "state")),
            "final": meeting.minutes_final_at is not None,
            "decisions": sorted(meeting.decisions.values_list("side", flat=True)),
            "action_items": sorted(meeting.action_items.values_list("side", "owner_side", "state")),
            "starts_at": meeting.starts_at is not None}


def _prepare_meeting(a: str, b: str, start: str) -> Any:
    """The records the pair's steps need on a held meeting: an open action item owned by each side, and for a
    correction, the correcting side's approved first minutes with the minutes final. (A correction crossing
    a side's first minutes cannot happen through the services, which finalise the minutes only once both
    sides approved theirs; the table allows the pair, so it is played from that state all the same.)"""

    def prepare(meeting: Meeting) -> None:
        if start != MS.HELD:
            return
        today = timezone.localdate()
        for side, unit in ((PROPOSING, meeting.proposing_unit), (INVITED, meeting.invited_unit)):
            ActionItem.objects.create(meeting=meeting, side=PROPOSING, text=PREPARED_ITEM, owner_side=side,
                                      owner_unit=unit, due_date=today + datetime.timedelta(days=3))
        correcting = [SIDE_OF_STEP[x] for x in (a, b) if x in CORRECTION.values()]
        for side in correcting:
            Minutes.objects.create(meeting=meeting, side=side, version=1, language="vi", text="Biên bản.",
                                   state=MinutesState.APPROVED, approved_by_name="Trần Văn Bình",
                                   approved_at=timezone.now())
        if correcting:
            Meeting.objects.filter(pk=meeting.pk).update(minutes_final_at=timezone.now())
            meeting.refresh_from_db()

    return prepare


def _meeting_cases() -> list[Any]:
    """Every crossing of the table; the declared ones (a decline prevails over an agenda item or a delegation
    the other side added meanwhile) leave the two nodes in the same state and timeline but not with the same
    records: a known defect, kept visible here until `settle` or the table handles it."""
    declared = {frozenset(pair) for pair in MEETING.crossings}
    reason = ("issue 14 follow-up: when a decline crosses an agenda item or a delegation, the node that added it "
              "keeps the record while the declining node puts the step on its timeline only (settle: RECORD), "
              "so the two nodes' agenda/delegates differ")
    return [pytest.param(a, b, s, marks=pytest.mark.xfail(strict=True, reason=reason)) if frozenset((a, b)) in declared
            else (a, b, s) for a, b, s in _cases(MEETING)]


@pytest.mark.parametrize(("a", "b", "start"), _meeting_cases(), ids=lambda v: str(v))
def test_meeting_steps_that_cross_leave_both_nodes_alike(a, b, start, border, officer, foreign_officer):  # noqa: F811
    # a meeting that started yesterday (proposed three days ago): "held" is possible only after the start
    meeting = propose(officer, days=2, now=timezone.now() - datetime.timedelta(days=3))
    users = {PROPOSING: officer, INVITED: foreign_officer}
    peers = {PROPOSING: Peer(OWNER_NODE, officer.unit.country_id), INVITED: Peer("test-la", foreign_officer.unit.country_id)}
    ends = _ends(MEETING, Meeting, meeting, a, b, start, users, peers, _meeting_facts, _prepare_meeting(a, b, start),
                 check_system=True, records=_meeting_records)
    assert ends[0][:2] == ends[1][:2]
    assert ends[0][1] == sorted((a, b))
    assert ends[0][2] == ends[1][2]  # the same records on both nodes
