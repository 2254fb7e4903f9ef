"""Regular liaison meetings: a province pair's stored schedule (monthly or quarterly), and the proposal of its
next meetings with the host alternating between the two sides.

A supervisor of a border province's police keeps the schedule on their node (issue #16: "each pair agrees on a
regular schedule ... and the system proposes the next meetings. The host alternates between the two sides").
Each meeting of the schedule is proposed `lead_days` before it, by the daily job or `manage.py border_schedules`,
as a normal proposal: the same `open_meeting` as a person's (timeline, audit, envelope), which the other side
accepts, answers with another date, or declines. Proposing is idempotent: one meeting per occurrence (a unique
constraint, checked under the schedule's row lock), so reruns and several workers never propose twice.
"""

from __future__ import annotations

import calendar
import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.border import access as border_access
from borderlink.border import meeting_access
from borderlink.border.meetings import open_meeting, unit_across
from borderlink.border.models import MONTHS_BETWEEN, Frequency, Meeting, MeetingKind, MeetingSchedule
from borderlink.core import bounds, clock

LEAD_DAYS_MIN, LEAD_DAYS_MAX = 7, 120
PLACE_MAX = 200
# the occurrences looked at in one run, per schedule: a monthly schedule proposes at most 4 meetings ahead
MAX_AHEAD = 4


@dataclass
class ScheduleInput:
    pair: str
    frequency: str
    first_starts_at: datetime.datetime | None
    first_host: str
    place_here: str
    place_across: str
    lead_days: int = 45


def may_keep_schedules(user: Any) -> bool:
    """Supervisors of a border province's police keep its schedules (what leaves is approved by a supervisor)."""
    return (meeting_access.may_use_meetings(user) and user.has_capability("supervisor")
            and user.unit.province_id is not None)


def visible_schedules(user: Any) -> QuerySet[MeetingSchedule]:
    """The schedules of the user's unit; for a liaison officer those of every unit of the country."""
    if not meeting_access.may_use_meetings(user):
        return MeetingSchedule.objects.none()
    scope = Q(unit_id=user.unit_id)
    if user.has_capability("liaison"):
        scope |= Q(unit__country_id=user.unit.country_id)
    return MeetingSchedule.objects.filter(scope).select_related("pair__side_a", "pair__side_b", "unit", "first_host")


