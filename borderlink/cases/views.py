"""Case pages: list and invitations, a case with its entities, links, notes, tasks and timeline, the graph.
Thin: every change goes through the services, every lookup through the access helpers (404 for outsiders)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.cases import access, correlation, graph, hits, items, related, services
from borderlink.cases.forms import (
    CaseForm,
    EntityForm,
    IdentifierSearchForm,
    InviteForm,
    LinkForm,
    NoteForm,
    RequestLinkForm,
    StepForm,
    TaskForm,
)
from borderlink.cases.models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseState,
    Entity,
    EntityKind,
    LinkKind,
    Note,
    NoteFile,
    Participant,
    ParticipantAction,
    ParticipantEvent,
    ParticipantState,
    PersonRole,
    Task,
)
from borderlink.cases.workflow import CASE, INVITATION
from borderlink.core import rows
from borderlink.core.forms import apply_errors
from borderlink.core.models import BorderGate, Unit
from borderlink.core.page_query import bounded_page, query_data
from borderlink.core.prepared import Prepared, PreparedIds
from borderlink.core.widgets import Blank
from borderlink.exchange.attachments import read_upload


def _user(request: HttpRequest) -> Any:
    if not access.may_use_cases(request.user):
        raise Http404("No access.")
    return request.user


LIST_PAGE = 25
LIST_COLUMNS = ("id", "reference", "title", "offence", "state", "created_at", "lead_unit")  # what the list draws


@verified_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    # a page at a time (issue 19): a unit may take part in thousands of cases; counted up to a bound (page_query)
    cases = bounded_page(request, access.visible_cases(user).select_related("lead_unit").only(*LIST_COLUMNS)
                         .order_by("-created_at", "pk"), LIST_PAGE)
    invitations = access.visible_invitations(user).filter(unit_id=user.unit_id, state=ParticipantState.PENDING).select_related(
        "lead_unit")[:100]
    return render(request, "cases/list.html", {"cases": cases, "page": cases, "query": "", "invitations": invitations})


@verified_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    initial = None
    if request.method == "GET" and request.GET.get("units"):  # drafted from an identifier hit: that unit invited
        initial = {"units": [u for u in request.GET.getlist("units")[:3] if u.isdigit()],
                   "title": request.GET.get("title", "")[:200], "summary": request.GET.get("summary", "")[:2000]}
    form = CaseForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_case(user, form.to_input(), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/form.html", {"form": form})


PAGE = 100  # entities and links a case page lists at once (a case of thousands pages through them)


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), 10_000) if raw.isdigit() and int(raw) > 0 else 1


def _answers(case_key: Any) -> Any:
    """The answers to a case's invitations (not the invitations themselves), with their units."""
    return (ParticipantEvent.objects.filter(participant__case_key=case_key).exclude(action=ParticipantAction.INVITED)
            .select_related("participant__unit"))


# The case page's fixed-shape reads, compiled once per process and reader shape (core.prepared; issue 19): building
# and compiling them with the ORM cost more CPU than running them. Each is the ORM query it replaces, written once
# here with the access rule of `cases.access`; the rule runs in the statement on every view with this user's unit,
# country and id bound, and PREPARED_CHECK compares each call with the ORM under tests.
# the entity columns a case page's rows read
ROW_COLUMNS = ("id", "case_id", "kind", "label", "qualifier", "value", "role", "owner_country_id", "shared", "correlated_at")
_CASE_PK, _CASE_KEY = Case._meta.pk, Participant._meta.get_field("case_key")
_ENTITIES: Prepared[Entity] = Prepared(  # the first page of a case's entities the user may see
    "cases.page.entities", Entity, lambda reader, case_id: access.visible_entities(reader, Case(pk=case_id))
    .order_by("kind", "label", "id").only(*ROW_COLUMNS), args=[_CASE_PK])
