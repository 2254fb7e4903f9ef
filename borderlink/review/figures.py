"""The year's activity, computed from the records this node holds: counts by month, country pair and key.

Every figure is one GROUP BY over one table (with its joins): no row is loaded into Python, so the
cost grows with the number of groups (12 months x a few country pairs x a few keys), not with the
records. The median time to a first answer is a window query (ROW_NUMBER / COUNT over each group),
which both SQLite and PostgreSQL run.

A figure is declared once (`SPECS`): the table, the date that places a record in a month, the two
countries of its pair (`origin` -> `counterpart`), the key it is broken down by and the count. The same
declaration gives the records behind a cell (`records`), so a count and its list cannot disagree.

Country pairs are ordered: the country that sent, asked, detained, led, reported, proposed or found,
then the other. Records of this node include the copies it received from its peers, so each node counts
what it holds and the two nodes' counts of a shared thing should agree (`compare`).

Victims: counts are published only for cells of at least `victims.statistics.K` persons, with the
victims app's complementary suppression over the months of a row (DESIGN.md safeguard 12).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from borderlink.core import clock
from borderlink.victims.statistics import K as VICTIM_K
from borderlink.victims.statistics import _suppress_complements

YEAR_MIN = 2000
MONTHS = tuple(range(1, 13))
COUNTRIES = ("VN", "LA", "KH")


def year_max() -> int:
    """The latest year a review can be built for: the current year of the node's clock, in its time zone."""
    return clock.year()


def check_year(year: int) -> None:
    """ValueError unless `year` is between YEAR_MIN and the current year."""
    if not YEAR_MIN <= year <= year_max():
        raise ValueError(f"year {year} outside {YEAR_MIN}..{year_max()}")


@dataclass(frozen=True)
class Spec:
    """One figure: what it counts and how it is broken down (see the module's docstring)."""

    name: str
    title: Any
    section: str
    model: Callable[[], QuerySet]
    date: str
    origin: Any
    counterpart: Any
    key: Any
    keys: Callable[[], dict[str, Any]]
    count: Any = field(default_factory=lambda: Count("pk"))
    record_id: str = "pk"
    record_ref: str = "reference"
    url_name: str = ""
    suppressed: bool = False  # victims: k-anonymity
    is_date_field: bool = False  # a DateField (no time zone)


def _choices(cls: Any) -> Callable[[], dict[str, Any]]:
    return lambda: dict(cls.choices)


# --- the querysets, imported late (apps load before this module is used) ---------------------------------


def _messages() -> QuerySet:
    from borderlink.exchange.models import MessageRecipient

    return MessageRecipient.objects.filter(message__crosses_border=True, message__sent_at__isnull=False).exclude(
        unit__country_id=F("message__sender_unit__country_id"))


def _requests() -> QuerySet:
    """Sent requests; requests to verify a victim's nationality are never counted: one is sent per victim, so
    their unsuppressed count (and the list of their records) would give away the victims' figures that the
    suppression rule hides (as in plans/indicators.py)."""
    from borderlink.assistance.models import Request, RequestKind

    return Request.objects.filter(sent_at__isnull=False).exclude(kind=RequestKind.VERIFY_VICTIM_NATIONALITY)


def _request_outcome() -> Expression:
    from borderlink.assistance.models import Action, RequestEvent, RequestState

    declined = Exists(RequestEvent.objects.filter(request_id=OuterRef("pk"), action=Action.DECLINED))
    return Case(
        When(Q(state=RequestState.DECLINED) | Q(declined), then=Value("declined")),
        When(first_answer_at__isnull=True, then=Value("unanswered")),
        When(deadline__isnull=True, then=Value("on_time")),
        When(first_answer_at__lte=F("deadline"), then=Value("on_time")),
        default=Value("late"), output_field=CharField())


def _outcome_keys() -> dict[str, Any]:
    return {"on_time": _("answered on time"), "late": _("answered late"), "declined": pgettext_lazy("request outcome", "declined"),
            "unanswered": _("not answered")}


def _notices() -> QuerySet:
    """Published notices, victim notices never counted (as in plans/indicators.py: protected persons)."""
    from borderlink.notices.models import Notice, NoticeKind

    return Notice.objects.filter(published_at__isnull=False).exclude(kind=NoticeKind.VICTIM)


def _hits() -> QuerySet:
    """Confirmed hits, those routed to victim protection never counted (as in plans/indicators.py)."""
    from borderlink.notices.models import Hit, HitRoute, HitState

    return Hit.objects.filter(state=HitState.CONFIRMED, decided_at__isnull=False).exclude(route=HitRoute.PROTECTION)


