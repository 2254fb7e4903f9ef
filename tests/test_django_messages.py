"""Django's own messages that the project's forms can show are in the reader's language (defect 2 of the
try-out: "Ensure this value is greater than or equal to 0." in English in Lao and Khmer; Django ships no Lao
catalog and its Khmer one leaves these empty). The list is derived from the forms: every field of every form
class of the project, its error messages (Django's defaults and the project's own), its validators' messages,
and for model forms the messages of the model fields the form validates."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.core import validators
from django.utils import translation

import borderlink


class _Params(dict):
    """Any placeholder: a number (so %(limit_value)d and %(value)s both format)."""

    def __missing__(self, key: str) -> int:
        return 3


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(borderlink.__path__, "borderlink."):
        if module.name.endswith(("forms", "views", "widgets")) or ".forms" in module.name:
            importlib.import_module(module.name)
    found: list[type] = []
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("borderlink.") and getattr(cls, "base_fields", None) is not None:
            found.append(cls)
    return found


def _validator_messages(validator: Any) -> list[Any]:
    found = [getattr(validator, "message", None)]
    found.extend((getattr(validator, "messages", None) or {}).values())
    return [m for m in found if m]


def _field_messages(field: Any) -> list[Any]:
    found = list((field.error_messages or {}).values())
    for validator in field.validators:
        found.extend(_validator_messages(validator))
    # the validators a field adds when it is given bounds (its own instance may have none)
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        for cls in (validators.MinValueValidator, validators.MaxValueValidator):
            found.append(cls.message)
    if isinstance(field, forms.DecimalField):
        found.extend(validators.DecimalValidator.messages.values())
    if isinstance(field, forms.CharField):
        found.extend([validators.MinLengthValidator.message, validators.MaxLengthValidator.message])
    for sub in getattr(field, "fields", ()) or ():  # MultiValueField, SplitDateTimeField
        found.extend(_field_messages(sub))
    return found


def django_messages() -> list[Any]:
    """Every message of Django (module django.*) that a form of the project can show."""
    found: list[Any] = []
    for form in _form_classes():
        for field in form.base_fields.values():
            found.extend(_field_messages(field))
        meta = getattr(form, "_meta", None)
        model = getattr(meta, "model", None)
        if model is not None:
            for field in model._meta.get_fields():
                if hasattr(field, "error_messages") and field.name in form.base_fields:
                    found.extend(field.error_messages.values())
                    for validator in getattr(field, "validators", ()):
                        found.extend(_validator_messages(validator))
    unique: dict[str, Any] = {}
    for message in found:
        key = render(message, "en")
        unique.setdefault(key, message)
    return list(unique.values())


def render(message: Any, language: str) -> str:
    """The message as a reader of `language` reads it, with every placeholder filled."""
    with translation.override(language):
        return str(message % _Params())


MESSAGES = django_messages()


def test_the_list_is_derived_from_the_forms():
    english = {render(m, "en") for m in MESSAGES}
    assert "This field is required." in english
    assert "Ensure this value is greater than or equal to 3." in english  # MinValueValidator
    assert "Ensure this value has at most 3 characters (it has 3)." in english  # a CharField's max_length
    assert "Enter a valid date." in english
    assert "Select a valid choice. That choice is not one of the available choices." in english  # ModelChoiceField


@pytest.mark.parametrize("language", ["vi", "lo", "km"])
def test_every_django_message_the_forms_can_show_is_translated(language):
    untranslated = [render(m, "en") for m in MESSAGES if render(m, language) == render(m, "en")]
    assert not untranslated, f"{language}: {len(untranslated)} of Django's messages in English: {untranslated}"
