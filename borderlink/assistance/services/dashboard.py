"""What the dashboard shows: counts per country and month, the median time to a first answer, alerts, and
the time left on an open request."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import Aggregate, BooleanField, Case, Count, F, FloatField, Func, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from borderlink.assistance import access
from borderlink.assistance.models import OPEN_STATES, Alert, Request
from borderlink.core import clock


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


def statistics(user: Any, months: int = 12, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Counts per other country and month (sent and received), and the median hours to a first answer.

    Counted and (on PostgreSQL) the medians taken by the database: two queries whatever the number of
    requests; the rows never come into Python. Months are those of the current time zone."""
    at = _now(now)
    start = (at.replace(day=1, hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
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
        hours = Func(F("first_answer_at") - F("sent_at"), template="EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0",
                     output_field=FloatField())
        for row in answered.values("outgoing").annotate(n=Count("pk"), median=_Median(hours)).order_by():
            medians[row["outgoing"]], answered_count[row["outgoing"]] = row["median"], row["n"]
    else:  # SQLite (development, tests): the durations in Python
        durations: dict[bool, list[float]] = {True: [], False: []}
        for out, sent_at, first in answered.values_list("outgoing", "sent_at", "first_answer_at"):
            if sent_at is not None and first is not None:
                durations[bool(out)].append((first - sent_at).total_seconds() / 3600)
        for side, values in durations.items():
            medians[side], answered_count[side] = median(values), len(values)
    table = [{"month": month, "country": country, **cell} for (month, country), cell in sorted(counts.items(), reverse=True)]
    return {
        "table": table,
        "median_hours_sent": medians[True],
        "median_hours_received": medians[False],
        "answered_sent": answered_count[True],
        "answered_received": answered_count[False],
    }


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
