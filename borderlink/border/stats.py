"""The incident list's filters, its counts per province pair, gate, kind and month, the chart drawn from them
(SVG made on the server: no JavaScript, nothing loaded from elsewhere) and the CSV export."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.border import access
from borderlink.border.models import BorderIncident, IncidentCount, IncidentKind, ProvincePair
from borderlink.core import clock, csv_export, display
from borderlink.core.csv_export import safe_cell  # noqa: F401  (border.stats.safe_cell stays importable)
from borderlink.core.models import BorderGate
from borderlink.core.prepared import Prepared

MONTHS_MAX = 36
EXPORT_MAX = 50_000
# one colour per kind, in the order of IncidentKind
COLOURS = ["#1f5f8b", "#c2571a", "#6a3d9a", "#2e7d32", "#8d6e00", "#b71c1c", "#607d8b"]


@dataclass
class Filters:
    pair: ProvincePair | None
    gate: BorderGate | None
    kind: str
    start: datetime.date  # first day of the first month
    end: datetime.date  # first day of the month after the last

    def query(self) -> str:
        parts = [f"from={self.start:%Y-%m}", f"to={(self.end - datetime.timedelta(days=1)):%Y-%m}"]
        if self.pair:
            parts.append(f"pair={self.pair.code}")
        if self.gate:
            parts.append(f"gate={self.gate.pk}")
        if self.kind:
            parts.append(f"kind={self.kind}")
        return "&".join(parts)


def _month(value: str, key: str, errors: dict[str, list[str]]) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        errors.setdefault(key, []).append(_("Give the month as YYYY-MM."))
        return None


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def parse_filters(user: Any, data: dict[str, Any]) -> Filters:
    """Filters from a query string or the API: months `from` and `to` (YYYY-MM, at most 36 months; by default the
    last 12), a pair code of the user's, a gate id of that pair (or of the user's pairs), a kind. Raises
    ValidationError per field."""
    errors: dict[str, list[str]] = {}
    today = timezone.localtime(clock.now()).date().replace(day=1)
    default_start = (today - datetime.timedelta(days=330)).replace(day=1)
    start = _month(str(data.get("from") or f"{default_start:%Y-%m}"), "from", errors)
    last = _month(str(data.get("to") or f"{today:%Y-%m}"), "to", errors)
    pairs = access.user_pairs(user)
    pair = None
    if data.get("pair"):
        pair = pairs.select_related("side_a", "side_b").filter(code=str(data["pair"])[:40]).first()
        if pair is None:
            errors.setdefault("pair", []).append(_("Choose one of your province pairs."))
    gate = None
    if data.get("gate"):
        gates = (pair.gates.all() if pair else BorderGate.objects.filter(province_pairs__in=pairs)).distinct()
        gate = gates.filter(pk=data["gate"]).first() if str(data["gate"]).isdigit() else None
        if gate is None:
            errors.setdefault("gate", []).append(_("This gate is not on the border between these two provinces."))
    kind = str(data.get("kind") or "")
    if kind and kind not in IncidentKind.values:
        errors.setdefault("kind", []).append(_("Choose a value from the list."))
    if start and last:
        if last < start:
            errors.setdefault("to", []).append(_("The last month must not come before the first."))
        elif (last.year - start.year) * 12 + last.month - start.month >= MONTHS_MAX:
            errors.setdefault("to", []).append(_("At most %(n)d months at a time.") % {"n": MONTHS_MAX})
    if errors:
        raise ValidationError(errors)
    if start is None or last is None:  # reported above; narrows the types
        raise ValidationError({"from": [_("Give the month as YYYY-MM.")]})
    return Filters(pair, gate, kind, start, _next_month(last))


def filtered(user: Any, filters: Filters) -> QuerySet[BorderIncident]:
    tz = timezone.get_current_timezone()
    qs = access.visible_incidents(user).filter(
        occurred_at__gte=datetime.datetime.combine(filters.start, datetime.time(), tz),
        occurred_at__lt=datetime.datetime.combine(filters.end, datetime.time(), tz))
    if filters.pair:
        qs = qs.filter(pair=filters.pair)
    if filters.gate:
        qs = qs.filter(gate=filters.gate)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


def months(filters: Filters) -> list[datetime.date]:
    out, day = [], filters.start
    while day < filters.end:
        out.append(day)
        day = _next_month(day)
    return out


def counts(user: Any, filters: Filters) -> dict[str, Any]:
    """`counts_and_names` without the names."""
    return counts_and_names(user, filters)[0]


def counts_and_names(user: Any, filters: Filters, pairs: list[ProvincePair] | None = None,
                     gates: list[BorderGate] | None = None) -> tuple[dict[str, Any], dict[int, str], dict[int, str]]:
    """Counts of incidents per pair, gate, kind and month, for the filters' period: {"total": n, "pairs": [{"pair":
    name, "n": n}] most first, "gates": [{"gate": name, "n": n}] most first, "kinds": [{"kind", "label", "n"}] in
    IncidentKind's order, "months": [{"month": "YYYY-MM", "n": n, "kinds": {kind: n}}] oldest first}.

    Read from the incidents summary (`border.summary`: counts kept on write per month, pair, gate, kind and the
    visibility rules' columns), with the same visibility rule as the incidents (`access.visible_incident_counts`)
    and the filters' whole months: one query over a few summary rows per month, whatever the number of incidents
    (issue 19: the GROUP BY over the period's incidents cost about 28 ms of database CPU per view at 100,000).

    With the counts, the names of the pairs and gates counted ({id: name in the reader's language}): every incident
    the list shows is among those counted, so its rows take their pair's and gate's names from here."""
    by_pair: dict[int, int] = {}
    by_gate: dict[int, int] = {}
    by_kind: dict[str, int] = {}
    cells: dict[tuple[datetime.date, str], int] = {}
    shape, args = _filter_args(filters)
    for row in _counts_read(shape).values(user, filters.start, filters.end, *args):
        pair, gate, kind, month, n = row["pair_id"], row["gate_key"], row["kind"], row["month"], row["total"]
        if not n:
            continue
        by_pair[pair] = by_pair.get(pair, 0) + n
        if gate:
            by_gate[gate] = by_gate.get(gate, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
        cells[(month, kind)] = cells.get((month, kind), 0) + n
    known_pairs = {p.pk: p for p in pairs or ()}
    pair_names = {k: str(known_pairs[k]) for k in by_pair if k in known_pairs}
    if missing := [k for k in by_pair if k not in pair_names]:
        pair_names |= {p.pk: str(p) for p in ProvincePair.objects.filter(pk__in=missing).select_related("side_a", "side_b")}
    known_gates = {g.pk: g for g in gates or ()}
    gate_names = {k: str(known_gates[k]) for k in by_gate if k in known_gates}
    if missing := [k for k in by_gate if k not in gate_names]:
        gate_names |= {g.pk: str(g) for g in BorderGate.objects.filter(pk__in=missing)}
    labels = dict(IncidentKind.choices)
    month_list = months(filters)
    data: dict[str, Any] = {
        "total": sum(by_kind.values()),
        "pairs": sorted(({"pair": pair_names.get(k, "?"), "n": v} for k, v in by_pair.items()), key=lambda r: -r["n"]),
        "gates": [{"gate": gate_names.get(k, "?"), "n": v} for k, v in sorted(by_gate.items(), key=lambda kv: -kv[1])],
        "kinds": [{"kind": k, "label": str(labels[k]), "n": by_kind.get(k, 0)} for k in IncidentKind.values],
        "months": [{"month": f"{m:%Y-%m}", "n": sum(cells.get((m, k), 0) for k in IncidentKind.values),
                    "kinds": {k: cells.get((m, k), 0) for k in IncidentKind.values}} for m in month_list],
    }
    return data, pair_names, gate_names


def _filter_args(filters: Filters) -> tuple[tuple[bool, bool, bool], list[Any]]:
    """Which of the pair, gate and kind filters are set, and their values in that order (a prepared read's
    arguments after the period's bounds)."""
    shape = (filters.pair is not None, filters.gate is not None, bool(filters.kind))
    values = (filters.pair.pk if filters.pair else None, filters.gate.pk if filters.gate else None, filters.kind)
    return shape, [v for v, on in zip(values, shape, strict=True) if on]


def _filtered_by(qs: QuerySet[Any], shape: tuple[bool, bool, bool], args: list[Any], gate: str) -> QuerySet[Any]:
    """`qs` with the pair, gate and kind filters of `shape` (their values first among `args`, as `_filter_args`);
    `gate`: the gate's column ("gate_id" on the incidents, "gate_key" on the summary)."""
    rest = iter(args)
    for on, column in zip(shape, ("pair_id", gate, "kind"), strict=True):
        if on:
            qs = qs.filter(**{column: next(rest)})
    return qs


_COUNTS: dict[tuple[bool, bool, bool], Prepared[IncidentCount]] = {}


def _counts_read(shape: tuple[bool, bool, bool]) -> Prepared[IncidentCount]:
    """The counts' GROUP BY over the summary for one combination of filters, a fixed-shape statement (`core.prepared`:
    built and compiled by the ORM once per process and reader shape, the visibility rule bound with this reader's
    unit, country and province on every view). Arguments: the first month, the month after the last, then the
    filters' values (`_filter_args`)."""
    read = _COUNTS.get(shape)
    if read is None:
        from django.db.models import Sum

        def build(reader: Any, start: datetime.date, end: datetime.date, *args: Any) -> QuerySet[Any]:
            qs = access.visible_incident_counts(reader).filter(month__gte=start, month__lt=end)
            return _filtered_by(qs, shape, list(args), "gate_key").values("pair_id", "gate_key", "kind", "month").annotate(
                total=Sum("n")).order_by()

        def field(name: str) -> Field:
            return cast(Field, IncidentCount._meta.get_field(name))

        fields = [field("month"), field("month")] + [f for f, on in zip((field("pair"), field("gate_key"), field("kind")), shape,
                                                                         strict=True) if on]
        read = _COUNTS[shape] = Prepared(f"border.counts{shape}", IncidentCount, build, args=fields)
    return read


def chart_svg(data: dict[str, Any], title: str) -> str:
    """A stacked bar per month, one colour per kind, with a legend: plain SVG text, every label escaped."""
    month_rows = data["months"]
    width, height, left, bottom, top = 720, 260, 36, 40, 16
    plot_h = height - bottom - top
    peak = max([m["n"] for m in month_rows] + [1])
    step = (width - left - 8) / max(len(month_rows), 1)
    bar = max(step * 0.7, 2)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 24 * 2}" role="img" '
             f'aria-labelledby="chart-title" class="chart"><title id="chart-title">{escape(title)}</title>']
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    for i, month in enumerate(month_rows):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for k_index, kind in enumerate(IncidentKind.values):
            n = month["kinds"][kind]
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{COLOURS[k_index]}">'
                         f'<title>{escape(display.month_label(month["month"]))}: {n}</title></rect>')
        if len(month_rows) <= 12 or i % 3 == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11">'
                         f'{escape(display.month_short(month["month"], i == 0 or month["month"].endswith("-01")))}</text>')
    legend_y = height + 4
    for k_index, entry in enumerate(data["kinds"]):
        x = left + (k_index % 3) * 230
        y = legend_y + (k_index // 3) * 16
        parts.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{COLOURS[k_index]}"/>'
                     f'<text x="{x + 14}" y="{y + 9}" font-size="11">{escape(entry["label"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


BRANCHES_MAX = 40  # more units and pairs than this (a liaison or protection officer of a large country): one condition


class NewestFirst:
    """The incidents of `rows` (a queryset of visible incidents, filtered) newest first, then by id, read a slice at a
    time for a paginator (`count`: the number of rows, known from the counts). On PostgreSQL a slice [start:stop] is
    the union of `branches` (`access.incident_branches`: one reporting unit or one pair each, together holding every
    incident of `rows`), each read in the order of its own index and stopped after `stop` rows, then merged and
    cut: the work is bounded by `stop` rows per branch, not by how far back the user's incidents sit among
    everybody's. Read as one condition in the list's order (`incident_list` index) when there is one branch or more
    than BRANCHES_MAX, and on databases whose compound queries cannot each be ordered and limited (SQLite).

    `read(start, stop)`: the same slice through a fixed-shape statement (`newest_first_read`), or None to build it
    with the ORM here.

    Why (issue 19): at full scale the one condition walked the newest-first index across 33,335 other units'
    incidents before the first of `kh.officer`'s (127-213 ms a view)."""

    def __init__(self, rows: QuerySet[BorderIncident] | Callable[[], QuerySet[BorderIncident]], branches: list[Any], count: int,
                 read: Callable[[int, int], list[BorderIncident] | None] | None = None) -> None:
        """`rows`: the queryset, or a function building it (called only when the ORM reads a slice)."""
        self._rows, self.branches, self._count, self.read = rows, branches, count, read

    @property
    def rows(self) -> QuerySet[BorderIncident]:
        if callable(self._rows) and not isinstance(self._rows, QuerySet):
            self._rows = self._rows()
        return self._rows.order_by("-occurred_at", "pk")

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: slice) -> list[BorderIncident]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("NewestFirst is read by slices")
        start, stop = key.start or 0, key.stop
        if stop is not None and stop > start and self.read is not None:
            found = self.read(start, stop)
            if found is not None:
                return found
        if (stop is not None and stop <= start) or self.rows.query.is_empty():
            # an empty slice (the paginator's [0:0] of an empty list) or filters that match nothing: Django makes each
            # part an empty query, and a union of empty parts is the first part itself, already sliced, which it
            # cannot order again
            return []
        if stop is None:
            return list(self.rows[key])
        return list(newest_first(self.rows, self.branches, stop)[start:stop])


def newest_first(rows: QuerySet[BorderIncident], branches: list[Any], stop: int) -> QuerySet[BorderIncident]:
    """What `NewestFirst` slices [start:stop] (see there): `rows` (ordered newest first) as the union of the branches,
    each part stopped after `stop` rows; or one condition."""
    from django.db import connections

    features = connections[rows.db].features
    if not branches or len(branches) > BRANCHES_MAX or not features.supports_slicing_ordering_in_compound:
        return rows
    if len(branches) == 1:
        return rows.filter(branches[0])
    parts = [rows.filter(branch)[:stop] for branch in branches]
    return parts[0].union(*parts[1:]).order_by("-occurred_at", "pk")


PREPARED_STOP_MAX = 500  # slices ending past this (deep pages) are built by the ORM: one prepared shape per stop
STOP_STEP = 50  # a slice's end read rounded up to a multiple of this (the last page ends at the count: any number)
_ROWS: dict[tuple[Any, ...], Prepared[BorderIncident]] = {}


def newest_first_read(user: Any, filters: Filters, keys: tuple[list[int], list[int]], columns: tuple[str, ...]
                      ) -> Callable[[int, int], list[BorderIncident] | None]:
    """`NewestFirst`'s `read` for the list page: the slice of `filtered(user, filters)` (its `columns` only, no related
    rows) newest first through `newest_first`, with the branches of `keys` (`access.incident_branch_keys`: unit and
    pair ids), as a fixed-shape statement (`core.prepared`: built and compiled by the ORM once per process, reader
    shape, filters set, number of branches and slice; the visibility rule bound with this reader's unit, country and
    province, the period, filters and branch ids as arguments; the slice's end rounded up to a multiple of STOP_STEP,
    the rows cut after). None past PREPARED_STOP_MAX."""
    tz = timezone.get_current_timezone()
    start_at = datetime.datetime.combine(filters.start, datetime.time(), tz)
    end_at = datetime.datetime.combine(filters.end, datetime.time(), tz)
    shape, args = _filter_args(filters)
    units, pairs = keys
    from django.db import connections, router

    if len(units) + len(pairs) > BRANCHES_MAX or not connections[router.db_for_read(BorderIncident)].features.supports_slicing_ordering_in_compound:
        units, pairs = [], []  # one condition (`newest_first`): no branch in the statement

    def read(start: int, wanted: int) -> list[BorderIncident] | None:
        # read to the next multiple of STOP_STEP and cut: the same rows (each branch stops later, the merge is the
        # same order), and a few shapes instead of one per count a last page ends at
        stop = -(-wanted // STOP_STEP) * STOP_STEP
        if stop > PREPARED_STOP_MAX:
            return None
        key = (shape, len(units), len(pairs), stop, columns)
        prepared = _ROWS.get(key)
        if prepared is None:
            def build(reader: Any, since: datetime.datetime, until: datetime.datetime, *rest: Any) -> QuerySet[Any]:
                n = len(rest) - len(units) - len(pairs)
                qs = _filtered_by(access.visible_incidents(reader).filter(occurred_at__gte=since, occurred_at__lt=until),
                                  shape, list(rest[:n]), "gate_id").only(*columns).order_by("-occurred_at", "pk")
                ids = rest[n:]
                branches = ([Q(reporting_unit_id=u) for u in ids[:len(units)]] + [Q(pair_id=p) for p in ids[len(units):]])
                return newest_first(qs, branches, stop)

            def field(name: str) -> Field:
                return cast(Field, BorderIncident._meta.get_field(name))

            fields = ([field("occurred_at")] * 2 + [f for f, on in zip((field("pair"), field("gate"), field("kind")), shape,
                                                                        strict=True) if on]
                      + [field("reporting_unit")] * len(units) + [field("pair")] * len(pairs))
            prepared = _ROWS[key] = Prepared(f"border.rows{key[:4]}", BorderIncident, build, args=fields)
        return prepared.all(user, start_at, end_at, *args, *units, *pairs, window=(start, stop))[:wanted - start]

    return read


def list_incidents(user: Any, filters: Filters, http_request: HttpRequest | None = None) -> QuerySet[BorderIncident]:
    """The list (newest first) for the filters; audited, since it shows what happened at the border."""
    qs = filtered(user, filters).select_related("pair__side_a", "pair__side_b", "gate", "reporting_unit")
    record_listed(user, filters, http_request)
    return qs


def record_listed(user: Any, filters: Filters, http_request: HttpRequest | None = None) -> None:
    """The audit event of a listing of the incidents (`border.incidents.listed`, with the filters)."""
    record(user, "border.incidents.listed", object_type="border_incident", object_id="", data={"filters": filters.query()},
           request=http_request)


def export_csv(user: Any, filters: Filters, http_request: HttpRequest | None = None) -> str:
    """The filtered incidents as CSV (at most 50,000 rows, newest first); the export is audited."""
    rows = filtered(user, filters).select_related("pair__side_a", "pair__side_b", "gate", "reporting_unit", "province")
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow([_("Reference"), _("Date and time"), _("Kind"), _("Province pair"), _("Border province"), _("Gate"),
                     _("Place"), _("Persons"), _("Children"), _("Outcome"), _("Outcome refused (non-refoulement)"),
                     _("Sharing"), _("Reporting unit")])
    count = 0
    for item in rows[:EXPORT_MAX]:
        writer.writerow([
            item.reference, timezone.localtime(item.occurred_at).strftime("%Y-%m-%d %H:%M"), item.get_kind_display(),
            str(item.pair), str(item.province), str(item.gate) if item.gate else "", item.place, item.persons_count,
            item.children_count, item.get_outcome_display(), item.get_refused_outcome_display() if item.refused_outcome else "",
            item.get_sharing_display(), item.reporting_unit.code])
        count += 1
    record(user, "border.incidents.exported", object_type="border_incident", object_id="",
           data={"filters": filters.query(), "rows": count}, request=http_request)
    return out.getvalue()
