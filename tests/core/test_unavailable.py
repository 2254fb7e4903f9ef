"""A transient database error answers 503 in the user's language, from a page, the API or a middleware (finding 9)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

ENGLISH = "The service is briefly unavailable because its database is busy. Please try again in a minute."


def test_locked_database_in_a_middleware_gives_a_503_page_in_the_readers_language(officer, monkeypatch):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="lo")
    client.force_login(officer)

    def locked(self):
        raise OperationalError("database is locked")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", locked)
    response = client.get("/messages/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    with translation.override("lo"):
        expected = translation.gettext(ENGLISH)
    assert expected != ENGLISH and expected in response.content.decode()
    assert '<html lang="lo">' in response.content.decode()


def test_unreachable_database_in_the_api_gives_a_503_json(officer, monkeypatch):
    def unreachable(token):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("borderlink.api.user_for_token", unreachable)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="km", HTTP_AUTHORIZATION="Bearer blk_x")
    response = client.get("/api/messages/inbox")
    assert response.status_code == 503
    with translation.override("km"):
        assert response.json() == {"detail": translation.gettext(ENGLISH), "error": "database_unavailable"}


def test_other_errors_stay_500(officer, monkeypatch):
    def broken(token):
        raise RuntimeError("a bug")

    monkeypatch.setattr("borderlink.api.user_for_token", broken)
    response = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Bearer blk_x").get("/api/messages/inbox")
    assert response.status_code == 500


def test_sqlite_is_set_up_for_concurrent_use():
    from borderlink.env import Env

    config = Env({"BORDERLINK_SQLITE_BUSY_TIMEOUT_SECONDS": "45"}).database("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert config["OPTIONS"]["timeout"] == 45 and config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
