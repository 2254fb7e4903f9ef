"""Conferences, delegations and study visits, training exchanges across nodes: the node that records one writes
it and sends it to the other parties' nodes, which hold a copy under the same `uid` (so every party's review counts
the same records). The parties: of the ministerial conference, the three member countries; of a visit, the visiting
and the host country; of a training exchange, the hosting country and every country with participants.

The payloads are strict (known fields only, exact types, bounded), and checked again on receipt as a planner's
input is: a peer speaks only for its own country (a record its country is a party to), dates in order, a
conference held in its year and not already recorded under another id, counts in range. Statement points link only
to plan items this node holds; nothing in a payload becomes a lookup other than an id or a code from a fixed list.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import Field

from borderlink.audit.services import record
from borderlink.federation import outbox, schema
from borderlink.federation.registry import register
from borderlink.federation.schema import Strict
from borderlink.plans.models import ROTATION, Conference, Delegate, Item, StatementPoint, Training, Visit, VisitKind

CountryCode = Literal["VN", "LA", "KH"]
CONFERENCE, VISIT, TRAINING = "plans.conference", "plans.visit", "plans.training"


class PersonPayload(Strict):
    name: schema.text(200, 1)  # type: ignore[valid-type]
    rank: schema.text(100) = ""  # type: ignore[valid-type]
    role: schema.text(100) = ""  # type: ignore[valid-type]


class DelegatePayload(PersonPayload):
    country: CountryCode


class PointPayload(Strict):
    number: int = Field(ge=1, le=40)
    text: schema.text(5000, 1)  # type: ignore[valid-type]
    items: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class ConferencePayload(Strict):
    uid: uuid.UUID
    year: int = Field(ge=2000, le=2199)
    host: CountryCode
    out_of_turn_reason: schema.text(2000) = ""  # type: ignore[valid-type]
    place: schema.text(200, 1)  # type: ignore[valid-type]
    starts_on: datetime.date
    ends_on: datetime.date
    statement_text: schema.text(50_000) = ""  # type: ignore[valid-type]
    delegates: list[DelegatePayload] = Field(default_factory=list, max_length=60)
    points: list[PointPayload] = Field(default_factory=list, max_length=40)


class VisitPayload(Strict):
    uid: uuid.UUID
    kind: VisitKind
    from_country: CountryCode
    to_country: CountryCode
    starts_on: datetime.date
    ends_on: datetime.date
    purpose: schema.text(5000, 1)  # type: ignore[valid-type]
    report: schema.text(50_000) = ""  # type: ignore[valid-type]
    members: list[PersonPayload] = Field(min_length=1, max_length=60)


class TrainingPayload(Strict):
    uid: uuid.UUID
    title: schema.text(300, 1)  # type: ignore[valid-type]
    host: CountryCode
    starts_on: datetime.date
    ends_on: datetime.date
    courses: list[schema.text(300, 1)] = Field(min_length=1, max_length=30)  # type: ignore[valid-type]
    participants: dict[CountryCode, int] = Field(max_length=3)
    outcome: schema.text(20_000) = ""  # type: ignore[valid-type]


# --- the parties ---------------------------------------------------------------------------------------------


def conference_parties(conference: Conference) -> set[str]:
    return set(ROTATION)


def visit_parties(visit: Visit) -> set[str]:
    return {visit.from_country_id, visit.to_country_id}


def training_parties(training: Training) -> set[str]:
    return {training.host_id, *(c for c, n in training.participants.items() if n)}


def _send(kind: str, parties: set[str], uid: Any, payload: dict[str, Any]) -> list[str]:
    """Queue the record to every other party's node (none for a country hosted here); the countries sent to."""
    sent = []
    for country in sorted(parties - {settings.NODE_COUNTRY}):
        if outbox.enqueue(country, kind, uid, payload) is not None:
            sent.append(country)
    return sent


def send_conference(conference: Conference) -> list[str]:
    payload = {
        "uid": str(conference.uid), "year": conference.year, "host": conference.host_id,
        "out_of_turn_reason": conference.out_of_turn_reason, "place": conference.place,
        "starts_on": conference.starts_on.isoformat(), "ends_on": conference.ends_on.isoformat(),
        "statement_text": conference.statement_text,
        "delegates": [{"country": d.country_id, "name": d.name, "rank": d.rank, "role": d.role}
                      for d in conference.delegates.all()],
        "points": [{"number": p.number, "text": p.text, "items": [str(i) for i in p.items.values_list("pk", flat=True)]}
                   for p in conference.points.all()],
    }
    return _send(CONFERENCE, conference_parties(conference), conference.uid, payload)


def send_visit(visit: Visit) -> list[str]:
    payload = {"uid": str(visit.uid), "kind": visit.kind, "from_country": visit.from_country_id,
               "to_country": visit.to_country_id, "starts_on": visit.starts_on.isoformat(),
               "ends_on": visit.ends_on.isoformat(), "purpose": visit.purpose, "report": visit.report,
               "members": [{k: m.get(k, "") for k in ("name", "rank", "role")} for m in visit.members]}
    return _send(VISIT, visit_parties(visit), visit.uid, payload)


