"""Plans pages: the list, proposing a plan, the plan with every step its side may take, a new version or
amendment, the dashboard (progress against targets, what is late, the trend by month), the records behind an
indicator; conferences, visits and training exchanges. Pages call the same services and access helpers as the
API; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.core.forms import apply_errors
from borderlink.core.prepared import Prepared
from borderlink.exchange.attachments import read_upload, storage_path
from borderlink.plans import access, charts, conferences, indicators, services
from borderlink.plans.forms import (
    ApproveForm,
    CommentForm,
    ConferenceForm,
    ItemFormSet,
    PlanForm,
    ProgressForm,
    TrainingForm,
    VersionForm,
    VisitForm,
)
from borderlink.plans.models import (
    Item,
    Plan,
    PlanAttachment,
    PlanEvent,
    PlanState,
    PlanVersion,
    Progress,
    Training,
    Visit,
)
from borderlink.plans.workflow import APPROVE, COMMENT, PLAN


def _user(request: HttpRequest) -> Any:
    access.require_planner(request.user, request)
    return request.user


def _items_from(formset: Any) -> list[dict[str, Any]]:
    return [i for i in (f.item() for f in formset.forms if f.is_valid()) if i is not None]


def _formset_errors(formset: Any, exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for key, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


LIST_PAGE = 25


@verified_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plans = Paginator(access.visible_plans(user).select_related("proposing_unit", "partner_unit", "third_country"),
                      LIST_PAGE).get_page(request.GET.get("page"))  # a page at a time (issue 19)
    return render(request, "plans/list.html", {"plans": plans, "page": plans, "query": "", "leadership": access.is_leadership(user)})


@verified_required
def plan_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PlanForm(request.POST or None, user=user)
    formset = ItemFormSet(request.POST or None, prefix="items")
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            d = form.cleaned_data
            try:
                plan = services.propose_plan(user, services.PlanInput(
                    year=d["year"], title=d["title"], kind=d["kind"], partner_unit=d["partner_unit"],
                    third_country=d.get("third_country") or "", text=d.get("text") or "", items=_items_from(formset)), request)
            except ValidationError as exc:
                apply_errors(form, exc)
                errors = exc.message_dict.get("items", []) if hasattr(exc, "error_dict") else []
            else:
                flash.success(request, _("Proposed. The partner's node receives the plan at once."))
                return redirect("plans:detail", plan_id=plan.pk)
        status = 400
    else:
        status = 200
    return render(request, "plans/form.html", {"form": form, "formset": formset, "item_errors": errors},
                  status=status)


# The plan page's reads, compiled once per process (core.prepared; issue 19). The page is drawn only after
# `access.get_plan_for_user` found the plan for this reader; these read that plan's rows.
_PLAN_ID = [Plan._meta.pk]
_ITEMS: Prepared[Item] = Prepared("plans.page.items", Item, lambda reader, plan_id: Item.objects.filter(
    plan_id=plan_id, in_force=True).select_related("lead_proposing", "lead_partner", "lead_third"), args=_PLAN_ID)
_PROGRESS: Prepared[Progress] = Prepared("plans.page.progress", Progress, lambda reader, plan_id: Progress.objects.filter(
    item__plan_id=plan_id, item__in_force=True), args=_PLAN_ID)  # (ordered by item, as the prefetch, then time)
_VERSIONS: Prepared[PlanVersion] = Prepared("plans.page.versions", PlanVersion, lambda reader, plan_id: PlanVersion.objects.filter(
    plan_id=plan_id).order_by("number"), args=_PLAN_ID)
_EVENTS: Prepared[PlanEvent] = Prepared("plans.page.events", PlanEvent, lambda reader, plan_id: PlanEvent.objects.filter(
    plan_id=plan_id).order_by("at", "id"), args=_PLAN_ID)
_ATTACHMENTS: Prepared[PlanAttachment] = Prepared("plans.page.attachments", PlanAttachment, lambda reader, plan_id:
                                                  PlanAttachment.objects.filter(event__plan_id=plan_id).order_by("pk"), args=_PLAN_ID)


def _page_items(user: Any, plan: Any) -> list[Item]:
    """The plan's items in force (lead units read with them), each with its progress reports as
    `item.progress.all()` gives them after `prefetch_related("progress")` (in time order): two statements."""
    items = _ITEMS.all(user, plan.pk)
    _attach(items, lambda: _PROGRESS.all(user, plan.pk), "item_id", "progress")
    return items


def _page_events(user: Any, plan: Any) -> list[PlanEvent]:
    """`services.timeline(plan)`: the plan's events in order, each with its attachments as
    `event.attachments.all()` gives them after `prefetch_related("attachments")`: two statements."""
    events = _EVENTS.all(user, plan.pk)
    _attach(events, lambda: _ATTACHMENTS.all(user, plan.pk), "event_id", "attachments")
    return events


def _attach(parents: list[Any], children: Any, parent_field: str, relation: str) -> None:
    """Put each of `children()` (read only when there are parents; in their order) under its parent, found by the
    child's `parent_field` (an attname such as "item_id"), as `prefetch_related(relation)` leaves them: the parent's
    `<relation>.all()` then runs no query. Children of other parents are left out."""
    grouped: dict[Any, list[Any]] = {parent.pk: [] for parent in parents}
    if parents:
        for child in children():
            siblings = grouped.get(getattr(child, parent_field))
            if siblings is not None:
                siblings.append(child)
    for parent in parents:
        parent._prefetched_objects_cache = {relation: grouped[parent.pk]}  # as prefetch_related sets it


def _context(user: Any, plan: Any, **forms_: Any) -> dict[str, Any]:
    side = access.side_of(user, plan)
    can = PLAN.possible_steps(plan, side)
    version = plan.current_version
    may_approve = bool(side and access.is_leadership(user) and can.get(APPROVE[side]) and version is not None
                       and version.author_id != user.pk and getattr(version, f"approved_{side}_at") is None)
    items = _page_items(user, plan)
    failed, failed_item = forms_.get("progress_form"), forms_.get("progress_item")
    # None: a blank progress form, drawn once per page by plan_item_rows (only the failed one is built here)
    rows = [(i, failed if failed is not None and failed_item == i.pk else None) for i in items]
    return {
        "plan": plan, "side": side, "can": can, "version": version, "may_approve": may_approve,
        "versions": _VERSIONS.all(user, plan.pk), "items": rows, "events": _page_events(user, plan),
        "may_comment": bool(side and can.get(COMMENT[side])), "may_version": side is not None,
        "comment_form": forms_.get("comment_form") or (CommentForm() if side and can.get(COMMENT[side]) else None),
        "approve_form": forms_.get("approve_form") or (ApproveForm() if may_approve else None),  # built where drawn
    }


@verified_required
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    user = _user(request)
    plan = access.get_plan_for_user(user, plan_id, request)
    return render(request, "plans/detail.html", _context(user, plan))


@verified_required
@require_POST
def plan_step(request: HttpRequest, plan_id: str, step: str) -> HttpResponse:
    """The comment and approval forms of the plan page post here; errors come back on the form."""
    user = _user(request)
    plan = access.get_plan_for_user(user, plan_id, request)
    forms_map = {"comment": CommentForm, "approve": ApproveForm}
    if step not in forms_map:
        raise Http404("No such step.")
    form: Any = forms_map[step](request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({})
        d = form.cleaned_data
        if step == "comment":
            services.comment(user, plan.pk, d["text"], request)
        else:
            signed = services.approve(user, plan.pk, d["signatory"], d.get("signatory_title") or "", http_request=request)
            if signed.state == PlanState.SIGNED and signed.signed_version_id == plan.current_version_id:
                flash.success(request, _("Every party has approved: the plan is signed."))
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") or exc.error_dict:
            apply_errors(form, exc)
        return render(request, "plans/detail.html", _context(user, plan, **{f"{step}_form": form}), status=400)
    return redirect("plans:detail", plan_id=plan.pk)


@verified_required
def plan_version(request: HttpRequest, plan_id: str) -> HttpResponse:
    """A new version of the items: counter-proposal, new proposal, or (signed plan) amendment with its reason."""
    user = _user(request)
    plan = access.get_plan_for_user(user, plan_id, request)
    if access.side_of(user, plan) is None:
        raise Http404("No access.")
    initial = [{**i, "due_date": i.get("due_date")} for i in (plan.current_version.items if plan.current_version else [])]
    form = VersionForm(request.POST or None)
    formset = ItemFormSet(request.POST or None, prefix="items", initial=initial)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                services.new_version(user, plan.pk, _items_from(formset), form.cleaned_data.get("reason") or "",
                                     form.cleaned_data.get("text") or "", request)
            except ValidationError as exc:
                apply_errors(form, exc)
                errors = exc.message_dict.get("items", []) if hasattr(exc, "error_dict") else []
            else:
                flash.success(request, _("The new version is sent to the other side."))
                return redirect("plans:detail", plan_id=plan.pk)
        return render(request, "plans/version.html", {"plan": plan, "form": form, "formset": formset,
                                                      "item_errors": errors}, status=400)
    return render(request, "plans/version.html", {"plan": plan, "form": form, "formset": formset})


@verified_required
@require_POST
def item_progress(request: HttpRequest, item_id: str) -> HttpResponse:
    user = _user(request)
    item = access.get_item_for_user(user, item_id, request)
    form = ProgressForm(request.POST, request.FILES, auto_id=f"p-{item.pk}-%s")
    try:
        if not form.is_valid():
            raise ValidationError({})
        d = form.cleaned_data
        files = [read_upload(d["evidence"])] if d.get("evidence") else []
        services.report_progress(user, item.pk, services.ProgressInput(status=d["status"], value=d.get("value") or "",
                                                                       note=d.get("note") or "", files=files), request)
    except ValidationError as exc:
        if exc.messages:
            apply_errors(form, exc, aliases={"evidence": "evidence", "item": "status"})
        return render(request, "plans/detail.html", _context(user, item.plan, progress_form=form, progress_item=item.pk),
                      status=400)
    return redirect("plans:detail", plan_id=item.plan_id)


@verified_required
def evidence(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    user = _user(request)
    found = PlanAttachment.objects.filter(pk=attachment_id, event__plan__in=access.visible_plans(user)).first()
    if found is None:
        raise Http404("No such file.")
    record(user, "plans.evidence.downloaded", object_type="plan", object_id=found.event.plan_id,
           data={"file": found.filename}, request=request)
    return FileResponse(open(storage_path(found.storage_name), "rb"), as_attachment=True, filename=found.filename,
                        content_type=found.content_type)


@verified_required
def dashboard(request: HttpRequest, plan_id: str) -> HttpResponse:
    """Every item in force, its progress against the target, what is late, and the trend by month."""
    user = _user(request)
    plan = access.get_plan_for_user(user, plan_id, request)
    rows: list[dict[str, Any]] = []
    for item in plan.items.filter(in_force=True).select_related("lead_proposing", "lead_partner"):
        result = indicators.evaluate(item)
        rows.append({"item": item, "result": result,
                     "bar": charts.progress_bar(result.value, result.target, result.on_track, item.get_indicator_display()),
                     "trend": charts.trend(indicators.monthly(item), _("Trend by month"))})
    summary = {"items": len(rows), "on_track": sum(1 for r in rows if r["result"].on_track),
               "late": sum(1 for r in rows if r["result"].late)}
    return render(request, "plans/dashboard.html", {"plan": plan, "rows": rows, "summary": summary,
                                                    "late": [r for r in rows if r["result"].late]})


# the heading of each kind of record behind a value on the sources page (msgids the other pages already use)
SOURCE_LABELS = {"request": gettext_lazy("Requests"), "meeting": gettext_lazy("Liaison meetings"),
                 "notice": gettext_lazy("Notices"), "custody": gettext_lazy("Custody notifications"),
                 "case": gettext_lazy("Joint cases"), "victim_case": gettext_lazy("Trafficking victims"),
                 "training": gettext_lazy("Training exchanges"), "progress": gettext_lazy("Progress"),
                 "hit": gettext_lazy("Hits")}


def _sources(user: Any, kind: str, qs: Any) -> tuple[list[tuple[str, str]], int]:
    """The records of one kind behind a value that the reader may open (reference, link), and how many in all."""
    from django.urls import reverse

    total = qs.count()
    if kind == "request":
        from borderlink.assistance.access import visible_requests

        rows = [(r.reference, reverse("assistance:detail", args=[r.pk])) for r in visible_requests(user).filter(pk__in=qs.values("pk"))[:200]]
    elif kind == "meeting":
        from borderlink.border.meeting_access import visible_meetings

        rows = [(m.reference, reverse("border:meeting", args=[m.pk])) for m in visible_meetings(user).filter(pk__in=qs.values("pk"))[:200]]
    elif kind == "notice":
        from borderlink.notices.access import visible_notices

        rows = [(str(n.pk)[:8], reverse("notices:detail", args=[n.pk])) for n in visible_notices(user).filter(pk__in=qs.values("pk"))[:200]]
    elif kind == "custody":
        from borderlink.custody.access import visible_records

        rows = [(c.reference, reverse("custody:detail", args=[c.pk])) for c in visible_records(user).filter(pk__in=qs.values("pk"))[:200]]
    elif kind == "case":
        from borderlink.cases.access import visible_cases

        rows = [(c.reference, reverse("cases:detail", args=[c.pk])) for c in visible_cases(user).filter(pk__in=qs.values("pk"))[:200]]
    elif kind == "victim_case":
        from borderlink.victims.access import visible_cases as visible_victims

        rows = [(v.reference, reverse("victims:detail", args=[v.pk])) for v in visible_victims(user).filter(pk__in=qs.values("pk"))[:200]]
    elif kind == "training":
        rows = [(t.title, reverse("plans:training") + f"#training-{t.pk}") for t in Training.objects.filter(pk__in=qs.values("pk"))[:200]]
    elif kind == "progress":
        rows = [(f"{p.at:%Y-%m-%d} {p.get_status_display()}", "") for p in qs[:200] if isinstance(p, Progress)]
    else:  # hits: counted, never listed here (each is decided in its own queue)
        rows = []
    return rows, total


@verified_required
def item_sources(request: HttpRequest, item_id: str) -> HttpResponse:
    """The records behind an item's value, each linked when the reader may open it (its app's access helper)."""
    user = _user(request)
    item = access.get_item_for_user(user, item_id, request)
    result = indicators.evaluate(item)
    fig = indicators.figure(item)
    groups = []
    for kind, qs in fig.sources:
        rows, total = _sources(user, kind, qs)
        if kind == "victim_case" and 0 < total < indicators.SUPPRESS_BELOW:
            continue  # a count of protected persons below the threshold is never shown, not even as a source list
        groups.append({"kind": kind, "label": SOURCE_LABELS.get(kind, kind), "rows": rows, "total": total, "hidden": max(0, total - len(rows))})
    record(user, "plans.sources.viewed", object_type="plan_item", object_id=item.pk, request=request)
    return render(request, "plans/sources.html", {"item": item, "result": result, "groups": groups})


# --- conferences, visits, training ----------------------------------------------------------------------------


@verified_required
def conference_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = clock.year()
    form = ConferenceForm(request.POST or None, request.FILES or None,
                          initial={"year": year, "host": conferences.proposed_host(year)})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                checked = read_upload(d["statement_file"]) if d.get("statement_file") else None
                conferences.record_conference(user, conferences.ConferenceInput(
                    year=d["year"], host=d["host"], place=d["place"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                    out_of_turn_reason=d.get("out_of_turn_reason") or "", statement_text=d.get("statement_text") or "",
                    delegates=[conferences.MemberInput(**p) for p in form.people()],
                    points=[conferences.PointInput(text, ids) for text, ids in form.point_lines()],
                    statement_file=checked), request)
            except ValidationError as exc:
                apply_errors(form, exc, aliases={"members": "delegates"})
            else:
                flash.success(request, _("The conference is recorded."))
                return redirect("plans:conferences")
    rows = access_conferences()
    return render(request, "plans/conferences.html", {"rows": rows, "form": form,
                                                      "proposed": conferences.proposed_host(year + 1)},
                  status=400 if form.errors else 200)


def access_conferences() -> Any:
    from borderlink.plans.models import Conference

    return Conference.objects.select_related("host").prefetch_related("delegates__country", "points__items")


@verified_required
def conference_statement(request: HttpRequest, year: int) -> HttpResponseBase:
    user = _user(request)
    from borderlink.plans.models import Conference

    found = Conference.objects.filter(year=year).exclude(statement_storage="").first()
    if found is None:
        raise Http404("No such file.")
    record(user, "plans.conference.statement_downloaded", object_type="conference", object_id=found.pk, request=request)
    return FileResponse(open(storage_path(found.statement_storage), "rb"), as_attachment=True,
                        filename=found.statement_filename, content_type=found.statement_content_type)


@verified_required
def visit_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            conferences.record_visit(user, conferences.VisitInput(
                kind=d["kind"], from_country=d["from_country"], to_country=d["to_country"], starts_on=d["starts_on"],
                ends_on=d["ends_on"], purpose=d["purpose"], report=d.get("report") or "",
                members=[conferences.MemberInput(**p) for p in form.people()]), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("The visit is recorded."))
            return redirect("plans:visits")
    rows = Visit.objects.select_related("from_country", "to_country")[:200]
    return render(request, "plans/visits.html", {"rows": rows, "form": form}, status=400 if form.errors else 200)


@verified_required
def training_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            conferences.record_training(user, conferences.TrainingInput(
                title=d["title"], host=d["host"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                courses=[c for c in d["courses"].splitlines() if c.strip()], participants=form.participants(),
                outcome=d.get("outcome") or ""), request)
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"participants": "participants_vn"})
        else:
            flash.success(request, _("The training exchange is recorded."))
            return redirect("plans:training")
    rows = Training.objects.select_related("host")[:200]
    return render(request, "plans/training.html", {"rows": rows, "form": form}, status=400 if form.errors else 200)
