"""Victim pages: the list, identification, a case with the steps open to the user's side, statistics.
Thin: every change goes through victims/services.py; anyone without access gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.core import clock
from borderlink.core.forms import apply_errors
from borderlink.core.page_query import BadQuery, page_of, query_data
from borderlink.core.templatetags.display import countries
from borderlink.victims import access, consent, deadlines, services, statistics
from borderlink.victims.forms import (
    STEP_FORMS,
    IdentifyForm,
    LinkForm,
    OverrideForm,
    PurgeForm,
    WindowForm,
    step_form,
)
from borderlink.victims.models import Action, Purpose, VictimCase
from borderlink.victims.workflow import VICTIM

LIST_PAGE = 25
BOX_ROWS = 20  # the retention reviews and overdue cases shown above the list, most pressing first


def _protector(request: HttpRequest) -> Any:
    if not access.may_protect(request.user):
        raise Http404("No access.")
    return request.user


@verified_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.may_protect(user):
        if statistics.may_read(user):
            return redirect("victims:statistics")
        if services.may_investigate(user):
            return redirect("victims:facts_list")
        raise Http404("No access.")
    # a page at a time (issue 19: the newest 200 were drawn on every view, the older ones out of reach); the
    # overdue box is its own query over every visible case, not only the page's
    visible = access.visible_cases(user)
    page = page_of(request, visible.select_related("finding_country", "home_country").order_by("-found_on", "-created_at", "id"),
                   LIST_PAGE)
    now = clock.now()
    for c in page:
        c.overdue = deadlines.overdue(c, now)  # type: ignore[attr-defined]
    return render(request, "victims/list.html", {
        "cases": page.object_list, "page": page, "may_identify": access.may_protect(user),
        "due": services.due_for_review(user, limit=BOX_ROWS), "overdue": deadlines.overdue_cases(visible, now)[:BOX_ROWS]})


@verified_required
def identify(request: HttpRequest) -> HttpResponse:
    user = _protector(request)
    form = IdentifyForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            person, data = form.to_inputs()
            try:
                case = services.identify(user, person, data, request)
            except ValidationError as exc:
                apply_errors(form, exc, {"names": "name", "documents": "document_number", "consents": "share_home"})
            else:
                flash.success(request, _("Recorded. Nothing leaves this node until the case is shared."))
                return redirect("victims:detail", case_id=case.pk)
    return render(request, "victims/identify.html", {"form": form}, status=status)


def _verification_choices(user: Any, case: VictimCase) -> list[tuple[str, str]]:
    from borderlink.assistance.access import visible_requests
    from borderlink.assistance.models import RequestKind

    rows = visible_requests(user).filter(kind=RequestKind.VERIFY_VICTIM_NATIONALITY, victim_case=case,
                                         requesting_unit__country_id=case.finding_country_id,
                                         requested_unit__country_id=case.home_country_id).order_by("-created_at")[:50]
    return [(str(r.pk), f"{r.reference} · {r.subject}") for r in rows]


def _context(user: Any, case: VictimCase, forms: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    side = access.side_of(user, case)
    can = VICTIM.possible_steps(case, side) if access.may_protect(user) else {}
    labels = dict(Action.choices)
    bound = forms or {}
    step_forms = [(a, labels[a], bound.get(a) or step_form(a, case)) for a in STEP_FORMS if can.get(a) or a in bound]
    latest, organisations = consent.decisions(case)  # one query, not one per purpose (issue 19)
    purposes = [(label, latest.get(value)) for value, label in Purpose.choices if value != Purpose.SHARE_ORGANISATION]
    kept = countries()  # the process's kept rows, not a query per country (as `{% country %}`)
    for name in ("finding_country", "home_country"):
        row, field = kept.get(getattr(case, f"{name}_id")), getattr(VictimCase, name).field  # the ForeignKey
        if row is not None and not field.is_cached(case):
            field.set_cached_value(case, row)
    owner = side == access.FINDING and not case.origin_node and access.may_protect(user)
    owes = deadlines.owed_by(case)
    return {
        "deadline": case.deadline if owes else None, "overdue": deadlines.overdue(case, clock.now()),
        "owed_by": {access.FINDING: case.finding_country.name, access.HOME: case.home_country.name}.get(owes or ""),
        "case": case, "side": side, "events": case.events.all(), "step_forms": step_forms,
        "consents": purposes, "organisation_consents": organisations,
        "may_share": owner and case.state == "identified",
        "link_form": (LinkForm(choices=_verification_choices(user, case))
                      if owner and can.get(Action.VERIFICATION_ASKED) else None),
        "answer_label": labels.get(services.verification_answer(case) or "") if owner and case.state == "verifying" else None,
        "override_form": OverrideForm(prefix="override") if access.is_approving_supervisor(user, case) else None,
        "purge_form": PurgeForm(prefix="purge") if access.may_protect(user) and case.review_on <= timezone.localdate() else None,
        **extra,
    }


@verified_required
def detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = services.view_case(request.user, case_id, request)
    return render(request, "victims/detail.html", _context(request.user, case))


def _again(request: HttpRequest, case_id: str, status: int = 400, **extra: Any) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id, request)
    return render(request, "victims/detail.html", _context(request.user, case, **extra), status=status)


@verified_required
@require_POST
def step(request: HttpRequest, case_id: str, action: str) -> HttpResponse:
    user = _protector(request)
    if action not in STEP_FORMS:
        raise Http404("No such step.")
    case = access.get_case_for_user(user, case_id, request)
    form = step_form(action, case, request.POST)
    if form.is_valid():
        data, text = form.facts()
        try:
            services.take_step(user, case_id, action, data, text, request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, str(dict(Action.choices)[action]))
            return redirect("victims:detail", case_id=case_id)
    return _again(request, case_id, forms={action: form}, open_step=action)


def _simple(request: HttpRequest, case_id: str, call: Any, form: Any = None, done: str = "") -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        if form is not None:
            apply_errors(form, exc)
        else:
            for message in exc.messages:
                flash.error(request, message)
        extra: dict[str, Any] = {"override_form": form} if isinstance(form, OverrideForm) else {}
        return _again(request, case_id, **extra) if form is not None else redirect("victims:detail", case_id=case_id)
    flash.success(request, done)
    return redirect("victims:detail", case_id=case_id)


@verified_required
@require_POST
def share(request: HttpRequest, case_id: str) -> HttpResponse:
    user = _protector(request)
    return _simple(request, case_id, lambda: services.share(user, case_id, request), done=_("Sent to the home country."))


@verified_required
@require_POST
def link(request: HttpRequest, case_id: str) -> HttpResponse:
    user = _protector(request)
    case = access.get_case_for_user(user, case_id, request)
    form = LinkForm(request.POST, choices=_verification_choices(user, case))
    if not form.is_valid():
        return _again(request, case_id, link_form=form)
    return _simple(request, case_id, lambda: services.link_verification(user, case_id, form.cleaned_data["request"], request),
                   done=str(dict(Action.choices)[Action.VERIFICATION_ASKED]))


@verified_required
@require_POST
def answer(request: HttpRequest, case_id: str) -> HttpResponse:
    user = _protector(request)
    return _simple(request, case_id, lambda: services.record_verification(user, case_id, request), done=_("Recorded."))


@verified_required
@require_POST
def override(request: HttpRequest, case_id: str) -> HttpResponse:
    form = OverrideForm(request.POST, prefix="override")
    if not form.is_valid():
        access.get_case_for_user(request.user, case_id, request)
        return _again(request, case_id, override_form=form)
    d = form.cleaned_data
    return _simple(request, case_id, lambda: services.override_consent(
        request.user, case_id, d["purpose"], d["ground"], d["reason"], d.get("organisation") or "", request), form=form,
        done=str(dict(Action.choices)[Action.OVERRIDE]))


@verified_required
@require_POST
def purge(request: HttpRequest, case_id: str) -> HttpResponse:
    user = _protector(request)
    form = PurgeForm(request.POST, prefix="purge")
    if form.is_valid():
        try:
            services.purge(user, case_id, form.cleaned_data["reason"], request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Purged. The purge is in the audit log."))
            return redirect("victims:list")
    return _again(request, case_id, purge_form=form)


@verified_required
def figures(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not statistics.may_read(user):
        raise Http404("No access.")
    today = timezone.localdate()
    form = WindowForm(query_data(request, WindowForm) or {"start": today.replace(month=1, day=1), "end": today})
    result = None
    status = 200
    if form.is_valid():
        try:
            result = statistics.figures(user, form.cleaned_data["start"], form.cleaned_data["end"], request)
        except ValueError:
            form.add_error("end", _("Give a window of at most %(n)d months.") % {"n": statistics.MONTHS_MAX})
    if not form.is_valid() or result is None:
        status = 400
    names = {"identified": _("Identified"), "verified": _("Nationality verified"), "returned": _("Returned"),
             "declined_return": _("Declined return"), "followed_up": _("Followed up")}
    tables = [(names[m], _labelled(t)) for m, t in (result or {}).get("metrics", {}).items()]
    return render(request, "victims/statistics.html", {"form": form, "tables": tables, "k": statistics.K,
                                                       "year": today.year}, status=status)


def _labelled(table: dict[str, Any]) -> dict[str, Any]:
    """The table with codes read in the user's language (the statistics themselves carry codes)."""
    from borderlink.persons.models import Sex
    from borderlink.victims.models import AgeBand, Exploitation

    labels = {**dict(Exploitation.choices), **dict(Sex.choices), "child": AgeBand.CHILD.label, "adult": AgeBand.ADULT.label}
    rows = [{**r, "cells": [{**c, **{k: str(labels.get(c[k], c[k])) for k in ("exploitation", "sex", "age_band")}}
                            for c in r["cells"]]} for r in table["rows"]]
    return {**table, "rows": rows}


