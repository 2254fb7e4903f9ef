import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control


class UserLanguageMiddleware:
    """After authentication: a signed-in user's chosen language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class IdleSessionMiddleware:
    """Keep an active session alive without writing it on every request.

    The session expires SESSION_COOKIE_AGE seconds after it was last saved; an
    active user's session is saved again at most once a minute, so the idle
    timeout holds to within a minute at a fraction of the writes.
    """

    REFRESH_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = time.time()
            if now - session.get("_refreshed", 0) > self.REFRESH_SECONDS:
                session["_refreshed"] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in person (or an API token) was shown is kept by a browser or a proxy cache:
    `Cache-Control: no-store` on every answer to an authenticated request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