def get_schedule_for_user(user: Any, schedule_id: Any, request: HttpRequest | None = None) -> MeetingSchedule:
    """The schedule, when the user may see it; Http404 (audited) otherwise."""
    try:
        parsed = uuid.UUID(str(schedule_id))
    except (ValueError, TypeError):
        parsed = None
    found = visible_schedules(user).filter(pk=parsed).first() if parsed else None
    if found is None:
        record(user if getattr(user, "is_authenticated", False) else None, "border.schedule.access_denied",
               object_type="border_schedule", object_id=str(schedule_id)[:64], request=request)
        raise Http404("No such schedule.")
    return found


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same local time `months` calendar months later, on the same day of the month or the month's last day
    (31 January + 1 month: 28 or 29 February). Aware in, aware out (the node's time zone)."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return timezone.make_aware(naive)


def occurrence_start(schedule: MeetingSchedule, n: int) -> datetime.datetime:
    """When meeting n (0 is the first) of the schedule starts."""
    return add_months(schedule.first_starts_at, n * MONTHS_BETWEEN[Frequency(schedule.frequency)])


def host_of(schedule: MeetingSchedule, n: int) -> str:
    """The country hosting meeting n: the first host for even n, the other side for odd n."""
    if n % 2 == 0:
        return schedule.first_host_id
    return schedule.pair.other_country(schedule.first_host_id)


def place_of(schedule: MeetingSchedule, n: int) -> str:
    return schedule.place_here if host_of(schedule, n) == schedule.unit.country_id else schedule.place_across


def _text(value: str, key: str, errors: dict[str, list[str]]) -> str:
    value = (value or "").strip()
    if not value or len(value) > PLACE_MAX:
        errors.setdefault(key, []).append(_("Say where (at most %(n)d characters).") % {"n": PLACE_MAX})
    return value


def create_schedule(user: Any, data: ScheduleInput, http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> MeetingSchedule:
    """Store the regular schedule of one of the user's province pairs and propose at once the meetings that
    fall within its lead time. Field errors (in the user's language): a pair not of the user's province, an
    unknown frequency, a first meeting in the past or outside the pair's validity, a host that is neither
    side, a place missing or too long, a lead time outside 7-120 days, a second active schedule for the pair.
    Http404 for a user who may not keep schedules. Audited."""
    if not may_keep_schedules(user):
        raise Http404("No access.")
    at = now or clock.now()
    errors: dict[str, list[str]] = {}
    pair = border_access.user_pairs(user).select_related("side_a", "side_b").filter(code=str(data.pair)[:40]).first()
    if pair is None or user.unit.province_id not in (pair.side_a_id, pair.side_b_id):
        errors.setdefault("pair", []).append(_("Choose one of your province pairs."))
        pair = None
    if data.frequency not in Frequency.values:
        errors.setdefault("frequency", []).append(_("Choose a value from the list."))
    first = data.first_starts_at
    if first is None or timezone.is_naive(first):
        errors.setdefault("first_starts_at", []).append(_("Give the date and time."))
    elif first <= at:
        errors.setdefault("first_starts_at", []).append(_("A meeting cannot be in the past."))
    elif (ahead := bounds.PLANNED_EVENT.error(first, at)) is not None:  # at most a year ahead
        errors.setdefault("first_starts_at", []).append(ahead)
    elif pair is not None and not pair.valid_on(timezone.localtime(first).date()):
        errors.setdefault("pair", []).append(_("These provinces did not face each other under these names on that date; "
                                               "choose the pair valid then."))
    if pair is not None and data.first_host not in pair.countries:
        errors.setdefault("first_host", []).append(_("The host is one of the two sides."))
    place_here = _text(data.place_here, "place_here", errors)
    place_across = _text(data.place_across, "place_across", errors)
    if not isinstance(data.lead_days, int) or not LEAD_DAYS_MIN <= data.lead_days <= LEAD_DAYS_MAX:
        errors.setdefault("lead_days", []).append(
            _("Give a number of days between %(low)d and %(high)d.") % {"low": LEAD_DAYS_MIN, "high": LEAD_DAYS_MAX})
    if pair is not None and unit_across(pair, user.unit.country_id) is None:
        errors.setdefault("pair", []).append(_("No police unit of the province across the border is known."))
    if pair is not None and MeetingSchedule.objects.filter(pair=pair, unit_id=user.unit_id, active=True).exists():
        errors.setdefault("pair", []).append(_("This pair has a schedule already: stop it first."))
    if errors:
        raise ValidationError(errors)
    if pair is None or first is None:  # reported above; narrows the types
        raise ValidationError({"pair": [_("Choose one of your province pairs.")]})
    try:
        with transaction.atomic():
            schedule = MeetingSchedule.objects.create(
                pair=pair, unit_id=user.unit_id, frequency=data.frequency, first_starts_at=first,
                first_host_id=data.first_host, place_here=place_here, place_across=place_across, lead_days=data.lead_days,
                created_by=user)
            record(user, "border.schedule.created", object_type="border_schedule", object_id=schedule.pk,
                   data={"pair": pair.code, "frequency": data.frequency, "first": first.isoformat(),
                         "first_host": data.first_host}, request=http_request)
    except IntegrityError:  # the same pair's schedule stored at the same moment by someone else
        raise ValidationError({"pair": [_("This pair has a schedule already: stop it first.")]}) from None
    propose_due(at, schedules=MeetingSchedule.objects.filter(pk=schedule.pk))
    return MeetingSchedule.objects.select_related("pair__side_a", "pair__side_b", "unit", "first_host").get(pk=schedule.pk)


def stop_schedule(user: Any, schedule_id: Any, http_request: HttpRequest | None = None,
                  now: datetime.datetime | None = None) -> MeetingSchedule:
    """Stop a schedule of the user's unit: no further meeting is proposed (those proposed stay). A schedule
    stopped already is a ValidationError; a schedule of another unit, Http404. Audited."""
    if not may_keep_schedules(user):
        raise Http404("No access.")
    schedule = get_schedule_for_user(user, schedule_id, http_request)
    if schedule.unit_id != user.unit_id:
        raise Http404("No access.")
    with transaction.atomic():
        if not MeetingSchedule.objects.filter(pk=schedule.pk, active=True).update(active=False,
                                                                                 stopped_at=now or clock.now()):
            raise ValidationError(_("This schedule is stopped already."))
        record(user, "border.schedule.stopped", object_type="border_schedule", object_id=schedule.pk, request=http_request)
    schedule.refresh_from_db()
    return schedule


def _index_before(schedule: MeetingSchedule, at: datetime.datetime) -> int:
    """An occurrence that starts no later than `at` (or 0): where to start looking for the next ones."""
    step = MONTHS_BETWEEN[Frequency(schedule.frequency)]
    first, local = timezone.localtime(schedule.first_starts_at), timezone.localtime(at)
    return max(0, ((local.year - first.year) * 12 + local.month - first.month) // step - 1)


def due_occurrences(schedule: MeetingSchedule, at: datetime.datetime) -> list[tuple[int, datetime.datetime]]:
    """The occurrences (n, start) that start after `at` and no later than `lead_days` after it, at most MAX_AHEAD."""
    n = _index_before(schedule, at)
    horizon = at + datetime.timedelta(days=schedule.lead_days)
    due: list[tuple[int, datetime.datetime]] = []
    while len(due) < MAX_AHEAD:
        start = occurrence_start(schedule, n)
        if start > horizon:
            break
        if start > at:
            due.append((n, start))
        n += 1
    return due


def _propose_one(schedule_id: Any, n: int, start: datetime.datetime, at: datetime.datetime) -> str:
    """Propose occurrence n under the schedule's row lock: "proposed", "exists" (a rerun), or "skipped" (the
    pair does not hold on that date, or no unit across the border is known; audited)."""
    with transaction.atomic():
        schedule = (MeetingSchedule.objects.select_for_update().select_related("pair__side_a", "pair__side_b", "unit")
                    .filter(pk=schedule_id, active=True).first())
        if schedule is None or Meeting.objects.filter(schedule=schedule, occurrence=n).exists():
            return "exists"
        pair, unit = schedule.pair, schedule.unit
        invited = unit_across(pair, unit.country_id)
        if invited is None or not pair.valid_on(timezone.localtime(start).date()):
            record(None, "border.schedule.skipped", object_type="border_schedule", object_id=schedule.pk,
                   data={"occurrence": n, "starts_at": start.isoformat()})
            return "skipped"
        meeting = open_meeting(unit, pair, invited, MeetingKind.REGULAR, start, place_of(schedule, n), host_of(schedule, n),
                               "", at, schedule=schedule, occurrence=n)
        record(None, "border.schedule.proposed", object_type="border_schedule", object_id=schedule.pk,
               data={"occurrence": n, "meeting": str(meeting.pk), "host": meeting.host_country_id})
    return "proposed"


def propose_due(now: datetime.datetime | None = None, schedules: QuerySet[MeetingSchedule] | None = None) -> dict[str, int]:
    """Propose the next meetings of every active schedule kept on this node (or of `schedules`) that start
    within their lead time: {"proposed": n, "skipped": n}. Idempotent: a rerun proposes nothing new.
    Run by the daily job and `manage.py border_schedules`; times read on the deadline clock (core/clock.py)."""
    at = now or clock.now()
    counts = {"proposed": 0, "skipped": 0}
    rows = (schedules if schedules is not None else MeetingSchedule.objects.all()).filter(active=True).select_related("pair")
    for schedule in rows:
        for n, start in due_occurrences(schedule, at):
            try:
                outcome = _propose_one(schedule.pk, n, start, at)
            except IntegrityError:  # another worker proposed it in the same instant
                outcome = "exists"
            if outcome in counts:
                counts[outcome] += 1
    return counts


def next_meetings(schedule: MeetingSchedule, count: int = 4, now: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """The schedule's next `count` occurrences, for pages and the API: n, start, host, place, and the meeting
    proposed for it (None until it is proposed)."""
    at = now or clock.now()
    n = _index_before(schedule, at)
    proposed = {m.occurrence: m for m in schedule.meetings.all()}
    out: list[dict[str, Any]] = []
    while len(out) < count:
        start = occurrence_start(schedule, n)
        if start > at:
            out.append({"occurrence": n, "starts_at": start, "host": host_of(schedule, n), "place": place_of(schedule, n),
                        "meeting": proposed.get(n)})
        n += 1
    return out
