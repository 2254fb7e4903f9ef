"""Statistics about victims without identities (DESIGN.md safeguard 12), and the export in the fields of
IOM's Human Trafficking Case Data Standard (HTCDS), without names or documents, k-anonymised with the same k.

Counts per month, country pair (where found, home country), form of exploitation, sex and age band (child
or adult): identified; nationality verified (and the median days from identification); returned (and the
median days from identification to return); declined return; followed up. Every published cell keeps at least
K persons or is suppressed (k-anonymity, as the Counter Trafficking Data Collaborative does); so that a
suppressed cell cannot be derived from a published total, a second cell of the same row is suppressed too
(complementary suppression), and likewise a second row total against the grand total.
"""

from __future__ import annotations

import datetime
import io
import statistics as stats
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from borderlink.audit.services import record
from borderlink.core import csv_export
from borderlink.victims.models import CHILD_BANDS, Action, Closure, Exploitation, Indicator, VictimCase, VictimEvent

K = 10
METRICS = ("identified", "verified", "returned", "declined_return", "followed_up")
ROW = ("month", "finding_country", "home_country")
CELL = ("exploitation", "sex", "age_band")
MONTHS_MAX = 60


def may_read(user: Any) -> bool:
    """Victim-protection officers and planners of this node."""
    return (getattr(user, "is_authenticated", False) and user.unit_id is not None
            and (user.has_capability("victim_protection") or user.has_capability("planner")))


def _band(case: VictimCase) -> str:
    return "child" if case.age_band in CHILD_BANDS else "adult"


def _facts(cases: QuerySet[VictimCase]) -> dict[str, list[tuple[dict[str, str], float | None]]]:
    """For each metric, one (dimensions, days) pair per person counted; days for the timed metrics."""
    follow_ups: dict[Any, datetime.date] = {}
    for case_id, when in (VictimEvent.objects.filter(case__in=cases, action=Action.FOLLOW_UP)
                        .order_by("at").values_list("case_id", "at")):
        follow_ups.setdefault(case_id, timezone.localtime(when).date())
    out: dict[str, list[tuple[dict[str, str], float | None]]] = {m: [] for m in METRICS}
    for case in cases.only("id", "found_on", "finding_country_id", "home_country_id", "exploitation", "sex",
                           "age_band", "verified_on", "returned_on", "closure", "closed_at"):
        base = {"finding_country": case.finding_country_id, "home_country": case.home_country_id,
                "exploitation": case.exploitation, "sex": case.sex, "age_band": _band(case)}

        def at(day: datetime.date, base: dict[str, str] = base) -> dict[str, str]:
            return {**base, "month": day.strftime("%Y-%m")}


        out["identified"].append((at(case.found_on), None))
        if case.verified_on:
            out["verified"].append((at(case.verified_on), float((case.verified_on - case.found_on).days)))
        if case.returned_on:
            out["returned"].append((at(case.returned_on), float((case.returned_on - case.found_on).days)))
        if case.closure == Closure.DECLINED_RETURN and case.closed_at:
            out["declined_return"].append((at(timezone.localtime(case.closed_at).date()), None))
        if case.pk in follow_ups:
            out["followed_up"].append((at(follow_ups[case.pk]), None))
    return out


def _suppress_complements(counts: list[int | None], published_total: bool) -> None:
    """When a total is published and exactly one of its parts is suppressed, suppress the smallest other
    part too (in place), so the suppressed value cannot be computed as total minus the rest."""
    if not published_total:
        return
    hidden = [i for i, c in enumerate(counts) if c is None]
    shown = [i for i, c in enumerate(counts) if c is not None]
    if len(hidden) == 1 and shown:
        counts[min(shown, key=lambda i: counts[i] or 0)] = None


def table(rows: list[tuple[dict[str, str], float | None]], k: int = K) -> dict[str, Any]:
    """One metric's table: rows (month and country pair) of cells (exploitation, sex, age band), each count
    published only when at least `k`, with complementary suppression in each row and among the row totals.
    A cell's median days is published with its count."""
    grouped: dict[tuple, dict[tuple, list[float | None]]] = defaultdict(lambda: defaultdict(list))
    for dims, days in rows:
        grouped[tuple(dims[d] for d in ROW)][tuple(dims[d] for d in CELL)].append(days)
    out_rows = []
    for row_key in sorted(grouped):
        cells = sorted(grouped[row_key].items())
        counts: list[int | None] = [len(v) if len(v) >= k else None for _key, v in cells]
        total = sum(len(v) for _key, v in cells)
        _suppress_complements(counts, total >= k)
        out_cells = []
        for (cell_key, values), count in zip(cells, counts, strict=True):
            timed = [v for v in values if v is not None]
            out_cells.append({**dict(zip(CELL, cell_key, strict=True)), "count": count,
                              "median_days": stats.median(timed) if count is not None and timed else None})
        out_rows.append({**dict(zip(ROW, row_key, strict=True)), "total": total if total >= k else None,
                         "cells": out_cells})
    totals: list[int | None] = [r["total"] for r in out_rows]
    grand = sum(len(v) for cells in grouped.values() for v in cells.values())
    _suppress_complements(totals, grand >= k)
    for out_row, row_total in zip(out_rows, totals, strict=True):
        out_row["total"] = row_total
    return {"rows": out_rows, "total": grand if grand >= k else None}


