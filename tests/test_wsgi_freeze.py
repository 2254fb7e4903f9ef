"""The web process freezes what it holds after its first requests (borderlink/wsgi.py), so that the collector's
full passes during later requests skip it; garbage is collected first, never frozen."""

from __future__ import annotations

import gc
import os


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
