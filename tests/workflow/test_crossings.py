"""Steps that cross on the way: every pair the tables of requests and custody allow to cross, played on the
two nodes (the owner's copy and the other side's copy, in one test database). Each node takes its own step
from the same state, then hears of the other's as a peer's envelope; both must keep both steps on the
timeline and end in the same state, with nothing rejected."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from borderlink import workflow
from borderlink.assistance.facts import HandoverInput, handover_errors, handover_payload
from borderlink.assistance.models import Action, Handover, Request, RequestKind
from borderlink.assistance.workflow import REQUEST, HandoverStep
from borderlink.custody.models import CustodyRecord
from borderlink.custody.workflow import CUSTODY, DETAINING
from tests.assistance.helpers import gate, sent
from tests.custody.test_custody import held

pytestmark = pytest.mark.django_db


@dataclass
class Peer:
    node_id: str
    country_id: str


OWNER_NODE = "test-owner"


def _copy(model: Any, original: Any, owner: bool) -> Any:
    """The object as the owner's node or the other node holds it: the same row, marked as a copy or not."""
    model.objects.filter(pk=original.pk).update(origin_node="" if owner else OWNER_NODE)
    return model.objects.get(pk=original.pk)


def _request_facts(req: Request, action: str, units: dict[str, Any]) -> tuple[workflow.Facts, dict[str, Any]]:
    """Valid facts for a step, as a person gives them and as a peer's event carries them."""
    now = timezone.now()
    if action in (Action.DECLINED,):
        return workflow.Facts(text="Không đủ thông tin", data={"reason": "insufficient"}), {"reason": "insufficient"}
    if action in (Action.ANSWERED, Action.PARTLY_ANSWERED):
        return workflow.Facts(text="Đã xác minh."), {"results": []}
    step = REQUEST.steps[action]
    if isinstance(step.detail, HandoverStep):
        data = HandoverInput(at=now - datetime.timedelta(hours=1), place="Savannakhet", documents="Hồ sơ",
                             handed_by="A", received_by="B")
        if action == Action.HANDOVER_PLANNED:
            data = HandoverInput(at=now + datetime.timedelta(hours=20), gate_id=units["gate"].pk,
                                 escort_requesting_unit_id=units["vn"].pk, escort_requested_unit_id=units["la"].pk)
        errors, fields = handover_errors(req, action, data, Handover.objects.filter(request=req).first(), now)
        assert not errors, errors
        return workflow.Facts(input=data), {"handover": handover_payload(fields)}
    return workflow.Facts(text="Ghi chú"), {}


def _play(wf: workflow.Workflow, obj: Any, mine: str, theirs: str, start: str, users: dict[str, Any], peers: dict[str, Peer],
          facts: Any, *, check_system: bool = False) -> tuple[str, list[str]]:
    """On one node: `obj` in `start`; this node takes `mine`, then hears of `theirs`, which the other node
    took from `start`. Returns the state after and the two steps' actions on this node's timeline.
    A clock (SYSTEM) step carries only a deadline, unless `check_system`: then its facts pass the workflow's
    `validate`, as the clock's own step does (a meeting's reminder names its action item)."""
    wf.model._default_manager.filter(pk=obj.pk).update(state=start)
    obj.refresh_from_db()
    before = set(wf.event_model._default_manager.filter(**{wf.parent_field: obj}).values_list("pk", flat=True))
    local_facts, _ = facts(obj, mine)
    step = wf.steps[mine]
    if step.side == workflow.SYSTEM:
        with transaction.atomic():
            locked = wf.model._default_manager.select_for_update().get(pk=obj.pk)
            checked = workflow.Checked(data={"deadline": ""})
            if check_system and wf.validate is not None:
                checked = wf.validate(locked, mine, local_facts, timezone.now())
            workflow.record_step(wf, locked, mine, workflow.SYSTEM, checked, timezone.now())
    else:
        workflow.take(wf, users[step.side], obj, mine, local_facts)
    obj.refresh_from_db()
    peer_facts, data = facts(obj, theirs)
    other = wf.steps[theirs]
    workflow.apply_peer_step(wf, obj.pk, workflow.Incoming(
        id=uuid.uuid4(), at=timezone.now(), action=theirs, side=other.side, from_state=start, actor_name="peer",
        actor_unit="X", text=peer_facts.text, data=data), peers[wf.node_side(other.side)])
    obj.refresh_from_db()
    actions = list(wf.event_model._default_manager.filter(**{wf.parent_field: obj}, action__in=(mine, theirs))
                   .exclude(pk__in=before).values_list("action", flat=True))
    return obj.state, sorted(actions)


