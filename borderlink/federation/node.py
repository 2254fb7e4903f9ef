"""This node's identity, its peers and node cards."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from borderlink.audit.services import record
from borderlink.federation import crypto
from borderlink.federation.models import Peer


def private_key() -> Any:
    return crypto.load_private_key(settings.NODE_KEY_FILE)


def has_key() -> bool:
    return settings.NODE_KEY_FILE.exists()


def previous_key_file() -> Any:
    """The key this node rotated away from, kept (mode 0600) until its grace period ends."""
    return settings.NODE_KEY_FILE.with_name(settings.NODE_KEY_FILE.name + ".previous")


def signing_key(peer: Peer | None = None) -> Any:
    """The key to sign with for `peer`: the previous key while this node's key rotation has not yet
    reached that peer (it still knows only the previous key), the current key otherwise."""
    if peer is not None and previous_key_file().exists():
        from borderlink.federation.models import DeliveryState, OutboxEnvelope

        if OutboxEnvelope.objects.filter(peer_id=peer.pk, kind="federation.key_rotation",
                                         state__in=(DeliveryState.QUEUED, DeliveryState.FAILING)).exists():
            return crypto.load_private_key(previous_key_file())
    return private_key()


def peer_public_keys(peer: Peer) -> list[str]:
    """The keys (base64) a peer may sign with now: the pinned one, and the one it rotated away
    from while that key's grace period lasts."""
    keys = [peer.public_key]
    if peer.previous_public_key and peer.previous_key_valid_until and peer.previous_key_valid_until > timezone.now():
        keys.append(peer.previous_public_key)
    return keys


def verify_from_peer(peer: Peer, body: dict[str, Any], signature: str) -> bool:
    """Whether `signature` over `body` is the peer's, by any key valid for it now."""
    for key in peer_public_keys(peer):
        try:
            raw = crypto.unb64(key)
        except ValueError:
            continue
        if crypto.verify(raw, body, signature):
            return True
    return False


def retired_keys_file() -> Any:
    """Where the public keys this node rotated away from are listed (JSON lines), next to the key."""
    return settings.NODE_KEY_FILE.with_name(settings.NODE_KEY_FILE.name + ".retired")


def retired_public_keys() -> list[str]:
    """Public keys (base64) this node signed with before its last rotations, oldest first."""
    import json

    path = retired_keys_file()
    if not path.exists():
        return []
    keys = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            keys.append(str(json.loads(line)["public_key"]))
        except (ValueError, KeyError, TypeError):
            continue
    return keys


def key_problem() -> str:
    """Why this node cannot sign (no key file, or one that does not load), or "" when it can."""
    if not settings.NODE_KEY_FILE.exists():
        return "this node has no key yet: its administrator runs manage.py node_keygen"
    try:
        private_key()
    except (OSError, ValueError, TypeError) as exc:
        return f"this node's key cannot be read: {type(exc).__name__}"
    return ""


def peer_for_country(code: str) -> Peer | None:
    if code == settings.NODE_COUNTRY:
        return None
    return Peer.objects.filter(country_id=code, is_active=True).first()


def hosts_country(code: str) -> bool:
    """Units of this country live on this node: its own country, and any country without a peer
    (one node serving all three, as before federation)."""
    return code == settings.NODE_COUNTRY or peer_for_country(code) is None


def export_card() -> dict[str, Any]:
    """A node card: who this node is, where it answers and its public key, signed by that key."""
    key = private_key()
    body = {
        "node_id": settings.NODE_NAME,
        "country": settings.NODE_COUNTRY,
        "base_url": settings.NODE_URL,
        "public_key": crypto.b64(crypto.public_bytes(key)),
        "issued_at": timezone.now().isoformat(),
    }
    return {"card": body, "signature": crypto.sign(key, body), "fingerprint": crypto.fingerprint(crypto.public_bytes(key))}


def _normalise_fingerprint(text: str) -> str:
    return "".join((text or "").split()).upper()


NODE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")


def check_new_pin(node_id: str, public_key: str) -> None:
    """What a first pinning (or the same card again) must meet: a well-formed node id that is not this node's,
    and not already pinned to another key. A new key for a known peer is a key rotation, which has its own path
    (a card signed by the pinned key) and does not come through here. Raises ValidationError."""
    if not NODE_ID.fullmatch(node_id or ""):
        raise ValidationError("the card's node id is empty or malformed (letters, digits, '.', '_' and '-', at most 60)")
    if node_id == settings.NODE_NAME:
        raise ValidationError("that is this node's own card")
    pinned = Peer.objects.filter(node_id=node_id).values_list("public_key", flat=True).first()
    if pinned is not None and pinned != public_key:
        raise ValidationError(f"{node_id} is already pinned to another key: a new key comes through a key rotation")


def import_card(card: dict[str, Any], expected_fingerprint: str, actor: Any = None) -> Peer:
    """Pin a peer's key from its card, after the administrator compared the fingerprint
    with the one the other administrator read out (by phone or in person)."""
    body = card.get("card") if isinstance(card, dict) else None
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("node_id", "country", "base_url", "public_key")):
        raise ValidationError("not a Borderlink node card")
    try:
        public = crypto.unb64(body["public_key"])
    except ValueError:
        raise ValidationError("the card's public key is not base64") from None
    if len(public) != 32 or not crypto.verify(public, body, str(card.get("signature", ""))):
        raise ValidationError("the card's signature does not verify: it was changed or is not from that key")
    actual = crypto.fingerprint(public)
    if _normalise_fingerprint(actual) != _normalise_fingerprint(expected_fingerprint):
        raise ValidationError(f"fingerprint mismatch: the card has {actual}")
    if body["country"] not in ("VN", "LA", "KH") or body["country"] == settings.NODE_COUNTRY:
        raise ValidationError("a peer must be another member country's node")
    check_new_pin(body["node_id"], body["public_key"])
    with transaction.atomic():
        Peer.objects.filter(country_id=body["country"], is_active=True).exclude(node_id=body["node_id"]).update(is_active=False)
        peer, _ = Peer.objects.update_or_create(
            node_id=body["node_id"],
            defaults={
                "country_id": body["country"],
                "base_url": body["base_url"].rstrip("/"),
                "public_key": body["public_key"],
                "fingerprint": actual,
                "is_active": True,
            },
        )
        record(actor, "federation.peer.pinned", object_type="peer", object_id=peer.node_id,
               data={"country": peer.country_id, "fingerprint": actual, "base_url": peer.base_url})
    return peer


def now_iso() -> str:
    return timezone.now().astimezone(datetime.UTC).isoformat()
