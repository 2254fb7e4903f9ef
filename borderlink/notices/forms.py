from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderlink.core import widgets
from borderlink.core.forms import OwnIds
from borderlink.core.models import Country
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import NoticeKind, NoticeState, Offence, Resolution
from borderlink.notices.search import SearchFilters
from borderlink.notices.services import NoticeInput
from borderlink.persons.models import Sex


def _default_review() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of notice"), choices=NoticeKind.choices)
    offence = forms.ChoiceField(label=_("Offence"), choices=[("", "—")] + list(Offence.choices), required=False)
    summary = forms.CharField(label=_("Summary of facts"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    warrant_number = forms.CharField(label=_("Warrant or decision number"), max_length=80, required=False)
    issuing_authority = forms.CharField(label=_("Issuing authority"), max_length=200, required=False)
    warrant_date = forms.DateField(label=_("Date of the warrant or decision"), required=False, widget=widgets.DateInput())
    max_penalty_years = forms.IntegerField(label=_("Maximum penalty (years)"), required=False, min_value=0, max_value=100)
    shared_with = forms.ModelMultipleChoiceField(label=_("Shared with"), queryset=Country.objects.all(), required=False, widget=forms.CheckboxSelectMultiple)
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0)
    review_date = forms.DateField(label=_("Review date"), initial=_default_review, widget=widgets.DateInput())

    def __init__(self, *args: Any, own_country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if own_country:  # a notice is shared with other countries only
            field = self.fields["shared_with"]
            field.queryset = field.queryset.exclude(pk=own_country)  # type: ignore[attr-defined]

    def to_input(self, subject_id: Any) -> NoticeInput:
        d = self.cleaned_data
        return NoticeInput(
            kind=d["kind"], subject_id=subject_id, summary=d["summary"], review_date=d.get("review_date"),
            offence=d.get("offence") or "", warrant_number=d.get("warrant_number") or "",
            issuing_authority=d.get("issuing_authority") or "", warrant_date=d.get("warrant_date"),
            max_penalty_years=d.get("max_penalty_years"), shared_with=[c.code for c in d.get("shared_with") or []],
            handling_code=d["handling_code"],
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=widgets.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    justification = forms.CharField(label=_("Justification (required when the text is flagged)"), max_length=2000, required=False,
                                    widget=widgets.Textarea(attrs={"rows": 2}))


class ResolveForm(OwnIds, ReasonForm):
    id_prefix = "resolve"

    resolution = forms.ChoiceField(label=_("Resolution"), choices=Resolution.choices, widget=widgets.Select)


class ResumeForm(OwnIds, ReasonForm):
    id_prefix = "resume"

    review_date = forms.DateField(label=_("New review date"), widget=widgets.DateInput())


class SearchForm(forms.Form):
    # Drawn on every search: widgets rendered in Python (same HTML as Django's templates).
    q = forms.CharField(label=_("Name, in any script or spelling"), max_length=200, required=False, widget=widgets.TextInput)
    document = forms.CharField(label=_("Document number"), max_length=60, required=False, widget=widgets.TextInput)
    # the countries from the process's kept list (core.templatetags.display.countries: the same for every reader), not
    # a query per search; the same options and error as the model choice field it replaces
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=widgets.Select, error_messages={
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]})
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("any"))] + list(Sex.choices), required=False, widget=widgets.Select)
    born_from = forms.IntegerField(label=_("Born from (year)"), required=False, min_value=1900, max_value=2100,
                                   widget=widgets.NumberInput)
    born_to = forms.IntegerField(label=_("Born until (year)"), required=False, min_value=1900, max_value=2100,
                                 widget=widgets.NumberInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("any"))] + list(NoticeKind.choices), required=False,
                             widget=widgets.Select)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("any"))] + list(NoticeState.choices), required=False,
                              widget=widgets.Select)
    offence = forms.ChoiceField(label=_("Offence"), choices=[("", _("any"))] + list(Offence.choices), required=False,
                                widget=widgets.Select)
    peers = forms.BooleanField(label=_("Also ask the other countries' nodes (hit or no hit)"), required=False,
                               widget=widgets.CheckboxInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from borderlink.core.templatetags.display import countries

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["nationality"]).choices = [("", "---------")] + [
            (code, country.name) for code, country in countries().items()]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("born_from") and data.get("born_to") and data["born_from"] > data["born_to"]:
            raise ValidationError(_("The first year is after the last."))
        return data

    def filters(self) -> SearchFilters:
        d = self.cleaned_data
        return SearchFilters(
            nationality=d.get("nationality") or "", sex=d.get("sex") or "",
            born_from=d.get("born_from"), born_to=d.get("born_to"), kind=d.get("kind") or "",
            state=d.get("state") or "", offence=d.get("offence") or "",
        )


class HitDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("confirm")), ("reject", _("reject"))])
    reason = forms.CharField(label=_("Reason"), max_length=2000)
