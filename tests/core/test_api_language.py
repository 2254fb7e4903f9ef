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
