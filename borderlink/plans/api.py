"""Cooperation plans, conferences, visits and training over the API: the same services and access helpers as
the pages. Every answer is typed; kinds, states, areas and indicators are enums."""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.core.inputs import FilterDate, Year
from borderlink.core.schemas import InSchema
from borderlink.exchange.attachments import decode_files
from borderlink.federation.schema import AttachmentPayload
from borderlink.plans import access, conferences, indicators, services
from borderlink.plans.models import (
    Area,
    Conference,
    IndicatorKind,
    Item,
    ItemStatus,
    Plan,
    PlanAction,
    PlanKind,
    PlanState,
    Training,
    Visit,
    VisitKind,
)

router = Router(tags=["plans"])

PlanSide = enum.Enum("PlanSide", {"proposing": "proposing", "partner": "partner", "third": "third"}, type=str)  # type: ignore[misc]
Country = enum.Enum("Country", {"VN": "VN", "LA": "LA", "KH": "KH"}, type=str)  # type: ignore[misc]
Measure = enum.Enum("Measure", {m: m for m in (indicators.COUNT, indicators.PERCENT, indicators.TEXT)}, type=str)  # type: ignore[misc]


class ItemIn(InSchema):
    id: str | None = Field(None, max_length=36, description="the item's id, to keep it across versions; omit for a new item")
    area: Area
    activity: str = Field(max_length=2000)
    lead_proposing: str = Field(max_length=60, description="unit code of the proposing side's country")
    lead_partner: str = Field(max_length=60, description="unit code of the partner's country")
    lead_third: str = Field("", max_length=60, description="unit code of a trilateral plan's third country")
    owner_side: PlanSide
    indicator: IndicatorKind
    parameter: int | None = Field(None, ge=1, le=365, description="days, for victims returned within N days")
    target: str = Field("", max_length=20, description="a number; required for a computed indicator")
    target_text: str = Field("", max_length=300)
    due_date: datetime.date


class PlanIn(InSchema):
    year: Year
    title: str = Field(max_length=300)
    kind: PlanKind = PlanKind.BILATERAL
    partner_unit: str = Field(max_length=60)
    third_country: Country | None = None
    text: str = Field("", max_length=20_000)
    items: list[ItemIn] = Field(min_length=1, max_length=60)


class VersionIn(InSchema):
    items: list[ItemIn] = Field(min_length=1, max_length=60)
    reason: str = Field("", max_length=20_000, description="required for an amendment of a signed plan")
    text: str = Field("", max_length=20_000)


class CommentIn(InSchema):
    text: str = Field(max_length=20_000)


class ApproveIn(InSchema):
    signatory: str = Field(max_length=200)
    signatory_title: str = Field("", max_length=200)
    version: str | None = Field(None, max_length=36)


class ProgressIn(InSchema):
    status: ItemStatus
    value: str = Field("", max_length=20)
    note: str = Field("", max_length=5000)
    evidence: list[AttachmentPayload] = Field(default_factory=list, max_length=3)


class ItemOut(Schema):
    id: str
    area: Area
    activity: str
    lead_proposing: str
    lead_partner: str
    lead_third: str | None
    owner_side: PlanSide
    indicator: IndicatorKind
    parameter: int | None
    target: Decimal | None
    target_text: str
    due_date: datetime.date
    status: ItemStatus
    reported_value: Decimal | None


class VersionOut(Schema):
    id: str
    number: int
    side: PlanSide
    author: str
    reason: str
    items: int
    approved_proposing: bool
    approved_partner: bool
    approved_third: bool | None = Field(description="a trilateral plan's third country; None for a bilateral plan")
    signed_at: datetime.datetime | None


class EventOut(Schema):
    id: str
    at: datetime.datetime
    action: PlanAction
    side: PlanSide | None
    actor: str
    unit: str
    text: str


class PlanOut(Schema):
    id: str
    reference: str
    kind: PlanKind
    year: int
    title: str
    state: PlanState
    proposing_unit: str
    partner_unit: str
    third_country: Country | None
    side: PlanSide | None
    signed_on: datetime.date | None
    received_from: str | None


class PlanDetailOut(PlanOut):
    current_version: int | None
    signed_version: int | None
    signatories: list[dict[str, str]]
    items: list[ItemOut]
    versions: list[VersionOut]
    events: list[EventOut]


class EvaluationOut(Schema):
    item: str
    activity: str
    indicator: IndicatorKind
    measure: Measure
    value: Decimal | None
    target: Decimal | None
    target_text: str
    on_track: bool | None
    late: bool
    suppressed: bool
    records: int
    source_url: str
    trend: list[Decimal | None]


