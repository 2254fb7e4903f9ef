"""Victim cases across nodes.

`victim.opened` carries a case to the home country's node once the victim consented to share data with it
(checked when the envelope is written), with the person, the consents and the timeline so far. Every later
step travels as `victim.event` and is checked on arrival against the same table and the same validation
(`borderlink.workflow.apply_peer_step`). A peer is authenticated, not trusted: strict bounded schemas, a
case only from the node of the country where the victim was found, and only about a national of ours.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from pydantic import Field

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.core.models import Unit
from borderlink.federation import outbox
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.federation.schema import Moment, Strict
from borderlink.notices.federation import PersonPayload, _apply_person, _person_payload
from borderlink.victims import consent, deadlines
from borderlink.victims.models import Action, AgeBand, CaseState, Exploitation, Indicator, VictimCase, VictimEvent
from borderlink.victims.workflow import FINDING, TEXT_MAX, VICTIM, event_payload


class EventPayload(Strict):
    id: uuid.UUID
    at: Moment
    actor_name: str = Field(default="", max_length=200)
    actor_unit: str = Field(default="", max_length=40)
    side: str = Field(max_length=10)
    action: str = Field(max_length=30)
    from_state: str = Field(default="", max_length=14)
    text: str = Field(default="", max_length=TEXT_MAX)
    data: dict[str, Any] = Field(default_factory=dict, max_length=12)


class CasePayload(Strict):
    id: uuid.UUID
    reference: str = Field(max_length=40)
    finding_unit: str = Field(max_length=60)
    home_country: str = Field(max_length=2)
    person: PersonPayload
    exploitation: str = Field(max_length=20)
    indicators: list[str] = Field(max_length=len(Indicator.values))
    found_on: datetime.date
    found_place: str = Field(min_length=1, max_length=200)
    found_by: str = Field(min_length=1, max_length=200)
    age_band: str = Field(max_length=14)
    review_on: datetime.date
    events: list[EventPayload] = Field(max_length=60)


class StepPayload(Strict):
    case: uuid.UUID
    event: EventPayload


def queue_opened(case: VictimCase) -> bool:
    """Write the case's envelope to the home country's node (False when this node serves that country too).
    Raises ValidationError, before anything is queued, without the victim's consent to share."""
    consent.require_sharing(case)
    if hosts_country(case.home_country_id):
        return False
    person = _person_payload(case.person)
    person["photos"] = []
    payload = {
        "id": str(case.pk), "reference": case.reference, "finding_unit": case.finding_unit.code,
        "home_country": case.home_country_id, "person": person, "exploitation": case.exploitation,
        "indicators": list(case.indicators), "found_on": case.found_on.isoformat(), "found_place": case.found_place,
        "found_by": case.found_by, "age_band": case.age_band, "review_on": case.review_on.isoformat(),
        "events": [event_payload(e) for e in case.events.all()],
    }
    return outbox.enqueue(case.home_country_id, "victim.opened", case.pk, payload) is not None


def _incoming(data: EventPayload) -> workflow.Incoming:
    return workflow.Incoming(id=data.id, at=data.at, action=data.action, side=data.side, from_state=data.from_state,
                             actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text, data=data.data)


