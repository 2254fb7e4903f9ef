"""Who may see which victim case (DESIGN.md safeguard 3).

Victim-protection officers of the two countries involved (the country where the victim was found and the
home country), and the supervisors of the finding unit who approve overrides. Investigators of the finding
country see only the exploitation facts, without identity, and only when the victim consented to that
(`investigation_facts` in services). Everyone else: 404, and the attempt is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.victims.models import VictimCase

FINDING = "finding"
HOME = "home"


def may_protect(user: Any) -> bool:
    """A victim-protection officer of a unit."""
    return (getattr(user, "is_authenticated", False) and user.unit_id is not None
            and user.has_capability("victim_protection"))


def visible_cases(user: Any) -> QuerySet[VictimCase]:
    """Cases of the user's country (found there, or nationals of it) for victim-protection officers; the
    finding unit's own cases for its supervisors. Nothing for anyone else."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return VictimCase.objects.none()
    country = user.unit.country_id
    scope = Q(pk__in=[])
    if user.has_capability("victim_protection"):
        scope |= Q(finding_country_id=country) | Q(home_country_id=country)
    if user.has_capability("supervisor"):
        scope |= Q(finding_unit_id=user.unit_id)
    return VictimCase.objects.filter(scope)


def get_case_for_user(user: Any, case_id: Any, request: HttpRequest | None = None) -> VictimCase:
    """The case, or Http404 (audited) for anyone outside `visible_cases`."""
    try:
        parsed = uuid.UUID(str(case_id))
    except (ValueError, TypeError):
        parsed = None
    case = (visible_cases(user).select_related("person", "finding_unit", "gate").filter(pk=parsed).first()
            if parsed else None)
    if case is None:
        record(user if getattr(user, "is_authenticated", False) else None, "victims.case.access_denied",
               object_type="victim_case", object_id=str(case_id)[:64], request=request)
        raise Http404("No such case.")
    return case


def side_of(user: Any, case: VictimCase) -> str | None:
    """The side a victim-protection officer acts for: the finding country's officers (on the owner node) or
    the home country's (on the copy); the finding unit's supervisors act for the finding side (overrides;
    the services let them take no other step)."""
    if is_approving_supervisor(user, case):
        return FINDING
    if not may_protect(user):
        return None
    country = user.unit.country_id
    if country == case.finding_country_id:
        return FINDING
    if country == case.home_country_id:
        return HOME
    return None


def is_approving_supervisor(user: Any, case: VictimCase) -> bool:
    return (getattr(user, "is_authenticated", False) and user.has_capability("supervisor")
            and user.unit_id == case.finding_unit_id and case.origin_node == "")
