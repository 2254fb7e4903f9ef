"""Issue #11, findings 3 and 4: out-of-range input is a field error in the user's language, never a 500;
dates have sane windows where they are entered; pages cope with any value the database holds."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from borderlink.assistance.models import Request
from borderlink.core import bounds
from borderlink.custody.models import CustodyRecord

from ..assistance.helpers import draft, sent
from ..conftest import make_user

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def lao(text: str) -> str:
    with translation.override("lo"):
        translated = gettext(text)
    assert translated != text, text
    return translated


def lao_date_error() -> str:
    return lao("Give a date between %(earliest)s and %(latest)s.").split("%")[0]


@pytest.mark.parametrize("path", ["/messages/", "/messages/outbox/", "/audit/"])
@pytest.mark.parametrize("field,value", [("date_from", "0001-01-01"), ("date_to", "9999-12-31"), ("date_from", "9999-12-31")])
def test_filter_dates_out_of_window_are_a_field_error_on_pages(path, field, value, org, login):
    user = make_user("lao_auditor", org.la_unit, "officer", "auditor", language="lo")
    response = login(user).get(path, {field: value})
    assert response.status_code == 400
    assert lao_date_error() in response.content.decode()


@pytest.mark.parametrize("box", ["inbox", "outbox"])
@pytest.mark.parametrize("query", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}, {"unit": HUGE},
                                   {"unit": "-1"}, {"page": HUGE}, {"page_size": HUGE}])
def test_inbox_and_outbox_api_bound_their_parameters(box, query, foreign_officer, api):
    response = api(foreign_officer).get(f"/api/messages/{box}", query)
    assert response.status_code == 422
    field = next(iter(query))
    body = response.json()
    assert field in body["errors"]
    assert body["detail"] and body["detail"].isascii() is False  # Lao text, not pydantic's English


def test_requests_api_page_is_bounded(officer, api):
    response = api(officer).get("/api/requests", {"page": HUGE})
    assert response.status_code == 422 and "page" in response.json()["errors"]


@pytest.mark.parametrize("path", ["/api/messages"])
def test_recipient_ids_beyond_any_row_are_a_field_error(path, officer, api):
    response = api(officer).post(path, {"recipients": [int(HUGE)], "subject": "s", "body": "b"}, content_type="application/json")
    assert response.status_code == 422 and list(response.json()["errors"]) == ["recipients.0"]


def test_forward_recipient_ids_are_bounded(officer, supervisor, org, api):
    from borderlink.exchange import services

    message = services.send_message(officer, services.Draft(recipient_unit_ids=[org.vn_other.pk], subject="s", body="b"))
    response = api(officer).post(f"/api/messages/{message.pk}/forward", {"recipients": [int(HUGE)]},
                                 content_type="application/json")
    assert response.status_code == 422 and list(response.json()["errors"]) == ["recipients.0"]


def test_recipient_ids_beyond_any_row_on_the_compose_and_forward_pages(officer, org, login):
    from borderlink.exchange import services

    client = login(officer)
    page = client.post("/messages/compose/", {"recipients": HUGE, "subject": "s", "body": "b", "priority": "routine",
                                              "handling_code": "H0", "classification": "restricted"})
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    message = services.send_message(officer, services.Draft(recipient_unit_ids=[org.vn_other.pk], subject="s", body="b"))
    page = client.post(f"/messages/{message.pk}/forward/", {"recipients": HUGE})
    assert page.status_code == 200 and "errorlist" in page.content.decode()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "0000-00", "2026-13", HUGE])
def test_custody_month_out_of_range_is_a_field_error_everywhere(month, foreign_officer, login, api):
    page = login(foreign_officer).get("/custody/", {"country": "VN", "month": month})
    assert page.status_code == 400 and lao("Give the month as YYYY-MM.") in page.content.decode()
    csv = login(foreign_officer).get("/custody/export.csv", {"country": "VN", "month": month})
    assert csv.status_code == 400 and lao("Give the month as YYYY-MM.") in csv.content.decode()
    for path in ("/api/custody/monthly", "/api/custody/monthly.csv"):
        response = api(foreign_officer).get(path, {"country": "VN", "month": month})
        assert response.status_code == 422 and "month" in response.json()["errors"], path


# --- finding 4: windows where dates are entered -------------------------------------------------------

def test_deadline_more_than_a_year_ahead_is_refused(officer, org, api):
    response = api(officer).post("/api/requests", {
        "kind": "verify_identity", "requested_unit_id": org.la_unit.pk, "offence": "fraud", "subject": "s",
        "details": "d", "requested_deadline": "9999-12-31T23:59:59Z"}, content_type="application/json")
    assert response.status_code in (400, 422) and "requested_deadline" in response.json()["errors"]
    next_year = timezone.now() + datetime.timedelta(days=400)
    with pytest.raises(Exception) as refused:
        draft(officer, org.la_unit, requested_deadline=next_year)
    assert "requested_deadline" in refused.value.message_dict  # type: ignore[attr-defined]
    assert not Request.objects.exists()
    draft(officer, org.la_unit, requested_deadline=timezone.now() + datetime.timedelta(days=300))


def test_arrest_decades_back_or_before_birth_is_refused(officer, org, api):
    body = {
        "person": {"names": [{"name": "Bounmy Keovilay"}], "birth_year": 1990},
        "nationality": "LA", "kind": "arrest", "place_held": "Quang Tri detention centre", "offence": "fraud",
    }
    client = api(officer)
    for detained_at in ("1950-01-01T10:00:00+07:00", "1985-06-01T10:00:00+07:00", "0001-01-01T00:00:00+05:00",
                        "9999-12-31T23:59:59Z"):
        response = client.post("/api/custody", {**body, "detained_at": detained_at}, content_type="application/json")
        assert response.status_code in (400, 422), (detained_at, response.content)
        assert "detained_at" in response.json()["errors"], detained_at
    assert not CustodyRecord.objects.exists()


def test_warrant_and_review_dates_have_windows(officer, api):
    person = {"names": [{"name": "Lo Van Thang"}]}
    base = {"kind": "wanted_arrest", "subject": person, "summary": "Fraud ring", "offence": "fraud",
            "review_date": (timezone.localdate() + datetime.timedelta(days=300)).isoformat()}
    client = api(officer)
    old = client.post("/api/notices", {**base, "warrant_date": "1900-01-01"}, content_type="application/json")
    assert old.status_code == 400 and "warrant_date" in old.json()["errors"]
    far = client.post("/api/notices", {**base, "review_date": "9999-12-31"}, content_type="application/json")
    assert far.status_code == 400 and "review_date" in far.json()["errors"]


def test_window_names_its_limits_in_the_users_language():
    with translation.override("lo"):
        message = bounds.DEADLINE.error(timezone.now() + datetime.timedelta(days=800))
    assert message and message.startswith(lao_date_error())


# --- finding 4: pages cope with any stored value ---------------------------------------------------------

def test_a_deadline_in_year_9999_stored_in_the_database_breaks_no_page(officer, supervisor, foreign_officer, org, login, api):
    req = sent(officer, supervisor, org.la_unit)
    far = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)
    Request.objects.filter(pk=req.pk).update(deadline=far, requested_deadline=far)
    for user in (officer, supervisor, foreign_officer):
        client = login(user)
        for path in ("/requests/", f"/requests/{req.pk}/"):
            assert client.get(path).status_code == 200, (user, path)
        assert api(user).get("/api/requests").status_code == 200
        assert api(user).get(f"/api/requests/{req.pk}").status_code == 200
        assert api(user).get("/api/requests/statistics").status_code == 200
    Request.objects.filter(pk=req.pk).update(deadline=datetime.datetime(1, 1, 1, tzinfo=datetime.UTC))
    assert login(officer).get("/requests/").status_code == 200
    assert login(officer).get(f"/requests/{req.pk}/").status_code == 200
    from borderlink.assistance.services import check_deadlines

    check_deadlines()


def test_message_and_notice_times_in_year_9999_break_no_page(officer, supervisor, org, login, api):
    from borderlink.exchange import services as exchange
    from borderlink.exchange.models import Message, MessageRecipient
    from borderlink.notices.models import Notice

    from ..notices.helpers import person, published

    far = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)
    message = exchange.send_message(officer, exchange.Draft(recipient_unit_ids=[org.vn_other.pk], subject="s", body="b"))
    Message.objects.filter(pk=message.pk).update(sent_at=far, decided_at=far)
    MessageRecipient.objects.filter(message=message).update(delivered_at=far, read_at=far, acknowledged_at=far)
    notice = published(officer, supervisor, person(officer))
    Notice.objects.filter(pk=notice.pk).update(published_at=far)
    client = login(officer)
    for path in ("/messages/outbox/", f"/messages/{message.pk}/", "/notices/", f"/notices/{notice.pk}/",
                 f"/notices/{notice.pk}/print/"):
        assert client.get(path).status_code == 200, path
    assert api(officer).get(f"/api/messages/{message.pk}").status_code == 200
