"""Border pages: incidents (list with counts, chart and CSV; record; read; settle; approve sharing), province
pairs, border passes (issue, read, revoke) and the gate check, made for a phone's screen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.border import access, passes, services, stats
from borderlink.border.forms import (
    ApproveForm,
    CheckForm,
    FilterForm,
    IncidentForm,
    PassForm,
    RevokeForm,
    SettleForm,
    user_pair_gates,
)
from borderlink.border.meetings import upcoming_for_agenda
from borderlink.border.models import BorderIncident, Outcome, Sharing
from borderlink.core.forms import apply_errors
from borderlink.core.page_query import BadQuery, page_of
from borderlink.core.templatetags.display import countries
from borderlink.exchange.attachments import read_upload


def _user(request: HttpRequest) -> Any:
    if not access.may_use_border(request.user):
        raise Http404("No access.")
    return request.user


def _filter_data(request: HttpRequest) -> dict[str, str]:
    return {key: str(request.GET.get(key, ""))[:40] for key in ("pair", "gate", "kind", "from", "to")}


LIST_PAGE = 50
BOX_ROWS = 50
# the columns the list's rows and boxes draw (border_rows): not the descriptions, handling notes and flags of every row
ROW_COLUMNS = ("id", "reference", "occurred_at", "kind", "pair", "gate", "place", "persons_count", "children_count",
               "outcome", "refused_outcome")
BOX_COLUMNS = ("id", "reference", "occurred_at", "kind", "child_flagged", "protection_referred")


@verified_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """The incidents of the user's pairs, with counts per pair, gate, kind and month and a chart."""
    user = _user(request)
    data = _filter_data(request)
    # the user's pairs and their gates read once: the filter's choices, the counts' names and the rows' branches
    pairs = access.user_pair_rows(user)
    gates = user_pair_gates(user)  # pair_gates(pairs), one prepared statement
    form = FilterForm({"pair": data["pair"], "gate": data["gate"], "kind": data["kind"], "start": data["from"],
                       "end": data["to"]}, user=user, pairs=pairs, gates=gates)
    context: dict[str, Any] = {"form": form, "may_report": access.may_report(user)}
    try:
        filters = stats.parse_filters(user, data)
    except ValidationError as exc:
        context["filter_errors"] = exc.message_dict
        return render(request, "border/list.html", context, status=400)
    counts, pair_names, gate_names = stats.counts_and_names(user, filters, pairs=pairs, gates=gates)
    form.data = {**form.data, "start": f"{filters.start:%Y-%m}", "end": stats.months(filters)[-1].strftime("%Y-%m")}
    # a page at a time (issue 19); the list is the counted incidents, so the counts' total is the paginator's
    # the rows' own columns, no join: their pairs' and gates' names are the counts' (border_rows.incident_rows)
    # newest first, each branch of the visibility rule read in its own index's order (stats.NewestFirst), the slice
    # through a fixed-shape statement (stats.newest_first_read; issue 19: the ORM built the union's parts per view)
    stats.record_listed(user, filters, request)  # the audit event of stats.list_incidents, whose rows these are

    def rows() -> Any:  # the ORM's form, built only when the prepared read gives way (a page past its slices)
        return stats.filtered(user, filters).only(*ROW_COLUMNS)

    keys = access.incident_branch_keys(user, pairs)
    branches = [Q(reporting_unit_id=u) for u in keys[0]] + [Q(pair_id=p) for p in keys[1]]
    newest = stats.NewestFirst(rows, branches, counts["total"], read=stats.newest_first_read(user, filters, keys, ROW_COLUMNS))
    page = page_of(request, newest, LIST_PAGE, count=counts["total"])
    context.update({
        "rows": page, "page": page, "counts": counts, "query": filters.query(), "pair_names": pair_names, "gate_names": gate_names,
        "chart": mark_safe(stats.chart_svg(counts, _("Incidents per month and kind"))),  # noqa: S308  # chart_svg escapes every label
        # the boxes show their newest BOX_ROWS (the whole of them were read on every view)
        "protection": list(access.visible_incidents(user).filter(Q(child_flagged=True) | Q(protection_referred=True))
                           .only(*BOX_COLUMNS).order_by("-occurred_at", "pk")[:BOX_ROWS])
        if user.has_capability("victim_protection") else None,
        "awaiting": list(access.visible_incidents(user).filter(sharing=Sharing.AWAITING, reporting_unit_id=user.unit_id).exclude(
            created_by=user).only(*BOX_COLUMNS).order_by("-occurred_at", "pk")[:BOX_ROWS])
        if user.has_capability("supervisor") else None,
    })
    return render(request, "border/list.html", context)


