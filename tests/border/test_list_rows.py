"""The incidents and meetings lists' rows drawn in Python (border/templatetags/border_rows.py) write the HTML the
templates wrote: same markup, same escaping, dates, numbers and labels in the reader's language."""

from __future__ import annotations

import datetime
import unicodedata
import uuid

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from borderlink.border.models import BorderIncident, ProvincePair
from borderlink.border.models.meetings import ActionItem, Decision, Meeting
from borderlink.core.models import BorderGate, Unit

# the templates' loops before they were drawn in Python
INCIDENT_ROWS = """{% load i18n %}{% for r in rows %}<tr><td><a href="{% url 'border:detail' r.pk %}">{{ r.reference }}</a></td><td>{{ r.occurred_at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ r.get_kind_display }}</td><td>{{ r.pair }}</td><td>{{ r.gate|default:r.place }}</td><td>{{ r.persons_count }}{% if r.children_count %} ({% blocktranslate count n=r.children_count %}{{ n }} child{% plural %}{{ n }} children{% endblocktranslate %}){% endif %}</td><td>{{ r.get_outcome_display }}{% if r.refused_outcome %} <span class="flag">{% translate "return refused" %}</span>{% endif %}</td></tr>{% endfor %}"""
PROTECTION = """{% load i18n %}{% for r in protection|slice:":50" %}<li><a href="{% url 'border:detail' r.pk %}">{{ r.reference }}</a> · {{ r.get_kind_display }} · {{ r.occurred_at|date:"SHORT_DATETIME_FORMAT" }}{% if r.child_flagged %} · <span class="flag">{% translate "child" %}</span>{% endif %}{% if r.protection_referred %} · <span class="flag">{% translate "protection" %}</span>{% endif %}</li>{% endfor %}"""
AWAITING = """{% for r in awaiting %}<li><a href="{% url 'border:detail' r.pk %}">{{ r.reference }}</a> · {{ r.get_kind_display }}</li>{% endfor %}"""
MEETING_ROWS = """{% for m in rows %}<tr><td><a href="{% url 'border:meeting' m.pk %}">{{ m.reference }}</a></td><td>{{ m.starts_at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ m.get_kind_display }}{% if m.frequency %} ({{ m.get_frequency_display }}){% endif %}</td><td>{{ m.pair }}</td><td>{{ m.get_state_display }}</td></tr>{% endfor %}"""
DUE = """{% for d in due %}<li><a href="{% url 'border:meeting' d.meeting_id %}">{{ d.meeting.reference }}</a> · {{ d.outcome|truncatechars:120 }} · {{ d.review_date }}</li>{% endfor %}"""
OVERDUE = """{% for i in overdue %}<li><a href="{% url 'border:meeting' i.meeting_id %}">{{ i.meeting.reference }}</a> · {{ i.text|truncatechars:120 }} · {{ i.owner_unit.name }} · {{ i.due_date }}</li>{% endfor %}"""
NEW_INCIDENTS = """{% load border_rows %}{% incident_rows %}|{% incident_items protection True %}|{% incident_items awaiting %}"""
NEW_MEETINGS = """{% load border_rows %}{% meeting_rows %}|{% decision_items due %}|{% action_items overdue %}"""

LANGUAGES = ["en", "vi", "km", "lo"]


@pytest.fixture
def pair_and_gate(border):
    pair = ProvincePair.objects.select_related("side_a", "side_b").filter(gates__isnull=False).first()
    return pair, pair.gates.first()


