"""The incident list's filters, its counts per province pair, gate, kind and month, the chart drawn from them
(SVG made on the server: no JavaScript, nothing loaded from elsewhere) and the CSV export."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.border import access
from borderlink.border.models import BorderIncident, IncidentKind, ProvincePair
from borderlink.core import clock, csv_export, display
from borderlink.core.csv_export import safe_cell  # noqa: F401  (border.stats.safe_cell stays importable)
from borderlink.core.models import BorderGate

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
    from django.db.models import Sum

    by_pair: dict[int, int] = {}
    by_gate: dict[int, int] = {}
    by_kind: dict[str, int] = {}
    cells: dict[tuple[datetime.date, str], int] = {}
    qs = access.visible_incident_counts(user).filter(month__gte=filters.start, month__lt=filters.end)
    if filters.pair:
        qs = qs.filter(pair=filters.pair)
    if filters.gate:
        qs = qs.filter(gate_key=filters.gate.pk)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    for pair, gate, kind, month, n in qs.values("pair_id", "gate_key", "kind", "month").annotate(total=Sum("n")).order_by(
            ).values_list("pair_id", "gate_key", "kind", "month", "total"):
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

    Why (issue 19): at full scale the one condition walked the newest-first index across 33,335 other units'
    incidents before the first of `kh.officer`'s (127-213 ms a view)."""

    def __init__(self, rows: QuerySet[BorderIncident], branches: list[Any], count: int) -> None:
        self.rows, self.branches, self._count = rows.order_by("-occurred_at", "pk"), branches, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: slice) -> list[BorderIncident]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("NewestFirst is read by slices")
        start, stop = key.start or 0, key.stop
        if (stop is not None and stop <= start) or self.rows.query.is_empty():
            # an empty slice (the paginator's [0:0] of an empty list) or filters that match nothing: Django makes each
            # part an empty query, and a union of empty parts is the first part itself, already sliced, which it
            # cannot order again
            return []
        from django.db import connections

        features = connections[self.rows.db].features
        if stop is None or not self.branches or len(self.branches) > BRANCHES_MAX or not features.supports_slicing_ordering_in_compound:
            return list(self.rows[key])
        if len(self.branches) == 1:
            return list(self.rows.filter(self.branches[0])[start:stop])
        parts = [self.rows.filter(branch)[:stop] for branch in self.branches]
        return list(parts[0].union(*parts[1:]).order_by("-occurred_at", "pk")[start:stop])


def list_incidents(user: Any, filters: Filters, http_request: HttpRequest | None = None) -> QuerySet[BorderIncident]:
    """The list (newest first) for the filters; audited, since it shows what happened at the border."""
    qs = filtered(user, filters).select_related("pair__side_a", "pair__side_b", "gate", "reporting_unit")
    record(user, "border.incidents.listed", object_type="border_incident", object_id="", data={"filters": filters.query()},
           request=http_request)
    return qs


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
