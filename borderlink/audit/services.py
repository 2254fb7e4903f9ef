"""Appending to and verifying the audit chain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from borderlink.audit.models import GENESIS_HASH, AuditEvent, AuditHead


def _client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def record(
    actor: Any,
    action: str,
    *,
    object_type: str = "",
    object_id: Any = "",
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    Runs inside the caller's transaction (or its own): the head row is locked,
    so concurrent appends are serialised and the chain has no forks. `actor`
    is a user or None for the system. Everything that does not depend on the
    head is prepared before the lock; under it run three statements: lock and
    read the head, insert the event, move the head.
    """
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    unit = getattr(actor, "unit", None) if authenticated else None
    event = AuditEvent(
        actor_id=actor.pk if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        actor_unit=unit.code if unit is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        data=data or {},
        ip=_client_ip(request),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _append(cursor, event)
        return event
    with transaction.atomic(), connection.cursor() as cursor:
        _append_in_steps(cursor, event)
    return event


def _append_in_steps(cursor: Any, event: AuditEvent) -> None:
    """Lock and read the head, insert the event, move the head: three statements in the caller's
    transaction (SQLite: one writer at a time anyway). The lock is held until that transaction ends."""
    head = _locked_head(cursor)
    event.seq = head[0] + 1
    event.prev_hash = head[1]
    event.created_at = timezone.now()
    event.hash = event.compute_hash()
    _insert(cursor, event)
    cursor.execute(f"UPDATE {_table(AuditHead)} SET last_seq = %s, last_hash = %s WHERE id = 1", [event.seq, event.hash])  # noqa: S608 (quoted table and column names from the models; values are parameters)


def _canonical_middle(event: AuditEvent) -> str:
    """The part of the event's canonical form (AuditEvent.canonical) between its sequence number and
    its previous hash, with their separating commas: ``canonical == "[" + seq + middle + '"' + prev_hash + '"]'``."""
    whole = json.dumps([0, *event.canonical_fields()[1:-1], ""], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return whole[len("[0"):-len('""]')]


def _append_one_statement(cursor: Any, event: AuditEvent) -> None:
    """PostgreSQL: lock the head, compute the event's hash, move the head and insert the event in ONE
    statement, so the head is locked for the statement only (plus the commit when the caller runs no
    transaction: a page view), never across round trips between this process and the database.

    The hash is the same SHA-256 of the same canonical form as in Python (AuditEvent.compute_hash):
    the database fills in the sequence number and the previous hash, which only it knows under the lock;
    `audit_verify` recomputes it in Python. READ COMMITTED: FOR UPDATE waits for a concurrent append and
    then reads the head it left, and the UPDATE writes from those values."""
    event.created_at = timezone.now()
    middle = _canonical_middle(event)
    head, table = _table(AuditHead), _table(AuditEvent)
    fields: list[Any] = [AuditEvent._meta.get_field(name) for name in _COLUMNS if name not in ("seq", "prev_hash", "hash")]
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    q = connection.ops.quote_name
    sql = (
        f"WITH old AS (SELECT last_seq, last_hash FROM {head} WHERE id = 1 FOR UPDATE), "  # noqa: S608 (quoted names from the models; values are parameters)
        f"new AS (UPDATE {head} SET last_seq = old.last_seq + 1, last_hash = encode(sha256(convert_to("
        f"'[' || (old.last_seq + 1)::text || %s || '\"' || old.last_hash || '\"]', 'UTF8')), 'hex') FROM old "
        f"WHERE {head}.id = 1 RETURNING {head}.last_seq AS seq, old.last_hash AS prev_hash, {head}.last_hash AS hash) "
        f"INSERT INTO {table} ({', '.join(q(f.column) for f in fields)}, {q('seq')}, {q('prev_hash')}, {q('hash')}) "
        f"SELECT {', '.join(['%s'] * len(fields))}, new.seq, new.prev_hash, new.hash FROM new "
        f"RETURNING {q('id')}, {q('seq')}, {q('prev_hash')}, {q('hash')}"
    )
    cursor.execute(sql, [middle, *values])
    row = cursor.fetchone()
    if row is None:  # databases migrated before the head row existed
        AuditHead.objects.get_or_create(pk=1)
        cursor.execute(sql, [middle, *values])
        row = cursor.fetchone()
    event.pk, event.seq, event.prev_hash, event.hash = row
    event._state.adding = False
    event._state.db = connection.alias


_append = _append_one_statement  # bench/audit_append.py measures the alternatives by swapping this


# Written in SQL: on every search the ORM's query building cost more than the three statements themselves.
_COLUMNS = ("seq", "created_at", "actor_id", "actor_username", "actor_unit", "action", "object_type", "object_id",
            "data", "ip", "prev_hash", "hash")


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _locked_head(cursor: Any) -> tuple[int, str]:
    """(last_seq, last_hash) of the head row, locked until the end of the transaction
    (FOR UPDATE on PostgreSQL; SQLite transactions here begin IMMEDIATE: one writer at a time)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT last_seq, last_hash FROM {_table(AuditHead)} WHERE id = 1{lock}"  # noqa: S608 (quoted table and column names from the models; values are parameters)
    cursor.execute(sql)
    head = cursor.fetchone()
    if head is None:  # databases migrated before the head row existed
        AuditHead.objects.get_or_create(pk=1)
        cursor.execute(sql)
        head = cursor.fetchone()
    return int(head[0]), str(head[1])


def _insert(cursor: Any, event: AuditEvent) -> None:
    fields: list[Any] = [AuditEvent._meta.get_field(name) for name in _COLUMNS]
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted table and column names from the models; values are parameters)
        _table(AuditEvent), ", ".join(connection.ops.quote_name(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    if connection.features.can_return_columns_from_insert:
        cursor.execute(sql + " RETURNING id", values)
        event.pk = cursor.fetchone()[0]
    else:
        cursor.execute(sql, values)
        event.pk = cursor.lastrowid
    event._state.adding = False
    event._state.db = connection.alias


@dataclass
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""
    checkpoints_checked: int = 0
    checkpoint: Any = None  # the first checkpoint that no longer matches (checkpoints.Mismatch)


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain(checkpoints: list[tuple[int, int, str, str]] | None = None) -> ChainReport:
    """Recompute every link; report the first that is broken (changed, deleted or reordered).

    `checkpoints` are signed checkpoints already checked for their signature
    (``(index, seq, hash, signed_at)``, see audit.checkpoints): the chain must hold
    event `seq` with that very hash. A chain cut short (head row moved back) or
    rewritten with every later hash recomputed passes the link check but not this
    one; the report names the first checkpoint that no longer matches."""
    from borderlink.audit.checkpoints import Mismatch

    pending = sorted(checkpoints or [], key=lambda c: (c[1], c[0]))
    position = 0
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in _events():
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"event {expected_seq} is missing", position)
        if event.prev_hash != prev_hash:
            return ChainReport(False, checked, event.seq, "does not link to the event before it", position)
        if event.compute_hash() != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash", position)
        while position < len(pending) and pending[position][1] == event.seq:
            index, seq, digest, signed_at = pending[position]
            if digest != event.hash:
                mismatch = Mismatch(index, seq, signed_at, f"event {seq} has another hash (rewritten from there or before)")
                return ChainReport(False, checked, seq, str(mismatch), position, mismatch)
            position += 1
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    if position < len(pending):
        index, seq, _digest, signed_at = pending[position]
        mismatch = Mismatch(index, seq, signed_at, f"the chain ends at event {checked} (events were removed)")
        return ChainReport(False, checked, checked + 1, str(mismatch), position, mismatch)
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != checked or (head and head.last_hash != prev_hash):
        return ChainReport(False, checked, checked + 1, f"events after {checked} are missing", position)
    return ChainReport(True, checked, checkpoints_checked=position)
