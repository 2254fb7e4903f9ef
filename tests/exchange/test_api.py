from __future__ import annotations

import base64
import json

import pytest

from borderlink.exchange.models import Message

from .helpers import PDF, send

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body if isinstance(body, str) else json.dumps(body), content_type="application/json")


def test_write_approve_read_acknowledge_through_the_api(officer, supervisor, foreign_officer, api, org):
    response = post(api(officer), "/api/messages", {
        "recipients": [org.la_unit.pk],
        "subject": "Verification request",
        "body": "Please verify.",
        "priority": "urgent",
        "handling_code": "H1",
        "attachments": [{"filename": "scan.pdf", "content_base64": base64.b64encode(PDF).decode()}],
    })
    assert response.status_code == 201, response.content
    message = response.json()
    assert message["state"] == "pending_approval"
    assert message["recipients"][0]["status"] == "queued"
    foreign = api(foreign_officer)
    assert foreign.get(f"/api/messages/{message['id']}").status_code == 404
    assert post(api(supervisor), f"/api/messages/{message['id']}/approve", {}).json()["state"] == "sent"
    inbox = foreign.get("/api/messages/inbox").json()
    assert inbox["count"] == 1 and inbox["results"][0]["id"] == message["id"]
    assert post(foreign, f"/api/messages/{message['id']}/read", {}).json()["my_status"] == "read"
    assert post(foreign, f"/api/messages/{message['id']}/acknowledge", {}).json()["my_status"] == "acknowledged"
    seen = api(officer).get(f"/api/messages/{message['id']}").json()
    assert seen["recipients"][0]["status"] == "acknowledged"
    attachment = seen["attachments"][0]
    download = foreign.get(f"/api/messages/{message['id']}/attachments/{attachment['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        '"a string"',
        json.dumps({"subject": "no recipients", "body": "x"}),
        json.dumps({"recipients": "abc", "subject": "s", "body": "b"}),
        json.dumps({"recipients": [1], "subject": "s" * 201, "body": "b"}),
        json.dumps({"recipients": [1], "subject": "s", "body": "b", "in_reply_to": "nope"}),
        json.dumps({"recipients": [1], "subject": "s", "body": "b", "attachments": [{"filename": "a.pdf"}]}),
    ],
)
def test_malformed_bodies_get_4xx_json_never_500(officer, api, body):
    response = post(api(officer), "/api/messages", body)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert Message.objects.count() == 0


def test_service_errors_come_back_per_field_in_the_users_language(officer, api, org):
    officer.language = "vi"
    officer.save()
    response = post(api(officer), "/api/messages", {"recipients": [org.vn_other.pk], "subject": " ", "body": "b"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "subject" in errors
    from django.utils import translation

    with translation.override("vi"):
        expected = translation.gettext("Write a subject.")
    assert errors["subject"] == [expected]


def test_bad_attachment_is_refused_with_its_name(officer, api, org):
    response = post(api(officer), "/api/messages", {
        "recipients": [org.vn_other.pk], "subject": "s", "body": "b",
        "attachments": [{"filename": "tool.pdf", "content_base64": base64.b64encode(b"MZ\x90\x00binary").decode()}],
    })
    assert response.status_code == 400
    assert "tool.pdf" in response.json()["detail"]
    response = post(api(officer), "/api/messages", {
        "recipients": [org.vn_other.pk], "subject": "s", "body": "b",
        "attachments": [{"filename": "x.pdf", "content_base64": "***"}],
    })
    assert response.status_code == 400
    assert Message.objects.count() == 0


def test_list_filters_and_pagination(officer, outsider, api, org):
    for n in range(30):
        send(officer, org.vn_other, subject=f"note {n}", priority="urgent" if n == 3 else "routine")
    client = api(outsider)
    first = client.get("/api/messages/inbox", {"page_size": 10}).json()
    assert first["count"] == 30 and first["pages"] == 3 and len(first["results"]) == 10
    assert first["results"][0]["subject"] == "note 3"  # unread urgent first
    assert client.get("/api/messages/inbox", {"q": "note 29"}).json()["count"] == 1
    assert client.get("/api/messages/inbox", {"priority": "urgent"}).json()["count"] == 1
    assert client.get("/api/messages/inbox", {"state": "unread"}).json()["count"] == 30
    assert client.get("/api/messages/inbox", {"priority": "whenever"}).status_code == 422  # not in the schema's enum
    assert client.get("/api/messages/inbox", {"page_size": 1000}).status_code == 422


def test_h2_forward_refused_over_api(officer, outsider, api, org):
    message = send(officer, org.vn_other, handling_code="H2")
    response = post(api(outsider), f"/api/messages/{message.pk}/forward", {"recipients": [org.kh_unit.pk]})
    assert response.status_code == 400 and "H2" in response.json()["detail"]


def test_openapi_schema_is_published(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/messages" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_attachment_limits_fit_under_the_body_and_envelope_limits(officer, api, org, settings):
    """The documented limits are consistent: the schema allows ATTACHMENT_MAX_COUNT files, and all of one
    message's files in base64, with room for the text, fit in one API body and in one envelope."""
    from borderlink.exchange.api import MessageIn

    assert MessageIn.model_json_schema()["properties"]["attachments"]["maxItems"] == settings.ATTACHMENT_MAX_COUNT
    assert settings.ATTACHMENT_MAX_BYTES <= settings.ATTACHMENT_MAX_TOTAL_BYTES
    encoded = 4 * (settings.ATTACHMENT_MAX_TOTAL_BYTES // 3 + 1) + 1024 * 1024
    assert encoded <= settings.FEDERATION_MAX_BYTES <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    one = {"filename": "scan.pdf", "content_base64": base64.b64encode(PDF).decode()}
    response = post(api(officer), "/api/messages", {"recipients": [org.vn_other.pk], "subject": "s", "body": "b",
                                                     "attachments": [one] * (settings.ATTACHMENT_MAX_COUNT + 1)})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["attachments"]
    settings.ATTACHMENT_MAX_TOTAL_BYTES = len(PDF) + 1
    response = post(api(officer), "/api/messages", {"recipients": [org.vn_other.pk], "subject": "s", "body": "b",
                                                     "attachments": [one, one]})
    assert response.status_code == 400 and "attachments" in response.json()["errors"]
    assert Message.objects.count() == 0
