"""Answers when the database is unavailable: 503 in the reader's language, never a bare 500.

A long write lock on SQLite ("database is locked") or a PostgreSQL server that
restarts is transient. Whatever part of a request meets it (a view, the API, a
middleware reading the session), Django hands the uncaught error to
``handler500``; this one answers 503 with ``Retry-After`` and a message in the
user's language (JSON for the API and federation routes), and leaves every other
error to Django's own 500 view.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    with translation.override(language):
        message = _("The service is briefly unavailable because its database is busy. Please try again in a minute.")
        if request.path.startswith(("/api/", "/federation/")):
            response: HttpResponse = JsonResponse({"detail": message, "error": "database_unavailable"}, status=503)
        else:
            html = render_to_string("core/unavailable.html", {"message": message, "language": language})
            response = HttpResponse(html, status=503)
        response["Content-Language"] = language
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: a transient database error becomes 503; anything else the 500 page in the layout."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    from borderlink.core.views import server_error as layout_server_error

    return layout_server_error(request)
