"""Inbox, outbox and approval lists with their filters (read-only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from borderlink.core.page_query import BoundedPaginator, Later
from borderlink.core.prepared import Prepared
from borderlink.exchange.models import PRIORITY_RANK, Attachment, Message, MessageRecipient, MessageState, Priority

INBOX_STATES = ("unread", "read", "acknowledged", "unacknowledged")
OUTBOX_STATES = (MessageState.PENDING_APPROVAL, MessageState.REJECTED, MessageState.SENT)


@dataclass
class MessageFilter:
    q: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    unit_id: int | None = None
    priority: str = ""
    state: str = ""

    @property
    def is_search(self) -> bool:
        return any([self.q, self.date_from, self.date_to, self.unit_id, self.priority, self.state])

    def as_audit(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "unit": self.unit_id,
            "priority": self.priority,
            "state": self.state,
        }


def _day_bounds(filters: MessageFilter) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    tz = timezone.get_current_timezone()
    start = end = None
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=tz)
    if filters.date_to:
        end = datetime.datetime.combine(filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _text(qs: QuerySet, q: str) -> QuerySet:
    for word in q.split()[:8]:
        qs = qs.filter(Q(subject__icontains=word) | Q(body__icontains=word))
    return qs


def _common(qs: QuerySet, filters: MessageFilter, date_field: str, unit_field: str) -> QuerySet:
    """The filters inbox and sent box share: dates, words, the other side's unit, priority."""
    start, end = _day_bounds(filters)
    if start:
        qs = qs.filter(**{f"{date_field}__gte": start})
    if end:
        qs = qs.filter(**{f"{date_field}__lt": end})
    if filters.q:
        qs = _text(qs, filters.q)
    if filters.unit_id:
        qs = qs.filter(**{unit_field: filters.unit_id})
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    return qs


def inbox(user: Any, filters: MessageFilter) -> QuerySet[Message]:
    """Released messages sent to the user's unit: unread urgent ones first, then by priority and date."""
    if not user.can_exchange:
        return Message.objects.none()
    # The unit's recipient row is the join the filter makes (one per message and unit: recipient_unique_unit);
    # it carries the inbox's sort keys (pin, priority rank, sending time), so the unit's inbox is read in order
    # from one index (inbox_order) and a page stops after its rows, instead of sorting the whole inbox (issue 19).
    # Its read and acknowledged times come from the same join. Attachments are counted for the rows of a page
    # only (count_attachments). The join is made once: each filter() on `recipients__` would add another.
    qs = (
        Message.objects.filter(state=MessageState.SENT, recipients__unit_id=user.unit_id, recipients__sent_at__isnull=False)
        .select_related("sender_unit", "sender_unit__country", "author")
        .annotate(
            my_read_at=F("recipients__read_at"),
            my_acknowledged_at=F("recipients__acknowledged_at"),
            pin=F("recipients__pin"),
            my_priority_rank=F("recipients__priority_rank"),
            my_sent_at=F("recipients__sent_at"),
        )
    )
    qs = _common(qs, filters, date_field="my_sent_at", unit_field="sender_unit_id")
    state = _inbox_state(filters.state, "my_")
    if state:
        qs = qs.filter(**state)
    return qs.order_by("pin", "my_priority_rank", F("my_sent_at").desc())


# The unfiltered inbox (what every officer opens), its first pages compiled once per process and reader shape
# (core.prepared: each page's window is a statement of its own, so only the first few; issue 19).
INBOX_PAGE: Prepared[Message] = Prepared("exchange.inbox", Message, lambda reader: inbox(reader, MessageFilter()), args=[])
PREPARED_PAGES = 3
INBOX_RECIPIENTS: Prepared[MessageRecipient] = Prepared(
    "exchange.inbox_count", MessageRecipient,
    lambda reader: MessageRecipient.objects.filter(unit_id=reader.unit_id, sent_at__isnull=False), args=[])


def _inbox_state(state: str, prefix: str) -> dict[str, bool]:
    return {
        "unread": {f"{prefix}read_at__isnull": True},
        "read": {f"{prefix}read_at__isnull": False},
        "acknowledged": {f"{prefix}acknowledged_at__isnull": False},
        "unacknowledged": {f"{prefix}acknowledged_at__isnull": True},
    }.get(state, {})


def inbox_count(user: Any, filters: MessageFilter, limit: int | None = None) -> int:
    """How many messages `inbox(user, filters)` lists; with `limit`, at most `limit` (the count stops there).
    Without words or a sending unit to look for, counted on the unit's recipient rows alone (the inbox_order
    index), not over the join with every message."""
    if not user.can_exchange:
        return 0
    if filters.q or filters.unit_id:
        listed = inbox(user, filters)
        return (listed if limit is None else listed[:limit]).count()
    if not filters.is_search:  # the unfiltered inbox: the statement compiled once per process (core.prepared)
        return INBOX_RECIPIENTS.count(user, limit=limit)
    rows = MessageRecipient.objects.filter(unit_id=user.unit_id, sent_at__isnull=False, **_inbox_state(filters.state, ""))
    start, end = _day_bounds(filters)
    if start:
        rows = rows.filter(sent_at__gte=start)
    if end:
        rows = rows.filter(sent_at__lt=end)
    if filters.priority:
        rows = rows.filter(priority_rank=PRIORITY_RANK[Priority(filters.priority)])
    return (rows if limit is None else rows.order_by()[:limit]).count()


