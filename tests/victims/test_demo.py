"""The demo's victims, written through the services on one node hosting every country: the verification
request's answer sets each case's next step by itself, two return home, one declines; the woman's exploitation
facts are open to investigators of the finding unit; the open cases carry their next step's deadline."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from borderlink.accounts.models import User
from borderlink.audit.models import AuditEvent
from borderlink.victims import demo, services
from borderlink.victims.models import CaseState, VictimCase

pytestmark = pytest.mark.django_db


def test_demo_victims_run_to_the_end_on_one_node():
    call_command("load_demo")
    cases = VictimCase.objects.filter(found_place=demo.PLACE)
    assert sorted(c.state for c in cases) == [CaseState.CLOSED, CaseState.RETURNED, CaseState.RETURNED]
    assert sorted(c.closure for c in cases) == ["", "", "declined_return"]
    # each verification followed the request's answer with no one acting, audited as automatic
    for case in cases:
        confirmed = case.events.get(action="nationality_confirmed")
        assert confirmed.actor is None and confirmed.data["request"] == str(case.verification_request)
    assert AuditEvent.objects.filter(action="victims.case.nationality_confirmed", data__automatic=True).count() == 3
    # the returned are followed up for a year: the deadline runs, nothing is overdue
    for case in cases.filter(state=CaseState.RETURNED):
        assert case.deadline and case.deadline_from and not case.escalated_at
    # the woman consented to share the exploitation facts with investigators
    unit = cases.first().finding_unit
    officer = User.objects.filter(unit=unit, is_officer=True).first() or User.objects.create_user(
        username="kh.investigator.demo", password="x" * 20, unit=unit, is_officer=True)
    facts = services.investigation_cases(officer)
    assert len(facts) == 1 and "Keomany" not in str(facts) and facts[0]["exploitation"] == "forced_criminality"
