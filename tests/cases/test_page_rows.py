"""The case page's rows and forms drawn in Python (cases/templatetags/case_page.py, core.widgets) write the HTML the
template engine and Django's own widget templates wrote: same markup, same escaping, numbers and dates in the
reader's language."""

from __future__ import annotations

import copy
import datetime
import decimal
import re
import uuid

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from borderlink.cases import forms as case_forms
from borderlink.cases.models import Entity, Link
from borderlink.core import widgets

pytestmark = pytest.mark.django_db

# the template's rows before they were drawn in Python
ENTITY_ROWS = """{% load i18n %}{% for e in entities %}<tr><td>{{ e.kind_label }}{% if e.role %} · {{ e.role_label }}{% endif %}</td><td><a href="{{ entity_base }}{{ e.pk }}/">{{ e.label }}</a><br><small>{{ e.pk }}</small></td><td>{{ e.owner_country_id }}</td>
<td>{% if e.shared %}{% translate "shared" %}{% else %}{% translate "private" %}{% if e.owner_country_id == country %}<form method="post" action="{{ share_base }}{{ e.pk }}/">{% csrf_token %}<button class="secondary" type="submit">{% translate "Share" %}</button></form>{% endif %}{% endif %}</td>
<td>{% if e.pk in marked %}<strong>{% translate "found elsewhere" %}</strong>{% endif %}</td></tr>{% endfor %}"""
LINK_ROWS = """{% load i18n %}{% for l in links %}<tr><td>{{ l.source.label }}</td><td>{{ l.kind_label }}</td><td>{{ l.target.label }}</td><td>{{ l.first_date|default:"" }}{% if l.last_date %} – {{ l.last_date }}{% endif %}</td><td>{% if l.amount %}{{ l.amount }} {{ l.currency }}{% endif %}</td><td>{{ l.information_source }}</td><td>{% if l.shared %}{% translate "shared" %}{% else %}{% translate "private" %}{% endif %}</td></tr>{% endfor %}"""
OPTIONS = """{% for e in entities %}<option value="{{ e.pk }}">{{ e.kind_label }}: {{ e.label }}</option>{% endfor %}"""
NEW = """{% load case_page %}{% entity_rows %}|{% link_rows %}|{% entity_options %}"""


def entity(kind: str, label: str, country: str, shared: bool, role: str = "") -> Entity:
    e = Entity(pk=uuid.uuid4(), kind=kind, label=label, owner_country_id=country, shared=shared, role=role)
    e.kind_label = {"person": "person", "phone": "phone number"}[kind]  # type: ignore[attr-defined]
    e.role_label = {"suspect": "suspect", "": ""}[role]  # type: ignore[attr-defined]
    return e


@pytest.mark.parametrize("language", ["en", "vi", "km"])
def test_rows_are_what_the_template_wrote(language):
    rows = [entity("person", 'Lê <b>"Tám"</b> & co', "VN", False, "suspect"), entity("phone", "+84912345678", "VN", True),
            entity("phone", "+85512000111", "KH", False)]
    a, b, c = rows
    links = [Link(pk=uuid.uuid4(), kind="called", source=a, target=b, first_date=datetime.date(2026, 3, 4),
                  last_date=datetime.date(2026, 11, 30), amount=decimal.Decimal("12500.50"), currency="USD",
                  information_source="Call <records>", shared=True),
             Link(pk=uuid.uuid4(), kind="uses", source=b, target=c, last_date=datetime.date(2026, 1, 2),
                  information_source="Witness", shared=False),
             Link(pk=uuid.uuid4(), kind="owns", source=c, target=a, amount=decimal.Decimal("0"), information_source="")]
    for link in links:
        link.kind_label = link.get_kind_display()  # type: ignore[attr-defined]
    context = {"entities": rows, "links": links, "labels": {e.pk: e.label for e in rows}, "marked": {b.pk},
               "country": "VN", "entity_base": "/cases/x/entities/", "share_base": "/cases/x/share/entity/",
               "csrf_token": "TOKEN123"}
    with translation.override(language):
        old = "|".join(Template(t).render(Context(context)) for t in (ENTITY_ROWS, LINK_ROWS, OPTIONS))
        new = Template(NEW).render(Context(context))
    assert new == old
    assert "&lt;b&gt;&quot;Tám&quot;&lt;/b&gt; &amp; co" in new and "TOKEN123" in new and new.count("<form") == 1


