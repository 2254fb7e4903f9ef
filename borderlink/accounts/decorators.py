from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from borderlink.accounts.models import User


def verified_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in with password and second factor; otherwise off to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated or not user.is_verified():
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def capability_required(capability: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Signed in and holding the capability; anyone else gets 404."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        @verified_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not signed_in(request).has_capability(capability):
                raise Http404("No access.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def signed_in(request: HttpRequest) -> User:
    """The request's user, for views behind `verified_required`."""
    user = request.user
    if not user.is_authenticated:
        raise Http404("Not signed in.")
    return user  # type: ignore[return-value]
