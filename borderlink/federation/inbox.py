"""Receiving envelopes: check, apply once, answer with a signed receipt.

A POST carries one signed envelope or a batch of them (``{"batch": [...]}``,
see delivery.py); each envelope of a batch gets the same checks and its own
receipt.

What does not come from a pinned peer costs this node little and stores
nothing: a body that is too large, too deeply nested or does not parse, an
unknown sender, a bad signature or a replay is refused, counted per day and
reason (`InboxTally`) and logged with a bounded summary (claimed sender,
reason, size, SHA-256 of the body). Posts are rate limited per source address
(in the view) and envelopes per pinned peer, with a daily volume per peer.

An envelope signed by a pinned peer that is refused (stale, unknown kind,
payload outside its schema, facts the rules refuse, or an error while
applying it) is quarantined with its reason, nothing of it is applied, and
the rest of a batch goes on; envelopes of the batch about the same object as
a refused one wait for a later round. The quarantine keeps at most
FEDERATION_QUARANTINE_MAX_ROWS rows: the oldest are pruned, and each pruning
is audited.

A sender's retry carries the same envelope id with a fresh sent_at and
signature: it gets the stored receipt and changes nothing. The very same
signed bytes arriving twice are a replay and are refused.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from pydantic import ValidationError as SchemaError

from borderlink.audit.services import record
from borderlink.federation import crypto, registry
from borderlink.federation.models import InboxEnvelope, InboxTally, Peer, QuarantinedEnvelope
from borderlink.federation.node import now_iso, signing_key, verify_from_peer
from borderlink.federation.schema import LimitReached, parse_payload

log = logging.getLogger(__name__)
MAX_BATCH = 500
MAX_DEPTH = 24  # a batch of envelopes whose payloads nest persons, names and handover facts needs about 10
QUARANTINE_BODY_CHARS = 16 * 1024
FIELDS: dict[str, tuple[type, int]] = {
    "id": (str, 36), "sender": (str, 60), "recipient": (str, 60), "kind": (str, 40), "object_id": (str, 64),
    "version": (int, 0), "payload": (dict, 0), "created_at": (str, 40), "sent_at": (str, 40),
}


class Rejected(Exception):
    """An envelope (or a whole post) refused: HTTP status, a reason code, and a detail for the administrator."""

    def __init__(self, status: int, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.status, self.reason, self.detail = status, reason, detail


class Unauthenticated(Rejected):
    """Refused before the sender was known to be a pinned peer: counted and logged, never stored."""


# --- bounded parsing -------------------------------------------------------------------------------------------


def parse_json(raw: bytes, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a JSON body of at most `max_bytes`, nested at most `max_depth` deep.
    Raises Unauthenticated (413 too_large, 400 malformed or too_deep); never RecursionError."""
    if len(raw) > max_bytes:
        raise Unauthenticated(413, "too_large", f"{len(raw)} bytes; at most {max_bytes}")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise Unauthenticated(400, "too_deep", f"nested deeper than {max_depth}") from None
    except (ValueError, UnicodeDecodeError):
        raise Unauthenticated(400, "malformed", "not JSON") from None
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > max_depth:
                raise Unauthenticated(400, "too_deep", f"nested deeper than {max_depth}")
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return data


# --- counting, logging, quarantine ----------------------------------------------------------------------------


def tally(sender: str, reason: str, count: int = 1, size: int = 0) -> int:
    """Add to today's count for (sender, reason); return the count before (0: the first today)."""
    day = timezone.localdate()
    row = InboxTally.objects.filter(day=day, sender=sender, reason=reason).values_list("count", flat=True).first()
    if row is None:
        try:
            with transaction.atomic():
                InboxTally.objects.create(day=day, sender=sender, reason=reason, count=count, bytes=size)
            return 0
        except IntegrityError:
            row = 0
    InboxTally.objects.filter(day=day, sender=sender, reason=reason).update(count=F("count") + count, bytes=F("bytes") + size)
    return row


