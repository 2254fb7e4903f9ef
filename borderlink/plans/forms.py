"""Forms of the plans pages: they only shape input; the services check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from borderlink.core import widgets
from borderlink.core.models import Country, Unit
from borderlink.plans.models import PARTNER, PROPOSING, ROTATION, THIRD, Area, IndicatorKind, ItemStatus, PlanKind, VisitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SIDE_CHOICES = [(PROPOSING, _("proposing side")), (PARTNER, _("partner side")), (THIRD, _("third country's side"))]


def unit_choices(exclude_country: str | None = None) -> list[tuple[str, str]]:
    units = Unit.objects.filter(is_active=True).select_related("country").order_by("country_id", "code")
    if exclude_country:
        units = units.exclude(country_id=exclude_country)
    return [(u.code, f"{u.name} ({u.country_id})") for u in units]


def country_choices() -> list[tuple[str, str]]:
    names = {c.code: c.name for c in Country.objects.filter(code__in=ROTATION)}
    return [(code, names.get(code, code)) for code in ROTATION]


# A year's window is the service's to say (a plan up to five years ahead, a conference up to two): the forms
# take any whole number, so the reader sees that rule's own message, not a generic bound.
YEAR_ERRORS = {"invalid": _("Give the year as a whole number.")}
PARTICIPANT_ERRORS = {"invalid": _("Give the number of participants as a whole number."),
                      "min_value": _("The number of participants cannot be negative."),
                      "max_value": _("At most %(limit_value)s participants from one country.")}
DAYS_ERRORS = {"invalid": _("Give the number of days as a whole number."),
               "min_value": _("Give at least %(limit_value)s day."),
               "max_value": _("At most %(limit_value)s days.")}


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), error_messages=YEAR_ERRORS, widget=forms.NumberInput(attrs={"step": 1}))
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    partner_unit = forms.ChoiceField(label=_("Partner unit"))
    third_country = forms.ChoiceField(label=_("Third country (trilateral plan)"), required=False)
    text = forms.CharField(label=_("Covering note"), max_length=20_000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_unit"].choices = unit_choices(user.unit.country_id)  # type: ignore[attr-defined]
        self.fields["third_country"].choices = [("", "—"), *country_choices()]  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    area = forms.ChoiceField(label=_("Area"), choices=[("", "—"), *Area.choices], required=False)
    activity = forms.CharField(label=_("Activity"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    lead_proposing = forms.ChoiceField(label=_("Lead unit (proposing side)"), required=False)
    lead_partner = forms.ChoiceField(label=_("Lead unit (partner side)"), required=False)
    lead_third = forms.ChoiceField(label=_("Lead unit (third country, trilateral plan)"), required=False)
    owner_side = forms.ChoiceField(label=_("Reported by"), choices=SIDE_CHOICES, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=IndicatorKind.choices, required=False)
    parameter = forms.IntegerField(label=_("Days (for returns)"), min_value=1, max_value=365, required=False,
                                   error_messages=DAYS_ERRORS)
    target = forms.CharField(label=_("Target (a number)"), max_length=20, required=False)
    target_text = forms.CharField(label=_("Target in words (reported by hand)"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *unit_choices()]
        self.fields["lead_proposing"].choices = choices  # type: ignore[attr-defined]
        self.fields["lead_partner"].choices = choices  # type: ignore[attr-defined]
        self.fields["lead_third"].choices = choices  # type: ignore[attr-defined]

    def item(self) -> dict[str, Any] | None:
        """The item as the services read it; None for a row left empty."""
        d = self.cleaned_data
        if not d.get("activity") and not d.get("area"):
            return None
        out = {k: d.get(k) or "" for k in ("id", "area", "activity", "lead_proposing", "lead_partner", "lead_third", "owner_side",
                                             "indicator", "target", "target_text")}
        out["parameter"] = d.get("parameter")
        out["due_date"] = d["due_date"].isoformat() if d.get("due_date") else ""
        if not out["id"]:
            del out["id"]
        return out


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=60, absolute_max=60)


class VersionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (required for an amendment of a signed plan)"), max_length=20_000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Covering note"), max_length=20_000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    signatory = forms.CharField(label=_("Signatory"), max_length=200)
    signatory_title = forms.CharField(label=_("Signatory's title"), max_length=200, required=False)


class ProgressForm(forms.Form):
    """Drawn on a plan's page once per item its side reports on: its widgets are drawn in Python (core.widgets), the
    same HTML as Django's widget templates (issue 19: a template per widget, label and error list per item)."""

    same_when_blank = True  # no model choices, nothing of the reader: drawn once per language (core.widgets.form_rows)

    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices, widget=widgets.Select)
    value = forms.CharField(label=_("Reported value"), max_length=20, required=False, widget=widgets.TextInput)
    note = forms.CharField(label=_("Note (the reason, when dropped)"), max_length=5000, required=False,
                           widget=widgets.TextInput)
    evidence = forms.FileField(label=_("Evidence"), required=False, widget=widgets.FileInput)


