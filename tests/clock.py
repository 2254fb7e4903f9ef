"""Moments for tests that list by month: a record made "an hour ago" falls in last month just after midnight on the 1st."""

from __future__ import annotations

import datetime

from django.utils import timezone


def moment_in_one_month(span: datetime.timedelta = datetime.timedelta(hours=6)) -> datetime.datetime:
    """A past local moment such that the whole ``span`` before it lies in the same local month.

    Returns an aware datetime in the node's time zone: half an hour ago when the month began long enough ago, else the
    last minute of the month before. Tests that record events at ``moment - n hours`` (n within ``span``) and then list
    ``f"{moment:%Y-%m}"`` hold at any hour of any day.
    """
    now = timezone.localtime()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if now - month_start > span + datetime.timedelta(hours=1):
        return now - datetime.timedelta(minutes=30)
    return month_start - datetime.timedelta(minutes=1)


def month_of(moment: datetime.datetime) -> str:
    """The local month of ``moment`` as ``YYYY-MM``, the form the monthly lists and exports take."""
    return f"{timezone.localtime(moment):%Y-%m}"
