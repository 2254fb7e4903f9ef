"""Messages across nodes: a released message goes to the node of each foreign
recipient's country; read and acknowledgement receipts come back."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from pydantic import Field

from borderlink.audit.services import record
from borderlink.core.models import Unit
from borderlink.exchange.attachments import check_file, storage_path, store
from borderlink.exchange.models import (
    PRIORITY_RANK,
    Attachment,
    Classification,
    HandlingCode,
    Message,
    MessageRecipient,
    MessageState,
    Priority,
)
from borderlink.exchange.services import BODY_MAX, RECIPIENTS_MAX, SUBJECT_MAX
from borderlink.federation import outbox, schema
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.federation.schema import AttachmentPayload, Code, Moment, Strict


class MessagePayload(Strict):
    id: uuid.UUID
    sender_unit: Code
    author: schema.text(150) = ""  # type: ignore[valid-type]
    recipients: list[Code] = Field(min_length=1, max_length=RECIPIENTS_MAX)
    subject: schema.text(SUBJECT_MAX, 1)  # type: ignore[valid-type]
    body: schema.text(BODY_MAX, 1)  # type: ignore[valid-type]
    priority: Priority
    handling_code: HandlingCode
    classification: Classification
    in_reply_to: uuid.UUID | None = None
    forwarded_from: uuid.UUID | None = None
    sent_at: Moment
    approved_by: schema.text(150) = ""  # type: ignore[valid-type]
    # the local limit; checked again against BORDERLINK_ATTACHMENT_MAX_COUNT on arrival
    attachments: list[AttachmentPayload] = Field(default_factory=list, max_length=settings.ATTACHMENT_MAX_COUNT)


class ReceiptPayload(Strict):
    message: uuid.UUID
    unit: Code
    delivered_at: Moment | None = None
    read_at: Moment | None = None
    read_by: schema.text(150) = ""  # type: ignore[valid-type]
    acknowledged_at: Moment | None = None
    acknowledged_by: schema.text(150) = ""  # type: ignore[valid-type]


def remote_recipient_countries(message: Message) -> dict[str, list[str]]:
    """Country -> unit codes of the recipients that live on another node."""
    out: dict[str, list[str]] = {}
    for row in message.recipients.select_related("unit"):
        if not hosts_country(row.unit.country_id):
            out.setdefault(row.unit.country_id, []).append(row.unit.code)
    return out


def queue_release(message: Message) -> set[str]:
    """Write one envelope per foreign node; return the unit codes that are remote."""
    remote: set[str] = set()
    groups = remote_recipient_countries(message)
    if not groups:
        return remote
    attachments = [
        {"filename": a.filename, "content_base64": base64.b64encode(storage_path(a.storage_name).read_bytes()).decode("ascii")}
        for a in message.attachments.all()
    ]
    for country, codes in groups.items():
        payload = {
            "id": str(message.id),
            "sender_unit": message.sender_unit.code,
            "author": message.author_display,
            "recipients": codes,
            "subject": message.subject,
            "body": message.body,
            "priority": message.priority,
            "handling_code": message.handling_code,
            "classification": message.classification,
            "in_reply_to": str(message.in_reply_to_id) if message.in_reply_to_id else None,
            "forwarded_from": str(message.forwarded_from_id) if message.forwarded_from_id else None,
            "sent_at": (message.sent_at or timezone.now()).isoformat(),
            "approved_by": message.decided_by.get_username() if message.decided_by else "",
            "attachments": attachments,
        }
        outbox.enqueue(country, "message.released", message.id, payload)
        remote.update(codes)
    return remote


def _delivered(envelope: Any) -> None:
    """The peer's receipt is in: its recipients now have the message."""
    MessageRecipient.objects.filter(
        message_id=envelope.object_id, unit__code__in=envelope.payload.get("recipients", []), delivered_at__isnull=True
    ).update(delivered_at=timezone.now())


