"""Custody pages and API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from borderlink.custody.models import CustodyRecord
from tests.clock import moment_in_one_month, month_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def fields(**overrides):
    data = {"name": "Vũ Đức Thành", "other_name": "Vu Duc Thanh", "sex": "M", "birth_year": "1991", "document_type": "passport",
            "document_number": "C9988776", "nationality": "VN", "kind": "arrest",
            "detained_at": moment_in_one_month().strftime("%Y-%m-%dT%H:%M"),
            "place_held": "Savannakhet", "offence": "fraud", "facts": "Online scam centre.", "consular_access_requested": "on",
            "handling_code": "H0"}
    data.update(overrides)
    return data


def test_record_on_a_page_and_acknowledge(foreign_officer, supervisor, login, org):
    la = login(foreign_officer)
    assert la.get("/custody/new/").status_code == 200
    response = la.post("/custody/new/", fields())
    item = CustodyRecord.objects.get()
    assert response.status_code == 302 and item.person.documents.get().number == "C9988776"
    vn = login(supervisor)
    listing = vn.get("/custody/").content.decode()
    assert "To acknowledge" in listing and "Vũ Đức Thành" in listing
    assert vn.post(f"/custody/{item.pk}/acknowledged/", {"text": ""}).status_code == 302
    item.refresh_from_db()
    assert item.state == "acknowledged"
    assert vn.post(f"/custody/{item.pk}/facts_asked/", {"text": ""}).status_code == 400  # a question needs its text
    csv = vn.get(f"/custody/export.csv?country=LA&month={month_of(item.detained_at)}")
    assert csv.status_code == 200 and "Vũ Đức Thành" in csv.content.decode("utf-8-sig")


def test_bad_page_input(foreign_officer, login):
    la = login(foreign_officer)
    for bad in ({"nationality": "LA"}, {"detained_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
                {"name": ""}, {"place_held": ""}):
        response = la.post("/custody/new/", fields(**bad))
        assert response.status_code == 200 and "errorlist" in response.content.decode(), bad
    assert not CustodyRecord.objects.exists()


def test_outsiders_get_404(foreign_officer, officer, kh_officer, login, org):
    login(foreign_officer).post("/custody/new/", fields())
    item = CustodyRecord.objects.get()
    for user in (officer, kh_officer):  # a plain VN officer is not the ministry's contact; Cambodia has no part
        assert login(user).get(f"/custody/{item.pk}/").status_code == 404
        assert login(user).post(f"/custody/{item.pk}/acknowledged/").status_code == 404
    protector_only = make_user("vp", org.vn_unit, "victim_protection")
    assert login(protector_only).get("/custody/").status_code == 404


def test_api(foreign_officer, supervisor, api):
    body = {"person": {"names": [{"name": "ສົມຈິດ ພົມມະວົງ"}]}, "nationality": "VN", "kind": "detention",
            "detained_at": (when := moment_in_one_month()).isoformat(), "place_held": "Dansavanh border post", "offence": "migrant_smuggling"}
    created = api(foreign_officer).post("/api/custody", body, content_type="application/json")
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    acknowledged = api(supervisor).post(f"/api/custody/{rid}/acknowledged", {"text": ""}, content_type="application/json")
    assert acknowledged.json()["state"] == "acknowledged"
    month = month_of(when)
    assert len(api(supervisor).get(f"/api/custody/monthly?country=LA&month={month}").json()["results"]) == 1
    bad = api(foreign_officer).post("/api/custody", {**body, "nationality": "LA"}, content_type="application/json")
    assert bad.status_code == 400 and "nationality" in bad.json()["errors"]
    assert api(foreign_officer).post(f"/api/custody/{rid}/acknowledged", {}, content_type="application/json").status_code == 404
