"""The inbox's rows drawn in Python (exchange/rows.py, issue 19) are the HTML the template wrote: same markup and
escaping, priorities and countries in the reader's language, times in its format, the unit's state of each."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from borderlink.exchange.models import Message
from borderlink.exchange.rows import inbox_rows

pytestmark = pytest.mark.django_db

# the template's rows before they were drawn in Python (exchange/inbox.html)
ROWS = """{% load i18n display %}{% for m in messages %}
<tr class="{% if not m.my_read_at %}unread{% endif %}">
  <td><span class="badge {{ m.priority }}">{{ m.get_priority_display }}</span></td>
  <td><a href="{% url 'exchange:detail' m.pk %}">{{ m.subject }}</a>{% if m.attachment_count %} <span class="meta">· {% translate "Attachments" %}: {{ m.attachment_count }}</span>{% endif %}</td>
  <td>{{ m.sender_unit.name }} <span class="meta">({% country m.sender_unit.country_id %})</span></td>
  <td>{{ m.sent_at|date:"SHORT_DATETIME_FORMAT" }}</td>
  <td><span class="badge {{ m.handling_code }}">{{ m.handling_code }}</span></td>
  <td>{% if m.my_acknowledged_at %}{% translate "acknowledged" %}{% elif m.my_read_at %}{% translate "read" %}{% else %}{% translate "unread" %}{% endif %}</td>
</tr>
{% endfor %}"""


def _messages(org):
    now = timezone.now()
    given = [  # subject, priority, handling, sender, read, acknowledged, attachments, sent
        ('Plate <b>"74A"</b> & co', "immediate", "H0", org.la_unit, None, None, 2, now),
        ("Check a vehicle", "urgent", "H1", org.kh_unit, now, None, 0, now - datetime.timedelta(days=40, hours=3)),
        ("Đã nhận", "routine", "H2", org.vn_other, now, now, 1234, now - datetime.timedelta(minutes=7)),
        ("Not sent yet", "routine", "H0", org.la_unit, None, now, 1, None),
    ]
    rows = []
    for subject, priority, handling, unit, read, acknowledged, attachments, sent in given:
        m = Message(pk=uuid.uuid4(), subject=subject, priority=priority, handling_code=handling, sender_unit=unit, sent_at=sent)
        m.my_read_at, m.my_acknowledged_at, m.attachment_count = read, acknowledged, attachments
        rows.append(m)
    return rows


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_rows_are_what_the_template_wrote(org, language):
    messages = _messages(org)
    with translation.override(language):
        old = Template(ROWS).render(Context({"messages": messages}))
        new = inbox_rows(messages)
    assert new == old
    assert "&lt;b&gt;&quot;74A&quot;&lt;/b&gt; &amp; co" in new and new.count('class="unread"') == 2