def _incidents(pair: ProvincePair, gate: BorderGate) -> list[BorderIncident]:
    at = timezone.make_aware(datetime.datetime(2026, 11, 30, 23, 45), datetime.UTC)  # the next day in Hanoi
    return [
        BorderIncident(pk=uuid.uuid4(), reference='BI-<1> & "x"', occurred_at=at, kind="unauthorised_migration", pair=pair,
                       gate=gate, place="", persons_count=1234, children_count=1, outcome="pending",
                       child_flagged=True, protection_referred=False),
        BorderIncident(pk=uuid.uuid4(), reference="BI-2", occurred_at=at - datetime.timedelta(days=40), kind="smuggling_seizure",
                       pair=pair, gate=None, place="Forest <path> & river", persons_count=3, children_count=2,
                       outcome="referred_protection", refused_outcome="asylum", child_flagged=True, protection_referred=True),
        BorderIncident(pk=uuid.uuid4(), reference="BI-3", occurred_at=at, kind="illegal_crossing", pair=pair, gate=gate,
                       place="x", persons_count=0, children_count=0, outcome="returned", protection_referred=True),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_incident_rows_are_what_the_template_wrote(pair_and_gate, language):
    pair, gate = pair_and_gate
    rows = _incidents(pair, gate)
    context = {"rows": rows, "protection": rows, "awaiting": rows[:2]}
    with translation.override(language):
        old = "|".join(Template(t).render(Context(context)) for t in (INCIDENT_ROWS, PROTECTION, AWAITING))
        new = Template(NEW_INCIDENTS).render(Context(context))
        # as the list draws them: the names of the pairs and gates from the counts, the rows without their joins
        names = {"pair_names": {pair.pk: str(pair)}, "gate_names": {gate.pk: str(gate)}}
        bare = [BorderIncident(**{f.attname: getattr(i, f.attname) for f in BorderIncident._meta.concrete_fields}) for i in rows]
        with CaptureQueriesContext(connection) as ctx:
            named = Template(NEW_INCIDENTS).render(Context({**context, **names, "rows": bare}))
        assert not ctx.captured_queries  # no pair or gate read per row
    assert new == old
    assert named == old
    assert "BI-&lt;1&gt; &amp; &quot;x&quot;" in new and "Forest &lt;path&gt; &amp; river" in new
    assert new.count("<tr>") == 3 and new.count("<li>") == 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_meeting_rows_are_what_the_template_wrote(pair_and_gate, org, language):
    pair, _gate = pair_and_gate
    at = timezone.make_aware(datetime.datetime(2026, 12, 3, 2, 30), datetime.UTC)
    meetings = [Meeting(pk=uuid.uuid4(), reference="LM-<1>", starts_at=at, kind="regular", frequency="quarterly", pair=pair,
                        state="countered"),
                Meeting(pk=uuid.uuid4(), reference="LM-2", starts_at=at, kind="ad_hoc", frequency="", pair=pair, state="held")]
    unit = Unit(name_en='Unit <A> & "B"', name_vi='Phòng <A> & "B"', code="X")
    due = [Decision(meeting=meetings[0], outcome="Both sides agree " + "very " * 40 + "<long> text",
                    review_date=datetime.date(2026, 11, 2)),
           Decision(meeting=meetings[1], outcome="short & sweet", review_date=datetime.date(2027, 1, 15)),
           # decomposed Vietnamese (NFD), short and long: the template's filter wrote it in NFC
           Decision(meeting=meetings[1], outcome=unicodedata.normalize("NFD", "Tuần tra chung ở Lao Bảo"),
                    review_date=datetime.date(2027, 1, 15)),
           Decision(meeting=meetings[1], outcome=unicodedata.normalize("NFD", "Tuần tra chung ở Lao Bảo " * 6),
                    review_date=datetime.date(2027, 1, 15)),
           Decision(meeting=meetings[1], outcome="x" * 120, review_date=datetime.date(2027, 1, 15)),
           Decision(meeting=meetings[1], outcome="y" * 121, review_date=datetime.date(2027, 1, 15))]
    overdue = [ActionItem(meeting=meetings[1], text="Patrol the <river> " * 10, owner_unit=unit,
                          due_date=datetime.date(2026, 10, 1))]
    context = {"rows": meetings, "due": due, "overdue": overdue}
    with translation.override(language):
        old = "|".join(Template(t).render(Context(context)) for t in (MEETING_ROWS, DUE, OVERDUE))
        new = Template(NEW_MEETINGS).render(Context(context))
    assert new == old
    assert "LM-&lt;1&gt;" in new and "&lt;A&gt; &amp; &quot;B&quot;" in new and "…" in new


MEETING_EVENTS = """{% for e in events %}<tr><td>{{ e.at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ e.actor_name|default:"—" }}{% if e.actor_unit %} ({{ e.actor_unit }}){% endif %}</td><td>{{ e.get_action_display }}</td><td>{{ e.text|linebreaksbr }}</td></tr>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "km", "lo"])
def test_meeting_timeline_is_what_the_template_wrote(language):
    from borderlink.border.models.meetings import MeetingEvent

    at = timezone.make_aware(datetime.datetime(2026, 11, 30, 20, 0), datetime.UTC)  # 1 December in Vientiane
    events = [MeetingEvent(pk=uuid.uuid4(), at=at, actor_name="", actor_unit="", action="proposed", text=""),
              MeetingEvent(pk=uuid.uuid4(), at=at, actor_name='Ms <Vanh> & "co"', actor_unit="LA-<SV>", action="countered",
                           text="We prefer\nthe <20th> & 'later'\r\nplease"),
              MeetingEvent(pk=uuid.uuid4(), at=at, actor_name="B", actor_unit="", action="no_such_action", text="t")]
    with translation.override(language):
        old = Template(MEETING_EVENTS).render(Context({"events": events}))
        new = Template("{% load border_rows %}{% meeting_event_rows events %}").render(Context({"events": events}))
    assert new == old
    assert new.count("<tr>") == 3 and "&lt;20th&gt;" in new and new.count("<br>") == 2


SETTLE_OLD = """{% for field in settle_form %}<div class="form-row">{{ field.label_tag }}{{ field }}{{ field.errors }}</div>{% endfor %}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_settle_form_is_what_the_widget_templates_wrote(pair_and_gate, language):
    """The incident page's settle form, drawn with core.widgets, writes what Django's widget templates wrote (whitespace
    between tags aside): unbound with the incident's outcome, and bound with errors."""
    import re

    from django import forms

    from borderlink.border.forms import SettleForm

    pair, gate = pair_and_gate
    incident = BorderIncident(pk=uuid.uuid4(), pair=pair, outcome="returned")

    class TemplateSettleForm(SettleForm):  # the form as it was: Django's own widgets
        outcome = forms.ChoiceField(label=SettleForm.base_fields["outcome"].label, choices=SettleForm.base_fields["outcome"].choices)
        gate_id = forms.ChoiceField(label=SettleForm.base_fields["gate_id"].label, required=False)
        handling = forms.CharField(label=SettleForm.base_fields["handling"].label, max_length=10_000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def squeezed(html: str) -> str:
        return re.sub(r">\s+<", "><", html)

    bad = {"outcome": "nonsense", "gate_id": str(gate.pk), "handling": 'Handed <over> & "back"\nat the gate'}
    for data, initial in ((None, {"outcome": "returned"}), (bad, None)):
        with translation.override(language):
            old_form = TemplateSettleForm(data, incident=incident, initial=initial)
            new_form = SettleForm(data, incident=incident, initial=initial)
            if data:
                assert not old_form.is_valid() and not new_form.is_valid()
            old = Template(SETTLE_OLD).render(Context({"settle_form": old_form}))
            new = Template("{% load case_page %}{% form_rows settle_form %}").render(Context({"settle_form": new_form}))
        assert squeezed(new) == squeezed(old)
        assert f'<option value="{gate.pk}"' in new and ("&lt;over&gt;" in new) == bool(data)


FILTER_AND_COUNTS = """{% load i18n display %}<label>{{ form.pair.label }}<select name="pair">{% for v, l in form.fields.pair.choices %}<option value="{{ v }}"{% if v == form.data.pair %} selected{% endif %}>{{ l }}</option>{% endfor %}</select></label>
  <label>{{ form.gate.label }}<select name="gate">{% for v, l in form.fields.gate.choices %}<option value="{{ v }}"{% if v == form.data.gate %} selected{% endif %}>{{ l }}</option>{% endfor %}</select></label>
  <label>{{ form.kind.label }}<select name="kind">{% for v, l in form.fields.kind.choices %}<option value="{{ v }}"{% if v == form.data.kind %} selected{% endif %}>{{ l }}</option>{% endfor %}</select></label>
<table><caption>{% translate "Per kind" %}</caption><tbody>{% for k in counts.kinds %}<tr><th>{{ k.label }}</th><td>{{ k.n }}</td></tr>{% endfor %}</tbody></table>
<table><caption>{% translate "Per province pair" %}</caption><tbody>{% for p in counts.pairs %}<tr><th>{{ p.pair }}</th><td>{{ p.n }}</td></tr>{% empty %}<tr><td>—</td></tr>{% endfor %}</tbody></table>
<table><caption>{% translate "Per gate" %}</caption><tbody>{% for g in counts.gates %}<tr><th>{{ g.gate }}</th><td>{{ g.n }}</td></tr>{% empty %}<tr><td>—</td></tr>{% endfor %}</tbody></table>
<table><caption>{% translate "Per month" %}</caption><tbody>{% for m in counts.months %}<tr><th>{{ m.month|month }}</th><td>{{ m.n }}</td></tr>{% endfor %}</tbody></table>
"""
NEW_FILTER_AND_COUNTS = """{% load border_rows %}<label>{% filter_select form "pair" %}</label>
  <label>{% filter_select form "gate" %}</label>
  <label>{% filter_select form "kind" %}</label>
{% count_tables counts %}
"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chosen", [{}, {"pair": "x", "gate": "y", "kind": "smuggling_seizure"}])
def test_the_filter_and_the_counts_are_what_the_template_wrote(officer, pair_and_gate, language, chosen):
    """`{% filter_select %}` and `{% count_tables %}` write the list template's loops: the choices, the chosen ones
    selected, labels and numbers in the reader's language (thousands), empty tables with a dash."""
    from borderlink.border.forms import FilterForm

    pair, gate = pair_and_gate
    with translation.override(language):
        form = FilterForm({}, user=officer, pairs=[pair], gates=[gate])
        form.data = {"pair": chosen.get("pair") and pair.code, "gate": chosen.get("gate") and str(gate.pk),
                     "kind": chosen.get("kind", ""), "start": "2026-01", "end": "2026-12"}
        for counts in ({"kinds": [{"kind": "smuggling_seizure", "label": "Smuggling <goods>", "n": 12345}], "pairs": [{"pair": str(pair), "n": 3}],
                        "gates": [{"gate": str(gate), "n": 1}], "months": [{"month": "2026-01", "n": 0}, {"month": "2026-02", "n": 1500}]},
                       {"kinds": [], "pairs": [], "gates": [], "months": []}):
            context = {"form": form, "counts": counts}
            old = Template(FILTER_AND_COUNTS).render(Context(context))
            new = Template(NEW_FILTER_AND_COUNTS).render(Context(context))
            assert new == old
            assert "&lt;goods&gt;" in new or not counts["kinds"]
    assert new.count(" selected") == (3 if chosen else 1)  # pair, gate and kind chosen; else the blank kind


@pytest.mark.parametrize("chosen", ["", "old"])
def test_a_group_of_pairs_of_other_periods_is_an_optgroup(officer, pair_and_gate, chosen):
    """The pairs not valid today come in a group of their own (`forms._pair_choices`): written as an `<optgroup>` of
    options that can be chosen, never as one option whose value is the group's label and whose text is a list."""
    from borderlink.border.forms import FilterForm

    pair, gate = pair_and_gate
    form = FilterForm({}, user=officer, pairs=[pair], gates=[gate])
    form.fields["pair"].choices = [*form.fields["pair"].choices, ("Other <periods>", [("old", "Old & pair"), ("older", "B")])]
    form.data = {"pair": chosen}
    html = Template('{% load border_rows %}{% filter_select form "pair" %}').render(Context({"form": form}))
    group = ('<optgroup label="Other &lt;periods&gt;"><option value="old"%s>Old &amp; pair</option>'
             '<option value="older">B</option></optgroup>') % (" selected" if chosen else "")
    assert group in html and "[(" not in html and "[&#x27;" not in html
    assert html.count(" selected") == 1  # the chosen old pair, or else the blank choice
