"""Every main page, in Lao, Khmer, Vietnamese and English: nothing loaded from
outside the node, ids unique, no serious or critical accessibility violation
(axe-core), no English left in the Lao and Khmer interface strings checked, and a
full-page screenshot of each."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from borderlink.assistance.models import Request
from borderlink.custody.models import CustodyRecord
from borderlink.exchange.models import Message
from borderlink.notices.models import Notice
from borderlink.persons.models import Person

from .helpers import LANGUAGES, axe_violations, draft_notice, duplicate_ids, open_session

pytestmark = pytest.mark.django_db(transaction=True)


def main_pages() -> list[tuple[str, str, str]]:
    """(name, user, path) of each main page, on the single-node demo data, seen from Laos."""
    message = Message.objects.filter(recipients__unit__code="LA-SVK.PP").first()
    notice = Notice.objects.filter(issuing_unit__code="LA-SVK.PP").first()
    person = notice.subject if notice else Person.objects.first()
    request = Request.objects.filter(requested_unit__code="LA-SVK.PP").first()
    custody = CustodyRecord.objects.first()
    draft = draft_notice()
    assert message and notice and person and request and custody
    return [
        ("inbox", "la.officer", "/messages/"),
        ("sent", "la.officer", "/messages/outbox/"),
        ("compose", "la.officer", "/messages/compose/"),
        ("message", "la.officer", f"/messages/{message.pk}/"),
        ("approvals", "la.supervisor", "/messages/approvals/"),
        ("notices", "la.officer", "/notices/"),
        ("notice", "la.officer", f"/notices/{notice.pk}/"),
        ("notice-new", "la.officer", "/notices/new/"),
        ("notice-edit", "la.officer", f"/notices/{draft.pk}/edit/"),
        ("search", "la.officer", "/notices/search/?q=Lo+Van+Thang"),
        ("hits", "la.officer", "/notices/hits/"),
        ("persons", "la.officer", "/persons/"),
        ("person", "la.officer", f"/persons/{person.pk}/"),
        ("person-new", "la.officer", "/persons/new/"),
        ("person-edit", "la.officer", f"/persons/{person.pk}/edit/"),
        ("requests", "la.officer", "/requests/"),
        ("request", "la.officer", f"/requests/{request.pk}/"),
        ("request-new", "la.officer", "/requests/new/"),
        ("custody", "la.officer", "/custody/"),
        ("custody-record", "la.officer", f"/custody/{custody.pk}/"),
        ("custody-new", "la.officer", "/custody/new/"),
        ("account", "la.officer", "/account/"),
        ("audit", "auditor", "/audit/"),
        ("api-docs", "la.officer", "/api/docs"),
        ("not-found", "la.officer", "/notices/00000000-0000-0000-0000-000000000000/"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_main_page_is_self_contained_unique_and_accessible(browser, live_server, screenshot_dir: Path, language: str):
    call_command("load_demo")
    sessions: dict[str, object] = {}
    problems: list[str] = []
    try:
        for name, username, path in main_pages():
            if username not in sessions:
                sessions[username] = open_session(browser, live_server.url, username, language)
            session = sessions[username]
            page = session.page  # type: ignore[attr-defined]
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            if name == "api-docs":
                try:
                    page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)
                except Exception:
                    problems.append("api-docs: Swagger UI did not draw the operations")
            page.screenshot(path=str(screenshot_dir / f"page-{name}-{language}.png"), full_page=True)
            if session.outside:  # type: ignore[attr-defined]
                problems.append(f"{name}: loaded from outside the node: {session.outside}")  # type: ignore[attr-defined]
                session.outside.clear()  # type: ignore[attr-defined]
            if name == "api-docs":
                continue  # Swagger UI's own markup is not ours to fix
            duplicates = duplicate_ids(page)
            if duplicates:
                problems.append(f"{name}: ids used twice: {duplicates}")
            problems.extend(f"{name}: {v}" for v in axe_violations(page))
    finally:
        for session in sessions.values():
            session.close()  # type: ignore[attr-defined]
    assert not problems, "\n".join(problems)
