"""The inbox's rows drawn in Python (issue 19).

The template drew each of the page's 25 rows with `{% url %}`, `get_priority_display` (a choices dict built on
every call), `{% country %}` and the date filter: about half of the page's CPU went to rendering. This writes the
same HTML (tests/exchange/test_inbox_rows.py compares it with the template's, in several languages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from borderlink.core.templatetags.display import countries
from borderlink.core.widgets import esc
from borderlink.exchange.models import Priority

_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def inbox_rows(messages: Iterable[Any]) -> SafeString:
    """The `<tr>` rows of the inbox's table for `messages` (a page of `queries.inbox`, with `my_read_at`,
    `my_acknowledged_at` and `attachment_count`; `sender_unit` loaded), in the active language: priority badge,
    subject linked to the message and the number of attachments, sending unit and its country, sending time
    (local, the reader's format), handling code, and the unit's state of the message (unread rows marked)."""
    priorities, names = dict(Priority.choices), countries()
    detail = reverse("exchange:detail", args=[_PLACEHOLDER])
    attachments, acknowledged, read, unread = _("Attachments"), _("acknowledged"), _("read"), _("unread")
    when = get_format("SHORT_DATETIME_FORMAT")  # once per page, as date_format looks it up per value
    rows = []
    for m in messages:
        unit = m.sender_unit
        country = names.get(unit.country_id)
        # (core.widgets.esc: `format_html`'s escaping without its lazy-argument wrapper, the same HTML; issue 19)
        rows.append(_ROW.format(*map(esc, (
            "" if m.my_read_at else "unread", m.priority, str(priorities.get(m.priority, m.priority)),
            detail.replace(_PLACEHOLDER, str(m.pk)), m.subject,
            format_html(' <span class="meta">· {}: {}</span>', attachments, localize(m.attachment_count))
            if m.attachment_count else "",
            unit.name, country.name if country is not None else unit.country_id,
            dateformat.format(timezone.localtime(m.sent_at), when) if m.sent_at else "",
            m.handling_code, m.handling_code,
            acknowledged if m.my_acknowledged_at else read if m.my_read_at else unread,
        ))))
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped by esc)


_ROW = ('\n<tr class="{}">\n  <td><span class="badge {}">{}</span></td>\n'
        '  <td><a href="{}">{}</a>{}</td>\n  <td>{} <span class="meta">({})</span></td>\n'
        '  <td>{}</td>\n  <td><span class="badge {}">{}</span></td>\n  <td>{}</td>\n</tr>\n')
