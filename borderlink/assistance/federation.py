"""Requests across nodes.

`request.opened` carries a request, once approved, to the node of the requested
country, with its timeline so far; that node registers it and answers with a
"received" step. Every later step travels as `request.event`, from the side
that took it to the other. The receiving node checks each step against the
same transition table as its own users' steps, and that the peer speaks only
for its own side.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from pydantic import BaseModel, Field

from borderlink import workflow
from borderlink.assistance import services
from borderlink.assistance.facts import ATTACHMENTS_MAX, TEXT_MAX
from borderlink.assistance.models import (
    Action,
    Request,
    RequestEvent,
    RequestKind,
    RequestState,
    Side,
    Urgency,
)
from borderlink.assistance.workflow import LOCAL_STEPS, REQUEST, store_attachments
from borderlink.audit.services import record
from borderlink.core.models import BorderGate, Unit
from borderlink.exchange.attachments import check_file, storage_path
from borderlink.exchange.models import HandlingCode
from borderlink.federation import outbox
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.notices.models import Notice, Offence


class AttachmentPayload(BaseModel):
    filename: str = Field(max_length=200)
    content_base64: str


class EventPayload(BaseModel):
    id: uuid.UUID
    at: datetime.datetime
    actor_name: str = Field(default="", max_length=200)
    actor_unit: str = Field(default="", max_length=40)
    side: str
    action: str
    from_state: str = ""
    to_state: str = ""
    text: str = Field(default="", max_length=TEXT_MAX)
    data: dict[str, Any] = Field(default_factory=dict)
    attachments: list[AttachmentPayload] = Field(default_factory=list, max_length=ATTACHMENTS_MAX)


class RequestPayload(BaseModel):
    id: uuid.UUID
    reference: str = Field(max_length=40)
    kind: str
    urgency: str
    data_held_directly: bool = False
    offence: str
    subject: str = Field(min_length=1, max_length=200)
    details: str = Field(min_length=1, max_length=TEXT_MAX)
    person_name: str = Field(default="", max_length=200)
    identifier: str = Field(default="", max_length=200)
    notice: uuid.UUID | None = None
    requesting_unit: str = Field(max_length=40)
    requested_unit: str = Field(max_length=40)
    handling_code: str
    deadline: datetime.datetime
    sent_at: datetime.datetime
    events: list[EventPayload] = Field(max_length=50)


class StepPayload(BaseModel):
    request: uuid.UUID
    event: EventPayload


def _event_payload(event: RequestEvent) -> dict[str, Any]:
    return {
        "id": str(event.pk), "at": event.at.isoformat(), "actor_name": event.actor_name, "actor_unit": event.actor_unit,
        "side": event.side, "action": event.action, "from_state": event.from_state, "to_state": event.to_state,
        "text": event.text, "data": event.data,
        "attachments": [
            {"filename": a.filename, "content_base64": base64.b64encode(storage_path(a.storage_name).read_bytes()).decode("ascii")}
            for a in event.attachments.all()
        ],
    }


def queue_opened(req: Request) -> bool:
    """Send an approved request to the requested country's node; False when that country is hosted here."""
    country = req.requested_unit.country_id
    if hosts_country(country):
        return False
    payload = {
        "id": str(req.pk), "reference": req.reference, "kind": req.kind, "urgency": req.urgency,
        "data_held_directly": req.data_held_directly, "offence": req.offence, "subject": req.subject, "details": req.details,
        "person_name": req.person_name, "identifier": req.identifier, "notice": str(req.notice_id) if req.notice_id else None,
        "requesting_unit": req.requesting_unit.code, "requested_unit": req.requested_unit.code,
        "handling_code": req.handling_code, "deadline": _iso(req.deadline), "sent_at": _iso(req.sent_at),
        "events": [_event_payload(e) for e in req.events.exclude(action__in=LOCAL_STEPS)],
    }
    return outbox.enqueue(country, "request.opened", req.pk, payload) is not None


