import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.backends import CHECK_DEVICE, CHECKED_ATTRIBUTE


class VerifiedUserMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `request.user.is_verified()`), with the session's TOTP
    device checked in the query that loads the user (accounts.backends.UserBackend) instead of a query of its own.

    The checks are django-otp's, on every request: the device must exist, belong to the signed-in user and be
    confirmed, else the user is not verified and the device's id leaves the session. A session naming another
    kind of device, or a user loaded by another backend, takes django-otp's own lookup.
    """

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device_id = self._totp_id(persistent_id)
        token = CHECK_DEVICE.set(device_id)
        try:
            authenticated = user.is_authenticated  # loads the user (AuthenticationMiddleware's lazy object)
        finally:
            CHECK_DEVICE.reset(token)
        self._init_user_fields(user)
        if not authenticated:
            return user
        checked = getattr(user, CHECKED_ATTRIBUTE, None)
        if device_id is not None and checked is not None and checked[0] == device_id:
            device = (TOTPDevice.from_db(user._state.db, ["id", "user_id", "confirmed"], [device_id, user.pk, True])
                      if checked[1] else None)
        else:
            device = self._device_from_persistent_id(persistent_id) if persistent_id else None
        user.otp_device = self._finalize_device(request, user, device)
        return user

    @classmethod
    def _totp_id(cls, persistent_id: Any) -> int | None:
        """The TOTP device id in a session's persistent id ("otp_totp.totpdevice/12"), else None."""
        if not isinstance(persistent_id, str):
            return None
        label, _slash, number = cls._normalize_persistent_id(persistent_id).rpartition("/")
        if label != TOTPDevice.model_label() or not number.isascii() or not number.isdigit() or len(number) > 18:
            return None
        return int(number)


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
