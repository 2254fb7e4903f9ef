"""Indicators of plan items, computed from this node's records.

Each computed kind (`models.IndicatorKind`) is a function of (plan item, period) -> `Figure`: its value, and the
records behind it as querysets (the page `plans:item_sources` lists them, each through its own app's access
helper, linked). The records counted are those between the plan's countries (a request from one to another, a
handover between them, a meeting of a province pair on their border, ...), dated in the period, as this node
holds them (its own and the copies the other nodes sent): "Viet Nam counts 12".

`evaluate(item)` compares the value with the agreed target: `Evaluation` (value, target, on_track, late, source
link). A count's target is for the whole year, so a count is on track when it has reached the target's share of
the elapsed part of the period (pro rata); a percentage or a per-pair figure is on track when it has reached the
target. An item is late when its due date has passed and the target is not reached.

Protected persons: the victims figure is suppressed below 10 persons (the victims statistics' rule, K = 10 in
`victims/statistics.py`); notices about victims, requests to verify a victim's nationality and hits routed to
victim protection are never counted; the sources page lists only records the reader may open.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from borderlink.core import clock
from borderlink.plans.models import IndicatorKind, Item, ItemStatus, Plan, Progress, Training

COUNT, PERCENT, TEXT = "count", "percent", "text"
SUPPRESS_BELOW = 10  # persons; the victims statistics' suppression rule (victims/statistics.py, K)
Period = tuple[datetime.date, datetime.date]


@dataclass(frozen=True)
class Figure:
    """A computed value: `value` (None: nothing to measure yet), its measure (count, percent), the records
    behind it as (kind, queryset) pairs, how many records, and whether it is suppressed (then value is None)."""

    value: Decimal | None
    measure: str
    sources: list[tuple[str, QuerySet[Any]]] = field(default_factory=list)
    records: int = 0
    suppressed: bool = False


@dataclass(frozen=True)
class Evaluation:
    """An item measured against its target over a period; see the module docstring."""

    item_id: uuid.UUID
    kind: str
    measure: str
    value: Decimal | None
    target: Decimal | None
    target_text: str
    on_track: bool | None
    late: bool
    suppressed: bool
    period: Period
    source_url: str
    records: int


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period[0], datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period[1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def countries(plan: Plan) -> list[str]:
    """The plan's countries (two, or three for a trilateral plan)."""
    found = [plan.proposing_unit.country_id, plan.partner_unit.country_id]
    if plan.third_country_id:
        found.append(plan.third_country_id)
    return found


def _between(a: str, b: str, cs: list[str]) -> Q:
    """Both ends in the plan's countries, and not the same country."""
    return Q(**{f"{a}__in": cs, f"{b}__in": cs}) & ~Q(**{a: F(b)})


