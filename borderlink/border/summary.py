"""The incidents summary: counts kept on write, so that the incident list's counts per pair, gate, kind and month
read a few summary rows instead of counting every incident of the period (issue 19: at 100,000 incidents the
list's GROUP BY over the period cost about 28 ms of database CPU per view, growing with the incidents).

A summary row (`IncidentCount`) counts the incidents that occurred in one month (the node's time zone,
settings.TIME_ZONE), on one province pair, at one gate (0: none), of one kind, reported by one unit, in one
sharing state, with the two protection flags. These are every fact `access.visible_incidents` decides on, so
`access.incident_scope` applies to the summary's rows as to the incidents: a user is counted exactly the
incidents they may see.

Every change of these facts goes through `BorderIncident.save`, `BorderIncident.delete` and the incident
queryset's `update` and `delete` (models/incidents.py), which call `moved` in the same transaction as the change:
the summary commits with the incident or not at all, for an incident recorded, settled or shared here as for
one a peer's envelope brings. `rebuild` recomputes it from the incidents (`manage.py incident_summary --rebuild`,
after incidents were written by SQL; `--check` compares).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from borderlink.core import summary_rows

# the incident fields the summary depends on: a change to one of them moves the incident between summary rows
FIELDS = ("occurred_at", "pair_id", "gate_id", "kind", "reporting_unit_id", "sharing", "child_flagged", "protection_referred")
COLUMNS = ("month", "pair_id", "gate_key", "kind", "reporting_unit_id", "sharing", "child_flagged", "protection_referred")


@dataclass(frozen=True, order=True)
class Key:
    """The summary row an incident counts in (`gate_key` 0: no gate)."""

    month: datetime.date
    pair_id: int
    gate_key: int
    kind: str
    reporting_unit_id: int
    sharing: str
    child_flagged: bool
    protection_referred: bool


month_of = summary_rows.month_of  # the first day of a moment's month in the node's time zone, as TruncMonth reads it


def key_of(values: dict[str, Any]) -> Key:
    """The summary row of an incident given as its FIELDS (a dict, as `values()` reads them)."""
    return Key(month_of(values["occurred_at"]), values["pair_id"], values["gate_id"] or 0, str(values["kind"]),
               values["reporting_unit_id"], str(values["sharing"]), bool(values["child_flagged"]),
               bool(values["protection_referred"]))


def key_of_incident(item: Any) -> Key:
    return key_of({name: getattr(item, name) for name in FIELDS})


def touches(fields: Any) -> bool:
    """Whether a save's `update_fields` or an update's keywords name a field the summary depends on."""
    return bool(set(fields) & {*FIELDS, *(f.removesuffix("_id") for f in FIELDS)})


def _add(changes: dict[Key, int]) -> None:
    from borderlink.border.models import IncidentCount

    summary_rows.add_counts(IncidentCount, changes)


def moved(before: list[Key | None], after: list[Key | None]) -> None:  # None: no incident (created, or deleted)
    """Count out the rows `before` and in the rows `after` (incidents changed, created or deleted), in the caller's
    transaction."""
    _add(summary_rows.net_changes(before, after))


def computed() -> dict[Key, int]:
    """The summary as the incidents give it now: {key: count}, counted by the database per month in the node's
    time zone."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from borderlink.border.models import BorderIncident

    rows = (BorderIncident._base_manager.annotate(m=TruncMonth("occurred_at", tzinfo=timezone.get_default_timezone()))
            .values("m", *FIELDS[1:]).annotate(n=Count("*")).order_by())
    out: dict[Key, int] = {}
    for row in rows:
        month = row["m"].date() if isinstance(row["m"], datetime.datetime) else row["m"]
        key = Key(month.replace(day=1), row["pair_id"], row["gate_id"] or 0, row["kind"], row["reporting_unit_id"],
                  row["sharing"], row["child_flagged"], row["protection_referred"])
        out[key] = out.get(key, 0) + row["n"]
    return out


def stored() -> dict[Key, int]:
    """The summary as kept: {key: count}, rows counting zero left out."""
    from borderlink.border.models import IncidentCount

    return {Key(*(row[:-1])): row[-1] for row in IncidentCount.objects.exclude(n=0).values_list(*COLUMNS, "n")}


def differences() -> list[tuple[Key, int, int]]:
    """[(key, kept, the incidents' count)] where the summary differs from the incidents, in key order."""
    kept, right = stored(), computed()
    return [(k, kept.get(k, 0), right.get(k, 0)) for k in sorted(set(kept) | set(right)) if kept.get(k, 0) != right.get(k, 0)]


def rebuild() -> dict[str, int]:
    """Recompute the whole summary from the incidents, under a lock on the summary table (writers wait);
    returns {"rows": n, "incidents": n}."""
    from borderlink.border.models import IncidentCount

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(IncidentCount._meta.db_table)} IN EXCLUSIVE MODE")
        IncidentCount.objects.all().delete()
        counts = computed()
        _add(counts)
    return {"rows": len(counts), "incidents": sum(counts.values())}
