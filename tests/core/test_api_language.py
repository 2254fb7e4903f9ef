"""Issue #12: API errors in the token owner's language, naming fields in that language."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


def said_in(language: str, text: str) -> str:
    with translation.override(language):
        translated = gettext(text)
    assert translated != text
    return translated


@pytest.mark.parametrize("body", ["{not json", '{"recipients": [1,', "\xff\xfe"])
def test_invalid_json_is_refused_in_the_owners_language(body, foreign_officer, api):
    response = api(foreign_officer).post("/api/messages", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == said_in("lo", "The request body is not valid JSON.")


def test_schema_errors_name_fields_in_the_owners_language(kh_officer, api):
    response = api(kh_officer).post("/api/messages", {"recipients": [], "subject": "x" * 500, "body": "b"},
                                    content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"recipients", "subject"}
    assert said_in("km", "Subject") in body["detail"] and said_in("km", "To") in body["detail"]
    assert "subject" not in body["detail"] and "String should" not in body["detail"]


def test_missing_fields_are_named_in_vietnamese(org, api):
    from tests.conftest import make_user

    user = make_user("vn_api", org.vn_unit, "officer", language="vi")
    response = api(user).post("/api/messages", {"recipients": [org.la_unit.pk]}, content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert said_in("vi", "This field is required.") in detail and said_in("vi", "Subject") in detail


def test_not_found_is_said_in_the_owners_language(foreign_officer, api):
    response = api(foreign_officer).get("/api/messages/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["detail"] == said_in("lo", "Not found, or you have no access to it.")


def test_nul_characters_are_refused_before_they_reach_the_database(foreign_officer, api, login):
    """PostgreSQL text and JSON cannot hold U+0000: a NUL anywhere in a request is a 400, never a 500."""
    client = api(foreign_officer)
    refused = client.get("/api/messages/inbox", {"q": "truck\x00"})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["q"]
    assert refused.json()["detail"] == said_in("lo", "Null characters are not allowed.")
    body = client.post("/api/messages", '{"recipients": [1], "subject": "a\\u0000", "body": "b"}', content_type="application/json")
    assert body.status_code == 400 and list(body.json()["errors"]) == ["subject"]
    page = login(foreign_officer).get("/messages/compose/", {"reply_to": "\x00"})
    assert page.status_code == 400 and said_in("lo", "Null characters are not allowed.") in page.content.decode()


def test_an_oversized_body_is_a_translated_413_without_a_traceback(foreign_officer, api, login, settings, caplog):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 JSON in the token owner's language on the API, the site's
    error page on a page (JSON, form and any other content type), and nothing logged as an error."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    big = "x" * (3 * 1024 * 1024)
    expected = said_in("lo", "The request is too large (limit %(n)d MB).") % {"n": 2}
    client = api(foreign_officer)
    for content_type, body in (("application/json", '{"recipients": [1], "subject": "t", "body": "' + big + '"}'),
                               ("text/plain", big)):
        response = client.post("/api/messages", body, content_type=content_type)
        assert response.status_code == 413, content_type
        assert response.json() == {"detail": expected}
    page = login(foreign_officer).post("/messages/compose/", {"subject": "t", "body": big})
    assert page.status_code == 413
    text = page.content.decode()
    assert expected in text and said_in("lo", "Back to the start page") in text
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


def test_too_many_fields_is_a_translated_400(foreign_officer, login, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    page = login(foreign_officer).post("/messages/compose/", {f"f{i}": "x" for i in range(20)})
    assert page.status_code == 400 and said_in("lo", "The request has too many fields.") in page.content.decode()


def test_a_nul_on_a_page_gets_the_error_page(foreign_officer, login):
    page = login(foreign_officer).get("/custody/export.csv", {"month": "\x00"})
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert said_in("lo", "Back to the start page") in page.content.decode()
