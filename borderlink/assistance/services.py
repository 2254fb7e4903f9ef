"""The life of a cross-border request, and of the handover that may follow it.

Each step is one function: it checks access, validates, runs in a transaction,
adds a `RequestEvent` to the shared timeline, writes the audit event and
queues the envelope that carries the step to the other side's node. The
transition table `STEPS` says which side may take which step from which
state; the receiving node checks steps from its peer against the same table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.assistance import access
from borderlink.assistance.models import (
    OPEN_STATES,
    TRACE_KINDS,
    Action,
    Alert,
    DeadlinePolicy,
    DeclineReason,
    Handover,
    HandoverState,
    Request,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestState,
    Result,
    Side,
    Urgency,
)
from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.core.models import BorderGate, Unit
from borderlink.exchange.attachments import CheckedFile, store
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import NoticeKind, NoticeState, Offence
from borderlink.notices.neutrality import screen

TEXT_MAX = 10_000
ATTACHMENTS_MAX = 10
RESULTS_MAX = 30
DEFAULT_HOURS = {"urgent_direct": 8, "urgent": 72, "normal": 168}
# A reminder goes out when this share of the time to answer is left (at least one hour before).
REMIND_WHEN_LEFT = 0.25


@dataclass(frozen=True)
class Step:
    side: str
    from_states: tuple[str, ...]
    to_state: str | None  # None: the request's state does not change
    handover_from: tuple[str | None, ...] = ()  # handover steps: the handover states they follow
    handover_to: str | None = None


_ANSWERING = (RequestState.ACCEPTED, RequestState.PARTLY_ANSWERED)
STEPS: dict[str, Step] = {
    Action.SUBMITTED: Step(Side.REQUESTING, (RequestState.DRAFT,), RequestState.SUBMITTED),
    Action.RETURNED: Step(Side.REQUESTING, (RequestState.SUBMITTED,), RequestState.DRAFT),
    Action.APPROVED: Step(Side.REQUESTING, (RequestState.SUBMITTED,), RequestState.APPROVED),
    Action.SENT: Step(Side.REQUESTING, (RequestState.APPROVED,), RequestState.SENT),
    Action.RECEIVED: Step(Side.REQUESTED, (RequestState.SENT,), RequestState.RECEIVED),
    Action.ACCEPTED: Step(Side.REQUESTED, (RequestState.RECEIVED,), RequestState.ACCEPTED),
    Action.CLARIFICATION_ASKED: Step(Side.REQUESTED, (RequestState.RECEIVED, RequestState.ACCEPTED), RequestState.CLARIFICATION),
    Action.CLARIFICATION_GIVEN: Step(Side.REQUESTING, (RequestState.CLARIFICATION,), RequestState.RECEIVED),
    Action.DECLINED: Step(Side.REQUESTED, (RequestState.RECEIVED, RequestState.ACCEPTED, RequestState.CLARIFICATION),
                          RequestState.DECLINED),
    Action.PARTLY_ANSWERED: Step(Side.REQUESTED, _ANSWERING, RequestState.PARTLY_ANSWERED),
    Action.ANSWERED: Step(Side.REQUESTED, _ANSWERING, RequestState.ANSWERED),
    Action.CLOSED: Step(Side.REQUESTING, (*OPEN_STATES, RequestState.ANSWERED, RequestState.DECLINED), RequestState.CLOSED),
    Action.REMINDER: Step(Side.SYSTEM, OPEN_STATES, None),
    Action.ESCALATED: Step(Side.SYSTEM, OPEN_STATES, None),
    Action.LOCATED: Step(Side.REQUESTED, _ANSWERING, None, (None,), HandoverState.LOCATED),
    Action.ARRESTED: Step(Side.REQUESTED, _ANSWERING, None, (None, HandoverState.LOCATED), HandoverState.ARRESTED),
    Action.HANDOVER_PLANNED: Step(Side.REQUESTED, _ANSWERING, None, (HandoverState.ARRESTED, HandoverState.PLANNED),
                                  HandoverState.PLANNED),
    Action.HANDED_OVER: Step(Side.REQUESTED, _ANSWERING, RequestState.ANSWERED, (HandoverState.PLANNED,),
                             HandoverState.HANDED_OVER),
    Action.HANDOVER_CLOSED: Step(Side.REQUESTING, (RequestState.ANSWERED,), RequestState.CLOSED, (HandoverState.HANDED_OVER,),
                                 HandoverState.CLOSED),
}
# Steps that stay on the requesting node: the other side learns of the request only when it is sent.
LOCAL_STEPS = set(access.INTERNAL_STEPS)
HANDOVER_STEPS = {a for a, s in STEPS.items() if s.handover_to}


@dataclass
class RequestInput:
    kind: str
    requested_unit_id: Any
    offence: str
    subject: str
    details: str
    urgency: str = Urgency.NORMAL
    data_held_directly: bool = False
    person_name: str = ""
    identifier: str = ""
    notice_id: Any = None
    handling_code: str = HandlingCode.H0
    requested_deadline: datetime.datetime | None = None


@dataclass
class ResultInput:
    kind: str
    value: str = ""


@dataclass
class HandoverInput:
    """The facts of one handover step; which ones count depends on the step."""

    at: datetime.datetime | None = None
    place: str = ""
    gate_id: Any = None
    escort_requesting_unit_id: Any = None
    escort_requested_unit_id: Any = None
    documents: str = ""
    handed_by: str = ""
    received_by: str = ""


@dataclass
class Answer:
    text: str
    results: list[ResultInput] = field(default_factory=list)
    attachments: list[CheckedFile] = field(default_factory=list)
    partial: bool = False


# --- helpers -----------------------------------------------------------------------------------------------


def _iso(moment: datetime.datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or clock.now()


def _require(user: Any) -> None:
    if not access.may_use_requests(user):
        raise Http404("No access.")


def _actor_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _check_text(value: str, field_name: str, errors: dict[str, list[str]], required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field_name, []).append(_("This field is required."))
    elif len(value) > TEXT_MAX:
        errors.setdefault(field_name, []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX})
    return value


def policy_hours(requesting_country: str, requested_country: str, urgency: str, data_held_directly: bool) -> int:
    policy = DeadlinePolicy.objects.filter(requesting_country_id=requesting_country, requested_country_id=requested_country).first()
    if urgency == Urgency.URGENT:
        if data_held_directly:
            return policy.urgent_direct_hours if policy else DEFAULT_HOURS["urgent_direct"]
        return policy.urgent_hours if policy else DEFAULT_HOURS["urgent"]
    return policy.normal_hours if policy else DEFAULT_HOURS["normal"]


def _reference(unit: Unit, now: datetime.datetime) -> str:
    count = Request.objects.filter(requesting_unit=unit, created_at__year=now.year).count() + 1
    return f"{unit.code}/{now.year}/{count:04d}"


def add_event(req: Request, action: str, side: str, *, actor: Any = None, actor_name: str = "", actor_unit: str = "",
              from_state: str = "", text: str = "", data: dict[str, Any] | None = None, at: datetime.datetime | None = None,
              event_id: Any = None, origin_node: str = "") -> RequestEvent:
    kwargs: dict[str, Any] = {"id": event_id} if event_id else {}
    at = at or clock.now()
    last = req.events.order_by("-at").values_list("at", flat=True).first()
    if last is not None and at <= last:  # steps taken in one instant keep their order on the timeline
        at = last + datetime.timedelta(microseconds=1)
    return RequestEvent.objects.create(
        request=req, at=at, actor=actor, actor_name=actor_name or _actor_name(actor),
        actor_unit=actor_unit or (actor.unit.code if actor is not None and actor.unit_id else ""), side=side, action=action,
        from_state=from_state, to_state=req.state, text=text, data=data or {}, origin_node=origin_node, **kwargs,
    )


def _alert(unit: Unit, kind: str, req: Request, supervisors_only: bool = False, at: datetime.datetime | None = None) -> None:
    Alert.objects.create(unit=unit, kind=kind, supervisors_only=supervisors_only, title=str(req)[:200],
                         url=f"/requests/{req.pk}/", created_at=at or clock.now())


def other_country(req: Request, side: str) -> str:
    """The country of the node that must hear of a step taken by `side`."""
    return req.requesting_unit.country_id if side == Side.REQUESTED else req.requested_unit.country_id


def _send(req: Request, event: RequestEvent) -> None:
    """Carry a step to the other side's node (nothing when both sides are on this node)."""
    from borderlink.assistance.federation import queue_event

    if event.action not in LOCAL_STEPS:
        queue_event(req, event)


