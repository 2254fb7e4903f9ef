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
