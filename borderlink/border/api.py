"""Border incidents, province pairs and border passes over the API: the same services and access helpers as
the pages. Every answer is a typed schema (borderlink.api_errors.answers); kinds, outcomes and statuses are enums.
The gate check is rate-limited per officer (django-ratelimit, BORDERLINK_PASS_CHECK_RATE): past it, 429."""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import ErrorOut, answers
from borderlink.border import access, passes, services, stats
from borderlink.border.models import BorderIncident, BorderPass
from borderlink.border.models.incidents import GoodsType, IncidentKind, Outcome, PassStatus, QuantityUnit, Sharing
from borderlink.core.inputs import Id
from borderlink.core.schemas import InSchema
from borderlink.notices.api import PersonIn, _person_input

router = Router(tags=["border"])


CheckStatus = enum.Enum("CheckStatus", {**{str(v): str(v) for v in PassStatus.values},  # type: ignore[misc]
                                         "unreachable": "unreachable", "error": "error"}, type=str)


class GoodsIn(InSchema):
    goods_type: GoodsType
    quantity: Decimal = Field(max_digits=13, decimal_places=3)
    unit: QuantityUnit
    description: str = Field("", max_length=200)


class IncidentIn(InSchema):
    pair: str = Field(max_length=40, description="a province pair's code, see GET /border/pairs")
    kind: IncidentKind
    occurred_at: datetime.datetime
    gate_id: Id | None = None
    place: str = Field("", max_length=200)
    persons_count: int = Field(0, ge=0, le=10_000)
    children_count: int = Field(0, ge=0, le=10_000)
    asylum_sought: bool = False
    asylum_country: str | None = Field(None, max_length=2)
    description: str = Field("", max_length=10_000)
    handling: str = Field("", max_length=10_000)
    outcome: Outcome = Outcome.PENDING
    goods: list[GoodsIn] = Field(default_factory=list, max_length=20)
    person_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    persons: list[PersonIn] = Field(default_factory=list, max_length=20, description="new persons, recorded for your unit")
    share: bool = False


class SettleIn(InSchema):
    outcome: Outcome
    handling: str = Field("", max_length=10_000)
    gate_id: Id | None = None


class ApproveIn(InSchema):
    justification: str = Field("", max_length=2000)


class FilterQuery(Schema):
    pair: str = Field("", max_length=40)
    gate: str = Field("", max_length=12)
    kind: IncidentKind | None = None
    month_from: str = Field("", max_length=7, alias="from", description="YYYY-MM")
    month_to: str = Field("", max_length=7, alias="to", description="YYYY-MM")


class PassIn(InSchema):
    number: str = Field(max_length=40)
    valid_from: datetime.date
    valid_to: datetime.date
    area: str = Field(max_length=200)
    gate_ids: list[Id] = Field(min_length=1, max_length=30)
    holder_id: uuid.UUID | None = None
    holder: PersonIn | None = None


class RevokeIn(InSchema):
    reason: str = Field(max_length=2000)


class CheckQuery(Schema):
    number: str = Field(max_length=40)
    country: str = Field(max_length=2, description="the country that issued the pass")
    gate: Id = Field(description="the gate where the holder stands (one of your province's)")


class GateOut(Schema):
    id: int
    name: str


class ProvinceOut(Schema):
    country: str
    province: str


class PairOut(Schema):
    code: str
    side_a: ProvinceOut
    side_b: ProvinceOut
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    gates: list[GateOut]


class GoodsOut(Schema):
    goods_type: GoodsType
    quantity: str = Field(description="a decimal number, as text")
    unit: QuantityUnit
    description: str


class FlagOut(Schema):
    term: str = ""
    category: str = ""


class IncidentOut(Schema):
    id: str
    reference: str
    pair: str
    province: str
    gate_id: int | None
    gate: str | None
    place: str
    occurred_at: datetime.datetime
    kind: IncidentKind
    persons_count: int
    children_count: int
    asylum_sought: bool
    asylum_country: str | None
    description: str
    handling: str
    outcome: Outcome
    refused_outcome: Outcome | None = Field(description="the return refused under non-refoulement, if any")
    protection_referred: bool
    child_flagged: bool
    neutrality_flags: list[FlagOut]
    sharing: Sharing
    reporting_unit: str
    received_from: str | None
    version: int
    goods: list[GoodsOut]
    person_ids: list[str] | None = Field(None, description="only for the reporting side (absent otherwise)")


