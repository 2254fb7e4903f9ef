"""Notices across nodes: the issuing node sends a snapshot of a shared notice
(and its subject) to the node of each country it is shared with whenever its
state changes; copies there are read-only and follow the origin's versions."""

from __future__ import annotations

import base64
import datetime
import uuid
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import Field

from borderlink.audit.services import record
from borderlink.core.models import Unit
from borderlink.exchange.attachments import check_file, storage_path, store
from borderlink.exchange.models import HandlingCode
from borderlink.federation import outbox, schema
from borderlink.federation.registry import SEARCH, register
from borderlink.federation.schema import AttachmentPayload, Code, Moment, Strict
from borderlink.notices.models import Notice, NoticeKind, NoticeState, Offence, Resolution
from borderlink.persons import name_index
from borderlink.persons.models import (
    DocumentType,
    IdentityDocument,
    NameKind,
    Person,
    PersonName,
    PersonPhoto,
    Sex,
    detect_script,
    normalise_document_number,
)

DOCUMENTS_MAX = 20


class NamePayload(Strict):
    name: schema.text(200, 1)  # type: ignore[valid-type]
    kind: NameKind


class DocumentPayload(Strict):
    doc_type: DocumentType
    number: schema.text(60, 1)  # type: ignore[valid-type]
    issuing_country: schema.Country


PhotoPayload = AttachmentPayload


class PersonPayload(Strict):
    id: uuid.UUID
    names: list[NamePayload] = Field(min_length=1, max_length=20)
    sex: Sex
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    birth_month: int | None = Field(default=None, ge=1, le=12)
    birth_day: int | None = Field(default=None, ge=1, le=31)
    place_of_birth: schema.text(200) = ""  # type: ignore[valid-type]
    nationalities: list[schema.Country] = Field(default_factory=list, max_length=len(schema.COUNTRIES))
    documents: list[DocumentPayload] = Field(default_factory=list, max_length=DOCUMENTS_MAX)
    distinguishing_marks: schema.text(10_000) = ""  # type: ignore[valid-type]
    is_refugee: bool = False
    refugee_from: schema.Country | None = None
    is_trafficking_victim: bool = False
    is_minor: bool = False
    photos: list[PhotoPayload] = Field(default_factory=list, max_length=3)


class NoticePayload(Strict):
    id: uuid.UUID
    version: int = Field(ge=1, le=2**31 - 1)
    kind: NoticeKind
    state: NoticeState
    resolution: Resolution | Literal[""] = ""
    offence: Offence | Literal[""] = ""
    warrant_number: schema.text(80) = ""  # type: ignore[valid-type]
    issuing_authority: schema.text(200) = ""  # type: ignore[valid-type]
    warrant_date: datetime.date | None = None
    max_penalty_years: int | None = Field(default=None, ge=0, le=100)
    summary: schema.text(10_000, 1)  # type: ignore[valid-type]
    issuing_unit: Code
    shared_with: list[schema.Country] = Field(min_length=1, max_length=len(schema.COUNTRIES))
    handling_code: HandlingCode
    review_date: datetime.date
    published_at: Moment | None = None
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


def _check_person(data: PersonPayload) -> None:
    """A person from a peer meets the checks a person recorded here meets (persons.services.validate_person)."""
    from borderlink.persons.services import DocumentInput, NameInput, PersonInput, validate_person

    validate_person(PersonInput(
        names=[NameInput(n.name, n.kind) for n in data.names], sex=data.sex, birth_year=data.birth_year,
        birth_month=data.birth_month, birth_day=data.birth_day, place_of_birth=data.place_of_birth,
        nationalities=list(data.nationalities),
        documents=[DocumentInput(d.doc_type, d.number, d.issuing_country) for d in data.documents],
        distinguishing_marks=data.distinguishing_marks, is_refugee=data.is_refugee, refugee_from=data.refugee_from,
        is_trafficking_victim=data.is_trafficking_victim, is_minor=data.is_minor,
    ))
    if len(set(data.nationalities)) != len(data.nationalities):
        raise ValidationError("a nationality is named twice")


