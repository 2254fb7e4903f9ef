"""Notices across nodes: the issuing node sends a snapshot of a shared notice
(and its subject) to the node of each country it is shared with whenever its
state changes; copies there are read-only and follow the origin's versions."""

from __future__ import annotations

import base64
import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import BaseModel, Field

from borderlink.audit.services import record
from borderlink.core.models import Country, Unit
from borderlink.exchange.attachments import check_file, storage_path, store
from borderlink.exchange.models import HandlingCode
from borderlink.federation import outbox
from borderlink.federation.registry import SEARCH, register
from borderlink.notices.models import Notice, NoticeKind, NoticeState, Offence
from borderlink.persons import name_index
from borderlink.persons.models import IdentityDocument, Person, PersonName, PersonPhoto, detect_script, normalise_document_number


class NamePayload(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str


class DocumentPayload(BaseModel):
    doc_type: str
    number: str = Field(max_length=60)
    issuing_country: str = Field(max_length=2)


class PhotoPayload(BaseModel):
    filename: str = Field(max_length=200)
    content_base64: str


class PersonPayload(BaseModel):
    id: uuid.UUID
    names: list[NamePayload] = Field(min_length=1, max_length=20)
    sex: str
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    place_of_birth: str = ""
    nationalities: list[str] = Field(default_factory=list)
    documents: list[DocumentPayload] = Field(default_factory=list)
    distinguishing_marks: str = ""
    is_refugee: bool = False
    refugee_from: str | None = None
    is_trafficking_victim: bool = False
    is_minor: bool = False
    photos: list[PhotoPayload] = Field(default_factory=list, max_length=3)


class NoticePayload(BaseModel):
    id: uuid.UUID
    version: int = Field(ge=1)
    kind: str
    state: str
    resolution: str = ""
    offence: str = ""
    warrant_number: str = ""
    issuing_authority: str = ""
    warrant_date: datetime.date | None = None
    max_penalty_years: int | None = None
    summary: str = Field(max_length=10_000)
    issuing_unit: str
    shared_with: list[str]
    handling_code: str
    review_date: datetime.date
    published_at: datetime.datetime | None = None
    subject: PersonPayload


def _person_payload(person: Person) -> dict[str, Any]:
    return {
        "id": str(person.pk),
        "names": [{"name": n.name, "kind": n.kind} for n in person.names.all()],
        "sex": person.sex,
        "birth_year": person.birth_year, "birth_month": person.birth_month, "birth_day": person.birth_day,
        "place_of_birth": person.place_of_birth,
        "nationalities": [c.code for c in person.nationalities.all()],
        "documents": [{"doc_type": d.doc_type, "number": d.number, "issuing_country": d.issuing_country_id} for d in person.documents.all()],
        "distinguishing_marks": person.distinguishing_marks,
        "is_refugee": person.is_refugee, "refugee_from": person.refugee_from_id,
        "is_trafficking_victim": person.is_trafficking_victim, "is_minor": person.is_minor,
        "photos": [
            {"filename": p.filename, "content_base64": base64.b64encode(storage_path(p.storage_name).read_bytes()).decode("ascii")}
            for p in person.photos.all()[:3]
        ],
    }


def queue_snapshot(notice: Notice) -> int:
    """Bump the version and send the notice to every country it is shared with that another node serves.
    Only a published notice (or one that was) travels; drafts never leave."""
    if notice.origin_node and notice.origin_node != settings.NODE_NAME:
        return 0
    if notice.published_at is None:
        return 0
    Notice.objects.filter(pk=notice.pk).update(version=notice.version + 1)
    notice.version += 1
    payload: dict[str, Any] = {
        "id": str(notice.pk), "version": notice.version, "kind": notice.kind, "state": notice.state,
        "resolution": notice.resolution, "offence": notice.offence, "warrant_number": notice.warrant_number,
        "issuing_authority": notice.issuing_authority,
        "warrant_date": notice.warrant_date.isoformat() if notice.warrant_date else None,
        "max_penalty_years": notice.max_penalty_years, "summary": notice.summary,
        "issuing_unit": notice.issuing_unit.code, "shared_with": [c.code for c in notice.shared_with.all()],
        "handling_code": notice.handling_code, "review_date": notice.review_date.isoformat(),
        "published_at": notice.published_at.isoformat() if notice.published_at else None,
        "subject": _person_payload(notice.subject),
    }
    sent = 0
    for country in payload["shared_with"]:
        if outbox.enqueue(country, "notice.snapshot", notice.pk, payload, version=notice.version) is not None:
            sent += 1
    return sent


def _apply_person(data: PersonPayload, unit: Unit, peer: Any) -> Person:
    person = Person.objects.filter(pk=data.id).first()
    if person is not None and person.origin_node != peer.node_id:
        raise ValidationError("that person belongs to another node")
    known = set(Country.objects.values_list("code", flat=True))
    if person is None:
        person = Person(id=data.id, origin_node=peer.node_id)
    person.recorded_by_unit = unit
    person.sex = data.sex if data.sex in ("M", "F", "U") else "U"
    person.birth_year, person.birth_month, person.birth_day = data.birth_year, data.birth_month, data.birth_day
    person.place_of_birth = data.place_of_birth[:200]
    person.distinguishing_marks = data.distinguishing_marks
    person.is_refugee = data.is_refugee
    person.refugee_from_id = data.refugee_from if data.refugee_from in known else None
    person.is_trafficking_victim = data.is_trafficking_victim
    person.is_minor = data.is_minor
    person.save()
    person.nationalities.set([c for c in data.nationalities if c in known])  # type: ignore[misc]  # codes are the keys
    person.names.all().delete()
    PersonName.objects.bulk_create([PersonName(person=person, name=n.name, kind=n.kind, script=detect_script(n.name)) for n in data.names])
    person.documents.all().delete()
    IdentityDocument.objects.bulk_create([
        IdentityDocument(person=person, doc_type=d.doc_type, number=d.number, number_normalised=normalise_document_number(d.number),
                         issuing_country_id=d.issuing_country)
        for d in data.documents if d.issuing_country in known
    ])
    person.photos.all().delete()
    for photo in data.photos:
        checked = check_file(photo.filename, base64.b64decode(photo.content_base64, validate=True))
        if checked.content_type in ("image/png", "image/jpeg"):
            PersonPhoto.objects.create(person=person, filename=checked.filename, content_type=checked.content_type,
                                       sha256=checked.sha256, storage_name=store(checked))
    name_index.mark_changed(person.pk)
    return person


@register("notice.snapshot", NoticePayload)
def apply_notice(payload: NoticePayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Create or update the read-only copy; an older version than the one held changes nothing."""
    if settings.NODE_COUNTRY not in payload.shared_with:
        raise ValidationError("this notice is not shared with this node's country")
    unit = Unit.objects.filter(code=payload.issuing_unit, country_id=peer.country_id).first()
    if unit is None:
        raise ValidationError(f"unknown issuing unit {payload.issuing_unit}")
    if payload.kind not in NoticeKind.values or payload.state not in NoticeState.values:
        raise ValidationError("unknown kind or state")
    if payload.offence and payload.offence not in Offence.values:
        raise ValidationError("offence outside the list of ordinary-law crimes")
    if payload.handling_code not in HandlingCode.values:
        raise ValidationError("unknown handling code")
    notice = Notice.objects.filter(pk=payload.id).first()
    if notice is not None:
        if notice.origin_node != peer.node_id:
            raise ValidationError("that notice belongs to another node")
        if notice.version >= payload.version:
            return
    subject = _apply_person(payload.subject, unit, peer)
    if notice is None:
        notice = Notice(id=payload.id, origin_node=peer.node_id)
    for name in ("kind", "state", "resolution", "offence", "warrant_number", "issuing_authority", "warrant_date",
                 "max_penalty_years", "summary", "handling_code", "review_date", "published_at", "version"):
        setattr(notice, name, getattr(payload, name))
    notice.subject = subject
    notice.issuing_unit = unit
    notice.save()
    notice.shared_with.set([c for c in payload.shared_with if Country.objects.filter(pk=c).exists()])  # type: ignore[misc]
    record(None, "notices.notice.received", object_type="notice", object_id=notice.pk,
           data={"from_node": peer.node_id, "version": payload.version, "state": payload.state})
    if notice.state == NoticeState.PUBLISHED:
        from borderlink.notices.tasks import check_notice_for_hits

        transaction.on_commit(lambda: check_notice_for_hits.enqueue(str(payload.id)))


class HitPayload(BaseModel):
    notice: uuid.UUID
    person: PersonPayload
    raised_by_unit: str
    score: float = Field(ge=0, le=1)
    matched_name: str = Field(max_length=200)
    notice_name: str = Field(max_length=200)
    explanation: dict[str, Any] = Field(default_factory=dict)
    birth_agrees: bool | None = None
    document_agrees: bool | None = None


def queue_hit(hit: Any) -> bool:
    """A hit on a copy belongs in the queue of the notice's owner, on the issuing node."""
    notice = hit.notice
    if not notice.origin_node or notice.origin_node == settings.NODE_NAME:
        return False
    person = _person_payload(hit.person)
    person["photos"] = []  # the owner asks for more through a request
    payload = {
        "notice": str(notice.pk), "person": person, "raised_by_unit": hit.raised_by_unit.code, "score": hit.score,
        "matched_name": hit.matched_name, "notice_name": hit.notice_name, "explanation": hit.explanation,
        "birth_agrees": hit.birth_agrees, "document_agrees": hit.document_agrees,
    }
    return outbox.enqueue(notice.issuing_unit.country_id, "hit.raised", hit.pk, payload) is not None


@register("hit.raised", HitPayload)
def apply_hit(payload: HitPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Put a hit raised on another node into the owner's queue here; a person decides, as for local hits."""
    from borderlink.notices.models import Hit

    notice = Notice.objects.filter(pk=payload.notice, origin_node__in=("", settings.NODE_NAME)).first()
    if notice is None or peer.country_id not in set(notice.shared_with.values_list("code", flat=True)):
        raise ValidationError("no notice of this node shared with that country")
    unit = Unit.objects.filter(code=payload.raised_by_unit, country_id=peer.country_id).first()
    if unit is None:
        raise ValidationError(f"unknown unit {payload.raised_by_unit}")
    person = _apply_person(payload.person, unit, peer)
    hit, created = Hit.objects.get_or_create(
        notice=notice, person=person,
        defaults={
            "score": payload.score, "matched_name": payload.matched_name, "notice_name": payload.notice_name,
            "explanation": payload.explanation, "birth_agrees": payload.birth_agrees,
            "document_agrees": payload.document_agrees, "raised_by_unit": unit,
        },
    )
    if created:
        record(None, "notices.hit.raised", object_type="hit", object_id=hit.pk,
               data={"notice": str(notice.pk), "person": str(person.pk), "from_node": peer.node_id, "score": round(payload.score, 3)})


# --- deletions follow the owner's record ---------------------------------------------------------------


class PurgePayload(BaseModel):
    id: uuid.UUID
    subject: uuid.UUID
    reason: str = Field(max_length=40)


def queue_purge(notice: Notice) -> int:
    """Tell every node that holds a copy of this notice (the countries it was shared with, once
    published) that the owner removed it; in the caller's transaction, before the rows go."""
    if (notice.origin_node and notice.origin_node != settings.NODE_NAME) or notice.published_at is None:
        return 0
    payload = {"id": str(notice.pk), "subject": str(notice.subject_id), "reason": "retention"}
    return sum(1 for country in notice.shared_with.values_list("code", flat=True)
               if outbox.enqueue(country, "notice.purged", notice.pk, payload) is not None)


def remove_copy_of_person(person: Person, reason: str, data: dict[str, Any]) -> bool:
    """Delete a copy of another node's person once nothing here refers to it (no notice, no hit); audited."""
    if not person.origin_node or person.origin_node == settings.NODE_NAME:
        return False
    if person.notices.exists() or person.hits.exists():
        return False
    record(None, "persons.person.purged", object_type="person", object_id=person.pk, data={"reason": reason, **data})
    name_index.mark_changed(person.pk)
    person.delete()
    return True


@register("notice.purged", PurgePayload)
def apply_purge(payload: PurgePayload, peer: Any, envelope: dict[str, Any]) -> None:
    """The owner removed its notice: remove the copy here, its hits, and the copy of its subject (and of
    any other person of that node held only for those hits). Audited here as on the owner's node.
    A copy already gone changes nothing."""
    notice = Notice.objects.filter(pk=payload.id).select_related("subject").first()
    if notice is None:
        return
    if notice.origin_node != peer.node_id:
        raise ValidationError("that notice belongs to another node")
    people = {notice.subject, *(hit.person for hit in notice.hits.select_related("person"))}
    record(None, "notices.notice.purged", object_type="notice", object_id=notice.pk,
           data={"from_node": peer.node_id, "reason": payload.reason, "copy": True})
    notice.delete()
    for person in people:
        remove_copy_of_person(person, "owner_purged", {"from_node": peer.node_id, "notice": str(payload.id)})


def queue_corrections(person: Person) -> int:
    """The owner corrected a person: send a fresh snapshot of every notice of this node about them
    that was shared, so that each copy follows (apply_notice replaces the copy's data)."""
    if person.origin_node and person.origin_node != settings.NODE_NAME:
        return 0
    sent = 0
    for notice in Notice.objects.filter(subject=person, origin_node__in=("", settings.NODE_NAME), published_at__isnull=False):
        sent += queue_snapshot(notice)
    return sent


def answer_search(peer: Any, q: str, document: str, limit: int) -> tuple[str, str, list[dict[str, Any]]]:
    """A peer's hit/no-hit name search: its own published notices shared with the asking country (never
    victims), by name (the name engine's threshold) or document number; returns the query as searched and
    at most `limit` references (notice id, kind, issuing unit, score), best first."""
    from borderlink.names import MATCH_THRESHOLD

    q, document = q[:200], normalise_document_number(document[:60])
    scores: dict[str, float] = {}
    if q:
        for hit in name_index.search(q, limit=200):
            if hit.score >= MATCH_THRESHOLD:
                scores[hit.ref] = hit.score
    notices = Notice.objects.filter(state=NoticeState.PUBLISHED, shared_with__code=peer.country_id).exclude(
        kind=NoticeKind.VICTIM).exclude(subject__is_trafficking_victim=True).filter(origin_node__in=("", settings.NODE_NAME))
    matched = notices.filter(subject_id__in=list(scores)) if scores else notices.none()
    if document:
        matched = matched | notices.filter(subject__documents__number_normalised=document)
    hits: list[dict[str, Any]] = []
    for notice in matched.select_related("issuing_unit").distinct()[:limit]:
        hits.append({"notice": str(notice.pk), "kind": notice.kind, "issuing_unit": notice.issuing_unit.code,
                     "score": round(scores.get(str(notice.subject_id), 1.0), 3)})
    hits.sort(key=lambda h: -float(h["score"]))
    return q, document, hits


SEARCH["notices"] = answer_search
