"""Foreign nationals in custody over the API: the same services and access helpers as the pages."""

from __future__ import annotations

import datetime
import enum
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.core.inputs import BoundedDateTime, Month, Page, PageSize
from borderlink.core.schemas import InSchema
from borderlink.custody import access, services
from borderlink.custody.models import CustodyAction, CustodyKind, CustodyRecord, CustodyState
from borderlink.exchange.models import HandlingCode
from borderlink.notices.api import PersonIn, _person_input
from borderlink.notices.models import Offence

router = Router(tags=["custody"])

CustodySide = enum.Enum("CustodySide", {s: s for s in (access.DETAINING, access.RECEIVING)}, type=str)  # type: ignore[misc]
CustodyStep = enum.Enum("CustodyStep", {str(s): str(s) for s in services.STEPS}, type=str)  # type: ignore[misc]


class CustodyIn(InSchema):
    person: PersonIn
    nationality: str = Field(max_length=2, description="VN, LA or KH")
    kind: CustodyKind
    detained_at: BoundedDateTime
    place_held: str = Field(max_length=200)
    offence: Offence
    facts: str = Field("", max_length=10_000)
    consular_access_requested: bool = False
    handling_code: HandlingCode = HandlingCode.H0


class StepIn(InSchema):
    text: str = Field("", max_length=10_000)


class MonthQuery(Schema):
    country: str = Field(max_length=2)
    month: Month


class MonthPageQuery(MonthQuery):
    page: Page = 1
    page_size: PageSize = 100


class CustodyEventOut(Schema):
    id: str
    at: datetime.datetime
    action: CustodyAction
    actor: str
    unit: str
    text: str


class CustodyOut(Schema):
    id: str
    reference: str
    person_name: str
    nationality: str
    kind: CustodyKind
    detained_at: datetime.datetime
    place_held: str
    offence: Offence
    facts: str
    consular_access_requested: bool
    state: CustodyState
    detaining_unit: str
    handling_code: HandlingCode
    side: CustodySide | None


class CustodyDetailOut(CustodyOut):
    events: list[CustodyEventOut]


class MonthlyOut(Schema):
    count: int = Field(description="Records of the month, on every page.")
    page: int
    pages: int
    results: list[CustodyOut]


def _user(request: HttpRequest) -> Any:
    if not access.may_use_custody(request.user):
        raise Http404("No access.")
    return request.user


def _record(item: CustodyRecord, user: Any, with_events: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(item.pk), "reference": item.reference, "person_name": item.person_name, "nationality": item.nationality_id,
        "kind": item.kind, "detained_at": item.detained_at, "place_held": item.place_held, "offence": item.offence,
        "facts": item.facts, "consular_access_requested": item.consular_access_requested, "state": item.state,
        "detaining_unit": item.detaining_unit.code, "handling_code": item.handling_code, "side": access.side_of(user, item),
    }
    if with_events:
        out["events"] = [{"id": str(e.pk), "at": e.at, "action": e.action, "actor": e.actor_name, "unit": e.actor_unit,
                          "text": e.text} for e in item.events.all()]
    return out


@router.post("/custody", response=answers(CustodyDetailOut, 201), summary="Record the arrest or detention of a national of another member country")
def create(request: HttpRequest, payload: CustodyIn) -> Status:
    user = _user(request)
    data = services.CustodyInput(**payload.dict(exclude={"person"}))
    item = services.record_custody(user, _person_input(payload.person), data, request)
    return Status(201, _record(item, user, with_events=True))


@router.get("/custody/monthly", response=answers(MonthlyOut), summary="The monthly list with one other country, both ways")
def monthly(request: HttpRequest, query: Query[MonthPageQuery]) -> dict[str, Any]:
    user = _user(request)
    shown = services.view_monthly(user, query.country, query.month, request, query.page, query.page_size)
    return {"count": shown.paginator.count, "page": shown.number, "pages": shown.paginator.num_pages,
            "results": [_record(r, user) for r in shown.object_list]}


@router.get("/custody/monthly.csv", response=answers(str), summary="The monthly list as CSV (audited)")
def monthly_csv(request: HttpRequest, query: Query[MonthQuery]) -> HttpResponse:
    user = _user(request)
    return HttpResponse(services.export_csv(user, query.country, query.month, request), content_type="text/csv; charset=utf-8")


@router.get("/custody/{record_id}", response=answers(CustodyDetailOut), summary="A custody notification with its timeline (audited)")
def read(request: HttpRequest, record_id: str) -> dict[str, Any]:
    user = _user(request)
    return _record(services.view_record(user, record_id, request), user, with_events=True)


@router.post("/custody/{record_id}/{action}", response=answers(CustodyDetailOut),
             summary="acknowledged, consular_access_asked, facts_asked (receiving side); facts_given, released (detaining side)")
def step(request: HttpRequest, record_id: str, action: CustodyStep, payload: StepIn) -> dict[str, Any]:
    user = _user(request)
    item = services.take_step(user, record_id, action.value, payload.text, request)
    return _record(CustodyRecord.objects.select_related("detaining_unit").get(pk=item.pk), user, with_events=True)
