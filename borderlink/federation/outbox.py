"""Writing envelopes: in the caller's transaction, next to the change they carry."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from borderlink.federation.models import OutboxEnvelope
from borderlink.federation.node import peer_for_country


def enqueue(country: str, kind: str, object_id: Any, payload: dict[str, Any], version: int = 1) -> OutboxEnvelope | None:
    """Queue an envelope for the node of `country`; None when that country is hosted here."""
    peer = peer_for_country(country)
    if peer is None:
        return None
    return OutboxEnvelope.objects.create(
        peer=peer, kind=kind, object_id=str(object_id), version=version, payload=payload, next_attempt_at=timezone.now()
    )
