"""Joint cases over the API: the same services and access helpers as the pages (404 for outsiders, field
errors in the user's language). Every answer is typed (`answers(Schema)`), kinds, states and sides are enums."""

from __future__ import annotations

import datetime
import decimal
import enum
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.assistance.models import RequestState
from borderlink.cases import access, correlation, items, related, services
from borderlink.cases.models import (
    Case,
    CaseAction,
    CaseState,
    EntityKind,
    LinkKind,
    Participant,
    ParticipantState,
    PersonRole,
    SamePersonState,
    TaskState,
)
from borderlink.core.inputs import Id
from borderlink.core.schemas import InSchema
from borderlink.exchange.attachments import decode_files
from borderlink.exchange.models import HandlingCode
from borderlink.notices.api import PeerStatus, PersonIn, _person_input
from borderlink.notices.models import Offence

router = Router(tags=["cases"])


class CaseIn(InSchema):
    title: str = Field(max_length=200)
    offence: str = Field(max_length=40)
    legal_basis: str = Field(max_length=300)
    units: list[Id] = Field(min_length=1, max_length=10)
    summary: str = Field("", max_length=10_000)
    handling_code: HandlingCode = HandlingCode.H0
    message: str = Field("", max_length=2000)


class StepIn(InSchema):
    text: str = Field("", max_length=10_000)
    outcome: str = Field("", max_length=12)


class AnswerIn(InSchema):
    accept: bool
    text: str = Field("", max_length=10_000)


class InviteIn(InSchema):
    units: list[Id] = Field(min_length=1, max_length=10)
    message: str = Field("", max_length=2000)


class EntityIn(InSchema):
    kind: EntityKind
    value: str = Field("", max_length=200)
    qualifier: str = Field("", max_length=60)
    label: str = Field("", max_length=200)
    details: str = Field("", max_length=10_000)
    person: PersonIn | None = None
    role: PersonRole | None = Field(None, description="A person's role in the case (a person entity needs one)")
    gate: Id | None = None
    shared: bool = False


class LinkIn(InSchema):
    kind: str = Field(max_length=20)
    source: str = Field(max_length=40)
    target: str = Field(max_length=40)
    information_source: str = Field(max_length=200)
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    amount: decimal.Decimal | None = Field(None, max_digits=16, decimal_places=2)
    currency: str = Field("", max_length=3)
    shared: bool = False


class FileIn(InSchema):
    filename: str = Field(max_length=200)
    content_base64: str = Field(max_length=15_000_000)


class NoteIn(InSchema):
    text: str = Field(max_length=10_000)
    files: list[FileIn] = Field(default_factory=list, max_length=10)
    shared: bool = False


class TaskIn(InSchema):
    assigned_unit: Id
    title: str = Field(max_length=200)
    deadline: datetime.datetime
    text: str = Field("", max_length=10_000)


class RequestLinkIn(InSchema):
    reference: str = Field(max_length=40, description="The reference of a request you may see")


# --- answers -------------------------------------------------------------------------------------------------------


class CaseSide(enum.StrEnum):
    LEAD = "lead"
    PARTICIPANT = "participant"


class ParticipantOut(Schema):
    unit: str
    state: ParticipantState
    invitation: str


class CaseOut(Schema):
    id: str
    reference: str
    title: str
    offence: Offence
    legal_basis: str
    handling_code: HandlingCode
    summary: str
    lead_unit: str
    state: CaseState
    outcome: str = Field(description="arrests, seizures, handovers, prosecution, no_result; empty until closed")
    side: CaseSide | None
    participants: list[ParticipantOut]


class EntityOut(Schema):
    id: str
    kind: EntityKind
    label: str
    qualifier: str
    value: str
    role: PersonRole | None
    owner_country: str
    shared: bool
    correlated: bool = False


class LinkOut(Schema):
    id: str
    kind: LinkKind
    source: str
    target: str
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    amount: str | None = None
    currency: str = ""
    information_source: str = ""
    shared: bool


class NoteOut(Schema):
    id: str
    text: str
    owner_country: str
    shared: bool
    files: list[str]