def _people(text: str, with_country: bool) -> list[dict[str, str]]:
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split(";")]
        if not parts[0]:
            continue
        if with_country:
            out.append({"country": parts[0].upper(), "name": parts[1] if len(parts) > 1 else "",
                        "rank": parts[2] if len(parts) > 2 else "", "role": parts[3] if len(parts) > 3 else ""})
        else:
            out.append({"name": parts[0], "rank": parts[1] if len(parts) > 1 else "",
                        "role": parts[2] if len(parts) > 2 else ""})
    return out


class ConferenceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), error_messages=YEAR_ERRORS, widget=forms.NumberInput(attrs={"step": 1}))
    host = forms.ChoiceField(label=_("Host country"))
    out_of_turn_reason = forms.CharField(label=_("Reason for a host out of turn"), max_length=2000, required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    delegates = forms.CharField(label=_("Delegations: one person a line, as country code; name; rank; role"),
                                max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    statement_text = forms.CharField(label=_("Joint statement"), max_length=50_000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    statement_file = forms.FileField(label=_("Joint statement (file)"), required=False)
    points = forms.CharField(label=_("Points of the statement: one a line, as text | plan item ids separated by commas"),
                             max_length=50_000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = country_choices()  # type: ignore[attr-defined]

    def people(self) -> list[dict[str, str]]:
        return _people(self.cleaned_data.get("delegates") or "", with_country=True)

    def point_lines(self) -> list[tuple[str, list[str]]]:
        out = []
        for line in (self.cleaned_data.get("points") or "").splitlines():
            text, _sep, ids = line.partition("|")
            if text.strip():
                out.append((text.strip(), [i.strip() for i in ids.split(",") if i.strip()]))
        return out


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    from_country = forms.ChoiceField(label=_("Visiting country"))
    to_country = forms.ChoiceField(label=_("Host country"))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    members = forms.CharField(label=_("Members: one person a line, as name; rank; role"), max_length=20_000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    report = forms.CharField(label=_("Report"), max_length=50_000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["to_country"].choices = country_choices()  # type: ignore[attr-defined]

    def people(self) -> list[dict[str, str]]:
        return _people(self.cleaned_data.get("members") or "", with_country=False)


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    host = forms.ChoiceField(label=_("Hosting side"))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    courses = forms.CharField(label=_("Courses: one a line"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    participants_vn = forms.IntegerField(label=_("Participants from Viet Nam"), min_value=0, max_value=10_000,
                                         required=False, error_messages=PARTICIPANT_ERRORS)
    participants_la = forms.IntegerField(label=_("Participants from Laos"), min_value=0, max_value=10_000, required=False,
                                         error_messages=PARTICIPANT_ERRORS)
    participants_kh = forms.IntegerField(label=_("Participants from Cambodia"), min_value=0, max_value=10_000,
                                         required=False, error_messages=PARTICIPANT_ERRORS)
    outcome = forms.CharField(label=_("Outcome"), max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = country_choices()  # type: ignore[attr-defined]

    def participants(self) -> dict[str, int]:
        d = self.cleaned_data
        return {c: d[f"participants_{c.lower()}"] for c in ROTATION if d.get(f"participants_{c.lower()}")}