class InboxPaginator(BoundedPaginator):
    """A paginator of the inbox whose count is `inbox_count` (the rows are `inbox`'s), bounded as BoundedPaginator's
    with `page` (the page number asked for), exact without it (the API's `count`). Counting a unit's whole inbox
    read 333,000 index entries per view at 1,000,000 messages (issue 19); the page itself reads its 25 rows from
    the index."""

    def __init__(self, user: Any, filters: MessageFilter, per_page: int, page: int | None = None) -> None:
        super().__init__(Later(lambda: inbox(user, filters)), per_page, page)  # built only when sliced
        self._user, self._filters = user, filters

    @cached_property
    def count(self) -> int:
        return inbox_count(self._user, self._filters, None if self.limit is None else self.limit + 1)


def count_attachments(messages: Any) -> list[Message]:
    """The messages (a page of the inbox) as a list, each with `attachment_count`: one query for the page."""
    rows = list(messages)
    counts = dict(Attachment.objects.filter(message__in=[m.pk for m in rows]).order_by().values("message")
                  .annotate(n=Count("pk")).values_list("message", "n")) if rows else {}
    for message in rows:
        message.attachment_count = counts.get(message.pk, 0)  # type: ignore[attr-defined]
    return rows


def outbox(user: Any, filters: MessageFilter) -> QuerySet[Message]:
    """Messages written by the user's unit, newest first, with per-recipient states prefetched."""
    if not user.can_exchange:
        return Message.objects.none()
    qs = (
        Message.objects.filter(sender_unit_id=user.unit_id)
        .select_related("author", "decided_by")
        .prefetch_related("recipients__unit")
        .annotate(attachment_count=Count("attachments", distinct=True))
    )
    qs = _common(qs, filters, date_field="created_at", unit_field="recipients__unit_id")
    if filters.state in OUTBOX_STATES:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-created_at")


def awaiting_approval(user: Any) -> QuerySet[Message]:
    """What a supervisor of the unit may approve (never their own messages)."""
    if not user.has_capability("supervisor") or not user.can_exchange:
        return Message.objects.none()
    return (
        Message.objects.filter(sender_unit_id=user.unit_id, state=MessageState.PENDING_APPROVAL)
        .exclude(author_id=user.pk)
        .select_related("author")
        .prefetch_related("recipients__unit")
        .order_by("priority_rank", "created_at")
    )


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False) or not user.can_exchange:
        return 0
    # sent_at is set on the recipient row when the message is sent (or received): no join with the messages
    return MessageRecipient.objects.filter(unit_id=user.unit_id, read_at__isnull=True, sent_at__isnull=False).count()


THREAD_LIMIT = 200


def _related_ids(start: Any, upward: bool) -> list[Any]:
    """Ids of the messages above `start` (its parents up to the root) or below it (replies, their replies...),
    whoever may see them, in one recursive query; at most THREAD_LIMIT."""
    table = connection.ops.quote_name(Message._meta.db_table)
    join = "m.id = t.parent" if upward else "m.in_reply_to_id = t.id"
    sql = (
        f"WITH RECURSIVE t(id, parent, depth) AS (SELECT id, in_reply_to_id, 0 FROM {table} WHERE id = %s "  # noqa: S608 (the model's quoted table name; values are parameters)
        f"UNION SELECT m.id, m.in_reply_to_id, t.depth + 1 FROM {table} m JOIN t ON {join} WHERE t.depth < %s) "
        f"SELECT id FROM t WHERE depth > 0 LIMIT %s"
    )
    pk: Any = Message._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk.get_db_prep_value(start, connection), THREAD_LIMIT, THREAD_LIMIT])
        return [pk.to_python(row[0]) for row in cursor.fetchall()]


def thread(message: Message, visible: QuerySet[Message]) -> list[Message]:
    """The visible messages of the thread that contains `message`, oldest first.

    Walks up through visible parents to the root, then down through visible replies (a reply the user
    may not see hides the replies to it). Four queries whatever the thread's length or depth."""
    root = message
    if message.in_reply_to_id is not None:
        above = _related_ids(message.pk, upward=True)
        parents = {m.pk: m for m in visible.filter(pk__in=above)} if above else {}
        seen = {root.pk}
        while root.in_reply_to_id is not None and root.in_reply_to_id not in seen and root.in_reply_to_id in parents:
            root = parents[root.in_reply_to_id]
            seen.add(root.pk)
    replies = _related_ids(root.pk, upward=False)
    # (no replies: no query to build; `pk__in=[]` would have run none either)
    below = list(visible.filter(pk__in=replies).select_related("sender_unit").order_by("created_at")) if replies else []
    members = [root]
    included = {root.pk}
    grew = True
    while grew and len(members) < THREAD_LIMIT:
        grew = False
        for child in below:
            if child.pk not in included and child.in_reply_to_id in included:
                members.append(child)
                included.add(child.pk)
                grew = True
    return sorted(members, key=lambda m: m.created_at)
