"""The plan page's progress forms drawn in Python (core.widgets, `{% form_rows %}`) write the HTML Django's widget
templates wrote for the same form: unbound, and bound with errors, in several languages."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from borderlink.plans.forms import ProgressForm
from borderlink.plans.models import ItemStatus

OLD = """{% for field in progress_form %}<div class="form-row">{{ field.label_tag }}{{ field }}{{ field.errors }}</div>{% endfor %}"""
NEW = """{% load case_page %}{% form_rows progress_form %}"""


class TemplateProgressForm(forms.Form):
    """ProgressForm as it was: Django's own widgets, drawn through their templates."""

    status = forms.ChoiceField(label=ProgressForm.base_fields["status"].label, choices=ItemStatus.choices)
    value = forms.CharField(label=ProgressForm.base_fields["value"].label, max_length=20, required=False)
    note = forms.CharField(label=ProgressForm.base_fields["note"].label, max_length=5000, required=False)
    evidence = forms.FileField(label=ProgressForm.base_fields["evidence"].label, required=False)


def _squeezed(html: str) -> str:
    """Django's select template puts each <option> on its own indented line; a browser draws the same either way."""
    return re.sub(r">\s+<", "><", str(html))


@pytest.mark.parametrize("language", ["en", "vi", "km", "lo"])
@pytest.mark.parametrize("data", [None, {"status": "nonsense", "value": "x" * 30, "note": 'a <b> & "c"'},
                                  {"status": "done", "value": "12", "note": ""}])
def test_progress_form_is_what_the_templates_wrote(language, data):
    with translation.override(language):
        old_form = TemplateProgressForm(data, auto_id="p-42-%s")
        new_form = ProgressForm(data, auto_id="p-42-%s")
        if data is not None:
            assert old_form.is_valid() == new_form.is_valid()
        old = Template(OLD).render(Context({"progress_form": old_form}))
        new = Template(NEW).render(Context({"progress_form": new_form}))
    assert _squeezed(new) == _squeezed(old)
    assert 'type="file"' in new and 'id="p-42-status"' in new
    if data and data["status"] == "nonsense":
        assert 'class="errorlist"' in new and "&lt;b&gt;" in new


