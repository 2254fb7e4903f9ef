"""The demo's plans content, written through the services on one node hosting every country: the 2026 Viet
Nam–Cambodia plan signed with a dozen items, half on track and one late; the conference rotation; one training
exchange."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from borderlink.plans import indicators
from borderlink.plans.demo import TITLE
from borderlink.plans.models import Conference, Plan, PlanState, Training

pytestmark = pytest.mark.django_db


def test_demo_plans_content(capsys):
    call_command("load_demo")
    call_command("load_demo")  # again: nothing twice
    plan = Plan.objects.get(title=TITLE)
    assert plan.state == PlanState.SIGNED and plan.year == 2026
    assert {plan.proposing_unit.country_id, plan.partner_unit.country_id} == {"VN", "KH"}
    results = indicators.evaluate_plan(plan)
    assert len(results) == 12
    on_track = [r for r in results if r.on_track]
    late = [r for r in results if r.late]
    assert len(on_track) == 6, [(r.kind, r.value, r.target, r.on_track) for r in results]
    assert len(late) == 1 and late[0].kind == "fugitives_handed_over"
    assert [(c.year, c.host_id) for c in Conference.objects.order_by("year")] == [(2024, "VN"), (2025, "KH"), (2026, "LA")]
    assert Conference.objects.get(year=2024).place == "Đà Nẵng"
    assert Conference.objects.get(year=2026).points.get().items.count() == 2
    assert Training.objects.count() == 1
    call_command("demo_plans")  # what scripts/demo.sh runs on each node: here every step is already taken
    assert "nothing to do" in capsys.readouterr().out
