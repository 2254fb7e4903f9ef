"""Form widgets drawn in Python instead of through Django's widget templates.

A page drawn on every request (the notice search form) spent more time
rendering its ten widgets, one template include per <option>, than searching.
These widgets produce the same HTML as Django's own (same attributes, same
escaping), without the template engine.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def flatatt(attrs: dict[str, Any]) -> SafeString:
    """Attributes in their given order, as django/forms/widgets/attrs.html writes them."""
    return mark_safe("".join(  # noqa: S308 (each part is built by format_html)
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    ))


def _input(widget_type: str, name: str, value: Any, attrs: dict[str, Any]) -> SafeString:
    if value is None:
        return format_html('<input type="{}" name="{}"{}>', widget_type, name, flatatt(attrs))
    return format_html('<input type="{}" name="{}" value="{}"{}>', widget_type, name, str(value), flatatt(attrs))


class TextInput(forms.TextInput):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


class NumberInput(forms.NumberInput):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


class CheckboxInput(forms.CheckboxInput):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


class Select(forms.Select):
    """A single-choice select with flat choices (no option groups)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = set(self.format_value(value))
        found = False
        options = []
        for option_value, label in self.choices:  # one pass: no len() (a COUNT query for model choices)
            if isinstance(label, (list, tuple)):  # option groups: Django's way
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            is_selected = not found and text in selected
            found = found or is_selected
            options.append((text, " selected" if is_selected else "", str(label)))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            format_html_join("", '<option value="{}"{}>{}</option>', options),
        )


class _ListedChoices(ModelChoiceIterator):
    """Model choices read with one plain query (not a server-side cursor: three round trips on PostgreSQL)."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class SmallModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a short list (countries), drawn with the Select above."""

    iterator = _ListedChoices
    widget = Select


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO 8601 (YYYY-MM-DD), whatever the
    interface language: a browser drops any other value of an <input type="date">
    (a Lao "30/11/2027" came up blank, and the form then lost it)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; its value is always ISO 8601 (YYYY-MM-DDTHH:MM) in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
