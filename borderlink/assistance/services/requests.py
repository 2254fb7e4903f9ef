"""A cross-border request: drafting, four eyes, sending, and each side's steps.

Each step is one function: it checks access and its input, then takes the step through the request's
workflow (`borderlink.assistance.workflow.REQUEST`, run by `borderlink.workflow`), which locks the request,
checks the transition table, adds the event to the shared timeline, writes the audit event and queues the
envelope to the other side's node.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.assistance import access
from borderlink.assistance.facts import Answer, check_text
from borderlink.assistance.models import (
    TRACE_KINDS,
    Action,
    DeadlinePolicy,
    Handover,
    HandoverState,
    Request,
    RequestEvent,
    RequestKind,
    RequestState,
    Side,
    Urgency,
)
from borderlink.assistance.workflow import REQUEST
from borderlink.audit.services import record
from borderlink.core import bounds, clock
from borderlink.core.models import Unit
from borderlink.core.text import clean_text
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import NoticeKind, NoticeState, Offence
from borderlink.notices.neutrality import screen

DEFAULT_HOURS = {"urgent_direct": 8, "urgent": 72, "normal": 168}


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
    # the victim case (its id) a request to verify a victim's nationality is written for; other kinds name none
    victim_case_id: Any = None


def _iso(moment: datetime.datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or clock.now()


def _require(user: Any) -> None:
    if not access.may_use_requests(user):
        raise Http404("No access.")


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


# --- writing and sending -------------------------------------------------------------------------------------


def _validate(user: Any, data: RequestInput, now: datetime.datetime,
              http_request: HttpRequest | None = None) -> tuple[Unit, Any, Any]:
    """The requested unit, the notice and the victim case of a valid draft; ValidationError with field errors
    otherwise. A request to verify a victim's nationality needs its victim case (Http404 for a case the user
    may not see or act for, audited) and the victim's consent to share with the home country
    (`victims.services.verification_case`)."""
    from borderlink.notices.access import visible_notices

    errors: dict[str, list[str]] = {}
    if data.kind not in RequestKind.values or (not user.can_exchange and data.kind != RequestKind.VERIFY_VICTIM_NATIONALITY):
        # a victim-protection officer without the exchange capability writes requests to verify a victim's
        # nationality only (the form offers only that kind; the API is held to the same rule here)
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
    check_text(data.details, "details", errors)
    if len(clean_text(data.person_name)) > 200:
        errors.setdefault("person_name", []).append(_("At most %(n)d characters.") % {"n": 200})
    if data.kind in TRACE_KINDS and not (data.identifier or "").strip():
        errors.setdefault("identifier", []).append(_("Give the phone number, account, plate or wallet to trace."))
    if len((data.identifier or "").strip()) > 200:
        errors.setdefault("identifier", []).append(_("At most %(n)d characters.") % {"n": 200})
    if data.requested_deadline is not None and data.requested_deadline <= now:
        errors.setdefault("requested_deadline", []).append(_("The deadline is in the past."))
    elif (message := bounds.DEADLINE.error(data.requested_deadline, now)) is not None:
        errors.setdefault("requested_deadline", []).append(message)
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
    case = None
    if data.kind == RequestKind.VERIFY_VICTIM_NATIONALITY:
        from borderlink.victims.services import verification_case

        case, refused = verification_case(user, data.victim_case_id, unit.country_id if unit else None, http_request)
        for key, messages in refused.items():
            errors.setdefault(key, []).extend(messages)
    if errors or unit is None:
        raise ValidationError(errors)
    return unit, notice, case


def _fill(req: Request, data: RequestInput, unit: Unit, notice: Any, case: Any) -> None:
    req.kind, req.urgency, req.offence = data.kind, data.urgency, data.offence
    req.data_held_directly = bool(data.data_held_directly)
    req.subject, req.details = data.subject.strip(), data.details.strip()
    req.person_name = clean_text(data.person_name) or (str(notice.subject) if notice is not None else "")
    req.identifier = (data.identifier or "").strip()
    req.requested_unit, req.notice, req.handling_code = unit, notice, data.handling_code
    req.requested_deadline = data.requested_deadline
    req.victim_case = case
    req.neutrality_flags = screen(req.subject, req.details)

def create_request(user: Any, data: RequestInput, http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    """A draft request of the user's unit to a unit of another member country. A request to verify a victim's
    nationality is written for a victim case from the start (`RequestInput.victim_case_id`): one the user may see
    and act for (Http404 otherwise), to the victim's home country, with the victim's consent to share with it or a
    supervisor's override (ValidationError otherwise); nothing is written when refused."""
    _require(user)
    at = _now(now)
    unit, notice, case = _validate(user, data, at, http_request)
    with transaction.atomic():
        req = Request(requesting_unit_id=user.unit_id, created_by=user, reference=_reference(user.unit, at))
        _fill(req, data, unit, notice, case)
        req.save()
        workflow.add_event(REQUEST, req, Action.CREATED, Side.REQUESTING, actor=user, at=at)
        record(user, "assistance.request.created", object_type="request", object_id=req.pk,
               data={"kind": req.kind, "to": unit.code, **({"victim_case": str(case.pk)} if case else {})},
               request=http_request)
    return req


