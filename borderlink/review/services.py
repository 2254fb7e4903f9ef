"""The year-end review's services: who may see it, its inputs, the review itself (this node's figures
beside the peer's), the files built by the worker and their audited downloads, and sharing this node's
statistics with its peers. Pages, the API and `manage.py review_report` call these and nothing else.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.review import figures
from borderlink.review.models import PeerStatistics, ReportFormat, ReportState, ReviewReport

log = logging.getLogger(__name__)

AUDIT_LABELS = {
    "review.viewed": gettext_lazy("year-end review viewed"),
    "review.records.viewed": gettext_lazy("records behind a review figure listed"),
    "review.report.requested": gettext_lazy("year-end review file asked for"),
    "review.report.built": gettext_lazy("year-end review file built"),
    "review.report.failed": gettext_lazy("year-end review file failed"),
    "review.report.downloaded": gettext_lazy("year-end review file downloaded"),
    "review.statistics.shared": gettext_lazy("statistics sent to the peers"),
    "review.statistics.received": gettext_lazy("statistics received from a peer"),
    "review.statistics.stale": gettext_lazy("older statistics from a peer ignored"),
}

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
CONTENT_TYPES = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_review(user: Any) -> bool:
    """Planners and leadership (the planner capability, with a unit) of this node: `plans.access.may_plan`."""
    from borderlink.plans.access import may_plan

    return may_plan(user)


def _require(user: Any) -> None:
    if not may_review(user):
        raise Http404("No access.")


# --- inputs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewInput:
    year: int
    country: str = ""  # the other country of the pair; "" for every pair of this node's country
    plan_id: str | None = None
    language: str = "en"
    format: str = ReportFormat.HTML

    @property
    def countries(self) -> tuple[str, str] | None:
        return (settings.NODE_COUNTRY, self.country) if self.country else None


def year_problem(year: int) -> str:
    """What is wrong with a review's year, in the active language; "" when it can be reviewed: before the
    first year the platform holds, or a year that has not begun (a review covers a year up to this one)."""
    if year < figures.YEAR_MIN:
        return _("The records start in %(first)d: give a year from %(first)d to %(last)d.") % {
            "first": figures.YEAR_MIN, "last": figures.year_max()}
    if year > figures.year_max():
        return _("%(year)d has not begun: a review covers a year up to this one (%(last)d).") % {
            "year": year, "last": figures.year_max()}
    return ""


def parse_input(year: Any = None, country: Any = "", plan: Any = None, language: Any = "en",
                format: Any = ReportFormat.HTML, user: Any = None) -> ReviewInput:
    """Check the review's inputs as typed (strings or numbers) and return them; ValidationError with a
    message per field, in the active language, for a year out of range, an unknown country, plan,
    language or format. With a plan the year and the other country are the plan's; with `user`, only a
    plan that user may see is known."""
    errors: dict[str, list[str]] = {}
    plan_id: str | None = None
    plan_year: int | None = None
    plan_country = ""
    if plan not in (None, ""):
        found = plans_adapter.find(str(plan)[:40], user)
        if found is None:
            errors["plan"] = [_("There is no such plan.")]
        else:
            plan_id = str(plan).strip().lower()
            plan_year, plan_country = found
    value_year: int | None = plan_year
    if value_year is None:
        try:
            value_year = int(str(year)) if year not in (None, "") else None
        except ValueError:
            value_year = None
        if value_year is None and "plan" not in errors:
            errors["year"] = [_("Give the year as a number, for example %(year)d.") % {"year": figures.year_max()}]
        elif value_year is not None and year_problem(value_year):
            errors["year"] = [year_problem(value_year)]
    elif value_year > figures.year_max():
        errors["plan"] = [_("This plan is for %(year)d, which has not begun: its review can be built from "
                            "1 January %(year)d.") % {"year": value_year}]
    other = plan_country if plan_id else str(country or "").upper()
    if other and (other not in figures.COUNTRIES or other == settings.NODE_COUNTRY):
        errors["country"] = [_("Choose another member country.")]
    if language not in LANGUAGES:
        errors["language"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(LANGUAGES)}]
    if format not in ReportFormat.values:
        errors["format"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(ReportFormat.values)}]
    if errors or value_year is None:
        raise ValidationError(errors or {"year": [_("Give a year from %(first)d to %(last)d.") % {
            "first": figures.YEAR_MIN, "last": figures.year_max()}]})
    return ReviewInput(year=value_year, country=other, plan_id=plan_id, language=str(language), format=str(format))


class _PlansAdapter:
    """The cooperation plans of `borderlink.plans`: a plan's year and other country, and its items in force,
    each with its indicator's value (`plans.indicators.evaluate`) and target."""

    def find(self, plan_id: str | None, user: Any = None) -> tuple[int, str] | None:
        """(year, other country) of the plan; the other country is "" for a trilateral plan (every pair).
        With `user`, only a plan that user may see (`plans.access.visible_plans`)."""
        from borderlink.plans import access
        from borderlink.plans.models import Plan

        key = access._uuid(plan_id)
        if key is None:
            return None
        plans = access.visible_plans(user) if user is not None else Plan.objects.all()
        plan = plans.select_related("proposing_unit", "partner_unit").filter(pk=key).first()
        if plan is None:
            return None
        others = [c for c in plan.countries if c != settings.NODE_COUNTRY]
        return plan.year, others[0] if len(others) == 1 else ""

    def partners(self, year: int) -> set[str]:
        """The countries this node's country has a cooperation plan with for `year` (bilateral or trilateral,
        in any state of its agreement)."""
        from django.db.models import Q

        from borderlink.plans.models import Plan

        mine = settings.NODE_COUNTRY
        found: set[str] = set()
        rows = Plan.objects.filter(Q(proposing_unit__country_id=mine) | Q(partner_unit__country_id=mine)
                                   | Q(third_country_id=mine), year=year)
        for row in rows.values_list("proposing_unit__country_id", "partner_unit__country_id", "third_country_id"):
            found.update(c for c in row if c and c != mine)
        return found

    def exchanges(self, year: int, country: str = "") -> dict[str, Any]:
        """The year's ministerial conference, delegations, study visits and training exchanges (by their start
        date), between this node's country and `country` ("" for every country): counts only. Every party's node
        holds the same records (`plans.records`), so both sides count alike."""
        from borderlink.plans.models import Conference, Training, Visit, VisitKind

        pair = {settings.NODE_COUNTRY, country} if country else None
        visits = Visit.objects.filter(starts_on__year=year)
        if pair:
            visits = visits.filter(from_country_id__in=pair, to_country_id__in=pair)
        kinds = dict(visits.values_list("kind").annotate(n=Count("pk")).order_by())
        trainings = [t for t in Training.objects.filter(starts_on__year=year).values_list("host_id", "courses", "participants")
                     if pair is None or pair <= {t[0], *(c for c, n in t[2].items() if n)}]
        participants: dict[str, int] = {}
        for _host, _courses, counts in trainings:
            for code, n in counts.items():
                if pair is None or code in pair:
                    participants[code] = participants.get(code, 0) + int(n)
        conference = Conference.objects.filter(year=year).values_list("host_id", "place").first()
        return {"conference_host": conference[0] if conference else "", "conference_place": conference[1] if conference else "",
                "conferences": 1 if conference else 0, "delegations": kinds.get(VisitKind.DELEGATION, 0),
                "study_visits": kinds.get(VisitKind.STUDY_VISIT, 0), "training_exchanges": len(trainings),
                "courses": sum(len(c) for _h, c, _p in trainings), "participants": dict(sorted(participants.items()))}

    def items(self, plan_id: str) -> list[dict[str, Any]]:
        """Every item in force, in order: area, activity, indicator, value, target, due date, and whether it
        is late or on track (texts in the active language)."""
        from django.utils import formats

        from borderlink.plans import indicators
        from borderlink.plans.models import Area, IndicatorKind, Plan

        plan = Plan.objects.select_related("proposing_unit", "partner_unit").get(pk=plan_id)
        items = {i.pk: i for i in plan.items.filter(in_force=True)}
        out = []
        for ev in indicators.evaluate_plan(plan):
            item = items[ev.item_id]
            unit = "%" if ev.measure == "percent" else ""
            if ev.suppressed:
                value_text = _("suppressed")
            elif ev.value is None:
                value_text = "—"
            else:
                value_text = formats.number_format(ev.value, 0 if ev.value == ev.value.to_integral() else 1) + unit
            target_text = (formats.number_format(ev.target, 0 if ev.target == ev.target.to_integral() else 1) + unit
                           if ev.target is not None else ev.target_text)
            out.append({"area": str(dict(Area.choices).get(item.area, item.area)), "activity": item.activity,
                        "indicator": str(dict(IndicatorKind.choices).get(ev.kind, ev.kind)), "value": ev.value,
                        "value_text": value_text, "target_text": target_text,
                        "due_text": formats.date_format(item.due_date, "SHORT_DATE_FORMAT"),
                        "late": ev.late, "on_track": ev.on_track, "suppressed": ev.suppressed})
        return out


