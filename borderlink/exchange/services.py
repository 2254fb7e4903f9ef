"""State changes of messages. Each function checks access, runs in one
transaction, writes its audit event and is the single place where a
message crosses a border (see `_release`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.core.models import Unit
from borderlink.exchange import access
from borderlink.exchange.attachments import CheckedFile, store
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

SUBJECT_MAX = 200
BODY_MAX = 20_000
REASON_MAX = 2_000
RECIPIENTS_MAX = 50


@dataclass
class Draft:
    """What a person writes; validated by `send_message`."""

    recipient_unit_ids: Sequence[Any]
    subject: str
    body: str
    priority: str = Priority.ROUTINE
    handling_code: str = HandlingCode.H0
    classification: str = Classification.RESTRICTED
    in_reply_to_id: Any = None
    attachments: list[CheckedFile] = field(default_factory=list)


def _require_exchange(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.can_exchange:
        raise Http404("No access.")


def _validate(user: Any, draft: Draft, request: HttpRequest | None) -> tuple[list[Unit], Message | None]:
    errors: dict[str, list[str]] = {}
    subject = (draft.subject or "").strip()
    body = (draft.body or "").strip()
    if not subject:
        errors.setdefault("subject", []).append(_("Write a subject."))
    elif len(subject) > SUBJECT_MAX:
        errors.setdefault("subject", []).append(_("The subject can have at most %(n)d characters.") % {"n": SUBJECT_MAX})
    if not body:
        errors.setdefault("body", []).append(_("Write the text of the message."))
    elif len(body) > BODY_MAX:
        errors.setdefault("body", []).append(_("The text can have at most %(n)d characters.") % {"n": BODY_MAX})
    if draft.priority not in Priority.values:
        errors.setdefault("priority", []).append(_("Choose a priority from the list."))
    if draft.handling_code not in HandlingCode.values:
        errors.setdefault("handling_code", []).append(_("Choose a handling code from the list."))
    if draft.classification not in Classification.values:
        errors.setdefault("classification", []).append(_("Choose a classification from the list."))

    ids: list[int] = []
    for value in draft.recipient_unit_ids or []:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            errors.setdefault("recipients", []).append(_("Unknown unit: %(value)s.") % {"value": str(value)[:40]})
    ids = list(dict.fromkeys(ids))
    units = list(Unit.objects.filter(id__in=ids, is_active=True).select_related("country"))
    if len(units) != len(ids) and "recipients" not in errors:
        errors.setdefault("recipients", []).append(_("One or more units do not exist or are inactive."))
    if not ids and "recipients" not in errors:
        errors.setdefault("recipients", []).append(_("Choose at least one unit to write to."))
    if len(ids) > RECIPIENTS_MAX:
        errors.setdefault("recipients", []).append(_("A message can go to at most %(n)d units.") % {"n": RECIPIENTS_MAX})
    if user.unit_id in ids:
        errors.setdefault("recipients", []).append(_("Your own unit cannot be a recipient."))

    if len(draft.attachments) > settings.ATTACHMENT_MAX_COUNT:
        errors.setdefault("attachments", []).append(
            _("At most %(n)d attachments per message.") % {"n": settings.ATTACHMENT_MAX_COUNT}
        )
    total = sum(len(a.content) for a in draft.attachments)
    if total > settings.ATTACHMENT_MAX_TOTAL_BYTES:
        errors.setdefault("attachments", []).append(
            _("The attachments together are %(size)s; the limit per message is %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(settings.ATTACHMENT_MAX_TOTAL_BYTES)}
        )

    parent = None
    if draft.in_reply_to_id not in (None, ""):
        try:
            parent = access.get_message_for_user(user, draft.in_reply_to_id, request)
        except Http404:
            errors.setdefault("in_reply_to", []).append(_("The message you answer does not exist."))
        else:
            if parent.state != MessageState.SENT:
                errors.setdefault("in_reply_to", []).append(_("Only a sent message can be answered."))
    if errors:
        raise ValidationError(errors)
    return units, parent


def _release(message: Message, request: HttpRequest | None) -> None:
    """Send a message to its recipients. The one place a message leaves its unit
    (and, for foreign units, its country: the federation envelope is written here)."""
    from borderlink.exchange.federation import queue_release

    now = timezone.now()
    message.state = MessageState.SENT
    message.sent_at = now
    message.save(update_fields=["state", "sent_at"])
    MessageRecipient.objects.filter(message=message).update(sent_at=now)  # now in each unit's inbox (inbox_order)
    # Units of another node get an envelope (delivered when its receipt comes back);
    # units hosted here have the message at once.
    remote = queue_release(message)
    MessageRecipient.objects.filter(message=message, delivered_at__isnull=True).exclude(unit__code__in=remote).update(
        delivered_at=now
    )
    record(
        None,
        "exchange.message.released",
        object_type="message",
        object_id=message.id,
        data={"recipients": list(message.recipients.values_list("unit__code", flat=True))},
        request=request,
    )


def send_message(user: Any, draft: Draft, request: HttpRequest | None = None) -> Message:
    """Write a message from the user's unit.

    Validates everything before writing anything (ValidationError with a list
    per field, in the user's language). A message to a unit of another
    country waits for a supervisor's approval; otherwise it is sent at once.
    """
    _require_exchange(user)
    # Validation reads only, outside the transaction, so that an audited refusal is kept.
    units, parent = _validate(user, draft, request)
    with transaction.atomic():
        return _create(user, draft, units, parent, request)


def _create(
    user: Any,
    draft: Draft,
    units: list[Unit],
    parent: Message | None,
    request: HttpRequest | None,
    forwarded_from: Message | None = None,
) -> Message:
    crosses = any(unit.country_id != user.unit.country_id for unit in units)
    message = Message.objects.create(
        origin_node=settings.NODE_NAME,
        sender_unit_id=user.unit_id,
        author=user,
        author_name=user.get_full_name() or user.get_username(),
        subject=draft.subject.strip(),
        body=draft.body.strip(),
        priority=draft.priority,
        priority_rank=PRIORITY_RANK[Priority(draft.priority)],
        handling_code=draft.handling_code,
        classification=draft.classification,
        in_reply_to=parent,
        forwarded_from=forwarded_from,
        state=MessageState.PENDING_APPROVAL,
        crosses_border=crosses,
    )
    MessageRecipient.objects.bulk_create(
        [MessageRecipient(message=message, unit=unit, priority_rank=message.priority_rank) for unit in units]
    )
    for checked in draft.attachments:
        Attachment.objects.create(
            message=message,
            filename=checked.filename,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            storage_name=store(checked),
        )
    if forwarded_from is not None:
        _copy_attachments(forwarded_from, message)
    record(
        user,
        "exchange.message.created",
        object_type="message",
        object_id=message.id,
        data={
            "to": [unit.code for unit in units],
            "priority": message.priority,
            "handling_code": message.handling_code,
            "attachments": len(draft.attachments),
            "in_reply_to": str(parent.id) if parent else None,
        },
        request=request,
    )
    if crosses:
        record(user, "exchange.message.submitted", object_type="message", object_id=message.id, request=request)
    else:
        _release(message, request)
    return message


def _pending_for_decision(user: Any, message: Message) -> Message:
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if not access.can_approve(user, locked):
        if locked.state != MessageState.PENDING_APPROVAL:
            raise ValidationError(_("This message is not awaiting approval."))
        if locked.author_id == user.pk:
            raise ValidationError(_("You cannot approve your own message: another supervisor must."))
        raise Http404("No access.")
    return locked


def approve_message(user: Any, message_id: Any, request: HttpRequest | None = None) -> Message:
    """Four eyes: a supervisor of the sending unit (not the author) lets the message leave."""
    _require_exchange(user)
    visible = access.get_message_for_user(user, message_id, request)
    with transaction.atomic():
        return _approve(user, visible, request)


def _approve(user: Any, visible: Message, request: HttpRequest | None) -> Message:
    message = _pending_for_decision(user, visible)
    message.decided_by = user
    message.decided_at = timezone.now()
    message.save(update_fields=["decided_by", "decided_at"])
    record(user, "exchange.message.approved", object_type="message", object_id=message.id, request=request)
    _release(message, request)
    return message


def reject_message(user: Any, message_id: Any, reason: str, request: HttpRequest | None = None) -> Message:
    """A supervisor stops the message; the reason is required and shown to the author."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for rejecting the message.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("The reason can have at most %(n)d characters.") % {"n": REASON_MAX}]})
    _require_exchange(user)
    visible = access.get_message_for_user(user, message_id, request)
    with transaction.atomic():
        return _reject(user, visible, reason, request)


def _reject(user: Any, visible: Message, reason: str, request: HttpRequest | None) -> Message:
    message = _pending_for_decision(user, visible)
    message.state = MessageState.REJECTED
    message.decided_by = user
    message.decided_at = timezone.now()
    message.decision_reason = reason
    message.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    record(user, "exchange.message.rejected", object_type="message", object_id=message.id, data={"reason": reason}, request=request)
    return message


def open_message(user: Any, message_id: Any, request: HttpRequest | None = None) -> Message:
    """Fetch a message for reading; every view is audited."""
    message = access.get_message_for_user(user, message_id, request)
    record(user, "exchange.message.viewed", object_type="message", object_id=message.id, request=request)
    return message


def _recipient_row(user: Any, message_id: Any, request: HttpRequest | None) -> MessageRecipient:
    _require_exchange(user)
    message = access.get_message_for_user(user, message_id, request)
    row = access.recipient_row(user, message)
    if row is None:
        raise ValidationError(_("Only a unit the message was sent to can do this."))
    return row


def _queue_receipt(row: MessageRecipient, user: Any) -> None:
    from borderlink.exchange.federation import queue_receipt

    queue_receipt(row, user)


def mark_read(user: Any, message_id: Any, request: HttpRequest | None = None) -> MessageRecipient:
    """Mark the message read for the user's unit (first reader recorded; repeating changes nothing)."""
    found = _recipient_row(user, message_id, request)
    with transaction.atomic():
        row = MessageRecipient.objects.select_for_update().get(pk=found.pk)
        return _mark_read(user, row, request)


def _mark_read(user: Any, row: MessageRecipient, request: HttpRequest | None) -> MessageRecipient:
    if row.read_at is None:
        row.read_at = timezone.now()
        row.read_by = user
        row.save(update_fields=["read_at", "read_by"])
        record(user, "exchange.message.read", object_type="message", object_id=row.message_id, request=request)
        _queue_receipt(row, user)
    return row


def acknowledge(user: Any, message_id: Any, request: HttpRequest | None = None) -> MessageRecipient:
    """The recipient unit confirms it has taken the message in hand (implies read)."""
    found = _recipient_row(user, message_id, request)
    with transaction.atomic():
        row = MessageRecipient.objects.select_for_update().get(pk=found.pk)
        return _acknowledge(user, row, request)


def _acknowledge(user: Any, row: MessageRecipient, request: HttpRequest | None) -> MessageRecipient:
    if row.acknowledged_at is not None:
        return row
    now = timezone.now()
    fields = ["acknowledged_at", "acknowledged_by"]
    if row.read_at is None:
        row.read_at, row.read_by = now, user
        fields += ["read_at", "read_by"]
    row.acknowledged_at, row.acknowledged_by = now, user
    row.save(update_fields=fields)
    record(user, "exchange.message.acknowledged", object_type="message", object_id=row.message_id, request=request)
    _queue_receipt(row, user)
    return row


def forward_message(
    user: Any, message_id: Any, recipient_unit_ids: Iterable[Any], note: str = "", request: HttpRequest | None = None
) -> Message:
    """Send a received or sent message on to other units, unless its handling code forbids it (H2)."""
    _require_exchange(user)
    original = access.get_message_for_user(user, message_id, request)
    if original.state != MessageState.SENT:
        raise ValidationError(_("Only a sent message can be forwarded."))
    if original.handling_code == HandlingCode.H2:
        raise ValidationError(
            _("This message has handling code H2: it cannot be forwarded without the originator's consent.")
        )
    note = (note or "").strip()
    header = _("Forwarded message from %(unit)s, %(date)s:") % {
        "unit": original.sender_unit.name,
        "date": timezone.localtime(original.sent_at).strftime("%Y-%m-%d %H:%M"),
    }
    body = f"{note}\n\n{header}\n\n{original.body}" if note else f"{header}\n\n{original.body}"
    draft = Draft(
        recipient_unit_ids=list(recipient_unit_ids),
        subject=(_("Fwd: %(subject)s") % {"subject": original.subject})[:SUBJECT_MAX],
        body=body[:BODY_MAX],
        priority=original.priority,
        handling_code=original.handling_code,
        classification=original.classification,
    )
    units, _parent = _validate(user, draft, request)
    with transaction.atomic():
        message = _create(user, draft, units, None, request, forwarded_from=original)
        record(
            user, "exchange.message.forwarded", object_type="message", object_id=original.id,
            data={"as": str(message.id)}, request=request,
        )
    return message


def _copy_attachments(original: Message, message: Message) -> None:
    for attachment in original.attachments.all():
        Attachment.objects.create(
            message=message,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            storage_name=attachment.storage_name,
        )


def download_attachment(user: Any, message_id: Any, attachment_id: Any, request: HttpRequest | None = None) -> Attachment:
    """The attachment if the user may see its message; each download audited."""
    attachment = access.get_attachment_for_user(user, message_id, attachment_id, request)
    record(
        user,
        "exchange.attachment.downloaded",
        object_type="attachment",
        object_id=attachment.id,
        data={"message": str(attachment.message_id), "filename": attachment.filename},
        request=request,
    )
    return attachment
