"""Cross-border name search, hit or no hit (as in the Prüm model).

The asking node sends a signed query to each peer; each peer searches only the
notices it issued and shared with the asking country, and answers, signed,
with references (notice id, kind, issuing unit, score) and no personal data.
Details follow through a request. Both sides audit the query. A peer that
does not answer within a few seconds is reported unreachable.
"""

from __future__ import annotations

import datetime
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from borderlink.audit.services import record
from borderlink.federation import crypto, registry
from borderlink.federation.delivery import post_json
from borderlink.federation.models import Peer
from borderlink.federation.node import now_iso, signing_key, verify_from_peer

MAX_HITS = 20


@dataclass
class PeerAnswer:
    peer: Peer
    status: str  # "ok", "unreachable", "error"
    hits: list[dict[str, Any]] = field(default_factory=list)
    detail: str = ""


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
    hits = [h for h in content.get("hits", []) if isinstance(h, dict)][:MAX_HITS]
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


def answer_query(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A peer's signed query: search what the asking country may see, answer with references only."""
    query, signature = raw.get("query"), raw.get("signature")
    if not isinstance(query, dict) or not isinstance(signature, str):
        return 400, {"error": "malformed"}
    peer = Peer.objects.filter(node_id=str(query.get("sender", "")), is_active=True).first()
    if peer is None:
        return 403, {"error": "unknown_sender"}
    if not verify_from_peer(peer, query, signature) or query.get("recipient") != settings.NODE_NAME:
        return 403, {"error": "bad_signature"}
    try:
        sent_at = datetime.datetime.fromisoformat(str(query.get("sent_at")))
        if abs((timezone.now() - sent_at).total_seconds()) > settings.FEDERATION_CLOCK_SKEW_SECONDS:
            return 400, {"error": "stale"}
    except (ValueError, TypeError):
        return 400, {"error": "malformed"}
    if query.get("asking_country") != peer.country_id:
        return 403, {"error": "wrong_country"}
    scope = str(query.get("scope") or "notices")
    answerer = registry.SEARCH.get(scope) if scope in ("notices", "identifiers") else None
    if answerer is None:
        return 503, {"error": "unavailable"}
    q, document, hits = answerer(peer, str(query.get("q", ""))[:200], str(query.get("document", ""))[:120], MAX_HITS)
    record(None, "federation.search.answered", object_type="peer", object_id=peer.node_id,
           data={"query": str(query.get("id", "")), "asking_user": str(query.get("asking_user", ""))[:150],
                 "asking_unit": str(query.get("asking_unit", ""))[:60], "q": q, "document": document, "hits": len(hits),
                 "scope": scope})
    answer = {"query_id": str(query.get("id", "")), "responder": settings.NODE_NAME, "hits": hits, "at": now_iso()}
    return 200, {"answer": answer, "signature": crypto.sign(signing_key(peer), answer)}
