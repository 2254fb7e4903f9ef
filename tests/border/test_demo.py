"""The demo's border content, written through the services on one node hosting every country."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from borderlink.audit.models import AuditEvent
from borderlink.border.models import BorderIncident, BorderPass

pytestmark = pytest.mark.django_db


def test_demo_border_content(capsys):
    call_command("load_demo")
    call_command("load_demo")  # again: nothing twice
    incidents = BorderIncident.objects.all()
    assert incidents.count() == 6 and len({i.kind for i in incidents}) >= 5
    blocked = incidents.get(refused_outcome="returned")
    assert blocked.outcome == "referred_protection" and blocked.asylum_sought
    assert incidents.filter(child_flagged=True).count() == 1
    assert BorderPass.objects.filter(revoked_at__isnull=False).count() == 1
    checked = AuditEvent.objects.get(action="border.pass.checked")
    assert checked.data["status"] == "valid" and checked.actor_username == "vn.officer"
    from borderlink.border.models import ActionItem, Meeting

    held = Meeting.objects.get(kind="regular", frequency="")
    assert held.state == "held" and held.minutes_final_at and held.decisions.count() == 2
    assert set(held.decisions.values_list("side", flat=True)) == {"proposing", "invited"}
    assert set(held.action_items.values_list("side", flat=True)) == {"proposing", "invited"}
    assert held.minutes.filter(state="approved").count() == 2 and held.delegates.count() == 3
    overdue = ActionItem.objects.get(owner_side="invited", side="proposing", meeting=held)
    assert overdue.state == "open" and overdue.reminded_at and overdue.escalated_at
    assert Meeting.objects.get(kind="ad_hoc").state == "proposed"
    scheduled = Meeting.objects.filter(frequency="quarterly").order_by("occurrence")
    assert [(m.occurrence, m.host_country_id, m.state) for m in scheduled] == [(0, "VN", "accepted"), (1, "LA", "accepted")]
    call_command("check_pass", "SVK-2026-0002", "--user", "vn.officer", "--country", "LA", "--gate", "Lao Bảo")
    assert "revoked" in capsys.readouterr().out


def test_the_demo_meetings_unfold_step_by_step():
    """What scripts/demo.sh does across two nodes, on one node serving both: the schedule proposes, Laos accepts,
    the first meeting is held once it has started, and both sides record minutes, decisions and action items."""
    import datetime

    from django.utils import timezone

    from borderlink.border import demo
    from borderlink.core import demo_data
    from borderlink.core.reference_data import load_reference

    load_reference()
    demo_data.load_units()
    demo_data.load_users()
    now = timezone.now()
    assert demo.advance(now) > 0
    assert demo.summary()["scheduled"] == 2 and demo.summary()["held"] == 0  # the first has not started yet
    later = now + datetime.timedelta(minutes=1)
    for _ in range(3):
        demo.advance(later)
    assert demo.advance(later) == 0  # nothing left: reruns take no step twice
    summary = demo.summary()
    assert summary == {"scheduled": 2, "held": 1, "approved_minutes": 2, "decisions_by_side": ["invited", "proposing"],
                       "items_by_side": ["invited", "proposing"]}
    from borderlink.border.models import ActionItem

    assert set(ActionItem.objects.values_list("state", flat=True)) == {"done", "in_progress"}