_PARTICIPANTS: Prepared[Participant] = Prepared(
    "cases.page.participants", Participant,
    lambda reader, case_key: Participant.objects.filter(case_key=case_key).select_related("unit", "invited_by"),
    args=[_CASE_KEY])
_EVENTS: Prepared[CaseEvent] = Prepared(
    "cases.page.events", CaseEvent, lambda reader, case_id: CaseEvent.objects.filter(case_id=case_id), args=[_CASE_PK])
_ANSWERS: Prepared[ParticipantEvent] = Prepared(
    "cases.page.answers", ParticipantEvent, lambda reader, case_key: _answers(case_key), args=[_CASE_KEY])
_NOTES: Prepared[Note] = Prepared(  # the notes the user may see (item_scope), their files read after
    "cases.page.notes", Note, lambda reader, case_id: Note.objects.filter(case_id=case_id).filter(access.item_scope(reader)),
    args=[_CASE_PK])
_TASKS: Prepared[Task] = Prepared(
    "cases.page.tasks", Task, lambda reader, case_id: access.visible_tasks(reader, Case(pk=case_id))
    .select_related("assigned_unit", "assigning_unit"), args=[_CASE_PK])
NOTES = 200  # notes a case page shows


def _timeline(user: Any, case: Any) -> list[Any]:
    """The case's steps and its invitations' answers, in time order: one timeline."""
    return sorted([*_EVENTS.all(user, case.pk), *_ANSWERS.all(user, case.pk)], key=lambda e: (e.at, str(e.pk)))


_NOTE_FILE_SIZES = (4, 16, 64, NOTES)
_NOTE_FILES = PreparedIds(  # the files of a page's notes (what prefetch_related_objects(notes, "files") read)
    "cases.page.note_files", NoteFile, lambda reader, *ids: NoteFile.objects.filter(note__in=ids).values(
        "note_id", "filename", "size"), Note._meta.pk, _NOTE_FILE_SIZES, correlation.ENTITY_FILLERS)


def _attach_files(user: Any, notes: list[Note]) -> None:
    """Each note's files as `file_list` (dicts of `filename` and `size`, in the order read): one fixed-shape statement
    for the page's notes, none without notes."""
    if not notes:
        return
    found = _NOTE_FILES.values(user, [n.pk for n in notes])
    if found is None:
        found = cast(list[dict[str, Any]], list(NoteFile.objects.filter(note__in=notes).values("note_id", "filename", "size")))
    by_note: dict[Any, list[dict[str, Any]]] = {}
    for row in found:
        by_note.setdefault(row["note_id"], []).append(row)
    for n in notes:
        n.file_list = by_note.get(n.pk, [])  # type: ignore[attr-defined]


KIND_LABELS = {**dict(EntityKind.choices), **dict(LinkKind.choices)}
ROLE_LABELS = dict(PersonRole.choices)


