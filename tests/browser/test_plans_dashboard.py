"""The plans dashboard in a real browser, from the demo data: every item with its bar against the target, the
late one listed, the trend by month; in Vietnamese for Viet Nam's planner and in Khmer for Cambodia's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from .helpers import open_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("language", "username", "late_word"), [("vi", "vn.planner", "trễ hạn"),
                                                                 ("km", "kh.planner", "យឺតពេល")])
def test_dashboard_of_the_demo_plan(browser, live_server, screenshot_dir: Path, language, username, late_word):
    from borderlink.plans.demo import title
    from borderlink.plans.models import Plan

    call_command("load_demo")
    plan = Plan.objects.get(title=title())
    base = live_server.url
    session = open_session(browser, base, username, language)  # signs in; blocks and records any request off the node
    page = session.page
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert page.url == f"{base}/plans/"  # a planner lands on the plans
    page.click(f"a[href='/plans/{plan.pk}/dashboard/']")
    page.wait_for_url(f"{base}/plans/{plan.pk}/dashboard/")  # counting rows does not wait for the navigation
    page.wait_for_load_state()
    rows = page.locator("table.dashboard tbody tr")
    assert rows.count() == 12
    assert page.locator("svg.bar").count() == 12 and page.locator("svg.trend rect").count() == 12 * 12
    assert page.locator(".badge.ok").count() == 6
    late = page.locator(".card.state-rejected li")
    assert late.count() == 1 and late_word in page.locator("table.dashboard").inner_text()
    assert not session.outside
    page.screenshot(path=str(screenshot_dir / f"plans-dashboard-{language}.png"), full_page=True)
    session.close()