def _stock(widget: forms.Widget) -> forms.Widget:
    """The same widget as Django's own class (drawn through its templates)."""
    clone = copy.deepcopy(widget)
    clone.__class__ = next(k for k in type(widget).__mro__ if k.__module__.startswith("django.forms"))
    if hasattr(widget, "input_type"):
        clone.input_type = widget.input_type  # a class attribute of ours (a date picker)
    return clone


def _as_django_wrote(form: forms.Form) -> str:
    return "".join(f'<div class="form-row">{field.label_tag()}{field.as_widget(widget=_stock(field.field.widget))}'
                   f"{field.errors}</div>" for field in form)


def _squeezed(html: str) -> str:
    """Django's select template puts each <option> on its own indented line; a browser draws the same either way."""
    return re.sub(r">\s+<", "><", str(html))


@pytest.mark.parametrize("language", ["en", "lo"])
def test_forms_are_what_django_wrote(officer, language):
    bad = {"kind": "nope", "value": "<x>", "birth_year": "12", "shared": "on", "details": "a\nb", "first_date": "2026-02-30",
           "amount": "1.234", "deadline": "tomorrow", "text": "", "reference": "R" * 50, "source": "", "gate": "999999",
           "outcome": "nope"}
    with translation.override(language):
        for make in (case_forms.EntityForm, case_forms.LinkForm, case_forms.NoteForm, case_forms.TaskForm,
                     case_forms.RequestLinkForm, case_forms.StepForm,
                     lambda data=None: case_forms.InviteForm(data, user=officer)):
            for form in (make(), make(bad)):
                if form.is_bound:
                    assert not form.is_valid()
                for _twice in range(2):  # the second time a blank form may come from the process's drawings
                    assert _squeezed(widgets.form_rows(form)) == _squeezed(_as_django_wrote(form)), type(form).__name__
        task = case_forms.TaskForm(initial={"deadline": datetime.datetime(2026, 12, 1, 9, 30)})
        assert 'value="2026-12-01T09:30"' in widgets.form_rows(task, ("assigned_unit", "title", "text"))


def test_a_blank_form_drawn_once_follows_its_choices_and_the_language(org):
    from borderlink.core.models import BorderGate, Country

    first = widgets.form_rows(case_forms.EntityForm())
    assert widgets.form_rows(case_forms.EntityForm()) is first  # reused
    vn, la = Country.objects.get(code="VN"), Country.objects.get(code="LA")
    BorderGate.objects.create(side_a_country=vn, side_a_name="Cổng Thử", side_a_province="Quảng Trị", side_b_country=la,
                              side_b_name="Dan Test", side_b_province="Savannakhet", level="main")
    again = widgets.form_rows(case_forms.EntityForm())
    assert again is not first and "Cổng Thử" in again and "Cổng Thử" not in first
    with translation.override("lo"):
        lao = widgets.form_rows(case_forms.EntityForm())
    assert lao != again and "Cổng Thử" in lao
    bound = case_forms.EntityForm({"kind": "phone", "value": "+84912345678"})
    assert 'value="+84912345678"' in widgets.form_rows(bound)  # a bound form is always drawn