@register("victim.opened", CasePayload)
def apply_opened(payload: CasePayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A victim of our nationality was identified in the peer's country: keep the case for our
    victim-protection officers. The timeline so far is replayed through the same checks as any step."""
    if VictimCase.objects.filter(pk=payload.id).exists():
        return
    unit = Unit.objects.filter(code=payload.finding_unit, country_id=peer.country_id).first()
    if unit is None:
        raise ValidationError("unknown finding unit")
    if payload.home_country == peer.country_id or payload.home_country != settings.NODE_COUNTRY \
            or not hosts_country(payload.home_country):
        raise ValidationError("the victim is not a national of a country this node serves")
    if (payload.exploitation not in Exploitation.values or payload.age_band not in AgeBand.values
            or not set(payload.indicators) <= set(Indicator.values)):
        raise ValidationError("unknown exploitation, age band or indicator")
    first, rest = (payload.events[0], payload.events[1:]) if payload.events else (None, [])
    if first is None or first.action != Action.IDENTIFIED or not any(e.action == Action.SHARED for e in rest):
        raise ValidationError("a new case starts with its identification and carries its sharing")
    person = _apply_person(payload.person, unit, peer)
    person.is_trafficking_victim = True
    person.save(update_fields=["is_trafficking_victim"])
    case = VictimCase.objects.create(
        id=payload.id, reference=payload.reference, origin_node=peer.node_id, person=person, finding_unit=unit,
        finding_country_id=peer.country_id, home_country_id=payload.home_country, exploitation=payload.exploitation,
        indicators=sorted(set(payload.indicators)), found_on=payload.found_on, found_place=payload.found_place,
        found_by=payload.found_by, age_band=payload.age_band, sex=person.sex, review_on=payload.review_on,
    )
    workflow.add_event(VICTIM, case, Action.IDENTIFIED, FINDING, actor_name=first.actor_name,
                       actor_unit=first.actor_unit, at=first.at, event_id=first.id, origin_node=peer.node_id)
    # Steps taken before sharing replay from the identified state; the sharing step moves the copy on.
    for event in rest:
        if event.action == Action.SHARED:
            case.state = VICTIM.steps[Action.SHARED].to_state or case.state
            deadlines.restart(case, event.at)
            case.save(update_fields=["state", "deadline", "deadline_from", "reminded_at", "escalated_at"])
            workflow.add_event(VICTIM, case, Action.SHARED, FINDING, actor_name=event.actor_name,
                               actor_unit=event.actor_unit, from_state=event.from_state, at=event.at,
                               event_id=event.id, origin_node=peer.node_id)
        else:
            workflow.apply_peer_step(VICTIM, case.pk, _incoming(event), peer)
    record(None, "victims.case.received", object_type="victim_case", object_id=case.pk,
           data={"from_node": peer.node_id, "from": unit.code})


@register("victim.event", StepPayload)
def apply_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    if VictimEvent.objects.filter(pk=payload.event.id).exists():
        return
    workflow.apply_peer_step(VICTIM, payload.case, _incoming(payload.event), peer)


class PurgePayload(Strict):
    id: uuid.UUID
    reason: str = Field(max_length=40)


def queue_purge(case: VictimCase) -> bool:
    """Tell the home country's node that the owner purged a case it had shared (in the caller's transaction,
    before the rows go). The envelope names the case only, nothing about the person."""
    if case.origin_node or case.state == CaseState.IDENTIFIED or hosts_country(case.home_country_id):
        return False
    return outbox.enqueue(case.home_country_id, "victim.purged", case.pk, {"id": str(case.pk), "reason": "retention"}) is not None


@register("victim.purged", PurgePayload)
def apply_purge(payload: PurgePayload, peer: Any, envelope: dict[str, Any]) -> None:
    """The owner purged its case: remove the copy here, with its timeline and consents, and the copy of the
    person unless something else here refers to it. Audited here as on the owner's node; a copy already gone
    changes nothing."""
    from borderlink.notices.federation import remove_copy_of_person

    case = VictimCase.objects.filter(pk=payload.id).select_related("person").first()
    if case is None:
        return
    if case.origin_node != peer.node_id:
        raise ValidationError("that case belongs to another node")
    person = case.person
    record(None, "victims.case.purged", object_type="victim_case", object_id=case.pk,
           data={"from_node": peer.node_id, "reference": case.reference, "reason": payload.reason, "copy": True})
    case.delete()
    if not VictimCase.objects.filter(person=person).exists():
        remove_copy_of_person(person, "owner_purged", {"from_node": peer.node_id, "victim_case": str(payload.id)})
