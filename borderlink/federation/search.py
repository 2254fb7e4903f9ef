"""Cross-border name search, hit or no hit (as in the Prüm model).

The asking node sends a signed query to each peer; each peer searches only the
notices it issued and shared with the asking country, and answers, signed,
with references (notice id, kind, issuing unit, score) and no personal data.
Details follow through a request. Both sides audit the query. A peer that
does not answer within a few seconds is reported unreachable.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from pydantic import Field
from pydantic import ValidationError as SchemaError

from borderlink.audit.services import record
from borderlink.federation import crypto, registry, schema
from borderlink.federation.delivery import post_json
from borderlink.federation.models import Peer
from borderlink.federation.node import now_iso, signing_key, verify_from_peer
from borderlink.federation.schema import Code, Country, Moment, NodeId, Strict, parse_payload

MAX_HITS = 20


@dataclass
class PeerAnswer:
    peer: Peer
    status: str  # "ok", "unreachable", "error"
    hits: list[dict[str, Any]] = field(default_factory=list)
    detail: str = ""


class AnswerHit(Strict):
    notice: uuid.UUID
    kind: str = Field(max_length=20, pattern=r"^[a-z_]+$")
    issuing_unit: Code
    score: float = Field(ge=0, le=1)


class CaseHit(Strict):
    """An identifier hit: a reference to a joint case of the peer's that the asking country takes part in."""

    case: uuid.UUID
    reference: str = Field(max_length=40)
    lead_unit: Code
    kind: str = Field(max_length=20, pattern=r"^[a-z_]+$")


class AnswerPayload(Strict):
    """A peer's signed answer: references only, at most MAX_HITS of them (notices, or cases for identifiers)."""

    query_id: uuid.UUID
    responder: NodeId
    hits: list[AnswerHit | CaseHit] = Field(default_factory=list, max_length=MAX_HITS)
    at: Moment


def _ask(peer: Peer, query: dict[str, Any]) -> PeerAnswer:
    body = dict(query, recipient=peer.node_id)
    signed = {"query": body, "signature": crypto.sign(signing_key(peer), body)}
    try:
        status, answer = post_json(f"{peer.base_url}/federation/v1/search", signed, timeout=settings.FEDERATION_TIMEOUT_SECONDS)
    except OSError as exc:  # refused, timed out, DNS: the peer is unreachable
        return PeerAnswer(peer, "unreachable", detail=str(exc)[:200])
    finally:
        close_old_connections()
    content, signature = answer.get("answer"), answer.get("signature")
    if status != 200 or not isinstance(content, dict):
        return PeerAnswer(peer, "error", detail=f"HTTP {status}: {answer.get('error', '')}")
    if not verify_from_peer(peer, content, str(signature)) or content.get("query_id") != body["id"]:
        return PeerAnswer(peer, "error", detail="the answer's signature does not verify")
    try:
        checked = parse_payload(AnswerPayload, content)
    except SchemaError:
        return PeerAnswer(peer, "error", detail="the answer is not a hit/no-hit answer")
    hits: list[dict[str, Any]] = [
        {"notice": str(h.notice), "kind": str(h.kind), "issuing_unit": h.issuing_unit, "score": h.score}
        if isinstance(h, AnswerHit) else
        {"case": str(h.case), "reference": h.reference, "lead_unit": h.lead_unit, "kind": h.kind}
        for h in checked.hits]
    return PeerAnswer(peer, "ok", hits=hits)


def search_peers(user: Any, q: str, document: str = "", scope: str = "notices") -> list[PeerAnswer]:
    """Ask every active peer at once; each answer (or silence) is audited here. `scope` names the peer's
    answerer (registry.SEARCH): "notices" (a name or document), "identifiers" (q: the kind, document: the
    normalised identifier; registered by the cases app)."""
    peers = list(Peer.objects.filter(is_active=True).select_related("country"))
    if not peers or not (q.strip() or document.strip()):
        return []
    query = {
        "id": str(uuid.uuid4()), "sender": settings.NODE_NAME, "asking_country": settings.NODE_COUNTRY,
        "asking_user": user.get_username(), "asking_unit": user.unit.code if user.unit_id else "",
        "q": q.strip()[:200], "document": document.strip()[:120], "sent_at": now_iso(), "scope": scope,
    }
    with ThreadPoolExecutor(max_workers=len(peers)) as pool:
        answers = list(pool.map(lambda p: _ask(p, query), peers))
    for answer in answers:
        record(user, "federation.search.sent", object_type="peer", object_id=answer.peer.node_id,
               data={"query": query["id"], "q": query["q"], "document": query["document"], "status": answer.status,
                     "hits": len(answer.hits), "scope": scope})
    return answers


class QueryPayload(Strict):
    """A peer's signed hit/no-hit query. Who asked is the peer's claim: recorded as such, never as a user here."""

    id: uuid.UUID
    sender: NodeId
    recipient: NodeId
    asking_country: Country
    asking_user: schema.text(150) = ""  # type: ignore[valid-type]
    asking_unit: schema.text(40) = ""  # type: ignore[valid-type]
    q: schema.text(200) = ""  # type: ignore[valid-type]
    document: schema.text(120) = ""  # type: ignore[valid-type]
    scope: Literal["notices", "identifiers"] = "notices"
    sent_at: Moment


# Every answer takes at least this long, whatever it finds, so that its timing tells nothing about the result.
MIN_ANSWER_SECONDS = 0.05


def answer_query(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A peer's signed query: search what the asking country may see, answer with references only.
    Answers that reach the search take at least MIN_ANSWER_SECONDS (monotonic clock), hit or no hit."""
    started = time.monotonic()
    status, answer = _answer_query(raw)
    if status == 200:
        left = MIN_ANSWER_SECONDS - (time.monotonic() - started)
        if left > 0:
            time.sleep(left)
    return status, answer


def _answer_query(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    query, signature = raw.get("query"), raw.get("signature")
    if set(raw) != {"query", "signature"} or not isinstance(query, dict) or not isinstance(signature, str) or len(signature) > 100:
        return 400, {"error": "malformed"}
    peer = Peer.objects.filter(node_id=str(query.get("sender", ""))[:60], is_active=True).first()
    if peer is None or not query.get("sender"):
        return 403, {"error": "unknown_sender"}
    if not verify_from_peer(peer, query, signature) or query.get("recipient") != settings.NODE_NAME:
        return 403, {"error": "bad_signature"}
    try:
        checked = parse_payload(QueryPayload, query)
    except SchemaError as exc:
        return 400, {"error": "malformed", "detail": str(exc)[:500]}
    if abs((timezone.now() - checked.sent_at).total_seconds()) > settings.FEDERATION_CLOCK_SKEW_SECONDS:
        return 400, {"error": "stale"}
    if checked.asking_country != peer.country_id:
        return 403, {"error": "wrong_country"}
    answerer = registry.SEARCH.get(checked.scope)
    if answerer is None:
        return 503, {"error": "unavailable"}
    q, document, hits = answerer(peer, checked.q, checked.document, MAX_HITS)
    record(None, "federation.search.answered", object_type="peer", object_id=peer.node_id,
           data={"query": str(checked.id), "claimed_by_peer": {"asking_user": checked.asking_user,
                                                              "asking_unit": checked.asking_unit},
                 "q": q, "document": document, "hits": len(hits), "scope": checked.scope})
    answer = {"query_id": str(checked.id), "responder": settings.NODE_NAME, "hits": hits, "at": now_iso()}
    return 200, {"answer": answer, "signature": crypto.sign(signing_key(peer), answer)}