def _n(value: int | float | Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _count(qs: QuerySet[Any], kind: str) -> Figure:
    n = qs.count()
    return Figure(_n(n), COUNT, [(kind, qs)], n)


# --- the computed kinds ------------------------------------------------------------------------------------


def verification_on_time(item: Item, period: Period) -> Figure:
    """Verification requests (identity, criminal record) between the plan's countries sent in the period: the
    share, in percent, first answered by their deadline, among those answered or past their deadline (a request
    still within its time counts neither way). None when there are none."""
    from borderlink.assistance.models import Request, RequestKind

    start, end = _bounds(period)
    now = clock.now()
    sent = Request.objects.filter(_between("requesting_unit__country_id", "requested_unit__country_id", countries(item.plan)),
                                  kind__in=(RequestKind.VERIFY_IDENTITY, RequestKind.VERIFY_RECORD),
                                  sent_at__gte=start, sent_at__lt=end)
    due = sent.filter(Q(first_answer_at__isnull=False) | Q(deadline__lte=now))
    total = due.count()
    if not total:
        return Figure(None, PERCENT, [("request", due)], 0)
    on_time = due.filter(first_answer_at__isnull=False, first_answer_at__lte=F("deadline")).count()
    return Figure(_n(Decimal(100 * on_time) / total), PERCENT, [("request", due)], total)


def requests_answered(item: Item, period: Period) -> Figure:
    """Requests between the plan's countries first answered in the period (a victim's nationality excluded)."""
    from borderlink.assistance.models import Request, RequestKind

    start, end = _bounds(period)
    qs = Request.objects.filter(_between("requesting_unit__country_id", "requested_unit__country_id", countries(item.plan)),
                                first_answer_at__gte=start, first_answer_at__lt=end).exclude(
        kind=RequestKind.VERIFY_VICTIM_NATIONALITY)
    return _count(qs, "request")


def liaison_meetings(item: Item, period: Period) -> Figure:
    """Liaison meetings held in the period by the province pairs on the plan's borders: the number held by the
    pair that held the fewest, among the pairs that held any ("at least 4 per pair" holds for every pair that
    meets). None when no pair met."""
    from borderlink.border.models import Meeting, MeetingState

    start, end = _bounds(period)
    cs = countries(item.plan)
    qs = Meeting.objects.filter(_between("proposing_unit__country_id", "invited_unit__country_id", cs),
                                state=MeetingState.HELD, starts_at__gte=start, starts_at__lt=end)
    per_pair = list(qs.values("pair_id").annotate(n=Count("id")).values_list("n", flat=True))
    if not per_pair:
        return Figure(None, COUNT, [("meeting", qs)], 0)
    return Figure(_n(min(per_pair)), COUNT, [("meeting", qs)], sum(per_pair))


def fugitives_handed_over(item: Item, period: Period) -> Figure:
    """Fugitives handed over between the plan's countries in the period (handover date)."""
    from borderlink.assistance.models import Request

    start, end = _bounds(period)
    qs = Request.objects.filter(_between("requesting_unit__country_id", "requested_unit__country_id", countries(item.plan)),
                                handover__handed_over_at__gte=start, handover__handed_over_at__lt=end)
    return _count(qs, "request")


def victims_returned(item: Item, period: Period) -> Figure:
    """Trafficking victims received home in the period, between the plan's countries, within `item.parameter`
    days of their identification (date found). Suppressed (value None) when 1 to 9 persons."""
    from borderlink.victims.models import VictimCase

    start, end = period
    days = item.parameter or 0
    qs = VictimCase.objects.filter(_between("finding_country_id", "home_country_id", countries(item.plan)),
                                   returned_on__gte=start, returned_on__lte=end)
    counted = [pk for pk, found, returned in qs.values_list("pk", "found_on", "returned_on")
               if returned is not None and found is not None and (returned - found).days <= days]
    n = len(counted)
    if 0 < n < SUPPRESS_BELOW:
        return Figure(None, COUNT, [], 0, suppressed=True)
    # the sources are the counted cases only: the year's other returns (later than N days) are a count of their own
    # that would otherwise show on the sources page below the threshold
    return Figure(_n(n), COUNT, [("victim_case", VictimCase.objects.filter(pk__in=counted))], n)


def notices_published(item: Item, period: Period) -> Figure:
    """Notices of one plan country published in the period and shared with another (victim notices excluded)."""
    from borderlink.notices.models import Notice, NoticeKind

    start, end = _bounds(period)
    cs = countries(item.plan)
    qs = Notice.objects.filter(issuing_unit__country_id__in=cs, published_at__gte=start, published_at__lt=end).filter(
        Exists(Notice.shared_with.through.objects.filter(notice_id=OuterRef("pk"), country_id__in=cs)
               .exclude(country_id=OuterRef("issuing_unit__country_id")))).exclude(kind=NoticeKind.VICTIM)
    return _count(qs, "notice")


def hits_confirmed(item: Item, period: Period) -> Figure:
    """Hits on the plan countries' notices confirmed in the period (hits routed to victim protection never
    counted)."""
    from borderlink.notices.models import Hit, HitRoute, HitState

    start, end = _bounds(period)
    qs = Hit.objects.filter(notice__issuing_unit__country_id__in=countries(item.plan), state=HitState.CONFIRMED,
                            decided_at__gte=start, decided_at__lt=end).exclude(route=HitRoute.PROTECTION)
    return _count(qs, "hit")


def custody_notifications(item: Item, period: Period) -> Figure:
    """Nationals of one plan country held by another's police, notified in the period (date detained)."""
    from borderlink.custody.models import CustodyRecord

    start, end = _bounds(period)
    qs = CustodyRecord.objects.filter(_between("detaining_unit__country_id", "nationality_id", countries(item.plan)),
                                      detained_at__gte=start, detained_at__lt=end)
    return _count(qs, "custody")


def _joint_cases(item: Item) -> QuerySet[Any]:
    from borderlink.cases.models import Case, Participant, ParticipantState

    cs = countries(item.plan)
    return Case.objects.filter(lead_unit__country_id__in=cs).filter(Exists(Participant.objects.filter(
        case_id=OuterRef("pk"), state=ParticipantState.ACCEPTED, unit__country_id__in=cs).exclude(
        unit__country_id=OuterRef("lead_unit__country_id"))))


def cases_opened(item: Item, period: Period) -> Figure:
    """Joint cases led by one plan country with a unit of another taking part, opened in the period."""
    start, end = _bounds(period)
    return _count(_joint_cases(item).filter(opened_at__gte=start, opened_at__lt=end), "case")


def cases_closed(item: Item, period: Period) -> Figure:
    """Those joint cases closed in the period with an outcome (arrests, seizures, handovers, prosecution)."""
    from borderlink.cases.models import Outcome

    start, end = _bounds(period)
    qs = _joint_cases(item).filter(closed_at__gte=start, closed_at__lt=end).exclude(outcome="").exclude(
        outcome=Outcome.NO_RESULT)
    return _count(qs, "case")


def training_exchanges(item: Item, period: Period) -> Figure:
    """Training exchanges hosted by one plan country, starting in the period, with participants from another."""
    cs = set(countries(item.plan))
    rows = Training.objects.filter(host_id__in=cs, starts_on__gte=period[0], starts_on__lte=period[1])
    ids = [t.pk for t in rows if any(c in cs and c != t.host_id and n for c, n in t.participants.items())]
    qs = Training.objects.filter(pk__in=ids)
    return Figure(_n(len(ids)), COUNT, [("training", qs)], len(ids))


def reported(item: Item, period: Period) -> Figure:
    """The value the owning side last reported by the end of the period (None before any)."""
    end = _bounds(period)[1]
    qs = Progress.objects.filter(item=item, at__lt=end)
    last = qs.filter(value__isnull=False).order_by("-at").first()
    return Figure(last.value if last else None, COUNT, [("progress", qs)], qs.count())


KINDS: dict[str, Callable[[Item, Period], Figure]] = {
    IndicatorKind.VERIFICATION_ON_TIME: verification_on_time,
    IndicatorKind.REQUESTS_ANSWERED: requests_answered,
    IndicatorKind.LIAISON_MEETINGS: liaison_meetings,
    IndicatorKind.FUGITIVES_HANDED_OVER: fugitives_handed_over,
    IndicatorKind.VICTIMS_RETURNED: victims_returned,
    IndicatorKind.NOTICES_PUBLISHED: notices_published,
    IndicatorKind.HITS_CONFIRMED: hits_confirmed,
    IndicatorKind.CUSTODY_NOTIFICATIONS: custody_notifications,
    IndicatorKind.CASES_OPENED: cases_opened,
    IndicatorKind.CASES_CLOSED: cases_closed,
    IndicatorKind.TRAINING_EXCHANGES: training_exchanges,
    IndicatorKind.REPORTED: reported,
}
# reached when at least the target; pro rata over the period for counts of a year
RATIOS = {IndicatorKind.VERIFICATION_ON_TIME, IndicatorKind.LIAISON_MEETINGS}


def year_of(plan: Plan) -> Period:
    return datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)


