"""Liaison meetings over the API: the same services and access helpers as the pages."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from borderlink.border import meeting_access as access
from borderlink.border import meetings as services
from borderlink.border.models import Meeting
from borderlink.border.models.meetings import ActionState, MeetingKind

router = Router(tags=["border meetings"])


class MeetingIn(Schema):
    pair: str = Field(max_length=40)
    kind: MeetingKind
    starts_at: datetime.datetime
    place: str = Field(max_length=200)
    reason: str = Field("", max_length=5000)
    host: str = Field("", max_length=2)


class AnswerIn(Schema):
    text: str = Field("", max_length=20_000)
    starts_at: datetime.datetime | None = None
    place: str = Field("", max_length=200)


class AgendaIn(Schema):
    title: str = Field(max_length=300)
    link_kind: str = Field("", max_length=10, description="incident, request or notice")
    link_id: str = Field("", max_length=64)


class DelegateIn(Schema):
    name: str = Field(max_length=200)
    rank: str = Field("", max_length=100)
    unit: str = Field("", max_length=200)
    role: str = Field("", max_length=100)
    interpreter: bool = False


class DelegationIn(Schema):
    delegates: list[DelegateIn] = Field(min_length=1, max_length=30)


class MinutesIn(Schema):
    language: str = Field(max_length=8)
    text: str = Field(max_length=20_000)
    reason: str = Field("", max_length=2000)


class DecisionIn(Schema):
    outcome: str = Field(max_length=5000)
    review_date: datetime.date


class ActionItemIn(Schema):
    text: str = Field(max_length=5000)
    owner_side: str = Field(max_length=10, description="proposing or invited")
    owner_unit: str = Field(max_length=60, description="a unit code of that side's country")
    due_date: datetime.date


class ProgressIn(Schema):
    state: ActionState
    note: str = Field("", max_length=5000)


def _user(request: HttpRequest) -> Any:
    if not access.may_use_meetings(request.user):
        raise Http404("No access.")
    return request.user


def meeting_dict(meeting: Meeting, user: Any) -> dict[str, Any]:
    return {
        "id": str(meeting.pk), "reference": meeting.reference, "pair": meeting.pair.code, "kind": meeting.kind,
        "state": meeting.state, "starts_at": meeting.starts_at, "place": meeting.place, "host": meeting.host_country_id,
        "reason": meeting.reason, "proposing_unit": meeting.proposing_unit.code, "invited_unit": meeting.invited_unit.code,
        "side": access.side_of(user, meeting), "received_from": meeting.origin_node or None,
        "minutes_final": meeting.minutes_final_at is not None,
        "agenda": [{"id": str(a.pk), "side": a.side, "title": a.title, "carried_over": a.carried_over,
                    "link": {"kind": a.link_kind, "id": a.link_id} if access.may_see_link(user, a) else None}
                   for a in meeting.agenda.all()],
        "delegates": [{"side": d.side, "name": d.name, "rank": d.rank, "unit": d.unit, "role": d.role,
                       "interpreter": d.interpreter} for d in meeting.delegates.all()],
        "minutes": [{"id": str(m.pk), "side": m.side, "version": m.version, "language": m.language, "state": m.state,
                     "text": m.text, "correction_reason": m.correction_reason, "approved_by": m.approved_by_name}
                    for m in meeting.minutes.all()],
        "decisions": [{"id": str(d.pk), "outcome": d.outcome, "review_date": d.review_date} for d in meeting.decisions.all()],
        "action_items": [{"id": str(i.pk), "text": i.text, "owner_side": i.owner_side, "owner_unit": i.owner_unit.code,
                          "due_date": i.due_date, "state": i.state, "reminded": i.reminded_at is not None,
                          "escalated": i.escalated_at is not None,
                          "notes": [{"at": n.at, "state": n.state, "text": n.text} for n in i.notes.all()]}
                         for i in meeting.action_items.select_related("owner_unit")],
        "events": [{"id": str(e.pk), "at": e.at, "action": e.action, "side": e.side, "actor": e.actor_name,
                    "unit": e.actor_unit, "text": e.text} for e in meeting.events.all()],
    }


def _fresh(meeting_id: Any, user: Any) -> dict[str, Any]:
    return meeting_dict(access.get_meeting_for_user(user, meeting_id), user)


@router.post("/border/meetings", response={201: dict}, summary="Propose a liaison meeting to the province across the border")
def propose(request: HttpRequest, payload: MeetingIn) -> Status:
    user = _user(request)
    meeting = services.propose_meeting(user, services.MeetingInput(**payload.dict()), request)
    return Status(201, _fresh(meeting.pk, user))


@router.get("/border/meetings", response=list[dict], summary="Your meetings, newest first")
def list_meetings(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    rows = access.visible_meetings(user).select_related("pair", "proposing_unit", "invited_unit")[:200]
    return [{"id": str(m.pk), "reference": m.reference, "pair": m.pair.code, "kind": m.kind, "state": m.state,
             "starts_at": m.starts_at, "side": access.side_of(user, m)} for m in rows]


@router.get("/border/meetings/{meeting_id}", response=dict, summary="A meeting with its agenda, minutes and timeline (audited)")
def read(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    user = _user(request)
    return meeting_dict(services.view_meeting(user, meeting_id, request), user)


@router.post("/border/meetings/{meeting_id}/answer/{action}", response=dict,
             summary="accepted, countered, declined (invited side); counter_accepted, reproposed, counter_declined (proposing side)")
def answer(request: HttpRequest, meeting_id: str, action: str, payload: AnswerIn) -> dict[str, Any]:
    user = _user(request)
    services.answer(user, meeting_id, action, payload.text, payload.starts_at, payload.place, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/agenda", response=dict, summary="Add an agenda item")
def agenda(request: HttpRequest, meeting_id: str, payload: AgendaIn) -> dict[str, Any]:
    user = _user(request)
    services.add_agenda_item(user, meeting_id, payload.title, payload.link_kind, payload.link_id, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/delegation", response=dict, summary="Name your side's delegation")
def delegation(request: HttpRequest, meeting_id: str, payload: DelegationIn) -> dict[str, Any]:
    user = _user(request)
    services.name_delegation(user, meeting_id, [d.dict() for d in payload.delegates], request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/held", response=dict, summary="Record that the meeting took place")
def held(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    user = _user(request)
    services.record_held(user, meeting_id, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/minutes", response=dict, summary="Write your side's minutes (or a correction)")
def minutes(request: HttpRequest, meeting_id: str, payload: MinutesIn) -> dict[str, Any]:
    user = _user(request)
    services.write_minutes(user, meeting_id, payload.language, payload.text, payload.reason, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/minutes/approve", response=dict,
             summary="Approve your side's minutes (a supervisor, not their author)")
def approve_minutes(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    user = _user(request)
    services.approve_minutes(user, meeting_id, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/decisions", response=dict, summary="Record a decision with its review date")
def decision(request: HttpRequest, meeting_id: str, payload: DecisionIn) -> dict[str, Any]:
    user = _user(request)
    services.record_decision(user, meeting_id, payload.outcome, payload.review_date, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/action-items", response=dict, summary="Record an action item")
def action_item(request: HttpRequest, meeting_id: str, payload: ActionItemIn) -> dict[str, Any]:
    user = _user(request)
    services.record_action_item(user, meeting_id, payload.text, payload.owner_side, payload.owner_unit, payload.due_date,
                                request)
    return _fresh(meeting_id, user)


@router.post("/border/action-items/{item_id}/progress", response=dict, summary="Move an action item of your side on")
def progress(request: HttpRequest, item_id: uuid.UUID, payload: ProgressIn) -> dict[str, Any]:
    user = _user(request)
    item = services.progress(user, item_id, payload.state, payload.note, request)
    return _fresh(item.meeting_id, user)
