"""Key rotation (issue 11, operations), one node's side and its peer's, without servers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.federation import crypto
from borderlink.federation.models import OutboxEnvelope, Peer
from borderlink.federation.node import previous_key_file, signing_key, verify_from_peer
from borderlink.federation.rotation import RotationError, RotationPayload, apply_rotation, expire, rotate

pytestmark = pytest.mark.django_db


@pytest.fixture
def node_key(settings, tmp_path):
    settings.NODE_KEY_FILE = tmp_path / "node_key.pem"
    settings.NODE_NAME = "test-vn"
    settings.NODE_COUNTRY = "VN"
    return crypto.generate_key_file(settings.NODE_KEY_FILE)


def test_rotation_replaces_the_key_keeps_the_previous_and_tells_every_peer(node_key, org, settings):
    la = Peer.objects.create(node_id="test-la", country=org.la, base_url="http://127.0.0.1:9", public_key="x", fingerprint="f")
    card = rotate(grace_days=3)
    new = crypto.load_private_key(settings.NODE_KEY_FILE)
    assert card["card"]["public_key"] == crypto.b64(crypto.public_bytes(new)) != card["card"]["previous_key"]
    assert card["card"]["previous_key"] == crypto.b64(crypto.public_bytes(node_key))
    assert crypto.verify(crypto.public_bytes(node_key), card["card"], card["endorsement"])
    envelope = OutboxEnvelope.objects.get(kind="federation.key_rotation")
    assert envelope.peer == la and envelope.payload == card
    # until the card reached that peer, it still gets signatures it can check: the previous key's
    assert crypto.public_bytes(signing_key(la)) == crypto.public_bytes(node_key)
    OutboxEnvelope.objects.filter(pk=envelope.pk).update(state="delivered")
    assert crypto.public_bytes(signing_key(la)) == crypto.public_bytes(new)
    assert AuditEvent.objects.filter(action="federation.key.rotated").count() == 1
    with pytest.raises(RotationError, match="grace period"):
        rotate()
    # when the grace period is over, the previous private key is destroyed, audited
    assert expire(timezone.now() + datetime.timedelta(days=4)) == 1
    assert not previous_key_file().exists()
    assert AuditEvent.objects.filter(action="federation.key.previous_destroyed").count() == 1


def _peer_and_card(org, tmp_path, endorser=None):
    old = crypto.generate_key_file(tmp_path / "old.pem")
    new = crypto.generate_key_file(tmp_path / "new.pem")
    peer = Peer.objects.create(node_id="test-la", country=org.la, base_url="http://127.0.0.1:9",
                               public_key=crypto.b64(crypto.public_bytes(old)), fingerprint="f")
    now = timezone.now()
    body = {"node_id": "test-la", "country": "LA", "base_url": "http://127.0.0.1:9",
            "public_key": crypto.b64(crypto.public_bytes(new)), "previous_key": crypto.b64(crypto.public_bytes(old)),
            "issued_at": now.isoformat(), "grace_until": (now + datetime.timedelta(days=5)).isoformat()}
    card = {"card": body, "signature": crypto.sign(new, body), "endorsement": crypto.sign(endorser or old, body)}
    return peer, old, new, card


def _apply(peer, card):
    apply_rotation(RotationPayload.model_validate(card), peer, {"payload": card})


def test_peer_accepts_a_new_key_endorsed_by_the_pinned_one_and_the_old_stays_valid_for_the_grace(org, tmp_path):
    peer, old, new, card = _peer_and_card(org, tmp_path)
    _apply(peer, card)
    peer.refresh_from_db()
    assert peer.public_key == card["card"]["public_key"] and peer.previous_public_key == card["card"]["previous_key"]
    assert verify_from_peer(peer, {"a": 1}, crypto.sign(new, {"a": 1}))
    assert verify_from_peer(peer, {"a": 1}, crypto.sign(old, {"a": 1}))  # grace
    assert AuditEvent.objects.filter(action="federation.peer.key_rotated", object_id="test-la").count() == 1
    _apply(peer, card)  # the same card again changes nothing
    assert AuditEvent.objects.filter(action="federation.peer.key_rotated").count() == 1
    assert expire(timezone.now() + datetime.timedelta(days=6)) == 1
    peer.refresh_from_db()
    assert not verify_from_peer(peer, {"a": 1}, crypto.sign(old, {"a": 1}))
    assert AuditEvent.objects.filter(action="federation.peer.previous_key_expired").count() == 1


def test_card_not_endorsed_by_the_pinned_key_changes_nothing(org, tmp_path):
    stranger = crypto.generate_key_file(tmp_path / "stranger.pem")
    peer, old, _new, card = _peer_and_card(org, tmp_path, endorser=stranger)
    with pytest.raises(ValidationError, match="not endorsed"):
        _apply(peer, card)
    card["card"]["previous_key"] = crypto.b64(crypto.public_bytes(stranger))
    with pytest.raises(ValidationError, match="pinned"):
        _apply(peer, card)
    peer.refresh_from_db()
    assert peer.public_key == crypto.b64(crypto.public_bytes(old)) and not peer.previous_public_key


def test_card_of_another_node_is_refused(org, tmp_path):
    peer, _old, _new, card = _peer_and_card(org, tmp_path)
    card["card"]["node_id"] = "test-kh"
    with pytest.raises(ValidationError):
        _apply(peer, card)
