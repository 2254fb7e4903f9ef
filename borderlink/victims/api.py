"""Victim cases over the API: the same services and access helpers as the pages (victims/services.py)."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.core import clock
from borderlink.core.schemas import InSchema
from borderlink.notices.api import PersonIn, _person_input
from borderlink.persons.models import Sex
from borderlink.victims import access, deadlines, services, statistics
from borderlink.victims.models import (
    Action,
    AgeBand,
    CaseState,
    Closure,
    Exploitation,
    Indicator,
    LegalGround,
    Purpose,
    VictimCase,
)

router = Router(tags=["victims"])


class CaseSide(enum.StrEnum):
    """The side a person acts for, or that took a step (system: the owner node's deadline clock)."""

    FINDING = "finding"
    HOME = "home"
    SYSTEM = "system"


class Band(enum.StrEnum):
    CHILD = "child"
    ADULT = "adult"


class Metric(enum.StrEnum):
    IDENTIFIED = "identified"
    VERIFIED = "verified"
    RETURNED = "returned"
    DECLINED_RETURN = "declined_return"
    FOLLOWED_UP = "followed_up"


class IdentifyIn(InSchema):
    person: PersonIn
    home_country: str = Field(max_length=2)
    exploitation: Exploitation
    indicators: list[Indicator] = Field(min_length=1, max_length=len(Indicator.values))
    found_on: datetime.date
    found_place: str = Field(max_length=200)
    found_by: str = Field(max_length=200)
    age_band: AgeBand
    consents: list[dict[str, Any]] = Field(default_factory=list, max_length=5)


class StepIn(InSchema):
    data: dict[str, Any] = Field(default_factory=dict, max_length=12)
    text: str = Field("", max_length=2000)


class StepAction(enum.StrEnum):
    """The steps a victim-protection officer takes with facts (services.PERSON_STEPS)."""

    CONSENT = "consent"
    CONSENT_HOME = "consent_home"
    SAFEGUARDS = "safeguards"
    RETURN_PLANNED = "return_planned"
    PLAN_ACCEPTED = "plan_accepted"
    PLAN_DECLINED = "plan_declined"
    HANDED_OVER = "handed_over"
    RECEIVED = "received"
    RECEPTION = "reception"
    FOLLOW_UP = "follow_up"
    REFERRAL = "referral"
    CLOSED = "closed"
    CLOSED_HOME = "closed_home"


class OverrideIn(InSchema):
    purpose: Purpose
    ground: LegalGround
    reason: str = Field(max_length=2000)
    organisation: str = Field("", max_length=200)


class LinkIn(InSchema):
    request: str = Field(max_length=40)


class PurgeIn(InSchema):
    reason: str = Field(max_length=500)


class EventOut(Schema):
    id: uuid.UUID
    at: datetime.datetime
    action: Action
    side: CaseSide | None
    actor: str
    unit: str
    text: str
    data: dict[str, Any]


class CaseRowOut(Schema):
    id: uuid.UUID
    reference: str
    state: CaseState
    finding_country: str
    home_country: str
    found_on: datetime.date
    deadline: datetime.datetime | None = Field(None, description="when the step owed in this state is due")
    overdue: bool


class CaseListOut(Schema):
    results: list[CaseRowOut]


class CaseOut(Schema):
    """A case as its victim-protection officers read it (identity included: they may see it)."""

    id: uuid.UUID
    reference: str
    state: CaseState
    side: CaseSide | None = Field(None, description="the side the reader acts for")
    name: str
    sex: Sex
    age_band: AgeBand
    finding_country: str
    home_country: str
    exploitation: Exploitation
    indicators: list[Indicator]
    found_on: datetime.date
    found_place: str
    found_by: str
    guardian: str
    best_interests_on: datetime.date | None
    verification_request: uuid.UUID | None
    plan: dict[str, Any]
    returned_on: datetime.date | None
    closure: Closure | None
    review_on: datetime.date
    deadline: datetime.datetime | None = Field(None, description="when the step owed in this state is due")
    owed_by: CaseSide | None = Field(None, description="the side that owes that step")
    overdue: bool
    consents: dict[str, bool] = Field(description="purpose: whether the current decision gives consent")
    possible_steps: list[Action]
    events: list[EventOut]


class FactsOut(Schema):
    """For investigators: the exploitation facts without identity."""

    id: uuid.UUID
    reference: str
    exploitation: Exploitation
    indicators: list[Indicator]
    found_month: str = Field(description="YYYY-MM")
    found_place: str
    finding_country: str
    home_country: str


class FactsListOut(Schema):
    results: list[FactsOut]


class CellOut(Schema):
    exploitation: Exploitation
    sex: Sex
    age_band: Band
    count: int | None = Field(description="None: suppressed (fewer than k, or its complement)")
    median_days: float | None


class RowOut(Schema):
    month: str
    finding_country: str
    home_country: str
    total: int | None
    cells: list[CellOut]


class TableOut(Schema):
    rows: list[RowOut]
    total: int | None


class StatisticsOut(Schema):
    k: int
    metrics: dict[Metric, TableOut]


class PurgedOut(Schema):
    id: uuid.UUID
    purged: bool


class WindowQuery(Schema):
    start: datetime.date = Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 1, 1))
    end: datetime.date = Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 1, 1))


