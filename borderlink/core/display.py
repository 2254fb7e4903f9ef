"""Values drawn for a reader in their language: partial dates of birth, months,
countries by name. Stored values stay codes and ISO dates (the API and exports
keep them); only pages use these."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.utils import formats

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def partial_date(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """A date of birth known to the year, the month or the day, as the active language writes
    it (DATE_FORMAT, YEAR_MONTH_FORMAT, or the year alone). "" when the year is unknown; a day
    that does not exist in its month is shown year-month (the database may hold it from a peer)."""
    if not year:
        return ""
    try:
        if month and day:
            return formats.date_format(datetime.date(year, month, day), "DATE_FORMAT")
        if month:
            return formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    except ValueError:
        if month and 1 <= month <= 12:
            return formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    return str(year)


def quantity(value: Any) -> str:
    """A count or measure as the reader writes numbers: a whole value without decimals ("2", not "2,00"
    nor "2E+0"), any other with the decimals it has ("12,5"). "" for None."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return formats.number_format(int(number))
    return formats.number_format(number.normalize())


def month_label(value: str) -> str:
    """"2026-11" as the active language names the month ("ພະຈິກ 2026", "tháng 11/2026"); any other
    value is returned as it is."""
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return value
    return formats.date_format(datetime.date(int(match.group(1)), int(match.group(2)), 1), "YEAR_MONTH_FORMAT")


def month_short(value: str, with_year: bool = True) -> str:
    """"2026-01" as a chart's axis label in the active language: the month's abbreviation ("Jan 26",
    "Thg 1 26", "ມ.ກ. 26", "មករា 26"); without the year when `with_year` is false."""
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return value
    return formats.date_format(datetime.date(int(match.group(1)), int(match.group(2)), 1), "M y" if with_year else "M")
