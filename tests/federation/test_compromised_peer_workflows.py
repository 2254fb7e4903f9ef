"""A compromised peer against the workflows built after issue #10 (victim cases, liaison meetings, joint cases,
plans, border incidents): the clock rule and the bound on steps per object hold for every workflow, in one place
(`borderlink.workflow.apply_peer_step`), and every payload schema refuses unknown fields and times without a time
zone. Envelopes are built and signed as a real node's are (see test_compromised_peer.py, whose node and pinned
"Laos" key this module reuses)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.federation.models import QuarantinedEnvelope
from borderlink.victims.models import CaseState, VictimCase, VictimEvent
from borderlink.victims.workflow import VICTIM
from tests.border import helpers as border_helpers
from tests.federation import test_compromised_peer as base
from tests.federation.test_compromised_peer import CompromisedPeer, iso

pytestmark = pytest.mark.django_db

node, laos = base.node, base.laos  # this node and the pinned "Laos" key, as in test_compromised_peer.py
border = border_helpers.border  # the province pairs and gates, with the units placed in their provinces

NOW = object()  # a step stamped with the peer's current time


def event(action: str, from_state: str, data: dict | None = None, at: Any = NOW) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "at": iso(timezone.now()) if at is NOW else at, "actor_name": "Ms Keo",
            "actor_unit": "LA-SVK", "side": "finding", "action": action, "from_state": from_state, "text": "",
            "data": data or {}}


def consent(purpose: str, given: bool) -> dict[str, Any]:
    return {"purpose": purpose, "organisation": "", "given": given, "on": timezone.localdate().isoformat(),
            "explained": "Orally", "language": "Vietnamese", "interpreter": ""}


def victim_case(**changes: Any) -> dict[str, Any]:
    payload = {
        "id": str(uuid.uuid4()), "reference": "LA-SVK/V/2026/0001", "finding_unit": "LA-SVK", "home_country": "VN",
        "person": {"id": str(uuid.uuid4()), "names": [{"name": "Trần Thị Hoa", "kind": "primary"}], "sex": "F",
                   "nationalities": ["VN"]},
        "exploitation": "forced_criminality", "indicators": ["documents_withheld"],
        "found_on": timezone.localdate().isoformat(), "found_place": "Compound", "found_by": "Police",
        "age_band": "adult", "review_on": (timezone.localdate() + datetime.timedelta(days=300)).isoformat(),
        "events": [event("identified", ""), event("consent", "identified", consent("share_home", True)),
                   event("shared", "identified")],
    }
    payload.update(changes)
    return payload


@pytest.fixture
def shared_case(laos: CompromisedPeer) -> VictimCase:
    """A victim case Laos found and shared with this node (Laos owns it and speaks for the finding side)."""
    payload = victim_case()
    status, answer = laos.send("victim.opened", payload["id"], payload)
    assert status == 200, answer
    return VictimCase.objects.get(pk=payload["id"])


def step(laos: CompromisedPeer, case: VictimCase, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return laos.send("victim.event", data["id"], {"case": str(case.pk), "event": data})


def reasons() -> list[str]:
    return list(QuarantinedEnvelope.objects.values_list("reason", flat=True))


# --- the clock rule, once for every workflow -------------------------------------------------------------------


def test_an_honest_step_is_recorded_at_this_nodes_time(laos, shared_case):
    before = timezone.now()
    claimed = timezone.now() - datetime.timedelta(seconds=30)  # a peer clock a little behind, within the window
    status, answer = step(laos, shared_case, event("consent", "shared", consent("return", True), at=iso(claimed)))
    assert status == 200, answer
    stored = VictimEvent.objects.get(case=shared_case, action="consent", data__purpose="return")
    assert stored.at >= before  # this node's clock, not the peer's claim


@pytest.mark.parametrize("claimed", [
    datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),                      # the future
    timezone.now() - datetime.timedelta(days=366),                           # before the step it follows
    timezone.now() - datetime.timedelta(days=366 * 3),                       # outside the window
])
def test_a_step_stamped_outside_the_clock_window_is_refused(laos, shared_case, claimed):
    held = VictimEvent.objects.filter(case=shared_case).count()
    status, answer = step(laos, shared_case, event("consent", "shared", consent("return", True), at=iso(claimed)))
    assert (status, answer["error"]) == (422, "rejected_by_rules")
    assert VictimEvent.objects.filter(case=shared_case).count() == held  # nothing half-written
    assert not shared_case.consents.filter(purpose="return").exists()
    assert reasons() == ["rejected_by_rules"]
    # the same step stamped now passes
    assert step(laos, shared_case, event("consent", "shared", consent("return", True)))[0] == 200


def test_a_step_time_without_a_time_zone_is_refused(laos, shared_case):
    naive = timezone.now().replace(tzinfo=None).isoformat()
    status, answer = step(laos, shared_case, event("verification_asked", "shared", at=naive))
    assert (status, answer["error"]) == (422, "invalid_payload")
    assert VictimCase.objects.get(pk=shared_case.pk).state == CaseState.SHARED


def test_a_case_opened_with_a_naive_time_or_an_unknown_field_is_refused(laos):
    naive = victim_case()
    naive["events"][0]["at"] = timezone.now().replace(tzinfo=None).isoformat()
    for payload in (naive, {**victim_case(), "state": "closed"}):
        status, answer = laos.send("victim.opened", payload["id"], payload)
        assert (status, answer["error"]) == (422, "invalid_payload")
    assert not VictimCase.objects.exists()


def test_steps_on_one_victim_case_are_bounded(laos, shared_case, monkeypatch):
    monkeypatch.setattr(VICTIM, "steps_max", VictimEvent.objects.filter(case=shared_case).count() + 2)
    errors = [step(laos, shared_case, event("consent", "shared", consent("return", given)))[1].get("error")
              for given in (True, False, True, False)]
    assert errors == [None, None, "limit_steps_per_victim_case", "limit_steps_per_victim_case"]
    assert AuditEvent.objects.filter(action="federation.limit.reached").count() == 1
    assert VICTIM.steps_max > 2 and all(wf.steps_max for wf in _every_workflow())


def _every_workflow() -> list[Any]:
    from borderlink.assistance.workflow import REQUEST
    from borderlink.border.meeting_workflow import MEETING
    from borderlink.cases.workflow import CASE, INVITATION, TASK
    from borderlink.custody.workflow import CUSTODY
    from borderlink.plans.workflow import PLAN

    return [REQUEST, CUSTODY, VICTIM, MEETING, CASE, INVITATION, TASK, PLAN]


def test_every_workflow_bounds_its_steps():
    bounds = {wf.name: wf.steps_max for wf in _every_workflow()}
    assert all(0 < bound <= 500 for bound in bounds.values()), bounds
    assert bounds["assistance.request"] == 200 and bounds["custody.record"] == 100


# --- strict schemas: unknown fields and naive times are refused before anything is looked up ----------------------


def incident(**changes: Any) -> dict[str, Any]:
    payload = {"id": str(uuid.uuid4()), "version": 1, "reference": "LA/INC/1", "reporting_unit": "LA-SVK",
               "pair": "no-such-pair", "place": "Dansavanh", "occurred_at": iso(timezone.now()), "kind": "crossing",
               "persons_count": 1, "children_count": 0, "outcome": "returned"}
    payload.update(changes)
    return payload


def case_invited(**changes: Any) -> dict[str, Any]:
    payload = {"id": str(uuid.uuid4()), "case_key": str(uuid.uuid4()), "unit": "VN-QT", "lead_unit": "LA-SVK",
               "reference": "LA/JC/1", "offence": "drug_trafficking", "handling_code": "H1", "message": "",
               "events": [{"id": str(uuid.uuid4()), "at": iso(timezone.now()), "action": "invited", "side": "lead",
                           "from_state": "", "text": "", "data": {}}]}
    payload.update(changes)
    return payload


def meeting(**changes: Any) -> dict[str, Any]:
    payload = {"id": str(uuid.uuid4()), "reference": "LA/M/1", "pair": "no-such-pair", "kind": "regular",
               "proposing_unit": "LA-SVK", "invited_unit": "VN-QT",
               "starts_at": iso(timezone.now() + datetime.timedelta(days=10)), "place": "Dansavanh", "host": "LA",
               "events": [{"id": str(uuid.uuid4()), "at": iso(timezone.now()), "action": "proposed"}]}
    payload.update(changes)
    return payload


def naive(moment: datetime.timedelta = datetime.timedelta(0)) -> str:
    return (timezone.now() + moment).replace(tzinfo=None).isoformat()


@pytest.mark.parametrize(("kind", "build", "bad"), [
    ("border.incident", incident, {"zzz": 1}),
    ("border.incident", incident, {"gate": {"side_a_country": "VN", "side_a_name": "x", "side_b_country": "LA",
                                            "side_a_country__units__x": 1}}),
    ("border.incident", incident, {"occurred_at": naive()}),
    ("case.invited", case_invited, {"state": "accepted"}),
    ("case.invited", case_invited, {"events": [{**case_invited()["events"][0], "at": naive()}]}),
    ("case.invited", case_invited, {"events": [{**case_invited()["events"][0], "zzz": 1}]}),
    ("border.meeting.opened", meeting, {"zzz": 1}),
    ("border.meeting.opened", meeting, {"starts_at": naive(datetime.timedelta(days=10))}),
])
def test_unknown_fields_and_naive_times_are_refused_in_every_schema(laos, kind, build, bad):
    honest = build()
    status, answer = laos.send(kind, honest["id"], honest)
    assert answer.get("error") != "invalid_payload", answer  # the honest payload passes the schema
    hostile = build(**bad)
    status, answer = laos.send(kind, hostile["id"], hostile)
    assert (status, answer["error"]) == (422, "invalid_payload")


# --- a liaison meeting recorded held before it starts ----------------------------------------------------------


@pytest.mark.usefixtures("border")
def test_a_peers_meeting_held_before_its_start_is_refused(laos, officer, settings, tmp_path):
    """Laos proposes a meeting two hours ahead and this node accepts it; Laos's "held" step is refused while the
    meeting has not started on this node's clock, and, once it has, when Laos's own time for the step lies
    before the start; the honest step then passes."""
    from borderlink.border import meetings as meeting_services
    from borderlink.border.models import Meeting, MeetingState

    start = timezone.now() + datetime.timedelta(hours=2)
    proposal = meeting(pair=border_helpers.pair_code(), starts_at=iso(start))
    assert laos.send("border.meeting.opened", proposal["id"], proposal)[0] == 200
    meeting_services.answer(officer, proposal["id"], "accepted")

    def held(at: datetime.datetime) -> tuple[int, dict[str, Any]]:
        data = {"id": str(uuid.uuid4()), "at": iso(at), "action": "held", "side": "proposing", "from_state": "accepted"}
        return laos.send("border.meeting.event", data["id"], {"meeting": proposal["id"], "event": data})

    status, answer = held(timezone.now())
    assert (status, answer["error"]) == (422, "rejected_by_rules")
    clock = tmp_path / "clock"
    clock.write_text(str(3 * 3600))  # this node's clock three hours on: the meeting has started
    settings.CLOCK_FILE = str(clock)
    status, answer = held(timezone.now() + datetime.timedelta(minutes=10))  # Laos says: held before the start
    assert (status, answer["error"]) == (422, "rejected_by_rules")
    assert "before its start" in QuarantinedEnvelope.objects.order_by("-received_at").first().detail
    assert Meeting.objects.get(pk=proposal["id"]).state == MeetingState.ACCEPTED
    assert held(timezone.now() + datetime.timedelta(hours=3))[0] == 200
    assert Meeting.objects.get(pk=proposal["id"]).state == MeetingState.HELD
