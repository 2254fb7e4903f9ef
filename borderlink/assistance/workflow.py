"""The request's workflow, in one table: which side takes which step from which state, which steps stay
at home, how steps that cross settle, the deadline, and how each step changes the request (and its
handover). The machinery that runs it is `borderlink.workflow`; docs/workflows.md walks through this file.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.assistance import access
from borderlink.assistance.facts import (
    Answer,
    HandoverInput,
    ResultInput,
    answer_errors,
    check_text,
    handover_errors,
    handover_input,
    handover_payload,
)
from borderlink.assistance.models import (
    OPEN_STATES,
    Action,
    Alert,
    DeclineReason,
    Handover,
    HandoverState,
    Request,
    RequestEvent,
    RequestKind,
    RequestState,
    Side,
)
from borderlink.core import clock
from borderlink.core.models import Unit
from borderlink.workflow import Step


@dataclass(frozen=True)
class HandoverStep:
    """A step of the handover: the handover states it follows (None: no handover yet) and the one after it."""

    after: tuple[str | None, ...]
    to: str


REQUESTING, REQUESTED, SYSTEM = Side.REQUESTING, Side.REQUESTED, Side.SYSTEM
_ANSWERING = (RequestState.ACCEPTED, RequestState.PARTLY_ANSWERED)

STEPS: dict[str, Step] = {
    # the requesting country's own steps: they stay on its node
    Action.SUBMITTED: Step(REQUESTING, (RequestState.DRAFT,), RequestState.SUBMITTED, local=True),
    Action.RETURNED: Step(REQUESTING, (RequestState.SUBMITTED,), RequestState.DRAFT, local=True),
    Action.APPROVED: Step(REQUESTING, (RequestState.SUBMITTED,), RequestState.APPROVED, local=True),
    # sending crosses with the request itself (request.opened), not as a step envelope
    Action.SENT: Step(REQUESTING, (RequestState.APPROVED,), RequestState.SENT, from_peer=False),
    Action.RECEIVED: Step(REQUESTED, (RequestState.SENT,), RequestState.RECEIVED),
    Action.ACCEPTED: Step(REQUESTED, (RequestState.RECEIVED,), RequestState.ACCEPTED),
    Action.CLARIFICATION_ASKED: Step(REQUESTED, (RequestState.RECEIVED, RequestState.ACCEPTED), RequestState.CLARIFICATION),
    Action.CLARIFICATION_GIVEN: Step(REQUESTING, (RequestState.CLARIFICATION,), RequestState.RECEIVED),
    Action.DECLINED: Step(REQUESTED, (RequestState.RECEIVED, RequestState.ACCEPTED, RequestState.CLARIFICATION),
                          RequestState.DECLINED),
    Action.PARTLY_ANSWERED: Step(REQUESTED, _ANSWERING, RequestState.PARTLY_ANSWERED),
    Action.ANSWERED: Step(REQUESTED, _ANSWERING, RequestState.ANSWERED),
    Action.CLOSED: Step(REQUESTING, (*OPEN_STATES, RequestState.ANSWERED, RequestState.DECLINED), RequestState.CLOSED),
    # the requesting node's clock
    Action.REMINDER: Step(SYSTEM, OPEN_STATES),
    Action.ESCALATED: Step(SYSTEM, OPEN_STATES),
    # the handover, after an accepted arrest-and-handover request
    Action.LOCATED: Step(REQUESTED, _ANSWERING, detail=HandoverStep((None,), HandoverState.LOCATED)),
    Action.ARRESTED: Step(REQUESTED, _ANSWERING, detail=HandoverStep((None, HandoverState.LOCATED), HandoverState.ARRESTED)),
    Action.HANDOVER_PLANNED: Step(REQUESTED, _ANSWERING,
                                  detail=HandoverStep((HandoverState.ARRESTED, HandoverState.PLANNED), HandoverState.PLANNED)),
    Action.HANDED_OVER: Step(REQUESTED, _ANSWERING, RequestState.ANSWERED,
                             detail=HandoverStep((HandoverState.PLANNED,), HandoverState.HANDED_OVER)),
    Action.HANDOVER_CLOSED: Step(REQUESTING, (RequestState.ANSWERED,), RequestState.CLOSED,
                                 detail=HandoverStep((HandoverState.HANDED_OVER,), HandoverState.CLOSED)),
}

# Steps that may cross on the way, and the one that prevails on both nodes (the other joins the timeline
# without changing the request). Closing prevails over anything the requested side did meanwhile (an
# answer after the requester closed stays on the record, late and moot); a decline prevails over a
# clarification given meanwhile; the requested side's reply prevails over a reminder or escalation that
# the requesting node's clock took meanwhile. Every pair the table lets cross is settled (the module checks
# at start-up; tests/workflow/test_crossings.py plays each pair on two nodes).
_REQUESTED_SHARED = [a for a, s in STEPS.items() if s.side == REQUESTED]
CROSSINGS: dict[tuple[str, str], str] = {
    **{(Action.CLOSED, a): Action.CLOSED for a in _REQUESTED_SHARED},
    (Action.CLARIFICATION_GIVEN, Action.DECLINED): Action.DECLINED,
    **{(clock_step, a): a for clock_step in (Action.REMINDER, Action.ESCALATED)
       for a in (Action.DECLINED, Action.ANSWERED, Action.HANDED_OVER)},
}

DEADLINES = workflow.Deadlines(open_states=OPEN_STATES, remind=Action.REMINDER, escalate=Action.ESCALATED)

LOCAL_STEPS = {a for a, s in STEPS.items() if s.local} | {Action.CREATED}
HANDOVER_STEPS = {a for a, s in STEPS.items() if isinstance(s.detail, HandoverStep)}
REPLIES = {Action.CLARIFICATION_ASKED, Action.DECLINED, Action.PARTLY_ANSWERED, Action.ANSWERED, Action.HANDED_OVER}


def country_of(req: Request, side: str) -> str:
    return req.requesting_unit.country_id if side in (REQUESTING, SYSTEM) else req.requested_unit.country_id


def other_country(req: Request, side: str) -> str:
    """The country of the node that must hear of a step taken by `side`."""
    return req.requesting_unit.country_id if side == REQUESTED else req.requested_unit.country_id


# --- how a step changes the request ---------------------------------------------------------------------------


def change(req: Request, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    """The request's fields after a step (its state is already set from the table), on the node that took it
    and on the node that receives it; a handover step also moves the handover."""
    step = STEPS.get(action)
    if step is not None and isinstance(step.detail, HandoverStep):
        apply_handover(req, step.detail, fields)
    if action == Action.REMINDER:
        req.reminded_at = at
    elif action == Action.ESCALATED:
        req.escalated_at = at
    if action == Action.CLARIFICATION_GIVEN and req.events.filter(action=Action.ACCEPTED).exists():
        req.state = RequestState.ACCEPTED
    if action == Action.SENT:
        req.sent_at = at
    if action in (Action.PARTLY_ANSWERED, Action.ANSWERED, Action.DECLINED, Action.HANDED_OVER) and req.first_answer_at is None:
        req.first_answer_at = at
    if action in (Action.ANSWERED, Action.DECLINED, Action.HANDED_OVER):
        req.answered_at = at
    if step is not None and step.to_state == RequestState.CLOSED:
        req.closed_at = at


def apply_handover(req: Request, step: HandoverStep, fields: dict[str, Any]) -> Handover:
    handover = Handover.objects.filter(request=req).first() or Handover(request=req)
    for key, value in fields.items():
        setattr(handover, key, value)
    handover.state = step.to
    handover.save()
    return handover


def allowed(req: Request, action: str) -> bool:
    """A handover step needs an arrest-and-handover request whose handover is where the step follows."""
    step = STEPS[action]
    if not isinstance(step.detail, HandoverStep):
        return True
    handover = Handover.objects.filter(request=req).first()
    return req.kind == RequestKind.ARREST_HANDOVER and (handover.state if handover else None) in step.detail.after


def not_possible(req: Request, action: str) -> str:
    if action in HANDOVER_STEPS:
        return _("This handover step is not possible now.")
    return _("This step is not possible while the request is %(state)s.") % {"state": req.get_state_display()}


# --- the facts of each step: one check for a person's step and a peer's -------------------------------------


def parse(req: Request, action: str, facts: workflow.Facts) -> workflow.Facts:
    """A peer's event data as the input a person gives with the step (findings, handover facts)."""
    if action in (Action.PARTLY_ANSWERED, Action.ANSWERED):
        rows = facts.data.get("results") or []
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValidationError("findings are not a list of objects")
        facts.input = Answer(text=facts.text, results=[ResultInput(str(r.get("kind", "")), str(r.get("value", ""))) for r in rows],
                             attachments=facts.attachments, partial=action == Action.PARTLY_ANSWERED)
    elif action in HANDOVER_STEPS:
        from borderlink.assistance.federation import _parse_handover

        facts.input = handover_input(_parse_handover(req, action, facts.data))
    return facts


