"""The home country's side on one node serving both countries (no peer): acceptance, the handover recorded by
both sides, reception only with the victim's consent to assistance (also when the home country's node sends it),
follow-up contacts for up to a year, a referral only with consent, closure. And the victim stays out of the
persons list of officers who are not victim-protection officers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from borderlink.persons import access as person_access
from borderlink.victims import services
from borderlink.victims.models import CaseState

from .conftest import consent, identify
from .test_path import plan, verified

pytestmark = pytest.mark.django_db


def test_return_reception_follow_up_referral_and_closure(org, protector, la_protector, gate):
    case = identify(protector, consents=[consent("share_home"), consent("return"), consent("assistance"),
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


def returned_home(protector, la_protector, gate, consents):
    """A case taken home along the return path on this node (both countries hosted here), with `consents`."""
    case = identify(protector, consents=[consent("share_home"), consent("return"), *consents])
    services.share(protector, case.pk)
    case = verified(case, protector)
    services.take_step(protector, case.pk, "return_planned", plan(gate))
    services.take_step(la_protector, case.pk, "plan_accepted")
    services.take_step(protector, case.pk, "handed_over", {"handed_over_by": "Ms Keo"})
    return services.take_step(la_protector, case.pk, "received", {"received_by": "Ms Vanh"})


@pytest.mark.parametrize("consents", [[], [consent("assistance", given=False)]])
def test_no_reception_services_without_consent_to_assistance(org, protector, la_protector, gate, login, api, consents):
    case = returned_home(protector, la_protector, gate, consents)
    english = "The victim has not consented to assistance: no reception services can be recorded."
    with translation.override("lo"):
        expected = translation.gettext(english)
        with pytest.raises(ValidationError) as exc:
            services.take_step(la_protector, case.pk, "reception", {"services": ["shelter"]})
    assert expected != english and expected in exc.value.messages
    page = login(la_protector).post(f"/victims/{case.pk}/step/reception/", {"reception-services": ["medical"]})
    assert page.status_code == 400 and english in page.content.decode()
    answer = api(la_protector).post(f"/api/victims/cases/{case.pk}/steps/reception", {"data": {"services": ["medical"]}},
                                    content_type="application/json")
    assert answer.status_code == 400 and english in str(answer.json())
    assert not case.events.filter(action="reception").exists()
    assert f'action="/victims/{case.pk}/step/reception/"' not in login(la_protector).get(f"/victims/{case.pk}/").content.decode()


def test_reception_with_consent_to_assistance_or_a_supervisors_override(org, protector, la_protector, kh_supervisor, gate,
                                                                        login):
    consented = returned_home(protector, la_protector, gate, [consent("assistance")])
    page = login(la_protector).get(f"/victims/{consented.pk}/").content.decode()
    assert f'action="/victims/{consented.pk}/step/reception/"' in page  # the form is offered
    services.take_step(la_protector, consented.pk, "reception", {"services": ["shelter", "medical"]})
    assert consented.events.filter(action="reception").count() == 1
    # refused at identification, then a supervisor's override under the law, before the return
    case = identify(protector, consents=[consent("share_home"), consent("return"), consent("assistance", given=False)])
    services.override_consent(kh_supervisor, case.pk, "assistance", "law_requires", "Medical care required by statute")
    services.share(protector, case.pk)
    case = verified(case, protector)
    services.take_step(protector, case.pk, "return_planned", plan(gate))
    services.take_step(la_protector, case.pk, "plan_accepted")
    services.take_step(protector, case.pk, "handed_over", {"handed_over_by": "Ms Keo"})
    services.take_step(la_protector, case.pk, "received", {"received_by": "Ms Vanh"})
    services.take_step(la_protector, case.pk, "reception", {"services": ["medical"]})
    assert case.events.filter(action="reception").count() == 1


def test_after_the_return_the_home_country_records_consent_to_assistance(org, protector, la_protector, login, api, gate):
    """A victim who refused assistance when found may accept it at home: the home country records the decision
    (assistance or a named organisation only; the other purposes are the finding country's), then reception."""
    case = returned_home(protector, la_protector, gate, [consent("assistance", given=False)])
    with pytest.raises(ValidationError) as exc:
        services.take_step(la_protector, case.pk, "consent_home", consent("share_home"))
    assert "purpose" in exc.value.message_dict
    with pytest.raises(Http404):  # the finding side's officers do not take the home country's step
        services.take_step(protector, case.pk, "consent_home", consent("assistance"))
    bad = api(la_protector).post(f"/api/victims/cases/{case.pk}/steps/consent_home", {"data": {"purpose": "return"}},
                                 content_type="application/json")
    assert bad.status_code == 400 and "purpose" in bad.json()["errors"]
    page = login(la_protector).post(f"/victims/{case.pk}/step/consent_home/", {
        "consent_home-purpose": "assistance", "consent_home-given": "yes", "consent_home-on": timezone.localdate().isoformat(),
        "consent_home-explained": "Explained at the shelter", "consent_home-language": "Lao"})
    assert page.status_code == 302
    services.take_step(la_protector, case.pk, "reception", {"services": ["shelter"]})
    assert case.events.filter(action="reception").count() == 1
    assert case.consents.filter(purpose="assistance").order_by("-at").first().given


def test_the_home_nodes_reception_without_consent_to_assistance_is_refused_on_the_owners_node(kh_node, protector, gate):
    """Cambodia's node owns the case and Laos's node is a peer: Laos's reception step is checked here again."""
    import uuid

    from borderlink.federation.schema import parse_payload
    from borderlink.victims.federation import StepPayload, apply_event

    case = identify(protector, consents=[consent("share_home"), consent("return"), consent("assistance", given=False)])
    services.share(protector, case.pk)
    case = verified(case, protector)
    services.take_step(protector, case.pk, "return_planned", plan(gate))

    def home_step(action, from_state, data=None):
        event = {"id": str(uuid.uuid4()), "at": timezone.now().isoformat(), "actor_name": "Ms Vanh",
                 "actor_unit": "LA-SVK", "side": "home", "action": action, "from_state": from_state, "text": "",
                 "data": data or {}}
        apply_event(parse_payload(StepPayload, {"case": str(case.pk), "event": event}), kh_node, {})

    home_step("plan_accepted", "planned")
    services.take_step(protector, case.pk, "handed_over", {"handed_over_by": "Ms Keo"})
    home_step("received", "handed_over", {"received_by": "Ms Vanh"})
    with pytest.raises(ValidationError, match="reception is not possible"):
        home_step("reception", "returned", {"services": ["shelter"]})
    assert not case.events.filter(action="reception").exists()


def test_victims_stay_out_of_other_officers_persons(org, protector, officer):
    from tests.conftest import make_user

    colleague = make_user("kh.colleague", org.kh_unit, "officer")
    case = identify(protector)
    assert not person_access.visible_persons(colleague).filter(pk=case.person_id).exists()
    with pytest.raises(Http404):
        person_access.get_person_for_user(colleague, case.person_id)
    assert person_access.visible_persons(protector).filter(pk=case.person_id).exists()