def _take(user: Any, req: Request, action: str, *, text: str = "", data: dict[str, Any] | None = None,
          attachments: list[CheckedFile] | None = None, http_request: HttpRequest | None = None,
          now: datetime.datetime | None = None) -> RequestEvent:
    """Move the request by one step of `STEPS` for the user's side; the caller holds the transaction.
    An answer records whether it came after the deadline; its attachments travel with the step."""
    step = STEPS[action]
    if access.side_of(user, req) != step.side:
        raise Http404("No access.")
    req = Request.objects.select_for_update().get(pk=req.pk)
    if req.state not in step.from_states:
        raise ValidationError(_("This step is not possible while the request is %(state)s.") % {"state": req.get_state_display()})
    from_state = req.state
    at = _now(now)
    data = dict(data or {})
    if action in (Action.PARTLY_ANSWERED, Action.ANSWERED):
        data["late"] = req.deadline is not None and at > req.deadline
    apply_state(req, action, at)
    event = add_event(req, action, step.side, actor=user, from_state=from_state, text=text, data=data, at=at)
    store_attachments(event, attachments or [])
    record(user, f"assistance.request.{action}", object_type="request", object_id=req.pk,
           data={"from": from_state, "to": req.state, "late": data.get("late", False),
                 "attachments": len(attachments or [])}, request=http_request)
    notify(req, action, at)
    _send(req, event)
    return event


