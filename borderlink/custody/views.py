"""Custody pages: the monthly list per country (and its CSV), record, read, act."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.core.forms import apply_errors
from borderlink.core.page_query import BadQuery, form_errors
from borderlink.core.templatetags.display import countries
from borderlink.custody import access, services
from borderlink.custody.forms import CustodyForm, MonthForm, StepForm
from borderlink.custody.models import CustodyAction, CustodyState
from borderlink.custody.workflow import CUSTODY
from borderlink.notices.models import Hit, Offence


def _user(request: HttpRequest) -> Any:
    if not access.may_use_custody(request.user):
        raise Http404("No access.")
    return request.user


def _month_form(request: HttpRequest, user: Any) -> MonthForm:
    country, month = request.GET.get("country") or "", request.GET.get("month") or ""
    if not country:  # open on a country that has records, not merely the first in the list
        opening_country, opening_month = services.opening_list(user)
        country, month = opening_country or "", month or opening_month
    return MonthForm({"country": country, "month": month or timezone.localdate().strftime("%Y-%m")}, user=user)


@verified_required
def custody_list(request: HttpRequest) -> HttpResponse:
    """The monthly list for one other country, both ways; notifications not yet acknowledged on top."""
    user = _user(request)
    form = _month_form(request, user)
    page = services.view_monthly(user, form.data["country"], form.data["month"], request, request.GET.get("page")) if form.is_valid() else None
    waiting = access.visible_records(user).filter(state=CustodyState.NOTIFIED, nationality_id=user.unit.country_id).exclude(
        detaining_unit__country_id=user.unit.country_id).select_related("detaining_unit")
    return render(request, "custody/list.html", {
        "form": form, "page": page, "rows": _list_rows(page.object_list if page else []),
        "waiting": _waiting_rows(waiting[:50]) if access.is_receiving_ministry(user) else "",
        "query": urlencode({"country": form.data.get("country"), "month": form.data.get("month")}),
    }, status=400 if form.errors else 200)


def _list_rows(records: Any) -> SafeString:
    """The `<tr>` rows of the monthly list, drawn in Python: a month may hold hundreds of rows, and drawing them
    here costs a fraction of the template's per-row lookups, `get_FOO_display` (a choices dict built on every
    call) and `{% url %}` (issue 19). The same HTML as the template wrote (tests/custody/test_list_page.py)."""
    offences, states = dict(Offence.choices), dict(CustodyState.choices)
    kept = countries()  # the process's kept rows (as `{% country %}`): the page query joins no country
    placeholder = "00000000-0000-0000-0000-000000000000"
    detail = reverse("custody:detail", args=[placeholder])
    consular = format_html(" · {}", _("consular access requested"))
    return format_html_join("", "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                                "<td>{}</td><td>{}{}</td></tr>", ((
        detail.replace(placeholder, str(r.pk)), r.reference, r.person_name,
        kept[r.nationality_id].name if r.nationality_id in kept else r.nationality.name,
        date_format(timezone.localtime(r.detained_at), "SHORT_DATETIME_FORMAT"), r.place_held,
        str(offences.get(r.offence, r.offence)), r.detaining_unit.name, str(states.get(r.state, r.state)),
        consular if r.consular_access_requested else "",
    ) for r in records))


def _waiting_rows(records: Any) -> SafeString:
    """The `<li>` items of the notifications waiting for acknowledgement (up to 50 on every view), as the template
    drew them: the person linked to the record, the detaining unit, when (the reader's format)."""
    placeholder = "00000000-0000-0000-0000-000000000000"
    detail = reverse("custody:detail", args=[placeholder])
    return format_html_join("", "<li><a href=\"{}\">{}</a> · {} · {}</li>", ((
        detail.replace(placeholder, str(r.pk)), r.person_name, r.detaining_unit.name,
        date_format(timezone.localtime(r.detained_at), "SHORT_DATETIME_FORMAT") if r.detained_at else "",
    ) for r in records))


@verified_required
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _month_form(request, user)
    if not form.is_valid():
        raise BadQuery(form_errors(form))
    body = services.export_csv(user, form.cleaned_data["country"], form.cleaned_data["month"], request)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="custody-{form.cleaned_data["country"]}-{form.cleaned_data["month"]}.csv"'
    return response


@verified_required
def custody_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CustodyForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        person, custody = form.to_inputs()
        try:
            item = services.record_custody(user, person, custody, request)
        except ValidationError as exc:
            apply_errors(form, exc, {"names": "name", "documents": "document_number"})
        else:
            flash.success(request, _("Recorded. The person's country is notified."))
            return redirect("custody:detail", record_id=item.pk)
    return render(request, "custody/form.html", {"form": form})


def _context(user: Any, item: Any) -> dict[str, Any]:
    side = access.side_of(user, item)
    return {
        "item": item, "side": side, "events": item.events.all(), "form": StepForm(),
        "can": CUSTODY.possible_steps(item, side),
        "hits": Hit.objects.filter(person=item.person).select_related("notice", "notice__issuing_unit") if side == access.DETAINING else [],
    }


@verified_required
def custody_detail(request: HttpRequest, record_id: str) -> HttpResponse:
    user = _user(request)
    item = services.view_record(user, record_id, request)
    return render(request, "custody/detail.html", _context(user, item))


@verified_required
@require_POST
def step(request: HttpRequest, record_id: str, action: str) -> HttpResponse:
    user = _user(request)
    if action not in services.STEPS:
        raise Http404("No such step.")
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.take_step(user, record_id, action, form.cleaned_data.get("text") or "", request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, str(dict(CustodyAction.choices)[action]))
            return redirect("custody:detail", record_id=record_id)
    item = access.get_record_for_user(user, record_id, request)
    context = _context(user, item)
    context["form"] = form
    return render(request, "custody/detail.html", context, status=400)
