from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from borderlink.core.models import Country
from borderlink.exchange.attachments import read_upload
from borderlink.persons.models import DocumentType, NameKind, Sex
from borderlink.persons.services import DocumentInput, NameInput, PersonInput


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=NameKind.choices, initial=NameKind.PRIMARY)


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=[("", "—")] + list(DocumentType.choices), required=False)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    issuing_country = forms.ModelChoiceField(label=_("Issuing country"), queryset=Country.objects.all(), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        filled = [bool(data.get(k)) for k in ("doc_type", "number", "issuing_country")]
        if any(filled) and not all(filled):
            raise ValidationError(_("A document needs its type, number and issuing country."))
        return data


NameFormSet = forms.formset_factory(NameForm, extra=3, max_num=20, validate_max=True)
DocumentFormSet = forms.formset_factory(DocumentForm, extra=2, max_num=10, validate_max=True)


class PersonForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    birth_month = forms.IntegerField(label=_("Month of birth"), required=False, min_value=1, max_value=12)
    birth_day = forms.IntegerField(label=_("Day of birth"), required=False, min_value=1, max_value=31)
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    nationalities = forms.ModelMultipleChoiceField(
        label=_("Nationalities"), queryset=Country.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    distinguishing_marks = forms.CharField(label=_("Distinguishing marks"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    is_refugee = forms.BooleanField(label=_("Refugee or asylum seeker"), required=False)
    refugee_from = forms.ModelChoiceField(label=_("Country fled"), queryset=Country.objects.all(), required=False)
    is_trafficking_victim = forms.BooleanField(label=_("Identified trafficking victim"), required=False)
    is_minor = forms.BooleanField(label=_("Minor"), required=False)
    photo = forms.FileField(label=_("Photo (PNG or JPEG)"), required=False)

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        return read_upload(upload) if upload else None


def person_input(form: PersonForm, names: Any, documents: Any) -> PersonInput:
    data = form.cleaned_data
    return PersonInput(
        names=[NameInput(f.cleaned_data["name"], f.cleaned_data.get("kind") or NameKind.PRIMARY) for f in names if f.cleaned_data.get("name")],
        sex=data["sex"],
        birth_year=data.get("birth_year"),
        birth_month=data.get("birth_month"),
        birth_day=data.get("birth_day"),
        place_of_birth=data.get("place_of_birth") or "",
        nationalities=[c.code for c in data.get("nationalities") or []],
        documents=[
            DocumentInput(f.cleaned_data["doc_type"], f.cleaned_data["number"], f.cleaned_data["issuing_country"].code)
            for f in documents
            if f.cleaned_data.get("number")
        ],
        distinguishing_marks=data.get("distinguishing_marks") or "",
        is_refugee=data.get("is_refugee") or False,
        refugee_from=data["refugee_from"].code if data.get("refugee_from") else None,
        is_trafficking_victim=data.get("is_trafficking_victim") or False,
        is_minor=data.get("is_minor") or False,
        photos=[data["photo"]] if data.get("photo") else [],
    )