class YearQuery(Schema):
    year: int = Field(ge=2000, le=2100)


def case_out(case: VictimCase, user: Any) -> dict[str, Any]:
    """A case as its victim-protection officers read it (the shape of `CaseOut`)."""
    from borderlink.victims import consent
    from borderlink.victims.models import Purpose
    from borderlink.victims.workflow import VICTIM

    side = access.side_of(user, case)
    owes = deadlines.owed_by(case)
    return {
        "id": case.pk, "reference": case.reference, "state": case.state, "side": side,
        "name": case.person.primary_name, "sex": case.sex, "age_band": case.age_band,
        "finding_country": case.finding_country_id, "home_country": case.home_country_id,
        "exploitation": case.exploitation, "indicators": case.indicators, "found_on": case.found_on,
        "found_place": case.found_place, "found_by": case.found_by, "guardian": case.guardian,
        "best_interests_on": case.best_interests_on, "verification_request": case.verification_request,
        "plan": case.plan, "returned_on": case.returned_on, "closure": case.closure or None, "review_on": case.review_on,
        "deadline": case.deadline if owes else None, "owed_by": owes, "overdue": deadlines.overdue(case, clock.now()),
        "consents": {p: consent.given(case, p) for p in Purpose.values if p != Purpose.SHARE_ORGANISATION},
        "possible_steps": [a for a, ok in VICTIM.possible_steps(case, side).items() if ok],
        "events": [{"id": e.pk, "at": e.at, "action": e.action, "side": e.side or None, "actor": e.actor_name,
                    "unit": e.actor_unit, "text": e.text, "data": e.data} for e in case.events.all()],
    }


@router.get("/victims/cases", response=answers(CaseListOut),
            summary="The victim cases the user may see (victim-protection officers)")
def list_cases(request: HttpRequest) -> dict[str, Any]:
    now = clock.now()
    rows = access.visible_cases(request.user).order_by("-found_on")[:200]
    return {"results": [{"id": c.pk, "reference": c.reference, "state": c.state, "home_country": c.home_country_id,
                         "finding_country": c.finding_country_id, "found_on": c.found_on,
                         "deadline": c.deadline if deadlines.owed_by(c) else None,
                         "overdue": deadlines.overdue(c, now)} for c in rows]}