def update_request(user: Any, request_id: Any, data: RequestInput, http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    """Change a draft of the user's unit (checked as `create_request` checks a new one)."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if access.side_of(user, req) != Side.REQUESTING:
        raise Http404("No access.")
    if req.state != RequestState.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    unit, notice, case = _validate(user, data, _now(now), http_request)
    with transaction.atomic():
        _fill(req, data, unit, notice, case)
        req.save()
        record(user, "assistance.request.changed", object_type="request", object_id=req.pk, request=http_request)
    return req


def refusals(req: Request) -> list[str]:
    """Why a request may not leave, in the reader's language. A request to verify a victim's nationality leaves
    only for its victim case, to the home country, while the victim's consent to share with it (or a
    supervisor's override) holds: consent withdrawn since the draft stops it here."""
    reasons = []
    if req.kind == RequestKind.VERIFY_VICTIM_NATIONALITY:
        from borderlink.victims.services import verification_refusals

        if req.victim_case is None:
            reasons.append(_("Choose the victim case whose nationality is to be verified."))
        else:
            for messages in verification_refusals(req.victim_case, req.requested_unit.country_id).values():
                reasons.extend(messages)
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
        workflow.take(REQUEST, user, req, Action.APPROVED, workflow.Facts(text=justification), http_request=http_request, now=at)
        req.refresh_from_db()
        _take_sent(user, req, at, http_request)
    return Request.objects.get(pk=req.pk)

def _take_sent(user: Any, req: Request, at: datetime.datetime, http_request: HttpRequest | None) -> None:
    from borderlink.assistance.federation import queue_opened

    req = Request.objects.select_for_update().get(pk=req.pk)
    data = {"deadline": _iso(req.deadline)}
    workflow.record_step(REQUEST, req, Action.SENT, Side.REQUESTING, workflow.Checked(data=data), at, actor=user,
                         http_request=http_request, audit=("assistance.request.sent", {"to": req.requested_unit.code, **data}),
                         send=False)
    if not queue_opened(req):  # the requested unit is on this node: it receives at once
        receive(req, at)


def receive(req: Request, at: datetime.datetime | None = None) -> RequestEvent:
    """The requested node registers a request that arrived; the requesting side hears it was received."""
    at = _now(at)
    req = Request.objects.select_for_update().get(pk=req.pk)
    return workflow.record_step(REQUEST, req, Action.RECEIVED, Side.REQUESTED, workflow.Checked(), at,
                                actor_unit=req.requested_unit.code,
                                audit=("assistance.request.received", {"from": req.requesting_unit.code}))


# --- the requested side ----------------------------------------------------------------------------------


def _text_step(user: Any, request_id: Any, action: str, text: str, http_request: HttpRequest | None,
               now: datetime.datetime | None, data: dict[str, Any] | None = None) -> Request:
    """A step that carries a text (and a little data), checked by the workflow for the user's side first,
    then for the state, then for the text."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    workflow.take(REQUEST, user, req, action, workflow.Facts(text=text, data=data or {}), http_request=http_request, now=now)
    return Request.objects.get(pk=req.pk)


def submit_request(user: Any, request_id: Any, http_request: HttpRequest | None = None) -> Request:
    return _text_step(user, request_id, Action.SUBMITTED, "", http_request, None)


def return_request(user: Any, request_id: Any, reason: str, http_request: HttpRequest | None = None) -> Request:
    """A supervisor sends a submitted request back to draft, with the reason."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    if not access.can_approve(user, req):
        raise Http404("No access.")
    return _text_step(user, req.pk, Action.RETURNED, reason, http_request, None)


def accept_request(user: Any, request_id: Any, text: str = "", http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    return _text_step(user, request_id, Action.ACCEPTED, text, http_request, now)


def clarify(user: Any, request_id: Any, text: str, http_request: HttpRequest | None = None,
            now: datetime.datetime | None = None) -> Request:
    """The requested side asks a question; the requesting side answers one. The user's side says which."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    action = Action.CLARIFICATION_GIVEN if access.side_of(user, req) == Side.REQUESTING else Action.CLARIFICATION_ASKED
    return _text_step(user, req.pk, action, text, http_request, now)


def decline_request(user: Any, request_id: Any, reason: str, text: str, http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> Request:
    return _text_step(user, request_id, Action.DECLINED, text, http_request, now, data={"reason": reason})


def answer_request(user: Any, request_id: Any, answer: Answer, http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> Request:
    """The requested side answers, in part or in full, with text, findings and attachments; an answer after
    the deadline is marked late."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    action = Action.PARTLY_ANSWERED if answer.partial else Action.ANSWERED
    workflow.take(REQUEST, user, req, action, workflow.Facts(text=answer.text, input=answer, attachments=answer.attachments),
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
    return _text_step(user, req.pk, Action.CLOSED, text, http_request, now)


def read_request(user: Any, request_id: Any, http_request: HttpRequest | None = None) -> Request:
    """Open a request: every view is audited."""
    _require(user)
    req = access.get_request_for_user(user, request_id, http_request)
    record(user, "assistance.request.viewed", object_type="request", object_id=req.pk, request=http_request)
    return req
