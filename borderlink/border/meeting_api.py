"""Liaison meetings and their regular schedules over the API: the same services and access helpers as the pages.
Every answer is a typed schema (borderlink.api_errors.answers), kinds, states, sides and steps are enums."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.border import meeting_access as access
from borderlink.border import meetings as services
from borderlink.border import schedules
from borderlink.border.models import Meeting, MeetingSchedule
from borderlink.border.models.meetings import (
    INVITED,
    PROPOSING,
    ActionState,
    Frequency,
    LinkKind,
    MeetingAction,
    MeetingKind,
    MeetingState,
    MinutesState,
)
from borderlink.core.schemas import InSchema
from borderlink.workflow import SYSTEM

router = Router(tags=["border meetings"])

Side = enum.Enum("Side", {s: s for s in (PROPOSING, INVITED)}, type=str)  # type: ignore[misc]
EventSide = enum.Enum("EventSide", {s: s for s in (PROPOSING, INVITED, SYSTEM)}, type=str)  # type: ignore[misc]
Answer = enum.Enum("Answer", {str(a): str(a) for a in services.ANSWERS}, type=str)  # type: ignore[misc]
Language = enum.Enum("Language", {code: code for code, _name in settings.LANGUAGES}, type=str)  # type: ignore[misc]


class MeetingIn(InSchema):
    pair: str = Field(max_length=40)
    kind: MeetingKind
    starts_at: datetime.datetime
    place: str = Field(max_length=200)
    reason: str = Field("", max_length=5000)
    host: str = Field("", max_length=2)


class AnswerIn(InSchema):
    text: str = Field("", max_length=20_000)
    starts_at: datetime.datetime | None = None
    place: str = Field("", max_length=200)


class AgendaIn(InSchema):
    title: str = Field(max_length=300)
    link_kind: LinkKind | None = Field(None, description="incident, request, notice or case (a joint case)")
    link_id: str = Field("", max_length=64)


class DelegateIn(InSchema):
    name: str = Field(max_length=200)
    rank: str = Field("", max_length=100)
    unit: str = Field("", max_length=200)
    role: str = Field("", max_length=100)
    interpreter: bool = False


class DelegationIn(InSchema):
    delegates: list[DelegateIn] = Field(min_length=1, max_length=30)


class MinutesIn(InSchema):
    language: Language
    text: str = Field(max_length=20_000)
    reason: str = Field("", max_length=2000)


class DecisionIn(InSchema):
    outcome: str = Field(max_length=5000)
    review_date: datetime.date


class ActionItemIn(InSchema):
    text: str = Field(max_length=5000)
    owner_side: Side = Field(description="proposing or invited")
    owner_unit: str = Field(max_length=60, description="a unit code of that side's country")
    due_date: datetime.date


class ProgressIn(InSchema):
    state: ActionState
    note: str = Field("", max_length=5000)


class ScheduleIn(InSchema):
    pair: str = Field(max_length=40, description="a province pair's code, see GET /border/pairs")
    frequency: Frequency
    first_starts_at: datetime.datetime = Field(description="the first meeting's date and time (with its offset)")
    first_host: str = Field(max_length=2, description="the country hosting the first meeting; then the sides alternate")
    place_here: str = Field(max_length=200, description="where, when your side hosts")
    place_across: str = Field(max_length=200, description="where, when the other side hosts")
    lead_days: int = Field(45, ge=schedules.LEAD_DAYS_MIN, le=schedules.LEAD_DAYS_MAX,
                           description="each meeting is proposed this many days before it")


class LinkOut(Schema):
    kind: LinkKind
    id: str


class AgendaOut(Schema):
    id: str
    side: Side
    title: str
    carried_over: bool
    link: LinkOut | None = Field(description="shown only when you may see the record")


class DelegateOut(Schema):
    side: Side
    name: str
    rank: str
    unit: str
    role: str
    interpreter: bool


class MinutesOut(Schema):
    id: str
    side: Side
    version: int
    language: Language
    state: MinutesState
    text: str
    correction_reason: str
    approved_by: str


class DecisionOut(Schema):
    id: str
    side: Side
    outcome: str
    review_date: datetime.date


class NoteOut(Schema):
    at: datetime.datetime
    state: ActionState
    text: str


class ActionItemOut(Schema):
    id: str
    side: Side = Field(description="the side that recorded it")
    text: str
    owner_side: Side
    owner_unit: str
    due_date: datetime.date
    state: ActionState
    reminded: bool
    escalated: bool
    notes: list[NoteOut]


class EventOut(Schema):
    id: str
    at: datetime.datetime
    action: MeetingAction
    side: EventSide = Field(description="proposing, invited, or system (the owner node's clock)")
    actor: str
    unit: str
    text: str


class MeetingRowOut(Schema):
    id: str
    reference: str
    pair: str
    kind: MeetingKind
    frequency: Frequency | None = Field(description="a regular meeting proposed by a schedule")
    state: MeetingState
    starts_at: datetime.datetime
    host: str
    side: Side | None = Field(description="the side you act for; none for a reader (a liaison officer)")


class MeetingOut(MeetingRowOut):
    place: str
    reason: str
    proposing_unit: str
    invited_unit: str
    received_from: str | None
    minutes_final: bool
    agenda: list[AgendaOut]
    delegates: list[DelegateOut]
    minutes: list[MinutesOut]
    decisions: list[DecisionOut]
    action_items: list[ActionItemOut]
    events: list[EventOut]


class OccurrenceOut(Schema):
    occurrence: int = Field(description="0 is the first meeting of the schedule")
    starts_at: datetime.datetime
    host: str
    place: str
    meeting_id: str | None = Field(description="the meeting proposed for it, once proposed")


class ScheduleOut(Schema):
    id: str
    pair: str
    unit: str
    frequency: Frequency
    first_starts_at: datetime.datetime
    first_host: str
    place_here: str
    place_across: str
    lead_days: int
    active: bool
    next: list[OccurrenceOut]


def _user(request: HttpRequest) -> Any:
    if not access.may_use_meetings(request.user):
        raise Http404("No access.")
    return request.user


def meeting_dict(meeting: Meeting, user: Any) -> dict[str, Any]:
    return {
        "id": str(meeting.pk), "reference": meeting.reference, "pair": meeting.pair.code, "kind": meeting.kind,
        "frequency": meeting.frequency or None,
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
        "decisions": [{"id": str(d.pk), "side": d.side, "outcome": d.outcome, "review_date": d.review_date}
                      for d in meeting.decisions.all()],
        "action_items": [{"id": str(i.pk), "side": i.side, "text": i.text, "owner_side": i.owner_side,
                          "owner_unit": i.owner_unit.code, "due_date": i.due_date, "state": i.state,
                          "reminded": i.reminded_at is not None, "escalated": i.escalated_at is not None,
                          "notes": [{"at": n.at, "state": n.state, "text": n.text} for n in i.notes.all()]}
                         for i in meeting.action_items.select_related("owner_unit")],
        "events": [{"id": str(e.pk), "at": e.at, "action": e.action, "side": e.side, "actor": e.actor_name,
                    "unit": e.actor_unit, "text": e.text} for e in meeting.events.all()],
    }


def _fresh(meeting_id: Any, user: Any) -> dict[str, Any]:
    return meeting_dict(access.get_meeting_for_user(user, meeting_id), user)


@router.post("/border/meetings", response=answers(MeetingOut, 201),
             summary="Propose a liaison meeting to the province across the border")
def propose(request: HttpRequest, payload: MeetingIn) -> Status:
    user = _user(request)
    meeting = services.propose_meeting(user, services.MeetingInput(**payload.dict()), request)
    return Status(201, _fresh(meeting.pk, user))


@router.get("/border/meetings", response=answers(list[MeetingRowOut]), summary="Your meetings, newest first")
def list_meetings(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    rows = access.visible_meetings(user).select_related("pair", "proposing_unit", "invited_unit")[:200]
    return [{"id": str(m.pk), "reference": m.reference, "pair": m.pair.code, "kind": m.kind, "frequency": m.frequency or None,
             "state": m.state, "starts_at": m.starts_at, "host": m.host_country_id, "side": access.side_of(user, m)}
            for m in rows]


@router.get("/border/meetings/{meeting_id}", response=answers(MeetingOut),
            summary="A meeting with its agenda, minutes and timeline (audited)")
def read(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    user = _user(request)
    return meeting_dict(services.view_meeting(user, meeting_id, request), user)


@router.post("/border/meetings/{meeting_id}/answer/{action}", response=answers(MeetingOut),
             summary="accepted, countered, declined (invited side); counter_accepted, reproposed, counter_declined (proposing side)")
def answer(request: HttpRequest, meeting_id: str, action: Answer, payload: AnswerIn) -> dict[str, Any]:
    user = _user(request)
    services.answer(user, meeting_id, action.value, payload.text, payload.starts_at, payload.place, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/agenda", response=answers(MeetingOut), summary="Add an agenda item")
def agenda(request: HttpRequest, meeting_id: str, payload: AgendaIn) -> dict[str, Any]:
    user = _user(request)
    services.add_agenda_item(user, meeting_id, payload.title, payload.link_kind or "", payload.link_id, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/delegation", response=answers(MeetingOut), summary="Name your side's delegation")
def delegation(request: HttpRequest, meeting_id: str, payload: DelegationIn) -> dict[str, Any]:
    user = _user(request)
    services.name_delegation(user, meeting_id, [d.dict() for d in payload.delegates], request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/held", response=answers(MeetingOut), summary="Record that the meeting took place")
def held(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    user = _user(request)
    services.record_held(user, meeting_id, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/minutes", response=answers(MeetingOut),
             summary="Write your side's minutes (or a correction)")
def minutes(request: HttpRequest, meeting_id: str, payload: MinutesIn) -> dict[str, Any]:
    user = _user(request)
    services.write_minutes(user, meeting_id, payload.language.value, payload.text, payload.reason, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/minutes/approve", response=answers(MeetingOut),
             summary="Approve your side's minutes (a supervisor, not their author)")
def approve_minutes(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    user = _user(request)
    services.approve_minutes(user, meeting_id, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/decisions", response=answers(MeetingOut),
             summary="Record a decision with its review date (either side)")
def decision(request: HttpRequest, meeting_id: str, payload: DecisionIn) -> dict[str, Any]:
    user = _user(request)
    services.record_decision(user, meeting_id, payload.outcome, payload.review_date, request)
    return _fresh(meeting_id, user)


@router.post("/border/meetings/{meeting_id}/action-items", response=answers(MeetingOut),
             summary="Record an action item (either side)")
def action_item(request: HttpRequest, meeting_id: str, payload: ActionItemIn) -> dict[str, Any]:
    user = _user(request)
    services.record_action_item(user, meeting_id, payload.text, payload.owner_side.value, payload.owner_unit,
                                payload.due_date, request)
    return _fresh(meeting_id, user)


@router.post("/border/action-items/{item_id}/progress", response=answers(MeetingOut),
             summary="Move an action item of your side on")
def progress(request: HttpRequest, item_id: uuid.UUID, payload: ProgressIn) -> dict[str, Any]:
    user = _user(request)
    item = services.progress(user, item_id, payload.state, payload.note, request)
    return _fresh(item.meeting_id, user)


def schedule_dict(schedule: MeetingSchedule) -> dict[str, Any]:
    return {"id": str(schedule.pk), "pair": schedule.pair.code, "unit": schedule.unit.code, "frequency": schedule.frequency,
            "first_starts_at": schedule.first_starts_at, "first_host": schedule.first_host_id,
            "place_here": schedule.place_here, "place_across": schedule.place_across, "lead_days": schedule.lead_days,
            "active": schedule.active,
            "next": [{**o, "meeting_id": str(o["meeting"].pk) if o["meeting"] else None}
                     for o in (schedules.next_meetings(schedule) if schedule.active else [])]}


@router.get("/border/meeting-schedules", response=answers(list[ScheduleOut]),
            summary="The regular meeting schedules of your unit, with their next meetings")
def list_schedules(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [schedule_dict(s) for s in schedules.visible_schedules(user)[:100]]


@router.post("/border/meeting-schedules", response=answers(ScheduleOut, 201),
             summary="Store a pair's regular schedule (a supervisor); the meetings within the lead time are proposed at once")
def create_schedule(request: HttpRequest, payload: ScheduleIn) -> Status:
    user = _user(request)
    schedule = schedules.create_schedule(user, schedules.ScheduleInput(**payload.dict()),
                                         request)
    return Status(201, schedule_dict(schedule))


@router.post("/border/meeting-schedules/{schedule_id}/stop", response=answers(ScheduleOut),
             summary="Stop a schedule of your unit (meetings proposed already stay)")
def stop_schedule(request: HttpRequest, schedule_id: str) -> dict[str, Any]:
    user = _user(request)
    return schedule_dict(schedules.stop_schedule(user, schedule_id, request))
