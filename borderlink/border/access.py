"""Who may see which border incident and which border pass.

Province and gate officers see the incidents of their own province pairs: those their side reported, and those
the other side shared. Liaison officers see every incident of their country's borders. Victim-protection
officers see the incidents flagged to them (a child involved, or a return refused under non-refoulement).
A unit's passes are seen by that unit. Everyone else: 404, and the refusal is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.border.models import BorderIncident, BorderPass, IncidentCount, ProvincePair, Sharing
from borderlink.core.models import Unit
from borderlink.core.prepared import Prepared


def may_use_border(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.unit_id is not None and (
        user.can_exchange or user.has_capability("victim_protection"))


def may_report(user: Any) -> bool:
    """Officers of a border province's police, and liaison officers of the ministry."""
    return may_use_border(user) and user.can_exchange and (user.unit.province_id is not None or user.has_capability("liaison"))


def user_pairs(user: Any) -> QuerySet[ProvincePair]:
    """The pairs of the user's province; for a liaison officer every pair of the user's country."""
    if not may_use_border(user):
        return ProvincePair.objects.none()
    country = user.unit.country_id
    if user.has_capability("liaison") and user.can_exchange:
        return ProvincePair.objects.filter(Q(side_a__country_id=country) | Q(side_b__country_id=country))
    province = user.unit.province_id
    if province is None:
        return ProvincePair.objects.none()
    return ProvincePair.objects.filter(Q(side_a_id=province) | Q(side_b_id=province))


def user_pair_rows(user: Any) -> list[ProvincePair]:
    """`user_pairs` read once with both sides (for their names), in the pairs' order: the incidents list reads its
    filter's choices, its branches and most of its counts' names from these (issue 19: three reads before). A
    fixed-shape statement (`core.prepared`): the rule bound with this user's unit, country and province."""
    return _PAIR_ROWS.all(user)


_PAIR_ROWS: Prepared[ProvincePair] = Prepared(
    "border.pairs", ProvincePair, lambda reader: user_pairs(reader).select_related("side_a", "side_b"), args=[])


def _country_scope(country: str) -> Q:
    """Incidents our side reported, and those the other side shared with us. As subqueries on the units and pairs
    (each read once, hashed), not joins made for every incident (issue 19)."""
    ours = Q(reporting_unit_id__in=Unit.objects.filter(country_id=country).values("pk"))
    shared = Q(sharing=Sharing.SHARED) & Q(pair_id__in=ProvincePair.objects.filter(
        Q(side_a__country_id=country) | Q(side_b__country_id=country)).values("pk"))
    return ours | shared


def incident_scope(user: Any) -> Q | None:
    """The incidents the user may see, as a condition on the incident's reporting unit, pair, sharing state and
    protection flags only (None: none at all). The incidents summary holds the same columns, so the same rule
    counts it (`visible_incident_counts`)."""
    if not may_use_border(user):
        return None
    country = user.unit.country_id
    scope = Q(reporting_unit_id=user.unit_id)
    if user.can_exchange:
        scope |= _country_scope(country) & Q(pair_id__in=user_pairs(user).values("pk"))
    if user.has_capability("victim_protection"):
        scope |= _country_scope(country) & (Q(child_flagged=True) | Q(protection_referred=True))
    return scope


def incident_branches(user: Any, pairs: list[ProvincePair] | None = None) -> list[Q]:
    """Conditions on one reporting unit or one pair whose union holds every incident the user may see: each is to
    be read together with `incident_scope` (it narrows the rule, never widens it), in the order of its own index,
    so that a list of the newest incidents stops after a page in each (`stats.NewestFirst`). The user's unit; with
    the victim-protection capability every unit of the user's country; the user's pairs (`user_pairs`); with the
    victim-protection capability every pair of the user's country. [] for a user who may see none.

    Complete by construction: each branch of `incident_scope` names either the user's unit, a unit of the
    country (`_country_scope`'s "ours") or a pair among those listed."""
    units, ids = incident_branch_keys(user, pairs)
    return [Q(reporting_unit_id=u) for u in units] + [Q(pair_id=p) for p in ids]


