"""The notice page's and the search page's forms (issue 19): drawn with core.widgets they write what Django wrote,
and the search's nationality, from the process's kept countries, offers and checks what the model choice did."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from borderlink.core import widgets
from borderlink.core.models import Country
from borderlink.notices import forms as notice_forms
from tests.cases.test_page_rows import _squeezed, _stock

pytestmark = pytest.mark.django_db


class _OldNationality(forms.Form):
    """The search form's nationality field before (a model choice over the countries)."""

    nationality = widgets.SmallModelChoiceField(label="Nationality", queryset=Country.objects.all(), required=False)


@pytest.mark.parametrize("language", ["en", "vi", "km"])
def test_forms_are_what_django_wrote(org, language):
    bad = {"reason": "<b>" * 700, "justification": "a & b" * 700, "resolution": "nope", "review_date": "2026-02-30",
           "q": "Somphone", "nationality": "XX", "born_from": "1800"}
    makers = (notice_forms.ReasonForm, notice_forms.ApproveForm, notice_forms.ResolveForm, notice_forms.ResumeForm,
              notice_forms.SearchForm)
    with translation.override(language):
        for make in makers:
            for form in (make(), make(bad)):
                if form.is_bound:
                    assert not form.is_valid()
                for field in form:
                    assert _squeezed(field) == _squeezed(field.as_widget(widget=_stock(field.field.widget))), field.name


@pytest.mark.parametrize("language", ["en", "lo"])
def test_the_nationality_is_what_the_model_choice_was(org, language):
    with translation.override(language):
        for data in (None, {"nationality": "LA"}, {"nationality": "XX"}, {"nationality": ""}):
            new, old = notice_forms.SearchForm(data), _OldNationality(data)
            assert _squeezed(new["nationality"]) == _squeezed(old["nationality"]), data
            if data is not None:
                assert new.is_valid() == old.is_valid()
                assert new.errors.get("nationality") == old.errors.get("nationality")
                if new.is_valid():
                    assert new.filters().nationality == (old.cleaned_data["nationality"].code if old.cleaned_data["nationality"] else "")



# the search's result rows as the template drew them (notices/search.html)
RESULT_ROWS = """{% load i18n %}{% for r in results %}<tr class="result">
<td>{% if r.weak %}{{ r.score }} <span class="badge" title="{% translate "Below the score at which two names are taken to be the same person's: check the other details." %}">{% translate "weak match" %}</span>{% else %}<strong>{{ r.score }}</strong>{% endif %}</td>
<td><a href="{{ r.url }}">{{ r.subject }}</a></td>
<td>{{ r.matched_name }}{% if r.why %}<details><summary>{% translate "Why" %}</summary><ul class="meta">{% for line in r.why %}<li>{{ line }}</li>{% endfor %}</ul>{% if r.notes %}<ul class="meta">{% for note in r.notes %}<li>{{ note }}</li>{% endfor %}</ul>{% endif %}</details>{% endif %}</td>
<td>{{ r.kind }}{% if r.offence %}<br><span class="meta">{{ r.offence }}</span>{% endif %}</td>
<td>{{ r.issued_by }}</td>
<td>{{ r.born|default:"—" }}{% if r.birth_agrees is True %} <span class="badge">{% translate "agrees" %}</span>{% elif r.birth_agrees is False %} <span class="badge urgent">{% translate "differs" %}</span>{% endif %}</td>
<td>{% if r.document_agrees is True %}<span class="badge">{% translate "same document" %}</span>{% elif r.document_agrees is False %}<span class="badge urgent">{% translate "differs" %}</span>{% else %}—{% endif %}</td>
</tr>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_the_result_rows_are_what_the_template_wrote(language):
    from django.template import Context, Template
    from django.utils.html import format_html

    from borderlink.notices.views import _result_html

    rows = [
        {"url": "/notices/1/", "score": "0,93", "weak": False, "subject": 'Somphone <b>"K"</b> & co', "matched_name": "ສົມພອນ",
         "why": [format_html("{} ↔ {} ({}) {}", "ສົມ", "Som<", "0,90", "same sound"), "Keo: no counterpart"],
         "notes": ["a note <i>"], "kind": "wanted for arrest", "offence": "fraud & scams", "issued_by": "PP (Laos)",
         "born": "1985", "birth_agrees": True, "document_agrees": True},
        {"url": "/notices/2/", "score": "0,41", "weak": True, "subject": "Nguyễn Văn A", "matched_name": "Nguyen Van A",
         "why": [format_html("{} ↔ {} ({}) {}", "Nguyễn", "Nguyen", "1,00", "same")], "notes": [], "kind": "missing",
         "offence": "", "issued_by": "X", "born": "", "birth_agrees": False, "document_agrees": False},
        {"url": "/notices/3/", "score": "1,00", "weak": False, "subject": "x", "matched_name": "", "why": [], "notes": ["hidden"],
         "kind": "k", "offence": "o", "issued_by": "y", "born": "1990-03", "birth_agrees": None, "document_agrees": None},
    ]
    with translation.override(language):
        new, old = _result_html(rows), Template(RESULT_ROWS).render(Context({"results": rows}))
    # the same, but that the translated texts are escaped now (the template wrote them as they are: an apostrophe in
    # the badge's title came out as is; a double quote in a translation would have cut the attribute)
    assert new.replace("&#x27;", "'") == old.replace("&#x27;", "'")
    assert new.count("<tr") == 3 and "Som&lt;" in new and "&lt;i&gt;" in new and "hidden" not in new
