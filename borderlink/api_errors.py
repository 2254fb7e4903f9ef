"""API errors in the token owner's language, naming fields as the pages name them.

django-ninja reports schema errors as pydantic's English dictionaries
(`{"type": "less_than_equal", "loc": ["query", "page"], ...}`); this turns each
into a message from Borderlink's catalogs, keyed by the field's name, with the
field's label (the one its form shows) in the reader's language. The token's
owner's language is active by then: authentication runs before parsing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema

from borderlink.core import bounds
from borderlink.core.inputs import MONTH_PATTERN, date_window_message

# Places pydantic and ninja put in front of a field's name.
_LOCATIONS = {"query", "body", "path", "header", "cookie", "form", "file"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

# Fields only the API has; every other field is labelled as its form labels it.
API_LABELS: dict[str, Any] = {
    "page": gettext_lazy("Page"),
    "page_size": gettext_lazy("Results per page"),
    "limit": gettext_lazy("Results per page"),
    "recipients": gettext_lazy("To"),
    "requested_unit_id": gettext_lazy("To"),
    "filename": gettext_lazy("File name"),
    "content_base64": gettext_lazy("File content"),
    "names": gettext_lazy("Names"),
    "name": gettext_lazy("Name"),
    "subject": gettext_lazy("Subject"),
    "body": gettext_lazy("Text"),
    "month": gettext_lazy("Month"),
    "country": gettext_lazy("Other country"),
    "unit": gettext_lazy("Unit"),
}


@lru_cache(maxsize=1)
def _form_labels() -> dict[str, Any]:
    """Field name -> label, from every form of the project (the first form to name a field wins)."""
    import borderlink.accounts.forms
    import borderlink.assistance.forms
    import borderlink.custody.forms
    import borderlink.exchange.forms
    import borderlink.notices.forms
    import borderlink.persons.forms  # noqa: F401

    labels: dict[str, Any] = {}
    pending = list(forms.Form.__subclasses__())
    while pending:
        form = pending.pop(0)
        pending.extend(form.__subclasses__())
        if not form.__module__.startswith("borderlink."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if field.label:
                labels.setdefault(name, field.label)
    return labels


def field_label(name: str) -> str:
    """The label a person reads for an API field, in the active language (the name itself when unknown)."""
    label = API_LABELS.get(name) or _form_labels().get(name)
    return str(label) if label else name


def _path(loc: list[Any] | tuple[Any, ...], known: set[str]) -> list[Any]:
    """The field's path without ninja's location and parameter-group names (`query`, `payload`, ...)."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if len(parts) > 1 and isinstance(parts[0], str) and parts[0] in known:
        parts = parts[1:]
    return parts


def _message(error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return _("Enter a whole number.")
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        limit = next(iter(ctx.values()), "")
        if _DATE.match(str(limit)):
            return date_window_message()
        if limit == bounds.ID_MAX:
            return _("Choose a valid item from the list.")
        if kind.startswith("less"):
            return _("Give a value of at most %(limit)s.") % {"limit": limit}
        return _("Give a value of at least %(limit)s.") % {"limit": limit}
    if kind.startswith("date_") or kind == "date_type":
        return _("Enter a valid date.")
    if kind.startswith(("datetime_", "timezone_")):
        return _("Enter a valid date and time.")
    if kind == "string_too_long":
        return _("At most %(n)d characters.") % {"n": ctx.get("max_length", 0)}
    if kind == "string_too_short":
        return _("At least %(n)d characters.") % {"n": ctx.get("min_length", 0)}
    if kind == "too_long":
        return _("At most %(n)d items.") % {"n": ctx.get("max_length", 0)}
    if kind == "too_short":
        return _("At least %(n)d items.") % {"n": ctx.get("min_length", 0)}
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == MONTH_PATTERN:
            return _("Give the month as YYYY-MM.")
        return _("The value does not have the expected form.")
    if kind.startswith("uuid_"):
        return _("Enter a valid UUID.")
    if kind.startswith("bool_"):
        return _("Give true or false.")
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Choose a value from the list: %(expected)s.") % {"expected": expected}
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])
    if kind == "string_type":
        return _("Give a text.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Give a list.")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("Give an object.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    return _("This value is not valid.")


# Names of the views' parameters that group fields (`payload: MessageIn`); ninja puts them in
# front of the fields' names, and a reader does not need them.
GROUPS = {"payload", "params", "filters", "query", "data"}


def translate(errors: list[dict[str, Any]], groups: set[str] = GROUPS) -> tuple[str, dict[str, list[str]]]:
    """Pydantic errors -> (one sentence naming each field by its label, {field path: [messages]})."""
    by_field: dict[str, list[str]] = {}
    sentences: list[str] = []
    for error in errors:
        path = _path(error.get("loc") or [], groups)
        key = ".".join(str(p) for p in path) or "__all__"
        leaf = next((p for p in reversed(path) if isinstance(p, str)), "")
        message = _message(error, leaf)
        by_field.setdefault(key, []).append(message)
        sentences.append(f"{field_label(leaf)}: {message}" if leaf else message)
    return " ".join(sentences), by_field


class ErrorOut(Schema):
    """Every refusal: a sentence for a person, and the messages by field (`__all__` for the whole)."""

    detail: str
    errors: dict[str, list[str]] = {}


def answers(schema: Any, status: int = 200) -> dict[int, Any]:
    """A route's documented answers: `schema` on success, `ErrorOut` for 400 (refused by a rule),
    401 (no valid token), 404 (absent or not yours) and 422 (a parameter or body field out of bounds)."""
    return {status: schema, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
