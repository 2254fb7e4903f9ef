"""The node's HTTP API (django-ninja), authenticated by personal API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from borderlink.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[override]
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


api = NinjaAPI(
    title="Borderlink node API",
    version="1",
    description="Messages, notices, requests and custody notifications between police units of Cambodia, Laos and Viet Nam. "
    "Authenticate with a personal token: `Authorization: Bearer blk_…` (create one on your account page).",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = " ".join(message for messages in errors.values() for message in messages)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("The request body or parameters are not valid."), "errors": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("A valid API token is required.")}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


from borderlink.assistance.api import router as assistance_router  # noqa: E402
from borderlink.custody.api import router as custody_router  # noqa: E402
from borderlink.exchange.api import router as exchange_router  # noqa: E402
from borderlink.notices.api import router as notices_router  # noqa: E402
from borderlink.victims.api import router as victims_router  # noqa: E402

api.add_router("/", exchange_router)
api.add_router("/", assistance_router)
api.add_router("/", custody_router)
api.add_router("/", notices_router)
api.add_router("/", victims_router)
