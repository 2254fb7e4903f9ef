"""The home country's side on one node serving both countries (no peer): acceptance, the handover recorded by
both sides, reception, follow-up contacts for up to a year, a referral only with consent, closure. And the
victim stays out of the persons list of officers who are not victim-protection officers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.persons import access as person_access
from borderlink.victims import services
from borderlink.victims.models import CaseState

from .conftest import consent, identify
from .test_path import plan, verified

pytestmark = pytest.mark.django_db


def test_return_reception_follow_up_referral_and_closure(org, protector, la_protector, gate):
    case = identify(protector, consents=[consent("share_home"), consent("return"),
                                         consent("share_organisation", organisation="Friends of Champasak (demo NGO)")])
    services.share(protector, case.pk)
    case = verified(case, protector)
    services.take_step(protector, case.pk, "return_planned", plan(gate))
    with pytest.raises(Http404):  # the finding side cannot accept its own plan
        services.take_step(protector, case.pk, "plan_accepted")
    services.take_step(la_protector, case.pk, "plan_accepted", text="Agreed")
    services.take_step(protector, case.pk, "handed_over", {"handed_over_by": "Ms Keo"})
    case = services.take_step(la_protector, case.pk, "received", {"received_by": "Ms Vanh"})
    assert case.state == CaseState.RETURNED and case.returned_on == timezone.localdate()
    services.take_step(la_protector, case.pk, "reception", {"services": ["shelter", "family_tracing"]})
    with pytest.raises(ValidationError) as exc:
        services.take_step(la_protector, case.pk, "reception", {"services": []})
    assert "services" in exc.value.message_dict
    services.take_step(la_protector, case.pk, "follow_up", {"on": timezone.localdate().isoformat(), "outcome": "Well"})
    for day in (timezone.localdate() + datetime.timedelta(days=400), timezone.localdate() - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            services.take_step(la_protector, case.pk, "follow_up", {"on": day.isoformat(), "outcome": "Later"})
        assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.take_step(la_protector, case.pk, "referral", {"organisation": "Another NGO"})
    assert "organisation" in exc.value.message_dict
    services.take_step(la_protector, case.pk, "referral", {"organisation": "friends of champasak (demo ngo)"})
    with pytest.raises(ValidationError) as exc:  # the home side closes only for its own reasons
        services.take_step(la_protector, case.pk, "closed_home", {"reason": "declined_return"})
    case = services.take_step(la_protector, case.pk, "closed_home", {"reason": "reintegrated"})
    assert case.state == CaseState.CLOSED and case.closure == "reintegrated"
    actions = [e.action for e in case.events.all()]
    assert actions.index("handed_over") < actions.index("received") < actions.index("follow_up") < actions.index("closed_home")


def test_consent_to_return_withdrawn_after_acceptance_stops_the_handover(org, protector, la_protector, gate):
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    services.share(protector, case.pk)
    case = verified(case, protector)
    services.take_step(protector, case.pk, "return_planned", plan(gate))
    services.take_step(la_protector, case.pk, "plan_accepted")
    services.take_step(protector, case.pk, "consent", consent("return", given=False))
    with pytest.raises(ValidationError, match="not consented to return"):
        services.take_step(protector, case.pk, "handed_over", {"handed_over_by": "Ms Keo"})


def test_victims_stay_out_of_other_officers_persons(org, protector, officer):
    from tests.conftest import make_user

    colleague = make_user("kh.colleague", org.kh_unit, "officer")
    case = identify(protector)
    assert not person_access.visible_persons(colleague).filter(pk=case.person_id).exists()
    with pytest.raises(Http404):
        person_access.get_person_for_user(colleague, case.person_id)
    assert person_access.visible_persons(protector).filter(pk=case.person_id).exists()
