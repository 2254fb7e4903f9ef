"""The toy's envelopes: the thing itself, then each step through the workflow module."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict, Field

from borderlink import workflow
from borderlink.federation.registry import register
from tests.toyflow.models import Thing
from tests.toyflow.workflow import ASKER, TOY


class EventPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: uuid.UUID
    at: datetime.datetime
    action: str = Field(max_length=20)
    side: str = Field(max_length=10)
    from_state: str = Field(max_length=20)
    actor_name: str = Field(max_length=200)
    actor_unit: str = Field(max_length=40)
    text: str = Field(max_length=500)


class ThingPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: uuid.UUID
    note: str = Field(max_length=200)
    asker_country: str = Field(max_length=2)
    helper_country: str = Field(max_length=2)
    asked: EventPayload


class StepPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    thing: uuid.UUID
    event: EventPayload


@register("toy.opened", ThingPayload)
def apply_opened(payload: ThingPayload, peer: Any, envelope: dict[str, Any]) -> None:
    if Thing.objects.filter(pk=payload.id).exists():
        return
    if payload.asker_country != peer.country_id or payload.helper_country != settings.NODE_COUNTRY:
        raise ValidationError("that node does not ask for this country, or the helper is not here")
    thing = Thing.objects.create(id=payload.id, origin_node=peer.node_id, asker_country=peer.country_id,
                                 helper_country=settings.NODE_COUNTRY, note=payload.note)
    asked = payload.asked
    if asked.action != "asked":
        raise ValidationError("a new thing carries only its asking")
    workflow.add_event(TOY, thing, "asked", ASKER, actor_name=asked.actor_name, actor_unit=asked.actor_unit,
                       at=asked.at, event_id=asked.id, origin_node=peer.node_id)


@register("toy.event", StepPayload)
def apply_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    data = payload.event
    workflow.apply_peer_step(TOY, payload.thing, workflow.Incoming(
        id=data.id, at=data.at, action=data.action, side=data.side, from_state=data.from_state,
        actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text), peer)
