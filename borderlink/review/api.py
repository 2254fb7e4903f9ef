"""The review through the API: the review of a year (or a plan) with both sides' figures, files built
by the worker (asked for, followed, downloaded), and sending this node's statistics to its peers. The same
services as the pages; 404 for anyone without the planner capability; a body or query out of its schema 422,
a rule the service refuses (a year not yet begun, a plan not yours) 400, as every other API of the node."""

from __future__ import annotations

import datetime
import uuid
from enum import Enum, StrEnum
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.core.schemas import InSchema
from borderlink.review import figures, services
from borderlink.review.models import ReportFormat, ReportState, ReviewReport

router = Router(tags=["review"])

Language = Enum("Language", {code: code for code, _name in settings.LANGUAGES}, type=str)  # type: ignore[misc]


class Country(StrEnum):
    VN = "VN"
    LA = "LA"
    KH = "KH"


class ReviewQuery(Schema):
    year: int | None = Field(None, ge=figures.YEAR_MIN, le=2199, description="The year (or give a plan).")
    country: Country | None = Field(None, description="The other country of the pair; every pair when absent.")
    plan: uuid.UUID | None = Field(None, description="A cooperation plan: its year and other country.")


class ReportIn(ReviewQuery, InSchema):
    language: Language = Field(description="vi, lo, km or en.")  # type: ignore[valid-type]
    format: ReportFormat = Field(description="html, pdf or xlsx.")


class ShareIn(InSchema):
    year: int = Field(ge=figures.YEAR_MIN, le=2199)


class CellOut(Schema):
    figure: str
    key: str
    month: int = Field(description="1-12; 0 for a victims' year total.")
    origin: str
    counterpart: str
    count: int | None = Field(description="None: suppressed (victims, under the threshold).")


class MedianOut(Schema):
    month: int = Field(description="1-12; 0 for the whole year.")
    origin: str
    counterpart: str
    hours: float


class ComparisonOut(Schema):
    figure: str
    key: str
    origin: str
    counterpart: str
    peer: str
    mine: int | None
    theirs: int | None
    differs: bool


class PeerOut(Schema):
    country: str
    computed_at: datetime.datetime
    received_at: datetime.datetime


class ExchangesOut(Schema):
    conferences: int = Field(description="the year's ministerial conference: 1 once recorded")
    conference_host: str
    conference_place: str
    delegations: int
    study_visits: int
    training_exchanges: int
    courses: int
    participants: dict[str, int] = Field(description="training participants per country")


class ReviewOut(Schema):
    year: int
    country: str
    cells: list[CellOut]
    medians: list[MedianOut]
    peers: list[PeerOut]
    comparison: list[ComparisonOut]
    discrepancies: int
    plan_items: list[dict[str, Any]] | None = None
    exchanges: ExchangesOut = Field(description="conferences, delegations, study visits and training of the year "
                                                "(the same records on every party's node)")


class ReportOut(Schema):
    id: str
    year: int
    country: str
    plan: str | None
    language: str
    format: ReportFormat
    state: ReportState
    progress: int = Field(description="Per cent done.")
    size: int
    sha256: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ShareOut(Schema):
    year: int
    sent_to: list[str]


def _input(query: ReviewQuery, user: Any, language: str = "en", fmt: str = ReportFormat.HTML) -> services.ReviewInput:
    """The service's checks (year not after this one, the plan exists, another country); its ValidationError
    is a 400 with the field's message, like every rule error of the API."""
    return services.parse_input(query.year, query.country.value if query.country else "",
                                str(query.plan) if query.plan else None, language, fmt, user)


def _report(report: ReviewReport) -> dict[str, Any]:
    return {"id": str(report.pk), "year": report.year, "country": report.country,
            "plan": str(report.plan_id) if report.plan_id else None,
            "language": report.language, "format": report.format, "state": report.state, "progress": report.progress,
            "size": report.size, "sha256": report.sha256, "created_at": report.created_at,
            "finished_at": report.finished_at}


@router.get("/review", response=answers(ReviewOut), summary="The year's figures of this node beside each peer's (audited)")
def review(request: HttpRequest, query: Query[ReviewQuery]) -> dict[str, Any]:
    services._require(request.user)
    data = services.view(request.user, _input(query, request.user), request)
    cells = [{"figure": name, **cell} for name, rows in data["mine"]["figures"].items() for cell in rows]
    return {"year": data["input"].year, "country": data["input"].country, "cells": cells, "medians": data["mine"]["medians"],
            "peers": [{"country": c, "computed_at": p.computed_at, "received_at": p.received_at}
                      for c, p in sorted(data["peers"].items())],
            "comparison": data["comparison"], "discrepancies": sum(1 for r in data["comparison"] if r["differs"]),
            "plan_items": data["plan_items"], "exchanges": data["exchanges"]}


@router.post("/review/reports", response=answers(ReportOut, 202), summary="Ask the worker for a review file")
def create_report(request: HttpRequest, payload: ReportIn) -> Status:
    services._require(request.user)
    inp = _input(payload, request.user, str(payload.language.value), str(payload.format))
    return Status(202, _report(services.request_report(request.user, inp, request)))


@router.get("/review/reports/{report_id}", response=answers(ReportOut), summary="A review file's state and progress")
def read_report(request: HttpRequest, report_id: str) -> dict[str, Any]:
    return _report(services.get_report(request.user, report_id))


@router.get("/review/reports/{report_id}/file", response=answers(str), summary="Download a built review file (audited)")
def download_report(request: HttpRequest, report_id: str) -> FileResponse:
    path, filename, content_type = services.open_report(request.user, report_id, request)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/review/statistics/share", response=answers(ShareOut), summary="Send this node's statistics to its peers")
def share(request: HttpRequest, payload: ShareIn) -> dict[str, Any]:
    services._require(request.user)
    sent = services.share_statistics(request.user, payload.year, request)
    return {"year": payload.year, "sent_to": sent}
