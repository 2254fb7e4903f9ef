"""Template helpers that draw stored codes for the reader: `{{ person|born }}`,
`{{ "2026-11"|month }}`, `{% country "VN" %}` (the country's name, read once per request)."""

from __future__ import annotations

from typing import Any

from django import template

from borderlink.core import display

register = template.Library()


@register.filter
def born(person: Any) -> str:
    """A person's (partial) date of birth in the reader's language, "" when unknown."""
    return display.partial_date(getattr(person, "birth_year", None), getattr(person, "birth_month", None),
                                getattr(person, "birth_day", None))


@register.filter
def quantity(value: Any) -> str:
    """`{{ item.target|quantity }}`: "2" for a whole number, "12,5" otherwise (see display.quantity)."""
    return display.quantity(value)


@register.filter
def month(value: str) -> str:
    return display.month_label(str(value or ""))


@register.simple_tag(takes_context=True)
def country(context: template.Context, code: str) -> str:
    """The name of the country with this code in the reader's language; the code itself when unknown."""
    from borderlink.core.models import Country

    holder: Any = context.get("request") or context  # the request: one read per page
    names = getattr(holder, "_borderlink_country_names", None)
    if names is None:
        names = {c.code: c.name for c in Country.objects.all()}
        holder._borderlink_country_names = names
    return names.get(code, code)


@register.filter
def labelled_errors(form: Any, names: str = "") -> str:
    """A form's errors as one list, each field error preceded by the field's label in the reader's
    language ("Name: Ensure this value has at most 200 characters"), never by the field's code name.
    `names`: comma-separated fields to include (default: all, with the form-wide errors first)."""
    from django.utils.html import format_html, format_html_join

    wanted = [n for n in names.split(",") if n] or list(form.fields)
    items = [] if names else [("", str(e)) for e in form.non_field_errors()]
    for name in wanted:
        field = form[name]
        items += [(str(field.label), str(e)) for e in field.errors]
    if not items:
        return ""
    return format_html('<ul class="errorlist">{}</ul>', format_html_join(
        "", "<li>{}</li>", ((format_html("{}: {}", label, error) if label else error,) for label, error in items)))
