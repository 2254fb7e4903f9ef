"""Request pages: dashboard, write, read, act, handover, attachments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.assistance import access, services
from borderlink.assistance.forms import (
    AnswerForm,
    ApproveForm,
    DeclineForm,
    HandoverForm,
    OptionalTextForm,
    RequestForm,
    TextForm,
)
from borderlink.assistance.models import (
    OPEN_STATES,
    UNSENT_STATES,
    Alert,
    Handover,
    Request,
    RequestAttachment,
    RequestKind,
    RequestState,
    Side,
)
from borderlink.assistance.rows import alert_items, dashboard_rows, statistics_rows
from borderlink.assistance.workflow import REQUEST
from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.core.forms import apply_errors
from borderlink.core.page_query import Later, page_of
from borderlink.core.prepared import Prepared
from borderlink.exchange.attachments import storage_path
from borderlink.notices.models import Offence

PAGE_SIZE = 25
TABS = ("open", "overdue", "drafts", "closed")
# The overdue tab's badge counts up to this many requests, then says "1000+" (a unit with that many overdue has a
# backlog to clear, not a number to read; counting them all read every overdue entry on every view, issue 19).
OVERDUE_SHOWN = 1000
# what the dashboard's rows show of a request and its two units (assistance.rows.dashboard_rows, services.time_left)
ROW_FIELDS = ("id", "reference", "urgency", "subject", "kind", "state", "deadline", "requesting_unit", "requested_unit",
              *(f"{unit}__{field}" for unit in ("requesting_unit", "requested_unit")
                for field in ("country", "name_en", "name_vi", "name_lo", "name_km")))


def _tab_rows(tab: str, reader: Any, now: Any = None) -> Any:
    """The requests a dashboard tab lists, in its order, with only what a row shows (ROW_FIELDS); `now`: the
    overdue tab's time."""
    mine = services.dashboard_requests(reader).select_related("requesting_unit", "requested_unit").only(*ROW_FIELDS)
    if tab == "open":
        return mine.filter(state__in=OPEN_STATES).order_by(F("deadline").asc(nulls_last=True))
    if tab == "overdue":
        return mine.filter(state__in=OPEN_STATES, deadline__lt=now).order_by("deadline")
    if tab == "drafts":
        return mine.filter(state__in=UNSENT_STATES, requesting_unit_id=reader.unit_id).order_by("-updated_at")
    return mine.filter(state__in=services.CLOSED_STATES).order_by("-updated_at")


# Each tab's first pages and the unit's alerts, compiled once per process and reader shape (core.prepared; issue 19):
# the same rows as the ORM's, the rules run in the statement with each user's values.
PREPARED_PAGES = 3
_TAB_ROWS: dict[str, Prepared[Request]] = {
    tab: Prepared(f"assistance.dashboard.{tab}", Request, lambda reader, *now, tab=tab: _tab_rows(tab, reader, *now),
                  args=[Request._meta.get_field("deadline")] if tab == "overdue" else [])
    for tab in TABS
}
_ALERTS: Prepared[Alert] = Prepared("assistance.alerts", Alert, services.alerts_for, args=[])


def _user(request: HttpRequest) -> Any:
    if not access.may_use_requests(request.user):
        raise Http404("No access.")
    return request.user


@verified_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My unit's requests, both ways: open ones by time left, overdue, drafts, closed; counts and medians."""
    user = _user(request)
    tab = request.GET.get("tab") or "open"
    if tab not in TABS:
        tab = "open"
    now = clock.now()
    # the tabs' counts from the requests summary (issue 19: three counts over the unit's requests per view), the
    # overdue counted up to OVERDUE_SHOWN + 1; the page's paginator takes its tab's count from them (the overdue
    # tab, when there are more, counts its requests itself: its pages must all be reachable)
    # (with the statistics: the user's own victim requests read once for both)
    counts, stats = services.dashboard_figures(user, now, overdue_limit=OVERDUE_SHOWN)
    overdue_more = counts["overdue"] > OVERDUE_SHOWN
    now_arg = (now,) if tab == "overdue" else ()
    # only what a row shows (dashboard_rows): a request's text and a unit's other columns are not read; the ORM's
    # query built only when a page is read from it (core.page_query.Later)
    count = None if tab == "overdue" and overdue_more else counts.get(tab)
    page = page_of(request, Later(lambda: _tab_rows(tab, user, *now_arg)) if count is not None else _tab_rows(tab, user, *now_arg),
                   PAGE_SIZE, count=count)
    if count and page.number <= PREPARED_PAGES:
        # a whole page's window (one statement per page number), cut where the paginator's page ends
        bottom = (page.number - 1) * PAGE_SIZE
        page.object_list = _TAB_ROWS[tab].all(user, *now_arg, window=(bottom, bottom + PAGE_SIZE))[:page.end_index() - bottom]
    for req in page:
        req.time_left = services.time_left(req, now)  # type: ignore[attr-defined]
        req.outgoing = req.requesting_unit_id == user.unit_id  # type: ignore[attr-defined]
    record(user, "assistance.dashboard.viewed", data={"tab": tab}, request=request)
    alerts = _ALERTS.all(user, window=(0, 8))  # list(services.alerts_for(user)[:8])
    return render(request, "assistance/dashboard.html", {
        "page": page, "rows": dashboard_rows(page.object_list), "tab": tab, "counts": counts,
        "overdue_shown": f"{OVERDUE_SHOWN}+" if overdue_more else counts["overdue"], "stats": stats,
        "alerts": alerts, "alert_items": alert_items(alerts), "statistics_rows": statistics_rows(stats["table"]),
        "query": f"tab={tab}",
    })


