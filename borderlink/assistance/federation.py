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
from typing import Any, Literal

from django.core.exceptions import ValidationError
from pydantic import Field

from borderlink import workflow
from borderlink.assistance import services
from borderlink.assistance.facts import ATTACHMENTS_MAX, RESULTS_MAX, TEXT_MAX
from borderlink.assistance.models import (
    TRACE_KINDS,
    Action,
    DeclineReason,
    Request,
    RequestEvent,
    RequestKind,
    RequestState,
    Result,
    Side,
    Urgency,
)
from borderlink.assistance.workflow import LOCAL_STEPS, REQUEST, store_attachments
from borderlink.audit.services import record
from borderlink.core.models import Unit
from borderlink.exchange.attachments import check_file, storage_path
from borderlink.exchange.models import HandlingCode
from borderlink.federation import outbox, schema
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.federation.schema import AttachmentPayload, Code, Country, Moment, Strict
from borderlink.notices.models import Notice, NoticeKind, NoticeState, Offence
from borderlink.notices.neutrality import screen


class GatePayload(Strict):
    """A border gate by its natural key, looked up among the gates between the request's two countries."""

    side_a_country: Country
    side_a_name: schema.text(200, 1)  # type: ignore[valid-type]
    side_b_country: Country


class HandoverPayload(Strict):
    """The facts of a handover step, as `handover_payload` writes them."""

    located_at: Moment | None = None
    location: schema.text(200) = ""  # type: ignore[valid-type]
    arrested_at: Moment | None = None
    held_at: schema.text(200) = ""  # type: ignore[valid-type]
    gate: GatePayload | None = None
    planned_for: Moment | None = None
    escort_requesting_unit: Code | None = None
    escort_requested_unit: Code | None = None
    handed_over_at: Moment | None = None
    documents: schema.text(TEXT_MAX) = ""  # type: ignore[valid-type]
    handed_by: schema.text(300) = ""  # type: ignore[valid-type]
    received_by: schema.text(300) = ""  # type: ignore[valid-type]
    closed_at: Moment | None = None


class ResultPayload(Strict):
    kind: Result
    value: schema.text(300) = ""  # type: ignore[valid-type]


class StepData(Strict):
    """What a step carries besides its text; the workflow's `validate` says which parts a step may carry."""

    results: list[ResultPayload] = Field(default_factory=list, max_length=RESULTS_MAX)
    late: bool | None = None  # the sender's view; the owner of the deadline judges lateness itself
    reason: DeclineReason | None = None
    deadline: Moment | Literal[""] | None = None
    handover: HandoverPayload | None = None


class EventPayload(Strict):
    id: uuid.UUID
    at: Moment
    actor_name: schema.text(200) = ""  # type: ignore[valid-type]
    actor_unit: schema.text(40) = ""  # type: ignore[valid-type]
    side: Side
    action: Action
    from_state: RequestState | Literal[""] = ""
    to_state: RequestState | Literal[""] = ""
    text: schema.text(TEXT_MAX) = ""  # type: ignore[valid-type]
    data: StepData = Field(default_factory=StepData)
    attachments: list[AttachmentPayload] = Field(default_factory=list, max_length=ATTACHMENTS_MAX)


class RequestPayload(Strict):
    id: uuid.UUID
    reference: schema.text(40, 1)  # type: ignore[valid-type]
    kind: RequestKind
    urgency: Urgency
    data_held_directly: bool = False
    offence: Offence
    subject: schema.text(200, 1)  # type: ignore[valid-type]
    details: schema.text(TEXT_MAX, 1)  # type: ignore[valid-type]
    person_name: schema.text(200) = ""  # type: ignore[valid-type]
    identifier: schema.text(200) = ""  # type: ignore[valid-type]
    notice: uuid.UUID | None = None
    requesting_unit: Code
    requested_unit: Code
    handling_code: HandlingCode
    deadline: Moment
    sent_at: Moment
    events: list[EventPayload] = Field(max_length=5)


class StepPayload(Strict):
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


def _step_data(data: EventPayload) -> dict[str, Any]:
    """The event's facts as JSON again (typed and bounded by the schema), for the workflow's `parse`."""
    return data.data.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def _check_parts(data: EventPayload) -> None:
    """Each step carries only its own kind of facts: findings and attachments with an answer, a reason with a
    refusal, handover facts with a handover step."""
    from borderlink.assistance.workflow import HANDOVER_STEPS

    answers = (Action.PARTLY_ANSWERED, Action.ANSWERED)
    if (data.data.results and data.action not in answers) or (data.attachments and data.action not in answers):
        raise ValidationError(f"step {data.action} carries no findings or attachments")
    if data.data.reason is not None and data.action != Action.DECLINED:
        raise ValidationError(f"step {data.action} carries no reason")
    if data.data.handover is not None and data.action not in HANDOVER_STEPS:
        raise ValidationError(f"step {data.action} carries no handover facts")


def _check_claim(previous: datetime.datetime | None, data: EventPayload) -> None:
    """A step's time is the peer's claim: refused outside this node's clock window, or before the step it follows."""
    schema.past_moment(data.at, "the step's time", years_back=2)
    if previous is not None and data.at < previous - schema.skew():
        raise ValidationError(f"the step's time {data.at.isoformat()} is before the step it follows ({previous.isoformat()})")


