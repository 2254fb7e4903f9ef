"""What the dashboard shows: counts per country and month, the median time to a first answer, alerts, and
the time left on an open request."""

from __future__ import annotations

import datetime
import logging
from typing import Any, cast

from django.db import connection
from django.db.models import Aggregate, BooleanField, Case, Count, F, FloatField, Func, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from borderlink.assistance import access, summary
from borderlink.assistance.models import OPEN_STATES, UNSENT_STATES, Alert, Request, RequestCount, RequestKind, RequestState
from borderlink.core import clock
from borderlink.core.prepared import Prepared

logger = logging.getLogger(__name__)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or clock.now()


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class _Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont(0.5)) of a numeric expression."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def window_start(now: datetime.datetime, months: int = 12) -> datetime.datetime:
    """The first moment the statistics count: 00:00 on the first day of the month `months - 1` months before
    `now`'s month, in the current time zone (the node's), so that every month shown is whole."""
    first = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    index = first.year * 12 + first.month - 1 - (months - 1)
    return first.replace(year=index // 12, month=index % 12 + 1)


def _empty() -> dict[str, Any]:
    return {"table": [], "median_hours_sent": None, "median_hours_received": None, "answered_sent": 0,
            "answered_received": 0}


def _hours() -> Func:
    """Hours from sending to the first answer, as PostgreSQL's median orders them (double precision)."""
    return Func(F("first_answer_at") - F("sent_at"), template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)::double precision",
                output_field=FloatField())


def statistics_live(user: Any, months: int = 12, now: datetime.datetime | None = None) -> dict[str, Any]:
    """`statistics` computed from the requests themselves (every visible request of the unit in the window):
    what the summary must always equal (tests/assistance/test_summary.py), and the answer when the current time
    zone is not the node's (the summary's months are the node's)."""
    at = _now(now)
    start = window_start(at, months)
    unit = user.unit_id
    rows = access.visible_requests(user).filter(Q(requesting_unit_id=unit) | Q(requested_unit_id=unit), sent_at__gte=start)
    outgoing = Case(When(requesting_unit_id=unit, then=Value(True)), default=Value(False), output_field=BooleanField())
    cells = rows.annotate(
        month=TruncMonth("sent_at", tzinfo=timezone.get_current_timezone()), outgoing=outgoing,
        country=Case(When(requesting_unit_id=unit, then=F("requested_unit__country_id")), default=F("requesting_unit__country_id")),
    ).values("month", "country", "outgoing").annotate(n=Count("pk")).order_by()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in cells:
        cell = counts.setdefault((row["month"].strftime("%Y-%m"), row["country"]), {"sent": 0, "received": 0})
        cell["sent" if row["outgoing"] else "received"] += row["n"]
    answered = rows.filter(first_answer_at__isnull=False).annotate(outgoing=outgoing)
    medians: dict[bool, float | None] = {True: None, False: None}
    answered_count = {True: 0, False: 0}
    if connection.vendor == "postgresql":
        for row in answered.values("outgoing").annotate(n=Count("pk"), median=_Median(_hours())).order_by():
            medians[row["outgoing"]], answered_count[row["outgoing"]] = row["median"], row["n"]
    else:  # SQLite (development, tests): the durations in Python
        durations: dict[bool, list[float]] = {True: [], False: []}
        for out, sent_at, first in answered.values_list("outgoing", "sent_at", "first_answer_at"):
            if sent_at is not None and first is not None:
                durations[bool(out)].append((first - sent_at).total_seconds() / 3600)
        for side, values in durations.items():
            medians[side], answered_count[side] = median(values), len(values)
    return _result(counts, medians, answered_count)


def _result(counts: dict[tuple[str, str], dict[str, int]], medians: dict[bool, float | None],
            answered_count: dict[bool, int]) -> dict[str, Any]:
    table = [{"month": month, "country": country, **cell} for (month, country), cell in sorted(counts.items(), reverse=True)
             if cell["sent"] or cell["received"]]
    return {
        "table": table,
        "median_hours_sent": medians[True],
        "median_hours_received": medians[False],
        "answered_sent": answered_count[True],
        "answered_received": answered_count[False],
    }