def _apply_person(data: PersonPayload, unit: Unit, peer: Any) -> Person:
    _check_person(data)
    photos = []
    for photo in data.photos:
        try:
            checked = check_file(photo.filename, base64.b64decode(photo.content_base64, validate=True))
        except ValueError:
            raise ValidationError("a photo is not base64") from None
        if checked.content_type not in ("image/png", "image/jpeg"):
            raise ValidationError("a photo is a PNG or JPEG image")
        photos.append(checked)
    person = Person.objects.filter(pk=data.id).first()
    if person is not None and person.origin_node != peer.node_id:
        raise ValidationError("that person belongs to another node")
    if person is None:
        person = Person(id=data.id, origin_node=peer.node_id)
    person.recorded_by_unit = unit
    person.sex = data.sex
    person.birth_year, person.birth_month, person.birth_day = data.birth_year, data.birth_month, data.birth_day
    person.place_of_birth = data.place_of_birth
    person.distinguishing_marks = data.distinguishing_marks
    person.is_refugee = data.is_refugee
    person.refugee_from_id = data.refugee_from
    person.is_trafficking_victim = data.is_trafficking_victim
    person.is_minor = data.is_minor
    person.save()
    person.nationalities.set(list(data.nationalities))  # type: ignore[misc,arg-type]  # codes are the keys
    person.names.all().delete()
    PersonName.objects.bulk_create([PersonName(person=person, name=n.name, kind=n.kind, script=detect_script(n.name)) for n in data.names])
    person.documents.all().delete()
    IdentityDocument.objects.bulk_create([
        IdentityDocument(person=person, doc_type=d.doc_type, number=d.number, number_normalised=normalise_document_number(d.number),
                         issuing_country_id=d.issuing_country)
        for d in data.documents
    ])
    person.photos.all().delete()
    for checked in photos:
        PersonPhoto.objects.create(person=person, filename=checked.filename, content_type=checked.content_type,
                                   sha256=checked.sha256, storage_name=store(checked))
    name_index.mark_changed(person.pk)
    return person


def _check_notice(payload: NoticePayload) -> None:
    """The checks a notice written here meets (notices.services._field_errors), with the review date in a window
    (a suspended copy may be past it) and the dates of the peer within sane bounds."""
    from borderlink.notices.services import NoticeInput, _field_errors

    errors = _field_errors(NoticeInput(
        kind=payload.kind, subject_id=None, summary=payload.summary, review_date=payload.review_date,
        offence=payload.offence, warrant_number=payload.warrant_number, issuing_authority=payload.issuing_authority,
        warrant_date=payload.warrant_date, max_penalty_years=payload.max_penalty_years,
        shared_with=list(payload.shared_with), handling_code=payload.handling_code,
    ))
    errors.pop("review_date", None)
    if errors:
        raise ValidationError(errors)
    if payload.state in (NoticeState.DRAFT, NoticeState.SUBMITTED) or payload.published_at is None:
        raise ValidationError("only a notice that was published travels")
    if len(set(payload.shared_with)) != len(payload.shared_with):
        raise ValidationError("a country is named twice in shared_with")
    from borderlink.persons.services import before_birth

    if before_birth(payload.warrant_date, payload.subject):
        raise ValidationError("warrant_date is before the subject's birth")
    schema.check_date(payload.review_date, "review_date", years_back=10, years_ahead=5)
    schema.check_date(payload.warrant_date, "warrant_date", years_back=100)
    schema.past_moment(payload.published_at, "published_at", years_back=30)


