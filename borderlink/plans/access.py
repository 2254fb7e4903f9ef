"""Who may see which plan, and which side a user acts for.

Planners (capability `planner`) of a plan's countries see it and act for their country's side; leadership is a
planner who is also a supervisor, and only leadership approves a version (four eyes: not its author). A
trilateral plan's third country is a party like the partner. Nobody
else sees plans, conferences, visits or training exchanges: 404, and the refusal is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.core.prepared import Prepared
from borderlink.plans.models import PARTNER, PROPOSING, THIRD, Item, Plan


def may_plan(user: Any) -> bool:
    """A planner with a unit (the capability `planner`)."""
    return bool(getattr(user, "is_authenticated", False) and user.unit_id is not None and user.has_capability("planner"))


def is_leadership(user: Any) -> bool:
    """Leadership: a planner who is also a supervisor. Approves plan versions and records the conference."""
    return may_plan(user) and user.has_capability("supervisor")


def visible_plans(user: Any) -> QuerySet[Plan]:
    if not may_plan(user):
        return Plan.objects.none()
    country = user.unit.country_id
    return Plan.objects.filter(Q(proposing_unit__country_id=country) | Q(partner_unit__country_id=country)
                               | Q(third_country_id=country))


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


def _deny(user: Any, kind: str, object_id: Any, request: HttpRequest | None) -> Http404:
    record(user if getattr(user, "is_authenticated", False) else None, "plans.access_denied",
           object_type=kind, object_id=str(object_id)[:64], request=request)
    return Http404("Not found.")


# The plan as every plan view finds it, compiled once per process and reader shape (core.prepared; issue 19): the
# `visible_plans` rule runs in the statement with this reader's country bound on every call.
_PLAN_FOR_USER: Prepared[Plan] = Prepared(
    "plans.plan", Plan, lambda reader, plan_id: visible_plans(reader).select_related(
        "proposing_unit", "partner_unit", "third_country", "current_version", "signed_version").filter(pk=plan_id),
    args=[Plan._meta.pk])


def get_plan_for_user(user: Any, plan_id: Any, request: HttpRequest | None = None) -> Plan:
    """The plan `plan_id` (any text) if `user` may see it (`visible_plans`), its units, third country and current
    and signed versions read with it; else Http404, the refusal audited."""
    parsed = _uuid(plan_id)
    found = _PLAN_FOR_USER.first(user, parsed) if parsed else None
    if found is None:
        raise _deny(user, "plan", plan_id, request)
    return found


def get_item_for_user(user: Any, item_id: Any, request: HttpRequest | None = None) -> Item:
    parsed = _uuid(item_id)
    found = (Item.objects.select_related("plan__proposing_unit", "plan__partner_unit", "lead_proposing", "lead_partner")
             .filter(pk=parsed, plan__in=visible_plans(user)).first() if parsed else None)
    if found is None:
        raise _deny(user, "plan_item", item_id, request)
    return found


def side_of(user: Any, plan: Plan) -> str | None:
    """The side a planner acts for: their country's (the proposing side, the partner, or a trilateral plan's
    third country, a party like the partner)."""
    if not may_plan(user):
        return None
    country = user.unit.country_id
    if country == plan.proposing_unit.country_id:
        return PROPOSING
    if country == plan.partner_unit.country_id:
        return PARTNER
    if plan.third_country_id and country == plan.third_country_id:
        return THIRD
    return None


def require_planner(user: Any, request: HttpRequest | None = None, what: str = "plans") -> None:
    """404 (audited) for anyone who is not a planner."""
    if not may_plan(user):
        raise _deny(user, what, "-", request)
