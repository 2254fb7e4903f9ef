"""The plan's agreement on one node (both sides hosted here): proposal, comments, counter-proposal, four-eyes
approvals, the signed plan fixed, an amendment after signing that keeps both versions; progress by the side
that owns an item; bad inputs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from borderlink.audit.models import AuditEvent
from borderlink.plans import services
from borderlink.plans.models import Item, PlanState, PlanVersion, Progress
from tests.plans.helpers import YEAR, item, propose, sign


def test_proposal_counter_and_four_eyes_signing(people):
    plan = propose(people)
    assert plan.state == PlanState.PROPOSED and plan.reference.startswith(f"VN-KH/{YEAR}/")
    assert plan.items.filter(in_force=True).count() == 2
    services.comment(people.kh_planner, plan.pk, "Please add a target for cyber fraud.")
    items = [dict(i) for i in plan.current_version.items] + [item(area="cyber_fraud", activity="Joint cases on scam compounds.",
                                                                  indicator="cases_opened", target="3")]
    v2 = services.new_version(people.kh_planner, plan.pk, items, text="Added cyber fraud.")
    plan.refresh_from_db()
    assert plan.state == PlanState.COUNTERED and v2.number == 2 and plan.items.filter(in_force=True).count() == 3
    with pytest.raises(Http404):  # a planner who is not leadership does not approve
        services.approve(people.kh_planner, plan.pk, "Minister of Interior")
    with pytest.raises(ValidationError):  # four eyes: the author of the version does not approve it
        people.kh_planner.is_supervisor = True
        people.kh_planner.save()
        services.approve(people.kh_planner, plan.pk, "Minister of Interior")
    signed = sign(people, plan)
    assert signed.state == PlanState.SIGNED and signed.signed_version_id == v2.pk
    assert signed.signed_on is not None and {s["side"] for s in signed.signatories} == {"proposing", "partner"}
    assert AuditEvent.objects.filter(action="plans.plan.approved_partner").exists()
    with pytest.raises(ValidationError):  # fixed: no new version except as an amendment with a reason
        services.new_version(people.vn_planner, plan.pk, items)


def test_amendment_after_signing_keeps_both_versions(people):
    plan = propose(people)
    sign(people, plan)
    signed = plan.current_version
    items = [dict(i) for i in signed.items]
    items[0]["target"] = "6"
    amendment = services.new_version(people.vn_planner, plan.pk, items, reason="Two more fugitives located in March.")
    plan.refresh_from_db()
    assert plan.state == PlanState.PROPOSED and plan.signed_version_id == signed.pk
    assert Item.objects.get(pk=items[0]["id"]).target == 4  # the signed version stays in force
    services.approve(people.vn_leader, plan.pk, "Minister of Public Security")
    services.approve(people.kh_leader, plan.pk, "Minister of Interior")
    plan.refresh_from_db()
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2] and versions[0].signed_at and versions[1].signed_at
    assert versions[0].items[0]["target"] == "4.00" and versions[1].items[0]["target"] == "6.00"
    assert versions[1].reason == "Two more fugitives located in March."
    assert plan.signed_version_id == amendment.pk and Item.objects.get(pk=items[0]["id"]).target == 6


def test_amendment_needs_a_reason(people):
    plan = propose(people)
    sign(people, plan)
    with pytest.raises(ValidationError) as caught:
        services.new_version(people.vn_planner, plan.pk, plan.current_version.items)
    assert "reason" in caught.value.message_dict


def test_due_date_outside_the_plans_year_is_refused(people):
    with pytest.raises(ValidationError) as caught:
        propose(people, items=[item(due_date=f"{YEAR + 1}-01-10")])
    assert any(str(YEAR) in m for m in caught.value.message_dict["items"])
    assert not PlanVersion.objects.exists()


def test_computed_indicator_needs_a_numeric_target(people):
    with pytest.raises(ValidationError) as caught:
        propose(people, items=[item(target="most of them")])
    assert "number" in " ".join(caught.value.message_dict["items"])
    with pytest.raises(ValidationError):
        propose(people, items=[item(indicator="verification_on_time", target="")])
    # a hand-reported indicator may state its target in words
    assert propose(people, items=[item(indicator="reported", target="", target_text="A joint manual")]).pk


@pytest.mark.parametrize("bad", [
    {"year": 1999}, {"title": ""}, {"partner_unit": "VN-TN"}, {"partner_unit": "NOPE"},
    {"kind": "trilateral"}, {"kind": "bilateral", "third_country": "LA"}, {"kind": "quadrilateral"},
    {"items": [item(area="politics")]}, {"items": [item(lead_partner="VN-TN")]}, {"items": [item(owner_side="x")]},
    {"items": [item(indicator="victims_returned")]}, {"items": [item(due_date="soon")]},
    {"items": [item(indicator="verification_on_time", target="150")]},
])
def test_bad_plan_inputs_are_field_errors(people, bad):
    with pytest.raises(ValidationError):
        propose(people, **bad)


def test_each_side_reports_only_its_own_items(people):
    plan = propose(people)
    fugitives, drugs = plan.items.order_by("position")
    with pytest.raises(ValidationError):  # before signing there is nothing to report on
        services.report_progress(people.vn_planner, fugitives.pk, services.ProgressInput(status="in_progress"))
    sign(people, plan)
    services.report_progress(people.vn_planner, fugitives.pk, services.ProgressInput(status="in_progress", note="Two located."))
    with pytest.raises(Http404):
        services.report_progress(people.vn_planner, drugs.pk, services.ProgressInput(status="done"))
    with pytest.raises(ValidationError):  # a computed indicator takes no reported value
        services.report_progress(people.vn_planner, fugitives.pk, services.ProgressInput(status="in_progress", value="3"))
    with pytest.raises(ValidationError):
        services.report_progress(people.kh_planner, drugs.pk, services.ProgressInput(status="in_progress", value="lots"))
    services.report_progress(people.kh_planner, drugs.pk, services.ProgressInput(status="in_progress", value="7"))
    assert Item.objects.get(pk=drugs.pk).reported_value == 7
    assert Progress.objects.filter(item=drugs, side="partner").count() == 1


def test_outsiders_get_404(people, officer, org):
    plan = propose(people)
    for user in (officer, people.la_planner):  # an officer without the capability; a planner of a third country
        with pytest.raises(Http404):
            services.comment(user, plan.pk, "hello")
    with pytest.raises(Http404):
        services.comment(people.vn_planner, "not-a-uuid", "hello")
    assert AuditEvent.objects.filter(action="plans.access_denied").count() == 3


def test_reference_counts_per_year(people):
    first, second = propose(people), propose(people)
    assert first.reference != second.reference
    assert first.year == second.year == YEAR and first.reference.startswith(f"VN-KH/{YEAR}/")