def figure(item: Item, period: Period | None = None) -> Figure:
    """The item's indicator over `period` (default: the plan's year)."""
    return KINDS[item.indicator](item, period or year_of(item.plan))


def evaluate(item: Item, period: Period | None = None, *, today: datetime.date | None = None) -> Evaluation:
    """The item against its target over `period` (default: the plan's year), as of `today` (default: the node's
    clock). on_track: None without a value (or suppressed); late: the due date has passed and the target is not
    reached (a hand-reported item with a text target: not done)."""
    period = period or year_of(item.plan)
    today = today or timezone.localtime(clock.now()).date()
    fig = figure(item, period)
    target = item.target
    reached: bool | None
    on_track: bool | None
    if item.status == ItemStatus.DROPPED:
        reached, on_track = False, False
    elif target is None:  # hand-reported, a target in words: the reporting side says when it is done
        reached = item.status == ItemStatus.DONE
        on_track = reached or (item.status == ItemStatus.IN_PROGRESS and today <= item.due_date)
    elif fig.value is None:
        reached, on_track = False, None
    else:
        reached = fig.value >= target
        if item.indicator in RATIOS or today >= period[1]:
            on_track = reached
        else:
            span = (period[1] - period[0]).days + 1
            elapsed = max(0, min(span, (today - period[0]).days + 1))
            on_track = fig.value >= target * Decimal(elapsed) / Decimal(span)
    late = today > item.due_date and not reached and item.status != ItemStatus.DROPPED
    measure = TEXT if (item.indicator == IndicatorKind.REPORTED and target is None) else fig.measure
    return Evaluation(item_id=item.pk, kind=item.indicator, measure=measure, value=fig.value, target=target,
                      target_text=item.target_text, on_track=on_track, late=late, suppressed=fig.suppressed,
                      period=period, source_url=reverse("plans:item_sources", args=[item.pk]), records=fig.records)


def evaluate_plan(plan: Plan, period: Period | None = None, *, today: datetime.date | None = None) -> list[Evaluation]:
    """Every item in force, in order."""
    items = plan.items.filter(in_force=True).select_related("plan__proposing_unit", "plan__partner_unit")
    return [evaluate(item, period, today=today) for item in items]


def monthly(item: Item, year: int | None = None) -> list[tuple[str, Decimal | None]]:
    """The trend: the indicator's value month by month ("2026-01", value) over the plan's year; a count is the
    month's own, a percentage or per-pair figure the month's, a reported value the last one by the month's end.
    Suppressed months are None."""
    year = year or item.plan.year
    out: list[tuple[str, Decimal | None]] = []
    hidden = 0
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        fig = figure(item, (first, last))
        hidden += fig.suppressed
        out.append((f"{year}-{month:02d}", fig.value))
    if hidden == 1:
        # complementary suppression (as victims/statistics.py does for its tables): with the year's figure shown
        # beside the trend, one hidden month would be the year's figure minus the others; so hide the smallest
        # other month with persons in it too
        shown = [i for i, (_m, v) in enumerate(out) if v is not None and v > 0]
        if shown:
            smallest = min(shown, key=lambda i: out[i][1] or 0)
            out[smallest] = (out[smallest][0], None)
    return out
