"""Several signed envelopes in one POST: each checked and applied as if alone, in order; a refused one does not
stop the others (those about the same object wait)."""

from __future__ import annotations

import datetime
import json

import pytest

from .harness import drop_databases, start_nodes
from .test_nodes import counts, message_envelope, post, refused, sign

pytestmark = pytest.mark.federation


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("batch-nodes"), ["VN", "LA"])
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def test_batch_applies_in_order_and_goes_on_past_a_refused_envelope(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    first, tampered, third = (sign(vn, message_envelope(vn, la)) for _ in range(3))
    tampered["envelope"]["payload"]["subject"] = "Changed after signing"
    before = counts(la)
    status, answer = post(la, json.dumps({"batch": [first, tampered, third]}).encode())
    assert status == 200 and len(answer["receipts"]) == 3
    assert answer["receipts"][0]["receipt"]["envelope_id"] == first["envelope"]["id"]
    assert answer["receipts"][1]["error"] == "bad_signature"
    assert answer["receipts"][2]["receipt"]["envelope_id"] == third["envelope"]["id"]
    assert counts(la)[0] == before[0] + 2  # the first and the third; the tampered one is refused
    applied = {r[0] for r in la.query("SELECT object_id FROM federation_inboxenvelope WHERE kind = 'message.released'")}
    assert {first["envelope"]["object_id"], third["envelope"]["object_id"]} <= applied
    assert tampered["envelope"]["object_id"] not in applied
    assert refused(la, "bad_signature") >= 1


def test_batch_retried_with_fresh_signatures_gets_the_stored_receipts(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    bodies = [message_envelope(vn, la) for _ in range(3)]
    status, answer = post(la, json.dumps({"batch": [sign(vn, b) for b in bodies]}).encode())
    assert status == 200 and [r["receipt"]["status"] for r in answer["receipts"]] == ["applied"] * 3
    after = counts(la)
    later = datetime.datetime.now(datetime.UTC).isoformat()  # a retry is signed afresh: another sent_at
    status, again = post(la, json.dumps({"batch": [sign(vn, b | {"sent_at": later}) for b in bodies]}).encode())
    assert status == 200 and again["receipts"] == answer["receipts"]
    assert counts(la) == after


def test_same_signed_envelope_twice_in_a_batch_is_a_replay(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    signed = sign(vn, message_envelope(vn, la))
    before = counts(la)
    status, answer = post(la, json.dumps({"batch": [signed, signed]}).encode())
    assert status == 200 and answer["receipts"][1]["error"] == "replay"
    assert counts(la)[:2] == (before[0] + 1, before[1] + 1)


def test_malformed_batch_is_refused(nodes):
    la = nodes["LA"]
    before = counts(la)
    stored_before = {r[0] for r in la.query("SELECT id FROM federation_inboxenvelope")}
    quarantined_before = la.query("SELECT COUNT(*) FROM federation_quarantinedenvelope")[0][0]
    status, answer = post(la, json.dumps({"batch": "nothing"}).encode())
    assert status == 400 and answer["error"] == "malformed"
    assert (counts(la)[0], counts(la)[2]) == (before[0], before[2])  # no message, no notice
    assert la.query("SELECT COUNT(*) FROM federation_quarantinedenvelope")[0][0] == quarantined_before
    # The peer's worker may deliver its own background envelopes meanwhile (audit checkpoints, daily
    # statistics); none of what arrived is a message, and each came signed through the usual door.
    arrived = [r for r in la.query("SELECT id, kind FROM federation_inboxenvelope") if r[0] not in stored_before]
    assert not [kind for _, kind in arrived if kind.startswith("message.")]