class TaskOut(Schema):
    id: str
    title: str
    assigned_unit: str
    deadline: datetime.datetime
    state: TaskState


class EventOut(Schema):
    id: str
    at: datetime.datetime
    action: CaseAction
    actor: str
    unit: str
    text: str


class RequestMatchOut(Schema):
    request: str
    reference: str
    state: RequestState
    reason: str = Field(description="linked, identifier (the request's identifier is one of the case's entities), or person "
                                    "(the name engine matched the person the request names with a person entity)")
    entity: str | None = None
    link: int | None = None
    person_match: int | None = Field(None, description="for reason person: the candidate to confirm or reject")
    person_state: SamePersonState | None = None


class CaseDetailOut(CaseOut):
    entities: list[EntityOut]
    links: list[LinkOut]
    notes: list[NoteOut]
    tasks: list[TaskOut]
    events: list[EventOut]
    requests: list[RequestMatchOut]
    waiting_invitations: list[ParticipantOut]


class InvitationOut(Schema):
    id: str
    reference: str
    offence: Offence
    lead_unit: str
    message: str
    state: ParticipantState


class CaseListOut(Schema):
    results: list[CaseOut]
    invitations: list[InvitationOut]


class InvitationStateOut(Schema):
    id: str
    state: ParticipantState


class CaseRefOut(Schema):
    case: str
    reference: str
    entity: str


class CorrelationsOut(Schema):
    common: bool
    excluded: bool
    cases: list[CaseRefOut]
    notices: list[str]
    custody: list[str]


class SharedOut(Schema):
    id: str
    shared: bool


class NoteCreatedOut(SharedOut):
    files: int


class LinkCreatedOut(SharedOut):
    kind: LinkKind


class TaskStateOut(Schema):
    id: str
    state: TaskState


class SamePersonOut(Schema):
    id: int
    state: SamePersonState


class IdentifierHitOut(Schema):
    case: str
    reference: str
    lead_unit: str
    kind: EntityKind


class IdentifierPeerOut(Schema):
    node: str
    country: str
    status: PeerStatus
    hits: list[IdentifierHitOut]


class IdentifierAnswerOut(Schema):
    value: str
    peers: list[IdentifierPeerOut]


class UnlinkedOut(Schema):
    link: int
    linked: bool


class DraftOut(Schema):
    id: str
    state: RequestState


def _user(request: HttpRequest) -> Any:
    if not access.may_use_cases(request.user):
        raise Http404("No access.")
    return request.user


def _participant(p: Participant) -> dict[str, Any]:
    return {"unit": p.unit.code, "state": p.state, "invitation": str(p.pk)}


def _case(case: Case, user: Any, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(case.pk), "reference": case.reference, "title": case.title, "offence": case.offence,
        "legal_basis": case.legal_basis, "handling_code": case.handling_code, "summary": case.summary,
        "lead_unit": case.lead_unit.code, "state": case.state, "outcome": case.outcome, "side": access.side_of(user, case),
        "participants": [_participant(p) for p in Participant.objects.filter(case_key=case.pk).exclude(
            state=ParticipantState.INVITED).select_related("unit")],
    }
    if full:
        entities = list(access.visible_entities(user, case))
        marked = correlation.correlated_entity_ids(user, entities)
        from borderlink.cases.graph import visible_links

        out["entities"] = [{"id": str(e.pk), "kind": e.kind, "label": e.label, "qualifier": e.qualifier, "value": e.value,
                            "role": e.role or None, "owner_country": e.owner_country_id, "shared": e.shared,
                            "correlated": e.pk in marked} for e in entities]
        out["links"] = [{"id": str(link.pk), "kind": link.kind, "source": str(link.source_id), "target": str(link.target_id),
                         "first_date": link.first_date, "last_date": link.last_date,
                         "amount": str(link.amount) if link.amount is not None else None, "currency": link.currency,
                         "information_source": link.information_source, "shared": link.shared}
                        for link in visible_links(user, case, {e.pk for e in entities})]
        out["notes"] = [{"id": str(n.pk), "text": n.text, "owner_country": n.owner_country_id, "shared": n.shared,
                         "files": [f.filename for f in n.files.all()]}
                        for n in case.notes.filter(access.item_scope(user)).prefetch_related("files")]
        out["tasks"] = [{"id": str(t.pk), "title": t.title, "assigned_unit": t.assigned_unit.code, "deadline": t.deadline,
                         "state": t.state} for t in access.visible_tasks(user, case).select_related("assigned_unit")]
        out["events"] = [{"id": str(e.pk), "at": e.at, "action": e.action, "actor": e.actor_name, "unit": e.actor_unit,
                          "text": e.text} for e in case.events.all()]
        out["requests"] = [{"request": str(m.request.pk), "reference": m.request.reference, "state": m.request.state,
                            "reason": m.reason, "entity": str(m.entity.pk) if m.entity else None, "link": m.link_id,
                            "person_match": m.match_id, "person_state": m.state or None}
                           for m in related.requests_for_case(user, case, entities)]
        out["waiting_invitations"] = ([_participant(p) for p in services.waiting_invitations(case)]
                                      if access.side_of(user, case) == access.LEAD else [])
    return out