@verified_required
def export(request: HttpRequest) -> HttpResponse:
    user = _protector(request)
    raw, last = request.GET.get("year", ""), timezone.localdate().year + 1
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= last):
        raise BadQuery({_("Year"): [_("Give a year from %(first)d to %(last)d.") % {"first": 2000, "last": last}]})
    year = int(raw) if raw else timezone.localdate().year
    body = statistics.export_htcds(user, year, request)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="victims-htcds-{year}.csv"'
    return response


@verified_required
def facts_list(request: HttpRequest) -> HttpResponse:
    """For investigators: the cases of their unit whose victims consented to share the exploitation facts
    with investigators; nothing else (no names, documents, timeline)."""
    rows = services.investigation_cases(request.user)
    return render(request, "victims/facts_list.html", {"rows": [_facts_labelled(r) for r in rows]})


@verified_required
def facts(request: HttpRequest, case_id: str) -> HttpResponse:
    """For investigators: one case's exploitation facts, without identity; 404 without consent or need to know."""
    return render(request, "victims/facts.html", {"facts": _facts_labelled(services.investigation_facts(
        request.user, case_id, request))})


def _facts_labelled(item: dict[str, Any]) -> dict[str, Any]:
    from borderlink.core.models import Country
    from borderlink.victims.models import Exploitation, Indicator

    names = {c.code: c.name for c in Country.objects.filter(code__in=[item["finding_country"], item["home_country"]])}
    indicators = dict(Indicator.choices)
    return {**item, "exploitation_label": dict(Exploitation.choices).get(item["exploitation"], item["exploitation"]),
            "indicator_labels": [indicators.get(i, i) for i in item["indicators"]],
            "finding_country_name": names.get(item["finding_country"], item["finding_country"]),
            "home_country_name": names.get(item["home_country"], item["home_country"])}
