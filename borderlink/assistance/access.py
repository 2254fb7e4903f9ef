"""Who may see and act on which request.

A request is visible to its requesting unit, and once sent to its requested
unit; liaison officers see the sent requests of their country, in both
directions (they track deadlines). Requests to verify a victim's nationality
only to victim-protection roles and supervisors (who approve) of those units,
and to the author. Everyone else: 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.assistance.models import (
    UNSENT_STATES,
    Request,
    RequestAttachment,
    RequestCount,
    RequestEvent,
    RequestKind,
    RequestState,
    Side,
)
from borderlink.audit.services import record
from borderlink.core.prepared import Prepared


def may_use_requests(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.unit_id is not None
        and (user.can_exchange or user.has_capability("victim_protection"))
    )


def sees_victim_requests(user: Any) -> bool:
    """Victim-protection officers and supervisors see every request to verify a victim's nationality of their
    scope; anyone else only those they wrote."""
    return user.has_capability("victim_protection") or user.has_capability("supervisor")


def _scope(user: Any) -> Q:
    """Whose requests a user may see, on the fields a request and a summary row share: those their unit made, those
    sent to their unit, and for a liaison officer every sent one of their country."""
    scope = Q(requesting_unit_id=user.unit_id) | (Q(requested_unit_id=user.unit_id) & ~Q(state__in=UNSENT_STATES))
    if user.has_capability("liaison"):
        country = user.unit.country_id
        scope |= ~Q(state__in=UNSENT_STATES) & (Q(requesting_unit__country_id=country) | Q(requested_unit__country_id=country))
    return scope


def visible_requests(user: Any) -> QuerySet[Request]:
    if not may_use_requests(user):
        return Request.objects.none()
    scope = _scope(user)
    qs = Request.objects.filter(scope)
    if not sees_victim_requests(user):
        qs = qs.exclude(Q(kind=RequestKind.VERIFY_VICTIM_NATIONALITY) & ~Q(created_by=user))
    return qs


def visible_counts(user: Any) -> QuerySet[RequestCount]:
    """The rows of the requests summary (`assistance.summary`) that count only requests `visible_requests(user)`
    holds: the same rules, on the summary's units, state and kind class. Requests to verify a victim's nationality
    are left out for a user who sees only their own (`sees_victim_requests`): the caller counts those live."""
    if not may_use_requests(user):
        return RequestCount.objects.none()
    scope = _scope(user)
    qs = RequestCount.objects.filter(scope)
    if not sees_victim_requests(user):
        qs = qs.filter(victim=False)
    return qs


def own_victim_requests(user: Any) -> QuerySet[Request]:
    """The requests to verify a victim's nationality a user who does not see the others' sees: their own (few,
    read by their author's index). Empty for those who see them all (they are in `visible_counts`)."""
    if not may_use_requests(user) or sees_victim_requests(user):
        return Request.objects.none()
    return visible_requests(user).filter(created_by=user, kind=RequestKind.VERIFY_VICTIM_NATIONALITY)


# The page's read of a request, compiled once per process and reader shape (core.prepared; issue 19).
# (the author is read by id only: not joined, a user row of every column per view; issue 19)
_REQUEST_FOR_USER: Prepared[Request] = Prepared(
    "assistance.request", Request,
    lambda reader, request_id: visible_requests(reader).select_related("requesting_unit", "requested_unit", "notice")
    .filter(pk=request_id),
    args=[Request._meta.pk],
)


def get_request_for_user(user: Any, request_id: Any, http_request: HttpRequest | None = None) -> Request:
    try:
        parsed = uuid.UUID(str(request_id))
    except (ValueError, TypeError):
        parsed = None
    found = _REQUEST_FOR_USER.first(user, parsed) if parsed else None  # visible_requests(user), both units, notice
    if found is None:
        record(user if getattr(user, "is_authenticated", False) else None, "assistance.request.access_denied",
               object_type="request", object_id=str(request_id)[:64], request=http_request)
        raise Http404("No such request.")
    return found


def side_of(user: Any, req: Request) -> str | None:
    """The side the user acts for: their unit made the request, or must answer it. Liaison officers
    who only follow a request act for neither."""
    if not may_use_requests(user):
        return None
    if user.unit_id == req.requesting_unit_id:
        return Side.REQUESTING
    if user.unit_id == req.requested_unit_id:
        return Side.REQUESTED
    return None


def can_approve(user: Any, req: Request) -> bool:
    return (
        side_of(user, req) == Side.REQUESTING
        and user.has_capability("supervisor")
        and user.pk != req.created_by_id
        and req.state == RequestState.SUBMITTED
    )


# Steps that stay with the requesting side: drafting, submission, return and approval.
INTERNAL_STEPS = ("created", "submitted", "returned", "approved")


def _sees_internal_steps(user: Any, req: Request) -> bool:
    """The requesting side's people (and a liaison officer of the requesting country) see its internal steps."""
    return side_of(user, req) == Side.REQUESTING or (
        user.has_capability("liaison") and user.unit.country_id == req.requesting_unit.country_id)


def visible_events(user: Any, req: Request) -> QuerySet:
    """The shared timeline; the requesting country's internal steps only for its own people."""
    events = req.events.all()
    return events if _sees_internal_steps(user, req) else events.exclude(action__in=INTERNAL_STEPS)


def _events(request_id: Any, own: bool) -> QuerySet[RequestEvent]:
    events = RequestEvent.objects.filter(request_id=request_id)
    return events if own else events.exclude(action__in=INTERNAL_STEPS)


# The request page's timeline and its attachments, compiled once per process and reader shape (core.prepared; issue
# 19): `visible_events`' rule, whose branch (internal steps or not) is decided per request by `_sees_internal_steps`.
_REQUEST_ID = [Request._meta.pk]  # (the request's id, as its primary key prepares it)
_EVENTS = {own: Prepared(f"assistance.events.{'own' if own else 'shared'}", RequestEvent,
                         lambda reader, request_id, own=own: _events(request_id, own).select_related("actor"),
                         args=_REQUEST_ID)
           for own in (True, False)}
_ATTACHMENTS = {own: Prepared(f"assistance.attachments.{'own' if own else 'shared'}", RequestAttachment,
                              lambda reader, request_id, own=own: RequestAttachment.objects.filter(
                                  event__in=_events(request_id, own).values("pk")),
                              args=_REQUEST_ID)
                for own in (True, False)}


def timeline(user: Any, req: Request) -> list[RequestEvent]:
    """`visible_events(user, req)` in order, each with its attachments as `attachment_list` (the rows
    `event.attachments.all()` gives; two statements, as `.prefetch_related("attachments")` makes) and its side's
    and action's labels as `side_label` and `action_label` (what `get_side_display` and `get_action_display` give)."""
    own = _sees_internal_steps(user, req)
    events = _EVENTS[own].all(user, req.pk)
    by_event: dict[Any, list[RequestAttachment]] = {e.pk: [] for e in events}
    if events:
        for attachment in _ATTACHMENTS[own].all(user, req.pk):
            if attachment.event_id in by_event:
                by_event[attachment.event_id].append(attachment)
    for e in events:
        e.attachment_list = by_event[e.pk]  # type: ignore[attr-defined]
        # `get_side_display` and `get_action_display` as the template drew them (each call rebuilt the choices)
        e.side_label = _SIDES.get(e.side, e.side)  # type: ignore[attr-defined]
        e.action_label = _ACTIONS.get(e.action, e.action)  # type: ignore[attr-defined]
    return events


_SIDES = dict(RequestEvent._meta.get_field("side").flatchoices)  # value -> label (lazy: translated when drawn)
_ACTIONS = dict(RequestEvent._meta.get_field("action").flatchoices)
