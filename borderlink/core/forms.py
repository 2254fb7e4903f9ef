"""Helpers shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form


def apply_errors(form: Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's validation errors on the form: on the field of the same name (or its alias),
    otherwise on the form as a whole."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            target = aliases.get(key, key)
            for error in errors:
                form.add_error(target if target in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


class OwnIds:
    """Mixin for a form drawn next to others on one page: its inputs' ids start with `id_prefix`
    ("decline_text", not "id_text"), so every id on the page is unique and each label focuses its
    own field. Field names, and so what the form posts, do not change."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


def error_text(form: Form) -> str:
    """A form's errors as one line for a flash message, each field error after its label in the
    reader's language ("Reason: This field is required.")."""
    parts = [str(e) for e in form.non_field_errors()]
    parts += [f"{form[name].label}: {e}" for name, errors in form.errors.items() if name in form.fields for e in errors]
    return " ".join(parts)
