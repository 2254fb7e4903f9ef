"""Time left before a deadline, in the reader's language."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _span(delta: datetime.timedelta) -> str:
    seconds = abs(int(delta.total_seconds()))
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + (
            " " + ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else "")
    if hours:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} + (
            " " + ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes} if minutes else "")
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


@register.filter
def timeleft(delta: datetime.timedelta | None) -> str:
    if delta is None:
        return "—"
    if delta.total_seconds() < 0:
        return _("overdue by %(span)s") % {"span": _span(delta)}
    return _("%(span)s left") % {"span": _span(delta)}


@register.filter
def hours_span(hours: float | None) -> str:
    if hours is None:
        return "—"
    return _span(datetime.timedelta(hours=hours))
