"""``federation.resend``: a peer restored from a backup asks this node to deliver again what it
delivered to it since the backup.

The restored node lost the envelopes it applied after its backup was made. This node
puts its envelopes to that peer delivered since then (less the clock window, so that
clocks apart by up to BORDERLINK_FEDERATION_CLOCK_SKEW_SECONDS lose nothing) back in
the queue, in their original order. The peer applies each envelope id once: those it
still holds are answered with the stored receipt. The request and the number of
envelopes queued again are audited.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from pydantic import AwareDatetime, BaseModel, ConfigDict

from borderlink.audit.services import record
from borderlink.federation.models import DeliveryState, OutboxEnvelope

MAX_AGE_DAYS = 400  # a backup older than this is not a resumption but a rebuild: peer by hand


class ResendPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: AwareDatetime


def apply_resend(payload: ResendPayload, peer: Any, envelope: dict[str, Any]) -> None:
    now = timezone.now()
    skew = datetime.timedelta(seconds=settings.FEDERATION_CLOCK_SKEW_SECONDS)
    if payload.since > now + skew:
        raise ValidationError("the backup time is in the future")
    if payload.since < now - datetime.timedelta(days=MAX_AGE_DAYS):
        raise ValidationError(f"the backup is older than {MAX_AGE_DAYS} days")
    count = OutboxEnvelope.objects.filter(peer=peer, state=DeliveryState.DELIVERED, delivered_at__gte=payload.since - skew).update(
        state=DeliveryState.QUEUED, next_attempt_at=now, attempts=0, leased_until=None, last_error=""
    )
    record(None, "federation.resend.applied", object_type="peer", object_id=peer.node_id,
           data={"since": payload.since.isoformat(), "envelopes": count})


def register_kinds() -> None:
    from borderlink.federation.registry import KINDS, Kind

    KINDS["federation.resend"] = Kind(ResendPayload, apply_resend)  # type: ignore[arg-type]
