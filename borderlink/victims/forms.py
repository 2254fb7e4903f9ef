"""The forms of the victim pages: short, one step at a time, usable on a phone. Each turns its fields into
the JSON facts the services check (the same facts the API takes)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.core import clock
from borderlink.core.models import BorderGate, Country
from borderlink.persons.models import DocumentType, NameKind, Sex
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from borderlink.victims.models import AgeBand, Closure, Exploitation, Indicator, LegalGround, Need, Purpose, Service
from borderlink.victims.services import IdentificationInput
from borderlink.victims.workflow import CLOSURES, HOME_PURPOSES, gate_key

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DECISION = [("", _("not asked yet")), ("yes", _("given")), ("no", _("refused"))]


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, BorderGate):
        return gate_key(value)
    return value


class FactsForm(forms.Form):
    """A step's form: `facts()` gives the step's data (JSON values) and text."""

    def facts(self) -> tuple[dict[str, Any], str]:
        data = {k: _json(v) for k, v in self.cleaned_data.items() if k != "text"}
        return data, self.cleaned_data.get("text") or ""


class ConsentFields(forms.Form):
    explained = forms.CharField(label=_("How it was explained"), max_length=500)
    language = forms.CharField(label=_("Language"), max_length=60)
    interpreter = forms.CharField(label=_("Interpreter"), max_length=200, required=False)


class IdentifyForm(ConsentFields):
    name = forms.CharField(label=_("Name"), max_length=200)
    other_name = forms.CharField(label=_("Other spelling or name in another script"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=[("", "—"), *DocumentType.choices], required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    home_country = forms.ChoiceField(label=_("Home country"), choices=[])
    exploitation = forms.ChoiceField(label=_("Form of exploitation"), choices=Exploitation.choices)
    indicators = forms.MultipleChoiceField(label=_("Indicators found"), choices=Indicator.choices,
                                           widget=forms.CheckboxSelectMultiple)
    found_on = forms.DateField(label=_("Date found"), widget=DATE)
    found_place = forms.CharField(label=_("Where found"), max_length=200)
    found_by = forms.CharField(label=_("Found by"), max_length=200)
    share_home = forms.ChoiceField(label=_("Consent: share data with the home country"), choices=DECISION, required=False)
    assistance = forms.ChoiceField(label=_("Consent: assistance"), choices=DECISION, required=False)
    return_home = forms.ChoiceField(label=_("Consent: return home"), choices=DECISION, required=False)
    field_order = ["name", "other_name", "sex", "birth_year", "age_band", "document_type", "document_number",
                   "home_country", "exploitation", "indicators", "found_on", "found_place", "found_by", "share_home",
                   "assistance", "return_home", "explained", "language", "interpreter"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["home_country"]).choices = [
            (c.code, c.name) for c in Country.objects.exclude(code=user.unit.country_id)]
        self.fields["found_on"].initial = clock.today()

    def to_inputs(self) -> tuple[PersonInput, IdentificationInput]:
        d = self.cleaned_data
        names = [NameInput(d["name"])] + ([NameInput(d["other_name"], NameKind.TRANSCRIPTION)] if d.get("other_name") else [])
        documents = ([DocumentInput(d.get("document_type") or "", d.get("document_number") or "", d["home_country"])]
                     if d.get("document_type") or d.get("document_number") else [])
        person = PersonInput(names=names, sex=d["sex"], birth_year=d.get("birth_year"), documents=documents)
        consents = []
        for field, purpose in (("share_home", Purpose.SHARE_HOME), ("assistance", Purpose.ASSISTANCE),
                               ("return_home", Purpose.RETURN)):
            if d.get(field):
                consents.append({"purpose": purpose, "given": d[field] == "yes", "on": d["found_on"].isoformat(),
                                 "explained": d["explained"], "language": d["language"],
                                 "interpreter": d.get("interpreter") or ""})
        return person, IdentificationInput(
            home_country=d["home_country"], exploitation=d["exploitation"], indicators=list(d["indicators"]),
            found_on=d["found_on"], found_place=d["found_place"], found_by=d["found_by"], age_band=d["age_band"],
            consents=consents)


class ConsentForm(FactsForm, ConsentFields):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    organisation = forms.CharField(label=_("Organisation (for sharing with a named organisation)"), max_length=200,
                                   required=False)
    given = forms.TypedChoiceField(label=_("Decision"), choices=[("yes", _("given")), ("no", _("refused"))],
                                   coerce=lambda v: v == "yes")
    on = forms.DateField(label=_("Date"), widget=DATE, initial=clock.today)
    field_order = ["purpose", "organisation", "given", "on", "explained", "language", "interpreter"]


class HomeConsentForm(ConsentForm):
    """The home country's record of the victim's decision after the return (workflow.HOME_PURPOSES)."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=[(c, label) for c, label in Purpose.choices if c in HOME_PURPOSES])