def _custody() -> QuerySet:
    from borderlink.custody.models import CustodyRecord

    return CustodyRecord.objects.all()


def _handovers() -> QuerySet:
    from borderlink.assistance.models import Handover

    return Handover.objects.all()


def _handover_keys() -> dict[str, Any]:
    return {"arrested": pgettext_lazy("handover step", "arrested"), "handed_over": _("handed over")}


def _cases() -> QuerySet:
    from borderlink.cases.models import Participant, ParticipantState

    return Participant.objects.filter(state=ParticipantState.ACCEPTED, case__isnull=False).exclude(
        unit__country_id=F("lead_unit__country_id"))


def _case_keys() -> dict[str, Any]:
    return {"opened": pgettext_lazy("joint case", "opened"), "closed": pgettext_lazy("joint case", "closed")}


def _meetings() -> QuerySet:
    from borderlink.border.models import Meeting, MeetingState

    return Meeting.objects.filter(state=MeetingState.HELD)


def _action_items() -> QuerySet:
    from borderlink.border.models import ActionItem

    return ActionItem.objects.all()


def _incidents() -> QuerySet:
    from borderlink.border.models import BorderIncident

    return BorderIncident.objects.all()


def _incident_counterpart() -> Expression:
    return Case(When(pair__side_a__country_id=F("reporting_unit__country_id"), then=F("pair__side_b__country_id")),
                default=F("pair__side_a__country_id"), output_field=CharField())


def _victims() -> QuerySet:
    from borderlink.victims.models import VictimCase

    return VictimCase.objects.all()


def _victim_keys() -> dict[str, Any]:
    return {"identified": pgettext_lazy("victims", "identified"), "returned": pgettext_lazy("victims", "returned")}


def _lazy(module: str, name: str) -> Callable[[], dict[str, Any]]:
    def keys() -> dict[str, Any]:
        import importlib

        return dict(getattr(importlib.import_module(module), name).choices)
    return keys


SECTIONS: dict[str, Any] = {
    "messages": _("Messages exchanged"),
    "requests": _("Requests"),
    "notices": _("Notices and hits"),
    "custody": _("Foreign nationals in custody"),
    "handovers": _("Arrests and handovers"),
    "cases": _("Joint cases"),
    "meetings": _("Liaison meetings"),
    "incidents": _("Border incidents"),
    "victims": _("Trafficking victims"),
}

