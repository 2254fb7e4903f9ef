"""Custody pages: the monthly list per country (and its CSV), record, read, act."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.core import rows
from borderlink.core.forms import apply_errors
from borderlink.core.page_query import BadQuery, form_errors
from borderlink.core.prepared import Prepared
from borderlink.core.templatetags.display import countries
from borderlink.custody import access, services
from borderlink.custody.forms import CustodyForm, MonthForm, StepForm
from borderlink.custody.models import CustodyAction, CustodyRecord, CustodyState
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
    return render(request, "custody/list.html", {
        "form": form, "page": page, "rows": _list_rows(page.object_list if page else []),
        "waiting": _waiting_rows(_WAITING.all(user)) if access.is_receiving_ministry(user) else "",
        "query": urlencode({"country": form.data.get("country"), "month": form.data.get("month")}),
    }, status=400 if form.errors else 200)


def _waiting(reader: Any) -> Any:
    """The notifications waiting for acknowledgement by the reader's country (up to 50): its nationals held by
    another country, with their detaining units; only the columns the list draws."""
    country = reader.unit.country_id
    return access.visible_records(reader).filter(state=CustodyState.NOTIFIED, nationality_id=country).exclude(
        detaining_unit__country_id=country).select_related("detaining_unit").only(
        "id", "person_name", "detained_at", "detaining_unit")[:50]


# compiled once per process and reader shape (core.prepared; issue 19): `visible_records`' rule runs in the statement
# with this reader's unit and country bound on every view
_WAITING: Prepared[CustodyRecord] = Prepared("custody.waiting", CustodyRecord, _waiting, args=[])


def _list_rows(records: Any) -> SafeString:
    """The `<tr>` rows of the monthly list, drawn in Python: a month may hold hundreds of rows, and drawing them
    here costs a fraction of the template's per-row lookups, `get_FOO_display` (a choices dict built on every
    call) and `{% url %}` (issue 19); the date format looked up once per page, not per row. The same HTML as the
    template wrote (tests/custody/test_list_page.py)."""
    offences, states = rows.labels(Offence.choices), rows.labels(CustodyState.choices)
    kept = countries()  # the process's kept rows (as `{% country %}`): the page query joins no country
    before, after = rows.url_prefix("custody:detail")
    consular = f" · {escape(_('consular access requested'))}"
    when = get_format("SHORT_DATETIME_FORMAT")
    return mark_safe("".join(  # noqa: S308 (every value escaped)
        f'<tr><td><a href="{before}{r.pk}{after}">{escape(r.reference)}</a></td><td>{escape(r.person_name)}</td>'
        f"<td>{escape(kept[r.nationality_id].name if r.nationality_id in kept else r.nationality.name)}</td>"
        f"<td>{escape(dateformat.format(timezone.localtime(r.detained_at), when))}</td><td>{escape(r.place_held)}</td>"
        f"<td>{escape(offences.get(r.offence, r.offence))}</td><td>{escape(r.detaining_unit.name)}</td>"
        f"<td>{escape(states.get(r.state, r.state))}{consular if r.consular_access_requested else ''}</td></tr>"
        for r in records))


def _waiting_rows(records: Any) -> SafeString:
    """The `<li>` items of the notifications waiting for acknowledgement (up to 50 on every view), as the template
    drew them: the person linked to the record, the detaining unit, when (the reader's format, looked up once per
    page)."""
    before, after = rows.url_prefix("custody:detail")
    when = get_format("SHORT_DATETIME_FORMAT")
    return mark_safe("".join(  # noqa: S308 (every value escaped)
        f'<li><a href="{before}{r.pk}{after}">{escape(r.person_name)}</a> · {escape(r.detaining_unit.name)} · '
        f'{escape(dateformat.format(timezone.localtime(r.detained_at), when)) if r.detained_at else ""}</li>'
        for r in records))


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
