"""Who may see which notice.

Visible to its issuing unit, to units of the countries it is shared with once
published, and to liaison officers of the issuing country once published.
Victim notices, and notices about a recorded victim, only to victim-protection
roles and to the victim's named officers. Everyone else: 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.core.prepared import Prepared
from borderlink.notices.models import Notice, NoticeKind, NoticeState

SHARED_STATES = (NoticeState.PUBLISHED, NoticeState.RESOLVED)


def may_use_notices(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.unit_id is not None
        and (user.can_exchange or user.has_capability("victim_protection"))
    )


def visible_notices(user: Any) -> QuerySet[Notice]:
    if not may_use_notices(user):
        return Notice.objects.none()
    country = user.unit.country_id
    scope = Q(issuing_unit_id=user.unit_id) | Q(state__in=SHARED_STATES, shared_with__code=country)
    if user.has_capability("liaison"):
        scope |= Q(state__in=SHARED_STATES, issuing_unit__country_id=country)
    qs = Notice.objects.filter(scope)
    if not user.has_capability("victim_protection"):
        victim = Q(kind=NoticeKind.VICTIM) | Q(subject__is_trafficking_victim=True)
        qs = qs.exclude(victim & ~Q(subject__victim_officers=user))
    return qs.distinct()


# The page's read of a notice, compiled once per process and reader shape (core.prepared; issue 19).
# (the author and approver are read by id only: not joined, two user rows of every column per view; issue 19)
_NOTICE_FOR_USER: Prepared[Notice] = Prepared(
    "notices.notice", Notice,
    lambda reader, notice_id: visible_notices(reader).select_related("subject", "issuing_unit").filter(pk=notice_id),
    args=[Notice._meta.pk],
)


def get_notice_for_user(user: Any, notice_id: Any, request: HttpRequest | None = None) -> Notice:
    try:
        parsed = uuid.UUID(str(notice_id))
    except (ValueError, TypeError):
        parsed = None
    notice = _NOTICE_FOR_USER.first(user, parsed) if parsed else None  # visible_notices(user), subject, unit
    if notice is None:
        record(
            user if getattr(user, "is_authenticated", False) else None,
            "notices.notice.access_denied",
            object_type="notice",
            object_id=str(notice_id)[:64],
            request=request,
        )
        raise Http404("No such notice.")
    return notice


def is_owner(user: Any, notice: Notice) -> bool:
    return may_use_notices(user) and notice.issuing_unit_id == user.unit_id


def can_approve(user: Any, notice: Notice) -> bool:
    return (
        is_owner(user, notice)
        and user.has_capability("supervisor")
        and user.pk != notice.created_by_id
        and notice.state == NoticeState.SUBMITTED
    )
