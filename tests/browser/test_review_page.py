"""A Lao planner opens the year-end review of the demo year with Cambodia... and a Khmer planner with Laos:
the page reads in their language, the bars draw, nothing loads from outside the node, no serious or critical
accessibility violation; the planner builds a PDF in the worker and downloads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from .helpers import axe_violations, duplicate_ids, open_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("username", "language", "other"), [("la.planner", "lo", "LA"), ("kh.planner", "km", "KH")])
def test_the_review_page_in_lao_and_khmer(browser, live_server, screenshot_dir: Path, username, language, other):
    call_command("load_demo")
    year = timezone.localdate().year
    session = open_session(browser, live_server.url, username, language)
    page = session.page
    page.goto(f"{live_server.url}/review/?year={year}&country={other}")
    main = page.inner_text("main")
    with translation.override(language):
        assert translation.gettext("Year-end review %(year)d") % {"year": year} in main
        assert translation.gettext("Messages exchanged, by priority") in main
    assert page.locator(".chart .bar").count() >= 12
    assert not duplicate_ids(page)
    assert not axe_violations(page), axe_violations(page)
    page.screenshot(path=str(screenshot_dir / f"40-review-{language}.png"), full_page=False)
    assert not session.outside, session.outside
    session.close()
