"""Liaison meetings: proposing, answering (accept, another date, decline), the agenda, delegations, minutes
approved with four eyes on each side, decisions and action items with reminders.

Every step goes through `workflow.take` with the meeting's table (border/meeting_workflow.py): access (the
user's side), the state under a row lock, validation, the timeline, the audit event and the envelope to the
other node. The functions here find the meeting through its access helper, check what only a person's step
needs (four eyes, what the user may link to), and build the step's facts.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.border import access as border_access
from borderlink.border import meeting_access as access
from borderlink.border.meeting_workflow import (
    ACTION_ITEMS,
    AGENDA,
    CORRECTION,
    DECISIONS,
    DELEGATION,
    MEETING,
    MINUTES,
    PROGRESS,
)
from borderlink.border.models import (
    INVITED,
    PROPOSING,
    ActionItem,
    ActionState,
    AgendaItem,
    Decision,
    LinkKind,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesState,
)
from borderlink.border.models import (
    MeetingAction as A,
)
from borderlink.core import bounds, clock
from borderlink.core.models import Unit
from borderlink.core.prepared import Prepared
from borderlink.workflow import SYSTEM

ESCALATE_AFTER = datetime.timedelta(days=7)
ANSWERS = (A.ACCEPTED, A.COUNTERED, A.DECLINED, A.COUNTER_ACCEPTED, A.REPROPOSED, A.COUNTER_DECLINED)


@dataclass
class MeetingInput:
    pair: str
    kind: str
    starts_at: datetime.datetime | None
    place: str
    reason: str = ""
    host: str = ""


def _require(user: Any) -> None:
    if not access.may_use_meetings(user):
        raise Http404("No access.")


def _name(user: Any) -> str:
    return workflow.name_of(user)


def unit_across(pair: Any, country: str) -> Unit | None:
    """The provincial police of the province across the border in this pair."""
    province = pair.province_of(pair.other_country(country))
    return Unit.objects.filter(province=province, kind=Unit.Kind.PROVINCIAL, is_active=True).order_by("code").first()


def propose_meeting(user: Any, data: MeetingInput, http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> Meeting:
    """Propose a regular or ad-hoc meeting to the police of the province across the border.

    Field errors: a pair not of the user's province, a date in the past or outside the pair's validity, an
    ad-hoc meeting without its reason, a host that is neither side. The open action items of the pair's last
    meeting open the agenda. The invited node receives the meeting at once."""
    _require(user)
    at = now or clock.now()
    errors: dict[str, list[str]] = {}
    mine = user.unit.country_id
    pair = border_access.user_pairs(user).select_related("side_a", "side_b").filter(code=str(data.pair)[:40]).first()
    if pair is None or user.unit.province_id not in (pair.side_a_id, pair.side_b_id):
        errors.setdefault("pair", []).append(_("Choose one of your province pairs."))
    if data.kind not in MeetingKind.values:
        errors.setdefault("kind", []).append(_("Choose a value from the list."))
    if data.starts_at is None or timezone.is_naive(data.starts_at):
        errors.setdefault("starts_at", []).append(_("Give the date and time."))
    elif data.starts_at <= at:
        errors.setdefault("starts_at", []).append(_("A meeting cannot be in the past."))
    elif (ahead := bounds.PLANNED_EVENT.error(data.starts_at, at)) is not None:  # at most a year ahead
        errors.setdefault("starts_at", []).append(ahead)
    elif pair is not None and not pair.valid_on(timezone.localtime(data.starts_at).date()):
        errors.setdefault("pair", []).append(_("These provinces did not face each other under these names on that date; "
                                               "choose the pair valid then."))
    place = (data.place or "").strip()
    if not place or len(place) > 200:
        errors.setdefault("place", []).append(_("Say where (at most %(n)d characters).") % {"n": 200})
    reason = (data.reason or "").strip()
    if data.kind == MeetingKind.AD_HOC and not reason:
        errors.setdefault("reason", []).append(_("An ad-hoc meeting needs its reason."))
    if len(reason) > 5000:
        errors.setdefault("reason", []).append(_("At most %(n)d characters.") % {"n": 5000})
    invited = unit_across(pair, mine) if pair is not None else None
    if pair is not None and invited is None:
        errors.setdefault("pair", []).append(_("No police unit of the province across the border is known."))
    host = data.host or mine
    if pair is not None and host not in pair.countries:
        errors.setdefault("host", []).append(_("The host is one of the two sides."))
    if errors:
        raise ValidationError(errors)
    if pair is None or invited is None or data.starts_at is None:  # reported above; narrows the types
        raise ValidationError({"pair": [_("Choose one of your province pairs.")]})
    return open_meeting(user.unit, pair, invited, data.kind, data.starts_at, place, host, reason, at, user=user,
                        http_request=http_request)


def open_meeting(unit: Unit, pair: Any, invited: Unit, kind: str, starts_at: datetime.datetime, place: str, host: str,
                 reason: str, at: datetime.datetime, *, user: Any = None, http_request: HttpRequest | None = None,
                 schedule: Any = None, occurrence: int | None = None) -> Meeting:
    """Create a checked proposal (a person's, or a schedule's when `user` is None): the meeting, its first step
    on the timeline (audited), the open action items of the pair's last meeting on its agenda, and the envelope
    to the invited side's node. The caller has checked every field."""
    from borderlink.border.meeting_federation import queue_opened

    with transaction.atomic():
        count = Meeting.objects.filter(proposing_unit=unit, created_at__year=at.year).count() + 1
        meeting = Meeting.objects.create(
            reference=f"{unit.code}/M/{at.year}/{count:04d}", pair=pair, kind=kind, state=MeetingState.PROPOSED,
            proposing_unit=unit, invited_unit=invited, starts_at=starts_at, place=place, host_country_id=host,
            reason=reason, created_by=user, schedule=schedule, occurrence=occurrence,
            frequency=schedule.frequency if schedule is not None else "")
        workflow.record_step(MEETING, meeting, A.PROPOSED, PROPOSING, workflow.Checked(text=reason), at, actor=user,
                             actor_unit=unit.code, http_request=http_request, send=False)
        for item in open_items_of_last_meeting(meeting):
            AgendaItem.objects.create(meeting=meeting, side=PROPOSING, title=item.text[:300], carried_over=True, added_at=at)
        queue_opened(meeting)
    return meeting


