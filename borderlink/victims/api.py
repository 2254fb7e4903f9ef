"""Victim cases over the API: the same services and access helpers as the pages (victims/services.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.notices.api import PersonIn, _person_input
from borderlink.victims import access, services, statistics
from borderlink.victims.models import VictimCase

router = Router(tags=["victims"])


class IdentifyIn(Schema):
    person: PersonIn
    home_country: str = Field(max_length=2)
    exploitation: str = Field(max_length=20)
    indicators: list[str] = Field(max_length=20)
    found_on: datetime.date
    found_place: str = Field(max_length=200)
    found_by: str = Field(max_length=200)
    age_band: str = Field(max_length=14)
    consents: list[dict[str, Any]] = Field(default_factory=list, max_length=5)


class StepIn(Schema):
    data: dict[str, Any] = Field(default_factory=dict, max_length=12)
    text: str = Field("", max_length=2000)


class OverrideIn(Schema):
    purpose: str = Field(max_length=20)
    ground: str = Field(max_length=20)
    reason: str = Field(max_length=2000)
    organisation: str = Field("", max_length=200)


class LinkIn(Schema):
    request: str = Field(max_length=40)


class PurgeIn(Schema):
    reason: str = Field(max_length=500)


class WindowQuery(Schema):
    start: datetime.date = Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 1, 1))
    end: datetime.date = Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 1, 1))


class YearQuery(Schema):
    year: int = Field(ge=2000, le=2100)


def case_out(case: VictimCase, user: Any) -> dict[str, Any]:
    """A case as its victim-protection officers read it (identity included; they may see it)."""
    from borderlink.victims import consent
    from borderlink.victims.models import Purpose
    from borderlink.victims.workflow import VICTIM

    side = access.side_of(user, case)
    return {
        "id": str(case.pk), "reference": case.reference, "state": case.state, "side": side,
        "name": case.person.primary_name, "sex": case.sex, "age_band": case.age_band,
        "finding_country": case.finding_country_id, "home_country": case.home_country_id,
        "exploitation": case.exploitation, "indicators": case.indicators, "found_on": case.found_on,
        "found_place": case.found_place, "found_by": case.found_by, "guardian": case.guardian,
        "best_interests_on": case.best_interests_on, "verification_request": case.verification_request,
        "plan": case.plan, "returned_on": case.returned_on, "closure": case.closure, "review_on": case.review_on,
        "consents": {p: consent.given(case, p) for p in Purpose.values if p != Purpose.SHARE_ORGANISATION},
        "possible_steps": [a for a, ok in VICTIM.possible_steps(case, side).items() if ok],
        "events": [{"id": str(e.pk), "at": e.at, "action": e.action, "side": e.side, "actor": e.actor_name,
                    "unit": e.actor_unit, "text": e.text, "data": e.data} for e in case.events.all()],
    }


@router.get("/victims/cases", response=dict, summary="The victim cases the user may see (victim-protection officers)")
def list_cases(request: HttpRequest) -> dict[str, Any]:
    rows = access.visible_cases(request.user).order_by("-found_on")[:200]
    return {"results": [{"id": str(c.pk), "reference": c.reference, "state": c.state, "home_country": c.home_country_id,
                         "finding_country": c.finding_country_id, "found_on": c.found_on} for c in rows]}


@router.post("/victims/cases", response={201: dict}, summary="Record an identified victim (with consents given)")
def identify(request: HttpRequest, payload: IdentifyIn) -> Status:
    data = services.IdentificationInput(**payload.dict(exclude={"person"}))
    case = services.identify(request.user, _person_input(payload.person), data, request)
    return Status(201, case_out(case, request.user))


@router.get("/victims/statistics", response=dict, summary="Counts without identities (cells under 10 suppressed)")
def figures(request: HttpRequest, query: Query[WindowQuery]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        return statistics.figures(request.user, query.start, query.end, request)
    except ValueError:
        raise ValidationError({"end": [_("Give a window of at most %(n)d months.") % {"n": statistics.MONTHS_MAX}]}) from None


@router.get("/victims/export.csv", summary="The year's cases in HTCDS fields, without names or documents (audited)")
def export(request: HttpRequest, query: Query[YearQuery]) -> HttpResponse:
    return HttpResponse(statistics.export_htcds(request.user, query.year, request), content_type="text/csv; charset=utf-8")


@router.get("/victims/cases/{case_id}", response=dict, summary="A case with its timeline (audited)")
def read(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return case_out(services.view_case(request.user, case_id, request), request.user)


@router.get("/victims/cases/{case_id}/facts", response=dict,
            summary="For investigators: the exploitation facts without identity, if the victim consented")
def facts(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return services.investigation_facts(request.user, case_id, request)


@router.post("/victims/cases/{case_id}/share", response=dict, summary="Send the case to the home country (needs consent)")
def share(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return case_out(services.share(request.user, case_id, request), request.user)


@router.post("/victims/cases/{case_id}/verification", response=dict, summary="Link the nationality verification request")
def link(request: HttpRequest, case_id: str, payload: LinkIn) -> dict[str, Any]:
    return case_out(services.link_verification(request.user, case_id, payload.request, request), request.user)


@router.post("/victims/cases/{case_id}/verification/answer", response=dict,
             summary="Take the step the verification request's answer sets")
def verification_answer(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return case_out(services.record_verification(request.user, case_id, request), request.user)


@router.post("/victims/cases/{case_id}/override", response=dict, summary="A supervisor's override (legal ground, reason)")
def override(request: HttpRequest, case_id: str, payload: OverrideIn) -> dict[str, Any]:
    case = services.override_consent(request.user, case_id, payload.purpose, payload.ground, payload.reason,
                                     payload.organisation, request)
    return case_out(case, request.user)


@router.post("/victims/cases/{case_id}/purge", response={204: None}, summary="Purge after the review date (audited)")
def purge(request: HttpRequest, case_id: str, payload: PurgeIn) -> Status:
    services.purge(request.user, case_id, payload.reason, request)
    return Status(204, None)


@router.post("/victims/cases/{case_id}/steps/{action}", response=dict,
             summary="consent, safeguards, return_planned, handed_over, closed (finding side); plan_accepted, "
                     "plan_declined, received, reception, follow_up, referral, closed_home (home side)")
def step(request: HttpRequest, case_id: str, action: str, payload: StepIn) -> dict[str, Any]:
    case = services.take_step(request.user, case_id, action, payload.data, payload.text, request)
    return case_out(case, request.user)