@register("notice.snapshot", NoticePayload)
def apply_notice(payload: NoticePayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Create or update the read-only copy; an older version than the one held changes nothing."""
    from borderlink.notices.services import refusals

    if settings.NODE_COUNTRY not in payload.shared_with:
        raise ValidationError("this notice is not shared with this node's country")
    unit = Unit.objects.filter(code=payload.issuing_unit, country_id=peer.country_id).first()
    if unit is None:
        raise ValidationError(f"unknown issuing unit {payload.issuing_unit}")
    _check_notice(payload)
    notice = Notice.objects.filter(pk=payload.id).first()
    if notice is not None:
        if notice.origin_node != peer.node_id:
            raise ValidationError("that notice belongs to another node")
        if notice.version >= payload.version:
            return
    subject = _apply_person(payload.subject, unit, peer)
    if notice is None:
        notice = Notice(id=payload.id, origin_node=peer.node_id)
    notice.kind, notice.state, notice.resolution, notice.offence = payload.kind, payload.state, payload.resolution, payload.offence
    notice.warrant_number, notice.issuing_authority = payload.warrant_number, payload.issuing_authority
    notice.warrant_date, notice.max_penalty_years, notice.summary = payload.warrant_date, payload.max_penalty_years, payload.summary
    notice.handling_code, notice.review_date = payload.handling_code, payload.review_date
    notice.published_at, notice.version = payload.published_at, payload.version
    notice.subject = subject
    notice.issuing_unit = unit
    reasons = refusals(notice)
    if reasons:
        raise ValidationError(reasons)
    notice.save()
    # the issuing country is never among those a notice is shared with (an older node may have listed it)
    notice.shared_with.set([c for c in payload.shared_with if c != unit.country_id])  # type: ignore[misc,arg-type]
    record(None, "notices.notice.received", object_type="notice", object_id=notice.pk,
           data={"from_node": peer.node_id, "version": payload.version, "state": payload.state})
    if notice.state == NoticeState.PUBLISHED:
        from borderlink.notices.tasks import check_notice_for_hits

        transaction.on_commit(lambda: check_notice_for_hits.enqueue(str(payload.id)))


class HitPayload(Strict):
    """A hit a person on the node that holds the data decided to share: the minimum the notice's owner needs to
    decide whether to ask for more through a request (a reference to the person, the name that matched, whether
    birth and documents agree); never the person's record."""

    notice: uuid.UUID
    person: uuid.UUID
    raised_by_unit: Code
    score: float = Field(ge=0, le=1)
    matched_name: schema.text(200, 1)  # type: ignore[valid-type]
    notice_name: schema.text(200) = ""  # type: ignore[valid-type]
    birth_agrees: bool | None = None
    document_agrees: bool | None = None


def queue_hit(hit: Any) -> bool:
    """Send a shared hit on a copy to the notice's owner, on the issuing node (called when a person here shares it)."""
    notice = hit.notice
    if not notice.origin_node or notice.origin_node == settings.NODE_NAME:
        return False
    payload = {
        "notice": str(notice.pk), "person": str(hit.person_id), "raised_by_unit": hit.raised_by_unit.code,
        "score": float(hit.score), "matched_name": hit.matched_name, "notice_name": hit.notice_name,
        "birth_agrees": hit.birth_agrees, "document_agrees": hit.document_agrees,
    }
    return outbox.enqueue(notice.issuing_unit.country_id, "hit.raised", hit.pk, payload) is not None


@register("hit.raised", HitPayload)
def apply_hit(payload: HitPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Put a hit shared by another node into the owner's queue here; a person decides, as for local hits.
    The person is known here only by the reference and the name that matched."""
    from borderlink.notices.models import Hit

    notice = Notice.objects.filter(pk=payload.notice, origin_node__in=("", settings.NODE_NAME)).first()
    if notice is None or not notice.shared_with.filter(code=peer.country_id).exists():
        raise ValidationError("no notice of this node shared with that country")
    unit = Unit.objects.filter(code=payload.raised_by_unit, country_id=peer.country_id).first()
    if unit is None:
        raise ValidationError(f"unknown unit {payload.raised_by_unit}")
    person = Person.objects.filter(pk=payload.person).first()
    if person is not None and person.origin_node != peer.node_id:
        raise ValidationError("that person belongs to another node")
    if person is None:
        person = Person.objects.create(id=payload.person, origin_node=peer.node_id, recorded_by_unit=unit)
        PersonName.objects.create(person=person, name=payload.matched_name, kind=NameKind.PRIMARY,
                                  script=detect_script(payload.matched_name))
    hit, created = Hit.objects.get_or_create(
        notice=notice, person=person,
        defaults={
            "score": payload.score, "matched_name": payload.matched_name, "notice_name": payload.notice_name,
            "explanation": {}, "birth_agrees": payload.birth_agrees, "document_agrees": payload.document_agrees,
            "raised_by_unit": unit,
        },
    )
    if created:
        record(None, "notices.hit.raised", object_type="hit", object_id=hit.pk,
               data={"notice": str(notice.pk), "person": str(person.pk), "from_node": peer.node_id, "score": round(payload.score, 3)})


# --- deletions follow the owner's record ---------------------------------------------------------------


class PurgePayload(Strict):
    id: uuid.UUID
    subject: uuid.UUID
    reason: schema.text(40)  # type: ignore[valid-type]


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