def open_items_of_last_meeting(meeting: Meeting) -> QuerySet[ActionItem]:
    """The open action items of the pair's last meeting held before this one: the new agenda starts with them."""
    last = (Meeting.objects.filter(pair=meeting.pair, state=MeetingState.HELD, starts_at__lt=meeting.starts_at)
            .exclude(pk=meeting.pk).order_by("-starts_at").first())
    if last is None:
        return ActionItem.objects.none()
    return last.action_items.filter(state__in=(ActionState.OPEN, ActionState.IN_PROGRESS))


def answer(user: Any, meeting_id: Any, action: str, text: str = "", starts_at: datetime.datetime | None = None,
           place: str = "", http_request: HttpRequest | None = None,
        now: datetime.datetime | None = None) -> Meeting:
    """Accept, propose another date, or decline (the invited side); accept the other date, propose a new one, or
    decline (the proposing side). Another date must be in the future; a decline needs its reason."""
    _require(user)
    if action not in ANSWERS:
        raise Http404("No such step.")
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    data = {"starts_at": starts_at.isoformat() if starts_at else "", "place": place} if action in (A.COUNTERED, A.REPROPOSED) else {}
    workflow.take(MEETING, user, meeting, action, workflow.Facts(text=text, data=data), http_request=http_request, now=now)
    return Meeting.objects.get(pk=meeting.pk)


def _side(user: Any, meeting: Meeting) -> str:
    side = access.side_of(user, meeting)
    if side is None:
        raise Http404("No access.")
    return side


def add_agenda_item(user: Any, meeting_id: Any, title: str, link_kind: str = "", link_id: str = "",
                    http_request: HttpRequest | None = None,
        now: datetime.datetime | None = None) -> AgendaItem:
    """Add an item to the agenda, pointing (optionally) at an incident, a request, a notice or a joint case the user may see.

    Raises ValidationError on `link_id` ("Unknown record.") when the user may not see the record: the same answer as
    for a record that does not exist. The link crosses with the item; each node shows it only to its own readers who
    may see the record (meeting_access.may_see_link)."""
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    side = _side(user, meeting)
    if link_kind:
        probe = AgendaItem(link_kind=link_kind, link_id=str(link_id)[:64])
        try:
            visible = link_kind in LinkKind.values and access.may_see_link(user, probe)
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise ValidationError({"link_id": [_("Unknown record.")]})
    item_id = str(uuid.uuid4())
    workflow.take(MEETING, user, meeting, AGENDA[side], workflow.Facts(data={
        "id": item_id, "title": title, "link_kind": link_kind, "link_id": str(link_id) if link_kind else ""}),
        http_request=http_request, now=now)
    return AgendaItem.objects.get(pk=item_id)