plans_adapter = _PlansAdapter()


# --- the review -----------------------------------------------------------------------------------------


def peer_figures(year: int, country: str = "") -> dict[str, PeerStatistics]:
    """The statistics each peer sent for `year` (one peer's with `country`), by country."""
    qs = PeerStatistics.objects.filter(year=year)
    if country:
        qs = qs.filter(country_id=country)
    return {p.country_id: p for p in qs}


def compare(mine: dict[str, Any], peers: dict[str, PeerStatistics]) -> list[dict[str, Any]]:
    """This node's year totals beside each peer's, for every (figure, key, direction) either side counts
    on their pair: [{"figure", "key", "origin", "counterpart", "peer", "mine", "theirs", "differs"}].
    A suppressed count (None) on either side is not compared."""
    own = figures.totals(mine)
    out = []
    for country, held in sorted(peers.items()):
        theirs = figures.totals({"figures": held.figures})
        pair = {settings.NODE_COUNTRY, country}
        keys = sorted({k for k in own if {k[2], k[3]} == pair} | set(theirs))
        for key in keys:
            a, b = own.get(key, 0), theirs.get(key, 0)
            out.append({"figure": key[0], "key": key[1], "origin": key[2], "counterpart": key[3], "peer": country,
                        "mine": a, "theirs": b, "differs": a is not None and b is not None and a != b})
    return out


