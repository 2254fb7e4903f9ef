"""The federation endpoint of the border-pass check: authenticated by the query's signature, not a session."""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from borderlink.border.federation import answer_check


@csrf_exempt  # authenticated by the query's signature
@require_POST
def pass_check(request: HttpRequest) -> JsonResponse:
    if len(request.body) > 16 * 1024:
        return JsonResponse({"error": "too_large"}, status=413)
    try:
        raw = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "malformed"}, status=400)
    status, answer = answer_check(raw if isinstance(raw, dict) else {})
    return JsonResponse(answer, status=status, json_dumps_params={"ensure_ascii": False})
