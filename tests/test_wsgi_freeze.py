"""The web process freezes what it holds after its first requests (borderlink/wsgi.py), so that the collector's
full passes during later requests skip it; garbage is collected first, never frozen."""

from __future__ import annotations

import gc
import os

import pytest


def test_freeze_after_the_first_requests_keeps_no_garbage(monkeypatch):
    monkeypatch.setenv("BORDERLINK_WARM_INDEX", "false")  # no database at import
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    from borderlink import wsgi

    answers = []

    def app(environ, start_response):
        answers.append(environ["PATH_INFO"])
        return [b"ok"]

    wrapped = wsgi.FreezeAfterWarmUp(app)
    frozen = []
    monkeypatch.setattr(wsgi.gc, "freeze", lambda: frozen.append(wrapped.served))
    collected = []
    monkeypatch.setattr(wsgi.gc, "collect", lambda: collected.append(wrapped.served) or 0)
    for i in range(30):
        assert wrapped({"PATH_INFO": f"/{i}"}, None) == [b"ok"]
    assert answers == [f"/{i}" for i in range(30)]
    assert frozen == list(wsgi.FREEZE_AFTER_REQUESTS) == collected  # each freeze after a full collection
    gc.unfreeze()


def test_the_index_warmed_at_start_leaves_no_connection_for_forked_workers(monkeypatch, transactional_db):
    """Under gunicorn's --preload the index is built in the master: its connection must not reach the workers."""
    monkeypatch.setenv("BORDERLINK_WARM_INDEX", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    from django.db import connection

    from borderlink import wsgi
    from borderlink.persons import name_index

    read = []

    def get_index():
        with connection.cursor() as cursor:  # as the real index reads the names
            cursor.execute("SELECT 1")
            read.append(cursor.fetchone()[0])

    monkeypatch.setattr(name_index, "get_index", get_index)
    wsgi._warm_name_index()
    assert read == [1]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("Django keeps an in-memory SQLite test database open on close(); the PostgreSQL run checks this")
    assert connection.connection is None
    gc.unfreeze()
