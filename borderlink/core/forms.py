"""Helpers shared by the apps' forms."""

from __future__ import annotations

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
