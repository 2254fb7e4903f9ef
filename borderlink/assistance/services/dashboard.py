"""What the dashboard shows: counts per country and month, the median time to a first answer, alerts, and
the time left on an open request."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
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


def statistics(user: Any, months: int = 12, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Counts per other country and month (sent and received), and the median hours to a first answer."""
    at = _now(now)
    start = (at.replace(day=1, hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    unit = user.unit_id
    rows = access.visible_requests(user).filter(Q(requesting_unit_id=unit) | Q(requested_unit_id=unit), sent_at__gte=start).values(
        "requesting_unit_id", "requesting_unit__country_id", "requested_unit__country_id", "sent_at", "first_answer_at")
    counts: dict[tuple[str, str], dict[str, int]] = {}
    durations: dict[str, list[float]] = {"sent": [], "received": []}
    for row in rows:
        outgoing = row["requesting_unit_id"] == unit
        country = row["requested_unit__country_id"] if outgoing else row["requesting_unit__country_id"]
        month = timezone.localtime(row["sent_at"]).strftime("%Y-%m")
        cell = counts.setdefault((month, country), {"sent": 0, "received": 0})
        cell["sent" if outgoing else "received"] += 1
        if row["first_answer_at"] and row["sent_at"]:
            durations["sent" if outgoing else "received"].append((row["first_answer_at"] - row["sent_at"]).total_seconds() / 3600)
    table = [{"month": month, "country": country, **cell} for (month, country), cell in sorted(counts.items(), reverse=True)]
    return {
        "table": table,
        "median_hours_sent": median(durations["sent"]),
        "median_hours_received": median(durations["received"]),
        "answered_sent": len(durations["sent"]),
        "answered_received": len(durations["received"]),
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
