"""Posting queued envelopes to peers until a signed receipt comes back.

Envelopes are claimed with a lease, so several workers can run; per peer they
go in the order they were written, and a failure stops that peer's round so
that later changes never overtake earlier ones. Failures back off
exponentially with jitter; nothing is dropped.

For throughput the due envelopes of a peer travel in batches: one POST
carries up to BATCH_ENVELOPES individually signed envelopes (``{"batch":
[...]}``), the peer applies them in order, each in its own savepoint of one
transaction (one commit instead of one per envelope), stops at the first it
rejects, and answers with one signed receipt per envelope. The sender marks
the receipted prefix delivered in one transaction; the rejected envelope
backs off as before and the rest wait their turn. A batch leaves only once
the peer has answered for the one before; while it travels, the sender records
the previous receipts and leases the next batch. A batch of one (say, an
envelope too large to share a POST) goes as a plain signed envelope; a peer
that refuses batches (400) gets one envelope per POST. Connections to a peer
are kept open between requests (HTTP keep-alive) where the peer allows it.
"""

from __future__ import annotations

import datetime
import http.client
import json
import logging
import random
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from borderlink.federation import crypto, registry
from borderlink.federation.models import DeliveryState, OutboxEnvelope, Peer
from borderlink.federation.node import now_iso, signing_key, verify_from_peer

log = logging.getLogger(__name__)
LEASE_SECONDS = 60
MAX_BACKOFF_SECONDS = 3600
BATCH = 200  # envelopes sent to one peer in a round, before the next peer gets its turn
BATCH_ENVELOPES = 50  # envelopes per POST
BATCH_BYTES = 192 * 1024  # below the smallest size limit a peer is likely to set
TIMEOUT_SECONDS = 15
BATCH_TIMEOUT_SECONDS = 20  # with the next batch leased meanwhile, two of these stay within LEASE_SECONDS
PENDING = (DeliveryState.QUEUED, DeliveryState.FAILING)
ANSWER_MAX_BYTES = 4 * 1024 * 1024  # receipts for a batch are a few hundred bytes each; a peer's answer never needs more


def signed_body(envelope: OutboxEnvelope) -> dict[str, Any]:
    body = {
        "id": str(envelope.id),
        "sender": settings.NODE_NAME,
        "recipient": envelope.peer.node_id,
        "kind": envelope.kind,
        "object_id": envelope.object_id,
        "version": envelope.version,
        "payload": envelope.payload,
        "created_at": envelope.created_at.astimezone(datetime.UTC).isoformat(),
        "sent_at": now_iso(),
    }
    return {"envelope": body, "signature": crypto.sign(signing_key(envelope.peer), body)}


def backoff(attempts: int) -> datetime.timedelta:
    base = min(2 ** min(attempts, 12), MAX_BACKOFF_SECONDS)
    return datetime.timedelta(seconds=base * random.uniform(0.5, 1.5))  # noqa: S311 (jitter, not a secret)


def _encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")


def post_json(url: str, body: dict[str, Any], timeout: float) -> tuple[int, dict[str, Any]]:
    """One POST on a new connection (used for queries that are not deliveries). Only http(s) URLs:
    anything else raises URLError (an OSError: the peer is unreachable)."""
    if not url.startswith(("http://", "https://")):
        raise urllib.error.URLError(f"not an http(s) URL: {url[:80]}")
    request = urllib.request.Request(url, data=_encode(body), method="POST", headers={"Content-Type": "application/json"})  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (peer URL pinned by the admin, http(s))
            return response.status, _answer(response.read(ANSWER_MAX_BYTES + 1))
    except urllib.error.HTTPError as exc:
        return exc.code, _answer(exc.read(ANSWER_MAX_BYTES + 1))


def _answer(raw: bytes) -> dict[str, Any]:
    """A peer's answer parsed within bounds (size, nesting); {} when it is not a JSON object within them."""
    from borderlink.federation.inbox import Rejected, parse_json

    try:
        answer = parse_json(raw or b"{}", ANSWER_MAX_BYTES)
    except Rejected:
        return {}
    return answer if isinstance(answer, dict) else {}