@verified_required
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        filters = stats.parse_filters(user, _filter_data(request))
    except ValidationError as exc:
        fields = {name: field.label for name, field in FilterForm.base_fields.items()} | {
            "from": FilterForm.base_fields["start"].label, "to": FilterForm.base_fields["end"].label}
        raise BadQuery({str(fields.get(k) or _("Query")): ms for k, ms in exc.message_dict.items()}) from None
    response = HttpResponse("\ufeff" + stats.export_csv(user, filters, request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="border-incidents-{filters.start:%Y-%m}.csv"'
    return response


@verified_required
def incident_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_report(user):
        raise Http404("No access.")
    form = IncidentForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.record_incident(user, form.to_input(), request)
        except ValidationError as exc:
            apply_errors(form, exc, {"person_name": "person_name", "person_birth_year": "person_birth_year"})
        else:
            if item.refused_outcome:
                flash.warning(request, _("A person here asked for asylum or is recorded as a refugee from the country across "
                                         "the border: the return was refused and the incident goes to the protection unit."))
            else:
                flash.success(request, _("Incident recorded."))
            return redirect("border:detail", incident_id=item.pk)
    return render(request, "border/form.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(user: Any, item: BorderIncident, **forms: Any) -> dict[str, Any]:
    reporting = access.is_reporting_side(user, item)
    field = BorderIncident._meta.get_field("asylum_country")
    if item.asylum_country_id and not field.is_cached(item) and item.asylum_country_id in countries():
        field.set_cached_value(item, countries()[item.asylum_country_id])  # kept rows, not a join (access.py)
    return {
        "item": item, "goods": item.goods.all(), "reporting": reporting,
        "persons": item.persons.all() if reporting else [],
        "settle_form": forms.get("settle_form") or (SettleForm(incident=item, initial={"outcome": item.outcome}) if reporting else None),
        "approve_form": forms.get("approve_form") or (
            ApproveForm() if access.may_approve_sharing(user, item) and item.sharing == Sharing.AWAITING else None),
        "removal_refused": item.outcome == Outcome.REFERRED_PROTECTION and item.refused_outcome,
        "meetings": upcoming_for_agenda(user, item.pair_id) if user.can_exchange else [],
    }


@verified_required
def incident_detail(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = _user(request)
    item = services.view_incident(user, incident_id, request)
    return render(request, "border/detail.html", _detail_context(user, item))


@verified_required
@require_POST
def incident_settle(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = _user(request)
    item = access.get_incident_for_user(user, incident_id, request)
    if not access.is_reporting_side(user, item):
        raise Http404("No access.")
    form = SettleForm(request.POST, incident=item)
    if form.is_valid():
        try:
            item = services.settle_incident(user, incident_id, form.to_input(), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if item.refused_outcome:
                flash.warning(request, _("A person here asked for asylum or is recorded as a refugee from the country across "
                                         "the border: the return was refused and the incident goes to the protection unit."))
            else:
                flash.success(request, _("Handling recorded."))
            return redirect("border:detail", incident_id=item.pk)
    return render(request, "border/detail.html", _detail_context(user, item, settle_form=form), status=400)


@verified_required
@require_POST
def incident_approve(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = _user(request)
    item = access.get_incident_for_user(user, incident_id, request)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.approve_sharing(user, incident_id, form.cleaned_data.get("justification") or "", request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Approved: the incident goes to the other side."))
            return redirect("border:detail", incident_id=item.pk)
    return render(request, "border/detail.html", _detail_context(user, item, approve_form=form), status=400)


@verified_required
def pairs(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = access.user_pairs(user).select_related("side_a", "side_b").prefetch_related("gates")
    return render(request, "border/pairs.html", {"rows": rows})


@verified_required
def pass_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "border/passes.html", {
        "rows": access.visible_passes(user).select_related("province")[:200], "may_issue": access.may_issue_passes(user),
        "may_check": access.may_check_passes(user)})


@verified_required
def pass_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_issue_passes(user):
        raise Http404("No access.")
    form = PassForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            photos = [read_upload(form.cleaned_data["photo"])] if form.cleaned_data.get("photo") else []
            item = passes.issue_pass(user, form.to_input(photos), request)
        except ValidationError as exc:
            apply_errors(form, exc, {"holder_name": "name", "holder_photos": "photo", "holder_birth_year": "birth_year"})
        else:
            flash.success(request, _("Pass recorded."))
            return redirect("border:pass", pass_id=item.pk)
    return render(request, "border/pass_form.html", {"form": form}, status=400 if form.errors else 200)


@verified_required
def pass_detail(request: HttpRequest, pass_id: str) -> HttpResponse:
    user = _user(request)
    item = passes.view_pass(user, pass_id, request)
    return render(request, "border/pass.html", {"item": item, "gates": item.gates.all(), "form": RevokeForm()})


@verified_required
@require_POST
def pass_revoke(request: HttpRequest, pass_id: str) -> HttpResponse:
    user = _user(request)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            passes.revoke_pass(user, pass_id, form.cleaned_data["reason"], request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Pass revoked."))
            return redirect("border:pass", pass_id=pass_id)
    item = access.get_pass_for_user(user, pass_id, request)
    return render(request, "border/pass.html", {"item": item, "gates": item.gates.all(), "form": form}, status=400)


@verified_required
def pass_check(request: HttpRequest) -> HttpResponse:
    """The gate check: type or scan the number, get the issuing node's signed answer. Made for a phone."""
    user = _user(request)
    if not access.may_check_passes(user):
        raise Http404("No access.")
    form = CheckForm(request.POST or None, user=user)
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            answer = passes.check_pass(user, form.cleaned_data["number"], form.cleaned_data["country"],
                                       form.cleaned_data["gate"], request)
        except ValidationError as exc:
            apply_errors(form, exc)
        except passes.TooManyChecks as exc:
            form.add_error(None, str(exc))
            return render(request, "border/check.html", {"form": form, "answer": None}, status=429)
    status = 400 if form.errors else 200
    return render(request, "border/check.html", {"form": form, "answer": answer}, status=status)