def refuse(raw: bytes, exc: Rejected, claimed_sender: Any = "") -> None:
    """Count an unauthenticated refusal and log a bounded summary of it; nothing of the body is stored."""
    tally("", exc.reason)
    log.warning("federation post refused: reason=%s claimed_sender=%r size=%d sha256=%s detail=%s", exc.reason,
                str(claimed_sender)[:60], len(raw), hashlib.sha256(raw).hexdigest(), exc.detail[:200])


def _quarantine(raw: bytes, exc: Rejected, envelope: dict[str, Any], peer: Peer) -> None:
    """Keep an envelope a pinned peer signed and this node refused, with the reason, for the administrator."""
    QuarantinedEnvelope.objects.create(
        claimed_sender=peer.node_id,
        envelope_id=str(envelope.get("id", ""))[:64],
        kind=str(envelope.get("kind", ""))[:40],
        reason=exc.reason[:60],
        detail=exc.detail[:2000],
        body=raw[:QUARANTINE_BODY_CHARS].decode("utf-8", errors="replace"),
    )
    record(None, "federation.envelope.quarantined", object_type="envelope", object_id=str(envelope.get("id", ""))[:64],
           data={"reason": exc.reason, "sender": peer.node_id, "kind": str(envelope.get("kind", ""))[:40]})
    prune_quarantine()


def prune_quarantine(limit: int | None = None) -> int:
    """Keep at most `limit` (FEDERATION_QUARANTINE_MAX_ROWS) quarantined envelopes: delete the oldest, audited."""
    limit = settings.FEDERATION_QUARANTINE_MAX_ROWS if limit is None else limit
    if QuarantinedEnvelope.objects.count() <= limit:
        return 0
    old = list(QuarantinedEnvelope.objects.order_by("-received_at", "-id").values_list("id", flat=True)[limit: limit + 10_000])
    count, _ = QuarantinedEnvelope.objects.filter(pk__in=old).delete()
    if count:
        record(None, "federation.quarantine.pruned", object_type="quarantine", object_id="",
               data={"deleted": count, "kept": limit})
    return count


def limit_reached(peer: Peer, what: str, detail: str) -> Rejected:
    """A per-peer or per-object limit: counted, audited the first time each day, so administrators see it."""
    if tally(peer.node_id, f"limit:{what}"[:40]) == 0:
        record(None, "federation.limit.reached", object_type="peer", object_id=peer.node_id,
               data={"limit": what, "detail": detail[:300]})
    return Rejected(429, f"limit_{what}"[:60], detail)


# --- checks -----------------------------------------------------------------------------------------------------


