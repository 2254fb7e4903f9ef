"""Joint cases across nodes. Each kind has a strict, bounded schema; what a peer sends is re-validated as a
person's input is, and a peer speaks only for what its country owns:

- `case.invited` (lead -> invited unit's node): the invitation only: reference, offence, lead unit, message,
  handling code. Nothing of the case.
- `case.invitation.event` (invited -> lead): accepted or declined (through `workflow.apply_peer_step`).
- `case.opened` (lead -> a country whose unit accepted): the case, who takes part, its timeline, and the lead
  country's shared items.
- `case.participants` (lead -> the other participating countries): who takes part now; each of those nodes then
  sends its own shared items to a country that joined.
- `case.event` (lead -> participants): suspended, resumed, closed.
- `case.item` (owner -> every other participating country): one shared entity, link or note. A private item
  never gets an envelope (`queue_item` refuses one).
- `case.task`, `case.task.event`: a task between the assigning and the assigned unit's nodes.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import Field

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.cases import items as case_items
from borderlink.cases.models import (
    Case,
    CaseAction,
    CaseState,
    Entity,
    EntityKind,
    Link,
    Note,
    Outcome,
    Participant,
    ParticipantAction,
    ParticipantState,
    Task,
    TaskAction,
)
from borderlink.cases.workflow import CASE, INVITATION, TASK, TEXT_MAX
from borderlink.core.models import BorderGate, Unit
from borderlink.exchange.attachments import decode_files, storage_path
from borderlink.exchange.models import HandlingCode
from borderlink.federation import outbox
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.federation.schema import Moment, Strict
from borderlink.notices.federation import PersonPayload, _apply_person, _person_payload
from borderlink.notices.models import Offence

Scalar = str | int | float | bool | None


class EventPayload(Strict):
    id: uuid.UUID
    at: Moment
    actor_name: str = Field(default="", max_length=200)
    actor_unit: str = Field(default="", max_length=60)
    action: str = Field(max_length=20)
    side: str = Field(default="", max_length=12)
    from_state: str = Field(default="", max_length=10)
    text: str = Field(default="", max_length=TEXT_MAX)
    data: dict[str, Scalar] = Field(default_factory=dict, max_length=10)


class ParticipantRow(Strict):
    id: uuid.UUID
    unit: str = Field(max_length=60)
    state: str = Field(max_length=10)


class InvitedPayload(Strict):
    id: uuid.UUID
    case_key: uuid.UUID
    unit: str = Field(max_length=60)
    lead_unit: str = Field(max_length=60)
    reference: str = Field(max_length=40)
    offence: str = Field(max_length=40)
    handling_code: str = Field(max_length=2)
    message: str = Field(default="", max_length=2000)
    events: list[EventPayload] = Field(max_length=5)


class GateKey(Strict):
    side_a_country: str = Field(max_length=2)
    side_a_name: str = Field(max_length=120)
    side_b_country: str = Field(max_length=2)


class EntityPayload(Strict):
    id: uuid.UUID
    unit: str = Field(max_length=60)
    author_name: str = Field(default="", max_length=200)
    created_at: Moment
    kind: str = Field(max_length=12)
    label: str = Field(default="", max_length=200)
    qualifier: str = Field(default="", max_length=60)
    value: str = Field(default="", max_length=120)
    details: str = Field(default="", max_length=TEXT_MAX)
    person: PersonPayload | None = None
    role: str = Field(default="", max_length=10)
    gate: GateKey | None = None


class LinkPayload(Strict):
    id: uuid.UUID
    unit: str = Field(max_length=60)
    author_name: str = Field(default="", max_length=200)
    created_at: Moment
    kind: str = Field(max_length=20)
    source: uuid.UUID
    target: uuid.UUID
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    amount: decimal.Decimal | None = Field(default=None, max_digits=16, decimal_places=2)
    currency: str = Field(default="", max_length=3)
    information_source: str = Field(max_length=200)


class FilePayload(Strict):
    filename: str = Field(max_length=200)
    content_base64: str = Field(max_length=15_000_000)


class NotePayload(Strict):
    id: uuid.UUID
    unit: str = Field(max_length=60)
    author_name: str = Field(default="", max_length=200)
    created_at: Moment
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    files: list[FilePayload] = Field(default_factory=list, max_length=10)


class ItemPayload(Strict):
    type: Literal["entity", "link", "note"]
    entity: EntityPayload | None = None
    link: LinkPayload | None = None
    note: NotePayload | None = None


class CaseHeader(Strict):
    id: uuid.UUID
    reference: str = Field(max_length=40)
    title: str = Field(min_length=1, max_length=200)
    offence: str = Field(max_length=40)
    legal_basis: str = Field(max_length=300)
    handling_code: str = Field(max_length=2)
    summary: str = Field(default="", max_length=TEXT_MAX)
    lead_unit: str = Field(max_length=60)
    state: str = Field(max_length=10)
    outcome: str = Field(default="", max_length=12)
    participants: list[ParticipantRow] = Field(max_length=30)


class OpenedPayload(Strict):
    case: CaseHeader
    events: list[EventPayload] = Field(max_length=500)
    items: list[ItemPayload] = Field(max_length=20_000)


class ParticipantsPayload(Strict):
    case: CaseHeader


class ItemEnvelope(Strict):
    case: uuid.UUID
    item: ItemPayload


class StepPayload(Strict):
    case: uuid.UUID | None = None
    participant: uuid.UUID | None = None
    task: uuid.UUID | None = None
    event: EventPayload


class TaskPayload(Strict):
    id: uuid.UUID
    case: uuid.UUID
    assigning_unit: str = Field(max_length=60)
    assigned_unit: str = Field(max_length=60)
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=TEXT_MAX)
    sent_at: Moment
    deadline: Moment
    events: list[EventPayload] = Field(max_length=5)


# --- what leaves ---------------------------------------------------------------------------------------------------


def _event(event: Any) -> dict[str, Any]:
    return {"id": str(event.pk), "at": event.at.isoformat(), "actor_name": event.actor_name, "actor_unit": event.actor_unit,
            "action": event.action, "side": event.side, "from_state": event.from_state, "text": event.text, "data": event.data}


def _header(case: Case) -> dict[str, Any]:
    rows = Participant.objects.filter(case_key=case.pk).exclude(state=ParticipantState.INVITED).select_related("unit")
    return {"id": str(case.pk), "reference": case.reference, "title": case.title, "offence": case.offence,
            "legal_basis": case.legal_basis, "handling_code": case.handling_code, "summary": case.summary,
            "lead_unit": case.lead_unit.code, "state": case.state, "outcome": case.outcome,
            "participants": [{"id": str(p.pk), "unit": p.unit.code, "state": p.state} for p in rows]}


def item_payload(kind: str, item: Any) -> dict[str, Any]:
    """A shared item as it crosses; refuses a private one (it never leaves its node)."""
    if not item.shared:
        raise ValueError("a private item never leaves its node")
    base = {"id": str(item.pk), "unit": item.unit.code, "author_name": item.author_name, "created_at": item.created_at.isoformat()}
    if kind == "entity":
        gate = item.gate
        person = None
        if item.person_id:
            person = _person_payload(item.person)
            person["photos"] = []
        return {"type": "entity", "entity": {**base, "kind": item.kind, "label": item.label, "qualifier": item.qualifier,
                                             "value": item.value, "details": item.details, "person": person, "role": item.role,
                                             "gate": {"side_a_country": gate.side_a_country_id, "side_a_name": gate.side_a_name,
                                                      "side_b_country": gate.side_b_country_id} if gate else None}}
    if kind == "link":
        return {"type": "link", "link": {**base, "kind": item.kind, "source": str(item.source_id), "target": str(item.target_id),
                                         "first_date": item.first_date.isoformat() if item.first_date else None,
                                         "last_date": item.last_date.isoformat() if item.last_date else None,
                                         "amount": str(item.amount) if item.amount is not None else None,
                                         "currency": item.currency, "information_source": item.information_source}}
    import base64

    return {"type": "note", "note": {**base, "text": item.text, "files": [
        {"filename": f.filename, "content_base64": base64.b64encode(storage_path(f.storage_name).read_bytes()).decode("ascii")}
        for f in item.files.all()]}}


def taking_part_countries(case: Case) -> set[str]:
    return set(Participant.objects.filter(case_key=case.pk, state__in=(ParticipantState.LEAD, ParticipantState.ACCEPTED))
               .values_list("unit__country_id", flat=True))


def queue_item(case: Case, kind: str, item: Any, countries: set[str] | None = None) -> int:
    """Send a shared item to every other participating country's node (or to `countries`)."""
    payload = {"case": str(case.pk), "item": item_payload(kind, item)}
    sent = 0
    for country in sorted((countries if countries is not None else taking_part_countries(case)) - {item.owner_country_id}):
        if not hosts_country(country) and outbox.enqueue(country, "case.item", item.pk, payload) is not None:
            sent += 1
    return sent