def statistics(user: Any, months: int = 12, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Counts per other country and month (sent and received) of the requests of the user's unit the user may
    see, sent in the last `months` months (this one included), and the median hours to a first answer each way.

    Shape: {"table": [{"month": "YYYY-MM", "country": code, "sent": n, "received": n}, ...] newest first,
    "median_hours_sent"/"median_hours_received": float or None, "answered_sent"/"answered_received": n}.

    Read from the summary (`assistance.summary`): a few hundred rows whatever the number of requests, in the
    visibility classes the user sees; a user who does not see every request to verify a victim's nationality
    gets the summary without them plus their own, counted live. The median: the summary's hours locate the
    middle answer, and only the requests of that hour are read (exact: always equal to `statistics_live`,
    PostgreSQL's percentile_cont or, on SQLite, the median in Python). Three or four queries
    (`dashboard_figures` gives it with the tabs' counts, sharing the reads)."""
    if not access.may_use_requests(user):
        return _empty()
    if timezone.get_current_timezone_name() != timezone.get_default_timezone_name():
        return statistics_live(user, months, now)
    return _statistics(user, months, _now(now), _own_victim_rows(user))


def _outgoing(unit: Any) -> Case:
    """True for a row the unit sent (it is the requesting unit), else False."""
    return Case(When(requesting_unit_id=unit, then=Value(True)), default=Value(False), output_field=BooleanField())


def _own_victim_query(reader: Any) -> QuerySet[Any, Any]:
    """`_own_victim_rows`'s query: the reader's own requests to verify a victim's nationality in the tabs' scope."""
    return dashboard_requests(reader).filter(created_by=reader, kind=RequestKind.VERIFY_VICTIM_NATIONALITY).values(
        "state", "sent_at", "requesting_unit_id", "requested_unit_id", "requesting_unit__country_id",
        "requested_unit__country_id", "answer_hour").order_by()


def _state_query(reader: Any) -> QuerySet[Any, Any]:
    """The tabs' summary rows: requests per state and direction (outgoing: the reader's unit sent them) in the
    tabs' scope (a liaison officer: every one they see; else their unit's, both ways)."""
    unit = reader.unit_id
    mine = Q() if reader.has_capability("liaison") else Q(requesting_unit_id=unit) | Q(requested_unit_id=unit)
    return access.visible_counts(reader).filter(mine).annotate(outgoing=_outgoing(unit)).values(
        "state", "outgoing").annotate(total=Sum("n")).order_by()


def _statistics_base(reader: Any, since: datetime.date) -> QuerySet[RequestCount]:
    unit = reader.unit_id
    return access.visible_counts(reader).filter(Q(requesting_unit_id=unit) | Q(requested_unit_id=unit), month__gte=since)


def _month_query(reader: Any, since: datetime.date) -> QuerySet[Any, Any]:
    """The statistics' summary rows: requests per month from `since`, other country and direction."""
    unit = reader.unit_id
    return _statistics_base(reader, since).annotate(outgoing=_outgoing(unit), country=Case(
        When(requesting_unit_id=unit, then=F("requested_unit__country_id")), default=F("requesting_unit__country_id"))
    ).values("month", "country", "outgoing").annotate(total=Sum("n")).order_by()


def _hour_query(reader: Any, since: datetime.date) -> QuerySet[Any, Any]:
    """The statistics' summary rows: answered requests per direction and whole hour to the first answer."""
    return _statistics_base(reader, since).filter(answered=True).annotate(outgoing=_outgoing(reader.unit_id)).values(
        "outgoing", "answer_hour").annotate(total=Sum("n")).order_by()


def _overdue_query(reader: Any, at: datetime.datetime) -> QuerySet[Request]:
    return dashboard_requests(reader).filter(state__in=OPEN_STATES, deadline__lt=at)


# The dashboard's fixed-shape reads, compiled once per process and reader shape (core.prepared; issue 19: Django's
# building of these queries with their visibility rules was about a third of the dashboard's CPU). The rules run
# in the statements with each user's id, unit and country; the medians' query (its hours vary) stays with the ORM.
_MONTH = RequestCount._meta.get_field("month")
_OWN_VICTIM: Prepared[Request] = Prepared("assistance.own_victim", Request, _own_victim_query, args=[])
_BY_STATE: Prepared[RequestCount] = Prepared("assistance.tab_states", RequestCount, _state_query, args=[])
_BY_MONTH: Prepared[RequestCount] = Prepared("assistance.statistics_months", RequestCount, _month_query, args=[_MONTH])
_BY_HOUR: Prepared[RequestCount] = Prepared("assistance.statistics_hours", RequestCount, _hour_query, args=[_MONTH])
_OVERDUE: Prepared[Request] = Prepared("assistance.overdue", Request, _overdue_query,
                                       args=[Request._meta.get_field("deadline")])


def _own_victim_rows(user: Any) -> list[dict[str, Any]]:
    """The requests to verify a victim's nationality the user wrote, when they see only those (few: read by their
    author's index), in the scope of the dashboard's tabs (`dashboard_requests`; for a liaison officer every one
    they see, else their unit's both ways; the same rows as `access.own_victim_requests` in that scope): each as
    {"state", "sent_at", "requesting_unit_id", "requested_unit_id", "requesting_unit__country_id",
    "requested_unit__country_id", "answer_hour"}. [] for users who see them all (the summary counts those)."""
    if access.sees_victim_requests(user):
        return []
    return _OWN_VICTIM.values(user)


def _statistics(user: Any, months: int, at: datetime.datetime, own_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """`statistics` for a user who may use requests, in the node's time zone, given their own victim requests
    (`_own_victim_rows`); the summary's rows through `access.visible_counts(user)`, the medians' requests through
    `dashboard_requests(user)` (it holds every request of the user's unit, both ways, they may see)."""
    start = window_start(at, months)
    unit = user.unit_id
    counts: dict[tuple[str, str], dict[str, int]] = {}
    hours: dict[bool, dict[int, int]] = {True: {}, False: {}}

    def count(month: datetime.date, country: str, out: bool, n: int) -> None:
        cell = counts.setdefault((month.strftime("%Y-%m"), country), {"sent": 0, "received": 0})
        cell["sent" if out else "received"] += n

    for row in _BY_MONTH.values(user, start.date()):
        count(row["month"], row["country"], bool(row["outgoing"]), row["total"])
    for row in _BY_HOUR.values(user, start.date()):
        side = hours[bool(row["outgoing"])]
        side[row["answer_hour"]] = side.get(row["answer_hour"], 0) + row["total"]
    for req in own_rows:  # the user's own requests to verify a victim's nationality (when they see only theirs)
        sent_at = req["sent_at"]
        if sent_at is None or sent_at < start or unit not in (req["requesting_unit_id"], req["requested_unit_id"]):
            continue
        out = req["requesting_unit_id"] == unit
        count(summary.month_of(sent_at), req["requested_unit__country_id" if out else "requesting_unit__country_id"], out, 1)
        if req["answer_hour"] is not None:
            hours[out][req["answer_hour"]] = hours[out].get(req["answer_hour"], 0) + 1
    answered_count = {out: sum(histogram.values()) for out, histogram in hours.items()}
    try:
        medians = _medians_from(user, start, hours)
    except StaleSummary:
        logger.error("assistance.summary is stale (run manage.py request_summary --rebuild): statistics counted live")
        return statistics_live(user, months, at)
    return _result(counts, medians, answered_count)


class StaleSummary(Exception):
    """The summary and the requests disagree (requests written around the services, by SQL)."""


def _medians_from(user: Any, start: datetime.datetime,
                  hours: dict[bool, dict[int, int]]) -> dict[bool, float | None]:
    """The exact medians of the hours to a first answer, each way (True: the unit's own requests), given how many
    answers fell in each whole hour: the middle one or two ranks are located in their hours, and only the requests
    of those hours are read, both ways in one query. StaleSummary when an hour holds fewer answers than counted."""
    unit = user.unit_id
    sides = {True: Q(requesting_unit_id=unit), False: Q(requested_unit_id=unit) & ~Q(requesting_unit_id=unit)}
    located: dict[bool, dict[int, list[int]]] = {}  # side -> hour -> offsets within the hour's answers, in rank order
    for out, histogram in hours.items():
        total = sum(histogram.values())
        if not total:
            continue
        ranks = sorted({(total - 1) // 2, total // 2})
        below = 0
        for hour in sorted(histogram):
            n = histogram[hour]
            for rank in ranks:
                if below <= rank < below + n:
                    located.setdefault(out, {}).setdefault(hour, []).append(rank - below)
            below += n
    medians: dict[bool, float | None] = {True: None, False: None}
    if not located:
        return medians
    picked: dict[tuple[bool, int], dict[int, float]] = {}  # (side, hour) -> offset within the hour -> hours
    if connection.vendor == "postgresql":
        # the hours as percentile_cont orders them (double precision), ranked within each side's hour by the
        # database: only the located ranks come back (an hour holds about 400 answers of a unit at 100,000 requests);
        # a fixed shape (two (hour, rank) pairs a side) compiled once per process (core.prepared)
        pairs: list[int] = []
        for out in (True, False):
            wanted = [(hour, offset + 1) for hour, offsets in sorted(located.get(out, {}).items()) for offset in offsets]
            wanted = (wanted or [(_NO_HOUR, 0)]) * 2  # (rank 0: none; one rank: its pair twice)
            pairs += [*wanted[0], *wanted[1]]
        for row in _RANKED.values(user, start, *pairs):
            picked.setdefault((bool(row["outgoing"]), row["answer_hour"]), {})[row["rank"] - 1] = row["h"]
        return _medians_of(located, picked)
    which = Q(pk__in=[])
    for out, by_hour in located.items():
        which |= sides[out] & Q(answer_hour__in=sorted(by_hour))
    rows = dashboard_requests(user).filter(which, sent_at__gte=start, first_answer_at__isnull=False)
    # SQLite (development, tests): every answer of the hours, sorted here
    found: dict[tuple[bool, int], list[float]] = {}
    for out, in_hour, sent, first in rows.annotate(outgoing=_outgoing(unit)).values_list(
            "outgoing", "answer_hour", "sent_at", "first_answer_at").order_by():
        if sent is not None and first is not None:  # (both filtered non-null above)
            found.setdefault((bool(out), cast(int, in_hour)), []).append((first - sent).total_seconds() / 3600)
    for key, hours_of in found.items():
        ordered = sorted(hours_of)
        picked[key] = {o: ordered[o] for o in located.get(key[0], {}).get(key[1], []) if o < len(ordered)}
    return _medians_of(located, picked)


def _medians_of(located: dict[bool, dict[int, list[int]]], picked: dict[tuple[bool, int], dict[int, float]]) -> dict[bool, float | None]:
    """The medians each way from the located offsets (side -> hour -> offsets) and the hours read at them ((side,
    hour) -> offset -> hours). StaleSummary when one is missing."""
    medians: dict[bool, float | None] = {True: None, False: None}
    for out, by_hour in located.items():
        values: list[float] = []
        for hour, offsets in by_hour.items():
            middle = picked.get((out, hour), {})
            if any(o not in middle for o in offsets):
                raise StaleSummary(f"the summary counts more answers in hour {hour} than the requests hold")
            values.extend(middle[o] for o in offsets)
        if len(values) == 1:
            medians[out] = values[0]
        else:
            low, high = values
            # percentile_cont(0.5)'s interpolation, as PostgreSQL computes it; `median` of the two, as SQLite's
            # live statistics take it
            medians[out] = low + 0.5 * (high - low) if connection.vendor == "postgresql" else (low + high) / 2
    return medians


_NO_HOUR = -1  # an hour no side asks for (with rank 0: ROW_NUMBER starts at 1, so no row)


def _ranked_query(reader: Any, start: datetime.datetime, *pairs: int) -> QuerySet[Any, Any]:
    """The medians' rows on PostgreSQL: the reader's unit's answered requests sent from `start` they may see, in the
    located hours, ranked by hours to the first answer within each direction's hour; only the ranks asked for.
    `pairs`: hour, rank, hour, rank for the unit's own requests, then the same for those sent to it (a side with
    one rank asks for it twice; a side with none for (_NO_HOUR, 0)). Rows: {"outgoing", "answer_hour", "rank",
    "h"} (h: hours, double precision, as percentile_cont orders them)."""
    unit = reader.unit_id
    h1a, r1a, h1b, r1b, h0a, r0a, h0b, r0b = pairs
    rows = dashboard_requests(reader).filter(
        (Q(requesting_unit_id=unit) & (Q(answer_hour=h1a) | Q(answer_hour=h1b)))
        | (Q(requested_unit_id=unit) & ~Q(requesting_unit_id=unit) & (Q(answer_hour=h0a) | Q(answer_hour=h0b))),
        sent_at__gte=start, first_answer_at__isnull=False)
    ranked = rows.annotate(outgoing=_outgoing(unit), h=_hours()).annotate(
        rank=Window(RowNumber(), partition_by=[F("outgoing"), F("answer_hour")], order_by=F("h").asc()))
    wanted = (Q(outgoing=True, answer_hour=h1a, rank=r1a) | Q(outgoing=True, answer_hour=h1b, rank=r1b)
              | Q(outgoing=False, answer_hour=h0a, rank=r0a) | Q(outgoing=False, answer_hour=h0b, rank=r0b))
    return ranked.filter(wanted).values("outgoing", "answer_hour", "rank", "h").order_by()


_HOUR = Request._meta.get_field("answer_hour")
_RANKED: Prepared[Request] = Prepared("assistance.median_ranks", Request, _ranked_query,
                                      args=[Request._meta.get_field("sent_at"), *[_HOUR] * 8])


CLOSED_STATES = (RequestState.ANSWERED, RequestState.DECLINED, RequestState.CLOSED)  # the dashboard's last tab


def dashboard_requests(user: Any) -> QuerySet[Request]:
    """The requests the dashboard's tabs list: the visible requests of the user's unit, both ways; for a liaison
    officer every request they see (their country's)."""
    if user.has_capability("liaison"):
        return access.visible_requests(user)
    return access.visible_requests(user).filter(Q(requesting_unit_id=user.unit_id) | Q(requested_unit_id=user.unit_id))


def tab_counts(user: Any, now: datetime.datetime | None = None, overdue_limit: int | None = None) -> dict[str, int]:
    """How many requests the dashboard's tabs list: {"open": n, "overdue": n (open, deadline passed at `now`),
    "drafts": n (not sent yet, of the user's unit), "closed": n (answered, declined or closed)}, each equal to the
    count of `dashboard_requests` so filtered; with `overdue_limit`, the overdue are counted up to `overdue_limit`
    + 1 only (more than the limit: `overdue_limit` + 1).

    Open and drafts from the summary by state (one query; the user's own victim requests, when they see only
    theirs, one more); overdue depends on the time, so it is counted on the requests, from the indexes of the open
    ones by deadline (request_out_open_deadline, request_in_open_deadline): only the overdue entries are read, at
    most `overdue_limit` + 1 of them when it is given (issue 19: 13,000 overdue requests of a unit in the synthetic
    set of bench/pages.py took 24 ms of database CPU per view to count)."""
    if not access.may_use_requests(user):
        return {"open": 0, "overdue": 0, "drafts": 0, "closed": 0}
    return _tab_counts(user, _now(now), overdue_limit, _own_victim_rows(user))


def _tab_counts(user: Any, at: datetime.datetime, overdue_limit: int | None, own_rows: list[dict[str, Any]]) -> dict[str, int]:
    """`tab_counts` for a user who may use requests, given their own victim requests (`_own_victim_rows`)."""
    unit = user.unit_id
    by_state: dict[tuple[str, bool], int] = {}
    for row in _BY_STATE.values(user):
        key = (row["state"], bool(row["outgoing"]))
        by_state[key] = by_state.get(key, 0) + row["total"]
    for req in own_rows:  # (already in the tabs' scope)
        key = (req["state"], req["requesting_unit_id"] == unit)
        by_state[key] = by_state.get(key, 0) + 1
    # (the overdue up to overdue_limit + 1 of them: SELECT COUNT(*) over the first keys, as [:n].count())
    overdue = _OVERDUE.count(user, at, limit=None if overdue_limit is None else overdue_limit + 1)
    return {
        "open": sum(n for (state, _out), n in by_state.items() if state in OPEN_STATES),
        "overdue": overdue,
        "drafts": sum(n for (state, out), n in by_state.items() if state in UNSENT_STATES and out),
        "closed": sum(n for (state, _out), n in by_state.items() if state in CLOSED_STATES),
    }


def dashboard_figures(user: Any, now: datetime.datetime | None = None,
                      overdue_limit: int | None = None) -> tuple[dict[str, int], dict[str, Any]]:
    """`tab_counts(user, now, overdue_limit)` and `statistics(user, now=now)` (12 months) together, as each would
    give them, reading the user's own requests to verify a victim's nationality once for both (issue 19: the
    dashboard read them twice). Every query but the SQLite medians' through statements compiled once per process
    and reader shape (core.prepared)."""
    if not access.may_use_requests(user):
        return tab_counts(user, now, overdue_limit), _empty()
    at = _now(now)
    own_rows = _own_victim_rows(user)
    counts = _tab_counts(user, at, overdue_limit, own_rows)
    if timezone.get_current_timezone_name() != timezone.get_default_timezone_name():
        return counts, statistics_live(user, 12, at)
    return counts, _statistics(user, 12, at, own_rows)


def alerts_for(user: Any) -> Any:
    """The alerts of the user's unit, newest first; escalations only for its supervisors."""
    if not access.may_use_requests(user):
        return Alert.objects.none()
    qs = Alert.objects.filter(unit_id=user.unit_id)
    if not user.has_capability("supervisor"):
        qs = qs.filter(supervisors_only=False)
    return qs


def time_left(req: Request, now: datetime.datetime | None = None) -> datetime.timedelta | None:
    if req.deadline is None or req.state not in OPEN_STATES:
        return None
    return req.deadline - _now(now)
