"""Sign-in with lockout, second factor, language and API tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import APIToken, User
from borderlink.audit.services import record


class SignInError(Exception):
    """A failed sign-in step; the message is safe to show."""


def _locked_message() -> str:
    return _("Too many failed attempts: this account is locked for a while. Try again later or ask your node administrator.")


def _register_failure(user: User, request: HttpRequest | None, step: str) -> None:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.failed_logins += 1
        fields = ["failed_logins"]
        if locked.failed_logins >= settings.LOGIN_MAX_FAILURES:
            locked.locked_until = timezone.now() + datetime.timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
            locked.failed_logins = 0
            fields.append("locked_until")
            record(locked, "accounts.locked", object_type="user", object_id=locked.pk, request=request)
        locked.save(update_fields=fields)
        record(locked, "accounts.login_failed", object_type="user", object_id=locked.pk, data={"step": step}, request=request)


def check_password(username: str, password: str, request: HttpRequest | None = None) -> User:
    """First step: the password. Failures count towards the lock; a locked account is refused."""
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_locked():
        raise SignInError(_locked_message())
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        if user is not None:
            _register_failure(user, request, "password")
            user.refresh_from_db()
            if user.is_locked():
                raise SignInError(_locked_message())
        raise SignInError(_("The user name or password is not correct."))
    return authenticated  # type: ignore[return-value]


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def check_token(user: User, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Second step: the six-digit code from the user's authenticator."""
    if user.is_locked():
        raise SignInError(_locked_message())
    device = confirmed_device(user)
    token = (token or "").strip().replace(" ", "")
    if device is None or not token.isdigit() or not device.verify_token(token):
        _register_failure(user, request, "totp")
        user.refresh_from_db()
        if user.is_locked():
            raise SignInError(_locked_message())
        raise SignInError(_("The code is not correct. Use the current six-digit code from your authenticator."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        record(user, "accounts.login", object_type="user", object_id=user.pk, request=request)
    return device


def enrol_device(user: User, device_id: int, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Confirm a new authenticator with its first code."""
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise SignInError(_("Start the set-up of your authenticator again."))
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or not device.verify_token(token):
        _register_failure(user, request, "totp_enrol")
        raise SignInError(_("The code is not correct. Use the current six-digit code from your authenticator."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(user, "accounts.totp_enrolled", object_type="user", object_id=user.pk, request=request)
    return device


def set_language(user: User, language: str, request: HttpRequest | None = None) -> None:
    codes = [code for code, _label in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError({"language": [_("Choose a language from the list.")]})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
        record(user, "accounts.language_changed", object_type="user", object_id=user.pk, data={"language": language}, request=request)


def create_token(user: User, name: str, request: HttpRequest | None = None) -> tuple[APIToken, str]:
    """Create a personal API token; the secret is returned once and only its digest kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name, for example the program that will use it.")]})
    if len(name) > 80:
        raise ValidationError({"name": [_("The name can have at most %(n)d characters.") % {"n": 80}]})
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= 10:
        raise ValidationError({"name": [_("You have 10 active tokens; revoke one first.")]})
    secret = APIToken.new_secret()
    with transaction.atomic():
        token = APIToken.objects.create(user=user, name=name, hint=secret[:8], digest=APIToken.digest_of(secret))
        record(user, "accounts.token_created", object_type="api_token", object_id=token.pk, data={"name": name}, request=request)
    return token, secret


def revoke_token(user: User, token_id: Any, request: HttpRequest | None = None) -> APIToken:
    """Revoke one of the user's own tokens; anybody else's is 404."""
    try:
        token = APIToken.objects.get(pk=int(token_id), user=user)
    except (APIToken.DoesNotExist, TypeError, ValueError):
        raise Http404("No such token.") from None
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(user, "accounts.token_revoked", object_type="api_token", object_id=token.pk, request=request)
    return token


_TOKEN: Any = None


def _token_by_digest() -> Any:
    """The token lookup of every API request, compiled once per process (core.prepared; issue 19): the same query,
    its digest bound per request."""
    global _TOKEN
    if _TOKEN is None:
        from borderlink.core.prepared import Prepared

        _TOKEN = Prepared("accounts.token", APIToken, lambda _reader, digest: APIToken.objects.select_related(
            "user", "user__unit").filter(digest=digest, revoked_at__isnull=True), args=[APIToken._meta.get_field("digest")])
    return _TOKEN


def user_for_token(secret: str) -> User | None:
    """The active, unlocked user behind an active token, or None (a locked or deactivated account's
    tokens stop working with it)."""
    if not secret or not secret.startswith(APIToken.PREFIX) or len(secret) > 100:
        return None
    token = _token_by_digest().first(None, APIToken.digest_of(secret))
    if token is None or not token.user.is_active or token.user.is_locked():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