class PairCountOut(Schema):
    pair: str
    n: int


class GateCountOut(Schema):
    gate: str
    n: int


class KindCountOut(Schema):
    kind: IncidentKind
    label: str
    n: int


class MonthCountOut(Schema):
    month: str = Field(description="YYYY-MM")
    n: int
    kinds: dict[str, int]


class CountsOut(Schema):
    total: int
    pairs: list[PairCountOut]
    gates: list[GateCountOut]
    kinds: list[KindCountOut]
    months: list[MonthCountOut]


class IncidentListOut(Schema):
    counts: CountsOut
    results: list[IncidentOut]


class PassOut(Schema):
    id: str
    number: str
    holder_id: str
    holder_name: str
    province: str
    valid_from: datetime.date
    valid_to: datetime.date
    area: str
    gate_ids: list[int]
    has_photo: bool
    revoked_at: datetime.datetime | None
    revoked_reason: str


class PhotoOut(Schema):
    content_type: str
    content_base64: str


class CheckOut(Schema):
    status: CheckStatus
    responder: str = Field(description="the node that answered (signed)")
    holder_name: str | None = Field(None, description="only when valid")
    photo: PhotoOut | None = Field(None, description="only when valid")


def _user(request: HttpRequest) -> Any:
    if not access.may_use_border(request.user):
        raise Http404("No access.")
    return request.user


def _incident(item: BorderIncident, user: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(item.pk), "reference": item.reference, "pair": item.pair.code, "province": str(item.province),
        "gate_id": item.gate_id, "gate": str(item.gate) if item.gate else None, "place": item.place,
        "occurred_at": item.occurred_at, "kind": item.kind, "persons_count": item.persons_count,
        "children_count": item.children_count, "asylum_sought": item.asylum_sought, "asylum_country": item.asylum_country_id,
        "description": item.description, "handling": item.handling, "outcome": item.outcome,
        "refused_outcome": item.refused_outcome or None, "protection_referred": item.protection_referred,
        "child_flagged": item.child_flagged, "neutrality_flags": item.neutrality_flags, "sharing": item.sharing,
        "reporting_unit": item.reporting_unit.code, "received_from": item.origin_node or None, "version": item.version,
        "goods": [{"goods_type": g.goods_type, "quantity": str(g.quantity), "unit": g.unit, "description": g.description}
                  for g in item.goods.all()],
    }
    if access.is_reporting_side(user, item):
        out["person_ids"] = [str(p) for p in item.persons.values_list("pk", flat=True)]
    return out


def _filters(user: Any, query: FilterQuery) -> stats.Filters:
    return stats.parse_filters(user, {"pair": query.pair, "gate": query.gate, "kind": query.kind or "", "from": query.month_from,
                                      "to": query.month_to})