def queue_invitation(participant: Participant) -> bool:
    country = participant.unit.country_id
    if hosts_country(country):
        return False
    payload = {"id": str(participant.pk), "case_key": str(participant.case_key), "unit": participant.unit.code,
               "lead_unit": participant.lead_unit.code, "reference": participant.reference, "offence": participant.offence,
               "handling_code": participant.handling_code, "message": participant.message,
               "events": [_event(e) for e in participant.events.all()]}
    return outbox.enqueue(country, "case.invited", participant.pk, payload) is not None


def _own_shared_items(case: Case, country: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for kind, qs in (("entity", case.entities.select_related("unit", "gate", "person")), ("link", case.links.select_related("unit")),
                     ("note", case.notes.select_related("unit"))):
        out.extend(item_payload(kind, item) for item in qs.filter(shared=True, owner_country_id=country))
    return out


def queue_opened(case: Case, country: str) -> bool:
    """The case, its timeline and the lead country's shared items, to a country whose unit accepted."""
    if hosts_country(country):
        return False
    local_steps = [a for a, s in CASE.steps.items() if s.local] + [CaseAction.CREATED]
    payload = {"case": _header(case), "events": [_event(e) for e in case.events.exclude(action__in=local_steps)],
               "items": _own_shared_items(case, case.lead_unit.country_id)}
    return outbox.enqueue(country, "case.opened", case.pk, payload) is not None


def queue_participants(case: Case, exclude: set[str]) -> int:
    sent = 0
    for country in sorted(taking_part_countries(case) - {case.lead_unit.country_id} - exclude):
        if not hosts_country(country) and outbox.enqueue(country, "case.participants", case.pk, {"case": _header(case)}):
            sent += 1
    return sent


def queue_task(task: Task) -> bool:
    country = task.assigned_unit.country_id
    if hosts_country(country):
        return False
    payload = {"id": str(task.pk), "case": str(task.case_id), "assigning_unit": task.assigning_unit.code,
               "assigned_unit": task.assigned_unit.code, "title": task.title, "text": task.text,
               "sent_at": task.sent_at.isoformat(), "deadline": task.deadline.isoformat(),
               "events": [_event(e) for e in task.events.all()]}
    return outbox.enqueue(country, "case.task", task.pk, payload) is not None


# --- what arrives --------------------------------------------------------------------------------------------------


def _unit(code: str, country: str | None = None) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None or (country is not None and unit.country_id != country):
        raise ValidationError(f"unknown unit {code[:60]}")
    return unit


def _incoming(data: EventPayload) -> workflow.Incoming:
    return workflow.Incoming(id=data.id, at=data.at, action=data.action, side=data.side or None, from_state=data.from_state,
                             actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text, data=dict(data.data))


def _store_event(wf: workflow.Workflow, obj: Any, data: EventPayload, peer: Any) -> None:
    if wf.event_model._default_manager.filter(pk=data.id).exists():
        return
    workflow.add_event(wf, obj, data.action, data.side, actor_name=data.actor_name, actor_unit=data.actor_unit or "-",
                       from_state=data.from_state, text=data.text, data=dict(data.data), at=data.at, event_id=data.id,
                       origin_node=peer.node_id)


@register("case.invited", InvitedPayload)
def apply_invited(payload: InvitedPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """An invitation for a unit this node serves, from the lead's node."""
    existing = Participant.objects.filter(pk=payload.id).first()
    if existing is not None:
        if existing.origin_node != peer.node_id:
            raise ValidationError("that invitation belongs to another node")
        return
    lead = _unit(payload.lead_unit, peer.country_id)
    unit = _unit(payload.unit)
    if not hosts_country(unit.country_id) or unit.country_id == peer.country_id:
        raise ValidationError("the invited unit is not served by this node")
    if payload.offence not in Offence.values or payload.handling_code not in HandlingCode.values:
        raise ValidationError("unknown offence or handling code")
    if any(e.action != ParticipantAction.INVITED for e in payload.events):
        raise ValidationError("an invitation carries only its sending")
    participant = Participant.objects.create(
        id=payload.id, case_key=payload.case_key, unit=unit, lead_unit=lead, reference=payload.reference,
        offence=payload.offence, handling_code=payload.handling_code, message=payload.message,
        state=ParticipantState.PENDING, origin_node=peer.node_id)
    for event in payload.events:
        _store_event(INVITATION, participant, event, peer)
    record(None, "cases.invitation.received", object_type="case_invitation", object_id=participant.pk,
           data={"from_node": peer.node_id, "unit": unit.code, "lead": lead.code})


@register("case.invitation.event", StepPayload)
def apply_invitation_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """The invited unit's answer, on the lead's node; an acceptance opens and sends the case."""
    from borderlink.cases.services import after_answer

    if payload.participant is None:
        raise ValidationError("participant missing")
    event = workflow.apply_peer_step(INVITATION, payload.participant, _incoming(payload.event), peer)
    participant = Participant.objects.select_related("unit", "lead_unit").get(pk=payload.participant)
    if event is not None and not participant.origin_node:
        after_answer(participant)


def _check_header(header: CaseHeader, peer: Any) -> Unit:
    lead = _unit(header.lead_unit, peer.country_id)
    if header.offence not in Offence.values or header.handling_code not in HandlingCode.values:
        raise ValidationError("unknown offence or handling code")
    if header.state not in CaseState.values or (header.outcome and header.outcome not in Outcome.values):
        raise ValidationError("unknown state or outcome")
    return lead


def _apply_header(header: CaseHeader, peer: Any, create: bool) -> tuple[Case, set[str]]:
    """Store the case's header and who takes part; returns the case and the countries that take part now and
    did not before (on this node's knowledge)."""
    lead = _check_header(header, peer)
    case = Case.objects.select_for_update().filter(pk=header.id).first()
    if case is not None and case.origin_node != peer.node_id:
        raise ValidationError("that case belongs to another node")
    if case is None and not create:
        raise ValidationError("unknown case")
    before = taking_part_countries(case) if case is not None else set()
    fields = {"reference": header.reference, "title": header.title, "offence": header.offence, "legal_basis": header.legal_basis,
              "handling_code": header.handling_code, "summary": header.summary, "lead_unit": lead}
    if case is None:
        case = Case.objects.create(id=header.id, origin_node=peer.node_id, state=header.state, outcome=header.outcome, **fields)
    else:
        for key, value in fields.items():
            setattr(case, key, value)
        case.save()
    for row in header.participants:
        if row.state not in (ParticipantState.LEAD, ParticipantState.PENDING, ParticipantState.ACCEPTED, ParticipantState.DECLINED):
            raise ValidationError("unknown participant state")
        unit = _unit(row.unit)
        found = Participant.objects.filter(case_key=case.pk, unit=unit).first()
        if found is not None and found.pk != row.id:
            raise ValidationError("participant id mismatch")
        if found is None:
            Participant.objects.create(id=row.id, case_key=case.pk, case=case, unit=unit, lead_unit=lead, reference=case.reference,
                                       offence=case.offence, handling_code=case.handling_code, state=row.state,
                                       origin_node=peer.node_id)
        elif found.origin_node == peer.node_id:
            Participant.objects.filter(pk=found.pk).update(case=case, state=row.state)
    return case, taking_part_countries(case) - before


@register("case.opened", OpenedPayload)
def apply_opened(payload: OpenedPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """The case, for a country whose unit accepted: header, who takes part, timeline, the lead's shared items."""
    accepted_here = [r for r in payload.case.participants if r.state == ParticipantState.ACCEPTED]
    units = Unit.objects.filter(code__in=[r.unit for r in accepted_here])
    if not any(hosts_country(u.country_id) and u.country_id != peer.country_id for u in units):
        raise ValidationError("no unit of this node takes part in that case")
    case, _new = _apply_header(payload.case, peer, create=True)
    for event in payload.events:
        if event.action not in CaseAction.values or (event.action in CASE.steps and CASE.steps[event.action].local):
            raise ValidationError("a local step cannot cross")
        _store_event(CASE, case, event, peer)
    for item in payload.items:
        apply_item_data(case, item, peer)
    record(None, "cases.case.received", object_type="case", object_id=case.pk,
           data={"from_node": peer.node_id, "items": len(payload.items)})


@register("case.participants", ParticipantsPayload)
def apply_participants(payload: ParticipantsPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Who takes part now; this node sends its own shared items to a country that joined."""
    from django.conf import settings

    case, new = _apply_header(payload.case, peer, create=False)
    mine = settings.NODE_COUNTRY
    for country in new - {mine}:
        for kind, qs in (("entity", case.entities), ("link", case.links), ("note", case.notes)):
            for item in qs.filter(shared=True, owner_country_id=mine):
                queue_item(case, kind, item, countries={country})


@register("case.event", StepPayload)
def apply_case_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    if payload.case is None:
        raise ValidationError("case missing")
    data = payload.event
    if data.action == CaseAction.CLOSED and data.data.get("outcome") not in Outcome.values:
        raise ValidationError("closing needs an outcome")
    workflow.apply_peer_step(CASE, payload.case, _incoming(data), peer)


@register("case.item", ItemEnvelope)
def apply_item(payload: ItemEnvelope, peer: Any, envelope: dict[str, Any]) -> None:
    case = Case.objects.filter(pk=payload.case).first()
    if case is None:
        raise ValidationError("unknown case (the case may still be on its way: the sender retries)")
    if peer.country_id not in taking_part_countries(case):
        raise ValidationError("that country does not take part in the case")
    apply_item_data(case, payload.item, peer)


def _item_base(case: Case, model: Any, data: Any, peer: Any) -> dict[str, Any] | None:
    existing = model.objects.filter(pk=data.id).first()
    if existing is not None:
        if existing.origin_node != peer.node_id or existing.case_id != case.pk:
            raise ValidationError("that item belongs to another node or case")
        return None
    unit = _unit(data.unit, peer.country_id)
    return {"id": data.id, "case": case, "owner_country_id": peer.country_id, "unit": unit, "author_name": data.author_name,
            "shared": True, "origin_node": peer.node_id, "created_at": data.created_at}


def apply_item_data(case: Case, item: ItemPayload, peer: Any) -> None:
    """A shared item owned by the peer's country, re-validated as local input is."""
    from borderlink.cases.tasks import correlate_entity

    if item.type == "entity" and item.entity is not None:
        data = item.entity
        base = _item_base(case, Entity, data, peer)
        if base is None:
            return
        gate = None
        if data.gate is not None:
            gate = BorderGate.objects.filter(side_a_country_id=data.gate.side_a_country, side_a_name=data.gate.side_a_name,
                                             side_b_country_id=data.gate.side_b_country).first()
            if gate is None:
                raise ValidationError("unknown border gate")
        if data.kind not in EntityKind.values:
            raise ValidationError("unknown entity kind")
        checked = case_items.entity_fields(data.kind, data.value, data.qualifier, data.label, None, peer.country_id, gate_obj=gate)
        if checked.value != data.value:
            raise ValidationError("the identifier is not in its normalised form")
        person = None
        if data.kind == EntityKind.PERSON:
            if data.person is None or data.person.is_trafficking_victim:
                raise ValidationError("a person entity carries a person, never a victim")
            # re-validated here as local input: a person this node knows as a trafficking victim is never a suspect
            if refused := case_items.role_errors(data.role, data.person):
                raise ValidationError("; ".join(m for messages in refused.values() for m in messages)[:300])
        elif data.role:
            raise ValidationError("only a person has a role")
            person = _apply_person(data.person, base["unit"], peer)
        entity = Entity.objects.create(**base, kind=data.kind, label=(data.label or checked.label)[:200], qualifier=checked.qualifier,
                                       value=checked.value, person=person, gate=checked.gate, details=data.details,
                                       role=data.role)
        transaction.on_commit(lambda: correlate_entity.enqueue(str(entity.pk)))
    elif item.type == "link" and item.link is not None:
        data_l = item.link
        base = _item_base(case, Link, data_l, peer)
        if base is None:
            return
        source = case.entities.filter(pk=data_l.source, shared=True).first()
        target = case.entities.filter(pk=data_l.target, shared=True).first()
        errors = case_items.link_errors(case, data_l.kind, source, target, True, data_l.first_date, data_l.last_date, data_l.amount,
                                        data_l.currency, data_l.information_source)
        if errors or source is None or target is None:
            raise ValidationError(str(errors)[:500])
        Link.objects.create(**base, kind=data_l.kind, source=source, target=target, first_date=data_l.first_date,
                            last_date=data_l.last_date, amount=data_l.amount, currency=data_l.currency,
                            information_source=data_l.information_source)
    elif item.type == "note" and item.note is not None:
        data_n = item.note
        base = _item_base(case, Note, data_n, peer)
        if base is None:
            return
        files = decode_files(data_n.files, "files")
        note = Note.objects.create(**base, text=data_n.text)
        case_items.store_files(note, files)
    else:
        raise ValidationError("the item's body is missing")


@register("case.task", TaskPayload)
def apply_task(payload: TaskPayload, peer: Any, envelope: dict[str, Any]) -> None:
    if Task.objects.filter(pk=payload.id).exists():
        return
    case = Case.objects.filter(pk=payload.case).first()
    if case is None:
        raise ValidationError("unknown case")
    assigning = _unit(payload.assigning_unit, peer.country_id)
    assigned = _unit(payload.assigned_unit)
    if not hosts_country(assigned.country_id) or not Participant.objects.filter(
            case_key=case.pk, unit=assigned, state=ParticipantState.ACCEPTED).exists():
        raise ValidationError("the assigned unit does not take part here")
    if any(e.action != TaskAction.ASSIGNED for e in payload.events):
        raise ValidationError("a new task carries only its assignment")
    task = Task.objects.create(id=payload.id, case=case, assigning_unit=assigning, assigned_unit=assigned, title=payload.title,
                               text=payload.text, sent_at=payload.sent_at, deadline=payload.deadline, origin_node=peer.node_id)
    for event in payload.events:
        _store_event(TASK, task, event, peer)


@register("case.task.event", StepPayload)
def apply_task_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    if payload.task is None:
        raise ValidationError("task missing")
    workflow.apply_peer_step(TASK, payload.task, _incoming(payload.event), peer)

