"""Template helpers that draw stored codes for the reader: `{{ person|born }}`,
`{{ "2026-11"|month }}`, `{% country "VN" %}` (the country's name; the countries are read once per
COUNTRIES_SECONDS per process, not on every page: issue 19)."""

from __future__ import annotations

import threading
import time
from typing import Any

from django import template
from django.db.models.signals import post_delete, post_save

from borderlink.core import display
from borderlink.core.models import Country

register = template.Library()

# Reference data every page may draw, the same for every reader: kept per process for this many seconds.
# A change saved in this process shows at once (forget_countries); one saved by another process within this time.
COUNTRIES_SECONDS = 60.0
_countries: tuple[float, int, dict[str, Country]] | None = None
_generation = 0
_lock = threading.Lock()


def forget_countries(**kwargs: Any) -> None:
    """Signal receiver (Country saved or deleted) and test helper: the kept countries are out of date."""
    global _countries, _generation
    with _lock:
        _generation += 1
        _countries = None


post_save.connect(forget_countries, sender=Country, dispatch_uid="borderlink.display.forget_countries.save")
post_delete.connect(forget_countries, sender=Country, dispatch_uid="borderlink.display.forget_countries.delete")


def countries() -> dict[str, Country]:
    """Every country by code (read-only rows shared by the process's threads; their `name` is drawn in the
    language active when it is read)."""
    global _countries
    kept, now = _countries, time.monotonic()
    if kept is not None and kept[0] > now and kept[1] == _generation:
        return kept[2]
    generation = _generation
    rows = {c.code: c for c in Country.objects.all()}
    with _lock:
        if generation == _generation:
            _countries = (now + COUNTRIES_SECONDS, generation, rows)
    return rows


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
    row = countries().get(code)
    return row.name if row is not None else code


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
