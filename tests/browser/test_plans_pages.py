"""Every plans page in Lao and Khmer (the demo's Cambodian planner, and leadership for the approval form):
nothing loaded from outside the node, ids unique, no serious or critical accessibility violation (axe-core),
and a full-page screenshot of each."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from .helpers import axe_violations, duplicate_ids, open_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["lo", "km"])
def test_plans_pages_are_self_contained_unique_and_accessible(browser, live_server, screenshot_dir: Path, language: str):
    from borderlink.plans.demo import title
    from borderlink.plans.models import Plan

    call_command("load_demo")
    plan = Plan.objects.get(title=title())
    item = plan.items.filter(owner_side="partner", indicator="reported").first()
    pages = [("plans", "/plans/"), ("plan", f"/plans/{plan.pk}/"), ("plan-new", "/plans/new/"),
             ("plan-version", f"/plans/{plan.pk}/version/"), ("plan-dashboard", f"/plans/{plan.pk}/dashboard/"),
             ("plan-sources", f"/plans/items/{item.pk}/sources/"), ("conferences", "/plans/conferences/"),
             ("visits", "/plans/visits/"), ("training", "/plans/training/")]
    session = open_session(browser, live_server.url, "kh.planner", language)
    problems: list[str] = []
    try:
        page = session.page  # type: ignore[attr-defined]
        for name, path in pages:
            response = page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            if response.status != 200:
                problems.append(f"{name}: {response.status}")
            page.screenshot(path=str(screenshot_dir / f"page-{name}-{language}.png"), full_page=True)
            if session.outside:
                problems.append(f"{name}: loaded from outside the node: {session.outside}")
            duplicates = duplicate_ids(page)
            if duplicates:
                problems.append(f"{name}: ids used twice: {duplicates}")
            problems.extend(f"{name}: {v}" for v in axe_violations(page))
    finally:
        session.close()
    assert not problems, "\n".join(problems)
