"""Model fields that read any stored value safely."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

# Every time zone is within a day of UTC, so a value between these converts to local time,
# formats and subtracts without overflowing Python's datetime range.
DISPLAY_MIN = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
DISPLAY_MAX = datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC)


def clamp_for_display(value: datetime.datetime | None) -> datetime.datetime | None:
    """A stored datetime brought inside `DISPLAY_MIN`..`DISPLAY_MAX` (None stays None).

    A deadline of 9999-12-31T23:59:59Z in the database (written before the input windows of
    `core.bounds`, by hand, or by an old peer) then reads as 9999-12-30 instead of making every
    page that shows it fail on the conversion to local time.
    """
    if value is None or not isinstance(value, datetime.datetime) or value.tzinfo is None:
        return value
    return min(max(value, DISPLAY_MIN), DISPLAY_MAX)


class SafeDateTimeField(models.DateTimeField):
    """A `DateTimeField` whose values, as read from the database, are safe to show and to compute with.

    Migrations see a plain `DateTimeField`: the column is the same, only reading differs.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return clamp_for_display(value)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