class DashboardOut(Schema):
    plan: str
    period_start: datetime.date
    period_end: datetime.date
    on_track: int
    late: int
    items: list[EvaluationOut]


class MemberIn(InSchema):
    name: str = Field(max_length=200)
    rank: str = Field("", max_length=100)
    role: str = Field("", max_length=100)


class DelegateIn(MemberIn):
    country: Country


class PointIn(InSchema):
    text: str = Field(max_length=5000)
    items: list[str] = Field(default_factory=list, max_length=50)


class ConferenceIn(InSchema):
    year: Year
    host: Country
    out_of_turn_reason: str = Field("", max_length=2000)
    place: str = Field(max_length=200)
    starts_on: FilterDate
    ends_on: FilterDate
    statement_text: str = Field("", max_length=50_000)
    delegates: list[DelegateIn] = Field(default_factory=list, max_length=60)
    points: list[PointIn] = Field(default_factory=list, max_length=40)


class DelegateOut(Schema):
    country: Country
    name: str
    rank: str
    role: str


class PointOut(Schema):
    number: int
    text: str
    items: list[str]


class ConferenceOut(Schema):
    id: int
    year: int
    host: Country
    out_of_turn_reason: str
    place: str
    starts_on: datetime.date
    ends_on: datetime.date
    statement_text: str
    statement_file: str
    delegates: list[DelegateOut]
    points: list[PointOut]


class NextHostOut(Schema):
    year: int
    host: Country


class YearQuery(Schema):
    year: Year


class VisitIn(InSchema):
    kind: VisitKind
    from_country: Country
    to_country: Country
    starts_on: FilterDate
    ends_on: FilterDate
    purpose: str = Field(max_length=5000)
    report: str = Field("", max_length=50_000)
    members: list[MemberIn] = Field(min_length=1, max_length=60)


class MemberOut(Schema):
    name: str
    rank: str
    role: str


class VisitOut(Schema):
    id: int
    kind: VisitKind
    from_country: Country
    to_country: Country
    starts_on: datetime.date
    ends_on: datetime.date
    purpose: str
    report: str
    members: list[MemberOut]


class TrainingIn(InSchema):
    title: str = Field(max_length=300)
    host: Country
    starts_on: FilterDate
    ends_on: FilterDate
    courses: list[str] = Field(min_length=1, max_length=30)
    participants: dict[str, int] = Field(description="participants per country code (VN, LA, KH)")
    outcome: str = Field("", max_length=20_000)


class TrainingOut(Schema):
    id: int
    title: str
    host: Country
    starts_on: datetime.date
    ends_on: datetime.date
    courses: list[str]
    participants: dict[str, int]
    outcome: str


class PeriodQuery(Schema):
    start: FilterDate
    end: FilterDate


class TrainingCountsOut(Schema):
    exchanges: int
    courses: int
    participants: dict[str, int]
    by_host: dict[str, int]


def _user(request: HttpRequest) -> Any:
    access.require_planner(request.user, request)
    return request.user


def _item(i: Item) -> dict[str, Any]:
    return {"id": str(i.pk), "area": i.area, "activity": i.activity, "lead_proposing": i.lead_proposing.code,
            "lead_partner": i.lead_partner.code, "lead_third": i.lead_third.code if i.lead_third else None,
            "owner_side": i.owner_side, "indicator": i.indicator,
            "parameter": i.parameter, "target": i.target, "target_text": i.target_text, "due_date": i.due_date,
            "status": i.status, "reported_value": i.reported_value}


def _plan(plan: Plan, user: Any) -> dict[str, Any]:
    return {"id": str(plan.pk), "reference": plan.reference, "kind": plan.kind, "year": plan.year, "title": plan.title,
            "state": plan.state, "proposing_unit": plan.proposing_unit.code, "partner_unit": plan.partner_unit.code,
            "third_country": plan.third_country_id, "side": access.side_of(user, plan), "signed_on": plan.signed_on,
            "received_from": plan.origin_node or None}


def _detail(plan_id: Any, user: Any, request: HttpRequest | None = None) -> dict[str, Any]:
    plan = access.get_plan_for_user(user, plan_id, request)
    out = _plan(plan, user)
    out.update({
        "current_version": plan.current_version.number if plan.current_version else None,
        "signed_version": plan.signed_version.number if plan.signed_version else None,
        "signatories": [{k: str(v) for k, v in s.items()} for s in plan.signatories],
        "items": [_item(i) for i in plan.items.filter(in_force=True).select_related("lead_proposing", "lead_partner",
                                                                                     "lead_third")],
        "versions": [{"id": str(v.pk), "number": v.number, "side": v.side, "author": v.author_name, "reason": v.reason,
                      "items": len(v.items), "approved_proposing": v.approved_proposing_at is not None,
                      "approved_partner": v.approved_partner_at is not None,
                      "approved_third": (v.approved_third_at is not None) if plan.third_country_id else None,
                      "signed_at": v.signed_at}
                     for v in plan.versions.order_by("number")],
        "events": [{"id": str(e.pk), "at": e.at, "action": e.action, "side": e.side or None, "actor": e.actor_name,
                    "unit": e.actor_unit, "text": e.text} for e in plan.events.order_by("at", "id")],
    })
    return out