def figures(user: Any, start: datetime.date, end: datetime.date, http_request: HttpRequest | None = None,
            k: int = K) -> dict[str, Any]:
    """The node's statistics for cases identified from `start` to `end` (inclusive, at most MONTHS_MAX
    months): {"k": k, "metrics": {metric: table}}. Http404 for anyone but victim-protection officers and
    planners; ValueError for a window out of bounds (the pages and API check it first). Audited."""
    if not may_read(user):
        raise Http404("No access.")
    if end < start or (end.year - start.year) * 12 + end.month - start.month >= MONTHS_MAX:
        raise ValueError("window out of bounds")
    cases = VictimCase.objects.filter(found_on__gte=start, found_on__lte=end)
    result = {"k": k, "metrics": {m: table(rows, k) for m, rows in _facts(cases).items()}}
    record(user, "victims.statistics.viewed", object_type="victim_statistics",
           object_id=f"{start.isoformat()}/{end.isoformat()}", request=http_request)
    return result


# --- the HTCDS export -----------------------------------------------------------------------------------------

# HTCDS / CTDC field names (IOM, Human Trafficking Case Data Standard; CTDC data codebook)
HTCDS_FIELDS = [
    "caseId", "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "citizenship",
    "CountryOfExploitation", "meansOfControlDebtBondage", "meansOfControlTakesEarnings",
    "meansOfControlRestrictsMovement", "meansOfControlThreats", "meansOfControlPhysicalAbuse",
    "meansOfControlWithholdsDocuments", "meansOfControlFalsePromises", "meansOfControlExcessiveWorkingHours",
    "meansOfControlThreatOfLawEnforcement", "isForcedLabour", "isSexualExploit", "isForcedMarriage",
    "isOtherExploit", "typeOfExploitConcatenated", "nationalityVerified", "daysToVerification", "returned",
    "daysToReturn", "declinedReturn", "followedUp",
]
_MEANS = {
    "meansOfControlDebtBondage": Indicator.DEBT_BONDAGE, "meansOfControlTakesEarnings": Indicator.WAGES_WITHHELD,
    "meansOfControlRestrictsMovement": Indicator.MOVEMENT_RESTRICTED, "meansOfControlThreats": Indicator.THREATS_TO_FAMILY,
    "meansOfControlPhysicalAbuse": Indicator.VIOLENCE, "meansOfControlWithholdsDocuments": Indicator.DOCUMENTS_WITHHELD,
    "meansOfControlFalsePromises": Indicator.DECEPTION, "meansOfControlExcessiveWorkingHours": Indicator.EXCESSIVE_HOURS,
    "meansOfControlThreatOfLawEnforcement": Indicator.FEAR_OF_AUTHORITIES,
}
_EXPLOIT: dict[str, str] = {Exploitation.FORCED_LABOUR: "Forced labour", Exploitation.SEXUAL: "Sexual exploitation",
            Exploitation.FORCED_MARRIAGE: "Forced marriage", Exploitation.FORCED_CRIMINALITY: "Forced criminality",
            Exploitation.OTHER: "Other"}


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _days_band(days: int | None) -> str:
    """Days from identification generalised to a band (an exact duration can single a person out)."""
    if days is None:
        return ""
    for limit, label in DAY_BANDS:
        if days <= limit:
            return label
    return f">{DAY_BANDS[-1][0]}"


DAY_BANDS = ((30, "0-30"), (90, "31-90"), (180, "91-180"), (365, "181-365"))

# Generalisation ladder for the export (local recoding): a record whose released values fewer than K other
# records share is generalised one level at a time; a record still in a group under K at the last level is
# suppressed (not released). Each level blanks ("" = suppressed value) or coarsens these fields:
LADDER: tuple[tuple[str, ...], ...] = (
    (),                                                    # 0: as recorded (durations already in bands)
    tuple(_MEANS),                                         # 1: the means of control
    ("daysToVerification", "daysToReturn"),                # 2: the durations
    ("isForcedLabour", "isSexualExploit", "isForcedMarriage", "isOtherExploit", "typeOfExploitConcatenated"),
    ("gender",),                                           # 4: sex
    ("ageBroad", "majorityStatus"),                        # 5: child or adult
    ("nationalityVerified", "returned", "declinedReturn", "followedUp"),  # 6: the outcomes
)
QUASI_IDENTIFIERS = [f for f in HTCDS_FIELDS if f not in ("caseId", "Datasource")]


