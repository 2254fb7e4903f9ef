"""The joint case's three workflows, declared on `borderlink.workflow` (see docs/workflows.md):

- CASE: the case's life cycle, owned by the lead unit's node. Drafting, proposing and the supervisor's
  approval stay at home (four eyes before anything goes to another country); opening crosses inside the case
  itself (`case.opened`, sent to a country once one of its units accepts); suspending, resuming and closing
  (with an outcome) cross to every participating country (`recipients`).
- INVITATION: one per invited unit, between the lead's node and the invited unit's: invited (crosses in
  `case.invited`, which carries the invitation only, nothing of the case), then accepted or declined.
- TASK: a task one unit gives another, between their two nodes, with a due date that the assigning node's
  clock reminds of and escalates (`workflow.check_deadlines`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.cases import access
from borderlink.cases.models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseState,
    Outcome,
    Participant,
    ParticipantAction,
    ParticipantEvent,
    ParticipantState,
    Task,
    TaskAction,
    TaskEvent,
    TaskState,
)
from borderlink.workflow import SYSTEM, Step

TEXT_MAX = 10_000
LEAD, PARTICIPANT, INVITED = access.LEAD, access.PARTICIPANT, access.INVITED
ASSIGNING, ASSIGNED = access.ASSIGNING, access.ASSIGNED


def _text(facts: workflow.Facts, required: bool) -> str:
    text = (facts.text or "").strip()
    if required and not text:
        raise ValidationError({"text": [_("This field is required.")]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": TEXT_MAX}]})
    return text


def _event_payload(event: Any) -> dict[str, Any]:
    return {"id": str(event.pk), "at": event.at.isoformat(), "actor_name": event.actor_name, "actor_unit": event.actor_unit,
            "action": event.action, "side": event.side, "from_state": event.from_state, "text": event.text,
            "data": event.data}


# --- the case ----------------------------------------------------------------------------------------------------

CASE_STEPS: dict[str, Step] = {
    CaseAction.PROPOSED: Step(LEAD, (CaseState.DRAFT,), CaseState.PROPOSED, local=True),
    CaseAction.RETURNED: Step(LEAD, (CaseState.PROPOSED,), CaseState.DRAFT, local=True),
    CaseAction.APPROVED: Step(LEAD, (CaseState.PROPOSED,), local=True),
    CaseAction.OPENED: Step(SYSTEM, (CaseState.PROPOSED,), CaseState.OPEN, from_peer=False),
    CaseAction.SUSPENDED: Step(LEAD, (CaseState.OPEN,), CaseState.SUSPENDED),
    CaseAction.RESUMED: Step(LEAD, (CaseState.SUSPENDED,), CaseState.OPEN),
    CaseAction.CLOSED: Step(LEAD, (CaseState.PROPOSED, CaseState.OPEN, CaseState.SUSPENDED), CaseState.CLOSED),
}


def case_country(case: Case, side: str) -> str:
    return case.lead_unit.country_id if side in (LEAD, SYSTEM) else ""


def case_recipients(case: Case, side: str) -> list[str]:
    """Every other country with a unit taking part (a step of the lead goes to each of their nodes)."""
    countries = Participant.objects.filter(case_key=case.pk, state=ParticipantState.ACCEPTED).values_list(
        "unit__country_id", flat=True)
    return sorted(set(countries) - {case.lead_unit.country_id})


def case_allowed(case: Case, action: str) -> bool:
    if action in (CaseAction.RETURNED, CaseAction.APPROVED):
        return case.approved_at is None
    if action in (CaseAction.OPENED,):
        return case.approved_at is not None
    return True


def case_change(case: Case, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    if action == CaseAction.APPROVED:
        case.approved_at = at
    elif action == CaseAction.RETURNED:
        case.proposed_by = None
    elif action == CaseAction.OPENED:
        case.opened_at = at
    elif action == CaseAction.CLOSED:
        case.closed_at = at
        case.outcome = fields.get("outcome", "")


def case_validate(case: Case, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """Closing needs an outcome from the list; suspending and returning need a reason (the same checks for a
    person's step and the lead node's)."""
    text = _text(facts, required=action in (CaseAction.SUSPENDED, CaseAction.RETURNED))
    if action == CaseAction.CLOSED:
        outcome = str(facts.data.get("outcome", "") if facts.input is None else facts.input)
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": [_("Choose the outcome from the list.")]})
        return workflow.Checked(text=text, data={"outcome": outcome}, fields={"outcome": outcome})
    return workflow.Checked(text=text, data=dict(facts.data) if action == CaseAction.APPROVED else {})


def case_audit(case: Case, action: str, from_state: str, checked: workflow.Checked, peer_node: str) -> tuple[str, dict]:
    return f"cases.case.{action}", {"from_node": peer_node, **checked.data} if peer_node else dict(checked.data)


CASE = workflow.Workflow(
    object_type="case", name="cases.case", model=Case, event_model=CaseEvent, parent_field="case",
    sides=(LEAD, PARTICIPANT), owner_side=LEAD, steps=CASE_STEPS, side_of=access.side_of, country_of=case_country,
    recipients=case_recipients, change=case_change, validate=case_validate, allowed=case_allowed, audit=case_audit,
    envelope_kind="case.event", object_key="case", event_payload=_event_payload,
)


# --- invitations -----------------------------------------------------------------------------------------------

INVITATION_STEPS: dict[str, Step] = {
    ParticipantAction.INVITED: Step(LEAD, (ParticipantState.INVITED,), ParticipantState.PENDING, from_peer=False),
    ParticipantAction.ACCEPTED: Step(INVITED, (ParticipantState.PENDING,), ParticipantState.ACCEPTED),
    ParticipantAction.DECLINED: Step(INVITED, (ParticipantState.PENDING,), ParticipantState.DECLINED),
}


def invitation_country(participant: Participant, side: str) -> str:
    return participant.lead_unit.country_id if side in (LEAD, SYSTEM) else participant.unit.country_id


def invitation_change(participant: Participant, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    if action == ParticipantAction.INVITED:
        participant.sent_at = at
    elif action in (ParticipantAction.ACCEPTED, ParticipantAction.DECLINED):
        participant.answered_at = at


def invitation_validate(participant: Participant, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """A decline gives its reason; an acceptance may say something."""
    return workflow.Checked(text=_text(facts, required=action == ParticipantAction.DECLINED))


INVITATION = workflow.Workflow(
    object_type="case_invitation", name="cases.invitation", model=Participant, event_model=ParticipantEvent,
    parent_field="participant", sides=(LEAD, INVITED), owner_side=LEAD, steps=INVITATION_STEPS,
    side_of=access.invitation_side, country_of=invitation_country, change=invitation_change,
    validate=invitation_validate, envelope_kind="case.invitation.event", object_key="participant",
    event_payload=_event_payload,
)


# --- tasks -------------------------------------------------------------------------------------------------------

TASK_STEPS: dict[str, Step] = {
    TaskAction.DONE: Step(ASSIGNED, (TaskState.OPEN,), TaskState.DONE),
    TaskAction.CANCELLED: Step(ASSIGNING, (TaskState.OPEN,), TaskState.CANCELLED),
    TaskAction.REMINDER: Step(SYSTEM, (TaskState.OPEN,)),
    TaskAction.ESCALATED: Step(SYSTEM, (TaskState.OPEN,)),
}
# What the assigned unit did prevails over a cancellation or a reminder the assigning node took meanwhile.
TASK_CROSSINGS: dict[tuple[str, str], str] = {(a, TaskAction.DONE): TaskAction.DONE
                  for a in (TaskAction.CANCELLED, TaskAction.REMINDER, TaskAction.ESCALATED)}


def task_country(task: Task, side: str) -> str:
    return task.assigning_unit.country_id if side in (ASSIGNING, SYSTEM) else task.assigned_unit.country_id


def task_change(task: Task, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    if action == TaskAction.REMINDER:
        task.reminded_at = at
    elif action == TaskAction.ESCALATED:
        task.escalated_at = at


def task_validate(task: Task, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """Done says what was done; the clock's steps carry the deadline."""
    return workflow.Checked(text=_text(facts, required=action == TaskAction.DONE), data=dict(facts.data)
                            if action in (TaskAction.REMINDER, TaskAction.ESCALATED) else {})


TASK = workflow.Workflow(
    object_type="case_task", name="cases.task", model=Task, event_model=TaskEvent, parent_field="task",
    sides=(ASSIGNING, ASSIGNED), owner_side=ASSIGNING, steps=TASK_STEPS, crossings=TASK_CROSSINGS,
    deadlines=workflow.Deadlines(open_states=(TaskState.OPEN,), remind=TaskAction.REMINDER, escalate=TaskAction.ESCALATED),
    side_of=access.task_side, country_of=task_country, change=task_change, validate=task_validate,
    envelope_kind="case.task.event", object_key="task", event_payload=_event_payload,
)
