"""The workflow module's receiving half: a peer's step is checked as a person's step is, once."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from borderlink import workflow
from borderlink.assistance.models import Action, Request, RequestEvent, RequestKind, RequestState
from borderlink.assistance.workflow import REQUEST
from borderlink.audit.models import AuditEvent
from tests.assistance.helpers import gate, sent
from tests.workflow.test_crossings import OWNER_NODE, Peer

pytestmark = pytest.mark.django_db

LAOS = Peer("test-la", "LA")


def incoming(action: str, side: str = "requested", from_state: str = "", **kwargs) -> workflow.Incoming:
    values = {"id": uuid.uuid4(), "at": timezone.now(), "action": action, "side": side, "from_state": from_state,
              "actor_name": "Somchai", "actor_unit": "LA-SVK", **kwargs}
    return workflow.Incoming(**values)


@pytest.fixture
def req(officer, supervisor, org):
    """A request of Viet Nam's node, received by Laos (the peer)."""
    return sent(officer, supervisor, org.la_unit)


def test_a_retried_envelope_changes_nothing(req):
    step = incoming(Action.ACCEPTED, from_state=RequestState.RECEIVED)
    assert workflow.apply_peer_step(REQUEST, req.pk, step, LAOS) is not None
    audits = AuditEvent.objects.count()
    assert workflow.apply_peer_step(REQUEST, req.pk, step, LAOS) is None
    assert RequestEvent.objects.filter(pk=step.id).count() == 1 and AuditEvent.objects.count() == audits
    assert Request.objects.get(pk=req.pk).state == RequestState.ACCEPTED


@pytest.mark.parametrize(("action", "side", "peer"), [
    (Action.ACCEPTED, "requested", Peer("test-kh", "KH")),  # a third country's node
    (Action.ACCEPTED, "requested", Peer(OWNER_NODE, "VN")),  # the requesting country answering itself
    (Action.CLOSED, "requesting", LAOS),  # Laos speaking for Viet Nam's side
    (Action.CLOSED, "requested", LAOS),  # a step claimed for the wrong side
    (Action.APPROVED, "requesting", LAOS),  # a local step never comes from a peer
    (Action.SENT, "requesting", LAOS),  # sending crosses with the request itself
    (Action.REMINDER, "system", LAOS),  # the clock is the owner's
    ("made_up", "requested", LAOS),
])
def test_a_peer_speaks_only_for_its_own_side(req, action, side, peer):
    with pytest.raises(ValidationError):
        workflow.apply_peer_step(REQUEST, req.pk, incoming(action, side=side), peer)
    assert Request.objects.get(pk=req.pk).state == RequestState.RECEIVED


@pytest.mark.parametrize(("action", "text", "data"), [
    (Action.DECLINED, "", {"reason": "not_a_reason"}),
    (Action.DECLINED, "", {"reason": "other"}),  # "other" needs its text, as on the page
    (Action.CLARIFICATION_ASKED, " ", {}),
    (Action.ANSWERED, "Found", {"results": [{"kind": "made_up"}]}),
    (Action.ANSWERED, "Found", {"results": "not a list"}),
    (Action.ANSWERED, "", {"results": []}),
])
def test_a_peers_step_is_validated_as_a_persons(req, action, text, data):
    Request.objects.filter(pk=req.pk).update(state=RequestState.ACCEPTED)
    with pytest.raises(ValidationError):
        workflow.apply_peer_step(REQUEST, req.pk, incoming(action, text=text, data=data), LAOS)
    assert not RequestEvent.objects.filter(request=req, action=action).exists()


def test_a_peers_handover_plan_through_a_gate_on_another_border_is_refused(req, org):
    Request.objects.filter(pk=req.pk).update(state=RequestState.ACCEPTED, kind=RequestKind.ARREST_HANDOVER)
    from borderlink.assistance.models import Handover

    Handover.objects.create(request=req, state="arrested", arrested_at=timezone.now() - datetime.timedelta(hours=3))
    elsewhere = gate("VN", "KH", "Moc Bai")
    plan = {"handover": {"gate": {"side_a_country": "VN", "side_a_name": elsewhere.side_a_name, "side_b_country": "KH"},
                         "planned_for": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
                         "escort_requesting_unit": org.vn_unit.code, "escort_requested_unit": org.la_unit.code}}
    with pytest.raises(ValidationError) as refused:
        workflow.apply_peer_step(REQUEST, req.pk, incoming(Action.HANDOVER_PLANNED, data=plan), LAOS)
    assert "gate" in refused.value.message_dict
    assert Handover.objects.get(request=req).state == "arrested"


def test_the_timeline_keeps_the_order_in_which_the_node_heard_of_steps(req):
    last = RequestEvent.objects.filter(request=req).order_by("-at").first()
    behind = incoming(Action.ACCEPTED, from_state=RequestState.RECEIVED, at=last.at - datetime.timedelta(minutes=5))
    event = workflow.apply_peer_step(REQUEST, req.pk, behind, LAOS)
    assert event.at > last.at
    assert list(RequestEvent.objects.filter(request=req).values_list("action", flat=True))[-1] == Action.ACCEPTED


def test_a_table_with_an_unsettled_crossing_does_not_start():
    from django.core.exceptions import ImproperlyConfigured

    steps = {"stop": workflow.Step("a", ("open",), "stopped"), "finish": workflow.Step("b", ("open",), "finished")}
    with pytest.raises(ImproperlyConfigured, match="cross"):
        workflow.Workflow(name="x", object_type="x", model=Request, event_model=RequestEvent, parent_field="request",
                          sides=("a", "b"), owner_side="a", steps=steps, side_of=lambda u, o: None,
                          country_of=lambda o, s: "", envelope_kind="x", object_key="x", event_payload=lambda e: {})
