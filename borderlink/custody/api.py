"""Foreign nationals in custody over the API: the same services and access helpers as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.core.inputs import BoundedDateTime, Month

from borderlink.custody import access, services
from borderlink.custody.models import CustodyRecord
from borderlink.notices.api import PersonIn, _person_input

router = Router(tags=["custody"])


class CustodyIn(Schema):
    person: PersonIn
    nationality: str = Field(max_length=2)
    kind: str
    detained_at: BoundedDateTime
    place_held: str = Field(max_length=200)
    offence: str
    facts: str = Field("", max_length=10_000)
    consular_access_requested: bool = False
    handling_code: str = "H0"


class StepIn(Schema):
    text: str = Field("", max_length=10_000)


class MonthQuery(Schema):
    country: str = Field(max_length=2)
    month: Month


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


@router.post("/custody", response={201: dict}, summary="Record the arrest or detention of a national of another member country")
def create(request: HttpRequest, payload: CustodyIn) -> Status:
    user = _user(request)
    data = services.CustodyInput(**payload.dict(exclude={"person"}))
    item = services.record_custody(user, _person_input(payload.person), data, request)
    return Status(201, _record(item, user, with_events=True))


@router.get("/custody/monthly", response=dict, summary="The monthly list with one other country, both ways")
def monthly(request: HttpRequest, query: Query[MonthQuery]) -> dict[str, Any]:
    user = _user(request)
    rows = services.view_monthly(user, query.country, query.month, request)
    return {"results": [_record(r, user) for r in rows]}


@router.get("/custody/monthly.csv", summary="The monthly list as CSV (audited)")
def monthly_csv(request: HttpRequest, query: Query[MonthQuery]) -> HttpResponse:
    user = _user(request)
    return HttpResponse(services.export_csv(user, query.country, query.month, request), content_type="text/csv; charset=utf-8")


@router.get("/custody/{record_id}", response=dict, summary="A custody notification with its timeline (audited)")
def read(request: HttpRequest, record_id: str) -> dict[str, Any]:
    user = _user(request)
    return _record(services.view_record(user, record_id, request), user, with_events=True)


@router.post("/custody/{record_id}/{action}", response=dict,
             summary="acknowledged, consular_access_asked, facts_asked (receiving side); facts_given, released (detaining side)")
def step(request: HttpRequest, record_id: str, action: str, payload: StepIn) -> dict[str, Any]:
    user = _user(request)
    item = services.take_step(user, record_id, action, payload.text, request)
    return _record(CustodyRecord.objects.select_related("detaining_unit").get(pk=item.pk), user, with_events=True)
