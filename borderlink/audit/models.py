"""The append-only, hash-chained audit log.

Each event holds the hash of the one before it; `manage.py audit_verify`
recomputes the chain. The application never updates or deletes an event:
the model and its queryset refuse to.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True, db_index=True)
    actor_unit = models.CharField(_("unit"), max_length=60, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("audit events cannot be deleted")

    def canonical(self) -> bytes:
        body = self.canonical_fields()
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def canonical_fields(self) -> list:
        """What the hash covers, in order: the sequence number first, the previous hash last."""
        return [
            self.seq,
            self.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            self.actor_id,
            self.actor_username,
            self.actor_unit,
            self.action,
            self.object_type,
            self.object_id,
            self.data,
            self.ip,
            self.prev_hash,
        ]

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    @property
    def label(self) -> str:
        from borderlink.audit.actions import label_for

        return label_for(self.action)


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locked while appending."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


class WitnessedCheckpoint(models.Model):
    """A peer node's signed checkpoint of its own audit chain, kept here as a witness
    (RFC 9162's signed tree heads and gossip): the peer cannot later rewrite the part of
    its chain this checkpoint covers without the two disagreeing."""

    peer_node = models.CharField(max_length=60, db_index=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    signed_at = models.CharField(max_length=40)
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("witnessed checkpoint")
        verbose_name_plural = _("witnessed checkpoints")
        constraints = [models.UniqueConstraint(fields=["peer_node", "seq"], name="one_witnessed_checkpoint_per_seq")]
        ordering = ["peer_node", "seq"]

    def record(self) -> dict:
        """The checkpoint as its node signed it (the shape of a line of its checkpoint file)."""
        return {"checkpoint": {"node_id": self.peer_node, "seq": self.seq, "hash": self.hash, "signed_at": self.signed_at,
                               "public_key": self.public_key}, "signature": self.signature}
