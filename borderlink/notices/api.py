"""Notices, persons, search and hits over the API: the same services and access helpers as the pages."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.audit.services import record
from borderlink.core.inputs import SmallCount, Year
from borderlink.core.schemas import InSchema
from borderlink.exchange.attachments import decode_files
from borderlink.exchange.models import HandlingCode
from borderlink.notices import access, hits, services
from borderlink.notices.models import HitRoute, HitState, Notice, NoticeKind, NoticeState, Offence, Resolution
from borderlink.notices.search import SearchFilters, search_notices
from borderlink.persons import services as person_services
from borderlink.persons.models import DocumentType, NameKind, Person, Sex

router = Router(tags=["notices"])


class NameIn(InSchema):
    name: str = Field(max_length=200)
    kind: NameKind = NameKind.PRIMARY


class DocumentIn(InSchema):
    doc_type: DocumentType
    number: str = Field(max_length=60)
    issuing_country: str = Field(max_length=2)


class PhotoIn(InSchema):
    filename: str = Field(max_length=200)
    content_base64: str


class PersonIn(InSchema):
    names: list[NameIn] = Field(min_length=1, max_length=20)
    sex: Sex = Sex.UNKNOWN
    birth_year: SmallCount | None = None
    birth_month: SmallCount | None = None
    birth_day: SmallCount | None = None
    place_of_birth: str = Field("", max_length=200)
    nationalities: list[str] = Field(default_factory=list, max_length=5)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)
    distinguishing_marks: str = Field("", max_length=2000)
    is_refugee: bool = False
    refugee_from: str | None = None
    is_trafficking_victim: bool = False
    is_minor: bool = False
    photos: list[PhotoIn] = Field(default_factory=list, max_length=3)


class NoticeIn(InSchema):
    kind: NoticeKind
    subject_id: uuid.UUID | None = None
    subject: PersonIn | None = None
    summary: str = Field(max_length=10_000)
    review_date: datetime.date
    offence: Offence | None = Field(None, description="None for missing, unidentified and victim notices")
    warrant_number: str = Field("", max_length=80)
    issuing_authority: str = Field("", max_length=200)
    warrant_date: datetime.date | None = None
    max_penalty_years: SmallCount | None = None
    shared_with: list[str] = Field(default_factory=list, max_length=3)
    handling_code: HandlingCode = HandlingCode.H0


class ReasonIn(InSchema):
    reason: str = Field(max_length=2000)


class ApproveIn(InSchema):
    justification: str = Field("", max_length=2000)


class ResolveIn(ReasonIn):
    resolution: Resolution


class ResumeIn(ReasonIn):
    review_date: datetime.date


class DecisionIn(InSchema):
    confirm: bool
    reason: str = Field(max_length=2000)


class SearchParams(Schema):
    q: str = Field("", max_length=200)
    document: str = Field("", max_length=60)
    nationality: str = Field("", max_length=2)
    sex: Sex | None = None
    born_from: Year | None = None
    born_to: Year | None = None
    kind: NoticeKind | None = None
    state: NoticeState | None = None
    offence: Offence | None = None
    limit: int = Field(20, ge=1, le=100)


class NameOut(Schema):
    name: str
    kind: NameKind
    script: str


class DocumentOut(Schema):
    doc_type: DocumentType
    number: str
    issuing_country: str


class PersonOut(Schema):
    id: str
    names: list[NameOut]
    sex: Sex
    born: str = Field(description="Year, year-month or full date of birth, as known")
    place_of_birth: str
    nationalities: list[str]
    documents: list[DocumentOut]
    is_refugee: bool
    refugee_from: str | None
    is_trafficking_victim: bool
    is_minor: bool


class LegalBasisOut(Schema):
    warrant_number: str
    issuing_authority: str
    warrant_date: datetime.date | None
    max_penalty_years: int | None


class NoticeEventOut(Schema):
    at: datetime.datetime
    by: str | None
    from_state: str
    to_state: str
    reason: str


class NoticeOut(Schema):
    id: str
    kind: NoticeKind
    state: NoticeState
    resolution: str = Field(description="A resolution code once resolved, else empty")
    offence: str = Field(description="An offence code, empty for kinds that name none")
    summary: str
    legal_basis: LegalBasisOut
    issuing_unit: str
    shared_with: list[str]
    handling_code: HandlingCode
    review_date: datetime.date
    subject: PersonOut
    neutrality_flags: list[dict[str, Any]]
    history: list[NoticeEventOut]


class SearchResultOut(Schema):
    notice: str
    kind: NoticeKind
    state: NoticeState
    issuing_unit: str
    score: float
    matched_name: str
    explanation: dict[str, Any]
    document_agrees: bool | None
    born: str


class PeerStatus(enum.StrEnum):
    OK = "ok"
    UNREACHABLE = "unreachable"
    ERROR = "error"


class PeerAnswerOut(Schema):
    peer: str
    country: str
    status: PeerStatus
    hits: list[dict[str, Any]] = Field(description="References only: notice id, kind, issuing unit, score (as the peer sent them)")


class HitOut(Schema):
    id: int
    notice: str
    person: str
    score: float
    matched_name: str
    notice_name: str
    birth_agrees: bool | None
    document_agrees: bool | None
    state: HitState
    raised_by_unit: str


class DecisionOut(Schema):
    id: int
    state: HitState
    reason: str


def _person_input(data: PersonIn) -> person_services.PersonInput:
    photos = decode_files(data.photos, "photos")
    return person_services.PersonInput(
        names=[person_services.NameInput(n.name, n.kind) for n in data.names],
        sex=data.sex, birth_year=data.birth_year, birth_month=data.birth_month, birth_day=data.birth_day,
        place_of_birth=data.place_of_birth, nationalities=data.nationalities,
        documents=[person_services.DocumentInput(d.doc_type, d.number, d.issuing_country) for d in data.documents],
        distinguishing_marks=data.distinguishing_marks, is_refugee=data.is_refugee, refugee_from=data.refugee_from,
        is_trafficking_victim=data.is_trafficking_victim, is_minor=data.is_minor, photos=photos,
    )


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": str(person.pk),
        "names": [{"name": n.name, "kind": n.kind, "script": n.script} for n in person.names.all()],
        "sex": person.sex,
        "born": person.birth_display,
        "place_of_birth": person.place_of_birth,
        "nationalities": [c.code for c in person.nationalities.all()],
        "documents": [{"doc_type": d.doc_type, "number": d.number, "issuing_country": d.issuing_country_id} for d in person.documents.all()],
        "is_refugee": person.is_refugee,
        "refugee_from": person.refugee_from_id,
        "is_trafficking_victim": person.is_trafficking_victim,
        "is_minor": person.is_minor,
    }


def _notice(notice: Notice, user: Any) -> dict[str, Any]:
    owner = access.is_owner(user, notice)
    return {
        "id": str(notice.pk),
        "kind": notice.kind,
        "state": notice.state,
        "resolution": notice.resolution,
        "offence": notice.offence,
        "summary": notice.summary,
        "legal_basis": {
            "warrant_number": notice.warrant_number, "issuing_authority": notice.issuing_authority,
            "warrant_date": notice.warrant_date, "max_penalty_years": notice.max_penalty_years,
        },
        "issuing_unit": notice.issuing_unit.code,
        "shared_with": [c.code for c in notice.shared_with.all()],
        "handling_code": notice.handling_code,
        "review_date": notice.review_date,
        "subject": _person(notice.subject),
        "neutrality_flags": notice.neutrality_flags if owner else [],
        "history": [
            {"at": e.at, "by": e.actor.get_username() if e.actor else None, "from_state": e.from_state, "to_state": e.to_state, "reason": e.reason}
            for e in notice.events.select_related("actor")
        ] if owner else [],
    }


def _user(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not access.may_use_notices(user):
        raise Http404("No access.")
    return user


def _input(data: NoticeIn, subject_id: Any) -> services.NoticeInput:
    return services.NoticeInput(
        kind=data.kind, subject_id=subject_id, summary=data.summary, review_date=data.review_date, offence=data.offence or "",
        warrant_number=data.warrant_number, issuing_authority=data.issuing_authority, warrant_date=data.warrant_date,
        max_penalty_years=data.max_penalty_years, shared_with=data.shared_with, handling_code=data.handling_code,
    )


@router.post("/persons", response=answers(PersonOut, 201), summary="Record a person (checked against published notices)")
def create_person(request: HttpRequest, payload: PersonIn) -> Status:
    user = _user(request)
    person = person_services.record_person(user, _person_input(payload), request)
    return Status(201, _person(person))


@router.get("/persons/{person_id}", response=answers(PersonOut), summary="A person your unit recorded (audited)")
def read_person(request: HttpRequest, person_id: str) -> dict[str, Any]:
    user = _user(request)
    return _person(person_services.view_person(user, person_id, request))


@router.post("/notices", response=answers(NoticeOut, 201), summary="Write a draft notice (with an existing or a new subject)")
def create_notice(request: HttpRequest, payload: NoticeIn) -> Status:
    user = _user(request)
    if payload.subject is not None and payload.subject_id is None:
        notice = services.create_notice_with_new_subject(user, _person_input(payload.subject), _input(payload, None), request)
    elif payload.subject_id is not None and payload.subject is None:
        notice = services.create_notice(user, _input(payload, payload.subject_id), request)
    else:
        raise ValidationError({"subject": [_("Give either subject_id or subject, not both.")]})
    return Status(201, _notice(notice, user))


@router.get("/notices/search", response=answers(list[SearchResultOut]), summary="Search notices by name in any script, or by document (audited)")
def search(request: HttpRequest, params: Query[SearchParams]) -> list[dict[str, Any]]:
    user = _user(request)
    if not params.q.strip() and not params.document.strip():
        raise ValidationError({"q": [_("Give a name or a document number.")]})
    if params.born_from and params.born_to and params.born_from > params.born_to:
        raise ValidationError({"born_to": [_("The first year is after the last.")]})
    filters = SearchFilters(nationality=params.nationality, sex=params.sex or "", born_from=params.born_from,
                            born_to=params.born_to, kind=params.kind or "", state=params.state or "", offence=params.offence or "")
    results = search_notices(user, params.q, filters, params.document, limit=params.limit)
    record(user, "notices.search", object_type="notice", data={"q": params.q, "document": params.document, "results": len(results)}, request=request)
    return [
        {"notice": str(r.notice.pk), "kind": r.notice.kind, "state": r.notice.state, "issuing_unit": r.notice.issuing_unit.code,
         "score": round(r.score, 4), "matched_name": r.matched_name, "explanation": r.explanation,
         "document_agrees": r.document_agrees, "born": r.notice.subject.birth_display}
        for r in results
    ]


class PeerSearchParams(Schema):
    q: str = Field("", max_length=200)
    document: str = Field("", max_length=60)


@router.get("/notices/search/peers", response=answers(list[PeerAnswerOut]), summary="Ask the peer nodes: hit or no hit, references only (audited)")
def search_peer_nodes(request: HttpRequest, params: Query[PeerSearchParams]) -> list[dict[str, Any]]:
    from borderlink.federation.search import search_peers

    user = _user(request)
    if not params.q.strip() and not params.document.strip():
        raise ValidationError({"q": [_("Give a name or a document number.")]})
    return [
        {"peer": a.peer.node_id, "country": a.peer.country_id, "status": a.status, "hits": a.hits}
        for a in search_peers(user, params.q, params.document)
    ]


@router.get("/notices/{notice_id}", response=answers(NoticeOut), summary="Read a notice (audited)")
def read_notice(request: HttpRequest, notice_id: str) -> dict[str, Any]:
    user = _user(request)
    return _notice(services.view_notice(user, notice_id, request), user)


@router.post("/notices/{notice_id}/submit", response=answers(NoticeOut))
def submit(request: HttpRequest, notice_id: str) -> dict[str, Any]:
    user = _user(request)
    return _notice(services.submit_notice(user, notice_id, request), user)


@router.post("/notices/{notice_id}/approve", response=answers(NoticeOut), summary="Publish (supervisor, four eyes; refused by the safeguards)")
def approve(request: HttpRequest, notice_id: str, payload: ApproveIn) -> dict[str, Any]:
    user = _user(request)
    return _notice(services.approve_notice(user, notice_id, payload.justification, request), user)


@router.post("/notices/{notice_id}/suspend", response=answers(NoticeOut))
def suspend(request: HttpRequest, notice_id: str, payload: ReasonIn) -> dict[str, Any]:
    user = _user(request)
    return _notice(services.suspend_notice(user, notice_id, payload.reason, request), user)


@router.post("/notices/{notice_id}/resume", response=answers(NoticeOut))
def resume(request: HttpRequest, notice_id: str, payload: ResumeIn) -> dict[str, Any]:
    user = _user(request)
    return _notice(services.resume_notice(user, notice_id, payload.reason, payload.review_date, request), user)


@router.post("/notices/{notice_id}/cancel", response=answers(NoticeOut))
def cancel(request: HttpRequest, notice_id: str, payload: ReasonIn) -> dict[str, Any]:
    user = _user(request)
    return _notice(services.cancel_notice(user, notice_id, payload.reason, request), user)


@router.post("/notices/{notice_id}/resolve", response=answers(NoticeOut))
def resolve(request: HttpRequest, notice_id: str, payload: ResolveIn) -> dict[str, Any]:
    user = _user(request)
    return _notice(services.resolve_notice(user, notice_id, payload.resolution, payload.reason, request), user)


@router.get("/hits", response=answers(list[HitOut]), summary="Hits on my unit's notices")
def list_hits(request: HttpRequest, state: HitState = HitState.CANDIDATE) -> list[dict[str, Any]]:
    user = _user(request)
    qs = hits.hits_for_owner(user)
    if state in HitState.values:
        qs = qs.filter(state=state)
    return [
        {"id": h.pk, "notice": str(h.notice_id), "person": str(h.person_id), "score": h.score, "matched_name": h.matched_name,
         "notice_name": h.notice_name, "birth_agrees": h.birth_agrees, "document_agrees": h.document_agrees, "state": h.state,
         "raised_by_unit": h.raised_by_unit.code}
        for h in qs[:200]
    ]


@router.post("/hits/{hit_id}/decide", response=answers(DecisionOut), summary="Confirm or reject a hit (a person decides; audited)")
def decide(request: HttpRequest, hit_id: str, payload: DecisionIn) -> dict[str, Any]:
    user = _user(request)
    hit = hits.decide_hit(user, hit_id, payload.confirm, payload.reason, request)
    return {"id": hit.pk, "state": hit.state, "reason": hit.decision_reason}


class HeldHitOut(Schema):
    id: int
    notice: str
    person: str
    score: float
    matched_name: str
    notice_name: str
    state: HitState
    route: HitRoute
    shared: bool


class ShareOut(Schema):
    id: int
    shared: bool
    reason: str


@router.get("/hits/held", response=answers(list[HeldHitOut]), summary="Hits waiting here: on other nodes' notices, or of protected persons")
def list_held_hits(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [
        {"id": h.pk, "notice": str(h.notice_id), "person": str(h.person_id), "score": h.score, "matched_name": h.matched_name,
         "notice_name": h.notice_name, "state": h.state, "route": h.route, "shared": h.shared_at is not None}
        for h in hits.hits_held(user).filter(state=HitState.CANDIDATE)[:200]
    ]


@router.post("/hits/{hit_id}/share", response=answers(ShareOut), summary="Tell the notice's owner of a hit (a person decides; audited)")
def share(request: HttpRequest, hit_id: str, payload: ReasonIn) -> dict[str, Any]:
    user = _user(request)
    hit = hits.share_hit(user, hit_id, payload.reason, request)
    return {"id": hit.pk, "shared": True, "reason": hit.decision_reason}
