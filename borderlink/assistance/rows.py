"""The requests dashboard's rows drawn in Python (issue 19).

The template drew each of the page's 25 rows with `{% url %}`, two `get_FOO_display` (each builds its choices
dict on every call), `{% country %}` and the date and time-left filters: a third of the page's CPU. This writes
the same HTML (tests/assistance/test_page_rows.py compares it with the template's, in several languages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format, get_format, localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from borderlink.assistance.models import Alert, RequestKind, RequestState
from borderlink.assistance.templatetags.assistance import timeleft
from borderlink.core.display import month_label
from borderlink.core.templatetags.display import countries
from borderlink.core.widgets import esc

_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _when(moment: Any, fmt: str | None = None) -> str:
    """`{{ moment|date:"SHORT_DATETIME_FORMAT"|default:"—" }}`: local time, the reader's format (`fmt`: that
    format as `get_format("SHORT_DATETIME_FORMAT")` gives it in the active language, when the caller has it: as
    `date_format` does, without looking it up again for each row)."""
    if not moment:
        return "—"
    return dateformat.format(timezone.localtime(moment), fmt or get_format("SHORT_DATETIME_FORMAT"))


def dashboard_rows(requests: Iterable[Any]) -> SafeString:
    """The `<tr>` rows of the dashboard's table for `requests` (each with `time_left`, a timedelta or None, and
    `outgoing`, True when the user's unit sent it, as the view sets them; `requesting_unit` and `requested_unit`
    loaded), in the active language: reference linked to the request, urgency badge and subject, kind, the
    other unit and its country, state, deadline (local time) and time left (overdue ones marked)."""
    kinds, states, names = dict(RequestKind.choices), dict(RequestState.choices), countries()
    fmt = get_format("SHORT_DATETIME_FORMAT")  # (once per page, not per row)
    detail = reverse("assistance:detail", args=[_PLACEHOLDER])
    urgent = format_html('<span class="badge urgent">{}</span> ', _("urgent"))
    overdue = mark_safe(' class="state-rejected"')  # a constant
    rows = []
    for r in requests:
        other, arrow = (r.requested_unit, "→") if r.outgoing else (r.requesting_unit, "←")
        country = names.get(other.country_id)
        left = r.time_left
        # (each value escaped as format_html_join did, with the faster `esc`: a third of the rows' cost was Django's
        # escape wrapper)
        rows.append(
            f'<tr>\n<td><a href="{esc(detail.replace(_PLACEHOLDER, str(r.pk)))}">{esc(r.reference)}</a></td>\n'
            f"<td>{urgent if r.urgency == 'urgent' else ''}{esc(r.subject)}</td>\n<td>{esc(str(kinds.get(r.kind, r.kind)))}</td>\n"
            f"<td>{arrow} {esc(other.name)} ({esc(country.name if country is not None else other.country_id)})</td>\n"
            f"<td>{esc(str(states.get(r.state, r.state)))}</td>\n<td>{esc(_when(r.deadline, fmt))}</td>\n"
            f"<td{overdue if left and left.total_seconds() < 0 else ''}>{esc(timeleft(left))}</td>\n</tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


def statistics_rows(table: Iterable[dict[str, Any]]) -> SafeString:
    """The `<tr>` rows of the dashboard's "requests per country and month" table (`services.statistics`'s "table":
    {"month": "YYYY-MM", "country": code, "sent": n, "received": n}), as the template's loop wrote them: the month
    as the active language names it, the other country's name (the code when unknown), the two counts."""
    names = countries()
    out = []
    for row in table:
        country = names.get(row["country"])
        out.append(
            f"<tr><td>{esc(month_label(str(row['month'] or '')))}</td>"
            f"<td>{esc(country.name if country is not None else row['country'])}</td>"
            f"<td>{esc(localize(row['sent']))}</td><td>{esc(localize(row['received']))}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


_ALERT_BADGE = {Alert.Kind.ESCALATED: " immediate", Alert.Kind.VICTIM_ESCALATED: " immediate", Alert.Kind.REMINDER: " urgent"}


def alert_items(alerts: Iterable[Any]) -> SafeString:
    """The `<li>` items of the dashboard's alerts (`services.alerts_for`), as the template's loop wrote them: when
    (local time, the reader's format), the kind as a badge (escalations marked immediate, reminders urgent) and the
    title linked to the alert's address."""
    kinds = dict(Alert.Kind.choices)
    return mark_safe("".join(  # noqa: S308 (every value escaped)
        f"<li>{esc(_alert_when(a.created_at))} · <span class=\"badge{_ALERT_BADGE.get(a.kind, '')}\">"
        f"{esc(str(kinds.get(a.kind, a.kind)))}</span> <a href=\"{esc(a.url)}\">{esc(a.title)}</a></li>"
        for a in alerts
    ))


def _alert_when(moment: Any) -> str:
    """`{{ moment|date:"SHORT_DATETIME_FORMAT" }}`: local time, the reader's format; "" for none."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""
