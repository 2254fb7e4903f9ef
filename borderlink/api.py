"""The node's HTTP API (django-ninja), authenticated by personal API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer

from borderlink.accounts.services import user_for_token
from borderlink.api_errors import operation_form, translate


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


class BorderlinkAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """A short, stable id from the router's tag and the view's name, without repeating the tag:
        `messages_inbox`, `requests_create`, `notices_create_person`."""
        tag = (operation.tags or ["api"])[0].lower().replace(" ", "_").replace("-", "_")
        tag_words = {w for part in tag.split("_") for w in (part, part.rstrip("s"))}
        words = [w for w in operation.view_func.__name__.split("_") if w not in tag_words]
        return f"{tag}_{'_'.join(words) or operation.view_func.__name__}"


api = BorderlinkAPI(
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
    detail, errors = translate(exc.errors, form=operation_form(request))
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("A valid API token is required.")}, status=401)


# ninja's own English answers, said in the token owner's language.
NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy("The request body is not valid JSON."),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    known = next((text for english, text in NINJA_MESSAGES.items() if message.startswith(english)), None)
    return api.create_response(request, {"detail": str(known or message)}, status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found, or you have no access to it.")}, status=404)


from borderlink.assistance.api import router as assistance_router  # noqa: E402
from borderlink.border.api import router as border_router  # noqa: E402
from borderlink.border.meeting_api import router as meeting_router  # noqa: E402
from borderlink.cases.api import router as cases_router  # noqa: E402
from borderlink.custody.api import router as custody_router  # noqa: E402
from borderlink.exchange.api import router as exchange_router  # noqa: E402
from borderlink.notices.api import router as notices_router  # noqa: E402
from borderlink.plans.api import router as plans_router  # noqa: E402
from borderlink.review.api import router as review_router  # noqa: E402
from borderlink.victims.api import router as victims_router  # noqa: E402

api.add_router("/", exchange_router)
api.add_router("/", assistance_router)
api.add_router("/", custody_router)
api.add_router("/", border_router)
api.add_router("/", meeting_router)
api.add_router("/", cases_router)
api.add_router("/", notices_router)
api.add_router("/", victims_router)
api.add_router("/", review_router)
api.add_router("/", plans_router)