@router.get("/cases", response=answers(CaseListOut), summary="The joint cases the user's unit takes part in, and invitations to answer")
def list_cases(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    cases = access.visible_cases(user).select_related("lead_unit").order_by("-created_at")[:200]
    invitations = access.visible_invitations(user).filter(unit_id=user.unit_id).select_related("lead_unit")[:100]
    return {"results": [_case(c, user) for c in cases],
            "invitations": [{"id": str(i.pk), "reference": i.reference, "offence": i.offence, "lead_unit": i.lead_unit.code,
                             "message": i.message, "state": i.state} for i in invitations]}


@router.post("/cases", response=answers(CaseOut, 201), summary="Start a joint case (a draft, with the units to invite)")
def create(request: HttpRequest, payload: CaseIn) -> Status:
    user = _user(request)
    case = services.create_case(user, services.CaseInput(**payload.dict()), request)
    return Status(201, _case(case, user))


@router.get("/cases/{case_id}", response=answers(CaseDetailOut), summary="A case with what the user may see of it (audited)")
def read(request: HttpRequest, case_id: str) -> dict[str, Any]:
    user = _user(request)
    return _case(services.view_case(user, case_id, request), user, full=True)


@router.post("/cases/{case_id}/steps/{action}", response=answers(CaseOut),
             summary="proposed, returned, approved (four eyes), suspended, resumed, closed (with an outcome)")
def step(request: HttpRequest, case_id: str, action: str, payload: StepIn) -> dict[str, Any]:
    from borderlink.cases.views import STEP_SERVICES

    user = _user(request)
    run = STEP_SERVICES.get(action)
    if run is None:
        raise Http404("No such step.")
    case = run(user, case_id, {"text": payload.text, "outcome": payload.outcome}, request)
    return _case(case, user)


@router.post("/cases/{case_id}/invitations", response=answers(list[ParticipantOut], 201),
             summary="After the approval: invite more units (they wait for another supervisor to send them)")
def invite(request: HttpRequest, case_id: str, payload: InviteIn) -> Status:
    user = _user(request)
    added = services.invite_units(user, case_id, list(payload.units), payload.message, request)
    return Status(201, [_participant(p) for p in added])


@router.post("/cases/{case_id}/invitations/send", response=answers(list[ParticipantOut]),
             summary="A supervisor sends the invitations waiting since the approval (four eyes)")
def send_invitations(request: HttpRequest, case_id: str) -> list[dict[str, Any]]:
    user = _user(request)
    return [_participant(p) for p in services.send_invitations(user, case_id, request)]


@router.post("/cases/invitations/{participant_id}", response=answers(InvitationStateOut),
             summary="Accept or decline an invitation (a decline gives its reason)")
def answer(request: HttpRequest, participant_id: str, payload: AnswerIn) -> dict[str, Any]:
    user = _user(request)
    found = services.answer_invitation(user, participant_id, payload.accept, payload.text, request)
    return {"id": str(found.pk), "state": found.state}


@router.post("/cases/{case_id}/entities", response=answers(EntityOut, 201), summary="Add an entity (shared with the case or private)")
def add_entity(request: HttpRequest, case_id: str, payload: EntityIn) -> Status:
    user = _user(request)
    fields = payload.dict(exclude={"person", "role"})
    data = items.EntityInput(**fields, person=_person_input(payload.person) if payload.person else None,
                             role=str(payload.role) if payload.role else "")
    entity = items.add_entity(user, case_id, data, request)
    return Status(201, {"id": str(entity.pk), "kind": entity.kind, "label": entity.label, "qualifier": entity.qualifier,
                        "value": entity.value, "role": entity.role or None, "owner_country": entity.owner_country_id,
                        "shared": entity.shared})


@router.get("/cases/{case_id}/entities/{entity_id}/correlations", response=answers(CorrelationsOut),
            summary="Where else the entity's identifier is found, as the user may see it")
def correlations(request: HttpRequest, case_id: str, entity_id: str) -> dict[str, Any]:
    user = _user(request)
    case = services.view_case(user, case_id, request)
    found = correlation.correlations_for(user, access.get_entity_for_user(user, case, entity_id, request))
    return {"common": found.common, "excluded": found.excluded,
            "cases": [{"case": str(e.case_id), "reference": e.case.reference, "entity": str(e.pk)} for e in found.entities],
            "notices": [str(n.pk) for n in found.notices], "custody": [str(r.pk) for r in found.custody]}


@router.post("/cases/{case_id}/links", response=answers(LinkCreatedOut, 201), summary="Link two entities of the case")
def add_link(request: HttpRequest, case_id: str, payload: LinkIn) -> Status:
    user = _user(request)
    link = items.add_link(user, case_id, items.LinkInput(**payload.dict()), request)
    return Status(201, {"id": str(link.pk), "kind": link.kind, "shared": link.shared})


@router.post("/cases/{case_id}/notes", response=answers(NoteCreatedOut, 201),
             summary="Add a note with files (checked as message attachments)")
def add_note(request: HttpRequest, case_id: str, payload: NoteIn) -> Status:
    user = _user(request)
    files = decode_files(payload.files, "files")
    note = items.add_note(user, case_id, items.NoteInput(payload.text, files, payload.shared), request)
    return Status(201, {"id": str(note.pk), "shared": note.shared, "files": len(files)})


@router.post("/cases/{case_id}/share/{kind}/{item_id}", response=answers(SharedOut),
             summary="Share a private item of your country with the case")
def share(request: HttpRequest, case_id: str, kind: str, item_id: str) -> dict[str, Any]:
    user = _user(request)
    item = items.share_item(user, case_id, kind, item_id, request)
    return {"id": str(item.pk), "shared": item.shared}


@router.post("/cases/{case_id}/requests", response=answers(RequestMatchOut, 201),
             summary="Link a request for assistance you may see to the case (audited)")
def link_request(request: HttpRequest, case_id: str, payload: RequestLinkIn) -> Status:
    user = _user(request)
    link = related.link_request(user, case_id, payload.reference, request)
    return Status(201, {"request": str(link.request.pk), "reference": link.request.reference, "state": link.request.state,
                        "reason": "linked", "link": link.pk})


@router.delete("/cases/{case_id}/requests/{link_id}", response=answers(UnlinkedOut),
               summary="Unlink a request from the case (audited)")
def unlink_request(request: HttpRequest, case_id: str, link_id: int) -> dict[str, Any]:
    user = _user(request)
    related.unlink_request(user, case_id, link_id, request)
    return {"link": link_id, "linked": False}


@router.post("/cases/{case_id}/tasks", response=answers(TaskStateOut, 201), summary="Give a task to a participating unit")
def add_task(request: HttpRequest, case_id: str, payload: TaskIn) -> Status:
    user = _user(request)
    task = services.add_task(user, case_id, services.TaskInput(**payload.dict()), request)
    return Status(201, {"id": str(task.pk), "state": task.state})


@router.post("/cases/tasks/{task_id}/{action}", response=answers(TaskStateOut),
             summary="done (the assigned unit) or cancelled (the assigning unit)")
def task_step(request: HttpRequest, task_id: str, action: str, payload: StepIn) -> dict[str, Any]:
    user = _user(request)
    task = services.task_step(user, task_id, action, payload.text, request)
    return {"id": str(task.pk), "state": task.state}


@router.post("/cases/{case_id}/same-person/{candidate_id}/{state}", response=answers(SamePersonOut),
             summary="Confirm, reject or reopen a same-person candidate (audited, reversible)")
def same_person(request: HttpRequest, case_id: str, candidate_id: int, state: str) -> dict[str, Any]:
    user = _user(request)
    found = correlation.decide_same_person(user, case_id, candidate_id, state, request)
    return {"id": found.pk, "state": found.state}


@router.post("/cases/{case_id}/request-person/{match_id}/{state}", response=answers(SamePersonOut),
             summary="Confirm, reject or reopen a candidate: a request naming the person of a person entity (audited, reversible)")
def request_person(request: HttpRequest, case_id: str, match_id: int, state: str) -> dict[str, Any]:
    user = _user(request)
    found = related.decide_request_person(user, case_id, match_id, state, request)
    return {"id": found.pk, "state": found.state}


@router.get("/cases/{case_id}/graph.{fmt}", response=answers(str), summary="The case's visible graph as GraphML or JSON (audited)")
def graph_export(request: HttpRequest, case_id: str, fmt: str) -> HttpResponse:
    user = _user(request)
    body = services.export_graph(user, case_id, fmt, request)
    return HttpResponse(body, content_type="application/graphml+xml" if fmt == "graphml" else "application/json")


class IdentifierQuery(Schema):
    kind: EntityKind
    value: str = Field(max_length=200)
    chain: str = Field("", max_length=12)


@router.get("/cases/identifiers/peers", response=answers(IdentifierAnswerOut),
            summary="Ask the other countries' nodes whether they hold an identifier in items shared with our country (hit/no hit)")
def identifier_peers(request: HttpRequest, query: Query[IdentifierQuery]) -> dict[str, Any]:
    from borderlink.cases import hits

    user = _user(request)
    key, found = hits.search(user, query.kind, query.value, query.chain)
    return {"value": key, "peers": [{"node": a.peer.node_id, "country": a.peer.country_id, "status": a.status,
                                     "hits": [h for h in a.hits if isinstance(h, dict) and h.get("kind") in EntityKind.values]}
                                    for a in found]}


class DraftIn(InSchema):
    lead_unit: str = Field(max_length=60)
    kind: EntityKind
    value: str = Field(max_length=120)
    reference: str = Field(max_length=40)
    offence: str = Field("fraud", max_length=40)


@router.post("/cases/identifiers/draft-request", response=answers(DraftOut, 201),
             summary="From a hit: a draft request to the case's lead unit")
def identifier_draft_request(request: HttpRequest, payload: DraftIn) -> Status:
    from borderlink.cases import hits

    user = _user(request)
    req = hits.draft_request(user, payload.lead_unit, payload.kind, payload.value, payload.reference, payload.offence, request)
    return Status(201, {"id": str(req.pk), "state": req.state})


class InviteFromHitIn(InSchema):
    case: str = Field(max_length=64, description="the id of an existing case of your unit (approved, proposed or open)")
    lead_unit: str = Field(max_length=60)
    kind: EntityKind
    value: str = Field(max_length=120)
    reference: str = Field(max_length=40)


@router.post("/cases/identifiers/invite", response=answers(list[ParticipantOut], 201),
             summary="From a hit: invite the case's lead unit into an existing case of yours (another supervisor sends it)")
def identifier_invite(request: HttpRequest, payload: InviteFromHitIn) -> Status:
    from borderlink.cases import hits

    user = _user(request)
    added = hits.invite_to_case(user, payload.case, payload.lead_unit, payload.kind, payload.value, payload.reference, request)
    return Status(201, [_participant(p) for p in added])
