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

FormClass = Any  # a form class (BaseForm subclasses declare base_fields through their metaclass)

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
    "victim_case_id": gettext_lazy("Victim case"),
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


FORM_MODULES = (
    "borderlink.accounts.forms",
    "borderlink.assistance.forms",
    "borderlink.border.forms",
    "borderlink.cases.forms",
    "borderlink.custody.forms",
    "borderlink.exchange.forms",
    "borderlink.notices.forms",
    "borderlink.persons.forms",
    "borderlink.plans.forms",
    "borderlink.review.forms",
    "borderlink.victims.forms",
)


@lru_cache(maxsize=1)
def _forms() -> tuple[FormClass, ...]:
    """Every form class of the project, in the order of FORM_MODULES."""
    from importlib import import_module

    found: list[FormClass] = []
    for module in FORM_MODULES:
        for value in vars(import_module(module)).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module:
                if value not in found and getattr(value, "base_fields", None):
                    found.append(value)
    return tuple(found)


def _app(module: str) -> str:
    """`borderlink.cases.api` -> `borderlink.cases`."""
    return ".".join(module.split(".")[:2])


def form_for(module: str, names: set[str]) -> FormClass | None:
    """The form of the app `module` belongs to whose fields share the most names with `names`
    (the fields of the API operation's input): its labels name the operation's fields."""
    app = _app(module)
    best, shared = None, 0
    for form in _forms():
        if _app(form.__module__) != app:
            continue
        count = len(names & set(form.base_fields))
        if count > shared:
            best, shared = form, count
    return best


def _form_label(name: str, form: FormClass | None) -> Any:
    """The label of `name` in `form` (the operation's own form) when it has one; else in the first
    form of the project naming a field so, for fields no form of the app has."""
    if form is not None and name in form.base_fields and form.base_fields[name].label:
        return form.base_fields[name].label
    for other in _forms():
        field = other.base_fields.get(name)
        if field is not None and field.label:
            return field.label
    return None


def field_label(name: str, form: FormClass | None = None) -> str:
    """The label a person reads for an API field, in the active language (the name itself when unknown).
    `form`: the form of the operation whose input holds the field (a `kind` is a request's kind on
    /api/requests and an entity's kind on /api/cases/…/entities)."""
    label = API_LABELS.get(name) or _form_label(name, form)
    return str(label) if label else name


def _operation_fields(operation: Any) -> set[str]:
    """The names of an operation's input fields (the parameters and the fields of its body schemas)."""
    names: set[str] = set()
    for model in getattr(operation, "models", None) or []:
        for param, info in model.model_fields.items():
            names.add(info.alias or param)
            annotation = info.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
                names.update(annotation.model_fields)
    return names


def operation_form(request: Any) -> FormClass | None:
    """The form whose labels name the fields of the API operation `request` was routed to."""
    match = getattr(request, "resolver_match", None)
    view = getattr(match, "func", None)
    code = getattr(view, "__code__", None)
    if view is None or code is None or "self" not in code.co_freevars or not view.__closure__:
        return None
    path_view = view.__closure__[code.co_freevars.index("self")].cell_contents
    find = getattr(path_view, "_find_operation", None)
    operation = find(request) if find else None
    if operation is None:
        return None
    return form_for(operation.view_func.__module__, _operation_fields(operation))


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


def translate(
    errors: list[dict[str, Any]], groups: set[str] = GROUPS, form: FormClass | None = None
) -> tuple[str, dict[str, list[str]]]:
    """Pydantic errors -> (one sentence naming each field by its label, {field path: [messages]}).
    `form`: the operation's form (see operation_form), whose labels name the fields."""
    by_field: dict[str, list[str]] = {}
    sentences: list[str] = []
    for error in errors:
        path = _path(error.get("loc") or [], groups)
        key = ".".join(str(p) for p in path) or "__all__"
        leaf = next((p for p in reversed(path) if isinstance(p, str)), "")
        message = _message(error, leaf)
        by_field.setdefault(key, []).append(message)
        sentences.append(f"{field_label(leaf, form)}: {message}" if leaf else message)
    return " ".join(sentences), by_field


class ErrorOut(Schema):
    """Every refusal: a sentence for a person, and the messages by field (`__all__` for the whole)."""

    detail: str
    errors: dict[str, list[str]] = {}


def answers(schema: Any, status: int = 200) -> dict[int, Any]:
    """A route's documented answers: `schema` on success, `ErrorOut` for 400 (refused by a rule),
    401 (no valid token), 404 (absent or not yours) and 422 (a parameter or body field out of bounds)."""
    return {status: schema, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
