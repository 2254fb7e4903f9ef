"""The review's pages: the review of a year (or a plan), the records behind a figure, building a file
and downloading it. Thin: everything goes through review.services; anyone without the planner capability
gets 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.core.forms import apply_errors
from borderlink.review import figures, services
from borderlink.review import render as draw
from borderlink.review.forms import ReviewForm
from borderlink.review.models import ReportFormat


def _planner(request: HttpRequest) -> Any:
    if not services.may_review(request.user):
        raise Http404("No access.")
    return request.user


@verified_required
def page(request: HttpRequest) -> HttpResponse:
    user = _planner(request)
    form = ReviewForm(request.GET or {"year": figures.year_max()})
    context: dict[str, Any] = {"form": form, "reports": services.reports_for(user)[:20], "languages": settings.LANGUAGES,
                               "formats": ReportFormat.choices, "r": None, "plan": request.GET.get("plan", "")}
    status = 200
    if form.is_valid():
        try:
            inp = services.parse_input(form.cleaned_data["year"], form.cleaned_data["country"],
                                       form.cleaned_data["plan"], get_language() or "en", user=user)
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 400
        else:
            context["r"] = draw.present(services.view(user, inp, request))
    else:
        status = 400
    return render(request, "review/page.html", context, status=status)


def _detail_url(url_name: str, record_id: str) -> str:
    if not url_name:
        return ""
    kwarg = {"exchange:detail": "message_id", "assistance:detail": "request_id", "notices:detail": "notice_id",
             "custody:detail": "record_id", "cases:detail": "case_id", "border:meeting": "meeting_id",
             "border:detail": "incident_id"}[url_name]
    try:
        return reverse(url_name, kwargs={kwarg: record_id})
    except NoReverseMatch:
        return ""


@verified_required
def records(request: HttpRequest, year: int, figure: str) -> HttpResponse:
    user = _planner(request)
    spec = figures.SPECS.get(figure)
    if spec is None:
        raise Http404("No such figure.")
    month_text = request.GET.get("month", "")
    try:
        month = int(month_text) if month_text else None
        rows = services.records_behind(user, year, figure, request.GET.get("key", "")[:40], request.GET.get("origin", "")[:2],
                                       request.GET.get("counterpart", "")[:2], month, request)
    except (ValidationError, ValueError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else _("Give a month from 1 to 12.")
        return render(request, "errors/error.html", {"status": 400, "title": _("Records behind a figure"),
                                                     "text": message, "start": reverse("review:page")}, status=400)
    for row in rows:
        row["url"] = _detail_url(spec.url_name, row["id"])
    names = draw._country_names()
    origin, counterpart = request.GET.get("origin", ""), request.GET.get("counterpart", "")
    return render(request, "review/records.html", {
        "rows": rows, "title": spec.title, "label": spec.keys().get(request.GET.get("key", ""), ""),
        "pair": draw._pair_label(names, origin, counterpart), "year": year, "month": month})


@verified_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    user = _planner(request)
    try:
        inp = services.parse_input(request.POST.get("year", ""), request.POST.get("country", ""),
                                   request.POST.get("plan", ""), request.POST.get("language", ""),
                                   request.POST.get("format", ""), user=user)
    except ValidationError as exc:
        form = ReviewForm(request.POST)
        form.is_valid()
        apply_errors(form, exc)
        return render(request, "review/page.html", {"form": form, "reports": services.reports_for(user)[:20],
                                                    "languages": settings.LANGUAGES, "formats": ReportFormat.choices,
                                                    "r": None, "errors": exc.messages}, status=400)
    services.request_report(user, inp, request)
    flash.success(request, _("The file is being built; it appears below when ready."))
    return redirect(reverse("review:page") + f"?year={inp.year}&country={inp.country}")


@verified_required
@require_POST
def share(request: HttpRequest) -> HttpResponse:
    user = _planner(request)
    try:
        year = int(request.POST.get("year", "")[:6])
    except ValueError:
        flash.error(request, _("Give the year as a number, for example %(year)d.") % {"year": figures.year_max()})
        return redirect("review:page")
    try:
        sent = services.share_statistics(user, year, request)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
        return redirect("review:page")
    flash.success(request, _("Statistics queued for: %(countries)s.") % {"countries": ", ".join(sent) or "—"})
    return redirect(reverse("review:page") + f"?year={year}")


@verified_required
def download(request: HttpRequest, report_id: str) -> FileResponse:
    user = _planner(request)
    path, filename, content_type = services.open_report(user, report_id, request)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