# --- one kept-open connection per peer and thread -------------------------------------------------------

_local = threading.local()
_STALE = (http.client.RemoteDisconnected, http.client.BadStatusLine, ConnectionResetError, BrokenPipeError,
          ConnectionAbortedError)


def _connection(base_url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    pool: dict[str, http.client.HTTPConnection] = _local.__dict__.setdefault("connections", {})
    parts = urllib.parse.urlsplit(base_url)
    path = parts.path.rstrip("/") + "/federation/v1/envelopes"
    conn = pool.get(base_url)
    if conn is None:
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = pool[base_url] = cls(parts.hostname or "", parts.port, timeout=timeout)
    conn.timeout = timeout
    if conn.sock is not None:
        conn.sock.settimeout(timeout)
    return conn, path


def _drop(base_url: str) -> None:
    conn = _local.__dict__.get("connections", {}).pop(base_url, None)
    if conn is not None:
        conn.close()


def post_envelopes(peer: Peer, make_body: Callable[[], Any], timeout: float) -> tuple[int, dict[str, Any]]:
    """POST to the peer's envelope endpoint on the kept-open connection.

    If a connection that served earlier requests turns out to be closed by
    the peer, the request is made once more on a new one, with a body built
    (and signed) afresh: the same signed bytes twice would be a replay."""
    for attempt in (1, 2):
        conn, path = _connection(peer.base_url, timeout)
        reused = conn.sock is not None
        try:
            conn.request("POST", path, body=_encode(make_body()), headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            raw = response.read(ANSWER_MAX_BYTES + 1)
        except _STALE:
            _drop(peer.base_url)
            if reused and attempt == 1:
                continue
            raise
        except BaseException:
            _drop(peer.base_url)
            raise
        if response.will_close or len(raw) > ANSWER_MAX_BYTES:  # an answer left half read cannot share the connection
            _drop(peer.base_url)
        return response.status, _answer(raw)
    raise AssertionError("unreachable")


# --- receipts -------------------------------------------------------------------------------------------


def _check_receipt(peer: Peer, envelope: OutboxEnvelope, answer: Any) -> dict[str, Any]:
    """The peer's signed receipt for this envelope, or an exception saying why not."""
    if not isinstance(answer, dict):
        raise RuntimeError("no receipt")
    if "receipt" not in answer and "error" in answer:
        raise RuntimeError(f"HTTP {answer.get('status', '')}: {answer.get('error', '')} {answer.get('detail', '')}".strip())
    receipt, signature = answer.get("receipt"), answer.get("signature")
    if not isinstance(receipt, dict) or not verify_from_peer(peer, receipt, str(signature)):
        raise RuntimeError("the receipt's signature does not verify")
    if receipt.get("envelope_id") != str(envelope.id) or receipt.get("receiver") != peer.node_id:
        raise RuntimeError("the receipt is for another envelope")
    return answer


def _mark_delivered(done: list[tuple[OutboxEnvelope, dict[str, Any]]]) -> tuple[int, OutboxEnvelope | None, Exception | None]:
    """Record receipts in one transaction, in order; each envelope with what its kind does on delivery,
    in a savepoint. A failing hook stops there: that envelope is tried again (as a failure)."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for envelope, answer in done:
            try:
                with transaction.atomic():
                    OutboxEnvelope.objects.filter(pk=envelope.pk).update(
                        state=DeliveryState.DELIVERED, delivered_at=now, receipt=answer, leased_until=None, last_error=""
                    )
                    kind = registry.KINDS.get(envelope.kind)
                    if kind is not None and kind.delivered is not None:
                        kind.delivered(envelope)
            except Exception as exc:
                return count, envelope, exc
            count += 1
    return count, None, None


def _fail(peer: Peer, envelope: OutboxEnvelope, exc: Exception) -> None:
    attempts = envelope.attempts + 1
    OutboxEnvelope.objects.filter(pk=envelope.pk).update(
        state=DeliveryState.FAILING, attempts=attempts, last_error=str(exc)[:2000],
        next_attempt_at=timezone.now() + backoff(attempts), leased_until=None,
    )
    log.warning("delivery of %s to %s failed (attempt %d): %s", envelope.pk, peer.node_id, attempts, exc)


def _release(envelopes: list[OutboxEnvelope]) -> None:
    if envelopes:
        OutboxEnvelope.objects.filter(pk__in=[e.pk for e in envelopes]).update(leased_until=None)


# --- a round --------------------------------------------------------------------------------------------


def _claim(peer: Peer, now: datetime.datetime, single: bool, held: list[OutboxEnvelope] | None = None) -> list[OutboxEnvelope]:
    """Lease the next batch of this peer's due envelopes: the leading run, in order, after those
    this round already `held`, at most BATCH_ENVELOPES and about BATCH_BYTES (one envelope when
    `single`), in one transaction."""
    due = OutboxEnvelope.objects.filter(peer=peer, state__in=PENDING).order_by("created_at", "id")
    if held:
        due = due.exclude(pk__in=[e.pk for e in held])
    run: list[OutboxEnvelope] = []
    size = 0
    for envelope in due[: 1 if single else BATCH_ENVELOPES]:
        if envelope.next_attempt_at > now:
            break  # keep order: a later envelope never overtakes one that is backing off
        size += len(_encode(envelope.payload)) + 600
        if run and size > BATCH_BYTES:
            break
        run.append(envelope)
    if not run:
        return []
    with transaction.atomic():
        free = set(
            OutboxEnvelope.objects.select_for_update()
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now), pk__in=[e.pk for e in run], state__in=PENDING)
            .values_list("pk", flat=True)
        )
        claimed = []
        for envelope in run:
            if envelope.pk not in free:
                break  # another worker holds it (or delivered it): what follows must wait
            claimed.append(envelope)
        if claimed:
            OutboxEnvelope.objects.filter(pk__in=[e.pk for e in claimed]).update(
                leased_until=timezone.now() + datetime.timedelta(seconds=LEASE_SECONDS)
            )
    for envelope in claimed:
        envelope.peer = peer
    return claimed


_single_only: set[str] = set()  # peers that did not take a batch (an older version): one envelope per POST


def _send(peer: Peer, batch: list[OutboxEnvelope]) -> list[tuple[OutboxEnvelope, Any]] | None:
    """Post the envelopes; pair each with its answer (a prefix when the peer stopped early).
    None when the peer refused the batch as such (malformed or too large)."""
    if len(batch) == 1:
        status, answer = post_envelopes(peer, lambda: signed_body(batch[0]), TIMEOUT_SECONDS)
        if status != 200:
            answer = {"error": answer.get("error", ""), "detail": answer.get("detail", ""), "status": status}
        return [(batch[0], answer)]
    status, answer = post_envelopes(peer, lambda: {"batch": [signed_body(e) for e in batch]}, BATCH_TIMEOUT_SECONDS)
    receipts = answer.get("receipts")
    if status == 200 and isinstance(receipts, list):
        return list(zip(batch, receipts[: len(batch)], strict=False))  # fewer receipts when the batch stopped
    if status == 400:
        log.warning("%s refused a batch of envelopes (%s); sending one at a time", peer.node_id, answer.get("detail", ""))
        _single_only.add(peer.base_url)
        return None
    if status == 413:
        return None
    raise RuntimeError(f"HTTP {status}: {answer.get('error', '')} {answer.get('detail', '')}".strip())


def _deliver_one(peer: Peer, envelope: OutboxEnvelope, counts: dict[str, int]) -> bool:
    """Send one claimed envelope on its own and record the outcome; False when the peer's round must stop."""
    failed: tuple[OutboxEnvelope, Exception] | None
    try:
        answers = _send(peer, [envelope]) or []
    except Exception as exc:
        answers, failed = [], (envelope, exc)
    else:
        done, failed = _receipted(peer, answers, [envelope])
        delivered, hook_failed, hook_exc = _mark_delivered(done)
        counts["delivered"] += delivered
        if hook_failed is not None and hook_exc is not None:
            failed = (hook_failed, hook_exc)
    if failed is None:
        return True
    _fail(peer, failed[0], failed[1])
    counts["failed"] += 1
    return False


_executor: ThreadPoolExecutor | None = None


def _http() -> ThreadPoolExecutor:
    """One thread that does the HTTP (and keeps the connections); the database work stays in the caller's."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="federation-http")
    return _executor


def _receipted(peer: Peer, answers: list[tuple[OutboxEnvelope, Any]], batch: list[OutboxEnvelope]
               ) -> tuple[list[tuple[OutboxEnvelope, dict[str, Any]]], tuple[OutboxEnvelope, Exception] | None]:
    """The leading envelopes with a good receipt, and the first one without (with the reason)."""
    done: list[tuple[OutboxEnvelope, dict[str, Any]]] = []
    for envelope, answer in answers:
        try:
            done.append((envelope, _check_receipt(peer, envelope, answer)))
        except Exception as exc:
            return done, (envelope, exc)
    if len(answers) < len(batch):
        return done, (batch[len(answers)], RuntimeError("the peer answered for only part of the batch"))
    return done, None


def _deliver_peer(peer: Peer, now: datetime.datetime, counts: dict[str, int]) -> None:
    """Send this peer's due envelopes batch after batch, in order.

    A batch leaves only once the peer has answered for the one before (so the peer applies them
    in order); while it is on its way, this thread records the receipts of the previous batch and
    leases the next one, so that the two nodes work at the same time."""
    if peer.base_url in _single_only:
        sent = 0
        while sent < BATCH:
            batch = _claim(peer, now, single=True)
            if not batch or not _deliver_one(peer, batch[0], counts):
                return
            sent += 1
        return
    batch = _claim(peer, now, single=False)
    if not batch:
        return
    future: Future = _http().submit(_send, peer, batch)
    sent = len(batch)
    while True:
        following = _claim(peer, now, single=False, held=batch) if sent < BATCH else []
        try:
            answers = future.result()
        except Exception as exc:
            _fail(peer, batch[0], exc)
            _release(batch[1:] + following)
            counts["failed"] += 1
            return
        if answers is None:  # refused as a batch: these one by one, the rest in a later round
            _release(following)
            for position, envelope in enumerate(batch):
                if not _deliver_one(peer, envelope, counts):
                    _release(batch[position + 1:])
                    return
            return
        done, failed = _receipted(peer, answers, batch)
        next_future: Future | None = None
        if failed is None and following:
            next_future = _http().submit(_send, peer, following)
        else:
            _release(following)
            following = []
        delivered, hook_failed, hook_exc = _mark_delivered(done)
        counts["delivered"] += delivered
        if hook_failed is not None and hook_exc is not None:
            failed = (hook_failed, hook_exc)
        if failed is not None:
            _fail(peer, failed[0], failed[1])
            _release(batch[batch.index(failed[0]) + 1:])
            counts["failed"] += 1
            if next_future is not None:  # already applied by the peer; its receipts are fetched again later
                next_future.exception()
                _release(following)
            return
        if next_future is None:
            return
        batch, future = following, next_future
        sent += len(batch)


def deliver_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """One round: for each peer, post its due envelopes in order; return counts."""
    now = now or timezone.now()
    counts = {"delivered": 0, "failed": 0}
    for peer in Peer.objects.filter(is_active=True):
        _deliver_peer(peer, now, counts)
    return counts


def retry_now(envelope_id: Any) -> int:
    """Let an administrator try a failing envelope again at once."""
    return OutboxEnvelope.objects.filter(pk=envelope_id, state=DeliveryState.FAILING).update(next_attempt_at=timezone.now())
