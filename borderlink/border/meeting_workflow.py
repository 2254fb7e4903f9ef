"""The liaison meeting's workflow, in one table: the proposing side (whose node owns the meeting) and the invited
side. The machinery is `borderlink.workflow` (docs/workflows.md).

Steps that carry records (agenda items, delegations, approved minutes, decisions, action items and their
progress) carry them in the event's data; `validate` checks that data the same way for a person's step and a
peer's, and `change` writes the records on both nodes.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.border import meeting_access as access
from borderlink.border.models import (
    INVITED,
    PROPOSING,
    ActionItem,
    ActionNote,
    ActionState,
    AgendaItem,
    Decision,
    Delegate,
    LinkKind,
    Meeting,
    MeetingEvent,
    Minutes,
    MinutesState,
)
from borderlink.border.models import (
    MeetingAction as A,
)
from borderlink.border.models import (
    MeetingState as S,
)
from borderlink.core import bounds
from borderlink.core.models import Unit
from borderlink.workflow import SYSTEM, Step

TEXT_MAX = 20_000
TITLE_MAX = 300
DELEGATES_MAX = 30
_BEFORE = (S.PROPOSED, S.COUNTERED, S.ACCEPTED, S.HELD)

STEPS: dict[str, Step] = {
    A.PROPOSED: Step(PROPOSING, (), S.PROPOSED, from_peer=False),
    A.ACCEPTED: Step(INVITED, (S.PROPOSED,), S.ACCEPTED),
    A.COUNTERED: Step(INVITED, (S.PROPOSED,), S.COUNTERED),
    A.DECLINED: Step(INVITED, (S.PROPOSED,), S.DECLINED),
    A.COUNTER_ACCEPTED: Step(PROPOSING, (S.COUNTERED,), S.ACCEPTED),
    A.REPROPOSED: Step(PROPOSING, (S.COUNTERED,), S.PROPOSED),
    A.COUNTER_DECLINED: Step(PROPOSING, (S.COUNTERED,), S.DECLINED),
    A.AGENDA_PROPOSING: Step(PROPOSING, _BEFORE),
    A.AGENDA_INVITED: Step(INVITED, _BEFORE),
    A.DELEGATION_PROPOSING: Step(PROPOSING, _BEFORE),
    A.DELEGATION_INVITED: Step(INVITED, _BEFORE),
    A.HELD: Step(PROPOSING, (S.ACCEPTED,), S.HELD),
    A.MINUTES_PROPOSING: Step(PROPOSING, (S.HELD,)),
    A.MINUTES_INVITED: Step(INVITED, (S.HELD,)),
    A.CORRECTION_PROPOSING: Step(PROPOSING, (S.HELD,)),
    A.CORRECTION_INVITED: Step(INVITED, (S.HELD,)),
    A.DECISION: Step(PROPOSING, (S.HELD,)),
    A.DECISION_INVITED: Step(INVITED, (S.HELD,)),
    A.ACTION_ITEM: Step(PROPOSING, (S.HELD,)),
    A.ACTION_ITEM_INVITED: Step(INVITED, (S.HELD,)),
    A.PROGRESS_PROPOSING: Step(PROPOSING, (S.HELD,)),
    A.PROGRESS_INVITED: Step(INVITED, (S.HELD,)),
    A.ACTION_REMINDER: Step(SYSTEM, (S.HELD,)),
    A.ACTION_ESCALATED: Step(SYSTEM, (S.HELD,)),
}
# A decline prevails over an agenda item or a delegation the other side added meanwhile (they join the timeline).
CROSSINGS: dict[tuple[str, str], str] = {
    **{(A.DECLINED, other): A.DECLINED for other in (A.AGENDA_PROPOSING, A.DELEGATION_PROPOSING)},
    **{(A.COUNTER_DECLINED, other): A.COUNTER_DECLINED for other in (A.AGENDA_INVITED, A.DELEGATION_INVITED)},
}
SIDE_OF_STEP: dict[str, str] = {
    A.AGENDA_PROPOSING: PROPOSING, A.AGENDA_INVITED: INVITED, A.DELEGATION_PROPOSING: PROPOSING,
    A.DELEGATION_INVITED: INVITED, A.MINUTES_PROPOSING: PROPOSING, A.MINUTES_INVITED: INVITED,
    A.CORRECTION_PROPOSING: PROPOSING, A.CORRECTION_INVITED: INVITED, A.PROGRESS_PROPOSING: PROPOSING,
    A.PROGRESS_INVITED: INVITED, A.DECISION: PROPOSING, A.DECISION_INVITED: INVITED, A.ACTION_ITEM: PROPOSING,
    A.ACTION_ITEM_INVITED: INVITED,
}
AGENDA: dict[str, str] = {PROPOSING: A.AGENDA_PROPOSING, INVITED: A.AGENDA_INVITED}
DELEGATION: dict[str, str] = {PROPOSING: A.DELEGATION_PROPOSING, INVITED: A.DELEGATION_INVITED}
MINUTES: dict[str, str] = {PROPOSING: A.MINUTES_PROPOSING, INVITED: A.MINUTES_INVITED}
CORRECTION: dict[str, str] = {PROPOSING: A.CORRECTION_PROPOSING, INVITED: A.CORRECTION_INVITED}
PROGRESS: dict[str, str] = {PROPOSING: A.PROGRESS_PROPOSING, INVITED: A.PROGRESS_INVITED}
# decisions and action items are recorded by either side (each side's step, re-validated on the other node)
DECISIONS: dict[str, str] = {PROPOSING: A.DECISION, INVITED: A.DECISION_INVITED}
ACTION_ITEMS: dict[str, str] = {PROPOSING: A.ACTION_ITEM, INVITED: A.ACTION_ITEM_INVITED}
# the way an action item may move, and the moves that need a reason
MOVES: dict[str, tuple[str, ...]] = {ActionState.OPEN: (ActionState.IN_PROGRESS, ActionState.DONE, ActionState.DROPPED),
         ActionState.IN_PROGRESS: (ActionState.IN_PROGRESS, ActionState.DONE, ActionState.DROPPED)}


def country_of(meeting: Meeting, side: str) -> str:
    return meeting.proposing_unit.country_id if side == PROPOSING else meeting.invited_unit.country_id


def _err(key: str, message: str) -> ValidationError:
    return ValidationError({key: [message]})


def _text(data: dict[str, Any], key: str, limit: int, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise _err(key, _("Enter text."))
    value = value.strip()
    if required and not value:
        raise _err(key, _("This field is required."))
    if len(value) > limit:
        raise _err(key, _("At most %(n)d characters.") % {"n": limit})
    return value


def _uuid(data: dict[str, Any], key: str) -> str:
    try:
        return str(uuid.UUID(str(data.get(key, ""))))
    except ValueError:
        raise _err(key, _("Unknown item.")) from None


def _date(data: dict[str, Any], key: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(data.get(key, "")))
    except ValueError:
        raise _err(key, _("Give the date.")) from None


def _when(data: dict[str, Any], at: datetime.datetime) -> dict[str, Any]:
    """A new date and place (a counter-proposal or a new proposal): the date in the future."""
    try:
        starts = datetime.datetime.fromisoformat(str(data.get("starts_at", "")))
    except ValueError:
        raise _err("starts_at", _("Give the date and time.")) from None
    if timezone.is_naive(starts):
        raise _err("starts_at", _("Give the date and time."))
    if starts <= at:
        raise _err("starts_at", _("A meeting cannot be in the past."))
    if (ahead := bounds.PLANNED_EVENT.error(starts, at)) is not None:
        raise _err("starts_at", ahead)
    return {"starts_at": starts.isoformat(), "place": _text(data, "place", 200)}


def validate(meeting: Meeting, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """Each step's data, checked alike for a person's step and a peer's; returns the text and data for the
    timeline and the fields `change` writes. `at` is the step's time on this node's clock (a peer's step: its
    arrival). Raises ValidationError by field, for example `starts_at` when the meeting is recorded held
    before its start time."""
    data = facts.data if isinstance(facts.data, dict) else {}
    text = (facts.text or "").strip()
    if len(text) > TEXT_MAX:
        raise _err("text", _("At most %(n)d characters.") % {"n": TEXT_MAX})
    clean: dict[str, Any] = {}
    if action in (A.COUNTERED, A.REPROPOSED):
        clean = _when(data, at)
    elif action in (A.DECLINED, A.COUNTER_DECLINED) and not text:
        raise _err("text", _("Give the reason."))
    elif action == A.HELD and meeting.starts_at > at:
        # a peer's step is checked at this node's time of arrival, so a node whose clock runs ahead cannot
        # hold a meeting early here either
        raise _err("starts_at", _("The meeting has not started yet: it is recorded as held once its start time has passed."))
    elif action in AGENDA.values():
        clean = {"id": _uuid(data, "id"), "title": _text(data, "title", TITLE_MAX), "link_kind": "", "link_id": ""}
        if data.get("link_kind"):
            if data["link_kind"] not in LinkKind.values:
                raise _err("link_kind", _("Choose a value from the list."))
            clean["link_kind"], clean["link_id"] = data["link_kind"], _uuid(data, "link_id")
    elif action in DELEGATION.values():
        people = data.get("delegates")
        if not isinstance(people, list) or not people or len(people) > DELEGATES_MAX:
            raise _err("delegates", _("Name between 1 and %(n)d persons.") % {"n": DELEGATES_MAX})
        clean = {"delegates": [
            {"name": _text(p, "name", 200), "rank": _text(p, "rank", 100, False), "unit": _text(p, "unit", 200, False),
             "role": _text(p, "role", 100, False), "interpreter": bool(p.get("interpreter"))}
            for p in people if isinstance(p, dict)]}
        if len(clean["delegates"]) != len(people):
            raise _err("delegates", _("Name between 1 and %(n)d persons.") % {"n": DELEGATES_MAX})
    elif action in MINUTES.values() or action in CORRECTION.values():
        side = SIDE_OF_STEP[action]
        language = data.get("language")
        if language not in dict(settings.LANGUAGES):
            raise _err("language", _("Choose a value from the list."))
        version = data.get("version")
        if not isinstance(version, int) or not 1 <= version <= 1000:
            raise _err("version", _("Unknown version."))
        approved = Minutes.objects.filter(meeting=meeting, side=side, state=MinutesState.APPROVED)
        if action in MINUTES.values() and approved.exists():
            raise _err("text", _("These minutes are approved and read-only: record a correction instead."))
        if action in CORRECTION.values():
            if meeting.minutes_final_at is None:
                raise _err("text", _("Minutes are corrected only once both sides have approved them."))
            if version != (approved.order_by("-version").values_list("version", flat=True).first() or 0) + 1:
                raise _err("version", _("Unknown version."))
            clean["reason"] = _text(data, "reason", 2000)
        clean.update({"id": _uuid(data, "id"), "language": language, "version": version, "text": _text(data, "text", TEXT_MAX),
                      "author_name": _text(data, "author_name", 200, False),
                      "approved_by_name": _text(data, "approved_by_name", 200)})
    elif action in DECISIONS.values():
        clean = {"id": _uuid(data, "id"), "outcome": _text(data, "outcome", 5000), "review_date": _date(data, "review_date").isoformat()}
        if datetime.date.fromisoformat(clean["review_date"]) <= timezone.localtime(at).date():
            raise _err("review_date", _("The review date must be in the future."))
    elif action in ACTION_ITEMS.values():
        owner_side = data.get("owner_side")
        if owner_side not in (PROPOSING, INVITED):
            raise _err("owner_side", _("Choose a value from the list."))
        unit = Unit.objects.filter(code=str(data.get("owner_unit", ""))[:60], country_id=country_of(meeting, owner_side)).first()
        if unit is None:
            raise _err("owner_unit", _("Choose a unit of that side."))
        due = _date(data, "due_date")
        if due < timezone.localtime(at).date():
            raise _err("due_date", _("This cannot be in the past."))
        clean = {"id": _uuid(data, "id"), "text": _text(data, "text", 5000), "owner_side": owner_side,
                 "owner_unit": unit.code, "due_date": due.isoformat()}
    elif action in PROGRESS.values():
        item = ActionItem.objects.filter(meeting=meeting, pk=_uuid(data, "item")).first()
        if item is None or item.owner_side != SIDE_OF_STEP[action]:
            raise _err("item", _("Unknown item."))
        state = data.get("state")
        if state not in MOVES.get(item.state, ()):
            raise _err("state", _("This step is not possible now."))
        note = _text(data, "note", 5000, required=state == ActionState.DROPPED)
        clean = {"item": str(item.pk), "state": state, "note": note}
    elif action in (A.ACTION_REMINDER, A.ACTION_ESCALATED):
        clean = {"item": _uuid(data, "item")}
    return workflow.Checked(text=text, data=clean, fields=clean)


def change(meeting: Meeting, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    """Write what the step carries, on the node that takes it and on the other alike."""
    if action in (A.COUNTERED, A.REPROPOSED):
        meeting.starts_at = datetime.datetime.fromisoformat(fields["starts_at"])
        meeting.place = fields["place"]
    elif action in AGENDA.values():
        AgendaItem.objects.get_or_create(id=fields["id"], defaults={
            "meeting": meeting, "side": SIDE_OF_STEP[action], "title": fields["title"], "link_kind": fields["link_kind"],
            "link_id": fields["link_id"], "added_at": at})
    elif action in DELEGATION.values():
        side = SIDE_OF_STEP[action]
        meeting.delegates.filter(side=side).delete()
        Delegate.objects.bulk_create([Delegate(meeting=meeting, side=side, **p) for p in fields["delegates"]])
    elif action in MINUTES.values() or action in CORRECTION.values():
        side = SIDE_OF_STEP[action]
        Minutes.objects.update_or_create(id=fields["id"], defaults={
            "meeting": meeting, "side": side, "version": fields["version"], "language": fields["language"],
            "text": fields["text"], "state": MinutesState.APPROVED, "correction_reason": fields.get("reason", ""),
            "author_name": fields["author_name"], "approved_by_name": fields["approved_by_name"], "approved_at": at})
        approved_sides = set(Minutes.objects.filter(meeting=meeting, state=MinutesState.APPROVED).values_list("side", flat=True))
        if meeting.minutes_final_at is None and approved_sides == {PROPOSING, INVITED}:
            meeting.minutes_final_at = at
    elif action in DECISIONS.values():
        Decision.objects.get_or_create(id=fields["id"], defaults={
            "meeting": meeting, "side": SIDE_OF_STEP[action], "outcome": fields["outcome"], "review_date": fields["review_date"]})
    elif action in ACTION_ITEMS.values():
        ActionItem.objects.get_or_create(id=fields["id"], defaults={
            "meeting": meeting, "side": SIDE_OF_STEP[action], "text": fields["text"], "owner_side": fields["owner_side"],
            "owner_unit": Unit.objects.get(code=fields["owner_unit"]), "due_date": fields["due_date"]})
    elif action in PROGRESS.values():
        item = ActionItem.objects.get(pk=fields["item"])
        item.state = fields["state"]
        item.save(update_fields=["state"])
        ActionNote.objects.create(item=item, at=at, state=item.state, text=fields["note"])
    elif action in (A.ACTION_REMINDER, A.ACTION_ESCALATED):
        marker = "reminded_at" if action == A.ACTION_REMINDER else "escalated_at"
        ActionItem.objects.filter(pk=fields["item"], meeting=meeting, **{f"{marker}__isnull": True}).update(**{marker: at})


def audit(meeting: Meeting, action: str, from_state: str, checked: workflow.Checked, peer_node: str) -> tuple[str, dict]:
    return f"border.meeting.{action}", {"from_node": peer_node} if peer_node else {}


def event_payload(event: MeetingEvent) -> dict[str, Any]:
    return {"id": str(event.pk), "at": event.at.isoformat(), "action": event.action, "side": event.side,
            "from_state": event.from_state, "actor_name": event.actor_name, "actor_unit": event.actor_unit,
            "text": event.text, "data": event.data}


MEETING = workflow.Workflow(
    object_type="border_meeting", name="border.meeting", model=Meeting, event_model=MeetingEvent, parent_field="meeting",
    sides=(PROPOSING, INVITED), owner_side=PROPOSING, steps=STEPS, crossings=CROSSINGS,
    side_of=access.side_of, country_of=country_of, change=change, validate=validate, audit=audit,
    not_possible=lambda meeting, action: _("This step is not possible now."),
    envelope_kind="border.meeting.event", object_key="meeting", event_payload=event_payload,
)
