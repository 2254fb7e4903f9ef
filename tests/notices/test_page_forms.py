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
