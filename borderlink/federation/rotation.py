"""Rotating the node key without a phone call.

``node_keygen --rotate`` makes a new key and a rotation card: the node's card with the
new public key and the previous one, signed by the new key (as any card) and endorsed
by the previous key, the one every peer pinned. The card travels to every peer as a
``federation.key_rotation`` envelope, itself signed with the previous key (this node
signs with the previous key for a peer until that envelope is delivered to it). A peer
accepts the new key only when the endorsement verifies against the key it pinned; it
then keeps the previous key valid for the grace period the card names (at most
``MAX_GRACE_DAYS``), for envelopes and receipts already signed with it. Each step is
audited: the rotation here, the acceptance on each peer, and the end of the grace
period on both sides (the previous private key is then deleted here).

A card not endorsed by the pinned key changes nothing (the envelope is quarantined);
pinning an unrelated key still takes the fingerprint read over the phone
(``node_card import``).
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from borderlink.audit.services import record
from borderlink.federation import crypto
from borderlink.federation.models import Peer
from borderlink.federation.node import previous_key_file, private_key, retired_keys_file
from borderlink.federation.outbox import enqueue

MAX_GRACE_DAYS = 90


class RotationError(Exception):
    """The key cannot be rotated now; the message says why."""


class RotationCardBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    node_id: str = Field(min_length=1, max_length=60)
    country: str = Field(pattern=r"^(VN|LA|KH)$")
    base_url: str = Field(max_length=200)
    public_key: str = Field(min_length=40, max_length=64)
    previous_key: str = Field(min_length=40, max_length=64)
    issued_at: AwareDatetime
    grace_until: AwareDatetime


class RotationPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    card: RotationCardBody
    signature: str = Field(min_length=40, max_length=100)
    endorsement: str = Field(min_length=40, max_length=100)


def rotate(grace_days: int | None = None, actor: Any = None) -> dict[str, Any]:
    """Replace this node's key; return the rotation card (as sent to every peer).

    The previous private key is kept in ``<key file>.previous`` for the grace period, its
    public key listed in ``<key file>.retired`` (audit checkpoints signed with it still
    verify). Raises RotationError while an earlier rotation's grace period runs."""
    grace_days = grace_days or settings.KEY_ROTATION_GRACE_DAYS
    if not 1 <= grace_days <= MAX_GRACE_DAYS:
        raise RotationError(f"the grace period must be 1 to {MAX_GRACE_DAYS} days")
    if not settings.NODE_KEY_FILE.exists():
        raise RotationError("this node has no key yet: run node_keygen first")
    if previous_key_file().exists():
        raise RotationError("an earlier rotation's grace period is still running; rotate again after it ends")
    old = private_key()
    new = crypto.Ed25519PrivateKey.generate()
    now = timezone.now()
    body = {
        "node_id": settings.NODE_NAME, "country": settings.NODE_COUNTRY, "base_url": settings.NODE_URL,
        "public_key": crypto.b64(crypto.public_bytes(new)), "previous_key": crypto.b64(crypto.public_bytes(old)),
        "issued_at": now.astimezone(datetime.UTC).isoformat(),
        "grace_until": (now + datetime.timedelta(days=grace_days)).astimezone(datetime.UTC).isoformat(),
    }
    card = {"card": body, "signature": crypto.sign(new, body), "endorsement": crypto.sign(old, body)}
    old_fingerprint, new_fingerprint = crypto.fingerprint(crypto.public_bytes(old)), crypto.fingerprint(crypto.public_bytes(new))
    crypto.write_key_file(previous_key_file(), old)
    try:
        with transaction.atomic():
            peers = list(Peer.objects.filter(is_active=True))
            for peer in peers:
                enqueue(peer.country_id, "federation.key_rotation", settings.NODE_NAME, card)
            record(actor, "federation.key.rotated", object_type="node", object_id=settings.NODE_NAME, data={
                "previous_fingerprint": old_fingerprint, "fingerprint": new_fingerprint,
                "grace_until": body["grace_until"], "peers": [p.node_id for p in peers]})
            crypto.write_key_file(settings.NODE_KEY_FILE, new)
    except BaseException:
        # Nothing was queued: the node keeps signing with its key, which every peer still pins.
        if crypto.load_private_key(settings.NODE_KEY_FILE) is not old:
            crypto.write_key_file(settings.NODE_KEY_FILE, old)
        previous_key_file().unlink(missing_ok=True)
        raise
    with open(retired_keys_file(), "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"public_key": body["previous_key"], "fingerprint": old_fingerprint,
                                 "retired_at": body["issued_at"], "grace_until": body["grace_until"]}) + "\n")
    return card


