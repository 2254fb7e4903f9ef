"""The pages added after issue 12's check of the main pages (border incidents, liaison meetings, victims, joint
cases, plans, the year-end review), in Lao and in Khmer, on the demo data: nothing loaded from outside the node,
ids unique, no serious or critical accessibility violation (axe-core), and a screenshot of each (the viewport)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from borderlink.accounts.models import User

from .helpers import page_problems

pytestmark = pytest.mark.django_db(transaction=True)

PREFIX = {"lo": "la", "km": "kh"}


def newer_pages(language: str) -> list[tuple[str, str, str]]:
    """(name, user, path) of each page, seen by the officer, the victim-protection officer and the planner of the
    country whose language it is. A page about one item is listed when the demo data gives that country one to see."""
    from borderlink.border.access import visible_incidents
    from borderlink.border.meeting_access import visible_meetings
    from borderlink.cases.access import visible_cases as visible_joint_cases
    from borderlink.plans.access import visible_plans
    from borderlink.victims.access import visible_cases as visible_victim_cases

    prefix = PREFIX[language]
    officer, protection, planner = (f"{prefix}.{role}" for role in ("officer", "protection", "planner"))

    def user(name: str) -> User:
        return User.objects.get(username=name)

    pages = [("border-incidents", officer, "/border/")]
    incident = visible_incidents(user(officer)).order_by("occurred_at").last()
    if incident is not None:
        pages.append(("border-incident", officer, f"/border/{incident.pk}/"))
    pages += [("border-incident-new", officer, "/border/new/"), ("border-pairs", officer, "/border/pairs/"),
              ("meetings", officer, "/border/meetings/")]
    meeting = visible_meetings(user(officer)).filter(kind="regular", frequency="").first()
    if meeting is not None:
        pages += [("meeting", officer, f"/border/meetings/{meeting.pk}/"),
                  ("meeting-print", officer, f"/border/meetings/{meeting.pk}/print/")]
    proposed = visible_meetings(user(officer)).filter(state="proposed").first()
    if proposed is not None:  # the invited side's answer form, besides the page's other forms
        pages.append(("meeting-proposed", officer, f"/border/meetings/{proposed.pk}/"))
    pages.append(("victims", protection, "/victims/"))
    victim = visible_victim_cases(user(protection)).filter(state="returned").first()
    if victim is not None:
        pages.append(("victim", protection, f"/victims/{victim.pk}/"))
    pages += [("victims-statistics", protection, "/victims/statistics/"), ("cases", officer, "/cases/")]
    case = visible_joint_cases(user(officer)).first()
    if case is not None:
        pages += [("case", officer, f"/cases/{case.pk}/"), ("case-graph", officer, f"/cases/{case.pk}/graph/")]
    pages.append(("plans", planner, "/plans/"))
    plan = visible_plans(user(planner)).first()
    if plan is not None:
        pages += [("plan", planner, f"/plans/{plan.pk}/"), ("plan-dashboard", planner, f"/plans/{plan.pk}/dashboard/")]
    pages.append(("review", planner, f"/review/?year={timezone.localdate().year}"))
    return pages


@pytest.mark.parametrize("language", ["lo", "km"])
def test_newer_pages_are_self_contained_unique_and_accessible(browser, live_server, screenshot_dir: Path, language: str):
    call_command("load_demo")
    pages = newer_pages(language)
    # the demo data gives each country an incident and a victim case to look at; the held liaison meeting is
    # Quảng Trị's with Savannakhet, the joint case and the plan are Viet Nam's with Cambodia
    expected = {"border-incident", "victim"} | ({"meeting", "meeting-proposed"} if language == "lo" else {"case", "plan"})
    assert expected <= {name for name, _user, _path in pages}, pages
    problems = page_problems(browser, live_server.url, pages, language, screenshot_dir)
    assert not problems, "\n".join(problems)
