"""Who may see which message. Pages, the API and (later) federation use only these."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.accounts.models import Capability
from borderlink.audit.services import record
from borderlink.core.prepared import Prepared
from borderlink.exchange.models import Attachment, Message, MessageRecipient, MessageState


def visible_messages(user: Any) -> QuerySet[Message]:
    """Messages the user's unit wrote, plus those sent to it once released; nothing for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.can_exchange:
        return Message.objects.none()
    # EXISTS on the message's own recipient row (one index probe per message looked at), not `id IN` the
    # unit's whole inbox, which PostgreSQL builds as a hash of every message ever received (issue 19).
    received = Exists(MessageRecipient.objects.filter(message_id=OuterRef("pk"), unit_id=user.unit_id))
    return Message.objects.filter(Q(sender_unit_id=user.unit_id) | (Q(state=MessageState.SENT) & received))


def _parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


# The page's read of a message, compiled once per process and reader shape (core.prepared; issue 19).
_MESSAGE_FOR_USER: Prepared[Message] = Prepared(
    "exchange.message", Message,
    lambda reader, message_id: visible_messages(reader).select_related("sender_unit", "author", "decided_by").filter(id=message_id),
    args=[Message._meta.pk],
)


def get_message_for_user(user: Any, message_id: Any, request: HttpRequest | None = None) -> Message:
    """The message if the user may see it; otherwise the refusal is audited and Http404 raised."""
    parsed = _parse_uuid(message_id)
    message = None
    if parsed is not None:
        message = _MESSAGE_FOR_USER.first(user, parsed)  # visible_messages(user), its sender, author, decider
    if message is None:
        record(
            user if getattr(user, "is_authenticated", False) else None,
            "exchange.message.access_denied",
            object_type="message",
            object_id=str(message_id)[:64],
            request=request,
        )
        raise Http404("No such message.")
    return message


def get_attachment_for_user(user: Any, message_id: Any, attachment_id: Any, request: HttpRequest | None = None) -> Attachment:
    message = get_message_for_user(user, message_id, request)
    parsed = _parse_uuid(attachment_id)
    attachment = message.attachments.filter(id=parsed).first() if parsed else None
    if attachment is None:
        record(user, "exchange.attachment.access_denied", object_type="attachment", object_id=str(attachment_id)[:64], request=request)
        raise Http404("No such attachment.")
    return attachment


def recipient_row(user: Any, message: Message) -> MessageRecipient | None:
    """The row for the user's unit when the message was sent to it and released."""
    if message.state != MessageState.SENT or not user.can_exchange:
        return None
    # as message.recipients.filter(unit_id=user.unit_id).first(), compiled once per process (core.prepared)
    row = _RECIPIENT_ROW.first(user, message.pk)
    if row is not None:
        _RECIPIENT_MESSAGE.set_cached_value(row, message)  # as the related manager does: no query for row.message
    return row


_RECIPIENT_ROW: Prepared[MessageRecipient] = Prepared(
    "exchange.recipient_row", MessageRecipient,
    lambda reader, message_id: MessageRecipient.objects.filter(message_id=message_id, unit_id=reader.unit_id),
    args=[MessageRecipient._meta.get_field("message")],
)
_RECIPIENT_MESSAGE = MessageRecipient._meta.get_field("message")


def is_sender_side(user: Any, message: Message) -> bool:
    return user.can_exchange and message.sender_unit_id == user.unit_id


def can_approve(user: Any, message: Message) -> bool:
    """Four eyes: a supervisor of the sending unit who is not the author."""
    return (
        message.state == MessageState.PENDING_APPROVAL
        and user.has_capability(Capability.SUPERVISOR)
        and user.unit_id == message.sender_unit_id
        and user.pk != message.author_id
    )


def can_forward(user: Any, message: Message) -> bool:
    from borderlink.exchange.models import HandlingCode

    return message.state == MessageState.SENT and message.handling_code != HandlingCode.H2 and user.can_exchange