def _context(user: Any, case: Any, page: int = 1, **forms: Any) -> dict[str, Any]:
    """What the case page shows, in a bounded number of queries whatever the size of the case: one page of
    entities (PAGE), the links between them, labels looked up once per page (not per row)."""
    participants = _PARTICIPANTS.all(user, case.pk)
    side = access.side_of(user, case, participants)
    # the columns the page reads (its rows, the marks, the candidates and requests it looks up): the first page
    # prepared; when it is not full it holds every entity the user may see, and the progress is counted from it
    first = page == 1
    entities = _ENTITIES.all(user, case.pk, window=(0, PAGE)) if first else []
    if first and len(entities) < PAGE:
        total, done = len(entities), sum(e.correlated_at is not None for e in entities)
    else:  # a case of more than a page: counted in the database (correlation.progress), a later page through the ORM
        visible = access.visible_entities(user, case)
        done, total = correlation.progress(visible)
        page = min(page, max(1, -(-total // PAGE)))
        if not first:
            entities = list(visible.order_by("kind", "label", "id").only(*ROW_COLUMNS)[(page - 1) * PAGE: page * PAGE])
    # labels for the page's rows, translated once (not get_FOO_display, nor a lazy string, per row and per option)
    kinds, roles = {k: str(v) for k, v in KIND_LABELS.items()}, {k: str(v) for k, v in ROLE_LABELS.items()}
    for e in entities:
        e.kind_label = kinds.get(e.kind, e.kind)  # type: ignore[attr-defined]
        e.role_label = roles.get(e.role, "")  # type: ignore[attr-defined]
    labels = {e.pk: e.label for e in entities}
    # the links between the page's entities: their ends' labels are the page's (no join); a fixed-shape statement
    links = graph.page_links(user, case, list(labels), limit=PAGE)
    for link in links:
        link.kind_label = kinds.get(link.kind, link.kind)  # type: ignore[attr-defined]
    leads = related.case_leads(entities)  # what the requests' blocks could show, in one statement outside the rules
    notes = _NOTES.all(user, case.pk, window=(0, NOTES))
    _attach_files(user, notes)
    taking_part = [p for p in participants if p.state in access.TAKING_PART]
    lead = side == access.LEAD
    tasks, requests = _TASKS.all(user, case.pk), related.requests_for_case(user, case, entities, leads)
    # the choices' labels the template drew with get_FOO_display, looked up in per-language dicts (core.rows.display)
    for name in ("state", "outcome", "offence", "handling_code"):
        setattr(case, f"{name}_label", rows.display(case, name))
    for item in [*participants, *tasks, *(m.request for m in requests)]:
        item.state_label = rows.display(item, "state")
    return {
        "case": case, "side": side, "can": CASE.possible_steps(case, side), "events": _timeline(user, case),
        "participants": [p for p in participants if p.state != ParticipantState.INVITED or case.approved_at is None],
        "entities": entities, "marked": correlation.correlated_entity_ids(user, entities), "progress": (done, total),
        "page": page, "total": total, "pages": -(-total // PAGE), "more": page * PAGE < total, "links": links, "labels": labels,
        "notes": notes, "tasks": tasks,
        # the first 100 candidates the user may see, with their entity's label and person's primary name, read once
        # through fixed-shape statements (correlation.page_candidates) and drawn by {% candidate_items %}
        "candidates": correlation.page_candidates(user, entities, limit=100),
        "country": user.unit.country_id,
        # blank forms stand-ins (core.widgets.Blank): built only if the page reads a widget of theirs, drawn from the
        # kept drawings keyed by their class, the language and (the entity form) the border gates read for this view
        "step_form": forms.get("step_form") or Blank(StepForm),
        "entity_form": forms.get("entity_form") or Blank(EntityForm, _gates_version()),
        "link_form": forms.get("link_form") or Blank(LinkForm), "note_form": forms.get("note_form") or Blank(NoteForm),
        "task_form": forms.get("task_form") or Blank(TaskForm), "units": taking_part,
        "requests": requests,
        "rejected_requests": related.rejected_request_persons(user, entities, leads),
        "request_form": forms.get("request_form") or Blank(RequestLinkForm),
        "can_invite": lead and case.approved_at is not None and case.state in (CaseState.PROPOSED, CaseState.OPEN),
        "is_supervisor": user.has_capability("supervisor"),
        "invite_form": forms.get("invite_form") or (_blank_invite_form(user, [p.unit_id for p in participants])
                                                    if lead else None),
        "waiting": [p for p in participants if p.state == ParticipantState.INVITED] if lead and case.approved_at else [],
        "link_kinds": LinkKind.choices, "entity_base": reverse("cases:detail", args=[case.pk]) + "entities/",
        "share_base": reverse("cases:detail", args=[case.pk]) + "share/entity/",
    }


def _gates_version() -> tuple[tuple[Any, ...], ...]:
    """What the entity form's border gate choices are drawn from: every gate's id and its two names (`str(gate)`), in
    the form's order (the model's). One plain statement, as the form's own read was; no model instances."""
    return tuple(BorderGate.objects.values_list("pk", "side_a_name", "side_b_name"))


def _blank_invite_form(user: Any, exclude: list[Any]) -> Blank:
    """The blank invitation form (core.widgets.Blank), keyed by the units it offers as its choices are drawn from them:
    the active units but the user's and the case's participants (`InviteForm.offered_units`), with their names in the four
    languages (`str(unit)`), in its order; read only when the page draws it, one plain statement as the form's was."""
    def units() -> tuple[tuple[Any, ...], ...]:
        return tuple(InviteForm.offered_units(user, exclude).values_list("pk", "name_en", "name_vi", "name_lo", "name_km"))

    return Blank(InviteForm, units, user=user, exclude=exclude)


def _invite_form(user: Any, case: Any, data: Any = None, exclude: Any = None) -> InviteForm:
    if exclude is None:
        exclude = Participant.objects.filter(case_key=case.pk).values_list("unit_id", flat=True)
    return InviteForm(data, user=user, exclude=exclude)


@verified_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    user = _user(request)
    case = services.view_case(user, case_id, request)
    return render(request, "cases/detail.html", _context(user, case, _page(request)))


def _bad(request: HttpRequest, user: Any, case_id: str, **forms: Any) -> HttpResponse:
    case = access.get_case_for_user(user, case_id, request)
    return render(request, "cases/detail.html", _context(user, case, **forms), status=400)


STEP_SERVICES: dict[str, Any] = {
    CaseAction.PROPOSED: lambda u, c, f, r: services.propose_case(u, c, r),
    CaseAction.RETURNED: lambda u, c, f, r: services.return_case(u, c, f.get("text") or "", r),
    CaseAction.APPROVED: lambda u, c, f, r: services.approve_case(u, c, f.get("text") or "", r),
    CaseAction.SUSPENDED: lambda u, c, f, r: services.suspend_case(u, c, f.get("text") or "", r),
    CaseAction.RESUMED: lambda u, c, f, r: services.resume_case(u, c, f.get("text") or "", r),
    CaseAction.CLOSED: lambda u, c, f, r: services.close_case(u, c, f.get("outcome") or "", f.get("text") or "", r),
}


def _submit(request: HttpRequest, case_id: str, form: Any, key: str, run: Any, aliases: dict[str, str] | None = None,
            done: str = "") -> HttpResponse:
    """The one path of every form posted on a case page: a valid form goes to its service (`run(user, cleaned_data)`),
    a service's field errors go back onto the form; the case page again with the form and 400, else a redirect
    to the case (with `done` as a message)."""
    user = _user(request)
    if form.is_valid():
        try:
            run(user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc, aliases)
        else:
            if done:
                flash.success(request, done)
            return redirect("cases:detail", case_id=case_id)
    return _bad(request, user, case_id, **{key: form})


@verified_required
@require_POST
def step(request: HttpRequest, case_id: str, action: str) -> HttpResponse:
    run = STEP_SERVICES.get(action)
    if run is None:
        raise Http404("No such step.")
    return _submit(request, case_id, StepForm(request.POST), "step_form", lambda u, d: run(u, case_id, d, request),
                   {"justification": "text"}, str(dict(CaseAction.choices)[action]))


@verified_required
@require_POST
def add_entity(request: HttpRequest, case_id: str) -> HttpResponse:
    form = EntityForm(request.POST)
    return _submit(request, case_id, form, "entity_form", lambda u, d: items.add_entity(u, case_id, form.to_input(), request),
                   {"names": "name", "documents": "document_number", "role": "role"})


@verified_required
@require_POST
def add_link(request: HttpRequest, case_id: str) -> HttpResponse:
    form = LinkForm(request.POST)
    return _submit(request, case_id, form, "link_form", lambda u, d: items.add_link(u, case_id, form.to_input(), request))


@verified_required
@require_POST
def add_note(request: HttpRequest, case_id: str) -> HttpResponse:
    def run(user: Any, d: dict[str, Any]) -> Any:
        files = [read_upload(f) for f in request.FILES.getlist("files")[:10]]
        return items.add_note(user, case_id, items.NoteInput(d["text"], files, bool(d.get("shared"))), request)

    return _submit(request, case_id, NoteForm(request.POST, request.FILES), "note_form", run)


@verified_required
@require_POST
def invite(request: HttpRequest, case_id: str) -> HttpResponse:
    """The lead unit invites more units after the approval; they wait for another supervisor."""
    user = _user(request)
    form = _invite_form(user, access.get_case_for_user(user, case_id, request), request.POST)
    return _submit(request, case_id, form, "invite_form",
                   lambda u, d: services.invite_units(u, case_id, [unit.pk for unit in d["units"]], d.get("message") or "", request),
                   done=_("The invitations wait for another supervisor to send them."))


@verified_required
@require_POST
def send_invitations(request: HttpRequest, case_id: str) -> HttpResponse:
    return _act(request, case_id, lambda u: services.send_invitations(u, case_id, request), _("The invitations are sent."))


@verified_required
@require_POST
def link_request(request: HttpRequest, case_id: str) -> HttpResponse:
    return _submit(request, case_id, RequestLinkForm(request.POST), "request_form",
                   lambda u, d: related.link_request(u, case_id, d["reference"], request))


@verified_required
@require_POST
def unlink_request(request: HttpRequest, case_id: str, link_id: int) -> HttpResponse:
    related.unlink_request(_user(request), case_id, link_id, request)
    return redirect("cases:detail", case_id=case_id)


def _act(request: HttpRequest, case_id: str, run: Any, done: str = "") -> HttpResponse:
    """The one path of a button on a case page (no form to show again): the service runs (`run(user)`); what it
    refuses is said at the top of the case page, and the case page follows either way."""
    user = _user(request)
    try:
        run(user)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        if done:
            flash.success(request, done)
    return redirect("cases:detail", case_id=case_id)


@verified_required
@require_POST
def share(request: HttpRequest, case_id: str, kind: str, item_id: str) -> HttpResponse:
    return _act(request, case_id, lambda u: items.share_item(u, case_id, kind, item_id, request))


@verified_required
@require_POST
def add_task(request: HttpRequest, case_id: str) -> HttpResponse:
    form = TaskForm(request.POST)
    return _submit(request, case_id, form, "task_form", lambda u, d: services.add_task(u, case_id, form.to_input(), request))


@verified_required
@require_POST
def task_step(request: HttpRequest, case_id: str, task_id: str, action: str) -> HttpResponse:
    return _submit(request, case_id, StepForm(request.POST), "step_form",
                   lambda u, d: services.task_step(u, task_id, action, d.get("text") or "", request))


@verified_required
@require_POST
def same_person(request: HttpRequest, case_id: str, candidate_id: int, state: str) -> HttpResponse:
    return _act(request, case_id, lambda u: correlation.decide_same_person(u, case_id, candidate_id, state, request))


@verified_required
@require_POST
def request_person(request: HttpRequest, case_id: str, match_id: int, state: str) -> HttpResponse:
    return _act(request, case_id, lambda u: related.decide_request_person(u, case_id, match_id, state, request))


@verified_required
def entity_detail(request: HttpRequest, case_id: str, entity_id: str) -> HttpResponse:
    """One entity with what it correlates with (as the user may see it)."""
    user = _user(request)
    case = services.view_case(user, case_id, request)
    entity = access.get_entity_for_user(user, case, entity_id, request)
    return render(request, "cases/entity.html", {"case": case, "entity": entity,
                                                 "found": correlation.correlations_for(user, entity)})


@verified_required
def graph_page(request: HttpRequest, case_id: str) -> HttpResponse:
    user = _user(request)
    focus = request.GET.get("focus")
    case, built = services.view_graph(user, case_id, focus, request)
    labels = {**{k: str(v) for k, v in EntityKind.choices}, **{k: str(v) for k, v in LinkKind.choices}}
    url = reverse("cases:graph", args=[case.pk]) + "?focus={id}"
    title = _("Link graph of the case %(ref)s") % {"ref": case.reference}
    return render(request, "cases/graph.html", {"case": case, "graph": built, "svg": graph.svg(built, url, labels, title),
                                                "kinds": [(k, str(v), graph.ICONS[k]) for k, v in EntityKind.choices]})


@verified_required
def graph_export(request: HttpRequest, case_id: str, fmt: str) -> HttpResponse:
    user = _user(request)
    body = services.export_graph(user, case_id, fmt, request)
    response = HttpResponse(body, content_type="application/graphml+xml" if fmt == "graphml" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="case-graph.{fmt}"'
    return response


@verified_required
def invitation(request: HttpRequest, participant_id: str) -> HttpResponse:
    """An invitation to a case: what it says, and the answer (accept, or decline with a reason)."""
    user = _user(request)
    found = access.get_invitation_for_user(user, participant_id, request)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = request.POST.get("answer") == "accept"
        try:
            services.answer_invitation(user, found.pk, accept, form.cleaned_data.get("text") or "", request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Your answer is recorded and goes to the lead unit."))
            return redirect("cases:list")
    side = access.invitation_side(user, found)
    return render(request, "cases/invitation.html", {"invitation": found, "form": form,
                                                     "can": INVITATION.possible_steps(found, side), "events": found.events.all()},
                  status=400 if form.errors else 200)


@verified_required
def identifier_search(request: HttpRequest) -> HttpResponse:
    """Ask the other countries' nodes whether they hold an identifier in items shared with our country."""
    user = _user(request)
    form = IdentifierSearchForm(query_data(request, IdentifierSearchForm))
    answers, key = None, ""
    if request.GET and form.is_valid():
        d = form.cleaned_data
        try:
            key, answers = hits.search(user, d["kind"], d["value"], d.get("chain") or "")
        except ValidationError as exc:
            apply_errors(form, exc)
    units = dict(Unit.objects.values_list("code", "pk"))
    for answer in answers or []:
        for hit in answer.hits:
            hit["unit_id"] = units.get(str(hit.get("lead_unit", "")))
            hit["own_cases"] = hits.cases_to_invite_into(user, str(hit.get("lead_unit", ""))) if hit["unit_id"] else []
    return render(request, "cases/identifiers.html", {"form": form, "answers": answers, "key": key},
                  status=400 if form.errors else 200)


@verified_required
@require_POST
def draft_request(request: HttpRequest) -> HttpResponse:
    """One click from a hit: a draft request to the unit leading the case that holds the identifier."""
    user = _user(request)
    p = request.POST
    req = hits.draft_request(user, p.get("lead_unit", ""), p.get("kind", ""), p.get("value", ""), p.get("reference", ""),
                             request=request)
    flash.success(request, _("The draft request is saved. Submit it for approval when it is complete."))
    return redirect("assistance:detail", request_id=req.pk)


@verified_required
@require_POST
def invite_from_hit(request: HttpRequest) -> HttpResponse:
    """One click from a hit: invite the unit leading the other country's case into one of the user's existing cases
    (it waits for another supervisor to send it, as every invitation after the approval)."""
    p = request.POST
    case_id = str(p.get("case", ""))[:64]
    return _act(request, case_id, lambda u: hits.invite_to_case(u, case_id, p.get("lead_unit", ""), p.get("kind", ""),
                                                               p.get("value", ""), p.get("reference", ""), request),
                _("The invitation waits for another supervisor to send it."))