def _cases(wf: workflow.Workflow) -> list[tuple[str, str, str]]:
    return [(a, b, s) for a, b in workflow.crossing_pairs(wf)
            for s in sorted(set(wf.steps[a].from_states) & set(wf.steps[b].from_states))]


def test_every_declared_workflow_settles_its_crossings():
    for wf in (REQUEST, CUSTODY):
        assert workflow.crossing_pairs(wf), wf.name
        assert all(workflow.converges(wf, a, b) for a, b in workflow.crossing_pairs(wf))


@pytest.mark.parametrize(("a", "b", "start"), _cases(REQUEST), ids=lambda v: str(v))
def test_request_steps_that_cross_leave_both_nodes_alike(a, b, start, officer, foreign_officer, supervisor, org):
    req = sent(officer, supervisor, org.la_unit)
    Request.objects.filter(pk=req.pk).update(kind=RequestKind.ARREST_HANDOVER, deadline=timezone.now() + datetime.timedelta(days=3))
    units = {"gate": gate(), "vn": org.vn_unit, "la": org.la_unit}
    handover_step = next((REQUEST.steps[x].detail for x in (a, b) if isinstance(REQUEST.steps[x].detail, HandoverStep)), None)
    users = {"requesting": officer, "requested": foreign_officer}
    ends = []
    for owner in (True, False):
        with transaction.atomic():
            sid = transaction.savepoint()
            copy = _copy(Request, req, owner)
            if handover_step is not None and handover_step.after[0] is not None:
                Handover.objects.create(request=copy, state=handover_step.after[0],
                                        arrested_at=timezone.now() - datetime.timedelta(hours=5))
            peers = {"requesting": Peer(OWNER_NODE, "VN"), "requested": Peer("test-la", "LA")}
            mine, theirs = (a, b) if (REQUEST.node_side(REQUEST.steps[a].side) == "requesting") == owner else (b, a)
            ends.append(_play(REQUEST, copy, mine, theirs, start, users, peers,
                              lambda obj, action: _request_facts(obj, action, units)))
            transaction.savepoint_rollback(sid)
    assert ends[0] == ends[1]
    assert ends[0][1] == sorted((a, b))


@pytest.mark.parametrize(("a", "b", "start"), _cases(CUSTODY), ids=lambda v: str(v))
def test_custody_steps_that_cross_leave_both_nodes_alike(a, b, start, foreign_officer, supervisor):
    item = held(foreign_officer)
    users = {"detaining": foreign_officer, "receiving": supervisor}
    ends = []
    for owner in (True, False):
        with transaction.atomic():
            sid = transaction.savepoint()
            copy = _copy(CustodyRecord, item, owner)
            peers = {"detaining": Peer(OWNER_NODE, "LA"), "receiving": Peer("test-vn", "VN")}
            mine, theirs = (a, b) if (CUSTODY.node_side(CUSTODY.steps[a].side) == DETAINING) == owner else (b, a)
            ends.append(_play(CUSTODY, copy, mine, theirs, start, users, peers,
                              lambda obj, action: (workflow.Facts(text="Ghi chú"), {})))
            transaction.savepoint_rollback(sid)
    assert ends[0] == ends[1]
    assert ends[0][1] == sorted((a, b))
