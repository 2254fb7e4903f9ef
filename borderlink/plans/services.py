"""Cooperation plans: proposing, commenting, new versions (counter-proposals, amendments), approvals with four
eyes on each side, progress reports with evidence.

Every step goes through `workflow.take` with the plan's table (plans/workflow.py): access (the user's side), the
state under a row lock, validation, the timeline, the audit event and the envelope to the other node. The
functions here find the plan through its access helper, check what only a person's step needs (leadership and
four eyes for an approval, the items' shape), and build the step's facts.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.core import clock
from borderlink.core.models import Country, Unit
from borderlink.core.text import clean_text
from borderlink.plans import access
from borderlink.plans.models import PROPOSING, Item, Plan, PlanEvent, PlanKind, PlanState, PlanVersion
from borderlink.plans.models import PlanAction as A
from borderlink.plans.workflow import AMEND, APPROVE, COMMENT, NEW_VERSION, PLAN, PROGRESS, check_items, record_progress

YEARS_BACK, YEARS_AHEAD = 1, 5


@dataclass
class PlanInput:
    """A new plan: kind, year, title, the partner ministry's unit (code), a trilateral plan's third country,
    and the items (dicts as `plans.workflow.check_items` reads them)."""

    year: int | None
    title: str
    partner_unit: str
    items: list[dict[str, Any]]
    kind: str = PlanKind.BILATERAL
    third_country: str = ""
    text: str = ""


@dataclass
class ProgressInput:
    status: str
    value: str = ""
    note: str = ""
    files: list[Any] = field(default_factory=list)  # checked files (exchange.attachments.CheckedFile)


def _require(user: Any, request: HttpRequest | None = None) -> None:
    access.require_planner(user, request)


def year_problem(year: Any, this_year: int) -> str:
    """What is wrong with a new plan's year, in the active language ("" when it is fine): not a number, before
    last year (a plan is agreed for its year, at the latest during it), or more than five years ahead."""
    if not isinstance(year, int) or isinstance(year, bool):
        return _("Give the year as a number, for example %(year)d.") % {"year": this_year + 1}
    if year < this_year - YEARS_BACK:
        return _("A plan for %(year)d is too old: a plan is drawn up for %(first)d or later.") % {
            "year": year, "first": this_year - YEARS_BACK}
    if year > this_year + YEARS_AHEAD:
        return _("A plan for %(year)d is too far ahead: a plan is drawn up at most %(n)d years ahead (up to "
                 "%(last)d).") % {"year": year, "n": YEARS_AHEAD, "last": this_year + YEARS_AHEAD}
    return ""


def propose_plan(user: Any, data: PlanInput, http_request: HttpRequest | None = None,
                 now: datetime.datetime | None = None) -> Plan:
    """Propose a plan to another country's ministry (version 1). Field errors: a year outside last year to five
    years ahead, no title, a partner unit not of another country, a trilateral plan without the third country
    (or a bilateral one with one), any item's problem (`check_items`: a due date outside the plan's year, a
    computed indicator without a numeric target, ...). The partner's node receives the plan at once."""
    _require(user, http_request)
    at = now or clock.now()
    errors: dict[str, list[str]] = {}
    mine = user.unit.country_id
    year = data.year
    if year_problem(year, at.year):
        errors["year"] = [year_problem(year, at.year)]
    title = clean_text(data.title or "").strip()
    if not title or len(title) > 300:
        errors["title"] = [_("Give the title (at most %(n)d characters).") % {"n": 300}]
    partner = Unit.objects.filter(code=str(data.partner_unit or "")[:60], is_active=True).exclude(country_id=mine).first()
    if partner is None:
        errors["partner_unit"] = [_("Choose a unit of another country.")]
    third: str | None = None
    if data.kind not in PlanKind.values:
        errors["kind"] = [_("Choose a value from the list.")]
    elif data.kind == PlanKind.TRILATERAL:
        third = data.third_country or None
        if (third is None or not Country.objects.filter(pk=third).exists() or third == mine
                or (partner is not None and third == partner.country_id)):
            errors["third_country"] = [_("Choose the third country.")]
    elif data.third_country:
        errors["third_country"] = [_("A bilateral plan has no third country.")]
    text = clean_text(data.text or "").strip()
    if errors:
        raise ValidationError(errors)
    if partner is None or not isinstance(year, int):  # reported above; narrows the types
        raise ValidationError({"partner_unit": [_("Choose a unit of another country.")]})
    plan = Plan(year=year, title=title, kind=data.kind, proposing_unit=user.unit, partner_unit=partner,
                third_country_id=third, created_by=user)
    check_items(plan, data.items)  # field errors before anything is written
    from borderlink.plans.federation import queue_opened

    with transaction.atomic():
        count = Plan.objects.filter(proposing_unit__country_id=mine, year=year).count() + 1
        plan.reference = f"{mine}-{partner.country_id}/{year}/P{count:02d}"
        plan.state = PlanState.PROPOSED
        plan.save()
        facts = workflow.Facts(text=text, data={"version": _version_data(plan, data.items, "", user)})
        checked = PLAN.validate(plan, A.PROPOSED, facts, at) if PLAN.validate else workflow.Checked()
        workflow.record_step(PLAN, plan, A.PROPOSED, PROPOSING, checked, at, actor=user, http_request=http_request,
                             send=False)
        PlanVersion.objects.filter(pk=checked.data["version"]["id"]).update(author=user)
        queue_opened(plan)
    return Plan.objects.get(pk=plan.pk)


