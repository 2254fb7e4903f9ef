"""Refuse NUL characters and bidirectional text controls (core.text.BIDI_CONTROLS: "\u202egpj.exe" shows as
"exe.jpg") in anything a request carries, before any view sees it; and answer a body over
DATA_UPLOAD_MAX_MEMORY_SIZE (or with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields) with 413/400 in the
reader's language, JSON on the API and the error page on pages, instead of Django's bare English page and a
logged traceback.

PostgreSQL text and JSON columns cannot hold U+0000, so a NUL in a query string, a form, a JSON body or
the path would reach the database (a search term, an audit event's details) and fail there with a 500.
No field of Borderlink accepts it (Django's form fields already refuse it), so it is refused once, here,
with a 400 naming the fields in the reader's language (for the API: the token owner's).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from borderlink.core.text import BIDI_CONTROLS

NUL = "\x00"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(text: str) -> bool:
    return NUL in text


def _has_bidi(text: str) -> bool:
    return BIDI_CONTROLS.search(text) is not None


def _paths(value: Any, bad: Callable[[str], bool], path: str = "") -> Iterator[str]:
    """Dotted paths of the strings (keys or values) in parsed JSON for which `bad` holds."""
    if isinstance(value, str):
        if bad(value):
            yield path or "__all__"
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if bad(str(key)):
                yield child
            yield from _paths(item, bad, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, bad, f"{path}.{index}" if path else str(index))


def _fields_with(request: HttpRequest, bad: Callable[[str], bool]) -> list[str]:
    fields = ["__all__"] if bad(request.path) else []
    fields += [key for key, values in request.GET.lists() if bad(key) or any(bad(v) for v in values)]
    content_type = request.content_type or ""
    if request.path.startswith("/federation/"):
        return fields  # a peer's envelope is parsed once, cheaply and strictly, by the federation inbox
    writes = request.method in ("POST", "PUT", "PATCH")
    if writes and request.path.startswith("/api/") and content_type not in _FORMS and not request.body:
        # An API step sent with no body at all (`curl -X POST …/approve`) means "no fields": the same as `{}`,
        # so that a step whose fields are all optional needs none, and one with a required field names it.
        request._body = b"{}"  # type: ignore[attr-defined]
        content_type = "application/json"
    if writes and content_type == "application/json":
        try:
            fields += list(_paths(json.loads(request.body), bad))
        except (ValueError, RecursionError):
            pass  # not JSON: the API answers that itself
    elif request.method == "POST" and content_type in _FORMS:
        fields += [key for key, values in request.POST.lists() if bad(key) or any(bad(v) for v in values)]
    elif writes and request.path.startswith("/api/"):
        request.body  # noqa: B018  read here, so that a body over the limit is answered below, not in a view
    return fields


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            nul = _fields_with(request, _has_nul)
            bidi = [] if nul else _fields_with(request, _has_bidi)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            return self._refuse(request, 413, lambda: _("The request is too large (limit %(n)d MB).") % {"n": limit})
        except TooManyFieldsSent:
            return self._refuse(request, 400, lambda: _("The request has too many fields."))
        if nul:
            return self._refuse(request, 400, lambda: _("Null characters are not allowed."), nul)
        if bidi:
            return self._refuse(request, 400, lambda: _(
                "Text direction control characters (such as U+202E) are not allowed: they make text show other than "
                "it is."), bidi)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, status: int, text: Callable[[], str],
                fields: list[str] | None = None) -> HttpResponse:
        """`text()` as the API's JSON error (in the token owner's language) or as the site's error page."""
        if request.path.startswith("/api/"):
            self._speak_as_token_owner(request)
            message = text()
            body: dict[str, Any] = {"detail": message}
            if fields:
                body["errors"] = {field: [message] for field in fields}
            return JsonResponse(body, status=status)
        from borderlink.core.views import bad_request

        return bad_request(request, status, text())

    @staticmethod
    def _speak_as_token_owner(request: HttpRequest) -> None:
        from borderlink.accounts.services import user_for_token

        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            user = user_for_token(header.removeprefix("Bearer ").strip())
            if user is not None and user.language:
                translation.activate(user.language)
