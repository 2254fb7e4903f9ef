"""Steps of the plan's agreement that cross on the way, played on each node's copy in one test database: the
partner has approved version 1 and then counter-proposes version 2, while the proposing side's leadership approves
version 1 (which signs it). The approval prevails on both nodes: the plan is signed with version 1 on both, and the
counter-proposal only joins the timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils import timezone

from borderlink import workflow
from borderlink.plans import services
from borderlink.plans.models import Plan, PlanEvent, PlanState
from borderlink.plans.workflow import PLAN
from tests.plans.helpers import propose


@dataclass
class Peer:
    node_id: str
    country_id: str


def _partner_approved(people):
    plan = propose(people)
    services.approve(people.kh_leader, plan.pk, "Minister of Interior")
    return Plan.objects.get(pk=plan.pk)


def test_on_the_proposing_node_the_approval_prevails_over_a_crossing_counter(people):
    plan = _partner_approved(people)
    v1 = plan.current_version
    services.approve(people.vn_leader, plan.pk, "Minister of Public Security")  # signs version 1 here
    counter = workflow.Incoming(
        id=uuid.uuid4(), at=timezone.now(), action="countered", side="partner", from_state="proposed",
        actor_name="Vanna Sok", actor_unit="KH-SVR", text="Five, not four.",
        data={"version": {"id": str(uuid.uuid4()), "number": 2, "items": [dict(i, target="5") for i in v1.items]}})
    event = workflow.apply_peer_step(PLAN, plan.pk, counter, Peer("test-kh", "KH"))
    plan.refresh_from_db()
    assert event is not None and PlanEvent.objects.filter(pk=counter.id, action="countered").exists()
    assert plan.state == PlanState.SIGNED and plan.signed_version_id == v1.pk and plan.versions.count() == 1
    assert plan.items.first().target == 4


def test_on_the_partner_node_the_crossing_approval_signs_the_approved_version(people):
    plan = _partner_approved(people)
    v1 = plan.current_version
    Plan.objects.filter(pk=plan.pk).update(origin_node="test-vn")  # this is Cambodia's copy of Viet Nam's plan
    PlanEvent.objects.filter(plan=plan, action="proposed").update(origin_node="test-vn")
    services.new_version(people.kh_planner, plan.pk, [dict(i, target="5") for i in v1.items])
    assert Plan.objects.get(pk=plan.pk).state == PlanState.COUNTERED
    approval = workflow.Incoming(
        id=uuid.uuid4(), at=timezone.now(), action="approved_proposing", side="proposing", from_state="proposed",
        actor_name="Quang Nguyễn Văn", actor_unit="VN-QT", text="",
        data={"version": str(v1.pk), "signatory": "Minister of Public Security", "approved_by": "Quang"})
    workflow.apply_peer_step(PLAN, plan.pk, approval, Peer("test-vn", "VN"))
    plan.refresh_from_db()
    assert plan.state == PlanState.SIGNED and plan.signed_version_id == v1.pk and plan.current_version_id == v1.pk
    assert plan.items.first().target == 4 and plan.versions.count() == 2  # the counter-proposal stays, unsigned


def test_a_peer_speaking_for_the_wrong_side_is_refused(people):
    import pytest
    from django.core.exceptions import ValidationError

    plan = _partner_approved(people)
    forged = workflow.Incoming(id=uuid.uuid4(), at=timezone.now(), action="approved_proposing", side="proposing",
                               from_state="proposed", actor_name="x", actor_unit="", text="",
                               data={"version": str(plan.current_version_id), "signatory": "x"})
    with pytest.raises(ValidationError):  # Cambodia's node cannot approve for Viet Nam
        workflow.apply_peer_step(PLAN, plan.pk, forged, Peer("test-kh", "KH"))
    assert Plan.objects.get(pk=plan.pk).state == PlanState.PROPOSED