def build(inp: ReviewInput, progress: Any = None) -> dict[str, Any]:
    """Everything a review shows, in no particular language: this node's figures, the peers' figures and
    the comparison, the plan's items when a plan is given."""
    mine = figures.compute(inp.year, inp.countries, progress)
    peers = peer_figures(inp.year, inp.country)
    return {"input": inp, "mine": mine, "peers": peers, "comparison": compare(mine, peers),
            "plan_items": plans_adapter.items(inp.plan_id) if inp.plan_id is not None else None,
            "exchanges": plans_adapter.exchanges(inp.year, inp.country), "built_at": timezone.now()}


def view(user: Any, inp: ReviewInput, http_request: HttpRequest | None = None) -> dict[str, Any]:
    """The review for a page or the API (Http404 without the planner capability); audited."""
    _require(user)
    data = build(inp)
    record(user, "review.viewed", object_type="review", object_id=_object_id(inp), request=http_request)
    return data


def _object_id(inp: ReviewInput) -> str:
    return f"plan-{inp.plan_id}" if inp.plan_id is not None else f"{inp.year}-{inp.country or 'all'}"


def records_behind(user: Any, year: int, figure: str, key: str, origin: str, counterpart: str, month: int | None,
                   http_request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """The records of this node behind one of its figures (at most 200; never for victims). Http404 without
    the planner capability or for an unknown figure; ValidationError for a bad year or month. Audited."""
    _require(user)
    spec = figures.SPECS.get(figure)
    if spec is None or spec.suppressed:
        raise Http404("No such figure.")
    if year_problem(year):
        raise ValidationError({"year": [year_problem(year)]})
    if month is not None and not 1 <= month <= 12:
        raise ValidationError({"month": [_("Give a month from 1 to 12.")]})
    if key not in spec.keys() or origin not in figures.COUNTRIES or counterpart not in (*figures.COUNTRIES, ""):
        raise Http404("No such figure.")
    rows = figures.records(spec, year, month, origin, counterpart, key)
    record(user, "review.records.viewed", object_type="review", object_id=f"{year}-{figure}",
           data={"key": key, "origin": origin, "counterpart": counterpart, "month": month, "rows": len(rows)},
           request=http_request)
    return rows


# --- sharing --------------------------------------------------------------------------------------------


def share_statistics(user: Any, year: int, http_request: HttpRequest | None = None) -> list[str]:
    """Compute this node's figures for `year` and queue them to each peer (aggregates only); the countries
    sent to. `user` None is the daily job; a person needs the planner capability (Http404)."""
    if user is not None:
        _require(user)
    if year_problem(year):
        raise ValidationError({"year": [year_problem(year)]})
    from borderlink.review import federation

    result = figures.compute(year)
    with transaction.atomic():
        sent = federation.queue(result, timezone.now().isoformat())
        record(user, "review.statistics.shared", object_type="review", object_id=str(year), data={"to": sent},
               request=http_request)
    return sent


def scheduled_years(today: datetime.date) -> list[int]:
    """The years the worker shares: this one, and last year until the end of March, when the review
    conference of last year's plan meets (its figures may still move as late answers arrive)."""
    years = [today.year] if figures.YEAR_MIN <= today.year <= figures.year_max() else []
    if today.month <= 3 and figures.YEAR_MIN <= today.year - 1:
        years.insert(0, today.year - 1)
    return years


def share_with_plan_partners(today: datetime.date | None = None) -> dict[int, list[str]]:
    """The worker's scheduled sharing (once a day, `core.daily`): for each year of `scheduled_years`, this
    node's aggregate statistics to the countries it has a cooperation plan with for that year, and no other
    (the same payload, envelope and checks as the planner's button). Audited as the system's. Returns
    {year: countries queued}."""
    from borderlink.review import federation

    today = today or clock.today()
    done: dict[int, list[str]] = {}
    for year in scheduled_years(today):
        partners = plans_adapter.partners(year)
        if not partners:
            continue
        result = figures.compute(year)
        with transaction.atomic():
            sent = federation.queue(result, timezone.now().isoformat(), partners)
            record(None, "review.statistics.scheduled", object_type="review", object_id=str(year), data={"to": sent})
        done[year] = sent
    return done


# --- report files ---------------------------------------------------------------------------------------


def reports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "reviews"
    path.mkdir(parents=True, exist_ok=True)
    return path


def request_report(user: Any, inp: ReviewInput, http_request: HttpRequest | None = None) -> ReviewReport:
    """Queue a review file for the worker (Http404 without the planner capability); audited."""
    _require(user)
    from borderlink.review.tasks import build_report

    with transaction.atomic():
        report = ReviewReport.objects.create(requested_by=user, year=inp.year, country=inp.country,
                                             plan_id=inp.plan_id, language=inp.language, format=inp.format)
        record(user, "review.report.requested", object_type="review_report", object_id=report.pk,
               data={"year": inp.year, "country": inp.country, "plan": inp.plan_id, "language": inp.language,
                     "format": inp.format}, request=http_request)
        transaction.on_commit(lambda: build_report.enqueue(str(report.pk)))
    return report


def render_file(inp: ReviewInput, progress: Any = None) -> bytes:
    """The review as a file in `inp.format` and `inp.language` (the command and the worker)."""
    from borderlink.review import render

    with translation.override(inp.language):
        data = build(inp, progress)
        if inp.format == ReportFormat.PDF:
            return render.pdf(data)
        if inp.format == ReportFormat.XLSX:
            return render.xlsx(data)
        return render.html_document(data).encode("utf-8")


def run_report(report_id: str) -> str:
    """Build one queued file (the worker's task): progress is saved as the figures are computed; the file
    is kept under `reports_dir()`. Returns the final state. Safe to run again after an interruption."""
    report = ReviewReport.objects.filter(pk=report_id).first()
    if report is None or report.state == ReportState.DONE:
        return report.state if report else "missing"
    ReviewReport.objects.filter(pk=report.pk).update(state=ReportState.RUNNING, progress=0)

    def progress(done: int, total: int) -> None:
        ReviewReport.objects.filter(pk=report.pk).update(progress=min(95, int(90 * done / total)))

    inp = ReviewInput(year=report.year, country=report.country, plan_id=str(report.plan_id) if report.plan_id else None,
                      language=report.language,
                      format=report.format)
    try:
        content = render_file(inp, progress)
    except Exception as exc:  # the file fails, the worker goes on; the reason is kept for the page
        log.exception("review report %s failed", report.pk)
        ReviewReport.objects.filter(pk=report.pk).update(state=ReportState.FAILED, error=str(exc)[:300],
                                                         finished_at=timezone.now())
        record(None, "review.report.failed", object_type="review_report", object_id=report.pk,
               data={"error": type(exc).__name__})
        return ReportState.FAILED
    name = f"{report.pk}.{report.format}"
    path = reports_dir() / name
    tmp = path.with_suffix(".part")
    tmp.write_bytes(content)
    tmp.replace(path)
    ReviewReport.objects.filter(pk=report.pk).update(
        state=ReportState.DONE, progress=100, storage_name=name, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), finished_at=timezone.now())
    record(None, "review.report.built", object_type="review_report", object_id=report.pk,
           data={"bytes": len(content), "format": report.format})
    return ReportState.DONE


def reports_for(user: Any) -> Any:
    """The files this node keeps, newest first (planners see all of the node's)."""
    _require(user)
    return ReviewReport.objects.all()


def get_report(user: Any, report_id: Any) -> ReviewReport:
    _require(user)
    try:
        return ReviewReport.objects.get(pk=str(report_id))
    except (ReviewReport.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such report.") from None


def open_report(user: Any, report_id: Any, http_request: HttpRequest | None = None) -> tuple[Path, str, str]:
    """A built file for download: (path, file name, content type). Http404 without access or before the
    file is ready. Every download is audited."""
    report = get_report(user, report_id)
    if report.state != ReportState.DONE or not report.storage_name:
        raise Http404("Not ready.")
    path = reports_dir() / report.storage_name
    if not path.is_file():
        raise Http404("File missing.")
    record(user, "review.report.downloaded", object_type="review_report", object_id=report.pk,
           data={"sha256": report.sha256}, request=http_request)
    label = f"{report.year}-{report.country}" if report.country else str(report.year)
    filename = f"borderlink-review-{label}-{report.language}.{report.format}"
    return path, filename, CONTENT_TYPES[ReportFormat(report.format)]
