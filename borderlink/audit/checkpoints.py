"""Signed checkpoints of the audit chain, kept outside the database and witnessed by peers.

The hash chain alone shows a changed row, but not a chain cut short with its
head row moved, nor one rewritten from some row on with every later hash
recomputed: whoever can write the database can do both. So, as Certificate
Transparency does with its signed tree heads and gossip (RFC 9162, sections
4.10 and 8.3), the node signs a checkpoint of the chain, ``(seq, hash)`` of the
last event, with its Ed25519 node key:

- at least every ``BORDERLINK_AUDIT_CHECKPOINT_SECONDS`` (at most an hour) and at
  each daily job, by the worker;
- appends it to ``BORDERLINK_AUDIT_CHECKPOINT_FILE`` (one JSON line each), outside
  the database;
- sends it to every peer as an ``audit.checkpoint`` envelope; each peer checks
  the signature against the key it pinned and keeps it as a witnessed checkpoint
  (``WitnessedCheckpoint``), refusing one that contradicts what it already holds.

``audit_verify`` then checks the chain against the node's own checkpoints and,
with ``--peers``, against the checkpoints the peers witnessed, and names the
first checkpoint the chain no longer matches.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from borderlink.audit.models import AuditHead

Record = dict[str, Any]  # {"checkpoint": {node_id, seq, hash, signed_at, public_key}, "signature": base64}


def _now() -> str:
    return timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def read_file(path: Path | None = None) -> list[Record]:
    """The checkpoints in the file, in order; lines that are not JSON objects are kept as they are
    (``{"unreadable": line}``) so that verification can name them."""
    path = path or settings.AUDIT_CHECKPOINT_FILE
    if not path.exists():
        return []
    records: list[Record] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        records.append(item if isinstance(item, dict) else {"unreadable": line[:200]})
    return records


def sign(force: bool = False) -> Record | None:
    """Sign a checkpoint of the chain's head, append it to the file and queue it for every peer.

    Returns the record, or None when there is nothing new to sign (the head has not moved
    since the last checkpoint, unless `force`) or this node has no key yet. Several workers
    may call this at once: the file is locked while the last checkpoint is read and the new
    one appended."""
    from borderlink.federation import crypto
    from borderlink.federation.node import has_key, private_key

    if not has_key():
        return None
    path: Path = settings.AUDIT_CHECKPOINT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
    with os.fdopen(fd, "r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        head = AuditHead.objects.filter(pk=1).first()
        seq, digest = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
        previous = [r for r in read_file(path) if isinstance(r.get("checkpoint"), dict)]
        if previous and not force and previous[-1]["checkpoint"].get("seq") == seq:
            return None
        if seq == 0:
            return None
        key = private_key()
        body = {"node_id": settings.NODE_NAME, "seq": seq, "hash": digest, "signed_at": _now(),
                "public_key": crypto.b64(crypto.public_bytes(key))}
        item: Record = {"checkpoint": body, "signature": crypto.sign(key, body)}
        handle.seek(0, os.SEEK_END)
        handle.write(json.dumps(item, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    _send_to_peers(item)
    return item


def _send_to_peers(item: Record) -> None:
    from django.db import transaction

    from borderlink.federation.models import Peer
    from borderlink.federation.outbox import enqueue

    with transaction.atomic():
        for peer in Peer.objects.filter(is_active=True):
            enqueue(peer.country_id, "audit.checkpoint", item["checkpoint"]["seq"], item)


def last_signed_at(path: Path | None = None) -> datetime.datetime | None:
    """When the last checkpoint in the file was signed (reads only the file's tail)."""
    path = path or settings.AUDIT_CHECKPOINT_FILE
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4096))
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    for line in reversed(lines):
        try:
            item = json.loads(line)
            return datetime.datetime.fromisoformat(str(item["checkpoint"]["signed_at"]).replace("Z", "+00:00"))
        except (ValueError, KeyError, TypeError):
            continue
    return None


def due(now: datetime.datetime | None = None) -> bool:
    """Whether the last checkpoint is older than BORDERLINK_AUDIT_CHECKPOINT_SECONDS at `now` (default: the
    real time, which the checkpoints are signed with) or there is none."""
    last = last_signed_at()
    if last is None:
        return True
    return ((now or timezone.now()) - last).total_seconds() >= settings.AUDIT_CHECKPOINT_SECONDS


def sign_if_due(now: datetime.datetime | None = None) -> Record | None:
    """The worker's hourly step: sign when the interval has passed at `now` (default: the real time) and the
    head moved."""
    return sign() if due(now) else None


# --- verification -----------------------------------------------------------------------------------


@dataclass
class Mismatch:
    """The first checkpoint the chain no longer matches."""

    index: int  # 1-based position in the file, or in the peer's list
    seq: int
    signed_at: str
    reason: str

    def __str__(self) -> str:
        return f"checkpoint #{self.index} (event {self.seq}, signed {self.signed_at}) no longer matches: {self.reason}"


def own_public_keys() -> set[str]:
    """This node's keys a checkpoint may be signed with: the current one and any it rotated away from."""
    from borderlink.federation import crypto
    from borderlink.federation.node import has_key, private_key, retired_public_keys

    keys = set(retired_public_keys())
    if has_key():
        keys.add(crypto.b64(crypto.public_bytes(private_key())))
    return keys


def checked_records(records: Iterable[Record], keys: set[str]) -> tuple[list[tuple[int, int, str, str]], Mismatch | None]:
    """Check each record's signature and shape: a list of (index, seq, hash, signed_at) in order,
    or the first record that is not a valid checkpoint of this node."""
    from borderlink.federation import crypto

    good: list[tuple[int, int, str, str]] = []
    for index, item in enumerate(records, 1):
        body = item.get("checkpoint") if isinstance(item, dict) else None
        if not isinstance(body, dict) or not isinstance(body.get("seq"), int) or not isinstance(body.get("hash"), str):
            return good, Mismatch(index, 0, "?", "not a checkpoint (the file was changed)")
        signed_at = str(body.get("signed_at", "?"))
        key = str(body.get("public_key", ""))
        try:
            raw_key = crypto.unb64(key)
        except ValueError:
            raw_key = b""
        if key not in keys or len(raw_key) != 32 or not crypto.verify(raw_key, body, str(item.get("signature", ""))):
            return good, Mismatch(index, body["seq"], signed_at, "its signature does not verify with this node's key")
        if body.get("node_id") != settings.NODE_NAME:
            return good, Mismatch(index, body["seq"], signed_at, f"it is another node's ({body.get('node_id')})")
        good.append((index, body["seq"], body["hash"], signed_at))
    return good, None