def name_delegation(user: Any, meeting_id: Any, delegates: list[dict[str, Any]], http_request: HttpRequest | None = None,
        now: datetime.datetime | None = None) -> Meeting:
    """Name the user's side's delegation (name, rank, unit, role; interpreters marked); replaces an earlier list."""
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    workflow.take(MEETING, user, meeting, DELEGATION[_side(user, meeting)], workflow.Facts(data={"delegates": delegates}),
                  http_request=http_request, now=now)
    return meeting


def record_held(user: Any, meeting_id: Any, http_request: HttpRequest | None = None,
        now: datetime.datetime | None = None) -> Meeting:
    """The proposing side records that the meeting took place; the minutes can then be written. Refused
    (ValidationError on `starts_at`) before the meeting's start time, on this node's clock."""
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    workflow.take(MEETING, user, meeting, A.HELD, http_request=http_request, now=now)
    return Meeting.objects.get(pk=meeting.pk)


def write_minutes(user: Any, meeting_id: Any, language: str, text: str, reason: str = "",
                  http_request: HttpRequest | None = None) -> Minutes:
    """Write (or rewrite) the user's side's minutes in its language; they stay on this node until a supervisor
    approves them. Once a side's minutes are approved they are read-only; after both sides approved, a
    correction is a new version with its reason."""
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    side = _side(user, meeting)
    errors: dict[str, list[str]] = {}
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("Minutes are written once the meeting was held."))
    approved = Minutes.objects.filter(meeting=meeting, side=side, state=MinutesState.APPROVED).order_by("-version").first()
    if approved is not None and meeting.minutes_final_at is None:
        raise ValidationError({"text": [_("These minutes are approved and read-only: record a correction instead.")]})
    correcting = approved is not None
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        errors.setdefault("language", []).append(_("Choose a value from the list."))
    text = (text or "").strip()
    if not text or len(text) > 20_000:
        errors.setdefault("text", []).append(_("Write the minutes (at most %(n)d characters).") % {"n": 20_000})
    reason = (reason or "").strip()
    if correcting and not reason:
        errors.setdefault("reason", []).append(_("Give the reason for the correction."))
    if errors:
        raise ValidationError(errors)
    version = approved.version + 1 if approved is not None else 1
    with transaction.atomic():
        draft, _created = Minutes.objects.update_or_create(
            meeting=meeting, side=side, version=version,
            defaults={"language": language, "text": text, "state": MinutesState.SUBMITTED, "correction_reason": reason,
                      "author": user, "author_name": _name(user)})
        record(user, "border.meeting.minutes_written", object_type="border_meeting", object_id=meeting.pk,
               data={"side": side, "version": version}, request=http_request)
    return draft


