"""Peers, and the envelopes that leave (outbox) and arrive (inbox, quarantine)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Peer(models.Model):
    """Another ministry's node, with its public key pinned from its node card."""

    node_id = models.CharField(_("node id"), max_length=60, unique=True)
    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    base_url = models.URLField(_("address"))
    public_key = models.CharField(_("public key"), max_length=64, help_text=_("Ed25519, base64"))
    fingerprint = models.CharField(_("fingerprint"), max_length=60)
    # After the peer rotated its key (federation.rotation): the key it used before, still valid until then.
    previous_public_key = models.CharField(_("previous public key"), max_length=64, blank=True)
    previous_key_valid_until = models.DateTimeField(_("previous key valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer node")
        verbose_name_plural = _("peer nodes")
        constraints = [models.UniqueConstraint(fields=["country"], condition=models.Q(is_active=True), name="one_active_peer_per_country")]

    def __str__(self) -> str:
        return f"{self.node_id} ({self.country_id})"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("queued")
    DELIVERED = "delivered", _("delivered")
    FAILING = "failing", _("failing")


class OutboxEnvelope(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="outbox")
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    receipt = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing envelope")
        verbose_name_plural = _("outgoing envelopes")
        ordering = ["created_at"]


class InboxEnvelope(models.Model):
    """An applied envelope: its id makes application idempotent, its signature detects replays."""

    id = models.UUIDField(primary_key=True)
    sender = models.CharField(max_length=60)
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    signature = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    receipt = models.JSONField()

    class Meta:
        verbose_name = _("received envelope")
        verbose_name_plural = _("received envelopes")


class QuarantinedEnvelope(models.Model):
    """A rejected envelope, kept with its reason for the node administrator; nothing of it was applied."""

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    claimed_sender = models.CharField(max_length=60, blank=True)
    envelope_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=60)
    detail = models.TextField(blank=True)
    body = models.TextField(help_text=_("the first 64 KiB of what arrived"))

    class Meta:
        verbose_name = _("quarantined envelope")
        verbose_name_plural = _("quarantined envelopes")
        ordering = ["-received_at"]


class InboxTally(models.Model):
    """What arrived and was not stored, counted per day and reason (bounded: never one row per post).

    Unauthenticated refusals (a body that does not parse, an unknown sender, a bad signature, a replay)
    are counted here with an empty sender and logged with a short summary; refusals of a pinned peer
    (its rate or volume limits) and its accepted bytes are counted under its node id."""

    day = models.DateField(_("day"))
    sender = models.CharField(_("peer"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=40)
    count = models.PositiveIntegerField(_("count"), default=0)
    bytes = models.PositiveBigIntegerField(_("bytes"), default=0)

    class Meta:
        verbose_name = _("inbox tally")
        verbose_name_plural = _("inbox tallies")
        ordering = ["-day", "sender", "reason"]
        constraints = [models.UniqueConstraint(fields=["day", "sender", "reason"], name="inbox_tally_day_sender_reason")]
