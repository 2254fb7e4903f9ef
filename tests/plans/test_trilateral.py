"""A trilateral plan: the third country (Laos, of a Viet Nam–Cambodia plan) is a party like the partner. It
comments and counter-proposes, its leadership approves with four eyes, the plan is signed only once all three
have approved one version, and it reports progress on the items it owns (and only those). Each party's step goes
to both other parties' nodes; a node takes a relayed step only from the country of the step's side. Played here on
one node hosting the three countries, and on each node's copy for the steps that arrive from a peer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink import workflow
from borderlink.plans import access, services
from borderlink.plans.models import THIRD, Item, Plan, PlanEvent, PlanState
from borderlink.plans.workflow import PLAN, recipients
from tests.conftest import make_user
from tests.plans.helpers import YEAR, item


@dataclass
class Peer:
    node_id: str
    country_id: str


def three(**overrides):
    return item(**{"lead_third": "LA-SVK", **overrides})


def propose_trilateral(people, items=None):
    return services.propose_plan(people.vn_planner, services.PlanInput(
        year=YEAR, title=f"Trilateral plan {YEAR}", partner_unit="KH-SVR", kind="trilateral", third_country="LA",
        items=items or [three(), three(area="training", activity="Joint course on border checks.", indicator="reported",
                                      target="", target_text="One course", owner_side="third")]))


def test_the_third_country_takes_part_in_the_agreement_and_reports_its_items(people):
    la_leader = make_user("la.leader", people.org.la_unit, "planner", "supervisor", language="lo")
    plan = propose_trilateral(people)
    assert plan.sides == ("proposing", "partner", "third")
    assert access.side_of(people.la_planner, plan) == THIRD
    services.comment(people.la_planner, plan.pk, "ເຫັນດີ, ແຕ່ຂໍເພີ່ມຫຼັກສູດ.")
    items = [dict(i) for i in plan.current_version.items]
    items[1]["target_text"] = "Two courses"
    v2 = services.new_version(people.la_planner, plan.pk, items, text="Two courses, one in each country.")
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.state == PlanState.COUNTERED and plan.current_version_id == v2.pk and v2.side == THIRD
    v3 = services.new_version(people.vn_planner, plan.pk, items, text="Agreed.")  # the proposing side proposes again
    services.approve(people.vn_leader, plan.pk, "Minister of Public Security")
    plan = services.approve(people.kh_leader, plan.pk, "Minister of Interior")
    assert plan.state == PlanState.PROPOSED and plan.signed_version_id is None  # Laos has not approved yet
    with pytest.raises(Http404):
        services.approve(people.la_planner, plan.pk, "x")  # a planner is not leadership
    plan = services.approve(la_leader, plan.pk, "Minister of Public Security of Lao PDR", "General")
    assert plan.state == PlanState.SIGNED and plan.signed_version_id == v3.pk
    assert {s["side"] for s in plan.signatories} == {"proposing", "partner", "third"}

    course = Item.objects.get(plan=plan, owner_side=THIRD)
    assert course.lead_third.code == "LA-SVK" and course.target_text == "Two courses"
    with pytest.raises(Http404):  # Cambodia does not report Laos's item
        services.report_progress(people.kh_planner, course.pk, services.ProgressInput(status="done"))
    services.report_progress(people.la_planner, course.pk, services.ProgressInput(status="in_progress", value="1",
                                                                                   note="First course held."))
    course.refresh_from_db()
    assert course.status == "in_progress" and course.reported_value == 1
    assert PlanEvent.objects.filter(plan=plan, action="progress_third").count() == 1


def test_four_eyes_for_the_third_country_too(people):
    la_leader = make_user("la.leader", people.org.la_unit, "planner", "supervisor", language="lo")
    plan = propose_trilateral(people)
    services.new_version(la_leader, plan.pk, [dict(i) for i in plan.current_version.items])
    with pytest.raises(ValidationError) as refused:
        services.approve(la_leader, plan.pk, "Minister")
    assert "version" in refused.value.message_dict


def test_the_items_of_a_trilateral_plan_name_the_third_countrys_lead_unit(people):
    with pytest.raises(ValidationError) as refused:
        propose_trilateral(people, [item()])  # no lead unit of Laos
    assert refused.value.message_dict["items"]
    with pytest.raises(ValidationError):
        propose_trilateral(people, [three(lead_third="KH-SVR")])  # a Cambodian unit for Laos
    with pytest.raises(ValidationError):  # a bilateral plan has no third side
        services.propose_plan(people.vn_planner, services.PlanInput(
            year=YEAR, title="P", partner_unit="KH-SVR", items=[item(owner_side="third")]))
    assert not Plan.objects.exists()


def test_every_step_goes_to_both_other_parties(people):
    plan = propose_trilateral(people)
    assert recipients(plan, "proposing") == ["KH", "LA"]
    assert recipients(plan, "partner") == ["VN", "LA"]
    assert recipients(plan, "third") == ["VN", "KH"]
    bilateral = services.propose_plan(people.vn_planner, services.PlanInput(
        year=YEAR, title="P", partner_unit="KH-SVR", items=[item()]))
    assert recipients(bilateral, "partner") == ["VN"] and recipients(bilateral, "proposing") == ["KH"]
    assert access.side_of(people.la_planner, bilateral) is None
    with pytest.raises(Http404):
        access.get_plan_for_user(people.la_planner, bilateral.pk)


def _as_copy(plan, origin):
    """This database now plays the node of a party that received the plan from `origin`."""
    Plan.objects.filter(pk=plan.pk).update(origin_node=origin)
    PlanEvent.objects.filter(plan=plan).update(origin_node=origin)


def _counter(plan, side, target):
    return workflow.Incoming(
        id=uuid.uuid4(), at=timezone.now(), action="countered" if side == "partner" else "countered_third", side=side,
        from_state="proposed", actor_name="x", actor_unit="", text="",
        data={"version": {"id": str(uuid.uuid4()), "number": 2,
                          "items": [dict(i, target=target) for i in plan.current_version.items]}})


def test_on_the_third_countrys_node_the_partners_relayed_steps_apply_and_a_forged_one_is_refused(people):
    plan = propose_trilateral(people)
    _as_copy(plan, "test-vn")  # Laos's copy of Viet Nam's plan
    comment = workflow.Incoming(id=uuid.uuid4(), at=timezone.now(), action="comment_partner", side="partner",
                                from_state="proposed", actor_name="Vanna", actor_unit="KH-SVR", text="ចូលរួម។", data={})
    assert workflow.apply_peer_step(PLAN, plan.pk, comment, Peer("test-kh", "KH")) is not None
    forged = workflow.Incoming(id=uuid.uuid4(), at=timezone.now(), action="comment_third", side="third",
                               from_state="proposed", actor_name="x", actor_unit="", text="for Laos", data={})
    with pytest.raises(ValidationError):  # Cambodia's node does not speak for Laos
        workflow.apply_peer_step(PLAN, plan.pk, forged, Peer("test-kh", "KH"))
    with pytest.raises(ValidationError):  # nor Viet Nam's node, the owner, for Cambodia
        workflow.apply_peer_step(PLAN, plan.pk, _counter(plan, "partner", "9"), Peer("test-vn", "VN"))
    assert not PlanEvent.objects.filter(pk=forged.id).exists()


@pytest.mark.parametrize("order", [("partner", "third"), ("third", "partner")])
def test_two_counter_proposals_that_cross_settle_on_the_partners_on_every_node(people, order):
    """Cambodia and Laos counter-propose version 1 at once; on Viet Nam's node they arrive in either order, and
    the partner's version is the one in force either way (as on Cambodia's and Laos's nodes)."""
    plan = propose_trilateral(people)
    steps = {"partner": (_counter(plan, "partner", "5"), Peer("test-kh", "KH")),
             "third": (_counter(plan, "third", "7"), Peer("test-la", "LA"))}
    for side in order:
        incoming, peer = steps[side]
        workflow.apply_peer_step(PLAN, plan.pk, incoming, peer)
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.state == PlanState.COUNTERED
    assert plan.current_version.side == "partner" and Item.objects.filter(plan=plan).first().target == 5
    assert PlanEvent.objects.filter(plan=plan, action__in=["countered", "countered_third"]).count() == 2
