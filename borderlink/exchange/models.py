"""Messages between units, their recipients and attachments."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.fields import SafeDateTimeField


class Priority(models.TextChoices):
    ROUTINE = "routine", _("routine")
    URGENT = "urgent", _("urgent")
    IMMEDIATE = "immediate", _("immediate")


PRIORITY_RANK = {Priority.IMMEDIATE: 0, Priority.URGENT: 1, Priority.ROUTINE: 2}


class HandlingCode(models.TextChoices):
    H0 = "H0", _("H0 – law-enforcement use only")
    H1 = "H1", _("H1 – not for use as evidence without the originator's consent")
    H2 = "H2", _("H2 – no onward sharing or action without the originator's consent")


class Classification(models.TextChoices):
    UNCLASSIFIED = "unclassified", _("unclassified")
    RESTRICTED = "restricted", _("restricted")
    CONFIDENTIAL = "confidential", _("confidential")
    SECRET = "secret", _("secret")


class MessageState(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("awaiting approval")
    REJECTED = "rejected", _("rejected")
    SENT = "sent", _("sent")


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    origin_node = models.CharField(max_length=60, editable=False)
    sender_unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, related_name="sent_messages", verbose_name=_("from")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_messages", verbose_name=_("author"),
        null=True, blank=True, help_text=_("empty on a copy received from another node"),
    )
    author_name = models.CharField(_("author"), max_length=150, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices)
    classification = models.CharField(
        _("classification"), max_length=12, choices=Classification.choices, default=Classification.RESTRICTED
    )
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies", verbose_name=_("in reply to")
    )
    forwarded_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="forwards", verbose_name=_("forwarded from")
    )
    state = models.CharField(_("state"), max_length=20, choices=MessageState.choices)
    crosses_border = models.BooleanField(default=False, editable=False)
    created_at = SafeDateTimeField(_("written"), auto_now_add=True, db_index=True)
    sent_at = SafeDateTimeField(_("sent"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = SafeDateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sender_unit", "state", "-created_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def author_display(self) -> str:
        if self.author is not None:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name

    @property
    def thread_root(self) -> Message:
        node = self
        while node.in_reply_to is not None:
            node = node.in_reply_to
        return node


class RecipientStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    READ = "read", _("read")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")


class MessageRecipient(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="received_messages")
    delivered_at = SafeDateTimeField(null=True, blank=True)
    read_at = SafeDateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_at = SafeDateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Names of readers on another node (their users are not on this one).
    read_by_name = models.CharField(max_length=150, blank=True)
    acknowledged_by_name = models.CharField(max_length=150, blank=True)
    # The inbox's sort keys, copied from the message so that a unit's inbox is one range of one index
    # (inbox_order) rather than a sort of the unit's whole inbox over a join (issue 19). `sent_at` is the
    # message's, set when the message is released (or received from a peer) and empty before: the unit's
    # inbox is the rows that have it. `pin` puts unread urgent and immediate messages first; the
    # database keeps it as `read_at` changes.
    sent_at = SafeDateTimeField(null=True, blank=True, editable=False)
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    pin = models.GeneratedField(
        expression=models.Case(
            models.When(models.Q(read_at__isnull=True, priority_rank__lt=2), then=models.Value(0)),
            default=models.Value(1),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [models.UniqueConstraint(fields=["message", "unit"], name="recipient_unique_unit")]
        indexes = [
            models.Index(fields=["unit", "read_at"]),
            models.Index(fields=["unit", "pin", "priority_rank", "-sent_at"], name="inbox_order",
                         condition=models.Q(sent_at__isnull=False)),
        ]

    @property
    def status(self) -> str:
        if self.acknowledged_at:
            return RecipientStatus.ACKNOWLEDGED
        if self.read_at:
            return RecipientStatus.READ
        if self.delivered_at:
            return RecipientStatus.DELIVERED
        if self.message.state == MessageState.SENT:
            return RecipientStatus.SENT
        return RecipientStatus.QUEUED

    @property
    def reader(self) -> str:
        if self.read_by is not None:
            return self.read_by.get_full_name() or self.read_by.get_username()
        return self.read_by_name

    @property
    def acknowledger(self) -> str:
        if self.acknowledged_by is not None:
            return self.acknowledged_by.get_full_name() or self.acknowledged_by.get_username()
        return self.acknowledged_by_name

    @property
    def status_label(self) -> str:
        return str(RecipientStatus(self.status).label)


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["filename"]

    def __str__(self) -> str:
        return self.filename
