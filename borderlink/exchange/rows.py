"""The inbox's rows drawn in Python (issue 19).

The template drew each of the page's 25 rows with `{% url %}`, `get_priority_display` (a choices dict built on
every call), `{% country %}` and the date filter: about half of the page's CPU went to rendering. This writes the
same HTML (tests/exchange/test_inbox_rows.py compares it with the template's, in several languages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from borderlink.core.templatetags.display import countries
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
    rows = []
    for m in messages:
        unit = m.sender_unit
        country = names.get(unit.country_id)
        rows.append((
            "" if m.my_read_at else "unread", m.priority, str(priorities.get(m.priority, m.priority)),
            detail.replace(_PLACEHOLDER, str(m.pk)), m.subject,
            format_html(' <span class="meta">· {}: {}</span>', attachments, localize(m.attachment_count))
            if m.attachment_count else "",
            unit.name, country.name if country is not None else unit.country_id,
            date_format(timezone.localtime(m.sent_at), "SHORT_DATETIME_FORMAT") if m.sent_at else "",
            m.handling_code, m.handling_code,
            acknowledged if m.my_acknowledged_at else read if m.my_read_at else unread,
        ))
    return format_html_join("", '\n<tr class="{}">\n  <td><span class="badge {}">{}</span></td>\n'
                                '  <td><a href="{}">{}</a>{}</td>\n  <td>{} <span class="meta">({})</span></td>\n'
                                '  <td>{}</td>\n  <td><span class="badge {}">{}</span></td>\n  <td>{}</td>\n</tr>\n', rows)