def _items(payload: list[ItemIn]) -> list[dict[str, Any]]:
    out = []
    for i in payload:
        data = i.dict()
        data["due_date"] = i.due_date.isoformat()
        data["owner_side"] = i.owner_side.value if hasattr(i.owner_side, "value") else i.owner_side
        if not data.get("id"):
            data.pop("id", None)
        out.append(data)
    return out


@router.get("/plans", response=answers(list[PlanOut]), summary="Plans of your country, newest year first")
def plans_list(request: HttpRequest) -> Any:
    user = _user(request)
    return [_plan(p, user) for p in access.visible_plans(user).select_related("proposing_unit", "partner_unit")[:200]]


@router.post("/plans", response=answers(PlanDetailOut, 201), summary="Propose a cooperation plan (version 1)")
def plans_create(request: HttpRequest, payload: PlanIn) -> Status:
    user = _user(request)
    plan = services.propose_plan(user, services.PlanInput(
        year=payload.year, title=payload.title, kind=payload.kind, partner_unit=payload.partner_unit,
        third_country=payload.third_country.value if payload.third_country else "", text=payload.text,
        items=_items(payload.items)), request)
    return Status(201, _detail(plan.pk, user))


def _conference(c: Conference) -> dict[str, Any]:
    return {"id": c.pk, "year": c.year, "host": c.host_id, "out_of_turn_reason": c.out_of_turn_reason, "place": c.place,
            "starts_on": c.starts_on, "ends_on": c.ends_on, "statement_text": c.statement_text,
            "statement_file": c.statement_filename,
            "delegates": [{"country": d.country_id, "name": d.name, "rank": d.rank, "role": d.role} for d in c.delegates.all()],
            "points": [{"number": p.number, "text": p.text, "items": [str(i.pk) for i in p.items.all()]} for p in c.points.all()]}


@router.get("/plans/conferences/next-host", response=answers(NextHostOut),
            summary="The host the rotation proposes for a year")
def conferences_next_host(request: HttpRequest, query: Query[YearQuery]) -> Any:
    _user(request)
    return {"year": query.year, "host": conferences.proposed_host(query.year)}


@router.get("/plans/conferences", response=answers(list[ConferenceOut]), summary="Ministerial conferences")
def conferences_list(request: HttpRequest) -> Any:
    _user(request)
    return [_conference(c) for c in Conference.objects.prefetch_related("delegates", "points__items")[:100]]


@router.post("/plans/conferences", response=answers(ConferenceOut, 201),
             summary="Record a ministerial conference (a host out of turn needs its reason)")
def conferences_create(request: HttpRequest, payload: ConferenceIn) -> Status:
    user = _user(request)
    conference = conferences.record_conference(user, conferences.ConferenceInput(
        year=payload.year, host=payload.host.value, place=payload.place, starts_on=payload.starts_on,
        ends_on=payload.ends_on, out_of_turn_reason=payload.out_of_turn_reason, statement_text=payload.statement_text,
        delegates=[conferences.MemberInput(name=d.name, rank=d.rank, role=d.role, country=d.country.value)
                   for d in payload.delegates],
        points=[conferences.PointInput(p.text, p.items) for p in payload.points]), request)
    return Status(201, _conference(conference))


def _visit(v: Visit) -> dict[str, Any]:
    return {"id": v.pk, "kind": v.kind, "from_country": v.from_country_id, "to_country": v.to_country_id,
            "starts_on": v.starts_on, "ends_on": v.ends_on, "purpose": v.purpose, "report": v.report, "members": v.members}


@router.get("/plans/visits", response=answers(list[VisitOut]), summary="Delegations and study visits")
def visits_list(request: HttpRequest) -> Any:
    _user(request)
    return [_visit(v) for v in Visit.objects.all()[:200]]


@router.post("/plans/visits", response=answers(VisitOut, 201), summary="Record a delegation or study visit")
def visits_create(request: HttpRequest, payload: VisitIn) -> Status:
    user = _user(request)
    visit = conferences.record_visit(user, conferences.VisitInput(
        kind=payload.kind, from_country=payload.from_country.value, to_country=payload.to_country.value,
        starts_on=payload.starts_on, ends_on=payload.ends_on, purpose=payload.purpose, report=payload.report,
        members=[conferences.MemberInput(name=m.name, rank=m.rank, role=m.role) for m in payload.members]), request)
    return Status(201, _visit(visit))


