"""Custody notifications across nodes: `custody.notified` goes to the node of the person's country at
once; `custody.event` carries each later step to the other side."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from pydantic import BaseModel, Field

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.core.models import Unit
from borderlink.custody.models import CustodyAction, CustodyEvent, CustodyKind, CustodyRecord
from borderlink.custody.workflow import CUSTODY, TEXT_MAX
from borderlink.exchange.models import HandlingCode
from borderlink.federation import outbox
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.notices.federation import PersonPayload, _apply_person, _person_payload
from borderlink.notices.models import Offence


class EventPayload(BaseModel):
    id: uuid.UUID
    at: datetime.datetime
    actor_name: str = Field(default="", max_length=200)
    actor_unit: str = Field(default="", max_length=40)
    action: str
    from_state: str = Field(default="", max_length=12)
    text: str = Field(default="", max_length=TEXT_MAX)


class CustodyPayload(BaseModel):
    id: uuid.UUID
    reference: str = Field(max_length=40)
    detaining_unit: str = Field(max_length=40)
    nationality: str = Field(max_length=2)
    person: PersonPayload
    person_name: str = Field(min_length=1, max_length=200)
    kind: str
    detained_at: datetime.datetime
    place_held: str = Field(min_length=1, max_length=200)
    offence: str
    facts: str = Field(default="", max_length=TEXT_MAX)
    consular_access_requested: bool
    handling_code: str
    events: list[EventPayload] = Field(max_length=20)


class StepPayload(BaseModel):
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
    workflow.add_event(CUSTODY, item, data.action, "", actor_name=data.actor_name, actor_unit=data.actor_unit,
                       from_state=data.from_state, text=data.text, at=data.at, event_id=data.id, origin_node=peer.node_id)


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
    if payload.kind not in CustodyKind.values or payload.offence not in Offence.values:
        raise ValidationError("unknown kind or offence")
    if payload.handling_code not in HandlingCode.values:
        raise ValidationError("unknown handling code")
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
    data = payload.event
    if CustodyEvent.objects.filter(pk=data.id).exists():
        return
    workflow.apply_peer_step(CUSTODY, payload.record, workflow.Incoming(
        id=data.id, at=data.at, action=data.action, side=None, from_state=data.from_state, actor_name=data.actor_name,
        actor_unit=data.actor_unit, text=data.text), peer)