def _iso(moment: datetime.datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _files(data: EventPayload) -> list[Any]:
    files = []
    for attachment in data.attachments:
        try:
            content = base64.b64decode(attachment.content_base64, validate=True)
        except ValueError:
            raise ValidationError("an attachment is not base64") from None
        files.append(check_file(attachment.filename, content))
    return files


def _store_event(req: Request, data: EventPayload, peer: Any) -> RequestEvent:
    event = workflow.add_event(
        REQUEST, req, data.action, data.side, actor_name=data.actor_name, actor_unit=data.actor_unit or "-",
        from_state=data.from_state, text=data.text, data=data.data, at=data.at, event_id=data.id, origin_node=peer.node_id,
    )
    store_attachments(event, _files(data))
    return event


@register("request.opened", RequestPayload)
def apply_opened(payload: RequestPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Register a request from a peer for a unit of this node, and tell the requester it was received."""
    if Request.objects.filter(pk=payload.id).exists():
        return
    requesting = Unit.objects.filter(code=payload.requesting_unit, country_id=peer.country_id).first()
    if requesting is None:
        raise ValidationError(f"unknown requesting unit {payload.requesting_unit} of {peer.country_id}")
    requested = Unit.objects.filter(code=payload.requested_unit).first()
    if requested is None or requested.country_id == peer.country_id or not hosts_country(requested.country_id):
        raise ValidationError(f"unit {payload.requested_unit} is not on this node")
    if payload.kind not in RequestKind.values or payload.urgency not in Urgency.values or payload.offence not in Offence.values:
        raise ValidationError("unknown kind, urgency or offence")
    if payload.handling_code not in HandlingCode.values:
        raise ValidationError("unknown handling code")
    notice = Notice.objects.filter(pk=payload.notice, origin_node=peer.node_id).first() if payload.notice else None
    req = Request.objects.create(
        id=payload.id, reference=payload.reference, origin_node=peer.node_id, kind=payload.kind, urgency=payload.urgency,
        data_held_directly=payload.data_held_directly, offence=payload.offence, subject=payload.subject,
        details=payload.details, person_name=payload.person_name, identifier=payload.identifier, notice=notice,
        requesting_unit=requesting, requested_unit=requested, handling_code=payload.handling_code,
        state=RequestState.SENT, deadline=payload.deadline, sent_at=payload.sent_at,
    )
    for event in payload.events:
        if event.side != Side.REQUESTING or event.action not in (Action.SENT, Action.CLOSED):
            raise ValidationError("a new request carries only the requesting side's steps")
        _store_event(req, event, peer)
    record(None, "assistance.request.arrived", object_type="request", object_id=req.pk,
           data={"from_node": peer.node_id, "from": requesting.code, "to": requested.code})
    services.receive(req)


def _parse_handover(req: Request, action: str, data: dict[str, Any]) -> dict[str, Any]:
    """The step's facts from the envelope, with gates and units resolved by their natural keys."""
    fields: dict[str, Any] = {}
    for key, value in (data.get("handover") or {}).items():
        if key in ("located_at", "arrested_at", "planned_for", "handed_over_at", "closed_at"):
            fields[key] = datetime.datetime.fromisoformat(value) if value else None
        elif key == "gate":
            gate = BorderGate.objects.filter(**value).first() if isinstance(value, dict) else None
            if gate is None:
                raise ValidationError("unknown border gate")
            fields[key] = gate
        elif key in ("escort_requesting_unit", "escort_requested_unit"):
            unit = Unit.objects.filter(code=value).first()
            if unit is None:
                raise ValidationError(f"unknown unit {value}")
            fields[key] = unit
        elif key in ("location", "held_at", "documents", "handed_by", "received_by"):
            fields[key] = str(value)[: TEXT_MAX]
        else:
            raise ValidationError(f"unexpected handover field {key}")
    return fields


@register("request.event", StepPayload)
def apply_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Add a step the other side took to the timeline here, after checking the peer may take it."""
    data = payload.event
    if RequestEvent.objects.filter(pk=data.id).exists():
        return
    workflow.apply_peer_step(REQUEST, payload.request, workflow.Incoming(
        id=data.id, at=data.at, action=data.action, side=data.side, from_state=data.from_state,
        actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text, data=data.data,
        attachments=_files(data)), peer)