@verified_required
def request_create(request: HttpRequest) -> HttpResponse:
    """Write a draft: officers, liaison officers and supervisors any kind; victim-protection officers a request to
    verify a victim's nationality (from the victim case's page: `?victim_case=<id>` chooses the case)."""
    user = _user(request)  # access.may_use_requests: officers, liaison officers, supervisors, victim-protection officers
    initial = {"notice": request.GET.get("notice"), "kind": RequestKind.ARREST_HANDOVER} if request.GET.get("notice") else None
    if request.GET.get("victim_case"):
        initial = {"victim_case": request.GET.get("victim_case"), "kind": RequestKind.VERIFY_VICTIM_NATIONALITY,
                   "offence": Offence.TRAFFICKING_IN_PERSONS}
    form = RequestForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.create_request(user, form.to_input(), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("The draft request is saved. Submit it for approval when it is complete."))
            return redirect("assistance:detail", request_id=req.pk)
    return render(request, "assistance/form.html", {"form": form})


@verified_required
def request_edit(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    req = access.get_request_for_user(user, request_id, request)
    if access.side_of(user, req) != Side.REQUESTING or req.state != RequestState.DRAFT:
        raise Http404("No access.")
    initial = {
        "kind": req.kind, "requested_unit": req.requested_unit_id, "offence": req.offence, "urgency": req.urgency,
        "data_held_directly": req.data_held_directly, "requested_deadline": req.requested_deadline, "subject": req.subject,
        "details": req.details, "person_name": req.person_name, "identifier": req.identifier,
        "notice": req.notice_id, "handling_code": req.handling_code, "victim_case": req.victim_case_id,
    }
    form = RequestForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_request(user, req.pk, form.to_input(), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Changes saved."))
            return redirect("assistance:detail", request_id=req.pk)
    return render(request, "assistance/form.html", {"form": form, "req": req})


def _detail_context(user: Any, req: Any) -> dict[str, Any]:
    """What the request page shows. Each step's form is built only when the page draws it, that is when the user may
    take that step (issue 19: the handover form alone read the gates and both sides' units on every view); a form
    the page does not draw is None. The error path (`_act`, `handover`) puts its bound form in its place."""
    side = access.side_of(user, req)
    handover_shown = req.kind == RequestKind.ARREST_HANDOVER and req.state not in (RequestState.DRAFT, RequestState.SUBMITTED)
    # the handover's facts only where the page shows them (an arrest and handover request once sent)
    handover = Handover.objects.filter(request=req).select_related(
        "gate", "escort_requesting_unit", "escort_requested_unit").first() if handover_shown else None
    events = access.timeline(user, req)  # (visible_events, each with its attachments)
    can_approve = access.can_approve(user, req)
    can = REQUEST.possible_steps(req, side)
    handover_form = None
    if handover_shown and can.get("handover_planned"):
        handover_form = HandoverForm(req=req)  # its gate and escort choices
    elif handover_shown and any(can.get(step) for step in ("located", "arrested", "handed_over")):
        handover_form = HandoverForm()
    return {
        "req": req, "side": side, "events": events, "handover": handover,
        "time_left": services.time_left(req), "can_approve": can_approve,
        "refusals": services.refusals(req) if can_approve else [],
        "can": can,
        "text_form": TextForm() if can_approve or can.get("clarification_asked") or can.get("clarification_given") else None,
        "optional_form": OptionalTextForm() if can.get("accepted") else None,
        "approve_form": ApproveForm() if can_approve else None,
        "decline_form": DeclineForm() if can.get("declined") else None,
        "answer_form": AnswerForm() if can.get("answered") and req.kind != RequestKind.ARREST_HANDOVER else None,
        "handover_form": handover_form,
    }


@verified_required
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    req = services.read_request(user, request_id, request)
    return render(request, "assistance/detail.html", _detail_context(user, req))


def _act(request: HttpRequest, request_id: str, form_class: type[Form] | None, act: Callable[[Any, Any, Any], Any],
         done: str, form_key: str) -> HttpResponse:
    """Run one step from a form on the detail page; on an error show the page again with the form's errors."""
    user = _user(request)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is None or form.is_valid():
        try:
            act(user, form.cleaned_data if form else {}, form)
        except ValidationError as exc:
            if form is None:
                for message in exc.messages:
                    flash.error(request, message)
                return redirect("assistance:detail", request_id=request_id)
            apply_errors(form, exc)
        else:
            flash.success(request, done)
            return redirect("assistance:detail", request_id=request_id)
    req = access.get_request_for_user(user, request_id, request)
    context = _detail_context(user, req)
    context[form_key] = form
    return render(request, "assistance/detail.html", context, status=400)


@verified_required
@require_POST
def submit(request: HttpRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, None, lambda u, d, f: services.submit_request(u, request_id, request),
                _("Submitted for approval."), "")


@verified_required
@require_POST
def approve(request: HttpRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, ApproveForm,
                lambda u, d, f: services.approve_request(u, request_id, d.get("justification", ""), request),
                _("Approved: the request has left for the requested unit."), "approve_form")


@verified_required
@require_POST
def return_to_author(request: HttpRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, TextForm, lambda u, d, f: services.return_request(u, request_id, d["text"], request),
                _("Returned to the author."), "text_form")


@verified_required
@require_POST
def accept(request: HttpRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, OptionalTextForm,
                lambda u, d, f: services.accept_request(u, request_id, d.get("text", ""), request), _("Accepted."), "optional_form")


@verified_required
@require_POST
def clarify(request: HttpRequest, request_id: str) -> HttpResponse:
    """The requested side asks a question, or the requesting side answers one."""
    return _act(request, request_id, TextForm, lambda u, d, f: services.clarify(u, request_id, d["text"], request),
                _("Sent to the other side."), "text_form")


@verified_required
@require_POST
def decline(request: HttpRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, DeclineForm,
                lambda u, d, f: services.decline_request(u, request_id, d["reason"], d.get("text", ""), request),
                _("Declined."), "decline_form")


@verified_required
@require_POST
def answer(request: HttpRequest, request_id: str) -> HttpResponse:
    def act(user: Any, data: dict, form: Any) -> Any:
        results = [services.ResultInput(kind, value) for kind, value in form.chosen_results()]
        return services.answer_request(user, request_id, services.Answer(
            data["text"], results=results, attachments=data.get("attachments") or [], partial=data.get("partial") or False),
            request)

    return _act(request, request_id, AnswerForm, act, _("The answer is on its way."), "answer_form")


@verified_required
@require_POST
def close(request: HttpRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, OptionalTextForm,
                lambda u, d, f: services.close_request(u, request_id, d.get("text", ""), request), _("Closed."), "optional_form")


@verified_required
@require_POST
def handover(request: HttpRequest, request_id: str, action: str) -> HttpResponse:
    if action not in services.HANDOVER_STEPS:
        raise Http404("No such step.")
    user = _user(request)
    req = access.get_request_for_user(user, request_id, request)
    form = HandoverForm(request.POST, req=req)
    if form.is_valid():
        try:
            services.handover_step(user, request_id, action, form.to_input(), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("The handover step is recorded."))
            return redirect("assistance:detail", request_id=request_id)
    context = _detail_context(user, req)
    context["handover_form"] = form
    context["handover_action"] = action
    return render(request, "assistance/detail.html", context, status=400)


@verified_required
def download(request: HttpRequest, request_id: str, attachment_id: int) -> FileResponse:
    user = _user(request)
    req = access.get_request_for_user(user, request_id, request)
    attachment = RequestAttachment.objects.filter(pk=attachment_id, event__request=req).first()
    if attachment is None:
        raise Http404("No such attachment.")
    record(user, "assistance.attachment.downloaded", object_type="request", object_id=req.pk,
           data={"attachment": attachment.filename, "sha256": attachment.sha256}, request=request)
    return FileResponse(open(storage_path(attachment.storage_name), "rb"), as_attachment=True, filename=attachment.filename,
                        content_type=attachment.content_type)


