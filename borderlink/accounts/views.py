"""Sign-in in two steps (password, then TOTP code), sign-out and the user's own settings."""

from __future__ import annotations

import base64
import io
import time

import segno
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts import services
from borderlink.accounts.decorators import signed_in, verified_required
from borderlink.accounts.forms import LanguageForm, PasswordStepForm, TokenCreateForm, TokenStepForm
from borderlink.accounts.models import User
from borderlink.audit.services import record
from borderlink.core.views import start_url

PENDING_KEY = "borderlink_pending_user"
PENDING_SECONDS = 300
NEW_TOKEN_KEY = "borderlink_new_token"  # noqa: S105 - a session key name, not a secret


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or request.session.get("borderlink_next") or ""
    # Only a path on this node: anything else (`?next=123`) would be taken for a view name by `redirect`.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""  # none asked for: the user's start page (core.views.start_url)


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending.get("id"), is_active=True).first()


@sensitive_post_parameters("password")
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request) or start_url(request.user))
    form = PasswordStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_password(form.cleaned_data["username"], form.cleaned_data["password"], request)
        except services.SignInError as exc:
            form.add_error(None, str(exc))
        else:
            request.session.cycle_key()
            request.session[PENDING_KEY] = {"id": user.pk, "at": time.time()}
            request.session["borderlink_next"] = _next_url(request)
            if services.confirmed_device(user) is None:
                return redirect("accounts:enrol")
            return redirect("accounts:login_code")
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def _finish(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    target = _next_url(request)
    request.session.pop(PENDING_KEY, None)
    request.session.pop("borderlink_next", None)
    auth.login(request, user, backend="borderlink.accounts.backends.UserBackend")
    otp_login(request, device)
    return redirect(target or start_url(user))


def login_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: the first step has expired."))
        return redirect("accounts:login")
    form = TokenStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.check_token(user, form.cleaned_data["token"], request)
        except services.SignInError as exc:
            form.add_error("token", str(exc))
        else:
            return _finish(request, user, device)
    return render(request, "accounts/login_code.html", {"form": form, "pending": user})


def enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if services.confirmed_device(user) is not None:
        return redirect("accounts:login_code")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = TokenStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.enrol_device(user, device.pk, form.cleaned_data["token"], request)
        except services.SignInError as exc:
            form.add_error("token", str(exc))
        else:
            return _finish(request, user, device)
    qr = segno.make(device.config_url, micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=4, xmldecl=False)
    secret = base64.b32encode(device.bin_key).decode("ascii")
    context = {"form": form, "qr_svg": buffer.getvalue().decode("utf-8"), "secret": secret, "pending": user}
    return render(request, "accounts/enrol.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(request.user, "accounts.logout", object_type="user", object_id=request.user.pk, request=request)
    auth.logout(request)
    return redirect("accounts:login")


@verified_required
def account(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    language_form = LanguageForm(initial={"language": user.language or request.LANGUAGE_CODE})
    token_form = TokenCreateForm()
    # A new token's secret is shown once, on the page the creation redirects to (reloading it creates nothing).
    new_secret = request.session.pop(NEW_TOKEN_KEY, None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "language":
                language_form = LanguageForm(request.POST)
                if language_form.is_valid():
                    services.set_language(user, language_form.cleaned_data["language"], request)
                    response = redirect("accounts:account")
                    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
                    return response
            elif action == "create_token":
                token_form = TokenCreateForm(request.POST)
                if token_form.is_valid():
                    _token, secret = services.create_token(user, token_form.cleaned_data["name"], request)
                    request.session[NEW_TOKEN_KEY] = secret
                    return redirect("accounts:account")
            elif action == "revoke_token":
                services.revoke_token(user, request.POST.get("token_id"), request)
                messages.success(request, _("The token is revoked."))
                return redirect("accounts:account")
        except ValidationError as exc:
            target = token_form if action == "create_token" else language_form
            for field, errors in exc.message_dict.items():
                for error in errors:
                    target.add_error(field if field in target.fields else None, error)
    tokens = user.api_tokens.all()
    return render(
        request,
        "accounts/account.html",
        {"language_form": language_form, "token_form": token_form, "tokens": tokens, "new_secret": new_secret},
    )