def _parse_time(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed


def _check_signed(outer: Any, peers: dict[str, Peer | None]) -> tuple[dict[str, Any], str, Peer]:
    """Check one signed envelope (already parsed); `peers` caches the sender lookups of a batch.
    Raises Unauthenticated until the signature verifies against a pinned key, Rejected after."""
    if not isinstance(outer, dict) or set(outer) != {"envelope", "signature"}:
        raise Unauthenticated(400, "malformed", "not a signed envelope")
    envelope, signature = outer["envelope"], outer["signature"]
    if not isinstance(envelope, dict) or not isinstance(signature, str) or len(signature) > 100 or set(envelope) != set(FIELDS):
        raise Unauthenticated(400, "malformed", "not a signed envelope")
    for name, (kind, longest) in FIELDS.items():
        value = envelope[name]
        if not isinstance(value, kind) or isinstance(value, bool) or (isinstance(value, str) and len(value) > longest):
            raise Unauthenticated(400, "malformed", f"field {name} missing, not {kind.__name__} or too long")
    if not 1 <= envelope["version"] <= 2**31 - 1:
        raise Unauthenticated(400, "malformed", "version out of range")
    try:
        uuid.UUID(envelope["id"])
        sent_at = _parse_time(envelope["sent_at"])
        _parse_time(envelope["created_at"])
    except ValueError as exc:
        raise Unauthenticated(400, "malformed", str(exc)[:200]) from None
    if envelope["recipient"] != settings.NODE_NAME:
        raise Unauthenticated(400, "wrong_recipient", envelope["recipient"])
    if envelope["sender"] not in peers:
        peers[envelope["sender"]] = Peer.objects.filter(node_id=envelope["sender"], is_active=True).first()
    peer = peers[envelope["sender"]]
    if peer is None or not envelope["sender"]:
        raise Unauthenticated(403, "unknown_sender", envelope["sender"])
    if not verify_from_peer(peer, envelope, signature):
        raise Unauthenticated(403, "bad_signature", "does not verify against the pinned key")
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
    known not to be stored (a batch looks them up at once). Any error while applying is a
    Rejected with its reason: nothing of the envelope stays."""
    key = uuid.UUID(envelope["id"])
    seen = None if fresh is not None and key in fresh else InboxEnvelope.objects.filter(pk=key).first()
    if fresh is not None:
        fresh.discard(key)  # the same id again in this batch is looked up
    if seen is not None:
        if seen.signature == signature:
            raise Unauthenticated(409, "replay", "these exact signed bytes were received before")
        if seen.sender != peer.node_id:
            raise Rejected(409, "id_taken", "another node's envelope has this id")
        return seen.receipt
    kind = registry.KINDS.get(envelope["kind"])
    if kind is None:
        raise Rejected(422, "unknown_kind", envelope["kind"])
    try:
        payload = parse_payload(kind.schema, envelope["payload"])
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
        stored = InboxEnvelope.objects.filter(pk=envelope["id"], sender=peer.node_id).first()
        if stored is None:
            raise Rejected(422, "apply_error", "the envelope conflicts with data held here") from None
        return stored.receipt
    except Rejected:
        raise
    except LimitReached as exc:
        raise limit_reached(peer, exc.what, exc.detail) from None
    except ValidationError as exc:
        raise Rejected(422, "rejected_by_rules", " ".join(exc.messages)[:1500]) from None
    except Exception as exc:
        log.exception("applying envelope %s (%s) from %s failed", envelope["id"], envelope["kind"], peer.node_id)
        raise Rejected(422, "apply_error", f"{type(exc).__name__}: {exc}"[:1500]) from None
    return receipt


def _peer_limits(request: HttpRequest | None, peer: Peer, size: int, accepted: dict[str, list[int]]) -> None:
    """The peer's rate (envelopes per period) and its volume today; Rejected (429) when reached.
    `accepted` holds, per peer, [bytes accepted today before this post, envelopes and bytes accepted in it]."""
    if request is not None and is_ratelimited(request, group="federation-peer", key=lambda _g, _r: peer.node_id,
                                              rate=settings.FEDERATION_RATE_PER_PEER, increment=True):
        raise limit_reached(peer, "rate", f"more than {settings.FEDERATION_RATE_PER_PEER} envelopes")
    if peer.node_id not in accepted:
        before = InboxTally.objects.filter(day=timezone.localdate(), sender=peer.node_id, reason="accepted").values_list(
            "bytes", flat=True).first() or 0
        accepted[peer.node_id] = [before, 0, 0]
    used = accepted[peer.node_id][0] + accepted[peer.node_id][2]
    if used + size > settings.FEDERATION_PEER_BYTES_PER_DAY:
        raise limit_reached(peer, "bytes_per_day", f"{used + size} bytes today; at most {settings.FEDERATION_PEER_BYTES_PER_DAY}")


def _count_accepted(accepted: dict[str, list[int]]) -> None:
    """Add what a post brought to each peer's tally for today: one update per peer and post."""
    for node_id, (_before, count, size) in accepted.items():
        if count:
            tally(node_id, "accepted", count=count, size=size)


def _one(item: Any, raw_item: bytes | None, peers: dict[str, Peer | None], request: HttpRequest | None,
         fresh: set[uuid.UUID] | None, waiting: set[str], accepted: dict[str, list[int]]) -> dict[str, Any]:
    """Check and apply one envelope; refusals are counted or quarantined and answered as errors."""
    raw = raw_item if raw_item is not None else json.dumps(item, ensure_ascii=False).encode("utf-8")
    claimed = item.get("envelope", {}).get("sender", "") if isinstance(item, dict) and isinstance(item.get("envelope"), dict) else ""
    try:
        envelope, signature, peer = _check_signed(item, peers)
    except Unauthenticated as exc:
        refuse(raw, exc, claimed)
        return {"status": exc.status, "error": exc.reason, "detail": exc.detail}
    except Rejected as exc:
        envelope = item["envelope"]
        peer = peers[envelope["sender"]]  # type: ignore[assignment]
        _quarantine(raw, exc, envelope, peer)
        return {"status": exc.status, "error": exc.reason, "detail": exc.detail}
    object_key = f"{envelope['kind'].split('.')[0]}:{envelope['object_id']}"
    try:
        if object_key in waiting:
            # an earlier envelope about this object was refused in this batch: this one waits its turn
            return {"status": 425, "error": "waits", "detail": "an earlier envelope about this object was refused"}
        _peer_limits(request, peer, len(raw), accepted)
        answer = _apply(envelope, signature, peer, fresh)
        accepted[peer.node_id][1] += 1
        accepted[peer.node_id][2] += len(raw)
        return answer
    except Unauthenticated as exc:
        refuse(raw, exc, claimed)
        waiting.add(object_key)
        return {"status": exc.status, "error": exc.reason, "detail": exc.detail}
    except Rejected as exc:
        _quarantine(raw, exc, envelope, peer)
        waiting.add(object_key)
        return {"status": exc.status, "error": exc.reason, "detail": exc.detail}


def _receive_batch(raw: bytes, items: Any, request: HttpRequest | None) -> tuple[int, dict[str, Any]]:
    """Several signed envelopes in one POST: each is checked and applied as if posted alone, in
    order, each in a savepoint of one transaction (one commit for all). A refused one is
    quarantined (or counted) and the rest go on, except those about the same object, which wait;
    the answer holds a receipt or an error for each. Receipts leave only after the commit."""
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
        exc = Unauthenticated(400, "malformed", f"a batch is a list of 1 to {MAX_BATCH} signed envelopes")
        refuse(raw, exc)
        return 400, {"error": exc.reason, "detail": exc.detail}
    answers: list[dict[str, Any]] = []
    peers: dict[str, Peer | None] = {}
    ids = set()
    for item in items:
        try:
            ids.add(uuid.UUID(item["envelope"]["id"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    waiting: set[str] = set()
    accepted: dict[str, list[int]] = {}
    with transaction.atomic():
        fresh = ids - set(InboxEnvelope.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for item in items:
            answers.append(_one(item, None, peers, request, fresh, waiting, accepted))
        _count_accepted(accepted)
    return 200, {"receipts": answers}


def receive(raw: bytes, declared_length: int = 0, request: HttpRequest | None = None) -> tuple[int, dict[str, Any]]:
    """Process one POST (a signed envelope or a batch of them); return the HTTP status and the JSON answer.
    `request` carries the source for the per-peer rate limit (the per-address one is the view's)."""
    try:
        if declared_length > settings.FEDERATION_MAX_BYTES:
            raise Unauthenticated(413, "too_large", f"{declared_length} bytes declared; at most {settings.FEDERATION_MAX_BYTES}")
        outer = parse_json(raw, settings.FEDERATION_MAX_BYTES)
    except Unauthenticated as exc:
        refuse(raw, exc)
        return exc.status, {"error": exc.reason, "detail": exc.detail}
    if isinstance(outer, dict) and set(outer) == {"batch"}:
        return _receive_batch(raw, outer["batch"], request)
    accepted: dict[str, list[int]] = {}
    answer = _one(outer, raw, {}, request, None, set(), accepted)
    _count_accepted(accepted)
    if "error" in answer:
        return int(answer["status"]), {"error": answer["error"], "detail": answer["detail"]}
    return 200, answer
