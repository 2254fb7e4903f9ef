"""Joint cases over the API: the same services and access helpers as the pages (404 for outsiders, field
errors in the user's language)."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.cases import access, correlation, items, services
from borderlink.cases.models import Case, EntityKind, Participant
from borderlink.core.inputs import Id
from borderlink.exchange.attachments import decode_files
from borderlink.exchange.models import HandlingCode
from borderlink.notices.api import PersonIn, _person_input

router = Router(tags=["cases"])


class CaseIn(Schema):
    title: str = Field(max_length=200)
    offence: str = Field(max_length=40)
    legal_basis: str = Field(max_length=300)
    units: list[Id] = Field(min_length=1, max_length=10)
    summary: str = Field("", max_length=10_000)
    handling_code: HandlingCode = HandlingCode.H0
    message: str = Field("", max_length=2000)


class StepIn(Schema):
    text: str = Field("", max_length=10_000)
    outcome: str = Field("", max_length=12)


class AnswerIn(Schema):
    accept: bool
    text: str = Field("", max_length=10_000)


class EntityIn(Schema):
    kind: EntityKind
    value: str = Field("", max_length=200)
    qualifier: str = Field("", max_length=60)
    label: str = Field("", max_length=200)
    details: str = Field("", max_length=10_000)
    person: PersonIn | None = None
    gate: Id | None = None
    shared: bool = False


class LinkIn(Schema):
    kind: str = Field(max_length=20)
    source: str = Field(max_length=40)
    target: str = Field(max_length=40)
    information_source: str = Field(max_length=200)
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    amount: decimal.Decimal | None = Field(None, max_digits=16, decimal_places=2)
    currency: str = Field("", max_length=3)
    shared: bool = False


class FileIn(Schema):
    filename: str = Field(max_length=200)
    content_base64: str = Field(max_length=15_000_000)


class NoteIn(Schema):
    text: str = Field(max_length=10_000)
    files: list[FileIn] = Field(default_factory=list, max_length=10)
    shared: bool = False


class TaskIn(Schema):
    assigned_unit: Id
    title: str = Field(max_length=200)
    deadline: datetime.datetime
    text: str = Field("", max_length=10_000)


def _user(request: HttpRequest) -> Any:
    if not access.may_use_cases(request.user):
        raise Http404("No access.")
    return request.user


def _case(case: Case, user: Any, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(case.pk), "reference": case.reference, "title": case.title, "offence": case.offence,
        "legal_basis": case.legal_basis, "handling_code": case.handling_code, "summary": case.summary,
        "lead_unit": case.lead_unit.code, "state": case.state, "outcome": case.outcome, "side": access.side_of(user, case),
        "participants": [{"unit": p.unit.code, "state": p.state, "invitation": str(p.pk)}
                         for p in Participant.objects.filter(case_key=case.pk).select_related("unit")],
    }
    if full:
        entities = list(access.visible_entities(user, case))
        marked = correlation.correlated_entity_ids(user, entities)
        from borderlink.cases.graph import visible_links

        out["entities"] = [{"id": str(e.pk), "kind": e.kind, "label": e.label, "qualifier": e.qualifier, "value": e.value,
                            "owner_country": e.owner_country_id, "shared": e.shared, "correlated": e.pk in marked}
                           for e in entities]
        out["links"] = [{"id": str(link.pk), "kind": link.kind, "source": str(link.source_id), "target": str(link.target_id),
                         "first_date": link.first_date, "last_date": link.last_date,
                         "amount": str(link.amount) if link.amount is not None else None, "currency": link.currency,
                         "information_source": link.information_source, "shared": link.shared}
                        for link in visible_links(user, case, {e.pk for e in entities})]
        out["notes"] = [{"id": str(n.pk), "text": n.text, "owner_country": n.owner_country_id, "shared": n.shared,
                         "files": [f.filename for f in n.files.all()]} for n in case.notes.filter(access.item_scope(user))]
        out["tasks"] = [{"id": str(t.pk), "title": t.title, "assigned_unit": t.assigned_unit.code, "deadline": t.deadline,
                         "state": t.state} for t in access.visible_tasks(user, case).select_related("assigned_unit")]
        out["events"] = [{"id": str(e.pk), "at": e.at, "action": e.action, "actor": e.actor_name, "unit": e.actor_unit,
                          "text": e.text} for e in case.events.all()]
    return out


@router.get("/cases", response=dict, summary="The joint cases the user's unit takes part in, and invitations to answer")
def list_cases(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    cases = access.visible_cases(user).select_related("lead_unit").order_by("-created_at")[:200]
    invitations = access.visible_invitations(user).filter(unit_id=user.unit_id).select_related("lead_unit")[:100]
    return {"results": [_case(c, user) for c in cases],
            "invitations": [{"id": str(i.pk), "reference": i.reference, "offence": i.offence, "lead_unit": i.lead_unit.code,
                             "message": i.message, "state": i.state} for i in invitations]}


@router.post("/cases", response={201: dict}, summary="Start a joint case (a draft, with the units to invite)")
def create(request: HttpRequest, payload: CaseIn) -> Status:
    user = _user(request)
    case = services.create_case(user, services.CaseInput(**payload.dict()), request)
    return Status(201, _case(case, user))


@router.get("/cases/{case_id}", response=dict, summary="A case with what the user may see of it (audited)")
def read(request: HttpRequest, case_id: str) -> dict[str, Any]:
    user = _user(request)
    return _case(services.view_case(user, case_id, request), user, full=True)


@router.post("/cases/{case_id}/steps/{action}", response=dict,
             summary="proposed, returned, approved (four eyes), suspended, resumed, closed (with an outcome)")
def step(request: HttpRequest, case_id: str, action: str, payload: StepIn) -> dict[str, Any]:
    from borderlink.cases.views import STEP_SERVICES

    user = _user(request)
    run = STEP_SERVICES.get(action)
    if run is None:
        raise Http404("No such step.")
    case = run(user, case_id, {"text": payload.text, "outcome": payload.outcome}, request)
    return _case(case, user)


@router.post("/cases/invitations/{participant_id}", response=dict, summary="Accept or decline an invitation (a decline gives its reason)")
def answer(request: HttpRequest, participant_id: str, payload: AnswerIn) -> dict[str, Any]:
    user = _user(request)
    found = services.answer_invitation(user, participant_id, payload.accept, payload.text, request)
    return {"id": str(found.pk), "state": found.state}


@router.post("/cases/{case_id}/entities", response={201: dict}, summary="Add an entity (shared with the case or private)")
def add_entity(request: HttpRequest, case_id: str, payload: EntityIn) -> Status:
    user = _user(request)
    data = items.EntityInput(**payload.dict(exclude={"person"}), person=_person_input(payload.person) if payload.person else None)
    entity = items.add_entity(user, case_id, data, request)
    return Status(201, {"id": str(entity.pk), "kind": entity.kind, "value": entity.value, "label": entity.label,
                        "shared": entity.shared})


@router.get("/cases/{case_id}/entities/{entity_id}/correlations", response=dict,
            summary="Where else the entity's identifier is found, as the user may see it")
def correlations(request: HttpRequest, case_id: str, entity_id: str) -> dict[str, Any]:
    user = _user(request)
    case = services.view_case(user, case_id, request)
    found = correlation.correlations_for(user, access.get_entity_for_user(user, case, entity_id, request))
    return {"common": found.common, "excluded": found.excluded,
            "cases": [{"case": str(e.case_id), "reference": e.case.reference, "entity": str(e.pk)} for e in found.entities],
            "notices": [str(n.pk) for n in found.notices], "custody": [str(r.pk) for r in found.custody]}


@router.post("/cases/{case_id}/links", response={201: dict}, summary="Link two entities of the case")
def add_link(request: HttpRequest, case_id: str, payload: LinkIn) -> Status:
    user = _user(request)
    link = items.add_link(user, case_id, items.LinkInput(**payload.dict()), request)
    return Status(201, {"id": str(link.pk), "kind": link.kind, "shared": link.shared})


@router.post("/cases/{case_id}/notes", response={201: dict}, summary="Add a note with files (checked as message attachments)")
def add_note(request: HttpRequest, case_id: str, payload: NoteIn) -> Status:
    user = _user(request)
    files = decode_files(payload.files, "files")
    note = items.add_note(user, case_id, items.NoteInput(payload.text, files, payload.shared), request)
    return Status(201, {"id": str(note.pk), "shared": note.shared, "files": len(files)})


@router.post("/cases/{case_id}/share/{kind}/{item_id}", response=dict, summary="Share a private item of your country with the case")
def share(request: HttpRequest, case_id: str, kind: str, item_id: str) -> dict[str, Any]:
    user = _user(request)
    item = items.share_item(user, case_id, kind, item_id, request)
    return {"id": str(item.pk), "shared": item.shared}


@router.post("/cases/{case_id}/tasks", response={201: dict}, summary="Give a task to a participating unit")
def add_task(request: HttpRequest, case_id: str, payload: TaskIn) -> Status:
    user = _user(request)
    task = services.add_task(user, case_id, services.TaskInput(**payload.dict()), request)
    return Status(201, {"id": str(task.pk), "state": task.state})


@router.post("/cases/tasks/{task_id}/{action}", response=dict, summary="done (the assigned unit) or cancelled (the assigning unit)")
def task_step(request: HttpRequest, task_id: str, action: str, payload: StepIn) -> dict[str, Any]:
    user = _user(request)
    task = services.task_step(user, task_id, action, payload.text, request)
    return {"id": str(task.pk), "state": task.state}


@router.post("/cases/{case_id}/same-person/{candidate_id}/{state}", response=dict,
             summary="Confirm, reject or reopen a same-person candidate (audited, reversible)")
def same_person(request: HttpRequest, case_id: str, candidate_id: int, state: str) -> dict[str, Any]:
    user = _user(request)
    found = correlation.decide_same_person(user, case_id, candidate_id, state, request)
    return {"id": found.pk, "state": found.state}


@router.get("/cases/{case_id}/graph.{fmt}", summary="The case's visible graph as GraphML or JSON (audited)")
def graph_export(request: HttpRequest, case_id: str, fmt: str) -> HttpResponse:
    user = _user(request)
    body = services.export_graph(user, case_id, fmt, request)
    return HttpResponse(body, content_type="application/graphml+xml" if fmt == "graphml" else "application/json")


class IdentifierQuery(Schema):
    kind: EntityKind
    value: str = Field(max_length=200)
    chain: str = Field("", max_length=12)


@router.get("/cases/identifiers/peers", response=dict,
            summary="Ask the other countries' nodes whether they hold an identifier in items shared with our country (hit/no hit)")
def identifier_peers(request: HttpRequest, query: Query[IdentifierQuery]) -> dict[str, Any]:
    from borderlink.cases import hits

    user = _user(request)
    key, answers = hits.search(user, query.kind, query.value, query.chain)
    return {"value": key, "peers": [{"node": a.peer.node_id, "country": a.peer.country_id, "status": a.status, "hits": a.hits}
                                    for a in answers]}


class DraftIn(Schema):
    lead_unit: str = Field(max_length=60)
    kind: EntityKind
    value: str = Field(max_length=120)
    reference: str = Field(max_length=40)
    offence: str = Field("fraud", max_length=40)


@router.post("/cases/identifiers/draft-request", response={201: dict}, summary="From a hit: a draft request to the case's lead unit")
def identifier_draft_request(request: HttpRequest, payload: DraftIn) -> Status:
    from borderlink.cases import hits

    user = _user(request)
    req = hits.draft_request(user, payload.lead_unit, payload.kind, payload.value, payload.reference, payload.offence, request)
    return Status(201, {"id": str(req.pk), "state": req.state})
