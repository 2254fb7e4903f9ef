"""One shape for cross-border workflows: the machinery every app's step table runs on.

A request, a custody notification, a joint case or a victim's return is an object owned by the node that
created it, moved by steps that one side or the other takes. Both nodes hold the object under one id and one
timeline (the same event ids); each step crosses to the other node as an envelope and is checked there
against the same table. An app declares, in one `Workflow`:

- its states and steps (`Step`: which side takes it, from which states, to which state), which steps stay
  local (`Step.local`), and which pairs of steps settle how when they cross on the way (`crossings`);
- its deadlines and reminders (`Deadlines`);
- how a step changes its object (`change`), how a step's facts are checked (`validate`, the same function
  for a person's input and a peer's), and a few small hooks (who the user acts for, which country speaks for
  a side, how an event travels, what to alert).

This module owns the rest, once for every app:

- `take`: a person takes a step (access, transaction, state check under a row lock, validation, timeline
  event, audit event, envelope);
- `apply_peer_step`: a step from a peer's envelope, with the same checks, plus that the peer speaks only for
  its own side, idempotence on retried envelopes, and the reconciliation of steps that crossed (`settle`);
- `record_step`: the one place where a step changes the object and joins the timeline;
- `add_event`: the timeline's ordering;
- `check_deadlines`: reminders and escalation.

See docs/workflows.md for how an app declares its workflow, with the request as the worked example.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.core import clock

SYSTEM = "system"  # the side of steps the owner node's clock takes (reminders, escalations)


@dataclass(frozen=True)
class Step:
    """One row of a transition table.

    side: the side that takes the step (one of the workflow's two sides, or SYSTEM: the owner node's clock).
    from_states: the object's states the step may follow. to_state: the state after it (None keeps the state).
    local: the step stays on the node that takes it (drafts, approvals). from_peer: the step may arrive in a
    step envelope (False for a step that crosses inside the object's own envelope, such as a request's
    sending). detail: anything the app's own hooks need (for example the handover's own states)."""

    side: str
    from_states: tuple[str, ...]
    to_state: str | None = None
    local: bool = False
    from_peer: bool = True
    detail: Any = None


@dataclass(frozen=True)
class Deadlines:
    """When the other side owes a step: the owner node reminds when `remind_when_left` of the time (from
    `start_field` to `deadline_field`, at least `remind_at_least` before) is left, and escalates once the
    deadline has passed, while the object is in one of `open_states`. `remind` and `escalate` are SYSTEM
    steps of the table; `reminded_field` and `escalated_field` record that each happened (claimed with a
    conditional update, so that several workers never repeat one)."""

    open_states: tuple[str, ...]
    remind: str
    escalate: str
    deadline_field: str = "deadline"
    start_field: str = "sent_at"
    reminded_field: str = "reminded_at"
    escalated_field: str = "escalated_at"
    remind_when_left: float = 0.25
    remind_at_least: datetime.timedelta = datetime.timedelta(hours=1)


@dataclass
class Facts:
    """What comes with a step before it is checked: from a person (`input` is the app's input object,
    `attachments` checked files) or from a peer (`data` is the event's JSON, turned into the same `input` by
    the workflow's `parse` hook before the same `validate` runs)."""

    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    input: Any = None
    attachments: list[Any] = field(default_factory=list)


@dataclass
class Checked:
    """A step's facts after validation: the timeline's text and data, the fields the `change` hook applies,
    and the attachments to store with the event."""

    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    attachments: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Incoming:
    """A step as a peer's envelope carries it (already parsed by the app's strict schema).
    `side` is None when the app's envelope does not name it (the table does)."""

    id: Any
    at: datetime.datetime
    action: str
    side: str | None
    from_state: str
    actor_name: str
    actor_unit: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    attachments: list[Any] = field(default_factory=list)  # checked files
    # the time this node records and checks the step at; None: this node's clock now. `at` is the peer's claim.
    received_at: datetime.datetime | None = None


APPLY, RECORD, REJECT = "apply", "record", "reject"


@dataclass
class Workflow:
    """The declaration of one app's workflow; see the module's docstring and docs/workflows.md.

    name: the audit prefix ("assistance.request": steps are audited as "<name>.<action>"); object_type: the
    audit events' object type ("request").
    model, event_model, parent_field: the object, its timeline rows, and the timeline's key to the object.
    sides: the sides (two, or more for `relayed` workflows); owner_side: the side of the node that creates (and
    owns) the object.
    steps: the transition table. crossings: {(step, step): the one that prevails} for steps of the two sides
    that may be taken from the same state before either node hears of the other (see `settle`).
    side_of(user, obj): the side a user acts for, or None. country_of(obj, side): the country whose node
    speaks for that side. change(obj, action, at, fields): how a step changes the object beyond its state
    (saves nothing; the module saves). validate(obj, action, facts, at): the step's facts checked, as
    `Checked`, or ValidationError; the same function for a person's step and a peer's. parse(obj, action,
    facts): turns a peer's event data into the same `Facts.input` a person's step carries.
    envelope_kind, object_key, event_payload(event): how a step crosses ({object_key: id, "event": ...}).
    store_attachments(event, files), notify(obj, action, at): optional. audit(obj, action, from_state,
    checked, peer_node): the audit code and data (default "<name>.<action>", {}). not_possible(obj, action):
    the message when the state refuses a step. allowed(obj, action): a further condition under the lock.
    """

    name: str
    object_type: str
    model: type[models.Model]
    event_model: type[models.Model]
    parent_field: str
    sides: tuple[str, ...]
    owner_side: str
    steps: Mapping[str, Step]
    side_of: Callable[[Any, Any], str | None]
    country_of: Callable[[Any, str], str]
    envelope_kind: str
    object_key: str
    event_payload: Callable[[Any], dict[str, Any]]
    change: Callable[[Any, str, datetime.datetime, dict[str, Any]], None] | None = None
    validate: Callable[[Any, str, Facts, datetime.datetime], Checked] | None = None
    parse: Callable[[Any, str, Facts], Facts] | None = None
    crossings: Mapping[tuple[str, str], str] = field(default_factory=dict)
    deadlines: Deadlines | None = None
    store_attachments: Callable[[Any, list[Any]], None] | None = None
    notify: Callable[[Any, str, datetime.datetime], None] | None = None
    audit: Callable[[Any, str, str, Checked, str], tuple[str, dict[str, Any]]] | None = None
    not_possible: Callable[[Any, str], str] | None = None
    allowed: Callable[[Any, str], bool] | None = None
    # the countries a step of `side` goes to, when the other side is several countries (a joint case)
    recipients: Callable[[Any, str], list[str]] | None = None
    # more than two parties, each node holding the whole timeline: a step of a side other than the owner's
    # reaches the other non-owner parties' nodes too (from `recipients`); see `speaks_for`
    relayed: bool = False
    # the most steps one object may hold: a peer's step past it is refused (federation.schema.LimitReached)
    steps_max: int = 300

    def __post_init__(self) -> None:
        for action, step in self.steps.items():
            if step.side not in (*self.sides, SYSTEM):
                raise ImproperlyConfigured(f"{self.name}: step {action} is taken by an unknown side {step.side}")
        for pair, winner in self.crossings.items():
            if winner not in pair or not set(pair) <= set(self.steps):
                raise ImproperlyConfigured(f"{self.name}: crossing {pair} names a step outside the pair or the table")
        unsettled = [pair for pair in crossing_pairs(self) if not converges(self, *pair)]
        if unsettled:
            raise ImproperlyConfigured(f"{self.name}: steps that may cross without a defined outcome: {unsettled}")

    # --- reading the table --------------------------------------------------------------------------------

    def node_side(self, side: str) -> str:
        """The side whose node takes a step of `side` (SYSTEM steps are the owner node's)."""
        return self.owner_side if side == SYSTEM else side

    def other_side(self, side: str) -> str:
        acting = self.node_side(side)
        return self.sides[1] if acting == self.sides[0] else self.sides[0]

    def shared(self, action: str) -> bool:
        step = self.steps.get(action)
        return step is not None and not step.local

    def possible(self, obj: Any, side: str | None, action: str) -> bool:
        """May `side` take `action` now (what pages offer); the service checks again under the lock."""
        step = self.steps.get(action)
        return (step is not None and side is not None and step.side == side and obj.state in step.from_states
                and (self.allowed is None or self.allowed(obj, action)))

    def possible_steps(self, obj: Any, side: str | None) -> dict[str, bool]:
        return {action: self.possible(obj, side, action) for action in self.steps}


# --- crossings ---------------------------------------------------------------------------------------------


def crossing_pairs(wf: Workflow) -> list[tuple[str, str]]:
    """Every pair of shared steps the two nodes may take from one state before hearing of each other:
    steps of different nodes' sides, both able to arrive from a peer, with a `from_states` in common."""
    shared = [(a, s) for a, s in wf.steps.items() if not s.local and s.from_peer]
    pairs = []
    for i, (a, sa) in enumerate(shared):
        for b, sb in shared[i + 1:]:
            if wf.node_side(sa.side) != wf.node_side(sb.side) and set(sa.from_states) & set(sb.from_states):
                pairs.append((a, b))
    return pairs


def settle(wf: Workflow, state: str, crossed: str | None, arriving: str) -> tuple[str, str]:
    """What a node does with a peer's step `arriving`, taken from a state this node has since left by its
    own step `crossed` (None: no crossing; the peer saw the node's latest state). Returns (APPLY, state
    after) when the step applies, (RECORD, state) when it joins the timeline without changing the object
    (the crossed step prevails), (REJECT, state) when the table forbids it. A declared crossing settles on
    the step that prevails, on both nodes; an undeclared one applies the step when the table allows it."""
    step = wf.steps[arriving]
    winner = (wf.crossings.get((crossed, arriving)) or wf.crossings.get((arriving, crossed))) if crossed else None
    if winner is not None and winner == crossed:
        return RECORD, state
    if winner == arriving or state in step.from_states:
        return APPLY, step.to_state or state
    return REJECT, state


def converges(wf: Workflow, a: str, b: str) -> bool:
    """Both nodes end alike when `a` and `b` cross, from every state both may follow: each node takes its
    own step, then settles the other's; neither rejects, and both end in the same state."""
    for start in set(wf.steps[a].from_states) & set(wf.steps[b].from_states):
        ends = []
        for mine, theirs in ((a, b), (b, a)):
            state = wf.steps[mine].to_state or start
            outcome, state = settle(wf, state, mine if state != start else None, theirs)
            if outcome == REJECT:
                return False
            ends.append(state)
        if ends[0] != ends[1]:
            return False
    return True


# --- the timeline --------------------------------------------------------------------------------------------


def name_of(user: Any) -> str:
    """How a person is named on the timeline (full name, else user name)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def add_event(wf: Workflow, obj: Any, action: str, side: str, *, actor: Any = None, actor_name: str = "",
              actor_unit: str = "", from_state: str = "", text: str = "", data: dict[str, Any] | None = None,
              at: datetime.datetime | None = None, event_id: Any = None, origin_node: str = "") -> Any:
    """Add one step to the object's timeline. The timeline is ordered by time, then id; a step stamped at
    or before the latest one (steps taken in one instant, a peer's clock behind ours) is placed one
    microsecond after it, so the order in which this node took or heard of the steps holds."""
    at = at or clock.now()
    events = wf.event_model._default_manager.filter(**{wf.parent_field: obj})
    last = events.order_by("-at").values_list("at", flat=True).first()
    if last is not None and at <= last:
        at = last + datetime.timedelta(microseconds=1)
    kwargs: dict[str, Any] = {wf.parent_field: obj, "at": at, "actor": actor, "action": action, "text": text,
                              "actor_name": actor_name or name_of(actor), "origin_node": origin_node,
                              "actor_unit": actor_unit or (actor.unit.code if actor is not None and actor.unit_id else "")}
    if event_id:
        kwargs["id"] = event_id
    optional = {"side": side, "from_state": from_state, "to_state": obj.state, "data": data or {}}
    kwargs.update({k: v for k, v in optional.items() if _has_field(wf.event_model, k)})
    return wf.event_model._default_manager.create(**kwargs)


# --- taking a step -------------------------------------------------------------------------------------------


def _refuse(wf: Workflow, obj: Any, action: str) -> ValidationError:
    if wf.not_possible is not None:
        return ValidationError(wf.not_possible(obj, action))
    return ValidationError(_("This step is not possible now."))


def _check(wf: Workflow, obj: Any, action: str, facts: Facts, at: datetime.datetime) -> Checked:
    if wf.validate is None:
        return Checked(text=facts.text, data=dict(facts.data), attachments=list(facts.attachments))
    return wf.validate(obj, action, facts, at)


def record_step(wf: Workflow, obj: Any, action: str, side: str, checked: Checked, at: datetime.datetime, *,
                actor: Any = None, actor_unit: str = "", actor_name: str = "", event_id: Any = None,
                origin_node: str = "", http_request: HttpRequest | None = None, audit: tuple[str, dict] | None = None,
                send: bool = True, change: bool = True) -> Any:
    """The one place a step changes its (locked) object and joins the timeline: the state and the `change`
    hook (unless `change` is False: a step that crossed and lost joins the timeline only), the event and
    its attachments, the audit event, the alerts, and the envelope to the other node (unless the step is
    local, `send` is False, or both sides are on this node). The caller holds the transaction."""
    from_state = obj.state
    step = wf.steps.get(action)
    if change:
        if step is not None and step.to_state is not None:
            obj.state = step.to_state
        if wf.change is not None:
            wf.change(obj, action, at, checked.fields)
        obj.save()
    event = add_event(wf, obj, action, side, actor=actor, actor_name=actor_name, actor_unit=actor_unit,
                      from_state=from_state, text=checked.text, data=checked.data, at=at, event_id=event_id,
                      origin_node=origin_node)
    if checked.attachments and wf.store_attachments is not None:
        wf.store_attachments(event, checked.attachments)
    if audit is None:
        audit = (wf.audit(obj, action, from_state, checked, origin_node) if wf.audit is not None
                 else (f"{wf.name}.{action}", {}))
    record(actor, audit[0], object_type=wf.object_type, object_id=obj.pk, data=audit[1],
           request=http_request)
    if change and wf.notify is not None:
        wf.notify(obj, action, at)
    if send and wf.shared(action):
        send_step(wf, obj, event, side)
    return event


def send_step(wf: Workflow, obj: Any, event: Any, side: str) -> bool:
    """Queue the envelope that carries a step to the other side's node (or to each of `wf.recipients`'
    countries); False when no envelope left (the other side is hosted here)."""
    from borderlink.federation import outbox
    from borderlink.federation.node import hosts_country

    countries = wf.recipients(obj, side) if wf.recipients is not None else [wf.country_of(obj, wf.other_side(side))]
    payload = {wf.object_key: str(obj.pk), "event": wf.event_payload(event)}
    sent = False
    for country in countries:
        if not hosts_country(country):
            sent = outbox.enqueue(country, wf.envelope_kind, event.pk, payload) is not None or sent
    return sent


def take(wf: Workflow, user: Any, obj: Any, action: str, facts: Facts | None = None, *,
         http_request: HttpRequest | None = None, now: datetime.datetime | None = None) -> Any:
    """A person takes `action` on `obj` for their side; returns the timeline event.

    Raises Http404 when the step is not in the table or not the user's side's (the caller has already
    found the object through its access helper, so a stranger never gets this far); ValidationError
    (in the user's language) when the object's state, read under a row lock, does not allow the step, or
    when its facts are invalid. Runs in a transaction (joining the caller's)."""
    step = wf.steps.get(action)
    if step is None or wf.side_of(user, obj) != step.side:
        raise Http404("No access.")
    at = now or clock.now()
    with transaction.atomic():
        locked: Any = wf.model._default_manager.select_for_update().get(pk=obj.pk)
        if locked.state not in step.from_states or (wf.allowed is not None and not wf.allowed(locked, action)):
            raise _refuse(wf, locked, action)
        checked = _check(wf, locked, action, facts or Facts(), at)
        return record_step(wf, locked, action, step.side, checked, at, actor=user, http_request=http_request)


# --- a peer's step -------------------------------------------------------------------------------------------


def speaks_for(wf: Workflow, obj: Any, side: str, peer: Any) -> bool:
    """A peer speaks only for its own side: the owner's side (and the owner's clock) from the node that
    created the object; the other side from the node of that side's country, for an object this node owns
    (in a `relayed` workflow, also for a copy this node holds: a party's step reaches every other party)."""
    acting = wf.node_side(side)
    if not peer.country_id or wf.country_of(obj, acting) != peer.country_id:
        return False
    if acting == wf.owner_side:
        return obj.origin_node == peer.node_id
    return obj.origin_node == "" or (wf.relayed and obj.origin_node != peer.node_id)


def _latest_claim(wf: Workflow, obj: Any) -> datetime.datetime | None:
    """The time of the step a peer's new step follows: the latest time on the timeline (a peer's claim where
    the timeline keeps one, this node's time otherwise)."""
    events = wf.event_model._default_manager.filter(**{wf.parent_field: obj})
    if _has_field(wf.event_model, "claimed_at"):
        from django.db.models import DateTimeField, Max
        from django.db.models.functions import Coalesce

        return events.aggregate(last=Max(Coalesce("claimed_at", "at", output_field=DateTimeField())))["last"]
    return events.order_by("-at").values_list("at", flat=True).first()


def check_claim(wf: Workflow, obj: Any, claimed: datetime.datetime) -> None:
    """The clock rule for a peer's step: its time is the peer's claim, refused when it has no time zone, lies
    beyond this node's clock window, more than two years back, or before the step it follows (less the clock
    window). Raises ValidationError."""
    from borderlink.federation import schema

    if claimed.tzinfo is None or claimed.utcoffset() is None:
        raise ValidationError("the step's time has no time zone")
    schema.past_moment(claimed, "the step's time", years_back=2)
    previous = _latest_claim(wf, obj)
    if previous is not None and claimed < previous - schema.skew():
        raise ValidationError(f"the step's time {claimed.isoformat()} is before the step it follows "
                              f"({previous.isoformat()})")


def apply_peer_step(wf: Workflow, object_id: Any, incoming: Incoming, peer: Any) -> Any:
    """Apply a step a peer took: the receiving half of `take`, with the same table and the same validation.

    The clock rule (`check_claim`): the peer's time is a claim, refused outside this node's clock window or
    before the step it follows; the step is checked and recorded at this node's time (its deadlines, order
    and answer times run on it), and the claim is kept in the event's `claimed_at` where the timeline has one.
    Steps per object are bounded by `Workflow.steps_max` (LimitReached, which the inbox counts).

    Returns the new event, or None when the event is already on the timeline (a retried envelope).
    Raises ValidationError (the inbox quarantines the envelope) when the object is unknown, the step is not
    one a peer may send, the peer does not speak for the step's side, the state does not allow it (after
    settling a crossing, see `settle`), or its facts do not pass the workflow's `validate`. Runs in a
    transaction (joining the inbox's)."""
    with transaction.atomic():
        return _apply_peer_step(wf, object_id, incoming, peer)


def _apply_peer_step(wf: Workflow, object_id: Any, incoming: Incoming, peer: Any) -> Any:
    if wf.event_model._default_manager.filter(pk=incoming.id).exists():
        return None
    obj: Any = wf.model._default_manager.select_for_update().filter(pk=object_id).first()
    if obj is None:
        raise ValidationError(f"unknown {wf.object_key}")
    from borderlink.federation import schema

    schema.ensure_below(wf.event_model._default_manager.filter(**{wf.parent_field: obj}).count(), wf.steps_max,
                        f"steps_per_{wf.object_type}", f"steps on {wf.object_type} {obj.pk}")
    check_claim(wf, obj, incoming.at)
    at = schema.received_now() if incoming.received_at is None else incoming.received_at
    step = wf.steps.get(incoming.action)
    side = incoming.side if incoming.side is not None else (step.side if step else "")
    if step is None or step.local or not step.from_peer or step.side != side:
        raise ValidationError(f"step {incoming.action} cannot come from a peer as {side}")
    if not speaks_for(wf, obj, side, peer):
        raise ValidationError("that node does not speak for this side")
    crossed = None
    if incoming.from_state and incoming.from_state != obj.state:
        # the peer took its step from a state this node has left: by its own latest step, if that step was
        # taken from the same state (the two crossed on the way); in a relayed workflow, by the latest step
        # this node holds that the peer had not seen (its own, or a third party's)
        held = wf.event_model._default_manager.filter(**{wf.parent_field: obj})
        if wf.relayed:
            held = held.exclude(origin_node=peer.node_id).filter(
                from_state=incoming.from_state,
                action__in=[a for a, s in wf.steps.items() if s.to_state or any(a in pair for pair in wf.crossings)])
        else:
            held = held.filter(origin_node="")
        mine: Any = held.exclude(action__in=[a for a, s in wf.steps.items() if s.local]).order_by("-at").first()
        if (mine is not None and getattr(mine, "from_state", "") == incoming.from_state
                and incoming.from_state in step.from_states and mine.action in wf.steps
                and wf.node_side(wf.steps[mine.action].side) != wf.node_side(side)):
            crossed = mine.action
    outcome, _state = settle(wf, obj.state, crossed, incoming.action)
    if outcome == REJECT or (outcome == APPLY and crossed is None and wf.allowed is not None
                             and not wf.allowed(obj, incoming.action)):
        raise ValidationError(f"step {incoming.action} is not possible while the {wf.object_key} is {obj.state}")
    facts = Facts(text=incoming.text, data=dict(incoming.data), attachments=list(incoming.attachments))
    if wf.parse is not None:
        facts = wf.parse(obj, incoming.action, facts)
    checked = _check(wf, obj, incoming.action, facts, at) if outcome == APPLY else Checked(
        text=incoming.text, data=dict(incoming.data), attachments=list(incoming.attachments))
    audit = None
    if outcome == RECORD:
        audit = (f"{wf.name}.{incoming.action}", {"from_node": peer.node_id, "after": obj.state})
    event = record_step(wf, obj, incoming.action, side, checked, at, actor_name=incoming.actor_name,
                        actor_unit=incoming.actor_unit or "-", event_id=incoming.id, origin_node=peer.node_id,
                        audit=audit, send=False, change=outcome == APPLY)
    if _has_field(wf.event_model, "claimed_at"):
        wf.event_model._default_manager.filter(pk=event.pk).update(claimed_at=incoming.at)
    return event


# --- deadlines -----------------------------------------------------------------------------------------------


def reminder_due_at(wf: Workflow, obj: Any) -> datetime.datetime | None:
    """When the reminder is due: `remind_when_left` of the time to answer before the deadline, at least
    `remind_at_least` before it; None without a deadline or a start."""
    spec = wf.deadlines
    if spec is None:
        return None
    deadline, start = getattr(obj, spec.deadline_field), getattr(obj, spec.start_field)
    if deadline is None or start is None:
        return None
    return deadline - max((deadline - start) * spec.remind_when_left, spec.remind_at_least)


def _deadline_step(wf: Workflow, spec: Deadlines, obj: Any, action: str, marker: str, at: datetime.datetime) -> bool:
    with transaction.atomic():
        if not wf.model._default_manager.filter(pk=obj.pk, **{f"{marker}__isnull": True}).update(**{marker: at}):
            return False
        locked: Any = wf.model._default_manager.select_for_update().get(pk=obj.pk)
        deadline = getattr(locked, spec.deadline_field)
        data = {"deadline": deadline.isoformat() if deadline else ""}
        record_step(wf, locked, action, SYSTEM, Checked(data=data), at, audit=(f"{wf.name}.{action}", data))
    return True


def check_deadlines(wf: Workflow, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the other side as a deadline nears; escalate what is overdue. Run by the node that owns the
    objects (it owns their clock). Returns {"reminders": n, "escalations": n}."""
    spec = wf.deadlines
    if spec is None:
        return {"reminders": 0, "escalations": 0}
    at = now or clock.now()
    counts = {"reminders": 0, "escalations": 0}
    mine = wf.model._default_manager.filter(origin_node="", state__in=spec.open_states,
                                            **{f"{spec.deadline_field}__isnull": False})
    for obj in mine.filter(**{f"{spec.escalated_field}__isnull": True, f"{spec.deadline_field}__lte": at}):
        counts["escalations"] += _deadline_step(wf, spec, obj, spec.escalate, spec.escalated_field, at)
    for obj in mine.filter(**{f"{spec.reminded_field}__isnull": True, f"{spec.escalated_field}__isnull": True,
                              f"{spec.deadline_field}__gt": at}):
        due = reminder_due_at(wf, obj)
        if due is not None and at >= due:
            counts["reminders"] += _deadline_step(wf, spec, obj, spec.remind, spec.reminded_field, at)
    return counts
