"""Issue #11, finding 7: Content-Security-Policy, HSTS behind TLS, no-store on signed-in answers,
and a locked or deactivated account's API tokens stop working."""

from __future__ import annotations

import datetime
import pathlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from borderlink.accounts.models import User

pytestmark = pytest.mark.django_db

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "borderlink" / "templates"
PAGES = ["/messages/", "/messages/outbox/", "/messages/compose/", "/notices/", "/notices/search/", "/requests/",
         "/custody/", "/account/"]


def _policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES + ["/login/"])
def test_every_page_has_a_strict_content_security_policy(path, supervisor, login):
    response = login(supervisor).get(path) if path != "/login/" else Client().get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'" and "unsafe" not in policy["style-src"]
    assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"


# Self-contained files built for download and for WeasyPrint, served only as attachments and never as a page:
# their style has to travel inside the file (tests/review/test_review.py checks the attachment header).
DOCUMENTS = {"review/document.html"}


def test_templates_carry_no_inline_script_style_or_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.relative_to(TEMPLATES).as_posix() in DOCUMENTS:
            assert not re.search(r"<script|\son[a-z]+=\"|javascript:", path.read_text(encoding="utf-8")), path
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style", r"\sstyle=\"", r"\son(?!ly=)[a-z]+=\"", r"javascript:"):
            offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert not offenders


@pytest.mark.parametrize("path", PAGES)
def test_signed_in_pages_are_not_stored(path, supervisor, login):
    response = login(supervisor).get(path)
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_api_answers_are_not_stored(officer, api):
    assert "no-store" in api(officer).get("/api/messages/inbox").headers.get("Cache-Control", "")


def test_hsts_on_https_behind_the_proxy(settings, officer, login):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    secure = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in Client().get("/login/").headers  # plain HTTP: never


def _setting(name: str, **environ: str) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("BORDERLINK_")}
    env.update(environ, PYTHONPATH=str(TEMPLATES.parents[1]))
    code = f"import borderlink.settings as s; print(s.{name})"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_hsts_is_on_for_a_production_node_and_off_in_development():
    production = {"BORDERLINK_SECRET_KEY": "x" * 40, "BORDERLINK_BEHIND_TLS_PROXY": "true"}
    assert _setting("SECURE_HSTS_SECONDS", **production) == "31536000"
    assert _setting("SECURE_HSTS_SECONDS", BORDERLINK_DEBUG="true") == "0"


def test_a_locked_accounts_tokens_stop_working(officer, api):
    client = api(officer)
    assert client.get("/api/messages/inbox").status_code == 200
    User.objects.filter(pk=officer.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=10))
    assert client.get("/api/messages/inbox").status_code == 401
    User.objects.filter(pk=officer.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/messages/inbox").status_code == 200


def test_a_deactivated_accounts_tokens_stop_working(officer, api):
    client = api(officer)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get("/api/messages/inbox").status_code == 401
