"""Deadlines on the victim's return path: in each state of the path, one side owes the next step by a time
set here; the owner node's clock (the node where the victim was found) reminds as the deadline nears and
escalates once it has passed (`borderlink.workflow.check_deadlines`, run every minute by the worker). Both
nodes hold the deadline (each computes it from the same steps) and show a case that is overdue.

The times follow the issue (#17): the victim is to be identified quickly and returned at an agreed date and
time, and followed up for up to a year. Where the issue names no time, these are this platform's working
defaults, set in one place (the constants below) for the countries' victim-protection services to agree on:

| state            | who owes | the step                                    | by                                         |
|------------------|----------|---------------------------------------------|--------------------------------------------|
| shared           | finding  | ask the home country to verify nationality  | 7 days after sharing                       |
| verifying        | home     | answer the nationality verification         | the linked request's deadline, else 30 days|
| verified         | finding  | plan the return (or close with a reason)    | 30 days after verification                 |
| planned          | home     | accept or decline the return plan           | 24 h before the return time (when planned  |
|                  |          |                                             | less than 48 h ahead: the return time)     |
| accepted         | finding  | hand the victim over at the gate            | 24 h after the agreed return time          |
| handed over      | home     | record the reception at the gate            | 24 h after the handover                    |
| received home    | home     | follow up and close                         | 365 days after the return (issue: a year)  |

No deadline runs before the case is shared (the victim may not consent to it), after a nationality was not
confirmed (the finding side decides what next), or once the case is closed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from borderlink import workflow
from borderlink.victims.models import Action, CaseState, VictimCase

S = CaseState
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
ASK_VERIFICATION = 7 * DAY
VERIFY_DEFAULT = 30 * DAY
PLAN_AFTER_VERIFIED = 30 * DAY
ACCEPT_BEFORE_RETURN = 24 * HOUR
HANDOVER_GRACE = 24 * HOUR
RECEPTION_AFTER_HANDOVER = 24 * HOUR
FOLLOW_UP = 365 * DAY

# the states in which a deadline runs, and the side that owes the next step in each
OWED_BY: dict[str, str] = {S.SHARED: "finding", S.VERIFYING: "home", S.VERIFIED: "finding", S.PLANNED: "home",
                           S.ACCEPTED: "finding", S.HANDED_OVER: "home", S.RETURNED: "home"}
OPEN_STATES = tuple(OWED_BY)

SPEC = workflow.Deadlines(open_states=OPEN_STATES, remind=Action.REMINDER, escalate=Action.ESCALATED,
                          deadline_field="deadline", start_field="deadline_from")


def _verification_deadline(case: VictimCase, at: datetime.datetime) -> datetime.datetime:
    from borderlink.assistance.models import Request

    request_deadline = None
    if case.verification_request:
        request_deadline = Request.objects.filter(pk=case.verification_request).values_list("deadline", flat=True).first()
    return request_deadline if request_deadline and request_deadline > at else at + VERIFY_DEFAULT


def deadline_for(case: VictimCase, at: datetime.datetime) -> datetime.datetime | None:
    """The deadline of the step owed in the case's current state, for a state entered at `at` (an aware
    datetime); None where no deadline runs. Rules: the module's table."""
    state = case.state
    if state == S.SHARED:
        return at + ASK_VERIFICATION
    if state == S.VERIFYING:
        return _verification_deadline(case, at)
    if state == S.VERIFIED:
        return at + PLAN_AFTER_VERIFIED
    if state == S.PLANNED and case.return_at:
        if case.return_at - at < 2 * ACCEPT_BEFORE_RETURN:
            return max(case.return_at, at + HOUR)
        return case.return_at - ACCEPT_BEFORE_RETURN
    if state == S.ACCEPTED and case.return_at:
        return max(case.return_at, at) + HANDOVER_GRACE
    if state == S.HANDED_OVER:
        return (case.handed_over_at or at) + RECEPTION_AFTER_HANDOVER
    if state == S.RETURNED:
        return at + FOLLOW_UP
    return None


def restart(case: VictimCase, at: datetime.datetime) -> None:
    """After a step that moves the case to another state: the new state's deadline, counted from `at`, with
    its reminder and escalation not yet sent (sets the fields; saves nothing)."""
    case.deadline = deadline_for(case, at)
    case.deadline_from = at if case.deadline else None
    case.reminded_at = None
    case.escalated_at = None


def overdue(case: VictimCase, now: datetime.datetime) -> bool:
    """True when a deadline runs in the case's state and has passed at `now`."""
    return case.state in OWED_BY and case.deadline is not None and case.deadline <= now


def overdue_cases(cases: QuerySet[VictimCase], now: datetime.datetime) -> QuerySet[VictimCase]:
    """The cases of `cases` that are `overdue` at `now`, the longest overdue first (read in deadline order from the
    deadline's index: the query stops after the rows it is sliced to)."""
    return cases.filter(state__in=OPEN_STATES, deadline__isnull=False, deadline__lte=now).order_by("deadline", "pk")


def owed_by(case: VictimCase) -> str | None:
    """The side ("finding" or "home") that owes the next step, or None when no deadline runs."""
    return OWED_BY.get(case.state) if case.deadline else None


def check(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind of and escalate the deadlines of the cases this node owns (the worker calls it every minute;
    each reminder and escalation is claimed once, see `borderlink.workflow.check_deadlines`). Returns
    {"reminders": n, "escalations": n}."""
    from borderlink.victims.workflow import VICTIM

    return workflow.check_deadlines(VICTIM, now)


def clock_data(data: Any) -> dict[str, str]:
    """A clock step's data, as a peer sends it, checked: {"deadline": ISO datetime} or {} (a bad or missing
    value is dropped: the step itself is the news)."""
    raw = data.get("deadline") if isinstance(data, dict) else None
    if isinstance(raw, str) and len(raw) <= 40:
        try:
            return {"deadline": datetime.datetime.fromisoformat(raw).isoformat()}
        except ValueError:
            return {}
    return {}
