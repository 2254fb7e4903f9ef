"""Who may see which liaison meeting, and which side a user acts for.

The proposing and the invited provincial police units (their officers and supervisors), and the liaison
officers of either country. Everyone else: 404, and the refusal is audited. An agenda item's link is shown
only to a reader who may see the record it points to.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.border.models import INVITED, PROPOSING, AgendaItem, LinkKind, Meeting


def may_use_meetings(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.unit_id is not None and user.can_exchange


def meeting_scope(user: Any, prefix: str = "") -> Q:
    """The meetings a user who `may_use_meetings` sees, as a condition on a meeting's columns; `prefix` ("meeting__")
    puts it on a row's meeting, for rows that join their meeting anyway (border.meetings.overdue_items)."""
    scope = Q(**{f"{prefix}proposing_unit_id": user.unit_id}) | Q(**{f"{prefix}invited_unit_id": user.unit_id})
    if user.has_capability("liaison"):
        country = user.unit.country_id
        scope |= Q(**{f"{prefix}proposing_unit__country_id": country}) | Q(**{f"{prefix}invited_unit__country_id": country})
    return scope


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    if not may_use_meetings(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(meeting_scope(user))


def get_meeting_for_user(user: Any, meeting_id: Any, request: HttpRequest | None = None) -> Meeting:
    try:
        parsed = uuid.UUID(str(meeting_id))
    except (ValueError, TypeError):
        parsed = None
    found = (visible_meetings(user).select_related("pair__side_a", "pair__side_b", "proposing_unit", "invited_unit",
                                                   "host_country").filter(pk=parsed).first() if parsed else None)
    if found is None:
        record(user if getattr(user, "is_authenticated", False) else None, "border.meeting.access_denied",
               object_type="border_meeting", object_id=str(meeting_id)[:64], request=request)
        raise Http404("No such meeting.")
    return found


def side_of(user: Any, meeting: Meeting) -> str | None:
    """The side a member of the proposing or invited unit acts for, on the node that holds that side."""
    if not may_use_meetings(user):
        return None
    if user.unit_id == meeting.proposing_unit_id:
        return PROPOSING
    if user.unit_id == meeting.invited_unit_id:
        return INVITED
    return None


def may_see_link(user: Any, item: AgendaItem) -> bool:
    """Whether the reader may see the record an agenda item points to (through that record's access helper)."""
    if not item.link_kind:
        return False
    if item.link_kind == LinkKind.INCIDENT:
        from borderlink.border.access import visible_incidents

        return visible_incidents(user).filter(pk=item.link_id).exists()
    if item.link_kind == LinkKind.REQUEST:
        from borderlink.assistance.access import visible_requests

        return visible_requests(user).filter(pk=item.link_id).exists()
    if item.link_kind == LinkKind.NOTICE:
        from borderlink.notices.access import visible_notices

        return visible_notices(user).filter(pk=item.link_id).exists()
    if item.link_kind == LinkKind.CASE:
        from borderlink.cases.access import visible_cases

        return visible_cases(user).filter(pk=item.link_id).exists()
    return False
