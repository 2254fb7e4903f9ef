"""Custody notifications across nodes: `custody.notified` goes to the node of the person's country at
once; `custody.event` carries each later step to the other side."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from pydantic import Field

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.core.models import Unit
from borderlink.custody.models import CustodyAction, CustodyEvent, CustodyKind, CustodyRecord, CustodyState
from borderlink.custody.workflow import CUSTODY, TEXT_MAX
from borderlink.exchange.models import HandlingCode
from borderlink.federation import outbox, schema
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.federation.schema import Code, Moment, Strict
from borderlink.notices.federation import PersonPayload, _apply_person, _person_payload
from borderlink.notices.models import Offence


class EventPayload(Strict):
    id: uuid.UUID
    at: Moment
    actor_name: schema.text(200) = ""  # type: ignore[valid-type]
    actor_unit: schema.text(40) = ""  # type: ignore[valid-type]
    action: CustodyAction
    from_state: CustodyState | Literal[""] = ""
    text: schema.text(TEXT_MAX) = ""  # type: ignore[valid-type]


class CustodyPayload(Strict):
    id: uuid.UUID
    reference: schema.text(40, 1)  # type: ignore[valid-type]
    detaining_unit: Code
    nationality: schema.Country
    person: PersonPayload
    person_name: schema.text(200, 1)  # type: ignore[valid-type]
    kind: CustodyKind
    detained_at: Moment
    place_held: schema.text(200, 1)  # type: ignore[valid-type]
    offence: Offence
    facts: schema.text(TEXT_MAX) = ""  # type: ignore[valid-type]
    consular_access_requested: bool
    handling_code: HandlingCode
    events: list[EventPayload] = Field(max_length=5)


class StepPayload(Strict):
    record: uuid.UUID
    event: EventPayload


def _event_payload(event: CustodyEvent) -> dict[str, Any]:
    return {"id": str(event.pk), "at": event.at.isoformat(), "actor_name": event.actor_name, "actor_unit": event.actor_unit,
            "action": event.action, "from_state": event.from_state, "text": event.text}


def queue_notified(item: CustodyRecord) -> bool:
    if hosts_country(item.nationality_id):
        return False
    person = _person_payload(item.person)
    person["photos"] = []
    payload = {
        "id": str(item.pk), "reference": item.reference, "detaining_unit": item.detaining_unit.code,
        "nationality": item.nationality_id, "person": person, "person_name": item.person_name, "kind": item.kind,
        "detained_at": item.detained_at.isoformat(), "place_held": item.place_held, "offence": item.offence,
        "facts": item.facts, "consular_access_requested": item.consular_access_requested,
        "handling_code": item.handling_code, "events": [_event_payload(e) for e in item.events.all()],
    }
    return outbox.enqueue(item.nationality_id, "custody.notified", item.pk, payload) is not None


def _store(item: CustodyRecord, data: EventPayload, peer: Any) -> None:
    """The peer's step at this node's time; the peer's time is kept as its claim."""
    event = workflow.add_event(CUSTODY, item, data.action, "", actor_name=data.actor_name, actor_unit=data.actor_unit,
                               from_state=data.from_state, text=data.text, at=schema.received_now(), event_id=data.id,
                               origin_node=peer.node_id)
    CustodyEvent.objects.filter(pk=event.pk).update(claimed_at=data.at)


@register("custody.notified", CustodyPayload)
def apply_notified(payload: CustodyPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A unit of the peer's country holds one of our nationals: keep the notification for our ministry."""
    if CustodyRecord.objects.filter(pk=payload.id).exists():
        return
    unit = Unit.objects.filter(code=payload.detaining_unit, country_id=peer.country_id).first()
    if unit is None:
        raise ValidationError(f"unknown detaining unit {payload.detaining_unit}")
    if payload.nationality == peer.country_id or not hosts_country(payload.nationality):
        raise ValidationError("the person is not a national of a country this node serves")
    schema.past_moment(payload.detained_at, "detained_at", years_back=5)
    for event in payload.events:
        schema.check_moment(event.at, "the step's time", not_after=schema.received_now() + schema.skew(),
                            not_before=payload.detained_at - schema.skew())
    if any(e.action != CustodyAction.RECORDED for e in payload.events):
        raise ValidationError("a new notification carries only its recording")
    person = _apply_person(payload.person, unit, peer)
    item = CustodyRecord.objects.create(
        id=payload.id, reference=payload.reference, origin_node=peer.node_id, detaining_unit=unit,
        nationality_id=payload.nationality, person=person, person_name=payload.person_name, kind=payload.kind,
        detained_at=payload.detained_at, place_held=payload.place_held, offence=payload.offence, facts=payload.facts,
        consular_access_requested=payload.consular_access_requested, handling_code=payload.handling_code,
    )
    for event in payload.events:
        _store(item, event, peer)
    record(None, "custody.record.received", object_type="custody", object_id=item.pk,
           data={"from_node": peer.node_id, "from": unit.code})


@register("custody.event", StepPayload)
def apply_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A step the other side took, through the workflow's table and checks, at this node's time (the peer's time
    kept as its claim, refused outside the clock window or before the step it follows)."""
    data = payload.event
    if CustodyEvent.objects.filter(pk=data.id).exists():
        return
    # the clock rule and the bound on steps per record are the workflow's (`workflow.apply_peer_step`)
    workflow.apply_peer_step(CUSTODY, payload.record, workflow.Incoming(
        id=data.id, at=data.at, action=data.action, side=None, from_state=data.from_state,
        actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text), peer)
