"""The start page each role lands on, and the error pages, drawn inside the
application's layout in the reader's language with a way back."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

LONGEST_URL = 2048  # characters; a longer address gets 414 (the web server answers above its own limit)


def start_url(user: object) -> str:
    """The first page `user` may use, the one of the user's main work: the unit's inbox for an officer or a
    liaison officer, the victim cases for a victim-protection officer, the plans for a planner (also one who
    is a supervisor: the leadership), the inbox for any other supervisor (approvals), the audit log for an
    auditor, administration for a node administrator, else the account page. Anyone not signed in: the
    sign-in page. Also where sign-in leads when no page was asked for (settings.LOGIN_REDIRECT_URL)."""
    if not getattr(user, "is_authenticated", False):
        return reverse(settings.LOGIN_URL)
    has = user.has_capability  # type: ignore[attr-defined]
    if user.unit_id:  # type: ignore[attr-defined]
        if has("officer") or has("liaison"):
            return reverse("exchange:inbox")
        if has("victim_protection"):
            return reverse("victims:list")
        if has("planner"):
            return reverse("plans:list")
        if has("supervisor"):
            return reverse("exchange:inbox")
    if has("auditor"):
        return reverse("audit:log")
    if has("node_admin"):
        return reverse("admin:index")
    return reverse("accounts:account")


def home(request: HttpRequest) -> HttpResponse:
    return redirect(start_url(request.user))


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    context = {"status": status, "title": title, "text": text, "start": start_url(getattr(request, "user", None))}
    return render(request, "errors/error.html", context, status=status)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404, also what anyone without access sees: it does not tell whether the thing exists."""
    return _error(request, 404, _("Page not found"),
                  _("There is nothing at this address, or you do not have access to it."))


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Not allowed"), _("You may not do this."))


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 when a form's security check fails (an old page, or cookies turned off)."""
    return _error(request, 403, _("The form has expired"),
                  _("The page was open too long or cookies are turned off. Go back, reload the page and send the form again."))


@requires_csrf_token
def bad_request(request: HttpRequest, status: int = 400, text: str = "") -> HttpResponse:
    """400 (or 413 for a body over the limit) in the layout, saying what was wrong with the request."""
    title = _("Request too large") if status == 413 else _("Bad request")
    return _error(request, status, title, text or _("The request could not be understood."))


@requires_csrf_token
def too_long(request: HttpRequest) -> HttpResponse:
    return _error(request, 414, _("Address too long"),
                  _("The address of this page is too long. Go back and shorten the search."))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the layout when the layout can be drawn; a plain page in the same language when it cannot."""
    try:
        return _error(request, 500, _("Something went wrong"),
                      _("The error has been recorded for the node administrator. Try again in a moment."))
    except Exception:  # the page must come back whatever broke (the database, a template)
        return HttpResponse(render_to_string("errors/500_plain.html"), status=500)


class LongURLMiddleware:
    """Answer 414, in the layout, for an address longer than LONGEST_URL characters
    (a search pasted twice, a crafted link), before any view parses it."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > LONGEST_URL:
            return too_long(request)
        return self.get_response(request)
