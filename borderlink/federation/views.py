from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from borderlink.federation.inbox import receive


@csrf_exempt  # authenticated by the envelope's signature, not by a session
@require_POST
def envelopes(request: HttpRequest) -> JsonResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.FEDERATION_MAX_BYTES:
        # Refused before reading, so an oversized body costs this node nothing.
        status, answer = receive(b"x" * 0, declared_length=length)
    else:
        status, answer = receive(request.body)
    return JsonResponse(answer, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # authenticated by the query's signature
@require_POST
def search(request: HttpRequest) -> JsonResponse:
    import json

    from borderlink.federation.search import answer_query

    if len(request.body) > 64 * 1024:
        return JsonResponse({"error": "too_large"}, status=413)
    try:
        raw = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "malformed"}, status=400)
    status, answer = answer_query(raw if isinstance(raw, dict) else {})
    return JsonResponse(answer, status=status, json_dumps_params={"ensure_ascii": False})
