"""Foreign nationals in custody on one node hosting both countries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.custody import services
from borderlink.custody.models import CustodyRecord, CustodyState
from borderlink.custody.services import CustodyInput
from borderlink.notices.models import Hit
from borderlink.persons.models import Person
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from tests.clock import moment_in_one_month, month_of
from tests.conftest import make_user
from tests.notices.helpers import person, published

pytestmark = pytest.mark.django_db


def held(user, name="Trần Văn Lực", nationality="VN", **overrides):
    data = {"nationality": nationality, "kind": "arrest", "detained_at": timezone.now() - datetime.timedelta(hours=3),
            "place_held": "Savannakhet provincial police station", "offence": "drug_trafficking",
            "consular_access_requested": True}
    data.update(overrides)
    return services.record_custody(user, PersonInput(names=[NameInput(name)], birth_year=1988), CustodyInput(**data))


@pytest.fixture
def vn_liaison(org):
    return make_user("vnliaison", org.vn_other, "officer", "liaison")


def test_record_acknowledge_and_ask(foreign_officer, supervisor, vn_liaison, officer, org):
    item = held(foreign_officer)
    assert item.state == CustodyState.NOTIFIED and item.reference.startswith("LA-SVK/C/")
    assert list(item.person.nationalities.values_list("code", flat=True)) == ["VN"]
    with pytest.raises(Http404):  # a plain officer of the person's country is not the ministry's contact
        services.view_record(officer, item.pk)
    services.view_record(vn_liaison, item.pk)
    item = services.take_step(supervisor, item.pk, "acknowledged")
    assert item.state == CustodyState.ACKNOWLEDGED and item.acknowledged_at
    services.take_step(vn_liaison, item.pk, "consular_access_asked", "Consul of Viet Nam in Savannakhet, Thursday.")
    services.take_step(vn_liaison, item.pk, "facts_asked", "Quantity seized?")
    with pytest.raises(Http404):  # the receiving side cannot answer for the detaining side
        services.take_step(vn_liaison, item.pk, "facts_given", "x")
    services.take_step(foreign_officer, item.pk, "facts_given", "4 kg methamphetamine.")
    actions = list(item.events.values_list("action", flat=True))
    assert actions == ["recorded", "acknowledged", "consular_access_asked", "facts_asked", "facts_given"]
    with pytest.raises(ValidationError):  # twice
        services.take_step(supervisor, item.pk, "acknowledged")
    assert AuditEvent.objects.filter(action="custody.record.acknowledged").count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"nationality": "LA"}, "nationality"),  # own national: not a foreign national
    ({"nationality": "TH"}, "nationality"),
    ({"detained_at": timezone.now() + datetime.timedelta(days=1)}, "detained_at"),
    ({"detained_at": None}, "detained_at"),
    ({"place_held": " "}, "place_held"),
    ({"offence": "political_activity"}, "offence"),
    ({"kind": "kidnap"}, "kind"),
])
def test_bad_input_writes_nothing(foreign_officer, overrides, field):
    with pytest.raises(ValidationError) as caught:
        held(foreign_officer, **overrides)
    assert field in caught.value.message_dict
    assert not CustodyRecord.objects.exists() and not Person.objects.exists()


def test_empty_name_writes_nothing(foreign_officer):
    with pytest.raises(ValidationError) as caught:
        held(foreign_officer, name="  ")
    assert "names" in caught.value.message_dict
    assert not CustodyRecord.objects.exists()


def test_checked_against_notices_the_country_shares(officer, supervisor, foreign_officer, django_capture_on_commit_callbacks):
    subject = person(officer, "Trần Văn Lực", documents=[DocumentInput("passport", "B1112223", "VN")])
    with django_capture_on_commit_callbacks(execute=True):
        notice = published(officer, supervisor, subject)  # shared with LA
    with django_capture_on_commit_callbacks(execute=True):
        item = held(foreign_officer, name="TRAN VAN LUC")
    hit = Hit.objects.get(person=item.person)
    assert hit.notice == notice and hit.state == "candidate"
    unshared_subject = person(officer, "Phạm Quốc Hưng")
    with django_capture_on_commit_callbacks(execute=True):
        published(officer, supervisor, unshared_subject, shared_with=[])
    with django_capture_on_commit_callbacks(execute=True):
        other = held(foreign_officer, name="Pham Quoc Hung")
    assert not Hit.objects.filter(person=other.person).exists()


def test_monthly_list_and_csv(foreign_officer, supervisor, kh_officer):
    moment = moment_in_one_month()
    this_month = month_of(moment)
    held(foreign_officer, detained_at=moment)
    held(foreign_officer, name="Nguyễn Thị Hoa", detained_at=moment - datetime.timedelta(days=40))
    held(kh_officer, name="Lê Văn Tám", detained_at=moment)
    rows = services.view_monthly(supervisor, "LA", this_month)
    assert AuditEvent.objects.filter(action="custody.monthly.viewed", object_id=f"LA/{this_month}").exists()
    assert [r.person_name for r in rows] == ["Trần Văn Lực"]
    assert next(iter(services.monthly(supervisor, "KH", this_month))).person_name == "Lê Văn Tám"
    body = services.export_csv(foreign_officer, "VN", this_month)
    assert "Trần Văn Lực" in body and "Lê Văn Tám" not in body and body.count("\n") == 2
    assert AuditEvent.objects.filter(action="custody.monthly.exported").exists()
    with pytest.raises(ValidationError):
        services.monthly(supervisor, "LA", "2026-13")


def test_victims_only_for_victim_protection(foreign_officer, supervisor, org):
    # a recorded victim is never the subject of a custody notification (victims.guard); a person identified as a
    # victim after the notification is seen only by victim-protection roles
    with pytest.raises(ValidationError, match="trafficking victim"):
        services.record_custody(
            foreign_officer, PersonInput(names=[NameInput("Lò Thị Mai")], is_trafficking_victim=True),
            CustodyInput(nationality="VN", kind="detention", detained_at=timezone.now(), place_held="Immigration centre",
                         offence="migrant_smuggling"))
    item = services.record_custody(
        foreign_officer, PersonInput(names=[NameInput("Lò Thị Mai")]),
        CustodyInput(nationality="VN", kind="detention", detained_at=timezone.now(), place_held="Immigration centre",
                     offence="migrant_smuggling"))
    type(item.person).objects.filter(pk=item.person_id).update(is_trafficking_victim=True)
    with pytest.raises(Http404):
        services.view_record(supervisor, item.pk)
    protector = make_user("protector", org.vn_unit, "officer", "supervisor", "victim_protection")
    services.view_record(protector, item.pk)


def test_monthly_list_a_page_at_a_time_and_csv_whole(foreign_officer, supervisor, login, api, monkeypatch):
    moment = moment_in_one_month()
    month = month_of(moment)
    for n in range(5):
        held(foreign_officer, name=f"Trần Văn Lực {n}", detained_at=moment - datetime.timedelta(minutes=n))
    monkeypatch.setattr(services, "MONTHLY_PAGE_SIZE", 2)
    first = services.view_monthly(supervisor, "LA", month)
    last = services.view_monthly(supervisor, "LA", month, page=3)
    # in order of detention, across the pages
    assert [r.person_name for r in first] == ["Trần Văn Lực 4", "Trần Văn Lực 3"]
    assert [r.person_name for r in last] == ["Trần Văn Lực 0"]
    event = AuditEvent.objects.filter(action="custody.monthly.viewed", object_id=f"LA/{month}").order_by("-seq").first()
    assert event is not None and event.data == {"rows": 1, "total": 5, "page": 3}
    page = login(supervisor).get(f"/custody/?country=LA&month={month}&page=2").content.decode()
    table = page[page.index("<tbody>"):page.index("</tbody>")]  # (the unacknowledged ones are listed above it too)
    assert "Trần Văn Lực 2" in table and "Trần Văn Lực 4" not in table and "Page 2 of 3" in page
    assert f"country=LA&amp;month={month}&amp;page=3" in page
    listing = api(supervisor).get(f"/api/custody/monthly?country=LA&month={month}&page=2&page_size=3").json()
    assert (listing["count"], listing["page"], listing["pages"]) == (5, 2, 2)
    assert [r["person_name"] for r in listing["results"]] == ["Trần Văn Lực 1", "Trần Văn Lực 0"]
    body = services.export_csv(supervisor, "LA", month)
    assert body.count("\n") == 6  # the header and every record of the month