SPECS: dict[str, Spec] = {s.name: s for s in (
    Spec("messages", _("Messages exchanged, by priority"), "messages", _messages, "message__sent_at",
         "message__sender_unit__country_id", "unit__country_id", F("message__priority"),
         _lazy("borderlink.exchange.models", "Priority"), count=Count("message_id", distinct=True),
         record_id="message_id", record_ref="message_id", url_name="exchange:detail"),  # never the subject: a planner
    # may not be a reader of the message (the link opens only for those who may read it)
    Spec("requests", _("Requests sent, by kind"), "requests", _requests, "sent_at",
         "requesting_unit__country_id", "requested_unit__country_id", F("kind"),
         _lazy("borderlink.assistance.models", "RequestKind"), url_name="assistance:detail"),
    Spec("request_outcomes", _("Requests, by answer"), "requests", _requests, "sent_at",
         "requesting_unit__country_id", "requested_unit__country_id", _request_outcome(), _outcome_keys,
         url_name="assistance:detail"),
    Spec("notices", _("Notices published, by kind"), "notices", _notices, "published_at",
         "issuing_unit__country_id", "shared_with", F("kind"), _lazy("borderlink.notices.models", "NoticeKind"),
         count=Count("pk", distinct=True), record_ref="kind", url_name="notices:detail"),
    Spec("notice_states", _("Notices published, by state now"), "notices", _notices, "published_at",
         "issuing_unit__country_id", "shared_with", F("state"), _lazy("borderlink.notices.models", "NoticeState"),
         count=Count("pk", distinct=True), record_ref="kind", url_name="notices:detail"),
    Spec("hits", _("Hits confirmed"), "notices", _hits, "decided_at",
         "notice__issuing_unit__country_id", "raised_by_unit__country_id", F("notice__kind"),
         _lazy("borderlink.notices.models", "NoticeKind"), record_id="notice_id", record_ref="notice__kind",
         url_name="notices:detail"),
    Spec("custody", _("Custody notifications"), "custody", _custody, "detained_at",
         "detaining_unit__country_id", "nationality_id", F("kind"), _lazy("borderlink.custody.models", "CustodyKind"),
         url_name="custody:detail"),
    Spec("arrests", _("Arrests for handover"), "handovers", _handovers, "arrested_at",
         "request__requesting_unit__country_id", "request__requested_unit__country_id", Value("arrested"),
         _handover_keys, record_id="request_id", record_ref="request__reference", url_name="assistance:detail"),
    Spec("handovers", _("Handovers"), "handovers", _handovers, "handed_over_at",
         "request__requesting_unit__country_id", "request__requested_unit__country_id", Value("handed_over"),
         _handover_keys, record_id="request_id", record_ref="request__reference", url_name="assistance:detail"),
    Spec("cases_opened", _("Joint cases opened"), "cases", _cases, "case__opened_at",
         "lead_unit__country_id", "unit__country_id", Value("opened"), _case_keys, count=Count("case_id", distinct=True),
         record_id="case_id", record_ref="case__reference", url_name="cases:detail"),
    Spec("cases_closed", _("Joint cases closed, by outcome"), "cases", _cases, "case__closed_at",
         "lead_unit__country_id", "unit__country_id", F("case__outcome"), _lazy("borderlink.cases.models", "Outcome"),
         count=Count("case_id", distinct=True), record_id="case_id", record_ref="case__reference", url_name="cases:detail"),
    Spec("meetings", _("Liaison meetings held"), "meetings", _meetings, "starts_at",
         "proposing_unit__country_id", "invited_unit__country_id", F("kind"),
         _lazy("borderlink.border.models", "MeetingKind"), url_name="border:meeting"),
    Spec("action_items", _("Action items falling due, by state"), "meetings", _action_items, "due_date",
         "meeting__proposing_unit__country_id", "meeting__invited_unit__country_id", F("state"),
         _lazy("borderlink.border.models", "ActionState"), record_id="meeting_id", record_ref="meeting__reference",
         url_name="border:meeting", is_date_field=True),
    Spec("incidents", _("Border incidents, by kind"), "incidents", _incidents, "occurred_at",
         "reporting_unit__country_id", _incident_counterpart(), F("kind"),
         _lazy("borderlink.border.models", "IncidentKind"), url_name="border:detail"),
    Spec("victims_identified", _("Victims identified"), "victims", _victims, "found_on",
         "finding_country_id", "home_country_id", Value("identified"), _victim_keys, suppressed=True,
         is_date_field=True),
    Spec("victims_returned", _("Victims returned home"), "victims", _victims, "returned_on",
         "finding_country_id", "home_country_id", Value("returned"), _victim_keys, suppressed=True,
         is_date_field=True),
)}

MEDIAN_FIGURE = "request_first_answer_hours"


def _expr(value: Any) -> Any:
    return F(value) if isinstance(value, str) else value


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year as [start, end) in the node's time zone (the zone months are counted in)."""
    tz = timezone.get_default_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz))


def _in_year(spec: Spec, year: int) -> Q:
    if spec.is_date_field:
        return Q(**{f"{spec.date}__gte": datetime.date(year, 1, 1), f"{spec.date}__lt": datetime.date(year + 1, 1, 1)})
    start, end = year_bounds(year)
    return Q(**{f"{spec.date}__gte": start, f"{spec.date}__lt": end})


def _pair_filter(countries: tuple[str, str] | None) -> Q:
    if countries is None:
        return Q()
    a, b = countries
    return Q(_o=a, _c=b) | Q(_o=b, _c=a)


def _grouped(spec: Spec, year: int) -> QuerySet:
    month = ExtractMonth(spec.date)
    return (spec.model().filter(_in_year(spec, year))
            .annotate(_m=month, _o=_expr(spec.origin), _c=_expr(spec.counterpart), _k=spec.key))


