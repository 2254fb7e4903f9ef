from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from borderlink.border import access
from borderlink.border.models import GoodsType, IncidentKind, Outcome, QuantityUnit
from borderlink.border.passes import PassInput, pass_gates
from borderlink.border.services import GoodsInput, IncidentInput, SettleInput
from borderlink.core import widgets
from borderlink.core.models import BorderGate, Country
from borderlink.core.prepared import Prepared
from borderlink.persons.models import NameKind, Sex
from borderlink.persons.services import NameInput, PersonInput

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _pair_label(pair: Any) -> str:
    """"Quảng Trị – Savannakhet (from 01/07/2025)": the pair and its period in the reader's date format."""
    def day(value: Any) -> str:
        return formats.date_format(value, "SHORT_DATE_FORMAT")

    if pair.valid_from and pair.valid_to:
        period = _("%(start)s – %(end)s") % {"start": day(pair.valid_from), "end": day(pair.valid_to)}
    elif pair.valid_from:
        period = _("from %(start)s") % {"start": day(pair.valid_from)}
    elif pair.valid_to:
        period = _("until %(end)s") % {"end": day(pair.valid_to)}
    else:
        return str(pair)
    return f"{pair} ({period})"


def _pair_choices(user: Any, pairs: list[Any] | None = None) -> tuple[list[Any], str]:
    """A blank first choice, the pairs valid today, then the earlier and later ones in a group of their
    own (an event before a merger is still recorded under the pair of its date); and the pair to
    preselect: the only pair valid today, else none. `pairs`: `access.user_pair_rows(user)` when already read."""
    today = timezone.localdate()
    if pairs is None:
        pairs = access.user_pair_rows(user)
    current = [(p.code, _pair_label(p)) for p in pairs if p.valid_on(today)]
    other = [(p.code, _pair_label(p)) for p in pairs if not p.valid_on(today)]
    choices: list[Any] = [("", "—"), *current]
    if other:
        choices.append((str(_("Other periods (for events on their dates)")), other))
    return choices, current[0][0] if len(current) == 1 else ""


def _gate_choices(user: Any, gates: list[BorderGate] | None = None) -> list[tuple[str, str]]:
    """A blank first choice, then the gates of the user's pairs (`gates`: `pair_gates` when already read)."""
    if gates is None:
        gates = list(BorderGate.objects.filter(province_pairs__in=access.user_pairs(user)).distinct())
    return [("", "—")] + [(str(g.pk), str(g)) for g in gates]


def pair_gates(pairs: list[Any]) -> list[BorderGate]:
    """The gates of `pairs` (rows of `access.user_pair_rows`), each once, in the gates' order."""
    return list(BorderGate.objects.filter(province_pairs__in=[p.pk for p in pairs]).distinct()) if pairs else []


_PAIR_GATES: Prepared[BorderGate] = Prepared(
    "border.pair_gates", BorderGate,
    lambda reader: BorderGate.objects.filter(province_pairs__in=access.user_pairs(reader).values("pk")).distinct(), args=[])


def user_pair_gates(user: Any) -> list[BorderGate]:
    """`pair_gates(access.user_pair_rows(user))` in one fixed-shape statement (`core.prepared`; the pairs' rule as a
    subquery, bound with this user's unit, country and province): the incidents list's gates (issue 19)."""
    return _PAIR_GATES.all(user)


