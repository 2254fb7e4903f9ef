"""Bounds for everything that comes from outside: one place for the numbers.

Query strings, forms, JSON bodies and peers' envelopes are checked against the
same limits (STYLE.md rule 14), so a value a page refuses is refused by the API
and by the federation inbox too. Windows are relative to the node's deadline
clock (`borderlink.core.clock.now`), never to what a peer says the time is.

Sources of the numbers:
- ids: the primary keys are `BigAutoField` (signed 64-bit in SQLite and
  PostgreSQL); anything larger can never name a row and would overflow the
  database driver.
- review dates: INTERPOL keeps a notice for five years before it must be
  reviewed, and the notice rules here already cap review dates at five years.
- deadlines and planned handovers: a cooperation request or plan that runs more
  than a year is re-sent, not kept open (issue #11, finding 4).
- birth: nobody recorded was born before 1900; nobody is older than 120.
- arrests, detention, location: a notification of an event more than ten years
  old is a data error, not a notification.
- warrants: older than 60 years is taken for a typo (a judgement call: a
  warrant outliving a working life).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

ID_MIN = 1
ID_MAX = 2**63 - 1
PAGE_MIN = 1
PAGE_MAX = 100_000
PAGE_SIZE_MAX = 100
SMALL_INT_MAX = 32_767  # PositiveSmallIntegerField on every database

# Dates typed into filters (inbox, sent box, audit log, monthly lists). Outside this
# window a filter can only be a mistake, and day arithmetic near year 1 or 9999 overflows.
FILTER_DATE_MIN = datetime.date(1900, 1, 1)
FILTER_DATE_MAX = datetime.date(2199, 12, 31)

BIRTH_YEAR_MIN = 1900
AGE_MAX_YEARS = 120

DAY = datetime.timedelta(days=1)
YEAR = datetime.timedelta(days=366)


@dataclass(frozen=True)
class Window:
    """How far back and ahead of "now" a value of one kind may lie.

    `back` and `ahead` are durations; `label` says what the value is, for the
    error message. A window applies to dates (compared with today's date) and to
    aware datetimes (compared with the clock).
    """

    back: datetime.timedelta
    ahead: datetime.timedelta

    def limits(self, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
        return now - self.back, now + self.ahead

    def contains(self, value: datetime.date | datetime.datetime, now: datetime.datetime | None = None) -> bool:
        """True when `value` lies inside the window around `now` (the node's clock by default)."""
        earliest, latest = self.limits(now or _clock_now())
        if isinstance(value, datetime.datetime):
            return earliest <= value <= latest
        return _local_date(earliest) <= value <= _local_date(latest)

    def error(self, value: datetime.date | datetime.datetime | None,
              now: datetime.datetime | None = None) -> str | None:
        """The error message (active language) when `value` lies outside the window, else None.

        None passes (required-ness is the caller's rule). The message names the
        earliest and latest allowed dates.
        """
        if value is None:
            return None
        now = now or _clock_now()
        if self.contains(value, now):
            return None
        earliest, latest = self.limits(now)
        return _("Give a date between %(earliest)s and %(latest)s.") % {
            "earliest": formats.date_format(_local_date(earliest), "SHORT_DATE_FORMAT"),
            "latest": formats.date_format(_local_date(latest), "SHORT_DATE_FORMAT"),
        }

    def check(self, value: datetime.date | datetime.datetime | None, field: str,
              now: datetime.datetime | None = None) -> None:
        """Raise `ValidationError({field: [message]})` when `value` lies outside the window."""
        message = self.error(value, now)
        if message is not None:
            raise ValidationError({field: [message]})


# A requested answer deadline: from now to a year ahead.
DEADLINE = Window(back=datetime.timedelta(0), ahead=YEAR)
# A notice's review date: at most five years ahead (the past is refused by the notice rules).
REVIEW_DATE = Window(back=datetime.timedelta(0), ahead=5 * YEAR)
# A warrant or court decision: not in the future, at most 60 years old.
WARRANT_DATE = Window(back=60 * YEAR, ahead=DAY)
# An arrest, a detention, a person located, a handover that happened: at most ten years
# back, and not in the future (an hour's grace for clocks a little apart).
PAST_EVENT = Window(back=10 * YEAR, ahead=datetime.timedelta(hours=1))
# A planned handover: from a day back (entered late) to a year ahead.
PLANNED_EVENT = Window(back=DAY, ahead=YEAR)
# A date of birth.
BIRTH = Window(back=AGE_MAX_YEARS * YEAR, ahead=datetime.timedelta(0))


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _clock_now() -> datetime.datetime:
    from borderlink.core import clock

    return clock.now()


def check_id(value: int, field: str) -> None:
    """Raise `ValidationError({field: ...})` unless `value` can be a primary key."""
    if not ID_MIN <= value <= ID_MAX:
        raise ValidationError({field: [_("Choose a valid item from the list.")]})
