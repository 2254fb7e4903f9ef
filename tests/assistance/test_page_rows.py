"""The requests dashboard's rows drawn in Python (assistance/rows.py, issue 19) are the HTML the template wrote:
same markup and escaping, kinds, states and countries in the reader's language, dates in its format, time left."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from borderlink.assistance.models import Request
from borderlink.assistance.rows import dashboard_rows

pytestmark = pytest.mark.django_db

# the template's rows before they were drawn in Python (assistance/dashboard.html)
ROWS = """{% load i18n assistance display %}{% for r in requests %}<tr>
<td><a href="{% url 'assistance:detail' r.pk %}">{{ r.reference }}</a></td>
<td>{% if r.urgency == "urgent" %}<span class="badge urgent">{% translate "urgent" %}</span> {% endif %}{{ r.subject }}</td>
<td>{{ r.get_kind_display }}</td>
<td>{% if r.outgoing %}→ {{ r.requested_unit.name }} ({% country r.requested_unit.country_id %}){% else %}← {{ r.requesting_unit.name }} ({% country r.requesting_unit.country_id %}){% endif %}</td>
<td>{{ r.get_state_display }}</td>
<td>{{ r.deadline|date:"SHORT_DATETIME_FORMAT"|default:"—" }}</td>
<td{% if r.time_left and r.time_left.total_seconds < 0 %} class="state-rejected"{% endif %}>{{ r.time_left|timeleft }}</td>
</tr>{% endfor %}"""


def _requests(org):
    now = timezone.now()
    given = [
        ("urgent", 'Trace <b>"74A"</b> & co', "trace_vehicle", "sent", now + datetime.timedelta(days=2, hours=3), True),
        ("normal", "Locate Somphone", "locate", "clarification", now - datetime.timedelta(hours=5, minutes=7), False),
        ("normal", "Draft", "verify_identity", "draft", None, True),
        ("urgent", "Handover", "arrest_handover", "accepted", now + datetime.timedelta(minutes=40), False),
        ("normal", "Answered", "obtain_evidence", "answered", now - datetime.timedelta(days=3), True),
    ]
    rows = []
    for n, (urgency, subject, kind, state, deadline, outgoing) in enumerate(given):
        r = Request(pk=uuid.uuid4(), reference=f"RQ-2026-{n:05d}", urgency=urgency, subject=subject, kind=kind, state=state,
                    deadline=deadline, requesting_unit=org.vn_unit if outgoing else org.la_unit,
                    requested_unit=org.la_unit if outgoing else org.vn_unit)
        r.time_left = (deadline - now) if deadline and state not in ("answered", "closed", "declined") else None
        r.time_left = datetime.timedelta(0) if n == 4 else r.time_left  # zero left: not marked
        r.outgoing = outgoing
        rows.append(r)
    return rows


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_rows_are_what_the_template_wrote(org, language):
    requests = _requests(org)
    with translation.override(language):
        old = Template(ROWS).render(Context({"requests": requests}))
        new = dashboard_rows(requests)
    assert new == old
    assert "&lt;b&gt;&quot;74A&quot;&lt;/b&gt; &amp; co" in new and new.count('class="state-rejected"') == 1


@pytest.mark.parametrize("language", ["en", "km"])
def test_the_request_page_forms_are_what_django_wrote(org, language):
    """The step forms of the request page, drawn with core.widgets, write what Django's widget templates wrote."""
    from borderlink.assistance import forms as request_forms
    from tests.cases.test_page_rows import _squeezed, _stock

    req = Request(pk=uuid.uuid4(), requesting_unit=org.vn_unit, requested_unit=org.la_unit)
    bad = {"text": "", "reason": "nope", "result_0": "nope", "value_0": "<b>x</b>" * 50, "partial": "on", "at": "tomorrow",
           "place": "Lao <Bao>", "gate": "999", "escort_requesting_unit": str(org.vn_unit.pk), "handed_by": "A & B",
           "justification": "x" * 3000}
    makers = (request_forms.TextForm, request_forms.OptionalTextForm, request_forms.ApproveForm, request_forms.DeclineForm,
              request_forms.AnswerForm, lambda data=None: request_forms.HandoverForm(data, req=req))
    with translation.override(language):
        for make in makers:
            for form in (make(), make(bad)):
                if form.is_bound:
                    form.is_valid()
                for field in form:
                    if type(field.field.widget).__module__ == "borderlink.core.widgets":
                        assert _squeezed(field) == _squeezed(field.as_widget(widget=_stock(field.field.widget))), field.name


# the template's statistics rows and alerts before they were drawn in Python (assistance/dashboard.html)
STATISTICS = """{% load display %}{% for row in stats.table %}<tr><td>{{ row.month|month }}</td><td>{% country row.country %}</td><td>{{ row.sent }}</td><td>{{ row.received }}</td></tr>{% endfor %}"""
ALERTS = """{% for a in alerts %}<li>{{ a.created_at|date:"SHORT_DATETIME_FORMAT" }} · <span class="badge{% if a.kind == 'escalated' or a.kind == 'victim_escalated' %} immediate{% elif a.kind == 'reminder' %} urgent{% endif %}">{{ a.get_kind_display }}</span> <a href="{{ a.url }}">{{ a.title }}</a></li>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_statistics_rows_and_alerts_are_what_the_template_wrote(org, language):
    from borderlink.assistance.models import Alert
    from borderlink.assistance.rows import alert_items, statistics_rows

    table = [{"month": "2026-11", "country": "LA", "sent": 12, "received": 0},
             {"month": "2026-02", "country": "KH", "sent": 0, "received": 1234567},
             {"month": "2025-12", "country": "ZZ", "sent": 3, "received": 4},  # a code no country has: the code
             {"month": "odd<&>", "country": "<b>", "sent": 1, "received": 1}]  # (never given: escaped all the same)
    now = timezone.now()
    alerts = [Alert(unit=org.vn_unit, kind=kind, title=title, url=url, created_at=when)
              for kind, title, url, when in [
                  (Alert.Kind.ESCALATED, "Overdue: RQ-2026-00001", "/requests/1/", now),
                  (Alert.Kind.VICTIM_ESCALATED, 'Victim <case> "7" & more', "/victims/7/?a=1&b=2", now - datetime.timedelta(days=40)),
                  (Alert.Kind.REMINDER, "Due soon", "/requests/2/", now - datetime.timedelta(minutes=3)),
                  (Alert.Kind.REQUEST_RECEIVED, "New", "/requests/3/", now),
                  (Alert.Kind.CUSTODY, "Custody", "/custody/4/", now),
                  (Alert.Kind.ANSWERED, "Answered", "/requests/5/", now),
                  ("retired_kind", "An alert of a kind no longer listed", "/x/", now)]]
    with translation.override(language):
        assert statistics_rows(table) == Template(STATISTICS).render(Context({"stats": {"table": table}}))
        old = Template(ALERTS).render(Context({"alerts": alerts}))
        assert alert_items(alerts) == old
    assert "&lt;case&gt; &quot;7&quot; &amp; more" in old and old.count(" immediate") == 2 and old.count(" urgent") == 1
