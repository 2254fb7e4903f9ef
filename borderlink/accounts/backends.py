"""The signed-in user of a page request in one query: the user, their unit and whether the second-factor device
named in the session is theirs and confirmed (issue 19: three queries per request before: user, unit, device).

`UserBackend.get_user` is what Django's `auth.get_user` calls with the session's user id; it keeps Django's
checks (the account must exist and be active, `ModelBackend.user_can_authenticate`; the session's hash is
checked by `auth.get_user` itself). `VerifiedUserMiddleware` (accounts.middleware) sets `CHECK_DEVICE` to the
device id of the session while the user is loaded, so that the same query also answers django-otp's question,
on every request: a removed, unconfirmed or someone else's device is refused on the next request as before.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import User

# The TOTP device id the session names (None: none, or not a TOTP device), while VerifiedUserMiddleware loads the user.
CHECK_DEVICE: ContextVar[int | None] = ContextVar("borderlink_check_device", default=None)

# Set on the loaded user: (device id, True when that device exists, is the user's and is confirmed).
CHECKED_ATTRIBUTE = "_borderlink_device_checked"


class UserBackend(ModelBackend):
    """ModelBackend (passwords, permissions) whose `get_user` also loads the unit and, when CHECK_DEVICE is set,
    checks the session's device in the same query."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        """The active user with this id (None when missing or inactive), unit loaded; with CHECK_DEVICE set, the
        device check as the attribute CHECKED_ATTRIBUTE."""
        device_id = CHECK_DEVICE.get()
        users = User._default_manager.select_related("unit")
        if device_id is not None:
            users = users.annotate(_borderlink_device_ok=Exists(
                TOTPDevice.objects.filter(pk=device_id, user_id=OuterRef("pk"), confirmed=True)))
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        if device_id is not None:
            setattr(user, CHECKED_ATTRIBUTE, (device_id, bool(user._borderlink_device_ok)))  # type: ignore[attr-defined]
        return user if self.user_can_authenticate(user) else None