class IncidentForm(forms.Form):
    pair = forms.ChoiceField(label=_("Province pair"))
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    gate_id = forms.ChoiceField(label=_("Gate"), required=False)
    place = forms.CharField(label=_("Place (when not at a gate)"), max_length=200, required=False)
    persons_count = forms.IntegerField(label=_("Number of persons"), min_value=0, max_value=10_000, initial=0)
    children_count = forms.IntegerField(label=_("Of whom children"), min_value=0, max_value=10_000, initial=0)
    asylum_sought = forms.BooleanField(label=_("Someone asked for asylum"), required=False)
    asylum_country = forms.ModelChoiceField(label=_("Country they fled (if not the other side)"), queryset=Country.objects.all(),
                                            required=False, to_field_name="code")
    description = forms.CharField(label=_("What happened"), max_length=10_000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    goods_type = forms.ChoiceField(label=_("Goods seized: type"), choices=[("", "—")] + list(GoodsType.choices), required=False)
    goods_quantity = forms.DecimalField(label=_("Quantity"), required=False, max_digits=12, decimal_places=3)
    goods_unit = forms.ChoiceField(label=_("Unit"), choices=QuantityUnit.choices, required=False)
    goods_description = forms.CharField(label=_("Description of the goods"), max_length=200, required=False)
    person_name = forms.CharField(label=_("A person involved: name (optional)"), max_length=200, required=False)
    person_birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    person_is_minor = forms.BooleanField(label=_("This person is a child"), required=False)
    person_refugee_from = forms.ModelChoiceField(label=_("Recorded as a refugee or asylum seeker from"), required=False,
                                                 queryset=Country.objects.all(), to_field_name="code")
    handling = forms.CharField(label=_("Handling"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.PENDING)
    share = forms.BooleanField(label=_("Share with the other side (after a supervisor approves)"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pair_choices, current_pair = _pair_choices(user)
        cast(forms.ChoiceField, self.fields["pair"]).choices = pair_choices
        self.fields["pair"].initial = current_pair
        cast(forms.ChoiceField, self.fields["gate_id"]).choices = _gate_choices(user)
        self.fields["occurred_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def to_input(self) -> IncidentInput:
        d = self.cleaned_data
        goods = []
        if d.get("goods_type") or d.get("goods_quantity") is not None:
            goods.append(GoodsInput(d.get("goods_type") or "", d.get("goods_quantity"), d.get("goods_unit") or "",
                                    d.get("goods_description") or ""))
        persons = []
        if d.get("person_name"):
            refugee_from = d.get("person_refugee_from")
            persons.append(PersonInput(names=[NameInput(d["person_name"], NameKind.PRIMARY)], sex=Sex.UNKNOWN,
                                       birth_year=d.get("person_birth_year"), is_minor=bool(d.get("person_is_minor")),
                                       is_refugee=refugee_from is not None,
                                       refugee_from=refugee_from.code if refugee_from else None))
        country = d.get("asylum_country")
        return IncidentInput(
            pair=d["pair"], kind=d["kind"], occurred_at=d["occurred_at"],
            gate_id=int(d["gate_id"]) if d.get("gate_id") else None, place=d.get("place") or "",
            persons_count=d["persons_count"], children_count=d["children_count"],
            asylum_sought=bool(d.get("asylum_sought")), asylum_country=country.code if country else None,
            description=d.get("description") or "", handling=d.get("handling") or "", outcome=d["outcome"], goods=goods,
            new_persons=persons, share=bool(d.get("share")),
        )


class SettleForm(forms.Form):
    """Drawn on the incident page for the reporting side on every view: its widgets are core.widgets' (the same HTML
    as Django's widget templates, without a template per widget and option; issue 19)."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=widgets.Select)
    gate_id = forms.ChoiceField(label=_("Gate"), required=False, widget=widgets.Select)
    handling = forms.CharField(label=_("Handling"), max_length=10_000, required=False,
                               widget=widgets.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, incident: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["gate_id"]).choices = [("", "—")] + [(str(g.pk), str(g)) for g in incident.pair.gates.all()]

    def to_input(self) -> SettleInput:
        d = self.cleaned_data
        return SettleInput(outcome=d["outcome"], handling=d.get("handling") or "",
                           gate_id=int(d["gate_id"]) if d.get("gate_id") else None)


class ApproveForm(forms.Form):
    justification = forms.CharField(label=_("Justification (needed when the text is flagged)"), max_length=2000,
                                    required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FilterForm(forms.Form):
    """Only for display of the filter fields; the values are parsed by stats.parse_filters."""

    pair = forms.ChoiceField(label=_("Province pair"), required=False)
    gate = forms.ChoiceField(label=_("Gate"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—")] + list(IncidentKind.choices), required=False)
    start = forms.CharField(label=_("From month"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    end = forms.CharField(label=_("To month"), required=False, widget=forms.DateInput(attrs={"type": "month"}))

    def __init__(self, *args: Any, user: Any, pairs: list[Any] | None = None, gates: list[BorderGate] | None = None,
                 **kwargs: Any) -> None:
        """`pairs` and `gates`: `access.user_pair_rows(user)` and `pair_gates` of them when the caller has read them
        (the incidents list reuses them), else they are read here."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["pair"]).choices = _pair_choices(user, pairs)[0]
        cast(forms.ChoiceField, self.fields["gate"]).choices = _gate_choices(user, gates)


class PassForm(forms.Form):
    number = forms.CharField(label=_("Pass number"), max_length=40)
    name = forms.CharField(label=_("Holder's name"), max_length=200)
    other_name = forms.CharField(label=_("Other spelling or name in another script"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    photo = forms.FileField(label=_("Photo (PNG or JPEG)"), required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE)
    area = forms.CharField(label=_("Area it is valid for"), max_length=200)
    gate_ids = forms.MultipleChoiceField(label=_("Gates it is valid for"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["gate_ids"]).choices = [(str(g.pk), str(g)) for g in pass_gates(user)]
        self.fields["valid_from"].initial = timezone.localdate()

    def to_input(self, photos: list[Any]) -> PassInput:
        d = self.cleaned_data
        names = [NameInput(d["name"])] + ([NameInput(d["other_name"], NameKind.TRANSCRIPTION)] if d.get("other_name") else [])
        holder = PersonInput(names=names, sex=d["sex"], birth_year=d.get("birth_year"), photos=photos)
        return PassInput(number=d["number"], valid_from=d["valid_from"], valid_to=d["valid_to"], area=d["area"],
                         gate_ids=[int(g) for g in d["gate_ids"]], holder=holder)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CheckForm(forms.Form):
    number = forms.CharField(label=_("Pass number"), max_length=40,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                           "inputmode": "text", "autofocus": True}))
    country = forms.ChoiceField(label=_("Issued by"))
    gate = forms.ChoiceField(label=_("Gate"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            (c.code, c.name) for c in Country.objects.exclude(code=user.unit.country_id)]
        cast(forms.ChoiceField, self.fields["gate"]).choices = [(str(g.pk), str(g)) for g in pass_gates(user)]
