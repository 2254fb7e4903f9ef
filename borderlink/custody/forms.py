from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderlink.core import widgets
from borderlink.core.inputs import MonthField
from borderlink.core.models import Country
from borderlink.custody.models import CustodyKind
from borderlink.custody.services import CustodyInput
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence
from borderlink.persons.models import DocumentType, NameKind, Sex
from borderlink.persons.services import DocumentInput, NameInput, PersonInput

DATETIME = widgets.DateTimeInput()


class CustodyForm(forms.Form):
    name = forms.CharField(label=_("Name (as in the person's documents)"), max_length=200)
    other_name = forms.CharField(label=_("Other spelling or name in another script"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=[("", "—")] + list(DocumentType.choices), required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    nationality = forms.ModelChoiceField(label=_("Nationality"), queryset=Country.objects.none())
    kind = forms.ChoiceField(label=_("Arrest or detention"), choices=CustodyKind.choices)
    detained_at = forms.DateTimeField(label=_("When"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place_held = forms.CharField(label=_("Where held"), max_length=200)
    offence = forms.ChoiceField(label=_("Offence"), choices=Offence.choices)
    facts = forms.CharField(label=_("Facts"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    consular_access_requested = forms.BooleanField(label=_("The person asked for consular access"), required=False)
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["nationality"]).queryset = Country.objects.exclude(code=user.unit.country_id)
        self.fields["detained_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def to_inputs(self) -> tuple[PersonInput, CustodyInput]:
        d = self.cleaned_data
        names = [NameInput(d["name"])] + ([NameInput(d["other_name"], NameKind.TRANSCRIPTION)] if d.get("other_name") else [])
        documents = []
        if d.get("document_type") or d.get("document_number"):
            documents.append(DocumentInput(d.get("document_type") or "", d.get("document_number") or "", d["nationality"].code))
        person = PersonInput(names=names, sex=d["sex"], birth_year=d.get("birth_year"), nationalities=[d["nationality"].code],
                             documents=documents)
        custody = CustodyInput(nationality=d["nationality"].code, kind=d["kind"], detained_at=d["detained_at"],
                               place_held=d["place_held"], offence=d["offence"], facts=d.get("facts") or "",
                               consular_access_requested=d.get("consular_access_requested") or False,
                               handling_code=d["handling_code"])
        return person, custody


class StepForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MonthForm(forms.Form):
    """The custody list's filter: the other country and the month. Drawn on every view of the list: its widgets
    are core.widgets' and its countries the process's kept list (the same for every reader; issue 19)."""

    country = forms.ChoiceField(label=_("Other country"), choices=[], widget=widgets.Select)
    month = MonthField(label=_("Month"), widget=widgets.TextInput(attrs={"type": "month"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from borderlink.core.templatetags.display import countries

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            (code, c.name) for code, c in countries().items() if code != user.unit.country_id]
