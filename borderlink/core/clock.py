"""The time the node's deadlines run on.

Normally the system clock. When `BORDERLINK_CLOCK_FILE` names a file, its
content (a number of seconds, may be negative) is added: tests and drills
move a whole node forward in time without sleeping. Only deadlines and
domain dates use this clock; signatures and sessions always use the real one.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone


def offset() -> datetime.timedelta:
    path = getattr(settings, "CLOCK_FILE", None)
    if not path:
        return datetime.timedelta(0)
    try:
        return datetime.timedelta(seconds=float(Path(path).read_text().strip() or 0))
    except (OSError, ValueError):
        return datetime.timedelta(0)


def now() -> datetime.datetime:
    return timezone.now() + offset()


def today() -> datetime.date:
    """Today's date by this clock, in the node's time zone (settings.TIME_ZONE)."""
    return timezone.localtime(now()).date()


def year() -> int:
    """The current year by this clock, in the node's time zone: the year of the demo plan and the latest year a
    review can be built for."""
    return today().year