def count_figure(spec: Spec, year: int, countries: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """One figure's cells: [{"month", "origin", "counterpart", "key", "count"}], one GROUP BY query.
    `countries` keeps the cells of one pair of countries (both directions)."""
    rows = (_grouped(spec, year).filter(_pair_filter(countries)).order_by()
            .values("_m", "_o", "_c", "_k").annotate(n=spec.count).order_by())
    return [{"month": r["_m"], "origin": r["_o"] or "", "counterpart": r["_c"] or "", "key": r["_k"] or "",
             "count": r["n"]} for r in rows]


def suppress(cells: list[dict[str, Any]], k: int = VICTIM_K) -> list[dict[str, Any]]:
    """Victims' cells with every count under `k` set to None, and the complementary cell of the same row
    (origin, counterpart, key over the months) too when the row's total is published (the victims app's
    rule, `victims.statistics`). Each row gets its year total as a cell of month 0, None under `k`."""
    rows: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for cell in cells:
        rows[(cell["origin"], cell["counterpart"], cell["key"])].append(dict(cell))
    out = []
    for (origin, counterpart, key), row in sorted(rows.items()):
        row.sort(key=lambda c: c["month"])
        total = sum(c["count"] for c in row)
        counts: list[int | None] = [c["count"] if c["count"] >= k else None for c in row]
        _suppress_complements(counts, total >= k)
        for cell, count in zip(row, counts, strict=True):
            cell["count"] = count
        out.extend(row)
        out.append({"month": 0, "origin": origin, "counterpart": counterpart, "key": key,
                    "count": total if total >= k else None})
    return out


def median_hours(year: int, countries: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """The median hours from sending a request to its first answer, per month and pair (month 0: the whole
    year), as [{"month", "origin", "counterpart", "hours"}]. Two window queries; no row reaches Python."""
    spec = SPECS["requests"]
    base = (spec.model().filter(_in_year(spec, year), first_answer_at__isnull=False)
            .annotate(_o=F("requesting_unit__country_id"), _c=F("requested_unit__country_id"))
            .filter(_pair_filter(countries))
            .annotate(_d=ExpressionWrapper(F("first_answer_at") - F("sent_at"), output_field=DurationField())))
    out = []
    for by_month in (True, False):
        qs = base.annotate(_m=ExtractMonth("sent_at")) if by_month else base.annotate(_m=Value(0))
        inner_sql, params = qs.order_by().values("_m", "_o", "_c", "_d").query.sql_with_params()
        # The inner query is Django's, its values bound parameters; nothing else in the text varies.
        sql = (
            "SELECT m, o, c, AVG(d) FROM ("  # noqa: S608
            " SELECT t._m AS m, t._o AS o, t._c AS c, t._d AS d,"
            " ROW_NUMBER() OVER (PARTITION BY t._m, t._o, t._c ORDER BY t._d) AS rn,"
            " COUNT(*) OVER (PARTITION BY t._m, t._o, t._c) AS n"
            f" FROM ({inner_sql}) t) s WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY m, o, c"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for month, origin, counterpart, value in cursor.fetchall():
                out.append({"month": int(month), "origin": origin, "counterpart": counterpart,
                            "hours": round(_hours(value), 1)})
    return out


def _hours(value: Any) -> float:
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 3600
    return float(value) / 1_000_000 / 3600  # SQLite: a duration in microseconds


def compute(year: int, countries: tuple[str, str] | None = None,
            progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """The node's figures for `year`: {"year", "country" (this node's), "figures": {name: cells},
    "medians": [...]}. `countries` keeps one pair of countries. `progress(done, total)` is called after
    each figure. ValueError for a year out of range."""
    check_year(year)
    figures: dict[str, list[dict[str, Any]]] = {}
    total = len(SPECS) + 1
    for done, (name, spec) in enumerate(SPECS.items(), start=1):
        cells = count_figure(spec, year, countries)
        figures[name] = suppress(cells) if spec.suppressed else cells
        if progress:
            progress(done, total)
    medians = median_hours(year, countries)
    if progress:
        progress(total, total)
    return {"year": year, "country": settings.NODE_COUNTRY, "figures": figures, "medians": medians}


def records(spec: Spec, year: int, month: int | None, origin: str, counterpart: str, key: str,
            limit: int = 200) -> list[dict[str, Any]]:
    """The records behind one cell (or the whole year with `month` None): [{"id", "ref", "at"}], at most
    `limit`, by date. Never for a suppressed (victims) figure: ValueError."""
    if spec.suppressed:
        raise ValueError("the records behind victims' figures are not listed")
    qs = _grouped(spec, year).filter(_o=origin, _k=key)
    qs = qs.filter(_c__isnull=True) if counterpart == "" else qs.filter(_c=counterpart)
    if month is not None:
        qs = qs.filter(_m=month)
    rows = qs.order_by(spec.date).values_list(spec.record_id, spec.record_ref, spec.date).distinct()[:limit]
    return [{"id": str(r[0]), "ref": str(r[1] or ""), "at": r[2]} for r in rows]


def totals(result: dict[str, Any]) -> dict[tuple[str, str, str, str], int | None]:
    """Year totals per (figure, key, origin, counterpart): the sum of the months, or for a suppressed
    (victims) figure its published year total (month 0), None when suppressed."""
    sums: dict[tuple[str, str, str, str], int | None] = {}
    for name, cells in result["figures"].items():
        spec = SPECS.get(name)
        suppressed = spec is not None and spec.suppressed
        for cell in cells:
            key = (name, cell["key"], cell["origin"], cell["counterpart"])
            if suppressed:
                if cell["month"] == 0:
                    sums[key] = cell["count"]
            elif cell["month"] != 0:
                sums[key] = (sums.get(key) or 0) + (cell["count"] or 0)
    return sums