@router.get("/border/pairs", response=answers(list[PairOut]), summary="Your province pairs, with validity dates and gates")
def list_pairs(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [{"code": p.code, "side_a": {"country": p.side_a.country_id, "province": p.side_a.name},
             "side_b": {"country": p.side_b.country_id, "province": p.side_b.name},
             "valid_from": p.valid_from, "valid_to": p.valid_to,
             "gates": [{"id": g.pk, "name": str(g)} for g in p.gates.all()]}
            for p in access.user_pairs(user).select_related("side_a", "side_b").prefetch_related("gates")]


@router.post("/border/incidents", response=answers(IncidentOut, 201), exclude_unset=True, summary="Record a border incident")
def create_incident(request: HttpRequest, payload: IncidentIn) -> Status:
    user = _user(request)
    data = services.IncidentInput(
        **payload.dict(exclude={"goods", "person_ids", "persons"}),
        goods=[services.GoodsInput(g.goods_type, g.quantity, g.unit, g.description) for g in payload.goods],
        person_ids=[str(p) for p in payload.person_ids], new_persons=[_person_input(p) for p in payload.persons])
    item = services.record_incident(user, data, request)
    return Status(201, _incident(item, user))


@router.get("/border/incidents", response=answers(IncidentListOut), exclude_unset=True, summary="Incidents of your province pairs with counts (audited)")
def list_incidents(request: HttpRequest, query: Query[FilterQuery]) -> dict[str, Any]:
    user = _user(request)
    filters = _filters(user, query)
    rows = stats.list_incidents(user, filters, request)[:500]
    return {"counts": stats.counts(user, filters), "results": [_incident(r, user) for r in rows]}


@router.get("/border/incidents.csv", response=answers(str), summary="Incidents as CSV (audited; cells neutralised against formulas)")
def incidents_csv(request: HttpRequest, query: Query[FilterQuery]) -> HttpResponse:
    user = _user(request)
    return HttpResponse(stats.export_csv(user, _filters(user, query), request), content_type="text/csv; charset=utf-8")


@router.get("/border/incidents/{incident_id}", response=answers(IncidentOut), exclude_unset=True, summary="A border incident (audited)")
def read_incident(request: HttpRequest, incident_id: str) -> dict[str, Any]:
    user = _user(request)
    return _incident(services.view_incident(user, incident_id, request), user)


@router.post("/border/incidents/{incident_id}/settle", response=answers(IncidentOut), exclude_unset=True, summary="Record the handling and outcome")
def settle_incident(request: HttpRequest, incident_id: str, payload: SettleIn) -> dict[str, Any]:
    user = _user(request)
    item = services.settle_incident(user, incident_id, services.SettleInput(**payload.dict()), request)
    return _incident(item, user)


@router.post("/border/incidents/{incident_id}/approve", response=answers(IncidentOut), exclude_unset=True, summary="Approve sharing with the other side (four eyes)")
def approve_incident(request: HttpRequest, incident_id: str, payload: ApproveIn) -> dict[str, Any]:
    user = _user(request)
    item = services.approve_sharing(user, incident_id, payload.justification, request)
    return _incident(item, user)


def _pass(item: BorderPass) -> dict[str, Any]:
    return {"id": str(item.pk), "number": item.number, "holder_id": str(item.holder_id), "holder_name": item.holder_name,
            "province": str(item.province), "valid_from": item.valid_from, "valid_to": item.valid_to, "area": item.area,
            "gate_ids": [g.pk for g in item.gates.all()], "has_photo": item.photo_id is not None,
            "revoked_at": item.revoked_at, "revoked_reason": item.revoked_reason}


@router.post("/border/passes", response=answers(PassOut, 201), summary="Record a border pass issued by your province")
def create_pass(request: HttpRequest, payload: PassIn) -> Status:
    user = _user(request)
    data = passes.PassInput(number=payload.number, valid_from=payload.valid_from, valid_to=payload.valid_to, area=payload.area,
                            gate_ids=payload.gate_ids, holder_id=str(payload.holder_id) if payload.holder_id else None,
                            holder=_person_input(payload.holder) if payload.holder else None)
    return Status(201, _pass(passes.issue_pass(user, data, request)))


@router.get("/border/passes/check", response={**answers(CheckOut), 429: ErrorOut}, exclude_none=True,
            summary="Check a pass at a gate: the issuing node's signed answer (audited on both nodes)")
def check(request: HttpRequest, query: Query[CheckQuery]) -> dict[str, Any] | Status:
    user = _user(request)
    try:
        answer = passes.check_pass(user, query.number, query.country, query.gate, request)
    except passes.TooManyChecks as exc:
        return Status(429, {"detail": str(exc), "errors": {"__all__": [str(exc)]}})
    out: dict[str, Any] = {"status": answer.status, "responder": answer.responder}
    if answer.status == "valid":
        out["holder_name"] = answer.holder_name
        out["photo"] = {"content_type": answer.photo_type, "content_base64": answer.photo_base64} if answer.photo_base64 else None
    return out


@router.get("/border/passes/{pass_id}", response=answers(PassOut), summary="A pass your unit recorded (audited)")
def read_pass(request: HttpRequest, pass_id: str) -> dict[str, Any]:
    user = _user(request)
    return _pass(passes.view_pass(user, pass_id, request))


@router.post("/border/passes/{pass_id}/revoke", response=answers(PassOut), summary="Revoke a pass of your unit")
def revoke(request: HttpRequest, pass_id: str, payload: RevokeIn) -> dict[str, Any]:
    user = _user(request)
    return _pass(passes.revoke_pass(user, pass_id, payload.reason, request))