ITEMS_OLD = """{% load i18n display %}{% for i, progress_form in items %}<tr id="item-{{ i.pk }}"><td>{{ i.get_area_display }}</td><td>{{ i.activity }}{% for p in i.progress.all %}<div class="meta">{{ p.at|date:"SHORT_DATE_FORMAT" }} · {{ p.get_status_display }}{% if p.value is not None %} · {{ p.value }}{% endif %}{% if p.note %} · {{ p.note }}{% endif %}</div>{% endfor %}</td>
<td>{{ i.lead_proposing.name }} · {{ i.lead_partner.name }}{% if i.lead_third %} · {{ i.lead_third.name }}{% endif %}</td><td><a href="{% url 'plans:item_sources' i.pk %}">{{ i.get_indicator_display }}</a>{% if i.parameter %} ({{ i.parameter }}){% endif %}</td><td>{{ i.target|quantity }}{% if i.target_text %} {{ i.target_text }}{% endif %}</td><td>{{ i.due_date }}</td>
<td>{{ i.get_status_display }}{% if plan.signed_version_id and i.owner_side == side %}
<details{% if progress_form.errors %} open{% endif %}><summary>{% translate "Report progress" %}</summary><form method="post" enctype="multipart/form-data" action="{% url 'plans:item_progress' i.pk %}" class="card">{% csrf_token %}{{ progress_form.non_field_errors }}
{% for field in progress_form %}<div class="form-row">{{ field.label_tag }}{{ field }}{{ field.errors }}</div>{% endfor %}<button class="secondary" type="submit">{% translate "Report progress" %}</button></form></details>{% endif %}</td></tr>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "km", "lo"])
@pytest.mark.parametrize("signed", [True, False])
def test_item_rows_are_what_the_template_wrote(org, language, signed):
    import datetime
    import decimal
    import uuid

    from borderlink.plans.models import Item, Plan, Progress

    plan = Plan(pk=uuid.uuid4(), signed_version_id=uuid.uuid4() if signed else None)
    at = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)  # 1 December in Hanoi
    items = [
        Item(pk=uuid.uuid4(), plan=plan, area="border_provinces", activity='Joint <patrols> & "drills"', lead_proposing=org.vn_unit,
             lead_partner=org.la_unit, lead_third=org.kh_unit, owner_side="proposing", indicator="liaison_meetings", parameter=None,
             target=decimal.Decimal("12.50"), target_text="a <year>", due_date=datetime.date(2027, 3, 31), status="in_progress"),
        Item(pk=uuid.uuid4(), plan=plan, area="drugs", activity="Exchange lists", lead_proposing=org.vn_unit,
             lead_partner=org.la_unit, owner_side="partner", indicator="victims_returned", parameter=30,
             target=decimal.Decimal("1200"), due_date=datetime.date(2027, 1, 2), status="not_started"),
        Item(pk=uuid.uuid4(), plan=plan, area="border_provinces", activity="No target", lead_proposing=org.vn_unit,
             lead_partner=org.la_unit, owner_side="proposing", indicator="liaison_meetings", target=None,
             due_date=datetime.date(2027, 1, 2), status="done"),
    ]
    progress = [Progress(pk=uuid.uuid4(), item=items[0], at=at, status="in_progress", value=decimal.Decimal("1234.50"),
                         note="Two <done> & more"),
                Progress(pk=uuid.uuid4(), item=items[0], at=at, status="done", value=None, note="")]
    items[0]._prefetched_objects_cache = {"progress": progress}
    for item in items[1:]:
        item._prefetched_objects_cache = {"progress": []}
    bad = {"status": "nonsense", "value": "x" * 30}
    with translation.override(language):
        old_pairs = [(i, TemplateProgressForm(bad if n == 0 else None, auto_id=f"p-{i.pk}-%s")) for n, i in enumerate(items)]
        new_pairs = [(i, ProgressForm(bad if n == 0 else None, auto_id=f"p-{i.pk}-%s")) for n, i in enumerate(items)]
        for _i, form in old_pairs + new_pairs:
            form.is_valid()
        base = {"plan": plan, "side": "proposing", "csrf_token": "TOKEN123"}
        old = Template(ITEMS_OLD).render(Context({**base, "items": old_pairs}))
        new = Template("{% load plan_page %}{% plan_item_rows %}").render(Context({**base, "items": new_pairs}))
    assert _squeezed(new) == _squeezed(old)
    assert "&lt;patrols&gt;" in new and new.count("<tr ") == 3
    assert new.count("<form") == (2 if signed else 0) and (" open>" in new) == signed


def test_blank_progress_forms_are_the_forms_drawn_per_item(org):
    """An item's blank progress form (None in `items`: drawn once per page, given the item's key) is what a
    ProgressForm built for that item draws."""
    import datetime
    import uuid

    from borderlink.plans.models import Item, Plan

    plan = Plan(pk=uuid.uuid4(), signed_version_id=uuid.uuid4())
    items = [Item(pk=uuid.uuid4(), plan=plan, area="drugs", activity=f"Activity {n}", lead_proposing=org.vn_unit,
                  lead_partner=org.la_unit, owner_side="proposing", indicator="liaison_meetings", target=None,
                  due_date=datetime.date(2027, 1, 2), status="not_started") for n in range(3)]
    for item in items:
        item._prefetched_objects_cache = {"progress": []}
    for language in ("en", "vi", "km", "lo"):
        with translation.override(language):
            base = {"plan": plan, "side": "proposing", "csrf_token": "TOKEN123"}
            built = [(i, ProgressForm(auto_id=f"p-{i.pk}-%s")) for i in items]
            old = Template(ITEMS_OLD).render(Context({**base, "items": built}))
            new = Template("{% load plan_page %}{% plan_item_rows %}").render(Context({**base, "items": [(i, None) for i in items]}))
        assert _squeezed(new) == _squeezed(old)
        for item in items:
            assert f'id="p-{item.pk}-status"' in new and f'for="p-{item.pk}-note"' in new


TABLES_OLD = """<tbody>{% for v in versions %}<tr><td>{{ v.number }}</td><td>{{ v.author_name }} · {% if v.side == "proposing" %}{{ plan.proposing_unit.country_id }}{% elif v.side == "third" %}{{ plan.third_country_id }}{% else %}{{ plan.partner_unit.country_id }}{% endif %}</td><td>{{ v.reason }}</td><td>{{ v.items|length }}</td><td>{% if v.signed_at %}{{ v.signed_at|date:"SHORT_DATE_FORMAT" }}{% endif %}</td></tr>{% endfor %}</tbody>
<tbody>{% for e in events %}<tr><td>{{ e.at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ e.actor_name|default:"—" }}{% if e.actor_unit %} ({{ e.actor_unit }}){% endif %}</td><td>{{ e.get_action_display }}</td><td>{{ e.text|linebreaksbr }}{% for a in e.attachments.all %} <a href="{% url 'plans:evidence' a.pk %}">{{ a.filename }}</a>{% endfor %}</td></tr>{% endfor %}</tbody>"""
TABLES_NEW = """{% load plan_page %}<tbody>{% plan_version_rows %}</tbody>
<tbody>{% plan_event_rows %}</tbody>"""


@pytest.mark.parametrize("language", ["en", "vi", "km", "lo"])
@pytest.mark.parametrize("third", [True, False])
def test_versions_and_timeline_are_what_the_template_wrote(org, language, third):
    import datetime
    import uuid

    from borderlink.plans.models import Plan, PlanAttachment, PlanEvent, PlanVersion

    plan = Plan(pk=uuid.uuid4(), proposing_unit=org.vn_unit, partner_unit=org.la_unit, third_country_id="KH" if third else None)
    at = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)  # 1 December in Hanoi
    versions = [PlanVersion(pk=uuid.uuid4(), plan=plan, number=1, side="proposing", author_name='Ngô <Văn> "A"', reason="",
                            items=[{"a": 1}] * 3, signed_at=None),
                PlanVersion(pk=uuid.uuid4(), plan=plan, number=2, side="partner", author_name="", reason="Dates & <places>",
                            items=[], signed_at=at),
                PlanVersion(pk=uuid.uuid4(), plan=plan, number=1234, side="third", author_name="K", reason="x\ny",
                            items=[{}] * 1500, signed_at=at)]
    events = [PlanEvent(pk=uuid.uuid4(), plan=plan, at=at, actor_name="", actor_unit="", action="proposed", text=""),
              PlanEvent(pk=uuid.uuid4(), plan=plan, at=at, actor_name='A <b> & "c"', actor_unit="VN-<PS>", action="comment_partner",
                        text="Line one\nline <two> & 'three'\r\nfour"),
              PlanEvent(pk=uuid.uuid4(), plan=plan, at=at, actor_name="B", actor_unit="", action="no_such_action", text="t")]
    events[0]._prefetched_objects_cache = {"attachments": [
        PlanAttachment(pk=7, event=events[0], filename="a <b>.pdf"), PlanAttachment(pk=12345, event=events[0], filename="c.jpg")]}
    for e in events[1:]:
        e._prefetched_objects_cache = {"attachments": []}
    context = {"plan": plan, "versions": versions, "events": events}
    with translation.override(language):
        old = Template(TABLES_OLD).render(Context(context))
        new = Template(TABLES_NEW).render(Context(context))
    assert new == old
    assert new.count("<tr>") == 6 and "/evidence/12345/" in new and "&lt;two&gt;" in new
