"""Tryout defect 9, as a kind: every list page reads its query parameters one way (core.page_query).
A bad `page` is a 400 naming the field in the reader's language; a filter's error is shown under its field;
an export's bad filter is the site's error page (not a bare text); an unknown parameter leaves a filter form
unbound (it blames no field the reader never touched)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def said(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("path", ["/messages/", "/messages/outbox/", "/persons/", "/notices/", "/notices/hits/",
                                  "/requests/"])
@pytest.mark.parametrize("value", ["abc", "0", "-4", "999999999999999999999", "1.5", "١"])
def test_a_bad_page_is_a_400_naming_the_field(path, value, foreign_officer, login):
    response = login(foreign_officer).get(path, {"page": value})
    assert response.status_code == 400, (path, value, response.status_code)
    text = response.content.decode()
    assert said("lo", "Page") in text and said("lo", "Back to the start page") in text


@pytest.mark.parametrize("path", ["/messages/", "/persons/", "/notices/hits/"])
def test_a_good_page_or_one_past_the_last_is_shown(path, foreign_officer, login):
    for value in ("1", "2", "100000"):
        assert login(foreign_officer).get(path, {"page": value}).status_code == 200


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_a_bad_unit_filter_is_shown_under_its_field(value, foreign_officer, login):
    response = login(foreign_officer).get("/messages/", {"unit": value})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="id_unit_error"' in text and 'aria-describedby="id_unit_error"' in text


@pytest.mark.parametrize(("path", "query", "label"), [
    ("/custody/export.csv", {"month": "1899-01"}, "Month"),
    ("/custody/export.csv", {"country": "ZZ"}, "Other country"),
    ("/border/export.csv", {"from": "2026-13"}, "From month"),
])
def test_a_bad_export_filter_is_the_error_page(path, query, label, foreign_officer, login):
    response = login(foreign_officer).get(path, query)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert said("lo", "Back to the start page") in text


def test_an_unknown_parameter_leaves_the_statistics_form_unbound(org, login):
    protector = make_user("kh.protection", org.kh_unit, "victim_protection", language="km")
    response = login(protector).get("/victims/statistics/", {"year": "abc"})
    assert response.status_code == 200
    assert said("km", "This field is required.") not in response.content.decode()
    bad = login(protector).get("/victims/statistics/", {"start": "abc"})
    assert bad.status_code == 400


@pytest.mark.parametrize("value", ["abc", "1999", "99999", "２０２６"])
def test_a_bad_export_year_is_the_error_page(value, org, login):
    protector = make_user("kh.protection", org.kh_unit, "victim_protection", language="km")
    response = login(protector).get("/victims/export.csv", {"year": value})
    assert response.status_code == 400 and said("km", "Year") in response.content.decode()