def apply_state(req: Request, action: str, at: datetime.datetime) -> None:
    """The request's fields after a step (on the node that took it and on the node that receives it)."""
    step = STEPS.get(action)
    if step is None or step.to_state is None:
        if action == Action.REMINDER:
            req.reminded_at = at
        elif action == Action.ESCALATED:
            req.escalated_at = at
        req.save()
        return
    to_state = step.to_state
    if action == Action.CLARIFICATION_GIVEN and req.events.filter(action=Action.ACCEPTED).exists():
        to_state = RequestState.ACCEPTED
    req.state = to_state
    if action == Action.SENT:
        req.sent_at = at
    if action in (Action.PARTLY_ANSWERED, Action.ANSWERED, Action.DECLINED, Action.HANDED_OVER) and req.first_answer_at is None:
        req.first_answer_at = at
    if action in (Action.ANSWERED, Action.DECLINED, Action.HANDED_OVER):
        req.answered_at = at
    if to_state == RequestState.CLOSED:
        req.closed_at = at
    req.save()


# --- writing and sending -------------------------------------------------------------------------------------


def _validate(user: Any, data: RequestInput, now: datetime.datetime) -> tuple[Unit, Any]:
    from borderlink.notices.access import visible_notices

    errors: dict[str, list[str]] = {}
    if data.kind not in RequestKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of request from the list."))
    if data.urgency not in Urgency.values:
        errors.setdefault("urgency", []).append(_("Choose the urgency."))
    if data.offence not in Offence.values:
        errors.setdefault("offence", []).append(_("Choose the offence from the list of ordinary-law crimes."))
    if data.handling_code not in HandlingCode.values:
        errors.setdefault("handling_code", []).append(_("Choose a handling code from the list."))
    subject = (data.subject or "").strip()
    if not subject:
        errors.setdefault("subject", []).append(_("Give the request a subject."))
    elif len(subject) > 200:
        errors.setdefault("subject", []).append(_("At most %(n)d characters.") % {"n": 200})
    _check_text(data.details, "details", errors)
    if len((data.person_name or "").strip()) > 200:
        errors.setdefault("person_name", []).append(_("At most %(n)d characters.") % {"n": 200})
    if data.kind in TRACE_KINDS and not (data.identifier or "").strip():
        errors.setdefault("identifier", []).append(_("Give the phone number, account, plate or wallet to trace."))
    if len((data.identifier or "").strip()) > 200:
        errors.setdefault("identifier", []).append(_("At most %(n)d characters.") % {"n": 200})
    if data.requested_deadline is not None and data.requested_deadline <= now:
        errors.setdefault("requested_deadline", []).append(_("The deadline is in the past."))
    unit = None
    try:
        unit = Unit.objects.select_related("country").filter(pk=int(data.requested_unit_id)).first()
    except (TypeError, ValueError):
        unit = None
    if unit is None:
        errors.setdefault("requested_unit", []).append(_("Choose the unit of another member country that should answer."))
    elif unit.country_id == user.unit.country_id:
        errors.setdefault("requested_unit", []).append(_("A request goes to a unit of another member country."))
    notice = None
    if data.kind == RequestKind.ARREST_HANDOVER:
        notice = visible_notices(user).filter(pk=data.notice_id).first() if data.notice_id else None
        if notice is None or notice.issuing_unit_id != user.unit_id or notice.kind != NoticeKind.WANTED_ARREST:
            errors.setdefault("notice", []).append(_("An arrest and handover request needs a wanted-for-arrest notice of your unit."))
            notice = None
    elif data.notice_id:
        notice = visible_notices(user).filter(pk=data.notice_id).first()
        if notice is None:
            errors.setdefault("notice", []).append(_("Choose a notice you may see."))
    if errors or unit is None:
        raise ValidationError(errors)
    return unit, notice


