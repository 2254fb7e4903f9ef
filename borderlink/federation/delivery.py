"""Posting queued envelopes to peers until a signed receipt comes back.

Envelopes are claimed with a conditional update (a lease), so several
workers can run; per peer they go in the order they were written, and a
failure stops that peer's batch so that later changes never overtake earlier
ones. Failures back off exponentially with jitter; nothing is dropped.
"""

from __future__ import annotations

import datetime
import json
import logging
import random
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from borderlink.federation import crypto, registry
from borderlink.federation.models import DeliveryState, OutboxEnvelope, Peer
from borderlink.federation.node import now_iso, private_key

log = logging.getLogger(__name__)
LEASE_SECONDS = 60
MAX_BACKOFF_SECONDS = 3600
BATCH = 200


def signed_body(envelope: OutboxEnvelope) -> dict[str, Any]:
    body = {
        "id": str(envelope.id),
        "sender": settings.NODE_NAME,
        "recipient": envelope.peer.node_id,
        "kind": envelope.kind,
        "object_id": envelope.object_id,
        "version": envelope.version,
        "payload": envelope.payload,
        "created_at": envelope.created_at.astimezone(datetime.UTC).isoformat(),
        "sent_at": now_iso(),
    }
    return {"envelope": body, "signature": crypto.sign(private_key(), body)}


def backoff(attempts: int) -> datetime.timedelta:
    base = min(2 ** min(attempts, 12), MAX_BACKOFF_SECONDS)
    return datetime.timedelta(seconds=base * random.uniform(0.5, 1.5))


def post_json(url: str, body: dict[str, Any], timeout: float) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (peer URL pinned by the admin)
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read() or b"{}")
        except ValueError:
            return exc.code, {}


def _send(envelope: OutboxEnvelope) -> None:
    peer = envelope.peer
    status, answer = post_json(f"{peer.base_url}/federation/v1/envelopes", signed_body(envelope), timeout=15)
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {answer.get('error', '')} {answer.get('detail', '')}".strip())
    receipt, signature = answer.get("receipt"), answer.get("signature")
    if not isinstance(receipt, dict) or not crypto.verify(crypto.unb64(peer.public_key), receipt, str(signature)):
        raise RuntimeError("the receipt's signature does not verify")
    if receipt.get("envelope_id") != str(envelope.id) or receipt.get("receiver") != peer.node_id:
        raise RuntimeError("the receipt is for another envelope")
    now = timezone.now()
    OutboxEnvelope.objects.filter(pk=envelope.pk).update(
        state=DeliveryState.DELIVERED, delivered_at=now, receipt=answer, leased_until=None, last_error=""
    )
    kind = registry.KINDS.get(envelope.kind)
    if kind is not None and kind.delivered is not None:
        kind.delivered(envelope)


def deliver_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """One round: for each peer, post its due envelopes in order; return counts."""
    registry.load()
    now = now or timezone.now()
    counts = {"delivered": 0, "failed": 0}
    for peer in Peer.objects.filter(is_active=True):
        due = (
            OutboxEnvelope.objects.filter(peer=peer, state__in=(DeliveryState.QUEUED, DeliveryState.FAILING))
            .order_by("created_at", "id")
        )
        for envelope in due[:BATCH]:
            if envelope.next_attempt_at > now:
                break  # keep order: a later envelope never overtakes one that is backing off
            claimed = OutboxEnvelope.objects.filter(
                Q(leased_until__isnull=True) | Q(leased_until__lt=now), pk=envelope.pk,
                state__in=(DeliveryState.QUEUED, DeliveryState.FAILING),
            ).update(leased_until=now + datetime.timedelta(seconds=LEASE_SECONDS))
            if not claimed:
                break
            try:
                _send(envelope)
                counts["delivered"] += 1
            except Exception as exc:  # any failure is retried later; the reason is shown to people
                attempts = envelope.attempts + 1
                OutboxEnvelope.objects.filter(pk=envelope.pk).update(
                    state=DeliveryState.FAILING, attempts=attempts, last_error=str(exc)[:2000],
                    next_attempt_at=timezone.now() + backoff(attempts), leased_until=None,
                )
                log.warning("delivery of %s to %s failed (attempt %d): %s", envelope.pk, peer.node_id, attempts, exc)
                counts["failed"] += 1
                break
    return counts


def retry_now(envelope_id: Any) -> int:
    """Let an administrator try a failing envelope again at once."""
    return OutboxEnvelope.objects.filter(pk=envelope_id, state=DeliveryState.FAILING).update(next_attempt_at=timezone.now())