@router.post("/victims/cases", response=answers(CaseOut, 201), summary="Record an identified victim (with consents given)")
def identify(request: HttpRequest, payload: IdentifyIn) -> Status:
    data = services.IdentificationInput(
        home_country=payload.home_country, exploitation=str(payload.exploitation),
        indicators=[str(i) for i in payload.indicators], found_on=payload.found_on,
        found_place=payload.found_place, found_by=payload.found_by, age_band=str(payload.age_band),
        consents=payload.consents)
    case = services.identify(request.user, _person_input(payload.person), data, request)
    return Status(201, case_out(case, request.user))


@router.get("/victims/statistics", response=answers(StatisticsOut),
            summary="Counts without identities (cells under 10 suppressed)")
def figures(request: HttpRequest, query: Query[WindowQuery]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        return statistics.figures(request.user, query.start, query.end, request)
    except ValueError:
        raise ValidationError({"end": [_("Give a window of at most %(n)d months.") % {"n": statistics.MONTHS_MAX}]}) from None


@router.get("/victims/export.csv", response=answers(str),
            summary="The year's cases in HTCDS fields, k-anonymised, without names or documents (audited)")
def export(request: HttpRequest, query: Query[YearQuery]) -> HttpResponse:
    return HttpResponse(statistics.export_htcds(request.user, query.year, request), content_type="text/csv; charset=utf-8")


@router.get("/victims/facts", response=answers(FactsListOut),
            summary="For investigators: the exploitation facts of their unit's cases whose victims consented")
def facts_list(request: HttpRequest) -> dict[str, Any]:
    return {"results": services.investigation_cases(request.user)}


@router.get("/victims/cases/{case_id}", response=answers(CaseOut), summary="A case with its timeline (audited)")
def read(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return case_out(services.view_case(request.user, case_id, request), request.user)


@router.get("/victims/cases/{case_id}/facts", response=answers(FactsOut),
            summary="For investigators: the exploitation facts without identity, if the victim consented")
def facts(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return services.investigation_facts(request.user, case_id, request)


@router.post("/victims/cases/{case_id}/share", response=answers(CaseOut),
             summary="Send the case to the home country (needs consent)")
def share(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return case_out(services.share(request.user, case_id, request), request.user)


@router.post("/victims/cases/{case_id}/verification", response=answers(CaseOut),
             summary="Link the nationality verification request (its answer then sets the next step by itself)")
def link(request: HttpRequest, case_id: str, payload: LinkIn) -> dict[str, Any]:
    return case_out(services.link_verification(request.user, case_id, payload.request, request), request.user)


@router.post("/victims/cases/{case_id}/verification/answer", response=answers(CaseOut),
             summary="Take by hand the step the verification request's answer sets, where it was not followed")
def verification_answer(request: HttpRequest, case_id: str) -> dict[str, Any]:
    return case_out(services.record_verification(request.user, case_id, request), request.user)


@router.post("/victims/cases/{case_id}/override", response=answers(CaseOut),
             summary="A supervisor's override (legal ground, reason)")
def override(request: HttpRequest, case_id: str, payload: OverrideIn) -> dict[str, Any]:
    case = services.override_consent(request.user, case_id, str(payload.purpose), str(payload.ground),
                                     payload.reason, payload.organisation, request)
    return case_out(case, request.user)


@router.post("/victims/cases/{case_id}/purge", response=answers(PurgedOut), summary="Purge after the review date (audited)")
def purge(request: HttpRequest, case_id: str, payload: PurgeIn) -> dict[str, Any]:
    case = access.get_case_for_user(request.user, case_id, request)
    services.purge(request.user, case.pk, payload.reason, request)
    return {"id": case.pk, "purged": True}


@router.post("/victims/cases/{case_id}/steps/{action}", response=answers(CaseOut),
             summary="consent, safeguards, return_planned, handed_over, closed (finding side); plan_accepted, "
                     "plan_declined, received, reception, follow_up, referral, closed_home (home side)")
def step(request: HttpRequest, case_id: str, action: StepAction, payload: StepIn) -> dict[str, Any]:
    case = services.take_step(request.user, case_id, str(action), payload.data, payload.text, request)
    return case_out(case, request.user)
