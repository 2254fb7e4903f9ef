"""Bounded input types: the one way pages and the API parse numbers, ids, dates and months.

Built from the limits in `borderlink.core.bounds`, in two shapes that read the same
limits: annotated pydantic types for the API's schemas (django-ninja) and form fields
for the pages. Out of range is a field error in the user's language (400 on a page,
422 on the API), never a 500 from the database or from date arithmetic.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, Field

from borderlink.core import bounds

MONTH_PATTERN = r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$"


def date_window_message() -> str:
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": formats.date_format(bounds.FILTER_DATE_MIN, "SHORT_DATE_FORMAT"),
        "latest": formats.date_format(bounds.FILTER_DATE_MAX, "SHORT_DATE_FORMAT"),
    }


def _bounded_datetime(value: datetime.datetime) -> datetime.datetime:
    # Check the year before any arithmetic: converting 0001-01-01T00:00+05:00 to UTC overflows.
    if not bounds.FILTER_DATE_MIN.year <= value.year <= bounds.FILTER_DATE_MAX.year:
        raise ValueError(date_window_message())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


# --- the API (pydantic / django-ninja) -------------------------------------------------

Id = Annotated[int, Field(ge=bounds.ID_MIN, le=bounds.ID_MAX, description="A row id.")]
Page = Annotated[int, Field(ge=bounds.PAGE_MIN, le=bounds.PAGE_MAX, description="Page number, from 1.")]
PageSize = Annotated[int, Field(ge=1, le=bounds.PAGE_SIZE_MAX, description="Results per page.")]
FilterDate = Annotated[datetime.date, Field(ge=bounds.FILTER_DATE_MIN, le=bounds.FILTER_DATE_MAX)]
# Any aware datetime given in a body; the field's own window (core.bounds) is checked by the service.
BoundedDateTime = Annotated[datetime.datetime, AfterValidator(_bounded_datetime)]
Month = Annotated[str, Field(pattern=MONTH_PATTERN, description="A month, YYYY-MM (e.g. 2026-11).")]
Year = Annotated[int, Field(ge=bounds.BIRTH_YEAR_MIN, le=bounds.FILTER_DATE_MAX.year)]
SmallCount = Annotated[int, Field(ge=0, le=bounds.SMALL_INT_MAX)]


# --- pages (Django forms) -----------------------------------------------------------------

class FilterDateField(forms.DateField):
    """A date typed into a filter: inside `bounds.FILTER_DATE_MIN`..`FILTER_DATE_MAX`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not bounds.FILTER_DATE_MIN <= value <= bounds.FILTER_DATE_MAX:
            raise ValidationError(date_window_message(), code="out_of_range")


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time typed into a form, refused outside the years any record can hold."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            try:
                _bounded_datetime(value)
            except ValueError as exc:
                raise ValidationError(str(exc), code="out_of_range") from None


class MonthField(forms.RegexField):
    """A month as YYYY-MM, years 1900 to 2199."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}))
        kwargs.setdefault("error_messages", {"invalid": gettext_lazy("Give the month as YYYY-MM.")})
        super().__init__(regex=re.compile(MONTH_PATTERN), **kwargs)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by integer id; ids no row can have are refused before any query
    (a 20-digit id overflows SQLite's integers inside `pk__in`)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django's own check names it as an invalid value
            if not bounds.ID_MIN <= number <= bounds.ID_MAX:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super()._check_values(value)  # type: ignore[misc]  # private in django-stubs, public in Django