CASE_ROWS = """{% for c in cases %}<tr><td><a href="{% url 'cases:detail' c.pk %}">{{ c.reference }}</a></td><td>{{ c.title }}</td><td>{{ c.get_offence_display }}</td><td>{{ c.lead_unit.name }} ({{ c.lead_unit.country_id }})</td><td>{{ c.get_state_display }}</td></tr>{% endfor %}"""
INVITATIONS = """{% for i in invitations %}<li><a href="{% url 'cases:invitation' i.pk %}">{{ i.reference }}</a> · {{ i.get_offence_display }} · {{ i.lead_unit.name }} ({{ i.lead_unit.country_id }})</li>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_list_rows_are_what_the_template_wrote(language):
    from borderlink.cases.models import Case, Participant
    from borderlink.core.models import Unit

    unit = Unit(name_en='Unit <A> & "B"', name_vi="Phòng <A>", name_lo="ໜ່ວຍ <A>", code="U", country_id="VN")
    cases = [Case(pk=uuid.uuid4(), reference="JC-<1>", title='Ring "north" & <south>', offence="trafficking_in_persons",
                  state="open", lead_unit=unit),
             Case(pk=uuid.uuid4(), reference="JC-2", title="Plain", offence="drug_trafficking", state="draft", lead_unit=unit)]
    invitations = [Participant(pk=uuid.uuid4(), reference="JC-<9>", offence="drug_trafficking", lead_unit=unit)]
    context = {"cases": cases, "invitations": invitations}
    with translation.override(language):
        old = "|".join(Template(t).render(Context(context)) for t in (CASE_ROWS, INVITATIONS))
        new = Template("{% load case_page %}{% case_rows cases %}|{% invitation_items invitations %}").render(Context(context))
    assert new == old
    assert "JC-&lt;1&gt;" in new and "&lt;south&gt;" in new and new.count("<tr>") == 2 and new.count("<li>") == 1


@pytest.mark.parametrize("language", ["en", "km"])
def test_the_invitation_checkboxes_are_what_django_wrote(officer, org, language):
    """The invitation form's units, drawn by core.widgets.CheckboxSelectMultiple (no template per unit; issue 19), are
    byte for byte what Django's templates wrote: blank, with units ticked, with a unit that cannot be chosen, and with
    a unit excluded (the lead's own unit and those already asked are left out as before)."""
    from borderlink.core.models import Unit

    others = list(Unit.objects.filter(is_active=True).exclude(pk=officer.unit_id).order_by("country", "code"))
    assert len(others) >= 2
    ticked = {"units": [str(others[0].pk), str(others[-1].pk)], "message": "<b>"}
    with translation.override(language):
        for form, units, checked in ((case_forms.InviteForm(user=officer), len(others), 0),
                                     (case_forms.InviteForm(ticked, user=officer), len(others), 2),
                                     (case_forms.InviteForm({"units": ["999999"]}, user=officer), len(others), 0),
                                     (case_forms.InviteForm(user=officer, exclude=[others[0].pk]), len(others) - 1, 0)):
            field = form["units"]
            drawn = str(field)
            assert drawn == str(field.as_widget(widget=_stock(field.field.widget)))
            assert drawn.count('type="checkbox"') == units and drawn.count(" checked") == checked


# the template's same-person items before they were drawn in Python (c: a SamePerson with its entity and person)
CANDIDATE_ITEMS = """{% load i18n %}{% for c in candidates %}<li>{{ c.entity.label }} ↔ {{ c.person.primary_name }} · {% translate "Score" %} {{ c.score|floatformat:2 }} · {{ c.get_state_display }}
{% if c.state != "confirmed" %}<form method="post" action="{% url 'cases:same_person' case.pk c.pk 'confirmed' %}">{% csrf_token %}<button type="submit">{% translate "Same person" %}</button></form>{% endif %}
{% if c.state != "rejected" %}<form method="post" action="{% url 'cases:same_person' case.pk c.pk 'rejected' %}">{% csrf_token %}<button class="secondary" type="submit">{% translate "Not the same person" %}</button></form>{% endif %}
{% if c.state != "candidate" %}<form method="post" action="{% url 'cases:same_person' case.pk c.pk 'candidate' %}">{% csrf_token %}<button class="secondary" type="submit">{% translate "Undo" %}</button></form>{% endif %}</li>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_candidate_items_are_what_the_template_wrote(officer, supervisor, foreign_officer, org, language):
    """The case page's same-person items (`correlation.page_candidates` drawn by {% candidate_items %}) against the
    template's loop over the SamePerson rows: labels and names escaped, the score in the reader's language, each
    state's forms."""
    from borderlink.cases import correlation, items
    from borderlink.cases.items import EntityInput
    from borderlink.cases.models import SamePerson
    from borderlink.persons.services import NameInput, PersonInput, record_person
    from tests.cases.helpers import open_case

    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    a = items.add_entity(officer, case.pk, EntityInput(kind="person", role="suspect", shared=True,
                                                       person=PersonInput(names=[NameInput("Lê Văn Tám")], birth_year=1990)))
    Entity.objects.filter(pk=a.pk).update(label='Lê <b>"Tám"</b> & co')  # a label to escape
    a.refresh_from_db()
    rows = []
    for n, (state, score) in enumerate([("candidate", 0.975), ("confirmed", 0.5), ("rejected", 1.0), ("candidate", 0.12345)]):
        person = record_person(officer, PersonInput(names=[NameInput(f"Lê <i>Tám</i> {n}"), NameInput(f"LE TAM {n}")],
                                                    birth_year=1990))
        rows.append(SamePerson.objects.create(entity=a, person=person, score=score, state=state))
    context = {"case": case, "csrf_token": "TOKEN123"}
    with translation.override(language):
        old = Template(CANDIDATE_ITEMS).render(Context({**context, "candidates": SamePerson.objects.filter(entity=a).order_by("pk")
                                                        .select_related("entity", "person")}))
        new = Template("{% load case_page %}{% candidate_items %}").render(Context(
            {**context, "candidates": correlation.page_candidates(officer, [a])}))
    assert new == old
    assert new.count("<li>") == 4 and new.count("<form") == 8 and "&lt;b&gt;&quot;Tám&quot;&lt;/b&gt; &amp; co" in new
    assert "Lê &lt;i&gt;Tám&lt;/i&gt; 0" in new and "TOKEN123" in new


TIMELINE = """{% for e in events %}<tr><td>{{ e.at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ e.actor_name|default:"—" }}{% if e.actor_unit %} ({{ e.actor_unit }}){% endif %}</td><td>{{ e.get_action_display }}</td><td>{{ e.text|linebreaksbr }}</td></tr>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_the_timeline_and_labels_are_what_the_template_wrote(language):
    """`{% case_timeline %}` writes the template's loop over a case's steps and its invitations' answers (two models,
    each action labelled by its own choices); `core.rows.display` is `get_FOO_display`, also for a value outside the
    choices."""
    from borderlink.cases.models import Case, CaseEvent, ParticipantEvent
    from borderlink.core import rows

    at = datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC)
    events = [CaseEvent(pk=uuid.uuid4(), at=at, actor_name="Lê <b>Tám</b>", actor_unit="VN-QT", action="approved",
                        text="Line one\nline <two>"),
              ParticipantEvent(pk=uuid.uuid4(), at=at + datetime.timedelta(hours=30), actor_name="", actor_unit="",
                               action="declined", text=""),
              CaseEvent(pk=uuid.uuid4(), at=at, actor_name="X", actor_unit="", action="not-a-step", text="&")]
    with translation.override(language):
        old = Template(TIMELINE).render(Context({"events": events}))
        new = Template("{% load case_page %}{% case_timeline %}").render(Context({"events": events}))
        case = Case(state="open", offence="fraud", handling_code="H2", outcome="")
        for name in ("state", "offence", "handling_code", "outcome"):
            assert rows.display(case, name) == getattr(case, f"get_{name}_display")(), name
        assert rows.display(events[0], "action") == events[0].get_action_display()
        assert rows.display(events[2], "action") == "not-a-step"
    assert new == old and "&lt;b&gt;" in new and "<br>" in new


BLANK_PAGE = """{% load case_page %}{% form_rows entity %}|{% form_rows link only="kind" %}|{% field_label link.source %}|
{% form_rows link "kind,source,target" %}|{% form_rows note %}|{% field_label task.assigned_unit %}|{% form_rows task "assigned_unit" %}|
{% form_rows request %}|{{ step.outcome }}|{% if entity.errors %}E{% endif %}{% if link.source.errors %}S{% endif %}"""


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_blank_stand_ins_draw_what_the_forms_drew(org, language):
    """core.widgets.Blank (the case page's blank forms, not built to be drawn) writes what the forms themselves wrote,
    twice (the second from the kept drawings), and a gate added or renamed changes the entity form's key and drawing."""
    from borderlink.cases.views import _gates_version
    from borderlink.core.models import BorderGate, Country

    classes = {"entity": case_forms.EntityForm, "link": case_forms.LinkForm, "note": case_forms.NoteForm,
               "task": case_forms.TaskForm, "request": case_forms.RequestLinkForm, "step": case_forms.StepForm}

    def both() -> tuple[str, str, dict[str, widgets.Blank]]:
        real = Template(BLANK_PAGE).render(Context({name: cls() for name, cls in classes.items()}))
        blanks = {name: widgets.Blank(cls, _gates_version() if name == "entity" else ()) for name, cls in classes.items()}
        return real, Template(BLANK_PAGE).render(Context(blanks)), blanks

    with translation.override(language):
        for _ in range(2):
            real, blank, stand_ins = both()
            assert blank == real
        assert stand_ins["note"]._form is None and stand_ins["entity"]._form is None  # drawn from the kept drawings
        vn, la = Country.objects.get(code="VN"), Country.objects.get(code="LA")
        gate = BorderGate.objects.create(side_a_country=vn, side_a_name="Cổng Thử", side_a_province="Quảng Trị",
                                         side_b_country=la, side_b_name="Dan Test", side_b_province="Savannakhet", level="main")
        real, blank, _ = both()
        assert blank == real and "Cổng Thử" in blank
        BorderGate.objects.filter(pk=gate.pk).update(side_b_name="Dan Renamed")  # no signal: the key is the rows read
        real, blank, _ = both()
        assert blank == real and "Dan Renamed" in blank and "Dan Test" not in blank


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_blank_invitation_form_follows_its_units(org, officer, language):
    """The lead's blank invitation form (cases.views._blank_invite_form): what InviteForm drew, its units read only
    when drawn, and drawn anew when a unit is renamed (in any language), left out or deactivated."""
    from borderlink.cases.views import _blank_invite_form
    from borderlink.core.models import Unit

    def both(exclude: list) -> tuple[str, str]:
        stand_in = _blank_invite_form(officer, exclude)
        assert stand_in._form is None and callable(stand_in._version)  # nothing read before it is drawn
        return str(widgets.form_rows(case_forms.InviteForm(user=officer, exclude=exclude))), str(widgets.form_rows(stand_in))

    other = Unit.objects.filter(is_active=True).exclude(pk=officer.unit_id).order_by("country", "code").first()
    with translation.override(language):
        real, blank = both([])
        assert blank == real and f'value="{other.pk}"' in blank
        for name in ("name_en", "name_vi"):
            Unit.objects.filter(pk=other.pk).update(**{name: f"Renamed {name}"})
            real, blank = both([])
            assert blank == real
        assert "Renamed name_vi" in blank if language == "vi" else "Renamed name_en" in blank
        real, blank = both([other.pk])
        assert blank == real and f'value="{other.pk}"' not in blank
        Unit.objects.filter(pk=other.pk).update(is_active=False)
        real, blank = both([])
        assert blank == real and f'value="{other.pk}"' not in blank
