"""Audit checkpoints across borders: each node witnesses its peers' signed checkpoints
and, asked by a peer, hands back the checkpoints of that peer it holds.

- ``audit.checkpoint`` envelope: a peer's checkpoint (see audit.checkpoints). It must be
  that peer's, signed by a key pinned for it, and agree with what this node already
  witnessed: the same event number with another hash, or a number lower than one
  already witnessed, is not stored and is audited as a contradiction (the peer's chain
  was rewritten or cut short).
- ``POST /federation/v1/checkpoints``: a peer's signed query; the answer, signed by this
  node, lists that peer's checkpoints this node witnessed (``audit_verify --peers``).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import BaseModel, ConfigDict, Field

from borderlink.audit.models import WitnessedCheckpoint
from borderlink.audit.services import record
from borderlink.federation import crypto

MAX_ANSWER = 20000  # checkpoints in one answer: more than two years of hourly ones


class CheckpointBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    node_id: str = Field(min_length=1, max_length=60)
    seq: int = Field(ge=1, le=2**62)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    signed_at: str = Field(min_length=20, max_length=40)
    public_key: str = Field(min_length=40, max_length=64)


class CheckpointPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    checkpoint: CheckpointBody
    signature: str = Field(min_length=40, max_length=100)


def peer_keys(peer: Any) -> list[str]:
    from borderlink.federation.node import peer_public_keys

    return peer_public_keys(peer)


def apply_checkpoint(payload: CheckpointPayload, peer: Any, envelope: dict[str, Any]) -> None:
    body = payload.checkpoint
    if body.node_id != peer.node_id:
        raise ValidationError("the checkpoint is not the sending node's own")
    known = set(peer_keys(peer)) | {getattr(peer, "previous_public_key", "") or peer.public_key}
    try:
        raw_key = crypto.unb64(body.public_key)
    except ValueError:
        raw_key = b""
    if body.public_key not in known or not crypto.verify(raw_key, body.model_dump(), payload.signature):
        raise ValidationError("the checkpoint's signature does not verify with the peer's pinned key")
    try:
        datetime.datetime.fromisoformat(body.signed_at.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("the checkpoint's time is not a time") from None
    same = WitnessedCheckpoint.objects.filter(peer_node=peer.node_id, seq=body.seq).first()
    if same is not None:
        if same.hash != body.hash:
            _contradiction(peer, body, "another_hash", same.hash)
        return
    later = WitnessedCheckpoint.objects.filter(peer_node=peer.node_id, seq__gt=body.seq).order_by("-seq").first()
    if later is not None:
        _contradiction(peer, body, "goes_back", later.hash, later.seq)
        return
    WitnessedCheckpoint.objects.create(peer_node=peer.node_id, seq=body.seq, hash=body.hash, signed_at=body.signed_at,
                                       public_key=body.public_key, signature=payload.signature)
    record(None, "audit.checkpoint.witnessed", object_type="peer", object_id=peer.node_id,
           data={"seq": body.seq, "hash": body.hash})


def _contradiction(peer: Any, body: CheckpointBody, reason: str, witnessed_hash: str, witnessed_seq: int = 0) -> None:
    """A checkpoint that contradicts what this node witnessed: the peer's chain was rewritten
    (another hash for the same event) or cut short (a lower event than one witnessed). It is
    not stored, so the witnessed one stands; the contradiction is audited with both sides'
    figures. The envelope itself is accepted, so that deliveries from that peer go on."""
    record(None, "audit.checkpoint.contradicted", object_type="peer", object_id=peer.node_id,
           data={"reason": reason, "seq": body.seq, "hash": body.hash, "signed_at": body.signed_at,
                 "witnessed_seq": witnessed_seq or body.seq, "witnessed_hash": witnessed_hash})


def register_kinds() -> None:
    from borderlink.federation.registry import KINDS, Kind

    KINDS["audit.checkpoint"] = Kind(CheckpointPayload, apply_checkpoint)  # type: ignore[arg-type]


# --- the witness answers ------------------------------------------------------------------------------


@csrf_exempt  # authenticated by the query's signature
@require_POST
def checkpoints_view(request: HttpRequest) -> JsonResponse:
    """A peer asks for the checkpoints of its own chain that this node witnessed."""
    from borderlink.federation.inbox import Unauthenticated, parse_json, refuse
    from borderlink.federation.models import Peer
    from borderlink.federation.node import now_iso, signing_key, verify_from_peer

    try:  # bounded in size and nesting, as the other federation doors: 400, never 500
        raw = parse_json(request.body, 4096, max_depth=4)
        query, signature = raw["query"], raw["signature"]
    except Unauthenticated as exc:
        refuse(request.body, exc)
        return JsonResponse({"error": exc.reason}, status=exc.status)
    except (KeyError, TypeError):
        return JsonResponse({"error": "malformed"}, status=400)
    if not isinstance(query, dict) or not isinstance(signature, str) or set(query) != {"id", "sender", "recipient", "sent_at"}:
        return JsonResponse({"error": "malformed"}, status=400)
    peer = Peer.objects.filter(node_id=str(query["sender"])[:60], is_active=True).first()
    if peer is None:
        return JsonResponse({"error": "unknown_sender"}, status=403)
    if query["recipient"] != settings.NODE_NAME or not verify_from_peer(peer, query, signature):
        return JsonResponse({"error": "bad_signature"}, status=403)
    try:
        sent_at = datetime.datetime.fromisoformat(str(query["sent_at"]))
        if sent_at.tzinfo is None or abs((timezone.now() - sent_at).total_seconds()) > settings.FEDERATION_CLOCK_SKEW_SECONDS:
            return JsonResponse({"error": "stale"}, status=400)
    except ValueError:
        return JsonResponse({"error": "malformed"}, status=400)
    held = WitnessedCheckpoint.objects.filter(peer_node=peer.node_id).order_by("-seq")[:MAX_ANSWER]
    records = [c.record() for c in reversed(list(held))]
    record(None, "audit.checkpoint.witness_asked", object_type="peer", object_id=peer.node_id, data={"count": len(records)})
    answer = {"query_id": str(query["id"]), "responder": settings.NODE_NAME, "checkpoints": records, "at": now_iso()}
    return JsonResponse({"answer": answer, "signature": crypto.sign(signing_key(peer), answer)})


def ask_peer(peer: Any) -> tuple[list[dict[str, Any]] | None, str]:
    """The checkpoints of this node that `peer` witnessed, from its signed answer; (None, why) when
    it cannot be had."""
    from borderlink.federation.delivery import post_json
    from borderlink.federation.node import now_iso, signing_key, verify_from_peer

    query = {"id": str(uuid.uuid4()), "sender": settings.NODE_NAME, "recipient": peer.node_id, "sent_at": now_iso()}
    try:
        status, answer = post_json(f"{peer.base_url}/federation/v1/checkpoints",
                                   {"query": query, "signature": crypto.sign(signing_key(peer), query)},
                                   timeout=max(settings.FEDERATION_TIMEOUT_SECONDS, 10))
    except OSError as exc:
        return None, f"unreachable ({str(exc)[:100]})"
    content = answer.get("answer")
    if status != 200 or not isinstance(content, dict):
        return None, f"HTTP {status}: {answer.get('error', '')}"
    if not verify_from_peer(peer, content, str(answer.get("signature"))) or content.get("query_id") != query["id"]:
        return None, "the answer's signature does not verify"
    items = content.get("checkpoints")
    return ([i for i in items if isinstance(i, dict)][:MAX_ANSWER] if isinstance(items, list) else []), ""
