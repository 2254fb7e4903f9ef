"""Request pages and API, with the same services and access rules."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from borderlink.assistance.models import Request, RequestState

from ..exchange.helpers import PDF
from .helpers import draft, gate, sent

pytestmark = pytest.mark.django_db


def lao(text: str) -> str:
    """What the Lao officer reads."""
    with translation.override("lo"):
        translated = gettext(text)
    assert translated != text
    return translated


def form_data(unit, **overrides):
    data = {"kind": "trace_phone", "requested_unit": unit.pk, "offence": "fraud", "urgency": "urgent",
            "subject": "Trace +856 20 5555 1234", "details": "Number used by a scam centre.", "identifier": "+856 20 5555 1234",
            "handling_code": "H1"}
    data.update(overrides)
    return data


def test_write_submit_approve_through_pages(officer, supervisor, login, org):
    client = login(officer)
    page = client.get("/requests/new/")
    assert page.status_code == 200 and "Laos · Savannakhet Police" in page.content.decode()
    response = client.post("/requests/new/", form_data(org.la_unit))
    req = Request.objects.get()
    assert response.status_code == 302 and response.url == f"/requests/{req.pk}/"
    assert client.post(f"/requests/{req.pk}/submit/").status_code == 302
    page = login(supervisor).get(f"/requests/{req.pk}/")
    assert "Approve and send" in page.content.decode()
    assert login(supervisor).post(f"/requests/{req.pk}/approve/", {"justification": ""}).status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.RECEIVED and req.deadline - req.sent_at == datetime.timedelta(hours=72)


def test_bad_page_input_shows_errors_and_writes_nothing(officer, login, org):
    client = login(officer)
    for bad in ({"identifier": ""}, {"requested_unit": org.vn_other.pk}, {"offence": "heresy"},
                {"requested_deadline": (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}):
        response = client.post("/requests/new/", form_data(org.la_unit, **bad))
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode(), bad
    assert not Request.objects.exists()


def test_dashboard_lists_open_requests_by_time_left(officer, supervisor, foreign_officer, login, org):
    later = sent(officer, supervisor, org.la_unit, subject="Later one")
    sent(officer, supervisor, org.la_unit, subject="Sooner one", urgency="urgent", data_held_directly=True)
    page = login(foreign_officer).get("/requests/").content.decode()  # in Lao
    assert page.index("Sooner one") < page.index("Later one")
    page = login(officer).get("/requests/").content.decode()  # in English
    assert page.index("Sooner one") < page.index("Later one")
    assert "7 hours 59 minutes left" in page and "Requests per country and month" in page
    Request.objects.filter(pk=later.pk).update(deadline=timezone.now() - datetime.timedelta(hours=2))
    overdue = login(officer).get("/requests/?tab=overdue").content.decode()
    assert "Later one" in overdue and "overdue by 2 hours" in overdue and "Sooner one" not in overdue


def test_answer_with_attachment_and_download(officer, supervisor, foreign_officer, login, org):
    req = sent(officer, supervisor, org.la_unit)
    la = login(foreign_officer)
    assert la.post(f"/requests/{req.pk}/accept/", {"text": ""}).status_code == 302
    form = la.get(f"/requests/{req.pk}/").content.decode()
    assert 'action="/requests/' in form and "/answer/" in form and 'name="result_0"' in form
    response = la.post(f"/requests/{req.pk}/answer/", {
        "text": "Identity confirmed.", "result_0": "identity_confirmed", "result_1": "document_number", "value_1": "P1234567",
        "attachments": SimpleUploadedFile("record.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    page = login(officer).get(f"/requests/{req.pk}/").content.decode()
    assert "identity confirmed" in page and "P1234567" in page and "record.pdf" in page
    attachment = Request.objects.get(pk=req.pk).events.get(action="answered").attachments.get()
    download = login(officer).get(f"/requests/{req.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_bad_answer_comes_back_on_the_page(officer, supervisor, foreign_officer, login, org):
    req = sent(officer, supervisor, org.la_unit)
    la = login(foreign_officer)
    la.post(f"/requests/{req.pk}/accept/", {"text": ""})
    response = la.post(f"/requests/{req.pk}/answer/", {"text": "x", "result_0": "address", "value_0": ""})
    assert response.status_code == 400 and lao("A document number, address or other finding needs its value.") in response.content.decode()
    response = la.post(f"/requests/{req.pk}/answer/", {
        "text": "x", "attachments": SimpleUploadedFile("evil.exe", b"MZ\x90\x00", content_type="application/octet-stream")})
    assert response.status_code == 400
    assert Request.objects.get(pk=req.pk).state == RequestState.ACCEPTED


def test_outsiders_get_404_everywhere(officer, supervisor, outsider, kh_officer, no_capabilities, login, org):
    req = sent(officer, supervisor, org.la_unit)
    paths = [f"/requests/{req.pk}/", f"/requests/{req.pk}/edit/"]
    posts = ["accept", "clarify", "decline", "answer", "close", "approve", "submit", "handover/located"]
    for user in (outsider, kh_officer, no_capabilities):
        client = login(user)
        for path in paths:
            assert client.get(path).status_code == 404, (user, path)
        for action in posts:
            assert client.post(f"/requests/{req.pk}/{action}/", {"text": "x", "reason": "other"}).status_code == 404, (user, action)
    assert login(no_capabilities).get("/requests/").status_code == 404
    assert login(officer).get("/requests/not-a-uuid/").status_code == 404


def test_handover_through_pages(officer, supervisor, foreign_officer, login, org):
    from tests.notices.helpers import person, published

    notice = published(officer, supervisor, person(officer, "Đinh Công Tráng"))
    req = sent(officer, supervisor, org.la_unit, kind="arrest_handover", notice_id=notice.pk)
    la = login(foreign_officer)
    la.post(f"/requests/{req.pk}/accept/", {"text": ""})
    fmt = "%Y-%m-%dT%H:%M"
    now = timezone.localtime()
    assert la.post(f"/requests/{req.pk}/handover/arrested/", {"at": (now - datetime.timedelta(hours=2)).strftime(fmt),
                                                               "place": "Savannakhet"}).status_code == 302
    bad = la.post(f"/requests/{req.pk}/handover/handover_planned/", {
        "at": (now - datetime.timedelta(hours=3)).strftime(fmt), "gate": "999", "escort_requesting_unit": org.vn_unit.pk,
        "escort_requested_unit": org.la_unit.pk})
    text = bad.content.decode()
    assert bad.status_code == 400
    assert lao("Choose a border gate between the two countries from the reference list.") in text
    assert lao("The handover cannot be planned before the arrest.") in text
    good = la.post(f"/requests/{req.pk}/handover/handover_planned/", {
        "at": (now + datetime.timedelta(days=2)).strftime(fmt), "gate": gate().pk, "escort_requesting_unit": org.vn_unit.pk,
        "escort_requested_unit": org.la_unit.pk})
    assert good.status_code == 302
    assert "Lao Bao – Dansavanh" in login(officer).get(f"/requests/{req.pk}/").content.decode()


def test_api_flow_and_errors(officer, supervisor, foreign_officer, outsider, api, org):
    vn, la = api(officer), api(foreign_officer)
    body = {"kind": "verify_record", "requested_unit_id": org.la_unit.pk, "offence": "robbery", "subject": "Record check",
            "details": "Any conviction for robbery since 2015?", "person_name": "Khamphoui Sayavong"}
    created = vn.post("/api/requests", body, content_type="application/json")
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert vn.post(f"/api/requests/{rid}/submit", {}, content_type="application/json").json()["state"] == "submitted"
    approved = api(supervisor).post(f"/api/requests/{rid}/approve", {"justification": ""}, content_type="application/json")
    assert approved.json()["state"] == "received" and approved.json()["seconds_left"] > 6 * 86400
    assert la.get("/api/requests?direction=received").json()["count"] == 1
    assert la.post(f"/api/requests/{rid}/accept", {"text": ""}, content_type="application/json").status_code == 200
    answer = la.post(f"/api/requests/{rid}/answer", {
        "text": "No record.", "results": [{"kind": "no_record"}],
        "attachments": [{"filename": "extract.pdf", "content_base64": base64.b64encode(PDF).decode()}]},
        content_type="application/json")
    assert answer.status_code == 200 and answer.json()["state"] == "answered"
    assert answer.json()["events"][-1]["attachments"][0]["filename"] == "extract.pdf"
    assert api(outsider).get(f"/api/requests/{rid}").status_code == 404
    bad = vn.post("/api/requests", {**body, "requested_deadline": "2020-01-01T00:00:00Z"}, content_type="application/json")
    assert bad.status_code == 400 and "requested_deadline" in bad.json()["errors"]
    bad_answer = la.post(f"/api/requests/{rid}/answer", {"text": "again"}, content_type="application/json")
    assert bad_answer.status_code == 400
    stats = vn.get("/api/requests/statistics").json()
    assert stats["answered_sent"] == 1


def test_draft_edit_page(officer, login, org):
    req = draft(officer, org.la_unit)
    client = login(officer)
    assert client.get(f"/requests/{req.pk}/edit/").status_code == 200
    response = client.post(f"/requests/{req.pk}/edit/", form_data(org.la_unit, kind="locate", subject="Locate him", identifier=""))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.kind == "locate" and req.subject == "Locate him"


def test_node_admin_sets_the_answer_times_of_a_pair(node_admin, officer, supervisor, login, org):
    admin = login(node_admin)
    assert admin.get("/admin/assistance/deadlinepolicy/add/").status_code == 200
    response = admin.post("/admin/assistance/deadlinepolicy/add/", {
        "requesting_country": "VN", "requested_country": "LA", "urgent_direct_hours": "4", "urgent_hours": "48",
        "normal_hours": "120"})
    assert response.status_code == 302
    req = sent(officer, supervisor, org.la_unit, urgency="urgent", data_held_directly=True)
    assert req.deadline - req.sent_at == datetime.timedelta(hours=4)
    assert login(officer).get("/admin/assistance/deadlinepolicy/").status_code == 404
