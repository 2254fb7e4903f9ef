"""The requests summary: counts kept on write, so that the dashboard's statistics read a few hundred summary rows
instead of aggregating every request of the unit over twelve months (issue 19: 127 ms of database CPU per view
at 100,000 requests).

A summary row (`RequestCount`) counts the requests of one requesting unit to one requested unit, sent in one
month (the node's time zone, settings.TIME_ZONE; NEVER_SENT for those not sent), in one state, of one kind class,
and answered for the first time in one whole hour after sending (or not answered yet). These are the facts
`access.visible_requests` decides on (`access.visible_counts` applies the same rules to the summary's rows):

- the state: one not yet sent (draft, awaiting approval, approved) only the requesting unit sees;
- `victim`: a request to verify a victim's nationality: only victim-protection officers, supervisors and its
  author see it. Others get the summary without this class, plus their own such requests counted live.

The dashboard reads from it its statistics (months, countries, medians) and the counts of its tabs by state.

Every change of these facts goes through `Request.save`, `Request.delete` and the request queryset's `update` and
`delete` (models.py), which call `moved` in the same transaction as the change: the summary commits with the
request or not at all, for a step taken here as for one a peer's envelope brings. `rebuild` recomputes it from the
requests (`manage.py request_summary --rebuild`; `--check` compares).

The hour of the first answer is also kept on the request (`Request.answer_hour`, indexed with each unit), so that
the median is exact: the summary tells in which hour the middle answer lies, and only the requests of that hour
are read to find it (`services.dashboard.statistics`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from borderlink.core import summary_rows

HOUR_US = 3_600_000_000
NEVER_SENT = datetime.date(1, 1, 1)  # the month of a request not sent: before every window
# the request fields the summary depends on: a change to one of them moves the request between summary rows
FIELDS = ("requesting_unit_id", "requested_unit_id", "sent_at", "state", "kind", "first_answer_at")


@dataclass(frozen=True)
class Key:
    """The summary row a request counts in."""

    requesting_unit_id: int
    requested_unit_id: int
    month: datetime.date
    state: str
    victim: bool
    answered: bool
    answer_hour: int


def answer_hour(sent_at: datetime.datetime | None, first_answer_at: datetime.datetime | None) -> int | None:
    """Whole hours from sending to the first answer, rounded down (negative when a peer's clock put the answer
    first); None when either is missing. In integer microseconds, so that it orders requests as their exact
    durations do (the median's hour holds the median)."""
    if sent_at is None or first_answer_at is None:
        return None
    delta = first_answer_at - sent_at
    return ((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds) // HOUR_US


month_of = summary_rows.month_of  # the first day of a moment's month in the node's time zone, as TruncMonth reads it


def key_of(values: dict[str, Any]) -> Key:
    """The summary row of a request given as its FIELDS (a dict, as `values()` reads them)."""
    from borderlink.assistance.models import RequestKind

    sent_at = values["sent_at"]
    hour = answer_hour(sent_at, values["first_answer_at"])
    return Key(values["requesting_unit_id"], values["requested_unit_id"], NEVER_SENT if sent_at is None else month_of(sent_at),
               str(values["state"]), values["kind"] == RequestKind.VERIFY_VICTIM_NATIONALITY, hour is not None, hour or 0)


def key_of_request(req: Any) -> Key:
    return key_of({name: getattr(req, name) for name in FIELDS})


def _add(changes: dict[Key, int]) -> None:
    from borderlink.assistance.models import RequestCount

    summary_rows.add_counts(RequestCount, changes)


def moved(before: list[Key | None], after: list[Key | None]) -> None:  # None: no request (created, or deleted)
    """Count out the rows `before` and in the rows `after` (requests changed, created or deleted), in the caller's
    transaction."""
    _add(summary_rows.net_changes(before, after))


def computed() -> dict[Key, int]:
    """The summary as the requests give it now: {key: count}, counted by the database per month in the node's
    time zone."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from borderlink.assistance.models import Request, RequestKind

    rows = (Request.objects.annotate(m=TruncMonth("sent_at", tzinfo=timezone.get_default_timezone()))
            .values("requesting_unit_id", "requested_unit_id", "m", "state", "kind", "answer_hour")
            .annotate(n=Count("pk")).order_by())
    out: dict[Key, int] = {}
    for row in rows:
        month = row["m"].date() if isinstance(row["m"], datetime.datetime) else row["m"]
        hour = row["answer_hour"]
        key = Key(row["requesting_unit_id"], row["requested_unit_id"], NEVER_SENT if month is None else month.replace(day=1),
                  row["state"], row["kind"] == RequestKind.VERIFY_VICTIM_NATIONALITY, hour is not None, hour or 0)
        out[key] = out.get(key, 0) + row["n"]
    return out


def stored() -> dict[Key, int]:
    """The summary as kept: {key: count}, rows counting zero left out."""
    from borderlink.assistance.models import RequestCount

    return {Key(r.requesting_unit_id, r.requested_unit_id, r.month, r.state, r.victim, r.answered, r.answer_hour): r.n
            for r in RequestCount.objects.exclude(n=0)}


def answer_hour_fixes() -> list[tuple[Any, int | None]]:
    """The requests whose `answer_hour` is not what their times give (written by SQL, or before the field):
    [(pk, the right hour or None)]."""
    from borderlink.assistance.models import Request

    fixes = []
    rows = Request.objects.filter(Q(answer_hour__isnull=False) | Q(first_answer_at__isnull=False, sent_at__isnull=False))
    for pk, sent_at, first, hour in rows.values_list("pk", "sent_at", "first_answer_at", "answer_hour").iterator(chunk_size=2000):
        right = answer_hour(sent_at, first)
        if hour != right:
            fixes.append((pk, right))
    return fixes


def fill_answer_hours() -> int:
    """Set `Request.answer_hour` where it is missing or wrong; returns how many were set."""
    from borderlink.assistance.models import Request

    fixes = answer_hour_fixes()
    Request.objects.bulk_update([Request(pk=pk, answer_hour=hour) for pk, hour in fixes], ["answer_hour"], batch_size=500)
    return len(fixes)


def rebuild() -> dict[str, int]:
    """Recompute the whole summary from the requests, under a lock on the summary table (writers wait);
    returns {"answer_hours_set": n, "rows": n, "requests": n}."""
    from borderlink.assistance.models import RequestCount

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(RequestCount._meta.db_table)} IN EXCLUSIVE MODE")
        fixed = fill_answer_hours()
        RequestCount.objects.all().delete()
        counts = computed()
        _add(counts)
    return {"answer_hours_set": fixed, "rows": len(counts), "requests": sum(counts.values())}
