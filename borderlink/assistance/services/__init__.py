"""The services of requests and handovers: one function per state change (see each module).

- `requests`: drafting, four eyes, sending, and each side's steps on a request;
- `handovers`: the handover of a fugitive after an arrest-and-handover request;
- `deadlines`: the requesting node's reminders and escalations;
- `dashboard`: counts, medians, alerts and time left.

The transition table is `borderlink.assistance.workflow`; the facts each step carries and their checks are
`borderlink.assistance.facts`.
"""

from borderlink.assistance.facts import (
    ATTACHMENTS_MAX,
    RESULTS_MAX,
    TEXT_MAX,
    Answer,
    HandoverInput,
    ResultInput,
    gate_key,
    gates_between,
    handover_payload,
    refugee_from_requesting_country,
)
from borderlink.assistance.services.dashboard import (
    CLOSED_STATES,
    alerts_for,
    dashboard_figures,
    dashboard_requests,
    median,
    statistics,
    tab_counts,
    time_left,
)
from borderlink.assistance.services.deadlines import REMIND_WHEN_LEFT, check_deadlines, reminder_due_at
from borderlink.assistance.services.handovers import handover_step
from borderlink.assistance.services.requests import (
    DEFAULT_HOURS,
    RequestInput,
    accept_request,
    answer_request,
    approve_request,
    clarify,
    close_request,
    create_request,
    decline_request,
    policy_hours,
    read_request,
    receive,
    refusals,
    return_request,
    submit_request,
    update_request,
)
from borderlink.assistance.workflow import HANDOVER_STEPS, LOCAL_STEPS, STEPS, notify, other_country

__all__ = [
    "ATTACHMENTS_MAX",
    "CLOSED_STATES",
    "DEFAULT_HOURS",
    "HANDOVER_STEPS",
    "LOCAL_STEPS",
    "REMIND_WHEN_LEFT",
    "RESULTS_MAX",
    "STEPS",
    "TEXT_MAX",
    "Answer",
    "HandoverInput",
    "RequestInput",
    "ResultInput",
    "accept_request",
    "alerts_for",
    "answer_request",
    "approve_request",
    "check_deadlines",
    "clarify",
    "close_request",
    "create_request",
    "dashboard_figures",
    "dashboard_requests",
    "decline_request",
    "gate_key",
    "gates_between",
    "handover_payload",
    "handover_step",
    "median",
    "notify",
    "other_country",
    "policy_hours",
    "read_request",
    "receive",
    "refugee_from_requesting_country",
    "refusals",
    "reminder_due_at",
    "return_request",
    "statistics",
    "submit_request",
    "tab_counts",
    "time_left",
    "update_request",
]
