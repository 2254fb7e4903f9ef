"""The victim pages and API go through the same services and access helpers: outsiders get 404, bad input
gets field errors in the user's language (4xx) and nothing is written."""

from __future__ import annotations

import datetime

import pytest

from borderlink.victims.models import VictimCase
from tests.conftest import make_user

from .conftest import consent, identify

pytestmark = pytest.mark.django_db


def test_identify_on_a_phone_sized_form_then_share(kh_node, protector, login):
    client = login(protector)
    page = client.get("/victims/new/")
    assert page.status_code == 200 and b'type="date"' in page.content
    response = client.post("/victims/new/", {
        "name": "Phet Inthavong", "sex": "M", "age_band": "adult", "home_country": "LA", "exploitation": "forced_labour",
        "indicators": ["wages_withheld", "debt_bondage"], "found_on": datetime.date.today().isoformat(),
        "found_place": "Fishing boat, Koh Kong", "found_by": "Provincial anti-trafficking police", "share_home": "yes",
        "return_home": "no", "explained": "Orally, with a leaflet in Lao", "language": "Lao", "interpreter": ""})
    case = VictimCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/victims/{case.pk}/"
    detail = client.get(f"/victims/{case.pk}/")
    assert detail.status_code == 200 and "Phet Inthavong" in detail.content.decode()
    assert client.post(f"/victims/{case.pk}/share/").status_code == 302
    assert VictimCase.objects.get().state == "shared"


def test_bad_identification_gives_field_errors_in_khmer_and_writes_nothing(kh_node, org, login):
    user = make_user("kh.p.km", org.kh_unit, "victim_protection", language="km")
    client = login(user)
    response = client.post("/victims/new/", {"name": "X", "sex": "F", "age_band": "adult", "home_country": "LA",
                                             "exploitation": "slavery", "found_on": "2099-01-01", "found_place": "",
                                             "found_by": "y", "explained": "e", "language": "l"},
                           HTTP_ACCEPT_LANGUAGE="km")
    assert response.status_code == 400
    text = response.content.decode()
    from django.utils import translation

    with translation.override("km"):
        assert translation.gettext("This field is required.") in text  # where found
    assert "ជ្រើស" in text  # "choose ..." for the exploitation form, in Khmer
    assert not VictimCase.objects.exists()


def test_step_with_bad_facts_is_400_and_consent_refusal_blocks_the_return_page(kh_node, protector, login, gate):
    case = identify(protector, consents=[consent("share_home")])
    client = login(protector)
    response = client.post(f"/victims/{case.pk}/step/consent/", {"consent-purpose": "return", "consent-given": "maybe",
                                                                  "consent-on": "", "consent-explained": ""})
    assert response.status_code == 400
    assert case.consents.count() == 1


def test_outsiders_get_404_on_pages_and_api(kh_node, protector, officer, outsider, investigator, login, api):
    case = identify(protector)
    for user in (officer, outsider, investigator):
        assert login(user).get(f"/victims/{case.pk}/").status_code == 404
        assert login(user).post(f"/victims/{case.pk}/share/").status_code == 404
        assert api(user).get(f"/api/victims/cases/{case.pk}").status_code == 404
    assert api(protector).get(f"/api/victims/cases/{case.pk}").status_code == 200


def test_api_bad_step_input_is_400_with_field_errors(kh_node, protector, api):
    case = identify(protector)
    client = api(protector)
    response = client.post(f"/api/victims/cases/{case.pk}/steps/consent", {"data": {"purpose": "fun"}},
                           content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"purpose", "given", "on", "explained", "language"}
    assert client.post(f"/api/victims/cases/{case.pk}/steps/teleport", {"data": {}},
                       content_type="application/json").status_code == 422


def test_api_choices_are_enums_and_bad_ones_are_422_with_nothing_written(kh_node, protector, api):
    from borderlink.persons.models import Person

    persons = Person.objects.count()
    response = api(protector).post("/api/victims/cases", {
        "person": {"names": [{"name": "Lamphone V."}], "sex": "F"}, "home_country": "LA", "exploitation": "slavery",
        "indicators": ["bad_indicator"], "found_on": "2026-01-02", "found_place": "Farm", "found_by": "Police",
        "age_band": "elderly"}, content_type="application/json")
    assert response.status_code == 422
    assert {"exploitation", "age_band"} <= set(response.json()["errors"]) or "exploitation" in response.json()["detail"]
    assert Person.objects.count() == persons and not VictimCase.objects.exists()
    ok = api(protector).post("/api/victims/cases", {
        "person": {"names": [{"name": "Lamphone V."}], "sex": "F"}, "home_country": "LA",
        "exploitation": "forced_labour", "indicators": ["wages_withheld"], "found_on": datetime.date.today().isoformat(),
        "found_place": "Farm", "found_by": "Police", "age_band": "adult"}, content_type="application/json")
    assert ok.status_code == 201, ok.json()
    body = ok.json()
    assert body["exploitation"] == "forced_labour" and body["indicators"] == ["wages_withheld"]
    assert body["state"] == "identified" and body["deadline"] is None and body["overdue"] is False
    case = VictimCase.objects.get()
    assert case.indicators == ["wages_withheld"] and type(case.exploitation) is str
    purge = api(protector).post(f"/api/victims/cases/{case.pk}/override", {"purpose": "return", "ground": "whim",
                                                                         "reason": "x"}, content_type="application/json")
    assert purge.status_code in (404, 422)  # not a supervisor: 404; a bad ground never reaches the service


def test_statistics_page_and_window_bounds(kh_node, protector, login, api):
    identify(protector)
    client = login(protector)
    assert client.get("/victims/statistics/").status_code == 200
    assert client.get("/victims/statistics/?start=2020-01-01&end=2026-12-31").status_code == 400
    assert api(protector).get("/api/victims/statistics?start=2020-01-01&end=2026-12-31").status_code == 400
    assert api(protector).get("/api/victims/statistics?start=2026-01-01&end=not-a-date").status_code == 422


def test_statistics_page_reads_in_the_users_language(kh_node, org, login):
    from django.utils import translation

    from tests.victims.test_statistics import cases

    planner = make_user("kh.planner.lo", org.kh_unit, "planner", language="lo")
    cases(org, 12)
    page = login(planner).get("/victims/statistics/?start=2026-01-01&end=2026-12-31").content.decode()
    with translation.override("lo"):
        assert translation.gettext("forced criminality (such as online scams)") in page
    assert ">12<" in page