def _fill(req: Request, data: RequestInput, unit: Unit, notice: Any) -> None:
    req.kind, req.urgency, req.offence = data.kind, data.urgency, data.offence
    req.data_held_directly = bool(data.data_held_directly)
    req.subject, req.details = data.subject.strip(), data.details.strip()
    req.person_name = (data.person_name or "").strip() or (str(notice.subject) if notice is not None else "")
    req.identifier = (data.identifier or "").strip()
    req.requested_unit, req.notice, req.handling_code = unit, notice, data.handling_code
    req.requested_deadline = data.requested_deadline
    req.neutrality_flags = screen(req.subject, req.details)


def create_request(user: Any, data: RequestInput, http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    """A draft request of the user's unit to a unit of another member country."""
    _require(user)
    at = _now(now)
    unit, notice = _validate(user, data, at)
    with transaction.atomic():
        req = Request(requesting_unit_id=user.unit_id, created_by=user, reference=_reference(user.unit, at))
        _fill(req, data, unit, notice)
        req.save()
        add_event(req, Action.CREATED, Side.REQUESTING, actor=user, at=at)
        record(user, "assistance.request.created", object_type="request", object_id=req.pk,
               data={"kind": req.kind, "to": unit.code}, request=http_request)
    return req


def update_request(user: Any, request_id: Any, data: RequestInput, http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    """Change a draft of the user's unit."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if access.side_of(user, req) != Side.REQUESTING:
        raise Http404("No access.")
    if req.state != RequestState.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    unit, notice = _validate(user, data, _now(now))
    with transaction.atomic():
        _fill(req, data, unit, notice)
        req.save()
        record(user, "assistance.request.changed", object_type="request", object_id=req.pk, request=http_request)
    return req


def submit_request(user: Any, request_id: Any, http_request: HttpRequest | None = None) -> Request:
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    with transaction.atomic():
        _take(user, req, Action.SUBMITTED, http_request=http_request)
    return Request.objects.get(pk=req.pk)


def return_request(user: Any, request_id: Any, reason: str, http_request: HttpRequest | None = None) -> Request:
    """A supervisor sends a submitted request back to draft, with the reason."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if not access.can_approve(user, req):
        raise Http404("No access.")
    errors: dict[str, list[str]] = {}
    reason = _check_text(reason, "reason", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _take(user, req, Action.RETURNED, text=reason, http_request=http_request)
    return Request.objects.get(pk=req.pk)


def refusals(req: Request) -> list[str]:
    """Why a request may not leave, in the reader's language."""
    reasons = []
    if req.kind == RequestKind.ARREST_HANDOVER:
        notice = req.notice
        if notice is None or notice.state != NoticeState.PUBLISHED:
            reasons.append(_("The wanted notice is not published."))
        elif req.requested_unit.country_id not in set(notice.shared_with.values_list("code", flat=True)):
            reasons.append(_("The wanted notice is not shared with the requested country."))
        subject = notice.subject if notice is not None else None
        if subject is not None and subject.is_refugee and subject.refugee_from_id == req.requesting_unit.country_id:
            reasons.append(_("The person is recorded as a refugee or asylum seeker from the requesting country."))
    return reasons


def approve_request(user: Any, request_id: Any, justification: str = "", http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> Request:
    """Four eyes: a supervisor of the requesting unit, not the author, approves; the request leaves at once.
    The deadline runs from now: the one asked for, or the policy of the pair of countries."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if access.side_of(user, req) != Side.REQUESTING or not user.has_capability("supervisor"):
        raise Http404("No access.")
    if req.state != RequestState.SUBMITTED:
        raise ValidationError(_("This request is not awaiting approval."))
    if req.created_by_id == user.pk:
        raise ValidationError(_("You cannot approve your own request: another supervisor must."))
    at = _now(now)
    reasons = refusals(req)
    if req.requested_deadline is not None and req.requested_deadline <= at:
        reasons.append(_("The deadline asked for has passed: return the request to its author to set a new one."))
    if reasons:
        raise ValidationError(reasons, code="refused")
    justification = (justification or "").strip()
    if req.neutrality_flags and not justification:
        terms = ", ".join(f["term"] for f in req.neutrality_flags)
        raise ValidationError({"justification": [
            _("The text suggests a political, religious, ethnic or military purpose (%(terms)s). Approve only with a written justification.") % {"terms": terms}
        ]})
    with transaction.atomic():
        req.approved_by = user
        req.neutrality_justification = justification if req.neutrality_flags else ""
        hours = policy_hours(req.requesting_unit.country_id, req.requested_unit.country_id, req.urgency, req.data_held_directly)
        req.deadline = req.requested_deadline or at + datetime.timedelta(hours=hours)
        req.save()
        if req.neutrality_flags:
            record(user, "assistance.request.neutrality_override", object_type="request", object_id=req.pk,
                   data={"flags": [f["term"] for f in req.neutrality_flags], "justification": justification}, request=http_request)
        _take(user, req, Action.APPROVED, text=justification, http_request=http_request, now=at)
        req.refresh_from_db()
        _take_sent(user, req, at, http_request)
    return Request.objects.get(pk=req.pk)


def _take_sent(user: Any, req: Request, at: datetime.datetime, http_request: HttpRequest | None) -> None:
    from borderlink.assistance.federation import queue_opened

    req = Request.objects.select_for_update().get(pk=req.pk)
    apply_state(req, Action.SENT, at)
    add_event(req, Action.SENT, Side.REQUESTING, actor=user, from_state=RequestState.APPROVED,
              data={"deadline": _iso(req.deadline)}, at=at)
    record(user, "assistance.request.sent", object_type="request", object_id=req.pk,
           data={"to": req.requested_unit.code, "deadline": _iso(req.deadline)}, request=http_request)
    if not queue_opened(req):  # the requested unit is on this node: it receives at once
        receive(req, at)


def receive(req: Request, at: datetime.datetime | None = None) -> RequestEvent:
    """The requested node registers a request that arrived; the requesting side hears it was received."""
    at = _now(at)
    req = Request.objects.select_for_update().get(pk=req.pk)
    apply_state(req, Action.RECEIVED, at)
    event = add_event(req, Action.RECEIVED, Side.REQUESTED, actor_unit=req.requested_unit.code,
                      from_state=RequestState.SENT, at=at)
    notify(req, Action.RECEIVED, at)
    record(None, "assistance.request.received", object_type="request", object_id=req.pk,
           data={"from": req.requesting_unit.code})
    _send(req, event)
    return event


# --- the requested side ----------------------------------------------------------------------------------


def _text_step(user: Any, request_id: Any, action: str, text: str, required: bool, http_request: HttpRequest | None,
               now: datetime.datetime | None) -> Request:
    """A step that carries only a text: checked for the user's side first, then for the text."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if access.side_of(user, req) != STEPS[action].side:
        raise Http404("No access.")
    errors: dict[str, list[str]] = {}
    text = _check_text(text, "text", errors, required=required)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _take(user, req, action, text=text, http_request=http_request, now=now)
    return Request.objects.get(pk=req.pk)


def accept_request(user: Any, request_id: Any, text: str = "", http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    return _text_step(user, request_id, Action.ACCEPTED, text, False, http_request, now)


def clarify(user: Any, request_id: Any, text: str, http_request: HttpRequest | None = None,
            now: datetime.datetime | None = None) -> Request:
    """The requested side asks a question; the requesting side answers one. The user's side says which."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    action = Action.CLARIFICATION_GIVEN if access.side_of(user, req) == Side.REQUESTING else Action.CLARIFICATION_ASKED
    return _text_step(user, req.pk, action, text, True, http_request, now)


def decline_request(user: Any, request_id: Any, reason: str, text: str, http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> Request:
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    errors: dict[str, list[str]] = {}
    if reason not in DeclineReason.values:
        errors.setdefault("reason", []).append(_("Choose the reason from the list."))
    text = _check_text(text, "text", errors, required=reason == DeclineReason.OTHER)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _take(user, req, Action.DECLINED, text=text, data={"reason": reason}, http_request=http_request, now=now)
    return Request.objects.get(pk=req.pk)


def _validate_answer(answer: Answer) -> tuple[str, list[dict[str, str]]]:
    errors: dict[str, list[str]] = {}
    text = _check_text(answer.text, "text", errors)
    results = []
    if len(answer.results) > RESULTS_MAX:
        errors.setdefault("results", []).append(_("At most %(n)d findings.") % {"n": RESULTS_MAX})
    for result in answer.results:
        value = (result.value or "").strip()
        if result.kind not in Result.values:
            errors.setdefault("results", []).append(_("Choose each finding from the list."))
        elif len(value) > 300:
            errors.setdefault("results", []).append(_("At most %(n)d characters.") % {"n": 300})
        elif result.kind in (Result.DOCUMENT_NUMBER, Result.ADDRESS, Result.OTHER) and not value:
            errors.setdefault("results", []).append(_("A document number, address or other finding needs its value."))
        else:
            results.append({"kind": result.kind, "value": value})
    if len(answer.attachments) > ATTACHMENTS_MAX:
        errors.setdefault("attachments", []).append(_("At most %(n)d attachments.") % {"n": ATTACHMENTS_MAX})
    if errors:
        raise ValidationError(errors)
    return text, results


def store_attachments(event: RequestEvent, files: list[CheckedFile]) -> None:
    for checked in files:
        RequestAttachment.objects.create(event=event, filename=checked.filename, content_type=checked.content_type,
                                         size=checked.size, sha256=checked.sha256, storage_name=store(checked))


def answer_request(user: Any, request_id: Any, answer: Answer, http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    """The requested side answers, in part or in full, with text, findings and attachments."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if access.side_of(user, req) != Side.REQUESTED:
        raise Http404("No access.")
    text, results = _validate_answer(answer)
    action = Action.PARTLY_ANSWERED if answer.partial else Action.ANSWERED
    with transaction.atomic():
        _take(user, req, action, text=text, data={"results": results}, attachments=answer.attachments,
              http_request=http_request, now=now)
    return Request.objects.get(pk=req.pk)


def close_request(user: Any, request_id: Any, text: str = "", http_request: HttpRequest | None = None,
                  now: datetime.datetime | None = None) -> Request:
    """The requesting side closes; an arrest-and-handover request closes with its handover."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if access.side_of(user, req) == Side.REQUESTING and req.state == RequestState.ANSWERED and Handover.objects.filter(
            request=req).exclude(state=HandoverState.CLOSED).exists():
        raise ValidationError(_("Close the handover once the person is received."))
    return _text_step(user, req.pk, Action.CLOSED, text, False, http_request, now)


def read_request(user: Any, request_id: Any, http_request: HttpRequest | None = None) -> Request:
    """Open a request: every view is audited."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    record(user, "assistance.request.viewed", object_type="request", object_id=req.pk, request=http_request)
    return req


# --- deadlines -----------------------------------------------------------------------------------------------


def reminder_due_at(req: Request) -> datetime.datetime | None:
    if req.deadline is None or req.sent_at is None:
        return None
    window = req.deadline - req.sent_at
    return req.deadline - max(window * REMIND_WHEN_LEFT, datetime.timedelta(hours=1))


def check_deadlines(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the requested unit as the deadline nears; escalate an overdue request to the supervisors of
    both sides. Run by the node that sent the request (it owns the clock of its requests); each reminder and
    escalation is claimed with a conditional update, so several workers never repeat one."""
    at = _now(now)
    counts = {"reminders": 0, "escalations": 0}
    mine = Request.objects.filter(origin_node="", state__in=OPEN_STATES, deadline__isnull=False).select_related(
        "requesting_unit", "requested_unit")
    for req in mine.filter(escalated_at__isnull=True, deadline__lte=at):
        with transaction.atomic():
            if not Request.objects.filter(pk=req.pk, escalated_at__isnull=True).update(escalated_at=at):
                continue
            req.refresh_from_db()
            event = add_event(req, Action.ESCALATED, Side.SYSTEM, at=at, data={"deadline": _iso(req.deadline)})
            notify(req, Action.ESCALATED, at)
            record(None, "assistance.request.escalated", object_type="request", object_id=req.pk,
                   data={"deadline": _iso(req.deadline)})
            _send(req, event)
            counts["escalations"] += 1
    for req in mine.filter(reminded_at__isnull=True, escalated_at__isnull=True, deadline__gt=at):
        due = reminder_due_at(req)
        if due is None or at < due:
            continue
        with transaction.atomic():
            if not Request.objects.filter(pk=req.pk, reminded_at__isnull=True).update(reminded_at=at):
                continue
            req.refresh_from_db()
            event = add_event(req, Action.REMINDER, Side.SYSTEM, at=at, data={"deadline": _iso(req.deadline)})
            notify(req, Action.REMINDER, at)
            record(None, "assistance.request.reminder", object_type="request", object_id=req.pk,
                   data={"deadline": _iso(req.deadline)})
            _send(req, event)
            counts["reminders"] += 1
    return counts


def _hosted(unit: Unit) -> bool:
    from borderlink.federation.node import hosts_country

    return hosts_country(unit.country_id)


REPLIES = {Action.CLARIFICATION_ASKED, Action.DECLINED, Action.PARTLY_ANSWERED, Action.ANSWERED, Action.HANDED_OVER}


def notify(req: Request, action: str, at: datetime.datetime) -> None:
    """Alert the units this node hosts that a step concerns (each node alerts its own side)."""
    if action == Action.RECEIVED and _hosted(req.requested_unit):
        _alert(req.requested_unit, Alert.Kind.REQUEST_RECEIVED, req, at=at)
    elif action == Action.REMINDER and _hosted(req.requested_unit):
        _alert(req.requested_unit, Alert.Kind.REMINDER, req, at=at)
    elif action == Action.ESCALATED:
        for unit in (req.requesting_unit, req.requested_unit):
            if _hosted(unit):
                _alert(unit, Alert.Kind.ESCALATED, req, supervisors_only=True, at=at)
    elif action in REPLIES and _hosted(req.requesting_unit):
        _alert(req.requesting_unit, Alert.Kind.ANSWERED, req, at=at)


# --- handover --------------------------------------------------------------------------------------------------


def gates_between(a: str, b: str) -> Any:
    return BorderGate.objects.valid_on().filter(
        Q(side_a_country_id=a, side_b_country_id=b) | Q(side_a_country_id=b, side_b_country_id=a))


def gate_key(gate: BorderGate) -> dict[str, str]:
    return {"side_a_country": gate.side_a_country_id, "side_a_name": gate.side_a_name, "side_b_country": gate.side_b_country_id}


def refugee_from_requesting_country(req: Request) -> bool:
    """The wanted person is recorded on this node as a refugee or asylum seeker from the requesting country:
    the notice's subject, or a person this node recorded who shares an identity document with the subject."""
    from borderlink.persons.models import Person

    country = req.requesting_unit.country_id
    subject = req.notice.subject if req.notice is not None else None
    if subject is None:
        return False
    if subject.is_refugee and subject.refugee_from_id == country:
        return True
    numbers = [(d.issuing_country_id, d.number_normalised) for d in subject.documents.all()]
    if not numbers:
        return False
    match = Q()
    for issuing, number in numbers:
        match |= Q(documents__issuing_country_id=issuing, documents__number_normalised=number)
    return Person.objects.filter(match, is_refugee=True, refugee_from_id=country).exclude(pk=subject.pk).exists()


def _handover_errors(req: Request, action: str, data: HandoverInput, handover: Handover | None,
                     at: datetime.datetime) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Check the facts of a handover step; returns the errors and the fields to store."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    when = data.at
    if action != Action.HANDOVER_CLOSED and when is None:
        errors.setdefault("at", []).append(_("Give the date and time."))
    if action in (Action.LOCATED, Action.ARRESTED, Action.HANDED_OVER) and when is not None and when > at:
        errors.setdefault("at", []).append(_("This cannot be in the future."))
    place = (data.place or "").strip()
    if action in (Action.LOCATED, Action.ARRESTED):
        if not place:
            errors.setdefault("place", []).append(_("Say where."))
        elif len(place) > 200:
            errors.setdefault("place", []).append(_("At most %(n)d characters.") % {"n": 200})
    if action == Action.LOCATED:
        fields.update(located_at=when, location=place)
    elif action == Action.ARRESTED:
        located = handover.located_at if handover else None
        if when is not None and located is not None and when < located:
            errors.setdefault("at", []).append(_("The arrest cannot be before the person was located."))
        fields.update(arrested_at=when, held_at=place)
    elif action == Action.HANDOVER_PLANNED:
        countries = (req.requesting_unit.country_id, req.requested_unit.country_id)
        gate = None
        try:
            gate = gates_between(*countries).filter(pk=int(data.gate_id)).first()
        except (TypeError, ValueError):
            gate = None
        if gate is None:
            errors.setdefault("gate", []).append(_("Choose a border gate between the two countries from the reference list."))
        arrested = handover.arrested_at if handover else None
        if when is not None and arrested is not None and when <= arrested:
            errors.setdefault("at", []).append(_("The handover cannot be planned before the arrest."))
        if when is not None and when <= at:
            errors.setdefault("at", []).append(_("The handover must be planned for a time still to come."))
        escorts = {}
        for key, country in (("escort_requesting_unit", countries[0]), ("escort_requested_unit", countries[1])):
            try:
                unit = Unit.objects.filter(pk=int(getattr(data, f"{key}_id")), country_id=country).first()
            except (TypeError, ValueError):
                unit = None
            if unit is None:
                errors.setdefault(key, []).append(_("Choose an escorting unit of that side."))
            escorts[key] = unit
        if refugee_from_requesting_country(req):
            errors.setdefault("__all__", []).append(
                _("A handover cannot be planned: the person is recorded as a refugee or asylum seeker from the requesting country."))
        fields.update(gate=gate, planned_for=when, **escorts)
    elif action == Action.HANDED_OVER:
        for key in ("documents", "handed_by", "received_by"):
            value = (getattr(data, key) or "").strip()
            if not value:
                errors.setdefault(key, []).append(_("This field is required."))
            elif len(value) > (TEXT_MAX if key == "documents" else 300):
                errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX if key == "documents" else 300})
            fields[key] = value
        arrested = handover.arrested_at if handover else None
        if when is not None and arrested is not None and when < arrested:
            errors.setdefault("at", []).append(_("The handover cannot be before the arrest."))
        fields["handed_over_at"] = when
    elif action == Action.HANDOVER_CLOSED:
        fields["closed_at"] = at
    return errors, fields


def handover_payload(fields: dict[str, Any]) -> dict[str, Any]:
    """The facts of a step as JSON for the timeline and the envelope (gates and units by natural keys)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, datetime.datetime):
            out[key] = value.isoformat()
        elif isinstance(value, BorderGate):
            out[key] = gate_key(value)
        elif isinstance(value, Unit):
            out[key] = value.code
        else:
            out[key] = value
    return out


def handover_step(user: Any, request_id: Any, action: str, data: HandoverInput, http_request: HttpRequest | None = None,
                  now: datetime.datetime | None = None) -> Handover:
    """Record one step of the handover, by the side that took it."""
    _require(user)
    if action not in HANDOVER_STEPS:
        raise ValidationError(_("Unknown step."))
    req = access.get_request_for_user(user, request_id, http_request)
    step = STEPS[action]
    if access.side_of(user, req) != step.side:
        raise Http404("No access.")
    if req.kind != RequestKind.ARREST_HANDOVER:
        raise ValidationError(_("Only an arrest and handover request leads to a handover."))
    at = _now(now)
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=req.pk)
        handover = Handover.objects.filter(request=locked).first()
        if locked.state not in step.from_states or (handover.state if handover else None) not in step.handover_from:
            raise ValidationError(_("This handover step is not possible now."))
        errors, fields = _handover_errors(locked, action, data, handover, at)
        if errors:
            raise ValidationError(errors)
        handover = apply_handover(locked, action, fields, handover)
        from_state = locked.state
        apply_state(locked, action, at)
        event = add_event(locked, action, step.side, actor=user, from_state=from_state, at=at,
                          data={"handover": handover_payload(fields)})
        record(user, f"assistance.handover.{action}", object_type="request", object_id=req.pk,
               data=handover_payload(fields), request=http_request)
        notify(locked, action, at)
        _send(locked, event)
    return handover


def apply_handover(req: Request, action: str, fields: dict[str, Any], handover: Handover | None) -> Handover:
    if handover is None:
        handover = Handover(request=req)
    for key, value in fields.items():
        setattr(handover, key, value)
    handover.state = STEPS[action].handover_to or ""
    handover.save()
    return handover


# --- dashboards ----------------------------------------------------------------------------------------------------


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def statistics(user: Any, months: int = 12, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Counts per other country and month (sent and received), and the median hours to a first answer."""
    at = _now(now)
    start = (at.replace(day=1, hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    unit = user.unit_id
    rows = access.visible_requests(user).filter(Q(requesting_unit_id=unit) | Q(requested_unit_id=unit), sent_at__gte=start).values(
        "requesting_unit_id", "requesting_unit__country_id", "requested_unit__country_id", "sent_at", "first_answer_at")
    counts: dict[tuple[str, str], dict[str, int]] = {}
    durations: dict[str, list[float]] = {"sent": [], "received": []}
    for row in rows:
        outgoing = row["requesting_unit_id"] == unit
        country = row["requested_unit__country_id"] if outgoing else row["requesting_unit__country_id"]
        month = timezone.localtime(row["sent_at"]).strftime("%Y-%m")
        cell = counts.setdefault((month, country), {"sent": 0, "received": 0})
        cell["sent" if outgoing else "received"] += 1
        if row["first_answer_at"] and row["sent_at"]:
            durations["sent" if outgoing else "received"].append((row["first_answer_at"] - row["sent_at"]).total_seconds() / 3600)
    table = [{"month": month, "country": country, **cell} for (month, country), cell in sorted(counts.items(), reverse=True)]
    return {
        "table": table,
        "median_hours_sent": median(durations["sent"]),
        "median_hours_received": median(durations["received"]),
        "answered_sent": len(durations["sent"]),
        "answered_received": len(durations["received"]),
    }


def alerts_for(user: Any) -> Any:
    """The alerts of the user's unit, newest first; escalations only for its supervisors."""
    if not access.may_use_requests(user):
        return Alert.objects.none()
    qs = Alert.objects.filter(unit_id=user.unit_id)
    if not user.has_capability("supervisor"):
        qs = qs.filter(supervisors_only=False)
    return qs


def time_left(req: Request, now: datetime.datetime | None = None) -> datetime.timedelta | None:
    if req.deadline is None or req.state not in OPEN_STATES:
        return None
    return req.deadline - _now(now)