def _version_data(plan: Plan, items: Any, reason: str, user: Any) -> dict[str, Any]:
    number = (PlanVersion.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    return {"id": str(uuid.uuid4()), "number": number, "reason": reason, "author_name": workflow.name_of(user),
            "items": items}


def comment(user: Any, plan_id: Any, text: str, http_request: HttpRequest | None = None,
            now: datetime.datetime | None = None) -> PlanEvent:
    """A comment on the plan by either side (at any stage); the text is required."""
    plan = access.get_plan_for_user(user, plan_id, http_request)
    side = access.side_of(user, plan)
    if side is None:
        raise Http404("No access.")
    return workflow.take(PLAN, user, plan, COMMENT[side], workflow.Facts(text=text or ""), http_request=http_request,
                         now=now)


def new_version(user: Any, plan_id: Any, items: list[dict[str, Any]], reason: str = "", text: str = "",
                http_request: HttpRequest | None = None, now: datetime.datetime | None = None) -> PlanVersion:
    """A new version of the plan's items: a counter-proposal (partner) or a new proposal (proposing side)
    while the plan is being agreed; an amendment, with its reason, once it is signed (the signed version stays
    in force until the amendment is signed). Items keep their ids across versions (an item given without an id
    is new). Field errors as `check_items`; "reason" for an amendment without one."""
    plan = access.get_plan_for_user(user, plan_id, http_request)
    side = access.side_of(user, plan)
    if side is None:
        raise Http404("No access.")
    action = AMEND[side] if plan.state == PlanState.SIGNED else NEW_VERSION[side]
    data = {"version": _version_data(plan, items, clean_text(reason or "").strip(), user)}
    with transaction.atomic():
        workflow.take(PLAN, user, plan, action, workflow.Facts(text=text or "", data=data), http_request=http_request,
                      now=now)
        PlanVersion.objects.filter(pk=data["version"]["id"]).update(author=user)
    return PlanVersion.objects.get(pk=data["version"]["id"])


def approve(user: Any, plan_id: Any, signatory: str, signatory_title: str = "", version_id: Any = None,
            http_request: HttpRequest | None = None, now: datetime.datetime | None = None) -> Plan:
    """Leadership of one side approves the current version (or `version_id`, which must be it), naming the
    side's signatory. Four eyes: leadership only (a planner who is a supervisor), and not the author of that
    version. Once both sides have approved one version, the plan is signed and fixed (`signed_on`, signatories)."""
    plan = access.get_plan_for_user(user, plan_id, http_request)
    side = access.side_of(user, plan)
    if side is None or not access.is_leadership(user):
        raise Http404("No access.")
    version = plan.current_version
    if version is None or (version_id is not None and str(version_id) != str(version.pk)):
        raise ValidationError({"version": [_("Only the current version can be approved.")]})
    if version.author_id == user.pk:
        raise ValidationError({"version": [_("Four eyes: the author of a version cannot approve it.")]})
    if getattr(version, f"approved_{side}_at") is not None:
        raise ValidationError({"version": [_("Your side has already approved this version.")]})
    data = {"version": str(version.pk), "signatory": signatory or "", "signatory_title": signatory_title or "",
            "approved_by": workflow.name_of(user)}
    workflow.take(PLAN, user, plan, APPROVE[side], workflow.Facts(data=data), http_request=http_request, now=now)
    return Plan.objects.get(pk=plan.pk)


def report_progress(user: Any, item_id: Any, data: ProgressInput, http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> Item:
    """The side that owns an item reports its progress: status, a value (hand-reported indicators only), a note
    (required to drop an item) and evidence files. The other side's items: 404. Crosses to the other node."""
    item = access.get_item_for_user(user, item_id, http_request)
    plan = item.plan
    side = access.side_of(user, plan)
    if side is None or side != item.owner_side:
        raise Http404("No access.")
    facts = workflow.Facts(data={"item": str(item.pk), "status": data.status, "value": data.value or "",
                                 "note": data.note or ""}, attachments=list(data.files))
    with transaction.atomic():
        event = workflow.take(PLAN, user, plan, PROGRESS[side], facts, http_request=http_request, now=now)
        record_progress(event)
    return Item.objects.get(pk=item.pk)


def timeline(plan: Plan) -> list[PlanEvent]:
    return list(plan.events.prefetch_related("attachments").order_by("at", "id"))
