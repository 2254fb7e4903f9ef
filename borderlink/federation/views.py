"""The two doors peers knock on: envelopes, and hit/no-hit search queries.

Both are open to the network (a peer authenticates by its signature), so both
refuse cheaply before any work: a rate limit per source address, a size and a
nesting bound on the body (400, never 500), and 503 with the reason while the
node has no key to sign its answers with."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from borderlink.federation.inbox import Unauthenticated, parse_json, receive, refuse
from borderlink.federation.node import key_problem

SEARCH_MAX_BYTES = 64 * 1024


def _answer(status: int, body: dict) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _gate(request: HttpRequest, group: str) -> JsonResponse | None:
    """503 while the node cannot sign; 429 past the per-address rate. None: go on."""
    problem = key_problem()
    if problem:
        return _answer(503, {"error": "no_node_key", "detail": problem})
    if is_ratelimited(request, group=group, key="ip", rate=settings.FEDERATION_RATE_PER_ADDRESS, increment=True):
        refuse(b"", Unauthenticated(429, "rate_limited", f"more than {settings.FEDERATION_RATE_PER_ADDRESS} from one address"))
        return _answer(429, {"error": "rate_limited", "detail": f"at most {settings.FEDERATION_RATE_PER_ADDRESS}"})
    return None


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt  # authenticated by the envelope's signature, not by a session
@require_POST
def envelopes(request: HttpRequest) -> JsonResponse:
    refused = _gate(request, "federation-envelopes")
    if refused is not None:
        return refused
    length = _declared_length(request)
    if length > settings.FEDERATION_MAX_BYTES:
        # Refused before reading, so an oversized body costs this node nothing.
        status, answer = receive(b"", declared_length=length, request=request)
    else:
        status, answer = receive(request.body, request=request)
    return _answer(status, answer)


@csrf_exempt  # authenticated by the query's signature
@require_POST
def search(request: HttpRequest) -> JsonResponse:
    from borderlink.federation.search import answer_query

    refused = _gate(request, "federation-search")
    if refused is not None:
        return refused
    body = b"" if _declared_length(request) > SEARCH_MAX_BYTES else request.body
    try:
        if not body and _declared_length(request):
            raise Unauthenticated(413, "too_large", f"at most {SEARCH_MAX_BYTES} bytes")
        raw = parse_json(body, SEARCH_MAX_BYTES, max_depth=4)
    except Unauthenticated as exc:
        refuse(body, exc)
        return _answer(exc.status, {"error": exc.reason, "detail": exc.detail})
    status, answer = answer_query(raw if isinstance(raw, dict) else {})
    return _answer(status, answer)
