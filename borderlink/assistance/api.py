"""Requests and handovers over the API: the same services and access helpers as the pages."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

from django.db.models import F, Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.assistance import access, services
from borderlink.assistance.models import (
    OPEN_STATES,
    Action,
    DeclineReason,
    Handover,
    HandoverState,
    Request,
    RequestKind,
    RequestState,
    Result,
    Side,
    Urgency,
)
from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.core.inputs import BoundedDateTime, Id, Page, PageSize
from borderlink.core.schemas import InSchema
from borderlink.exchange.attachments import decode_files
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence

router = Router(tags=["requests"])


class HandoverAction(enum.StrEnum):
    LOCATED = "located"
    ARRESTED = "arrested"
    HANDOVER_PLANNED = "handover_planned"
    HANDED_OVER = "handed_over"
    HANDOVER_CLOSED = "handover_closed"


class Direction(enum.StrEnum):
    SENT = "sent"
    RECEIVED = "received"


class RequestIn(InSchema):
    kind: RequestKind
    requested_unit_id: Id
    offence: Offence
    subject: str = Field(max_length=200)
    details: str = Field(max_length=10_000)
    urgency: Urgency = Urgency.NORMAL
    data_held_directly: bool = False
    person_name: str = Field("", max_length=200)
    identifier: str = Field("", max_length=200)
    notice_id: uuid.UUID | None = None
    handling_code: HandlingCode = HandlingCode.H0
    requested_deadline: BoundedDateTime | None = None
    victim_case_id: uuid.UUID | None = Field(None, description="For a request to verify a victim's nationality: the victim "
                                             "case it is written for (its victim must have consented to share with the "
                                             "home country)")


class TextIn(InSchema):
    text: str = Field("", max_length=10_000)


class ApproveIn(InSchema):
    justification: str = Field("", max_length=2000)


class DeclineIn(InSchema):
    reason: DeclineReason
    text: str = Field("", max_length=10_000)


class ResultIn(InSchema):
    kind: Result
    value: str = Field("", max_length=300)


class AttachmentIn(InSchema):
    filename: str = Field(max_length=200)
    content_base64: str


class AnswerIn(InSchema):
    text: str = Field(max_length=10_000)
    partial: bool = False
    results: list[ResultIn] = Field(default_factory=list, max_length=30)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class HandoverIn(InSchema):
    at: BoundedDateTime | None = None
    place: str = Field("", max_length=200)
    gate_id: Id | None = None
    escort_requesting_unit_id: Id | None = None
    escort_requested_unit_id: Id | None = None
    documents: str = Field("", max_length=10_000)
    handed_by: str = Field("", max_length=300)
    received_by: str = Field("", max_length=300)


class ListFilters(Schema):
    state: RequestState | None = None
    direction: Direction | None = Field(None, description="sent or received; both when absent")
    overdue: bool = False
    page: Page = 1
    page_size: PageSize = 25


class UnitRefOut(Schema):
    id: int
    code: str
    country: str


class EventAttachmentOut(Schema):
    id: int
    filename: str
    size: int
    sha256: str


class EventOut(Schema):
    id: str
    at: datetime.datetime
    side: Side
    action: Action
    actor: str
    unit: str
    from_state: str = Field(description="A request state, or empty")
    to_state: str = Field(description="A request state, or empty")
    text: str
    data: dict[str, Any]
    attachments: list[EventAttachmentOut]


class HandoverOut(Schema):
    state: HandoverState
    located_at: datetime.datetime | None
    location: str
    arrested_at: datetime.datetime | None
    held_at: str
    gate: str | None
    gate_id: int | None
    planned_for: datetime.datetime | None
    escort_requesting_unit: str | None
    escort_requested_unit: str | None
    handed_over_at: datetime.datetime | None
    documents: str
    handed_by: str
    received_by: str


class RequestOut(Schema):
    id: str
    reference: str
    kind: RequestKind
    urgency: Urgency
    state: RequestState
    offence: Offence
    subject: str
    details: str
    person_name: str
    identifier: str
    notice_id: str | None
    requesting_unit: UnitRefOut
    requested_unit: UnitRefOut
    handling_code: HandlingCode
    victim_case_id: str | None = Field(description="The victim case a request to verify a victim's nationality is "
                                                   "written for; shown to the requesting side only")
    deadline: datetime.datetime | None
    sent_at: datetime.datetime | None
    seconds_left: int | None
    side: Side | None


class RequestDetailOut(RequestOut):
    events: list[EventOut]
    handover: HandoverOut | None


class RequestPageOut(Schema):
    count: int
    page: int
    results: list[RequestOut]


class StatisticsRowOut(Schema):
    month: str
    country: str
    sent: int
    received: int


class StatisticsOut(Schema):
    table: list[StatisticsRowOut]
    median_hours_sent: float | None
    median_hours_received: float | None
    answered_sent: int
    answered_received: int


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
    side = access.side_of(user, req)
    out: dict[str, Any] = {
        "id": str(req.pk), "reference": req.reference, "kind": req.kind, "urgency": req.urgency, "state": req.state,
        "offence": req.offence, "subject": req.subject, "details": req.details, "person_name": req.person_name,
        "identifier": req.identifier, "notice_id": str(req.notice_id) if req.notice_id else None,
        "requesting_unit": {"id": req.requesting_unit_id, "code": req.requesting_unit.code, "country": req.requesting_unit.country_id},
        "requested_unit": {"id": req.requested_unit_id, "code": req.requested_unit.code, "country": req.requested_unit.country_id},
        "handling_code": req.handling_code, "deadline": req.deadline, "sent_at": req.sent_at,
        "seconds_left": int(left.total_seconds()) if left is not None else None, "side": side,
        "victim_case_id": str(req.victim_case_id) if req.victim_case_id and side == Side.REQUESTING else None,
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


@router.get("/requests", response=answers(RequestPageOut), summary="Your unit's requests, open ones by time left")
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
    record(user, "assistance.list.viewed", data={"state": str(filters.state or ""),
                                                      "direction": filters.direction.value if filters.direction else ""},
           request=request)
    return {"count": total, "page": filters.page, "results": [_request(r, user) for r in qs[start:start + filters.page_size]]}


@router.get("/requests/statistics", response=answers(StatisticsOut), summary="Counts per country and month; median time to a first answer")
def request_statistics(request: HttpRequest) -> dict[str, Any]:
    return services.statistics(_user(request))


@router.post("/requests", response=answers(RequestOut, 201), summary="Write a draft request to a unit of another member country")
def create_request(request: HttpRequest, payload: RequestIn) -> Status:
    user = _user(request)
    return Status(201, _request(services.create_request(user, _input(payload), request), user))


@router.get("/requests/{request_id}", response=answers(RequestDetailOut), summary="A request with its timeline (audited)")
def read_request(request: HttpRequest, request_id: str) -> dict[str, Any]:
    user = _user(request)
    return _request(services.read_request(user, request_id, request), user, with_events=True)


@router.put("/requests/{request_id}", response=answers(RequestOut), summary="Change a draft")
def update_request(request: HttpRequest, request_id: str, payload: RequestIn) -> dict[str, Any]:
    user = _user(request)
    return _request(services.update_request(user, request_id, _input(payload), request), user)


def _step(request: HttpRequest, fn: Any, *args: Any) -> dict[str, Any]:
    user = _user(request)
    req = fn(user, *args, request)
    return _request(Request.objects.select_related("requesting_unit", "requested_unit").get(pk=req.pk), user, with_events=True)


@router.post("/requests/{request_id}/submit", response=answers(RequestDetailOut), summary="Submit a draft for approval")
def submit(request: HttpRequest, request_id: str) -> dict[str, Any]:
    return _step(request, services.submit_request, request_id)


@router.post("/requests/{request_id}/approve", response=answers(RequestDetailOut), summary="Four eyes: approve and send")
def approve(request: HttpRequest, request_id: str, payload: ApproveIn) -> dict[str, Any]:
    return _step(request, services.approve_request, request_id, payload.justification)


@router.post("/requests/{request_id}/return", response=answers(RequestDetailOut), summary="Return a submitted request to its author")
def return_request(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.return_request, request_id, payload.text)


@router.post("/requests/{request_id}/accept", response=answers(RequestDetailOut), summary="The requested side accepts")
def accept(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.accept_request, request_id, payload.text)


@router.post("/requests/{request_id}/clarification", response=answers(RequestDetailOut),
             summary="Ask for clarification (requested side) or give it (requesting side)")
def clarification(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.clarify, request_id, payload.text)


@router.post("/requests/{request_id}/decline", response=answers(RequestDetailOut), summary="Decline, with a reason from the list")
def decline(request: HttpRequest, request_id: str, payload: DeclineIn) -> dict[str, Any]:
    return _step(request, services.decline_request, request_id, payload.reason, payload.text)


@router.post("/requests/{request_id}/answer", response=answers(RequestDetailOut), summary="Answer in part or in full, with findings and attachments")
def answer(request: HttpRequest, request_id: str, payload: AnswerIn) -> dict[str, Any]:
    data = services.Answer(payload.text, results=[services.ResultInput(r.kind, r.value) for r in payload.results],
                           attachments=decode_files(payload.attachments, "attachments"), partial=payload.partial)
    return _step(request, services.answer_request, request_id, data)


@router.post("/requests/{request_id}/close", response=answers(RequestDetailOut), summary="Close the request")
def close(request: HttpRequest, request_id: str, payload: TextIn) -> dict[str, Any]:
    return _step(request, services.close_request, request_id, payload.text)


@router.post("/requests/{request_id}/handover/{action}", response=answers(RequestDetailOut),
             summary="A handover step: located, arrested, handover_planned, handed_over, handover_closed")
def handover(request: HttpRequest, request_id: str, action: HandoverAction, payload: HandoverIn) -> dict[str, Any]:
    user = _user(request)
    services.handover_step(user, request_id, action.value, services.HandoverInput(**payload.dict()), request)
    return _request(Request.objects.select_related("requesting_unit", "requested_unit").get(pk=request_id), user, with_events=True)