def _htcds_record(case: VictimCase, followed: set[Any]) -> dict[str, str]:
    """One case in HTCDS fields, before k-anonymisation (no names, documents, places, dates or references)."""
    child = case.age_band in CHILD_BANDS
    indicators = set(case.indicators)
    return {
        "yearOfRegistration": str(case.found_on.year), "Datasource": "Case Management",
        "gender": {"F": "Female", "M": "Male"}.get(case.sex, "Unknown"),
        "ageBroad": "0--17" if child else "18+" if case.age_band == "adult" else "Unknown",
        "majorityStatus": "Minor" if child else "Adult",
        "citizenship": case.home_country_id, "CountryOfExploitation": case.finding_country_id,
        **{name: _flag(code in indicators) for name, code in _MEANS.items()},
        "isForcedLabour": _flag(case.exploitation == Exploitation.FORCED_LABOUR),
        "isSexualExploit": _flag(case.exploitation == Exploitation.SEXUAL),
        "isForcedMarriage": _flag(case.exploitation == Exploitation.FORCED_MARRIAGE),
        "isOtherExploit": _flag(case.exploitation in (Exploitation.FORCED_CRIMINALITY, Exploitation.OTHER)),
        "typeOfExploitConcatenated": _EXPLOIT.get(case.exploitation, "Other"),
        "nationalityVerified": _flag(case.verified_on is not None),
        "daysToVerification": _days_band((case.verified_on - case.found_on).days if case.verified_on else None),
        "returned": _flag(case.returned_on is not None),
        "daysToReturn": _days_band((case.returned_on - case.found_on).days if case.returned_on else None),
        "declinedReturn": _flag(case.closure == Closure.DECLINED_RETURN),
        "followedUp": _flag(case.pk in followed),
    }


def _generalised(record_: dict[str, str], level: int) -> tuple[str, ...]:
    blank = {f for fields in LADDER[:level + 1] for f in fields}
    return tuple("" if f in blank else record_[f] for f in QUASI_IDENTIFIERS)


def k_anonymise(records: list[dict[str, str]], k: int = K) -> tuple[list[dict[str, str]], int]:
    """The records as they may leave: every released combination of the quasi-identifiers (every field but
    the row number and the data source) is shared by at least `k` released records. Records are generalised
    along `LADDER` (a group of at least `k` at some level is released at that level), and the rest, still in
    groups under `k` at the last level, are suppressed. Returns (released, suppressed count); the released
    records are sorted by their values, so their order tells nothing of the cases'. Same k as the tables."""
    pending = list(records)
    released: list[dict[str, str]] = []
    for level in range(len(LADDER)):
        groups: dict[tuple[str, ...], list[dict[str, str]]] = defaultdict(list)
        for item in pending:
            groups[_generalised(item, level)].append(item)
        pending = []
        for key, members in groups.items():
            if len(members) >= k:
                released.extend({**dict(zip(QUASI_IDENTIFIERS, key, strict=True)), "Datasource": m["Datasource"]}
                                for m in members)
            else:
                pending.extend(members)
    released.sort(key=lambda r: tuple(r[f] for f in QUASI_IDENTIFIERS))
    return released, len(pending)


def export_htcds(user: Any, year: int, http_request: HttpRequest | None = None, k: int = K) -> str:
    """The cases identified in `year` as CSV in HTCDS fields, k-anonymised (`k_anonymise`, the same k as
    the statistics): no names, documents, places, dates or references; durations in bands; `caseId` is a
    row number of this export only. Victim-protection officers only (Http404 otherwise); the export is
    audited with the counts of rows released and suppressed."""
    if not (getattr(user, "is_authenticated", False) and user.has_capability("victim_protection") and user.unit_id):
        raise Http404("No access.")
    cases = VictimCase.objects.filter(found_on__year=year).order_by("found_on", "id")
    followed = set(VictimEvent.objects.filter(case__in=cases, action=Action.FOLLOW_UP)
                   .values_list("case_id", flat=True))
    released, suppressed = k_anonymise([_htcds_record(case, followed) for case in cases], k)
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(HTCDS_FIELDS)
    for number, row in enumerate(released, start=1):
        writer.writerow([safe_cell(number if f == "caseId" else row[f]) for f in HTCDS_FIELDS])
    record(user, "victims.export.htcds", object_type="victim_statistics", object_id=str(year),
           data={"rows": len(released), "suppressed": suppressed, "k": k}, request=http_request)
    return out.getvalue()
