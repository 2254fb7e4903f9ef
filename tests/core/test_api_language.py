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


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
        "\u061c"]


@pytest.mark.parametrize("control", BIDI)
def test_bidi_controls_are_refused_in_api_bodies_and_queries(control, foreign_officer, api, org):
    """Tryout defect 5: "Invoice \\u202egpj.exe" would show as "Invoice exe.jpg". Every free-text field of every
    body, nested ones too, and every query parameter: 400 naming the field, in the token owner's language."""
    client = api(foreign_officer)
    expected = said_in("lo", "Text direction control characters (such as U+202E) are not allowed: they make text "
                             "show other than it is.")
    response = client.post("/api/messages", {"recipients": [org.vn_unit.pk], "subject": f"Invoice {control}gpj.exe",
                                              "body": "b"}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["subject"]
    assert response.json()["detail"] == expected
    response = client.post("/api/persons", {"names": [{"name": f"Nguyễn {control}NAV Văn"}], "sex": "M"},
                           content_type="application/json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["names.0.name"]
    response = client.get("/api/messages/inbox", {"q": f"a{control}b"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["q"]
    from borderlink.exchange.models import Message
    from borderlink.persons.models import Person

    assert not Message.objects.exists() and not Person.objects.exists()


def test_bidi_controls_are_refused_in_page_forms(foreign_officer, login, org):
    page = login(foreign_officer).post("/messages/compose/", {"recipients": [org.vn_unit.pk],
                                                              "subject": "\u202eevil\u202c", "body": "b"})
    assert page.status_code == 400
    text = page.content.decode()
    assert said_in("lo", "Text direction control characters (such as U+202E) are not allowed: they make text show "
                         "other than it is.") in text
    assert said_in("lo", "Back to the start page") in text


def test_the_shared_cleaning_and_the_peers_payloads_drop_bidi_controls():
    from borderlink.core.text import clean_text
    from borderlink.federation.schema import Strict, parse_payload, text
    from borderlink.names.normalise import clean

    hostile = "".join(f"a{c}" for c in BIDI) + "b"
    assert clean_text(hostile) == "a" * len(BIDI) + "b"
    assert clean(hostile) == clean("a" * len(BIDI) + "b")

    class Label(Strict):
        label: text(200)  # type: ignore[valid-type]

    assert parse_payload(Label, {"label": "\u202eevil\u202c RTL"}).label == "evil RTL"