class SafeguardsForm(FactsForm):
    guardian = forms.CharField(label=_("Guardian"), max_length=200)
    best_interests_on = forms.DateField(label=_("Best-interests assessment date"), widget=DATE)
    best_interests = forms.CharField(label=_("Best-interests assessment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(FactsForm):
    gate = forms.ModelChoiceField(label=_("Border gate"), queryset=BorderGate.objects.none())
    return_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    escorts = forms.CharField(label=_("Escorts"), max_length=500)
    receiving_unit = forms.CharField(label=_("Receiving protection unit"), max_length=200)
    met_by = forms.CharField(label=_("Who meets the victim"), max_length=200)
    travel_document = forms.BooleanField(label=_("Travel document issued"), required=False)
    medical_certificate = forms.BooleanField(label=_("Medical certificate"), required=False)
    needs = forms.MultipleChoiceField(label=_("Needs"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            pair = [case.finding_country_id, case.home_country_id]
            cast(forms.ModelChoiceField, self.fields["gate"]).queryset = BorderGate.objects.valid_on().filter(
                Q(side_a_country_id=pair[0], side_b_country_id=pair[1]) | Q(side_a_country_id=pair[1], side_b_country_id=pair[0]))


class TextForm(FactsForm):
    text = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HandedOverForm(FactsForm):
    handed_over_by = forms.CharField(label=_("Handed over by"), max_length=200)


class ReceivedForm(FactsForm):
    received_by = forms.CharField(label=_("Received by"), max_length=200)


class ReceptionForm(FactsForm):
    services = forms.MultipleChoiceField(label=_("Services"), choices=Service.choices, widget=forms.CheckboxSelectMultiple)
    text = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(FactsForm):
    on = forms.DateField(label=_("Date of the contact"), widget=DATE, initial=clock.today)
    outcome = forms.CharField(label=_("Outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReferralForm(FactsForm):
    organisation = forms.CharField(label=_("Organisation"), max_length=200)


class CloseForm(FactsForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Closure.choices)
    text = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, action: str = "closed", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Closure.choices)
        cast(forms.ChoiceField, self.fields["reason"]).choices = [(c, labels[c]) for c in CLOSURES[action]]


class OverrideForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    organisation = forms.CharField(label=_("Organisation (for sharing with a named organisation)"), max_length=200, required=False)
    ground = forms.ChoiceField(label=_("Legal ground"), choices=LegalGround.choices)
    reason = forms.CharField(label=_("Written reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class LinkForm(forms.Form):
    request = forms.ChoiceField(label=_("Verification request"), choices=[])

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["request"]).choices = choices


class PurgeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the purge"), max_length=500)


class WindowForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)


STEP_FORMS: dict[str, type[FactsForm]] = {
    "consent": ConsentForm, "consent_home": HomeConsentForm, "safeguards": SafeguardsForm, "return_planned": PlanForm, "plan_accepted": TextForm,
    "plan_declined": TextForm, "handed_over": HandedOverForm, "received": ReceivedForm, "reception": ReceptionForm,
    "follow_up": FollowUpForm, "referral": ReferralForm, "closed": CloseForm, "closed_home": CloseForm,
}


def step_form(action: str, case: Any, data: Any = None) -> FactsForm:
    """The form of one step, bound to `data` when given."""
    cls = STEP_FORMS[action]
    if cls is PlanForm:
        return PlanForm(data, case=case, prefix=action)
    if cls is CloseForm:
        return CloseForm(data, action=action, prefix=action)
    return cls(data, prefix=action)