def _store_event(req: Request, data: EventPayload, peer: Any, received: datetime.datetime) -> RequestEvent:
    """A step of a new request from a peer, at this node's time; the peer's own time is kept as its claim."""
    facts: dict[str, Any] = {"deadline": services_iso(data.data.deadline)} if data.action == Action.SENT else {}
    event = workflow.add_event(
        REQUEST, req, data.action, data.side, actor_name=data.actor_name, actor_unit=data.actor_unit or "-",
        from_state=data.from_state, text=data.text, data=facts, at=received, event_id=data.id, origin_node=peer.node_id,
    )
    RequestEvent.objects.filter(pk=event.pk).update(claimed_at=data.at)
    store_attachments(event, _files(data))
    return event


def services_iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.datetime) else ""


def _check_opened(payload: RequestPayload, peer: Any, requesting: Unit, requested: Unit) -> Notice | None:
    """A request from a peer meets the rules a local request meets before it leaves; its notice, if any."""
    schema.past_moment(payload.sent_at, "sent_at", years_back=1)
    schema.future_moment(payload.deadline, "deadline", days_ahead=366)
    if payload.deadline <= payload.sent_at:
        raise ValidationError("the deadline is before the request was sent")
    if payload.kind in TRACE_KINDS and not payload.identifier.strip():
        raise ValidationError("a request to trace names the identifier")
    notice = Notice.objects.filter(pk=payload.notice, origin_node=peer.node_id).first() if payload.notice else None
    if payload.kind == RequestKind.ARREST_HANDOVER:
        if (notice is None or notice.kind != NoticeKind.WANTED_ARREST or notice.issuing_unit_id != requesting.pk
                or notice.state != NoticeState.PUBLISHED
                or not notice.shared_with.filter(code=requested.country_id).exists()):
            raise ValidationError("an arrest and handover request needs the requesting unit's published wanted notice, "
                                  "shared with this country")
    return notice


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
    notice = _check_opened(payload, peer, requesting, requested)
    received = schema.received_now()
    # sent_at is this node's time of arrival (statistics use it); the peer's own time stays on its "sent" step, as a claim
    req = Request.objects.create(
        id=payload.id, reference=payload.reference, origin_node=peer.node_id, kind=payload.kind, urgency=payload.urgency,
        data_held_directly=payload.data_held_directly, offence=payload.offence, subject=payload.subject,
        details=payload.details, person_name=payload.person_name, identifier=payload.identifier, notice=notice,
        requesting_unit=requesting, requested_unit=requested, handling_code=payload.handling_code,
        state=RequestState.SENT, deadline=payload.deadline, sent_at=received,
        neutrality_flags=screen(payload.subject, payload.details),
    )
    for event in payload.events:
        if event.side != Side.REQUESTING or event.action not in (Action.SENT, Action.CLOSED) or event.attachments:
            raise ValidationError("a new request carries only the requesting side's steps")
        _check_claim(payload.sent_at, event)
        _store_event(req, event, peer, received)
    record(None, "assistance.request.arrived", object_type="request", object_id=req.pk,
           data={"from_node": peer.node_id, "from": requesting.code, "to": requested.code})
    services.receive(req)


def _parse_handover(req: Request, action: str, data: dict[str, Any]) -> dict[str, Any]:
    """The step's facts from the envelope (already through `HandoverPayload`), with the gate looked up among the
    gates between the request's two countries and units by code: fixed lookups, never one the peer names.
    Times in sane windows (a plan at most a year ahead; what happened not in the future)."""
    facts = schema.parse_payload(HandoverPayload, data.get("handover") or {})
    fields: dict[str, Any] = {}
    for key in ("located_at", "arrested_at", "handed_over_at"):
        value = getattr(facts, key)
        if value is not None:
            schema.past_moment(value, key, years_back=5)
            fields[key] = value
    if facts.planned_for is not None:
        schema.future_moment(facts.planned_for, "planned_for", days_ahead=366)
        fields["planned_for"] = facts.planned_for
    if facts.gate is not None:
        gates = services.gates_between(req.requesting_unit.country_id, req.requested_unit.country_id)
        fields["gate"] = gates.filter(side_a_country_id=facts.gate.side_a_country, side_a_name=facts.gate.side_a_name,
                                      side_b_country_id=facts.gate.side_b_country).first()
    for key in ("escort_requesting_unit", "escort_requested_unit"):
        code = getattr(facts, key)
        if code:
            fields[key] = Unit.objects.filter(code=code).first()
    for key in ("location", "held_at", "documents", "handed_by", "received_by"):
        if getattr(facts, key):
            fields[key] = getattr(facts, key)
    return fields


@register("request.event", StepPayload)
def apply_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Add a step the other side took to the timeline here, after checking the peer may take it and its facts
    (the workflow's table and `validate`, as for a person's step). The step is recorded at this node's time
    (lateness, order and answer times are judged on this node's clock); the peer's time is kept as its claim.
    A plan is checked against the time the peer made it (its claim, held to this node's clock window), so that
    a plan delayed on the way is not refused."""
    data = payload.event
    if RequestEvent.objects.filter(pk=data.id).exists():
        return
    _check_parts(data)
    # the clock rule and the bound on steps per request are the workflow's (`workflow.apply_peer_step`)
    received = schema.received_now()
    at = min(data.at, received) if data.action == Action.HANDOVER_PLANNED else received
    workflow.apply_peer_step(REQUEST, payload.request, workflow.Incoming(
        id=data.id, at=data.at, received_at=at, action=data.action, side=data.side, from_state=data.from_state,
        actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text, data=_step_data(data),
        attachments=_files(data)), peer)
