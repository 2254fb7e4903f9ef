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

    held = Meeting.objects.get(kind="regular")
    assert held.state == "held" and held.minutes_final_at and held.decisions.count() == 1
    assert held.minutes.filter(state="approved").count() == 2 and held.delegates.count() == 3
    overdue = ActionItem.objects.get(owner_side="invited")
    assert overdue.state == "open" and overdue.reminded_at and overdue.escalated_at
    assert Meeting.objects.get(kind="ad_hoc").state == "proposed"
    call_command("check_pass", "SVK-2026-0002", "--user", "vn.officer", "--country", "LA", "--gate", "Lao Bảo")
    assert "revoked" in capsys.readouterr().out
