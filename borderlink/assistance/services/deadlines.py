"""The requesting node's clock: reminders as the deadline nears, escalation once it has passed
(the rule and the machinery are `borderlink.workflow.check_deadlines`; the times are the table's)."""

from __future__ import annotations

import datetime

from borderlink import workflow
from borderlink.assistance.models import Request
from borderlink.assistance.workflow import REQUEST

# A reminder goes out when this share of the time to answer is left (at least one hour before).
REMIND_WHEN_LEFT = REQUEST.deadlines.remind_when_left if REQUEST.deadlines else 0.25


def reminder_due_at(req: Request) -> datetime.datetime | None:
    return workflow.reminder_due_at(REQUEST, req)


def check_deadlines(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the requested unit as the deadline nears; escalate an overdue request to the supervisors of
    both sides. Run by the node that sent the request (it owns the clock of its requests); each reminder and
    escalation is claimed with a conditional update, so several workers never repeat one.
    Returns {"reminders": n, "escalations": n}."""
    return workflow.check_deadlines(REQUEST, now)
