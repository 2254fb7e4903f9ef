"""The demo's plans content, written through the services on one node hosting every country: the Viet Nam–Cambodia
plan of the current year (by the node's clock) signed with a dozen items, half on track and one late; the conference
rotation up to this year; one training exchange. Nothing here depends on the calendar year the suite runs in."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import call_command

from borderlink.core import clock
from borderlink.plans import conferences, demo, indicators
from borderlink.plans.models import Conference, Plan, PlanState, Training

pytestmark = pytest.mark.django_db


def test_demo_plans_content(capsys):
    call_command("load_demo")
    call_command("load_demo")  # again: nothing twice
    year = clock.year()
    plan = Plan.objects.get(title=demo.title())
    assert plan.state == PlanState.SIGNED and plan.year == year and plan.title.endswith(str(year))
    assert {plan.proposing_unit.country_id, plan.partner_unit.country_id} == {"VN", "KH"}
    # "On track" is pro rata over the elapsed part of the year and "late" is past the due date, so the outcome
    # depends on the day: the demo is judged as of a fixed day of its year (due dates are 15 December or earlier).
    results = indicators.evaluate_plan(plan, today=datetime.date(year, 12, 15))
    assert len(results) == 12
    on_track = [r for r in results if r.on_track]
    late = [r for r in results if r.late]
    assert len(on_track) == 6, [(r.kind, r.value, r.target, r.on_track) for r in results]
    assert len(late) == 1 and late[0].kind == "fugitives_handed_over"
    rotation = [(y, host) for y, host, *_ in demo.rotation(year)]
    assert rotation[:3] == [(2024, "VN"), (2025, "KH"), (2026, "LA")] and rotation[-1][0] == year
    for (y, before), (next_year, after) in itertools.pairwise(rotation):  # then on by the rotation
        assert next_year == y + 1
        assert conferences.ROTATION.index(after) == (conferences.ROTATION.index(before) + 1) % len(conferences.ROTATION)
    window = [(y, host) for y, host in rotation if y > year - conferences.YEARS_WINDOW]  # what the service accepts
    assert [(c.year, c.host_id) for c in Conference.objects.order_by("year")] == window
    if year < 2024 + conferences.YEARS_WINDOW:
        assert Conference.objects.get(year=2024).place == "Đà Nẵng"
    assert Conference.objects.get(year=year).points.get().items.count() == 2
    assert not any(c.points.exists() for c in Conference.objects.exclude(year=year))
    assert Training.objects.count() == 1
    call_command("demo_plans")  # what scripts/demo.sh runs on each node: here every step is already taken
    assert "nothing to do" in capsys.readouterr().out
