"""Message operations over the API: the same services and access helpers as the pages."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from borderlink.api_errors import answers
from borderlink.core.inputs import FilterDate, Id, Page, PageSize
from borderlink.core.models import Unit
from borderlink.core.schemas import InSchema
from borderlink.exchange import access, queries, services
from borderlink.exchange.attachments import decode_files, storage_path
from borderlink.exchange.models import (
    Attachment,
    Classification,
    HandlingCode,
    Message,
    MessageRecipient,
    MessageState,
    Priority,
    RecipientStatus,
)

router = Router(tags=["messages"])

InboxState = enum.Enum("InboxState", {s: s for s in queries.INBOX_STATES}, type=str)  # type: ignore[misc]
OutboxState = enum.Enum("OutboxState", {str(s): str(s) for s in queries.OUTBOX_STATES}, type=str)  # type: ignore[misc]


class UnitOut(Schema):
    id: int
    code: str
    country: str = Field(description="VN, LA or KH")
    kind: Unit.Kind
    name: str


class RecipientOut(Schema):
    unit: UnitOut
    status: RecipientStatus
    delivered_at: datetime.datetime | None
    read_at: datetime.datetime | None
    acknowledged_at: datetime.datetime | None


class AttachmentOut(Schema):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: uuid.UUID
    subject: str
    sender_unit: UnitOut
    author: str
    priority: Priority
    handling_code: HandlingCode
    classification: Classification
    state: MessageState
    created_at: datetime.datetime
    sent_at: datetime.datetime | None
    in_reply_to: uuid.UUID | None
    forwarded_from: uuid.UUID | None


class MessageDetailOut(MessageOut):
    body: str
    decided_by: str | None
    decided_at: datetime.datetime | None
    decision_reason: str
    attachments: list[AttachmentOut]
    recipients: list[RecipientOut] = Field(description="Per-recipient states; full list for the sending unit only.")
    my_status: RecipientStatus | None


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[MessageOut]


class AttachmentIn(InSchema):
    filename: str = Field(max_length=200)
    content_base64: str


class MessageIn(InSchema):
    recipients: list[Id] = Field(min_length=1, max_length=services.RECIPIENTS_MAX)
    subject: str = Field(max_length=services.SUBJECT_MAX)
    body: str = Field(max_length=services.BODY_MAX)
    priority: Priority = Priority.ROUTINE
    handling_code: HandlingCode = HandlingCode.H0
    classification: Classification = Classification.RESTRICTED
    in_reply_to: uuid.UUID | None = None
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=settings.ATTACHMENT_MAX_COUNT)


class RejectIn(InSchema):
    reason: str = Field(max_length=services.REASON_MAX)


class ForwardIn(InSchema):
    recipients: list[Id] = Field(min_length=1, max_length=services.RECIPIENTS_MAX)
    note: str = Field("", max_length=2000)


class ListParams(Schema):
    q: str = Field("", max_length=200)
    date_from: FilterDate | None = None
    date_to: FilterDate | None = None
    unit: Id | None = None
    priority: Priority | None = None
    page: Page = 1
    page_size: PageSize = 25


class InboxParams(ListParams):
    state: InboxState | None = None


class OutboxParams(ListParams):
    state: OutboxState | None = None


def _unit(unit: Unit) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "country": unit.country_id, "kind": unit.kind, "name": unit.name}


def _summary(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "subject": message.subject,
        "sender_unit": _unit(message.sender_unit),
        "author": message.author_display,
        "priority": message.priority,
        "handling_code": message.handling_code,
        "classification": message.classification,
        "state": message.state,
        "created_at": message.created_at,
        "sent_at": message.sent_at,
        "in_reply_to": message.in_reply_to_id,
        "forwarded_from": message.forwarded_from_id,
    }


def _recipient(row: MessageRecipient) -> dict[str, Any]:
    return {
        "unit": _unit(row.unit),
        "status": row.status,
        "delivered_at": row.delivered_at,
        "read_at": row.read_at,
        "acknowledged_at": row.acknowledged_at,
    }


def _detail(user: Any, message: Message) -> dict[str, Any]:
    mine = access.recipient_row(user, message)
    if access.is_sender_side(user, message):
        rows = list(message.recipients.select_related("unit", "message").order_by("unit__code"))
    else:
        rows = [mine] if mine else []
    return {
        **_summary(message),
        "body": message.body,
        "decided_by": message.decided_by.get_username() if message.decided_by else None,
        "decided_at": message.decided_at,
        "decision_reason": message.decision_reason,
        "attachments": [
            {"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in message.attachments.all()
        ],
        "recipients": [_recipient(row) for row in rows],
        "my_status": mine.status if mine else None,
    }


def _user(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not user.can_exchange:
        raise Http404("No access.")
    return user


def _page(request: HttpRequest, paginator: Paginator, params: InboxParams | OutboxParams) -> dict[str, Any]:
    page = paginator.get_page(params.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [_summary(m) for m in page.object_list],
    }


def _filters(params: InboxParams | OutboxParams) -> queries.MessageFilter:
    errors: dict[str, list[str]] = {}
    if params.date_from and params.date_to and params.date_from > params.date_to:
        errors["date_to"] = [_("The start date is after the end date.")]
    if errors:
        raise ValidationError(errors)
    return queries.MessageFilter(
        q=params.q.strip(),
        date_from=params.date_from,
        date_to=params.date_to,
        unit_id=params.unit,
        priority=params.priority or "",
        state=params.state.value if params.state else "",
    )


def _audit_search(request: HttpRequest, user: Any, box: str, filters: queries.MessageFilter) -> None:
    from borderlink.audit.services import record

    if filters.is_search:
        record(user, "exchange.search", object_type="message", data={"box": box, **filters.as_audit()}, request=request)


@router.get("/units", response=answers(list[UnitOut]), summary="Units a message can be addressed to")
def list_units(request: HttpRequest) -> list[dict[str, Any]]:
    _user(request)
    return [_unit(u) for u in Unit.objects.filter(is_active=True).order_by("country", "code")]


@router.get("/messages/inbox", response=answers(PageOut), summary="Messages sent to my unit")
def inbox(request: HttpRequest, params: Query[InboxParams]) -> dict[str, Any]:
    user = _user(request)
    filters = _filters(params)
    _audit_search(request, user, "inbox", filters)
    return _page(request, queries.InboxPaginator(user, filters, params.page_size), params)


@router.get("/messages/outbox", response=answers(PageOut), summary="Messages my unit wrote")
def outbox(request: HttpRequest, params: Query[OutboxParams]) -> dict[str, Any]:
    user = _user(request)
    filters = _filters(params)
    _audit_search(request, user, "outbox", filters)
    return _page(request, Paginator(queries.outbox(user, filters), params.page_size), params)


@router.get("/messages/approvals", response=answers(list[MessageOut]), summary="Messages awaiting my approval")
def approvals(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [_summary(m) for m in queries.awaiting_approval(user)[:200]]


@router.post("/messages", response=answers(MessageDetailOut, 201), summary="Write a message")
def create(request: HttpRequest, payload: MessageIn) -> Status:
    user = _user(request)
    checked = decode_files(payload.attachments, "attachments")
    draft = services.Draft(
        recipient_unit_ids=payload.recipients,
        subject=payload.subject,
        body=payload.body,
        priority=payload.priority,
        handling_code=payload.handling_code,
        classification=payload.classification,
        in_reply_to_id=payload.in_reply_to,
        attachments=checked,
    )
    message = services.send_message(user, draft, request)
    return Status(201, _detail(user, message))


@router.get("/messages/{message_id}", response=answers(MessageDetailOut), summary="Read a message (audited)")
def read(request: HttpRequest, message_id: str) -> dict[str, Any]:
    user = _user(request)
    return _detail(user, services.open_message(user, message_id, request))


@router.post("/messages/{message_id}/approve", response=answers(MessageDetailOut), summary="Approve (supervisor, four eyes)")
def approve(request: HttpRequest, message_id: str) -> dict[str, Any]:
    user = _user(request)
    return _detail(user, services.approve_message(user, message_id, request))


@router.post("/messages/{message_id}/reject", response=answers(MessageDetailOut), summary="Reject with a reason (supervisor)")
def reject(request: HttpRequest, message_id: str, payload: RejectIn) -> dict[str, Any]:
    user = _user(request)
    return _detail(user, services.reject_message(user, message_id, payload.reason, request))


@router.post("/messages/{message_id}/read", response=answers(MessageDetailOut), summary="Mark read for my unit")
def mark_read(request: HttpRequest, message_id: str) -> dict[str, Any]:
    user = _user(request)
    row = services.mark_read(user, message_id, request)
    return _detail(user, row.message)


@router.post("/messages/{message_id}/acknowledge", response=answers(MessageDetailOut), summary="Acknowledge for my unit")
def acknowledge(request: HttpRequest, message_id: str) -> dict[str, Any]:
    user = _user(request)
    row = services.acknowledge(user, message_id, request)
    return _detail(user, row.message)


@router.post("/messages/{message_id}/forward", response=answers(MessageDetailOut, 201), summary="Forward (not H2)")
def forward(request: HttpRequest, message_id: str, payload: ForwardIn) -> Status:
    user = _user(request)
    message = services.forward_message(user, message_id, payload.recipients, payload.note, request)
    return Status(201, _detail(user, message))


@router.get("/messages/{message_id}/attachments/{attachment_id}", response=answers(bytes),
            summary="Download an attachment (audited)")
def download(request: HttpRequest, message_id: str, attachment_id: str) -> FileResponse:
    user = _user(request)
    attachment: Attachment = services.download_attachment(user, message_id, attachment_id, request)
    path = storage_path(attachment.storage_name)
    if not path.is_file():
        raise Http404("The file is missing from storage.")
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=attachment.filename, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