def approve_minutes(user: Any, meeting_id: Any, http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> Minutes:
    """A supervisor of the side, not the minutes' author, approves them (four eyes); the approved version goes to
    the other side. The minutes are final once both sides approved theirs."""
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    side = _side(user, meeting)
    draft = Minutes.objects.filter(meeting=meeting, side=side, state=MinutesState.SUBMITTED).order_by("-version").first()
    if draft is None:
        raise ValidationError(_("There are no minutes waiting for approval."))
    if not user.has_capability("supervisor") or draft.author_id == user.pk:
        raise Http404("No access.")
    action = CORRECTION[side] if draft.version > 1 else MINUTES[side]
    workflow.take(MEETING, user, meeting, action, workflow.Facts(data={
        "id": str(draft.pk), "version": draft.version, "language": draft.language, "text": draft.text,
        "reason": draft.correction_reason, "author_name": draft.author_name, "approved_by_name": _name(user)}),
        http_request=http_request, now=now)
    return Minutes.objects.get(pk=draft.pk)


def record_decision(user: Any, meeting_id: Any, outcome: str, review_date: datetime.date | None,
                    http_request: HttpRequest | None = None,
        now: datetime.datetime | None = None) -> Decision:
    """A decision of the meeting, recorded by either side, with its outcome statement and the date it is to be
    reviewed (in the future: a field error otherwise). The other node checks it again when it arrives."""
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    decision_id = str(uuid.uuid4())
    workflow.take(MEETING, user, meeting, DECISIONS[_side(user, meeting)], workflow.Facts(data={
        "id": decision_id, "outcome": outcome, "review_date": review_date.isoformat() if review_date else ""}),
        http_request=http_request, now=now)
    return Decision.objects.get(pk=decision_id)


def record_action_item(user: Any, meeting_id: Any, text: str, owner_side: str, owner_unit: str,
                       due_date: datetime.date | None, http_request: HttpRequest | None = None,
        now: datetime.datetime | None = None) -> ActionItem:
    """An action item, recorded by either side, with its owner unit (on either side) and due date (today or
    later; field errors otherwise). The other node checks it again when it arrives."""
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    item_id = str(uuid.uuid4())
    workflow.take(MEETING, user, meeting, ACTION_ITEMS[_side(user, meeting)], workflow.Facts(data={
        "id": item_id, "text": text, "owner_side": owner_side, "owner_unit": owner_unit,
        "due_date": due_date.isoformat() if due_date else ""}), http_request=http_request, now=now)
    return ActionItem.objects.get(pk=item_id)


def progress(user: Any, item_id: Any, state: str, note: str = "", http_request: HttpRequest | None = None,
        now: datetime.datetime | None = None) -> ActionItem:
    """The owner side moves an action item on (in progress, done, dropped with a reason) with a progress note."""
    _require(user)
    parsed = _parse(item_id)
    item = (ActionItem.objects.filter(pk=parsed, meeting__in=access.visible_meetings(user)).select_related("meeting").first()
            if parsed else None)
    if item is None:
        raise Http404("No such item.")
    meeting = access.get_meeting_for_user(user, item.meeting_id, http_request)
    side = _side(user, meeting)
    if item.owner_side != side:
        raise Http404("No access.")  # only the owner's side moves its item on
    workflow.take(MEETING, user, meeting, PROGRESS[side], workflow.Facts(data={"item": str(item.pk), "state": state,
                                                                                "note": note}), http_request=http_request, now=now)
    return ActionItem.objects.get(pk=item.pk)


def _parse(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def check_action_items(now: datetime.datetime | None = None) -> dict[str, int]:
    """On the node that owns the meetings: remind the owner of an action item past its due date, and escalate to
    the supervisors once it is ESCALATE_AFTER overdue; each claimed with a conditional update, so several
    workers never repeat one. Both are steps of the meeting's timeline and cross to the other node."""
    at = now or clock.now()
    today = timezone.localtime(at).date()
    counts = {"reminders": 0, "escalations": 0}
    open_items = ActionItem.objects.filter(meeting__origin_node="", meeting__state=MeetingState.HELD,
                                           state__in=(ActionState.OPEN, ActionState.IN_PROGRESS))
    for marker, action, cutoff, key in (("reminded_at", A.ACTION_REMINDER, today, "reminders"),
                                        ("escalated_at", A.ACTION_ESCALATED, today - ESCALATE_AFTER, "escalations")):
        for item in open_items.filter(**{f"{marker}__isnull": True, "due_date__lt": cutoff}):
            with transaction.atomic():
                if not ActionItem.objects.filter(pk=item.pk, **{f"{marker}__isnull": True}).update(**{marker: at}):
                    continue
                meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
                data = {"item": str(item.pk)}
                workflow.record_step(MEETING, meeting, action, SYSTEM, workflow.Checked(data=data, fields=data), at,
                                     audit=(f"border.meeting.{action}", {"item": str(item.pk), "due": str(item.due_date)}))
            counts[key] += 1
    return counts


def view_meeting(user: Any, meeting_id: Any, http_request: HttpRequest | None = None) -> Meeting:
    _require(user)
    meeting = access.get_meeting_for_user(user, meeting_id, http_request)
    record(user, "border.meeting.viewed", object_type="border_meeting", object_id=meeting.pk, request=http_request)
    return meeting


def decisions_due(user: Any, today: datetime.date | None = None) -> QuerySet[Decision]:
    """Decisions whose review date has come (by `today`, the node's local date unless given): the "review due" list."""
    today = today or timezone.localtime(clock.now()).date()
    # EXISTS on the decision's own meeting, read in the order of the index `decision_review`: the page's first rows
    # stop the scan (an IN hashed every meeting the unit sees on every view, issue 19)
    seen = Exists(access.visible_meetings(user).filter(pk=OuterRef("meeting_id")))
    return Decision.objects.filter(seen, review_date__lte=today).select_related("meeting")


def overdue_items(user: Any) -> QuerySet[ActionItem]:
    today = timezone.localtime(clock.now()).date()
    # no DISTINCT: both conditions are on the item's own columns (the meetings as a subquery), so no item comes twice;
    # DISTINCT sorted every overdue item of the unit on all its columns per view (issue 19)
    seen = Exists(access.visible_meetings(user).filter(pk=OuterRef("meeting_id")))  # as decisions_due
    return ActionItem.objects.filter(Q(owner_unit_id=user.unit_id) | seen,
                                     state__in=(ActionState.OPEN, ActionState.IN_PROGRESS), due_date__lt=today
                                     ).select_related("meeting", "owner_unit")


def overdue_box(user: Any, limit: int = 50, columns: tuple[str, ...] = ()) -> list[ActionItem]:
    """The first `limit` rows of `overdue_items(user)` in their order (due date, then key), for the meetings list's
    box: the items the user's unit owns, and the items of the meetings the user sees, read as two queries that each
    stop after `limit` rows, then merged. `columns`: the only columns read (as `QuerySet.only`).

    One query with the two conditions under an OR (as `overdue_items`) read every meeting the user sees per view:
    PostgreSQL made the EXISTS a hashed subplan, 20,000 meetings at the benchmark's scale (about 30 ms); tested on
    the joined meeting's columns instead, a unit that sees no meeting had every overdue item joined with every
    meeting (about 40 ms). Apart, each is read in the order of an index and stops early (issue 19). Both statements
    are compiled once per process, columns and reader shape (core.prepared), the rule bound with this user's unit
    and country on every call."""
    today = timezone.localtime(clock.now()).date()
    rows = {i.pk: i for i in _overdue_query(columns, True).all(user, today, window=(0, limit))}
    if access.may_use_meetings(user):  # `visible_meetings`' rule on the item's own meeting
        rows.update((i.pk, i) for i in _overdue_query(columns, False).all(user, today, window=(0, limit)))
    return sorted(rows.values(), key=lambda i: (i.due_date, i.pk))[:limit]


def _overdue(reader: Any, today: datetime.date, columns: tuple[str, ...], own: bool) -> QuerySet[ActionItem]:
    """Overdue open items in their order, `columns` only: those of the reader's unit (`own`), or of the meetings the
    reader sees (`meeting_scope` on the item's meeting)."""
    base = ActionItem.objects.filter(state__in=(ActionState.OPEN, ActionState.IN_PROGRESS), due_date__lt=today
                                     ).select_related("meeting", "owner_unit").order_by("due_date", "pk")
    if columns:
        base = base.only(*columns)
    return base.filter(owner_unit_id=reader.unit_id) if own else base.filter(access.meeting_scope(reader, "meeting__"))


_OVERDUE: dict[tuple[tuple[str, ...], bool], Prepared[ActionItem]] = {}


def _overdue_query(columns: tuple[str, ...], own: bool) -> Prepared[ActionItem]:
    """`_overdue` for these columns, compiled once per process (a few column lists: the meetings list's)."""
    found = _OVERDUE.get((columns, own))
    if found is None:
        found = _OVERDUE[(columns, own)] = Prepared(
            f"border.overdue.{'own' if own else 'seen'}", ActionItem,
            lambda reader, today: _overdue(reader, today, columns, own), args=[ActionItem._meta.get_field("due_date")])
    return found


AGENDA_OFFERS = 5  # meetings offered on an incident's page; a pair with thousands of open meetings drew them all


def upcoming_for_agenda(user: Any, pair_id: int) -> list[Meeting]:
    """Meetings of a pair whose agenda the user's side may still add to (one click from an incident): at most
    `AGENDA_OFFERS`, the soonest first. Any other meeting's agenda is reached from the meeting's own page."""
    return list(access.visible_meetings(user).filter(pair_id=pair_id, state__in=(
        MeetingState.PROPOSED, MeetingState.COUNTERED, MeetingState.ACCEPTED)).filter(
        Q(proposing_unit_id=user.unit_id) | Q(invited_unit_id=user.unit_id)).order_by("starts_at", "pk")[:AGENDA_OFFERS])


INVITED_SIDE = INVITED
