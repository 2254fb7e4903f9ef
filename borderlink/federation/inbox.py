"""Receiving envelopes: check, apply once, answer with a signed receipt.

A POST carries one signed envelope or a batch of them (``{"batch": [...]}``,
see delivery.py); each envelope of a batch gets the same checks and its own
receipt.

Every rejected envelope is quarantined with its reason and nothing of it is
applied. A sender's retry carries the same envelope id with a fresh sent_at
and signature: it gets the stored receipt and changes nothing. The very same
signed bytes arriving twice are a replay and are rejected.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError as SchemaError

from borderlink.audit.services import record
from borderlink.federation import crypto, registry
from borderlink.federation.models import InboxEnvelope, Peer, QuarantinedEnvelope
from borderlink.federation.node import now_iso, signing_key, verify_from_peer

MAX_BATCH = 500
FIELDS = {"id": str, "sender": str, "recipient": str, "kind": str, "object_id": str, "version": int, "payload": dict,
          "created_at": str, "sent_at": str}


class Rejected(Exception):
    def __init__(self, status: int, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.status, self.reason, self.detail = status, reason, detail


def _quarantine(raw: bytes, reason: str, detail: str, envelope: dict[str, Any] | None) -> None:
    envelope = envelope if isinstance(envelope, dict) else {}
    QuarantinedEnvelope.objects.create(
        claimed_sender=str(envelope.get("sender", ""))[:60],
        envelope_id=str(envelope.get("id", ""))[:64],
        kind=str(envelope.get("kind", ""))[:40],
        reason=reason,
        detail=detail[:2000],
        body=raw[:65536].decode("utf-8", errors="replace"),
    )
    record(None, "federation.envelope.quarantined", object_type="envelope", object_id=str(envelope.get("id", ""))[:64],
           data={"reason": reason, "sender": str(envelope.get("sender", ""))[:60]})


def _parse_time(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed


def _check_signed(outer: Any, peers: dict[str, Peer | None]) -> tuple[dict[str, Any], str, Peer]:
    """Check one signed envelope (already parsed); `peers` caches the sender lookups of a batch."""
    try:
        envelope, signature = outer["envelope"], outer["signature"]
    except (KeyError, TypeError):
        raise Rejected(400, "malformed", "not a signed envelope") from None
    if not isinstance(envelope, dict) or not isinstance(signature, str):
        raise Rejected(400, "malformed", "not a signed envelope")
    for name, kind in FIELDS.items():
        if not isinstance(envelope.get(name), kind) or isinstance(envelope.get(name), bool):
            raise Rejected(400, "malformed", f"field {name} missing or not {kind.__name__}")
    try:
        uuid.UUID(envelope["id"])
        sent_at = _parse_time(envelope["sent_at"])
        _parse_time(envelope["created_at"])
    except ValueError as exc:
        raise Rejected(400, "malformed", str(exc)) from None
    if envelope["recipient"] != settings.NODE_NAME:
        raise Rejected(400, "wrong_recipient", envelope["recipient"])
    if envelope["sender"] not in peers:
        peers[envelope["sender"]] = Peer.objects.filter(node_id=envelope["sender"], is_active=True).first()
    peer = peers[envelope["sender"]]
    if peer is None:
        raise Rejected(403, "unknown_sender", envelope["sender"])
    if not verify_from_peer(peer, envelope, signature):
        raise Rejected(403, "bad_signature", "does not verify against the pinned key")
    skew = abs((timezone.now() - sent_at).total_seconds())
    if skew > settings.FEDERATION_CLOCK_SKEW_SECONDS:
        raise Rejected(400, "stale", f"sent_at is {int(skew)} s away from this node's clock")
    return envelope, signature, peer


def _receipt(envelope_id: str, status: str, peer: Peer | None = None) -> dict[str, Any]:
    body = {"envelope_id": envelope_id, "receiver": settings.NODE_NAME, "status": status, "at": now_iso()}
    return {"receipt": body, "signature": crypto.sign(signing_key(peer), body)}


def _apply(envelope: dict[str, Any], signature: str, peer: Peer, fresh: set[uuid.UUID] | None = None) -> dict[str, Any]:
    """Apply a checked envelope once, in its own transaction (a savepoint inside a batch's);
    return the signed receipt (the stored one when it was applied before). `fresh` holds ids
    known not to be stored (a batch looks them up at once)."""
    key = uuid.UUID(envelope["id"])
    seen = None if fresh is not None and key in fresh else InboxEnvelope.objects.filter(pk=key).first()
    if fresh is not None:
        fresh.discard(key)  # the same id again in this batch is looked up
    if seen is not None:
        if seen.signature == signature:
            raise Rejected(409, "replay", "these exact signed bytes were received before")
        return seen.receipt
    kind = registry.KINDS.get(envelope["kind"])
    if kind is None:
        raise Rejected(422, "unknown_kind", envelope["kind"])
    try:
        payload = kind.schema.model_validate(envelope["payload"])
    except SchemaError as exc:
        raise Rejected(422, "invalid_payload", str(exc)[:1500]) from None
    receipt = _receipt(envelope["id"], "applied", peer)
    try:
        with transaction.atomic():
            kind.apply(payload, peer, envelope)
            InboxEnvelope.objects.create(
                id=envelope["id"], sender=peer.node_id, kind=envelope["kind"], object_id=envelope["object_id"],
                signature=signature, receipt=receipt,
            )
            record(None, "federation.envelope.applied", object_type="envelope", object_id=envelope["id"],
                   data={"sender": peer.node_id, "kind": envelope["kind"], "object": envelope["object_id"]})
    except IntegrityError:
        # The same envelope was applied concurrently: answer as for a retry.
        stored = InboxEnvelope.objects.filter(pk=envelope["id"]).first()
        if stored is None:
            raise
        return stored.receipt
    except ValidationError as exc:
        raise Rejected(422, "rejected_by_rules", " ".join(exc.messages)[:1500]) from None
    return receipt


def _receive_batch(raw: bytes, items: Any) -> tuple[int, dict[str, Any]]:
    """Several signed envelopes in one POST: each is checked and applied as if posted alone, in
    order, each in a savepoint of one transaction (one commit for all). The first rejected one is
    quarantined and ends the batch, so that nothing overtakes it; the answer holds a receipt for
    each applied envelope, then the rejection. Receipts leave only after the commit."""
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
        _quarantine(raw, "malformed", f"a batch is a list of 1 to {MAX_BATCH} signed envelopes", None)
        return 400, {"error": "malformed", "detail": f"a batch is a list of 1 to {MAX_BATCH} signed envelopes"}
    answers: list[dict[str, Any]] = []
    peers: dict[str, Peer | None] = {}
    ids = set()
    for item in items:
        try:
            ids.add(uuid.UUID(item["envelope"]["id"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    with transaction.atomic():
        fresh = ids - set(InboxEnvelope.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for item in items:
            try:
                answers.append(_apply(*_check_signed(item, peers), fresh=fresh))
            except Rejected as exc:
                envelope = item.get("envelope") if isinstance(item, dict) else None
                _quarantine(json.dumps(item, ensure_ascii=False, default=str).encode("utf-8"), exc.reason, exc.detail,
                            envelope)
                answers.append({"status": exc.status, "error": exc.reason, "detail": exc.detail})
                break
    return 200, {"receipts": answers}


def receive(raw: bytes, declared_length: int = 0) -> tuple[int, dict[str, Any]]:
    """Process one POST (a signed envelope or a batch of them); return the HTTP status and the JSON answer."""
    envelope: dict[str, Any] | None = None
    if declared_length > settings.FEDERATION_MAX_BYTES:
        _quarantine(raw, "too_large", f"{declared_length} bytes declared", None)
        return 413, {"error": "too_large", "detail": f"at most {settings.FEDERATION_MAX_BYTES} bytes"}
    try:
        try:
            outer = json.loads(raw) if len(raw) <= settings.FEDERATION_MAX_BYTES else None
        except ValueError:
            outer = None
        if isinstance(outer, dict) and "batch" in outer and "envelope" not in outer:
            return _receive_batch(raw, outer["batch"])
        envelope = outer.get("envelope") if isinstance(outer, dict) else None
        envelope = envelope if isinstance(envelope, dict) else None
        if len(raw) > settings.FEDERATION_MAX_BYTES:
            raise Rejected(413, "too_large", f"{len(raw)} bytes")
        if outer is None:
            raise Rejected(400, "malformed", "not a signed envelope")
        return 200, _apply(*_check_signed(outer, {}))
    except Rejected as exc:
        _quarantine(raw, exc.reason, exc.detail, envelope)
        return exc.status, {"error": exc.reason, "detail": exc.detail}