def apply_rotation(payload: RotationPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A peer's new key, endorsed by the key pinned for it here."""
    card = payload.card
    body = envelope["payload"]["card"]  # the signed form, as it arrived (validated above by the schema)
    if card.node_id != peer.node_id or card.country != peer.country_id:
        raise ValidationError("the rotation card is not the sending node's")
    if card.public_key == peer.public_key and card.previous_key == peer.previous_public_key:
        return  # applied before
    if card.previous_key != peer.public_key:
        raise ValidationError("the rotation card does not name the key pinned for this peer")
    try:
        new_key, pinned = crypto.unb64(card.public_key), crypto.unb64(peer.public_key)
    except ValueError:
        raise ValidationError("the rotation card's key is not base64") from None
    if len(new_key) != 32 or new_key == pinned:
        raise ValidationError("the rotation card's new key is not a new Ed25519 key")
    if not crypto.verify(pinned, body, payload.endorsement):
        raise ValidationError("the rotation card is not endorsed by the key pinned for this peer")
    if not crypto.verify(new_key, body, payload.signature):
        raise ValidationError("the rotation card's own signature does not verify")
    now = timezone.now()
    grace_until = min(card.grace_until, now + datetime.timedelta(days=MAX_GRACE_DAYS))
    old_fingerprint = peer.fingerprint
    peer.previous_public_key = peer.public_key
    peer.previous_key_valid_until = grace_until
    peer.public_key = card.public_key
    peer.fingerprint = crypto.fingerprint(new_key)
    # The instance is the one the inbox checks the rest of a batch with: they verify with the new key now.
    peer.save(update_fields=["previous_public_key", "previous_key_valid_until", "public_key", "fingerprint"])
    record(None, "federation.peer.key_rotated", object_type="peer", object_id=peer.node_id, data={
        "previous_fingerprint": old_fingerprint, "fingerprint": peer.fingerprint, "grace_until": grace_until.isoformat()})


def expire(now: datetime.datetime | None = None) -> int:
    """End the grace periods that are over: delete this node's previous private key, forget the
    peers' previous keys; each audited. Returns how many ended."""
    now = now or timezone.now()
    ended = 0
    path = previous_key_file()
    if path.exists():
        grace_until = _own_grace_until()
        if grace_until is not None and grace_until <= now:
            fingerprint = crypto.fingerprint(crypto.public_bytes(crypto.load_private_key(path)))
            os.unlink(path)
            record(None, "federation.key.previous_destroyed", object_type="node", object_id=settings.NODE_NAME,
                   data={"fingerprint": fingerprint})
            ended += 1
    for peer in Peer.objects.filter(previous_key_valid_until__lte=now).exclude(previous_public_key=""):
        with transaction.atomic():
            if Peer.objects.filter(pk=peer.pk, previous_key_valid_until__lte=now).update(previous_public_key="",
                                                                                        previous_key_valid_until=None):
                record(None, "federation.peer.previous_key_expired", object_type="peer", object_id=peer.node_id)
                ended += 1
    return ended


def _own_grace_until() -> datetime.datetime | None:
    if not retired_keys_file().exists():
        return None
    lines = retired_keys_file().read_text(encoding="utf-8").splitlines()
    try:
        return datetime.datetime.fromisoformat(json.loads(lines[-1])["grace_until"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


def register_kinds() -> None:
    from borderlink.federation.registry import KINDS, Kind

    KINDS["federation.key_rotation"] = Kind(RotationPayload, apply_rotation)  # type: ignore[arg-type]
