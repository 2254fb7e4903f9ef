"""Investigators see only what the victim consented to share with investigators (the exploitation facts,
without identity), only for their own unit's cases (need to know), and 404 otherwise; and the check the cases
service calls so that a victim is never a suspect (victims/guard.py `refuse_suspect`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from borderlink.audit.models import AuditEvent
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from borderlink.victims import guard, services
from tests.conftest import make_user

from .conftest import consent, identify

pytestmark = pytest.mark.django_db
IDENTITY = ("Souk", "Phommavong", "P0012345", "Ms Vanh", "Anti-trafficking police")


def test_investigators_page_shows_the_consented_facts_and_nothing_else(kh_node, protector, investigator, login, api):
    shared = identify(protector, consents=[consent("investigation")])
    identify(protector, consents=[consent("investigation", given=False)])  # refused: not listed
    identify(protector)                                                     # never asked: not listed
    client = login(investigator)
    assert client.get("/victims/").status_code == 302  # an investigator is sent to the facts
    listing = client.get("/victims/facts/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert text.count(f"/victims/facts/{shared.pk}/") == 1 and text.count("/victims/facts/") == 1
    page = client.get(f"/victims/facts/{shared.pk}/").content.decode()
    assert "forced criminality" in page and "Sihanoukville" in page
    assert not [word for word in IDENTITY if word in page + text]
    body = api(investigator).get(f"/api/victims/cases/{shared.pk}/facts").json()
    assert set(body) == {"id", "reference", "exploitation", "indicators", "found_month", "found_place",
                         "finding_country", "home_country"}
    assert [r["id"] for r in api(investigator).get("/api/victims/facts").json()["results"]] == [str(shared.pk)]
    assert AuditEvent.objects.filter(action="victims.case.facts_viewed", object_id=str(shared.pk)).count() == 2


def test_404_without_consent_after_withdrawal_or_without_need_to_know(kh_node, org, protector, investigator, login, api):
    refused = identify(protector, consents=[consent("investigation", given=False)])
    withdrawn = identify(protector, consents=[consent("investigation")])
    services.take_step(protector, withdrawn.pk, "consent", consent("investigation", given=False))
    from borderlink.core.models import Unit

    kh_other = Unit.objects.create(code="KH-PP", country=org.kh, ministry=org.kh_unit.ministry, parent=org.kh_unit.parent,
                                   kind="provincial", name_en="Phnom Penh Police")
    other_unit = make_user("kh.other", kh_other, "officer")  # same country, not the unit that found the victim
    la_officer = make_user("la.inv", org.la_unit, "officer")
    no_role = make_user("kh.clerk", org.kh_unit)
    for user in (investigator, other_unit, la_officer, no_role):
        for case in (refused, withdrawn):
            assert login(user).get(f"/victims/facts/{case.pk}/").status_code == 404
            assert api(user).get(f"/api/victims/cases/{case.pk}/facts").status_code == 404
    consented = identify(protector, consents=[consent("investigation")])
    for user in (other_unit, la_officer, no_role):
        with pytest.raises(Http404):
            services.investigation_facts(user, consented.pk)
    assert login(la_officer).get(f"/victims/facts/{consented.pk}/").status_code == 404
    assert login(no_role).get("/victims/facts/").status_code == 404
    assert login(investigator).get("/victims/facts/not-a-uuid/").status_code == 404
    # the investigator never reaches the case itself
    assert login(investigator).get(f"/victims/{consented.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="victims.case.access_denied").count() >= 4


def test_refuse_suspect_is_the_check_the_cases_service_calls(kh_node, protector, org):
    case = identify(protector)
    with pytest.raises(ValidationError) as exc:
        guard.refuse_suspect(case.person)
    assert exc.value.message_dict == {"person": [guard.refusal(case.person, guard.SUSPECT)]}
    assert "never a suspect" in exc.value.message_dict["person"][0]
    # a new person carrying the victim's passport (written differently) is refused too, under the caller's field
    same_passport = PersonInput(names=[NameInput("S. P.")], documents=[DocumentInput("passport", "p-0012 345", "LA")])
    with pytest.raises(ValidationError) as exc:
        guard.refuse_suspect(same_passport, field="entity")
    assert list(exc.value.message_dict) == ["entity"]
    # anyone else passes: nothing raised, nothing written
    assert guard.refuse_suspect(PersonInput(names=[NameInput("Chan Dara")], documents=[
        DocumentInput("passport", "N999", "KH")])) is None
    assert guard.refusal(PersonInput(names=[NameInput("Chan Dara")]), guard.SUSPECT) == ""


def test_refuse_suspect_speaks_the_users_language(kh_node, protector):
    from django.utils import translation

    case = identify(protector)
    with translation.override("km"), pytest.raises(ValidationError) as exc:
        guard.refuse_suspect(case.person)
    with translation.override("km"):
        expected = translation.gettext("The person is a recorded trafficking victim: never a suspect in a case.")
    assert exc.value.message_dict["person"] == [expected] and expected != (
        "The person is a recorded trafficking victim: never a suspect in a case.")