def _training(t: Training) -> dict[str, Any]:
    return {"id": t.pk, "title": t.title, "host": t.host_id, "starts_on": t.starts_on, "ends_on": t.ends_on,
            "courses": t.courses, "participants": t.participants, "outcome": t.outcome}


@router.get("/plans/training", response=answers(list[TrainingOut]), summary="Training exchanges")
def training_list(request: HttpRequest) -> Any:
    _user(request)
    return [_training(t) for t in Training.objects.all()[:200]]


@router.post("/plans/training", response=answers(TrainingOut, 201), summary="Record a training exchange")
def training_create(request: HttpRequest, payload: TrainingIn) -> Status:
    user = _user(request)
    training = conferences.record_training(user, conferences.TrainingInput(
        title=payload.title, host=payload.host.value, starts_on=payload.starts_on, ends_on=payload.ends_on,
        courses=payload.courses, participants=dict(list(payload.participants.items())[:3]), outcome=payload.outcome),
        request)
    return Status(201, _training(training))


@router.get("/plans/training/counts", response=answers(TrainingCountsOut),
            summary="Training exchanges starting in a period: counts only")
def training_counts(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    _user(request)
    counts = conferences.training_counts(query.start, query.end)
    return {"exchanges": counts.exchanges, "courses": counts.courses, "participants": counts.participants,
            "by_host": counts.by_host}


# the routes with a plan id come last, so that /plans/conferences and the like are not read as an id


@router.get("/plans/{plan_id}", response=answers(PlanDetailOut), summary="A plan: items in force, versions, timeline")
def plans_detail(request: HttpRequest, plan_id: str) -> Any:
    return _detail(plan_id, _user(request), request)


@router.post("/plans/{plan_id}/comment", response=answers(PlanDetailOut), summary="Comment on a plan")
def plans_comment(request: HttpRequest, plan_id: str, payload: CommentIn) -> Any:
    user = _user(request)
    services.comment(user, plan_id, payload.text, request)
    return _detail(plan_id, user)


@router.post("/plans/{plan_id}/versions", response=answers(PlanDetailOut, 201),
             summary="A new version: counter-proposal, new proposal, or amendment of a signed plan (with its reason)")
def plans_version(request: HttpRequest, plan_id: str, payload: VersionIn) -> Status:
    user = _user(request)
    services.new_version(user, plan_id, _items(payload.items), payload.reason, payload.text, request)
    return Status(201, _detail(plan_id, user))


@router.post("/plans/{plan_id}/approve", response=answers(PlanDetailOut),
             summary="Leadership approves the current version for its side (four eyes: not its author)")
def plans_approve(request: HttpRequest, plan_id: str, payload: ApproveIn) -> Any:
    user = _user(request)
    services.approve(user, plan_id, payload.signatory, payload.signatory_title, payload.version, request)
    return _detail(plan_id, user)


@router.post("/plans/items/{item_id}/progress", response=answers(ItemOut),
             summary="Report progress on an item your side owns, with evidence")
def plans_progress(request: HttpRequest, item_id: str, payload: ProgressIn) -> Any:
    user = _user(request)
    files = decode_files(payload.evidence, "evidence")
    item = services.report_progress(user, item_id, services.ProgressInput(
        status=payload.status, value=payload.value, note=payload.note, files=files), request)
    return _item(Item.objects.select_related("lead_proposing", "lead_partner", "lead_third").get(pk=item.pk))


@router.get("/plans/{plan_id}/dashboard", response=answers(DashboardOut),
            summary="Every item's indicator against its target, on track or late, with the trend by month")
def plans_dashboard(request: HttpRequest, plan_id: str) -> Any:
    user = _user(request)
    plan = access.get_plan_for_user(user, plan_id, request)
    rows = []
    period = indicators.year_of(plan)
    for item in plan.items.filter(in_force=True).select_related("plan__proposing_unit", "plan__partner_unit"):
        r = indicators.evaluate(item)
        rows.append({"item": str(item.pk), "activity": item.activity, "indicator": r.kind, "measure": r.measure,
                     "value": r.value, "target": r.target, "target_text": r.target_text, "on_track": r.on_track,
                     "late": r.late, "suppressed": r.suppressed, "records": r.records, "source_url": r.source_url,
                     "trend": [v for _m, v in indicators.monthly(item)]})
    return {"plan": str(plan.pk), "period_start": period[0], "period_end": period[1],
            "on_track": sum(1 for r in rows if r["on_track"]), "late": sum(1 for r in rows if r["late"]), "items": rows}
