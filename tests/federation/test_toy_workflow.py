"""A toy workflow declared in a test app (tests/toyflow: a table and a few functions) crosses between two
real nodes: its steps travel through the workflow module, a local step stays home, and two steps that
cross on the way settle alike on both nodes."""

from __future__ import annotations

import json

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation

TOY = {"BORDERLINK_TEST_APPS": "tests.toyflow"}


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("toy-nodes"), ["VN", "LA"], extra_env={"VN": TOY, "LA": TOY})
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def shell(node: Node, code: str) -> dict:
    """Run Python on a node (through its own services) and return the JSON it prints last."""
    prelude = ("import json\nfrom borderlink import workflow\nfrom borderlink.accounts.models import User\n"
               "from tests.toyflow.models import Thing\nfrom tests.toyflow.workflow import TOY, ask\n")
    return json.loads(node.manage("shell", "-c", prelude + code).strip().splitlines()[-1])


def state(node: Node, thing: str) -> dict:
    return shell(node, f"t = Thing.objects.filter(pk='{thing}').first()\n"
                       "print(json.dumps({'state': t.state if t else None, 'events': "
                       "[[str(e.pk), e.action] for e in t.events.all()] if t else []}))")


def test_a_toy_workflow_crosses_between_two_nodes(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    thing = shell(vn, "t = ask(User.objects.get(username='vn.officer'), 'LA', 'Toy question')\n"
                      "print(json.dumps({'id': str(t.pk)}))")["id"]
    wait_for(lambda: state(la, thing)["state"] == "asked", 30, "the thing on the Laos node")

    # a local step stays on the asking node; a shared one crosses and is checked there against the table
    shell(vn, f"workflow.take(TOY, User.objects.get(username='vn.officer'), Thing.objects.get(pk='{thing}'), 'noted')\n"
              "print('{}')")
    shell(la, f"workflow.take(TOY, User.objects.get(username='la.officer'), Thing.objects.get(pk='{thing}'), "
              "'acknowledged', workflow.Facts(text='Seen'))\nprint('{}')")
    wait_for(lambda: state(vn, thing)["state"] == "acknowledged", 30, "the acknowledgement on the Viet Nam node")
    assert "noted" not in [a for _, a in state(la, thing)["events"]]

    # both sides act before hearing of each other: the withdrawal prevails on both nodes
    for node in (vn, la):
        node.worker.terminate()
        node.worker.wait(10)
    try:
        shell(vn, f"workflow.take(TOY, User.objects.get(username='vn.officer'), Thing.objects.get(pk='{thing}'), "
                  "'withdrawn')\nprint('{}')")
        shell(la, f"workflow.take(TOY, User.objects.get(username='la.officer'), Thing.objects.get(pk='{thing}'), "
                  "'done', workflow.Facts(text='Done'))\nprint('{}')")
    finally:
        for node in (vn, la):
            node.start_worker()
    wait_for(lambda: "done" in [a for _, a in state(vn, thing)["events"]], 60, "the helper's step on the Viet Nam node")
    wait_for(lambda: state(la, thing)["state"] == "withdrawn", 60, "the withdrawal on the Laos node")
    on_vn, on_la = state(vn, thing), state(la, thing)
    assert on_vn["state"] == on_la["state"] == "withdrawn"
    shared = sorted(e for e in on_vn["events"] if e[1] != "noted")
    assert shared == sorted(on_la["events"])
    for node in (vn, la):
        assert node.query("SELECT count(*) FROM federation_quarantinedenvelope")[0][0] == 0

    # a peer speaks only for its own side: Laos cannot withdraw Viet Nam's thing
    refused = shell(la, "from borderlink.federation.models import Peer\n"
                        "from django.core.exceptions import ValidationError\n"
                        "import uuid, datetime\n"
                        f"t = Thing.objects.get(pk='{thing}')\n"
                        "try:\n"
                        "    workflow.apply_peer_step(TOY, t.pk, workflow.Incoming(id=uuid.uuid4(), "
                        "at=datetime.datetime.now(datetime.timezone.utc), action='done', side='helper', from_state='', "
                        "actor_name='x', actor_unit='x'), Peer.objects.get(country_id='VN'))\n"
                        "    print(json.dumps({'refused': False}))\n"
                        "except ValidationError as exc:\n"
                        "    print(json.dumps({'refused': True, 'why': exc.messages}))\n")
    assert refused["refused"], refused
