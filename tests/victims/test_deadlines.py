"""Deadlines on the return path (victims/deadlines.py): each state's step is due by its rule; the owner
node's clock reminds once and escalates once (`workflow.check_deadlines`), the clock's steps cross to the home
country like any step, a step that moves the case on restarts the clock, and an overdue case is shown."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.victims import deadlines, services
from borderlink.victims.models import CaseState, VictimCase

from .conftest import consent, identify, outbox
from .test_path import plan, verified

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


def _shared(protector):
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    return services.share(protector, case.pk)


def test_each_state_of_the_path_has_its_deadline(kh_node, protector, gate):
    case = _shared(protector)
    shared_at = case.events.get(action="shared").at
    assert case.deadline == shared_at + deadlines.ASK_VERIFICATION and deadlines.owed_by(case) == "finding"
    case = verified(case, protector)
    assert case.state == CaseState.VERIFIED and deadlines.owed_by(case) == "finding"
    assert case.deadline == case.events.get(action="nationality_confirmed").at + deadlines.PLAN_AFTER_VERIFIED
    case = services.take_step(protector, case.pk, "return_planned", plan(gate))
    assert deadlines.owed_by(case) == "home" and case.deadline == case.return_at - deadlines.ACCEPT_BEFORE_RETURN
    assert case.reminded_at is None and case.escalated_at is None


def test_a_verification_waits_on_the_linked_requests_deadline():
    case = VictimCase(state=CaseState.VERIFYING, verification_request=None)
    at = timezone.now()
    assert deadlines.deadline_for(case, at) == at + deadlines.VERIFY_DEFAULT


@pytest.mark.parametrize(("state", "expected"), [
    (CaseState.IDENTIFIED, None), (CaseState.NOT_CONFIRMED, None), (CaseState.CLOSED, None),
    (CaseState.HANDED_OVER, "handover"), (CaseState.RETURNED, "follow_up"),
])
def test_no_deadline_before_sharing_after_a_refusal_or_once_closed(state, expected):
    at = timezone.now()
    case = VictimCase(state=state, handed_over_at=at)
    due = deadlines.deadline_for(case, at)
    assert due == {None: None, "handover": at + deadlines.RECEPTION_AFTER_HANDOVER, "follow_up": at + 365 * D}[expected]


def test_a_plan_made_less_than_two_days_ahead_is_due_at_the_return_time():
    at = timezone.now()
    soon = VictimCase(state=CaseState.PLANNED, return_at=at + 30 * H)
    assert deadlines.deadline_for(soon, at) == at + 30 * H
    accepted = VictimCase(state=CaseState.ACCEPTED, return_at=at + 30 * H)
    assert deadlines.deadline_for(accepted, at) == at + 30 * H + deadlines.HANDOVER_GRACE


def test_the_clock_reminds_once_escalates_once_and_both_cross(kh_node, protector, gate):
    case = _shared(protector)
    case = services.take_step(protector, verified(case, protector).pk, "return_planned", plan(gate))
    sent = len(outbox())
    # nothing before the reminder is due
    assert deadlines.check(case.deadline_from + H) == {"reminders": 0, "escalations": 0}
    due = case.deadline - max((case.deadline - case.deadline_from) / 4, H)
    assert deadlines.check(due + H) == {"reminders": 1, "escalations": 0}
    assert deadlines.check(due + 2 * H) == {"reminders": 0, "escalations": 0}  # claimed once
    assert deadlines.check(case.deadline + H) == {"reminders": 0, "escalations": 1}
    assert deadlines.check(case.deadline + 2 * H) == {"reminders": 0, "escalations": 0}
    case = VictimCase.objects.get(pk=case.pk)
    assert case.reminded_at and case.escalated_at and deadlines.overdue(case, case.deadline + H)
    assert [e.action for e in case.events.order_by("at")][-2:] == ["reminder", "escalated"]
    assert {e.side for e in case.events.filter(action__in=("reminder", "escalated"))} == {"system"}
    kinds = [(k, p["event"]["action"], p["event"]["data"]) for k, p in outbox()[sent:]]
    assert kinds == [("victim.event", "reminder", {"deadline": case.deadline.isoformat()}),
                     ("victim.event", "escalated", {"deadline": case.deadline.isoformat()})]
    assert AuditEvent.objects.filter(action="victims.case.escalated", object_id=str(case.pk)).count() == 1


def test_a_step_that_moves_the_case_on_restarts_the_clock(kh_node, protector, gate, la_protector):
    from borderlink import workflow
    from borderlink.victims.workflow import VICTIM

    case = _shared(protector)
    case = services.take_step(protector, verified(case, protector).pk, "return_planned", plan(gate))
    deadlines.check(case.deadline + H)
    case = VictimCase.objects.get(pk=case.pk)
    assert case.escalated_at is not None
    # the home side declines the plan (as its envelope would): back to verified, a new deadline, not escalated
    workflow.record_step(VICTIM, case, "plan_declined", "home", workflow.Checked(text="Gate closed that week"),
                         case.deadline + 2 * H, send=False)
    case = VictimCase.objects.get(pk=case.pk)
    assert case.state == CaseState.VERIFIED and case.escalated_at is None and case.reminded_at is None
    assert case.deadline == case.deadline_from + deadlines.PLAN_AFTER_VERIFIED
    assert not deadlines.overdue(case, case.deadline_from + H)


def test_no_clock_on_a_copy_and_none_after_closing(kh_node, protector):
    case = _shared(protector)
    VictimCase.objects.filter(pk=case.pk).update(origin_node="another-node")  # a copy: its owner runs the clock
    assert deadlines.check(case.deadline + H) == {"reminders": 0, "escalations": 0}
    VictimCase.objects.filter(pk=case.pk).update(origin_node="")
    case = services.take_step(protector, case.pk, "closed", {"reason": "stayed_lawfully"})
    assert case.deadline is None and deadlines.check(timezone.now() + 400 * D) == {"reminders": 0, "escalations": 0}


def test_a_reminder_from_the_owner_joins_the_copy_and_marks_it(kh_node, protector):
    """The clock's step arriving at the home country's copy: checked as any peer step (only the deadline is
    kept from its data) and marked on the copy."""
    from borderlink import workflow
    from borderlink.victims.workflow import VICTIM, validate

    case = _shared(protector)
    checked = validate(case, "reminder", workflow.Facts(data={"deadline": "2026-12-01T10:00:00+00:00", "x": "y"}),
                       timezone.now())
    assert checked.data == {"deadline": "2026-12-01T10:00:00+00:00"}
    bad = validate(case, "escalated", workflow.Facts(data={"deadline": "not a date"}), timezone.now())
    assert bad.data == {}
    workflow.record_step(VICTIM, case, "reminder", "system", checked, timezone.now(), send=False)
    assert VictimCase.objects.get(pk=case.pk).reminded_at is not None


def test_overdue_is_shown_on_the_list_the_case_and_the_api(kh_node, protector, login, api):
    case = _shared(protector)
    VictimCase.objects.filter(pk=case.pk).update(deadline=timezone.now() - H)
    client = login(protector)
    listing = client.get("/victims/").content.decode()
    assert "overdue" in listing and case.reference in listing
    detail = client.get(f"/victims/{case.pk}/").content.decode()
    assert "Next step due" in detail and "overdue" in detail
    body = api(protector).get(f"/api/victims/cases/{case.pk}").json()
    assert body["overdue"] is True and body["owed_by"] == "finding" and body["deadline"]
    [row] = api(protector).get("/api/victims/cases").json()["results"]
    assert row["overdue"] is True


def test_an_escalation_alerts_the_finding_units_supervisors_as_a_requests_does(kh_node, protector, kh_supervisor, gate,
                                                                              login):
    from borderlink.assistance.models import Alert

    case = _shared(protector)
    case = services.take_step(protector, verified(case, protector).pk, "return_planned", plan(gate))
    due = case.deadline - max((case.deadline - case.deadline_from) / 4, H)
    assert deadlines.check(due + H) == {"reminders": 1, "escalations": 0}
    assert not Alert.objects.exists()  # a reminder is for the side that owes the step, on its own node
    assert deadlines.check(case.deadline + H) == {"reminders": 0, "escalations": 1}
    [alert] = Alert.objects.all()
    assert (alert.unit_id, alert.kind, alert.supervisors_only) == (protector.unit_id, "victim_escalated", True)
    assert alert.url == f"/victims/{case.pk}/" and alert.title == case.reference  # nothing about the person
    assert alert.created_at == case.deadline + H  # the owner's clock
    dashboard = login(kh_supervisor).get("/requests/").content.decode()
    assert f'href="/victims/{case.pk}/"' in dashboard and "victim case overdue" in dashboard
    assert login(kh_supervisor).get(alert.url).status_code == 200  # a supervisor of the finding unit may open it
    assert f'href="/victims/{case.pk}/"' not in login(protector).get("/requests/").content.decode()  # supervisors only
    assert deadlines.check(case.deadline + 2 * H) == {"reminders": 0, "escalations": 0}
    assert Alert.objects.count() == 1  # once


def test_an_escalation_arriving_on_the_home_countrys_copy_raises_no_alert(kh_node, protector):
    from borderlink import workflow
    from borderlink.assistance.models import Alert
    from borderlink.victims.workflow import VICTIM

    case = _shared(protector)
    VictimCase.objects.filter(pk=case.pk).update(origin_node="test-la")  # as the copy on the other node
    copy = VictimCase.objects.get(pk=case.pk)
    workflow.record_step(VICTIM, copy, "escalated", "system", workflow.Checked(data={}), timezone.now(), send=False)
    assert VictimCase.objects.get(pk=case.pk).escalated_at is not None and not Alert.objects.exists()


def test_the_list_is_paginated_and_its_overdue_box_covers_every_case(kh_node, protector, login, monkeypatch):
    """A page at a time (issue 19); the overdue box is its own query over every case the user sees, not only the
    page's; the queries do not grow with the cases."""
    from borderlink.victims import views
    from tests.core.test_page_queries import queries

    client = login(protector)
    first = _shared(protector)
    few = queries(client, "/victims/")
    cases = [first] + [_shared(protector) for _ in range(4)]
    assert queries(client, "/victims/") == few
    oldest = cases[0]
    VictimCase.objects.filter(pk=oldest.pk).update(deadline=timezone.now() - H, found_on=timezone.localdate() - 30 * D)
    monkeypatch.setattr(views, "LIST_PAGE", 2)
    page1 = client.get("/victims/").content.decode()
    assert "Page 1 of 3" in page1
    table = page1[page1.index("<tbody>"):page1.index("</tbody>")]
    assert oldest.reference not in table  # listed on the last page only...
    box = page1[page1.index("Overdue"):page1.index("<table>")]
    assert oldest.reference in box  # ...but overdue on every page
    assert oldest.reference in client.get("/victims/?page=3").content.decode().split("<tbody>")[1]
    assert client.get("/victims/?page=x").status_code == 400