def send_training(training: Training) -> list[str]:
    payload = {"uid": str(training.uid), "title": training.title, "host": training.host_id,
               "starts_on": training.starts_on.isoformat(), "ends_on": training.ends_on.isoformat(),
               "courses": list(training.courses), "participants": dict(training.participants), "outcome": training.outcome}
    return _send(TRAINING, training_parties(training), training.uid, payload)


# --- receiving -----------------------------------------------------------------------------------------------


def _party(peer: Any, parties: set[str], what: str) -> None:
    """A peer speaks only for its own country: the record must be one its country is a party to, and one
    this node's country is a party to (else it has no business here)."""
    if peer.country_id not in parties:
        raise ValidationError(f"a {what} the sending country is not a party to")
    if settings.NODE_COUNTRY not in parties:
        raise ValidationError(f"a {what} this node's country is not a party to")


def _dates(starts: datetime.date, ends: datetime.date) -> None:
    if ends < starts:
        raise ValidationError("the end is before the start")


def _held(model: Any, uid: uuid.UUID, peer: Any) -> bool:
    """True when the record is already here (a retried envelope); a record of that id from another node is refused."""
    found = model.objects.filter(uid=uid).values_list("origin_node", flat=True).first()
    if found is None:
        return False
    if found != peer.node_id:
        raise ValidationError("a record of that id is held from another node")
    return True


@register(CONFERENCE, ConferencePayload)
def apply_conference(payload: ConferencePayload, peer: Any, envelope: dict[str, Any]) -> None:
    if _held(Conference, payload.uid, peer):
        return
    _party(peer, set(ROTATION), "conference")
    _dates(payload.starts_on, payload.ends_on)
    if payload.starts_on.year != payload.year:
        raise ValidationError("a conference is held in its year")
    if Conference.objects.filter(year=payload.year).exists():
        raise ValidationError(f"the conference of {payload.year} is already recorded here")
    numbers = [p.number for p in payload.points]
    if len(set(numbers)) != len(numbers):
        raise ValidationError("a statement point twice")
    with transaction.atomic():
        conference = Conference.objects.create(
            uid=payload.uid, origin_node=peer.node_id, year=payload.year, host_id=payload.host,
            out_of_turn_reason=payload.out_of_turn_reason, place=payload.place, starts_on=payload.starts_on,
            ends_on=payload.ends_on, statement_text=payload.statement_text)
        Delegate.objects.bulk_create([Delegate(conference=conference, country_id=d.country, name=d.name, rank=d.rank,
                                               role=d.role) for d in payload.delegates])
        for point in payload.points:
            row = StatementPoint.objects.create(conference=conference, number=point.number, text=point.text)
            row.items.set(Item.objects.filter(pk__in=[str(i) for i in point.items]))  # the items held here
        record(None, "plans.conference.received", object_type="conference", object_id=conference.pk,
               data={"from_node": peer.node_id, "year": payload.year})


@register(VISIT, VisitPayload)
def apply_visit(payload: VisitPayload, peer: Any, envelope: dict[str, Any]) -> None:
    if _held(Visit, payload.uid, peer):
        return
    if payload.from_country == payload.to_country:
        raise ValidationError("a visit between two member countries")
    _party(peer, {payload.from_country, payload.to_country}, "visit")
    _dates(payload.starts_on, payload.ends_on)
    with transaction.atomic():
        visit = Visit.objects.create(
            uid=payload.uid, origin_node=peer.node_id, kind=payload.kind, from_country_id=payload.from_country,
            to_country_id=payload.to_country, starts_on=payload.starts_on, ends_on=payload.ends_on,
            purpose=payload.purpose, report=payload.report,
            members=[{"name": m.name, "rank": m.rank, "role": m.role} for m in payload.members])
        record(None, "plans.visit.received", object_type="visit", object_id=visit.pk, data={"from_node": peer.node_id})


@register(TRAINING, TrainingPayload)
def apply_training(payload: TrainingPayload, peer: Any, envelope: dict[str, Any]) -> None:
    from borderlink.plans.conferences import PARTICIPANTS_MAX

    if _held(Training, payload.uid, peer):
        return
    participants = {str(c): n for c, n in payload.participants.items()}
    if any(isinstance(n, bool) or not 0 <= n <= PARTICIPANTS_MAX for n in participants.values()) \
            or not any(participants.values()):
        raise ValidationError("participants out of range")
    _party(peer, {payload.host, *(c for c, n in participants.items() if n)}, "training exchange")
    _dates(payload.starts_on, payload.ends_on)
    with transaction.atomic():
        training = Training.objects.create(
            uid=payload.uid, origin_node=peer.node_id, title=payload.title, host_id=payload.host,
            courses=list(payload.courses), participants=participants, starts_on=payload.starts_on,
            ends_on=payload.ends_on, outcome=payload.outcome)
        record(None, "plans.training.received", object_type="training", object_id=training.pk,
               data={"from_node": peer.node_id})
