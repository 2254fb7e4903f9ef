"""Requests and handovers over the API: the same services and access helpers as the pages."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db.models import F, Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.core.inputs import BoundedDateTime, Id, Page, PageSize

from borderlink.assistance import access, services
from borderlink.assistance.models import OPEN_STATES, Handover, Request
from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.exchange.attachments import decode_files

router = Router(tags=["requests"])


class RequestIn(Schema):
    kind: str
    requested_unit_id: Id
    offence: str
    subject: str = Field(max_length=200)
    details: str = Field(max_length=10_000)
    urgency: str = "normal"
    data_held_directly: bool = False
    person_name: str = Field("", max_length=200)
    identifier: str = Field("", max_length=200)
    notice_id: uuid.UUID | None = None
    handling_code: str = "H0"
    requested_deadline: BoundedDateTime | None = None


class TextIn(Schema):
    text: str = Field("", max_length=10_000)


class ApproveIn(Schema):
    justification: str = Field("", max_length=2000)


class DeclineIn(Schema):
    reason: str
    text: str = Field("", max_length=10_000)


class ResultIn(Schema):
    kind: str
    value: str = Field("", max_length=300)


class AttachmentIn(Schema):
    filename: str = Field(max_length=200)
    content_base64: str


class AnswerIn(Schema):
    text: str = Field(max_length=10_000)
    partial: bool = False
    results: list[ResultIn] = Field(default_factory=list, max_length=30)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class HandoverIn(Schema):
    at: BoundedDateTime | None = None
    place: str = Field("", max_length=200)
    gate_id: Id | None = None
    escort_requesting_unit_id: Id | None = None
    escort_requested_unit_id: Id | None = None
    documents: str = Field("", max_length=10_000)
    handed_by: str = Field("", max_length=300)
    received_by: str = Field("", max_length=300)


class ListFilters(Schema):
    state: str = ""
    direction: str = Field("", description="sent or received; both when empty")
    overdue: bool = False
    page: Page = 1
    page_size: PageSize = 25


def _user(request: HttpRequest) -> Any:
    if not access.may_use_requests(request.user):
        raise Http404("No access.")
    return request.user


def _handover(handover: Handover | None) -> dict[str, Any] | None:
    if handover is None:
        return None
    return {
        "state": handover.state, "located_at": handover.located_at, "location": handover.location,
        "arrested_at": handover.arrested_at, "held_at": handover.held_at,
        "gate": str(handover.gate) if handover.gate_id else None, "gate_id": handover.gate_id,
        "planned_for": handover.planned_for,
        "escort_requesting_unit": handover.escort_requesting_unit.code if handover.escort_requesting_unit else None,
        "escort_requested_unit": handover.escort_requested_unit.code if handover.escort_requested_unit else None,
        "handed_over_at": handover.handed_over_at, "documents": handover.documents, "handed_by": handover.handed_by,
        "received_by": handover.received_by,
    }


def _request(req: Request, user: Any, with_events: bool = False) -> dict[str, Any]:
    left = services.time_left(req)
    out: dict[str, Any] = {
        "id": str(req.pk), "reference": req.reference, "kind": req.kind, "urgency": req.urgency, "state": req.state,
        "offence": req.offence, "subject": req.subject, "details": req.details, "person_name": req.person_name,
        "identifier": req.identifier, "notice_id": str(req.notice_id) if req.notice_id else None,
        "requesting_unit": {"id": req.requesting_unit_id, "code": req.requesting_unit.code, "country": req.requesting_unit.country_id},
        "requested_unit": {"id": req.requested_unit_id, "code": req.requested_unit.code, "country": req.requested_unit.country_id},
        "handling_code": req.handling_code, "deadline": req.deadline, "sent_at": req.sent_at,
        "seconds_left": int(left.total_seconds()) if left is not None else None, "side": access.side_of(user, req),
    }
    if with_events:
        out["events"] = [
            {"id": str(e.pk), "at": e.at, "side": e.side, "action": e.action, "actor": e.actor_name, "unit": e.actor_unit,
             "from_state": e.from_state, "to_state": e.to_state, "text": e.text, "data": e.data,
             "attachments": [{"id": a.pk, "filename": a.filename, "size": a.size, "sha256": a.sha256} for a in e.attachments.all()]}
            for e in access.visible_events(user, req).prefetch_related("attachments")
        ]
        out["handover"] = _handover(Handover.objects.filter(request=req).select_related(
            "gate", "escort_requesting_unit", "escort_requested_unit").first())
    return out


def _input(data: RequestIn) -> services.RequestInput:
    return services.RequestInput(**data.dict())


@router.get("/requests", response=dict, summary="Your unit's requests, open ones by time left")
def list_requests(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    user = _user(request)
    qs = access.visible_requests(user).select_related("requesting_unit", "requested_unit")
    if filters.direction == "sent":
        qs = qs.filter(requesting_unit_id=user.unit_id)
    elif filters.direction == "received":
        qs = qs.filter(requested_unit_id=user.unit_id)
    else:
        qs = qs.filter(Q(requesting_unit_id=user.unit_id) | Q(requested_unit_id=user.unit_id))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.overdue:
        qs = qs.filter(state__in=OPEN_STATES, deadline__lt=clock.now())
    qs = qs.order_by(F("deadline").asc(nulls_last=True), "-created_at")
    total = qs.count()
    start = (filters.page - 1) * filters.page_size
    record(user, "assistance.list.viewed", data={"state": filters.state, "direction": filters.direction}, request=request)
    return {"count": total, "page": filters.page, "results": [_request(r, user) for r in qs[start:start + filters.page_size]]}


@router.get("/requests/statistics", response=dict, summary="Counts per country and month; median time to a first answer")
def request_statistics(request: HttpRequest) -> dict[str, Any]:
    return services.statistics(_user(request))


@router.post("/requests", response={201: dict}, summary="Write a draft request to a unit of another member country")
def create_request(request: HttpRequest, payload: RequestIn) -> Status:
    user = _user(request)
    return Status(201, _request(services.create_request(user, _input(payload), request), user))


@router.get("/requests/{request_id}", response=dict, summary="A request with its timeline (audited)")
def read_request(request: HttpRequest, request_id: str) -> dict[str, Any]:
    user = _user(request)
    return _request(services.read_request(user, request_id, request), user, with_events=True)


@router.put("/requests/{request_id}", response=dict, summary="Change a draft")
def update_request(request: HttpRequest, request_id: str, payload: RequestIn) -> dict[str, Any]:
    user = _user(request)
    return _request(services.update_request(user, request_id, _input(payload), request), user)


def _step(request: HttpRequest, fn: Any, *args: Any) -> dict[str, Any]:
    user = _user(request)
    req = fn(user, *args, request)
    return _request(Request.objects.select_related("requesting_unit", "requested_unit").get(pk=req.pk), user, with_events=True)


@router.post("/requests/{request_id}/submit", response=dict, summary="Submit a draft for approval")
def submit(request: HttpRequest, request_id: str) -> dict[str, Any]:
    return _step(request, services.submit_request, request_id)


@router.post("/requests/{request_id}/approve", response=dict, summary="Four eyes: approve and send")
def approve(request: HttpRequest, request_id: str, payload: ApproveIn) -> dict[str, Any]:
    return _step(request, services.approve_request, request_id, payload.justification)


@router.post("/requests/{request_id}/return", response=dict, summary="Return a submitted request to its author")
def return_request(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.return_request, request_id, payload.text)


@router.post("/requests/{request_id}/accept", response=dict, summary="The requested side accepts")
def accept(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.accept_request, request_id, payload.text)


@router.post("/requests/{request_id}/clarification", response=dict,
             summary="Ask for clarification (requested side) or give it (requesting side)")
def clarification(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.clarify, request_id, payload.text)


@router.post("/requests/{request_id}/decline", response=dict, summary="Decline, with a reason from the list")
def decline(request: HttpRequest, request_id: str, payload: DeclineIn) -> dict[str, Any]:
    return _step(request, services.decline_request, request_id, payload.reason, payload.text)


@router.post("/requests/{request_id}/answer", response=dict, summary="Answer in part or in full, with findings and attachments")
def answer(request: HttpRequest, request_id: str, payload: AnswerIn) -> dict[str, Any]:
    data = services.Answer(payload.text, results=[services.ResultInput(r.kind, r.value) for r in payload.results],
                           attachments=decode_files(payload.attachments, "attachments"), partial=payload.partial)
    return _step(request, services.answer_request, request_id, data)


@router.post("/requests/{request_id}/close", response=dict, summary="Close the request")
def close(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.close_request, request_id, payload.text)


@router.post("/requests/{request_id}/handover/{action}", response=dict,
             summary="A handover step: located, arrested, handover_planned, handed_over, handover_closed")
def handover(request: HttpRequest, request_id: str, action: str, payload: HandoverIn) -> dict[str, Any]:
    user = _user(request)
    services.handover_step(user, request_id, action, services.HandoverInput(**payload.dict()), request)
    return _request(Request.objects.select_related("requesting_unit", "requested_unit").get(pk=request_id), user, with_events=True)