def incident_branch_keys(user: Any, pairs: list[ProvincePair] | None = None) -> tuple[list[int], list[int]]:
    """`incident_branches` as the ids they name: (reporting units, pairs), each sorted; ([], []) for a user who may
    see none."""
    if not may_use_border(user):  # incident_scope's None (not built here only to be tested: issue 19)
        return [], []
    country = user.unit.country_id
    units, ids = {user.unit_id}, set()
    if user.can_exchange:
        ids |= {p.pk for p in pairs} if pairs is not None else set(user_pairs(user).values_list("pk", flat=True))
    if user.has_capability("victim_protection"):
        units |= set(Unit.objects.filter(country_id=country).values_list("pk", flat=True))
        ids |= set(ProvincePair.objects.filter(Q(side_a__country_id=country) | Q(side_b__country_id=country))
                   .values_list("pk", flat=True))
    return sorted(units), sorted(ids)


def visible_incidents(user: Any) -> QuerySet[BorderIncident]:
    scope = incident_scope(user)
    return BorderIncident.objects.none() if scope is None else BorderIncident.objects.filter(scope)


def visible_incident_counts(user: Any) -> QuerySet[IncidentCount]:
    """The rows of the incidents summary (`border.summary`) that count incidents the user may see: the same rule
    as `visible_incidents`, on the same columns."""
    scope = incident_scope(user)
    return IncidentCount.objects.none() if scope is None else IncidentCount.objects.filter(scope)


def get_incident_for_user(user: Any, incident_id: Any, request: HttpRequest | None = None) -> BorderIncident:
    try:
        parsed = uuid.UUID(str(incident_id))
    except (ValueError, TypeError):
        parsed = None
    found = (
        # not the country fled (the page names it from the process's kept countries): with that eighth join PostgreSQL
        # took 4.8 ms to plan the statement instead of 1.5 ms (median of 41, full-scale data set, issue 19)
        visible_incidents(user).select_related("reporting_unit", "pair__side_a", "pair__side_b", "province", "gate")
        .filter(pk=parsed).first()
        if parsed else None
    )
    if found is None:
        record(user if getattr(user, "is_authenticated", False) else None, "border.incident.access_denied",
               object_type="border_incident", object_id=str(incident_id)[:64], request=request)
        raise Http404("No such incident.")
    return found


def is_reporting_side(user: Any, incident: BorderIncident) -> bool:
    """Members of the reporting unit own the record (on its own node)."""
    return may_use_border(user) and user.can_exchange and user.unit_id == incident.reporting_unit_id and not incident.origin_node


def may_approve_sharing(user: Any, incident: BorderIncident) -> bool:
    return is_reporting_side(user, incident) and user.has_capability("supervisor") and incident.created_by_id != user.pk


def may_issue_passes(user: Any) -> bool:
    """Officers of a border province's police issue passes for their province."""
    return may_use_border(user) and user.can_exchange and user.unit.province_id is not None


def visible_passes(user: Any) -> QuerySet[BorderPass]:
    if not may_use_border(user) or not user.can_exchange:
        return BorderPass.objects.none()
    return BorderPass.objects.filter(issuing_unit_id=user.unit_id)


def get_pass_for_user(user: Any, pass_id: Any, request: HttpRequest | None = None) -> BorderPass:
    try:
        parsed = uuid.UUID(str(pass_id))
    except (ValueError, TypeError):
        parsed = None
    found = visible_passes(user).select_related("holder", "province", "issuing_unit").filter(pk=parsed).first() if parsed else None
    if found is None:
        record(user if getattr(user, "is_authenticated", False) else None, "border.pass.access_denied",
               object_type="border_pass", object_id=str(pass_id)[:64], request=request)
        raise Http404("No such pass.")
    return found


def may_check_passes(user: Any) -> bool:
    """Officers at a gate: officers of a border province's police (and liaison officers)."""
    return may_report(user)