@register("message.released", MessagePayload, delivered=_delivered)
def apply_message(payload: MessagePayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Store a read-only copy of a message for the recipient units this node hosts."""
    sender = Unit.objects.filter(code=payload.sender_unit, country_id=peer.country_id).first()
    if sender is None:
        raise ValidationError(f"unknown sending unit {payload.sender_unit} for {peer.country_id}")
    local = list(Unit.objects.filter(code__in=payload.recipients, country_id=settings.NODE_COUNTRY, is_active=True))
    if not local:
        raise ValidationError("none of the recipient units lives on this node")
    schema.past_moment(payload.sent_at, "sent_at", years_back=1)
    checked = []
    for item in payload.attachments:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except ValueError:
            raise ValidationError("an attachment is not base64") from None
        checked.append(check_file(item.filename, content))
    if Message.objects.filter(pk=payload.id).exists():
        return  # a copy exists already (another envelope id carried it): nothing to do
    message = Message.objects.create(
        id=payload.id,
        origin_node=peer.node_id,
        sender_unit=sender,
        author=None,
        author_name=payload.author,
        subject=payload.subject,
        body=payload.body,
        priority=payload.priority,
        priority_rank=PRIORITY_RANK[Priority(payload.priority)],
        handling_code=payload.handling_code,
        classification=payload.classification,
        in_reply_to=Message.objects.filter(pk=payload.in_reply_to).first() if payload.in_reply_to else None,
        state=MessageState.SENT,
        crosses_border=True,
        sent_at=payload.sent_at,
        decision_reason="",
    )
    now = timezone.now()
    MessageRecipient.objects.bulk_create([  # with the inbox's sort keys: in each local unit's inbox at once
        MessageRecipient(message=message, unit=unit, delivered_at=now, sent_at=message.sent_at, priority_rank=message.priority_rank)
        for unit in local
    ])
    for checked_file in checked:
        Attachment.objects.create(message=message, filename=checked_file.filename, content_type=checked_file.content_type,
                                  size=checked_file.size, sha256=checked_file.sha256, storage_name=store(checked_file))
    record(None, "exchange.message.received", object_type="message", object_id=message.id,
           data={"from_node": peer.node_id, "to": [u.code for u in local]})


def queue_receipt(row: MessageRecipient, user: Any) -> None:
    """Tell the sending node that this unit read or acknowledged its message."""
    message = row.message
    if not message.origin_node or message.origin_node == settings.NODE_NAME:
        return
    payload = {
        "message": str(message.id),
        "unit": row.unit.code,
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
        "read_at": row.read_at.isoformat() if row.read_at else None,
        "read_by": row.read_by.get_full_name() or row.read_by.get_username() if row.read_by else "",
        "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at else None,
        "acknowledged_by": (row.acknowledged_by.get_full_name() or row.acknowledged_by.get_username()) if row.acknowledged_by else "",
    }
    outbox.enqueue(message.sender_unit.country_id, "message.receipt", message.id, payload)


@register("message.receipt", ReceiptPayload)
def apply_receipt(payload: ReceiptPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """Record a foreign unit's read and acknowledgement on the sender's side (times only move forward)."""
    row = MessageRecipient.objects.select_related("unit", "message").filter(
        message_id=payload.message, unit__code=payload.unit, unit__country_id=peer.country_id,
        message__origin_node=settings.NODE_NAME,
    ).first()
    if row is None:
        raise ValidationError("no such message and recipient on this node")
    sent = row.message.sent_at
    for moment in (payload.delivered_at, payload.read_at, payload.acknowledged_at):
        schema.past_moment(moment, "the receipt's time", years_back=1)
        if moment is not None and sent is not None and moment < sent - schema.skew():
            raise ValidationError("a receipt's time is before the message was sent")
    fields = []
    for name in ("delivered_at", "read_at", "acknowledged_at"):
        value = getattr(payload, name)
        if value is not None and getattr(row, name) is None:
            setattr(row, name, value)
            fields.append(name)
    if "read_at" in fields:
        row.read_by_name = payload.read_by
        fields.append("read_by_name")
    if "acknowledged_at" in fields:
        row.acknowledged_by_name = payload.acknowledged_by
        fields.append("acknowledged_by_name")
    if fields:
        row.save(update_fields=fields)
        record(None, "exchange.message.receipt", object_type="message", object_id=payload.message,
               data={"unit": payload.unit, "fields": fields, "read_by": payload.read_by, "acknowledged_by": payload.acknowledged_by})
