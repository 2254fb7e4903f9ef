"""Liaison meetings across nodes: `border.meeting.opened` carries a new meeting (with its proposal and the open
items of the last meeting) to the invited side's node; `border.meeting.event` carries each later step, applied
by `workflow.apply_peer_step` with the same table and validation as a person's step."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from pydantic import Field

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.border.meeting_workflow import MEETING, event_payload
from borderlink.border.models import (
    PROPOSING,
    AgendaItem,
    Frequency,
    Meeting,
    MeetingAction,
    MeetingEvent,
    MeetingKind,
    ProvincePair,
)
from borderlink.core import clock
from borderlink.core.models import Unit
from borderlink.federation import outbox, schema
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.federation.schema import Moment, Strict


class EventPayload(Strict):
    id: uuid.UUID
    at: Moment
    action: str = Field(max_length=30)
    side: str = Field(default="", max_length=10)
    from_state: str = Field(default="", max_length=12)
    actor_name: str = Field(default="", max_length=200)
    actor_unit: str = Field(default="", max_length=60)
    text: str = Field(default="", max_length=20_000)
    data: dict[str, Any] = Field(default_factory=dict, max_length=20)


class AgendaPayload(Strict):
    id: uuid.UUID
    title: str = Field(min_length=1, max_length=300)


class MeetingPayload(Strict):
    id: uuid.UUID
    reference: str = Field(max_length=40)
    pair: str = Field(max_length=40)
    kind: str = Field(max_length=10)
    proposing_unit: str = Field(max_length=60)
    invited_unit: str = Field(max_length=60)
    starts_at: Moment
    place: str = Field(min_length=1, max_length=200)
    host: str = Field(max_length=2)
    reason: str = Field(default="", max_length=5000)
    frequency: str = Field(default="", max_length=10)
    events: list[EventPayload] = Field(max_length=1)
    agenda: list[AgendaPayload] = Field(default_factory=list, max_length=50)


class StepPayload(Strict):
    meeting: uuid.UUID
    event: EventPayload


def queue_opened(meeting: Meeting) -> bool:
    country = meeting.invited_unit.country_id
    if hosts_country(country):
        return False
    payload = {
        "id": str(meeting.pk), "reference": meeting.reference, "pair": meeting.pair.code, "kind": meeting.kind,
        "proposing_unit": meeting.proposing_unit.code, "invited_unit": meeting.invited_unit.code,
        "starts_at": meeting.starts_at.isoformat(), "place": meeting.place, "host": meeting.host_country_id,
        "reason": meeting.reason, "frequency": meeting.frequency, "events": [event_payload(e) for e in meeting.events.all()],
        "agenda": [{"id": str(a.pk), "title": a.title} for a in meeting.agenda.filter(carried_over=True)],
    }
    return outbox.enqueue(country, "border.meeting.opened", meeting.pk, payload) is not None


@register("border.meeting.opened", MeetingPayload)
def apply_opened(payload: MeetingPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A meeting proposed by the province across the border: checked as a local proposal would be."""
    if Meeting.objects.filter(pk=payload.id).exists():
        return
    proposing = Unit.objects.filter(code=payload.proposing_unit, country_id=peer.country_id).first()
    invited = Unit.objects.filter(code=payload.invited_unit).exclude(country_id=peer.country_id).first()
    pair = ProvincePair.objects.select_related("side_a", "side_b").filter(code=payload.pair).first()
    if proposing is None or invited is None or pair is None or not hosts_country(invited.country_id):
        raise ValidationError("unknown unit or pair, or the invited unit is not served here")
    if {proposing.province_id, invited.province_id} != {pair.side_a_id, pair.side_b_id}:
        raise ValidationError("the units are not the police of the pair's two provinces")
    if payload.kind not in MeetingKind.values or payload.host not in pair.countries:
        raise ValidationError("unknown kind, or a host that is neither side")
    if payload.frequency and (payload.frequency not in Frequency.values or payload.kind != MeetingKind.REGULAR):
        raise ValidationError("a frequency is that of a regular meeting's schedule: monthly or quarterly")
    if not pair.valid_on(timezone.localtime(payload.starts_at).date()):
        raise ValidationError("the pair does not hold on the meeting's date")
    if payload.starts_at <= clock.now() - datetime.timedelta(seconds=settings.FEDERATION_CLOCK_SKEW_SECONDS):
        raise ValidationError("a meeting in the past")
    if [e.action for e in payload.events] != [MeetingAction.PROPOSED]:
        raise ValidationError("a new meeting carries only its proposal")
    meeting = Meeting.objects.create(
        id=payload.id, reference=payload.reference, origin_node=peer.node_id, pair=pair, kind=payload.kind,
        proposing_unit=proposing, invited_unit=invited, starts_at=payload.starts_at, place=payload.place,
        host_country_id=payload.host, reason=payload.reason, frequency=payload.frequency)
    event = payload.events[0]
    workflow.add_event(MEETING, meeting, event.action, PROPOSING, actor_name=event.actor_name, actor_unit=event.actor_unit or "-",
                       text=event.text, at=event.at, event_id=event.id, origin_node=peer.node_id)
    for item in payload.agenda:
        AgendaItem.objects.create(id=item.id, meeting=meeting, side=PROPOSING, title=item.title, carried_over=True,
                                  added_at=event.at)
    record(None, "border.meeting.received", object_type="border_meeting", object_id=meeting.pk,
           data={"from_node": peer.node_id})


@register("border.meeting.event", StepPayload)
def apply_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A step of the other side, through the meeting's table and `validate` at this node's time of arrival. A
    "held" step is refused before the meeting's start on this node's clock (by `validate`), and also when the
    peer's own time for it lies before the start, less the clock window (ValidationError: quarantined)."""
    data = payload.event
    if data.action == MeetingAction.HELD:
        starts = Meeting.objects.filter(pk=payload.meeting).values_list("starts_at", flat=True).first()
        if starts is not None and data.at < starts - schema.skew():
            raise ValidationError(f"the meeting is recorded held at {data.at.isoformat()}, before its start "
                                  f"{starts.isoformat()}")
    workflow.apply_peer_step(MEETING, payload.meeting, workflow.Incoming(
        id=data.id, at=data.at, action=data.action, side=data.side or None, from_state=data.from_state,
        actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text, data=data.data), peer)


__all__ = ["MeetingEvent", "queue_opened"]
