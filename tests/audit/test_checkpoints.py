"""Signed checkpoints of the audit chain (issue 11, finding 2): truncation and rewriting
before the last checkpoint are detected, however well the rows were recomputed."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from borderlink.audit import checkpoints
from borderlink.audit.federation import CheckpointPayload, apply_checkpoint
from borderlink.audit.models import AuditEvent, WitnessedCheckpoint
from borderlink.audit.services import record, verify_chain
from borderlink.federation import crypto
from borderlink.federation.models import OutboxEnvelope, Peer

pytestmark = pytest.mark.django_db


@pytest.fixture
def node_key(settings, tmp_path):
    settings.NODE_KEY_FILE = tmp_path / "node_key.pem"
    return crypto.generate_key_file(settings.NODE_KEY_FILE)


@pytest.fixture
def long_chain(officer):
    for n in range(120):
        record(officer, "exchange.search", object_type="message", data={"q": f"query {n}", "n": n})


def _move_head(seq: int) -> None:
    digest = AuditEvent.objects.get(seq=seq).hash
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET last_seq = %s, last_hash = %s WHERE id = 1", [seq, digest])


def test_truncated_chain_with_moved_head_is_detected(node_key, long_chain):
    signed = checkpoints.sign()
    assert signed is not None and signed["checkpoint"]["seq"] == 120
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 110")
    _move_head(110)
    assert verify_chain().ok  # the links alone cannot tell
    with pytest.raises(CommandError, match=r"checkpoint #1 \(event 120, signed .*\) no longer matches: the chain ends at event 110"):
        call_command("audit_verify")


def test_rewritten_chain_with_every_hash_recomputed_is_detected(node_key, long_chain):
    checkpoints.sign()
    prev_hash = AuditEvent.objects.get(seq=99).hash
    for event in AuditEvent.objects.filter(seq__gte=100).order_by("seq"):
        if event.seq == 100:
            event.data = {"q": "nothing to see", "n": 99}
        event.prev_hash = prev_hash
        event.hash = event.compute_hash()  # the model's own function
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET data = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                           [json.dumps(event.data), event.prev_hash, event.hash, event.seq])
        prev_hash = event.hash
    _move_head(120)
    assert verify_chain().ok  # the links alone cannot tell
    with pytest.raises(CommandError, match=r"checkpoint #1 \(event 120, .*\) no longer matches: event 120 has another hash"):
        call_command("audit_verify")


def test_first_checkpoint_that_no_longer_matches_is_named(node_key, officer, long_chain):
    checkpoints.sign()  # event 120
    record(officer, "exchange.search", data={"q": "later"})
    checkpoints.sign()  # event 121
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 115")
    _move_head(115)
    with pytest.raises(CommandError, match=r"checkpoint #1 \(event 120"):
        call_command("audit_verify")


def test_intact_chain_matches_its_checkpoints(node_key, officer, long_chain, capsys):
    checkpoints.sign()
    record(officer, "exchange.search", data={"q": "after the checkpoint"})
    checkpoints.sign()
    assert checkpoints.sign() is None  # the head has not moved: nothing new to sign
    call_command("audit_verify")
    assert "121 events verified, 2 signed checkpoints match" in capsys.readouterr().out


def test_changed_checkpoint_file_is_detected(node_key, long_chain, settings):
    checkpoints.sign()
    path = settings.AUDIT_CHECKPOINT_FILE
    item = json.loads(path.read_text())
    item["checkpoint"]["seq"] = 110  # someone "fixes" the file after truncating the chain
    path.write_text(json.dumps(item) + "\n")
    with pytest.raises(CommandError, match="signature does not verify"):
        call_command("audit_verify")


def test_checkpoint_signed_by_another_key_is_refused(node_key, long_chain, settings, tmp_path):
    checkpoints.sign()
    forger = crypto.generate_key_file(tmp_path / "forger.pem")
    item = json.loads(settings.AUDIT_CHECKPOINT_FILE.read_text())
    item["checkpoint"]["public_key"] = crypto.b64(crypto.public_bytes(forger))
    item["signature"] = crypto.sign(forger, item["checkpoint"])
    settings.AUDIT_CHECKPOINT_FILE.write_text(json.dumps(item) + "\n")
    with pytest.raises(CommandError, match="signature does not verify"):
        call_command("audit_verify")


def test_checkpoint_goes_to_every_peer(node_key, org, long_chain):
    Peer.objects.create(node_id="test-la", country=org.la, base_url="http://127.0.0.1:9", public_key="x" * 44, fingerprint="f")
    Peer.objects.create(node_id="test-kh", country=org.kh, base_url="http://127.0.0.1:9", public_key="y" * 44, fingerprint="f")
    item = checkpoints.sign()
    sent = OutboxEnvelope.objects.filter(kind="audit.checkpoint")
    assert sorted(e.peer.node_id for e in sent) == ["test-kh", "test-la"]
    assert all(e.payload == item for e in sent)


def test_daily_run_signs_a_checkpoint(node_key, long_chain, settings):
    import datetime

    from borderlink.core.daily import run_due_jobs

    run_due_jobs(datetime.date(2026, 1, 5))
    assert checkpoints.read_file()[-1]["checkpoint"]["seq"] >= 120


# --- as a witness -----------------------------------------------------------------------------------


def _peer_with_key(org, tmp_path):
    key = crypto.generate_key_file(tmp_path / "peer.pem")
    public = crypto.b64(crypto.public_bytes(key))
    return key, Peer.objects.create(node_id="test-la", country=org.la, base_url="http://127.0.0.1:9", public_key=public,
                                    fingerprint="f")


def _signed(key, seq, digest, node_id="test-la"):
    body = {"node_id": node_id, "seq": seq, "hash": digest, "signed_at": "2026-11-30T10:00:00.000000Z",
            "public_key": crypto.b64(crypto.public_bytes(key))}
    return CheckpointPayload.model_validate({"checkpoint": body, "signature": crypto.sign(key, body)})


def test_peer_checkpoint_is_witnessed_and_contradictions_are_audited(org, tmp_path):
    key, peer = _peer_with_key(org, tmp_path)
    apply_checkpoint(_signed(key, 100, "a" * 64), peer, {})
    apply_checkpoint(_signed(key, 100, "a" * 64), peer, {})  # the same again: nothing new
    assert list(WitnessedCheckpoint.objects.values_list("seq", "hash")) == [(100, "a" * 64)]
    apply_checkpoint(_signed(key, 100, "b" * 64), peer, {})  # rewritten
    apply_checkpoint(_signed(key, 90, "c" * 64), peer, {})  # cut short
    assert list(WitnessedCheckpoint.objects.values_list("seq", "hash")) == [(100, "a" * 64)]
    reasons = [e.data["reason"] for e in AuditEvent.objects.filter(action="audit.checkpoint.contradicted").order_by("seq")]
    assert reasons == ["another_hash", "goes_back"]


def test_peer_checkpoint_with_a_bad_signature_or_of_another_node_is_refused(org, tmp_path):
    from django.core.exceptions import ValidationError

    key, peer = _peer_with_key(org, tmp_path)
    forger = crypto.generate_key_file(tmp_path / "forger.pem")
    with pytest.raises(ValidationError):
        apply_checkpoint(_signed(forger, 100, "a" * 64), peer, {})
    with pytest.raises(ValidationError):
        apply_checkpoint(_signed(key, 100, "a" * 64, node_id="test-kh"), peer, {})
    assert not WitnessedCheckpoint.objects.exists()


# --- the worker's hourly checkpoint -----------------------------------------------------------------


def test_worker_signs_a_checkpoint_once_per_interval(node_key, officer, long_chain, settings):
    settings.AUDIT_CHECKPOINT_SECONDS = 3600
    hour = datetime.timedelta(seconds=settings.AUDIT_CHECKPOINT_SECONDS)
    first = checkpoints.sign_if_due()  # no checkpoint yet: due
    assert first is not None and first["checkpoint"]["seq"] == 120
    signed_at = checkpoints.last_signed_at()
    assert signed_at is not None
    record(officer, "exchange.search", data={"q": "within the hour"})
    assert checkpoints.sign_if_due(now=signed_at + hour - datetime.timedelta(seconds=1)) is None  # not due
    assert [r["checkpoint"]["seq"] for r in checkpoints.read_file()] == [120]
    again = checkpoints.sign_if_due(now=signed_at + hour)  # the hour has passed
    assert again is not None and again["checkpoint"]["seq"] == 121
    assert [r["checkpoint"]["seq"] for r in checkpoints.read_file()] == [120, 121]


def test_worker_signs_nothing_new_when_the_chain_has_not_moved_for_an_hour(node_key, long_chain, settings):
    settings.AUDIT_CHECKPOINT_SECONDS = 3600
    checkpoints.sign_if_due()
    signed_at = checkpoints.last_signed_at()
    assert signed_at is not None
    assert checkpoints.due(now=signed_at + datetime.timedelta(hours=2))
    assert checkpoints.sign_if_due(now=signed_at + datetime.timedelta(hours=2)) is None  # due, but the head has not moved
    assert len(checkpoints.read_file()) == 1


def test_worker_without_a_node_key_signs_nothing(officer, settings, tmp_path):
    settings.NODE_KEY_FILE = tmp_path / "absent.pem"
    record(officer, "exchange.search", data={"q": "before any key"})
    assert checkpoints.due()
    assert checkpoints.sign_if_due() is None
    assert checkpoints.read_file() == []