def validate(req: Request, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """Check a step's facts, as a person gives them or as a peer's envelope carries them (after `parse`);
    raises ValidationError with field errors in the reader's language."""
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    attachments: list[Any] = []
    text = facts.text
    if action == Action.RETURNED:
        text = check_text(facts.text, "reason", errors)
    elif action in (Action.CLARIFICATION_ASKED, Action.CLARIFICATION_GIVEN):
        text = check_text(facts.text, "text", errors)
    elif action in (Action.ACCEPTED, Action.CLOSED, Action.APPROVED):
        text = check_text(facts.text, "text", errors, required=False)
    elif action == Action.DECLINED:
        reason = facts.data.get("reason")
        if reason not in DeclineReason.values:
            errors.setdefault("reason", []).append(_("Choose the reason from the list."))
        text = check_text(facts.text, "text", errors, required=reason == DeclineReason.OTHER)
        data["reason"] = reason
    elif action in (Action.PARTLY_ANSWERED, Action.ANSWERED):
        answer = facts.input if isinstance(facts.input, Answer) else Answer(text=facts.text)
        answer_problems, text, results = answer_errors(answer)
        errors.update(answer_problems)
        data = {"results": results, "late": req.deadline is not None and at > req.deadline}
        attachments = list(answer.attachments)
    elif action in HANDOVER_STEPS:
        handover_problems, fields = handover_errors(req, action, facts.input or HandoverInput(), Handover.objects.filter(
            request=req).first(), at)
        errors.update(handover_problems)
        data = {"handover": handover_payload(fields)}
        text = ""
    elif action in (Action.REMINDER, Action.ESCALATED, Action.SENT):
        data = {"deadline": str(facts.data.get("deadline", ""))[:40]}
    if errors:
        raise ValidationError(errors)
    return workflow.Checked(text=text, data=data, fields=fields, attachments=attachments)


def audit(req: Request, action: str, from_state: str, checked: workflow.Checked, peer_node: str) -> tuple[str, dict[str, Any]]:
    if peer_node:
        return f"assistance.request.{action}", {"from_node": peer_node, "from": from_state, "to": req.state}
    if action in HANDOVER_STEPS:
        return f"assistance.handover.{action}", checked.data.get("handover", {})
    return f"assistance.request.{action}", {"from": from_state, "to": req.state, "late": checked.data.get("late", False),
                                            "attachments": len(checked.attachments)}


# --- alerts ----------------------------------------------------------------------------------------------------


def _hosted(unit: Unit) -> bool:
    from borderlink.federation.node import hosts_country

    return hosts_country(unit.country_id)


def _alert(unit: Unit, kind: str, req: Request, supervisors_only: bool = False, at: datetime.datetime | None = None) -> None:
    Alert.objects.create(unit=unit, kind=kind, supervisors_only=supervisors_only, title=str(req)[:200],
                         url=f"/requests/{req.pk}/", created_at=at or clock.now())


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
    if (req.kind == RequestKind.VERIFY_VICTIM_NATIONALITY and action in REPLIES
            and _hosted(req.requesting_unit)):
        from borderlink.victims.services import follow_verification

        follow_verification(req.pk, at)  # the answer sets the victim case's next step (#17)


def store_attachments(event: RequestEvent, files: list[Any]) -> None:
    from borderlink.assistance.models import RequestAttachment
    from borderlink.exchange.attachments import store

    for checked in files:
        RequestAttachment.objects.create(event=event, filename=checked.filename, content_type=checked.content_type,
                                         size=checked.size, sha256=checked.sha256, storage_name=store(checked))


def event_payload(event: RequestEvent) -> dict[str, Any]:
    """A step as it crosses. A request to verify a victim's nationality is about the victim: the requesting
    side's steps cross only while the victim's consent to share with the home country holds, as the case's own
    steps do (victims/consent.py `require_sharing`: ValidationError, the step rolls back, nothing is queued).
    What carries nothing about the person still crosses: the requesting node's clock (the deadline only) and
    closing the request without a text. The requested side's steps go back to the node that holds the case."""
    from borderlink.assistance.federation import _event_payload

    req = event.request
    if req.kind == RequestKind.VERIFY_VICTIM_NATIONALITY and req.victim_case is not None and event.side != REQUESTED:
        clock_only = event.action in (Action.REMINDER, Action.ESCALATED) and set(event.data) <= {"deadline"}
        if not clock_only and not (event.action == Action.CLOSED and not event.text):
            from borderlink.victims.consent import require_sharing

            require_sharing(req.victim_case)
    return _event_payload(event)


REQUEST = workflow.Workflow(
    object_type="request", name="assistance.request", model=Request, event_model=RequestEvent, parent_field="request",
    sides=(REQUESTING, REQUESTED), owner_side=REQUESTING, steps=STEPS, crossings=CROSSINGS, deadlines=DEADLINES,
    side_of=access.side_of, country_of=country_of, change=change, validate=validate, parse=parse, allowed=allowed,
    not_possible=not_possible, audit=audit, notify=notify, store_attachments=store_attachments,
    envelope_kind="request.event", object_key="request", event_payload=event_payload,
    steps_max=200,  # far more than any real exchange, far fewer than a flood
)
