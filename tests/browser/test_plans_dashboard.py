"""The plans dashboard in a real browser, from the demo data: every item with its bar against the target, the
late one listed, the trend by month; in Vietnamese for Viet Nam's planner and in Khmer for Cambodia's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from .helpers import code_for
from .test_message_flow import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_planner(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/login/code/")
    page.fill("input[name=token]", code_for(username))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/plans/")  # a planner lands on the plans


@pytest.mark.parametrize(("language", "username", "late_word"), [("vi", "vn.planner", "trễ hạn"),
                                                                 ("km", "kh.planner", "យឺតពេល")])
def test_dashboard_of_the_demo_plan(browser, live_server, screenshot_dir: Path, language, username, late_word):
    from borderlink.plans.demo import TITLE
    from borderlink.plans.models import Plan

    call_command("load_demo")
    plan = Plan.objects.get(title=TITLE)
    base = live_server.url
    context = browser.new_context(locale=language, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    sign_in_planner(page, base, username)
    page.click(f"a[href='/plans/{plan.pk}/dashboard/']")
    rows = page.locator("table.dashboard tbody tr")
    assert rows.count() == 12
    assert page.locator("svg.bar").count() == 12 and page.locator("svg.trend rect").count() == 12 * 12
    assert page.locator(".badge.ok").count() == 6
    late = page.locator(".card.state-rejected li")
    assert late.count() == 1 and late_word in page.locator("table.dashboard").inner_text()
    assert not outside
    page.screenshot(path=str(screenshot_dir / f"plans-dashboard-{language}.png"), full_page=True)
    context.close()
