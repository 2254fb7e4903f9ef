"""Who may see which custody notification.

The detaining unit and the liaison officers of the detaining country; on the
side of the person's country, its ministry: liaison officers and supervisors.
A recorded trafficking victim only for victim-protection roles. Everyone
else: 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.custody.models import CustodyRecord

DETAINING = "detaining"
RECEIVING = "receiving"


def may_use_custody(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.unit_id is not None and user.can_exchange


def is_receiving_ministry(user: Any) -> bool:
    return may_use_custody(user) and (user.has_capability("liaison") or user.has_capability("supervisor"))


def visible_records(user: Any) -> QuerySet[CustodyRecord]:
    if not may_use_custody(user):
        return CustodyRecord.objects.none()
    country = user.unit.country_id
    scope = Q(detaining_unit_id=user.unit_id)
    if user.has_capability("liaison"):
        scope |= Q(detaining_unit__country_id=country)
    if is_receiving_ministry(user):
        scope |= Q(nationality_id=country) & ~Q(detaining_unit__country_id=country)
    qs = CustodyRecord.objects.filter(scope)
    if not user.has_capability("victim_protection"):
        qs = qs.exclude(person__is_trafficking_victim=True)
    return qs


def get_record_for_user(user: Any, record_id: Any, request: HttpRequest | None = None) -> CustodyRecord:
    try:
        parsed = uuid.UUID(str(record_id))
    except (ValueError, TypeError):
        parsed = None
    found = (
        visible_records(user).select_related("detaining_unit", "nationality", "person").filter(pk=parsed).first()
        if parsed
        else None
    )
    if found is None:
        record(user if getattr(user, "is_authenticated", False) else None, "custody.record.access_denied",
               object_type="custody", object_id=str(record_id)[:64], request=request)
        raise Http404("No such record.")
    return found


def side_of(user: Any, item: CustodyRecord) -> str | None:
    if not may_use_custody(user):
        return None
    if user.unit_id == item.detaining_unit_id:
        return DETAINING
    if is_receiving_ministry(user) and user.unit.country_id == item.nationality_id:
        return RECEIVING
    return None
