from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from borderlink.core import widgets
from borderlink.core.inputs import BoundedModelMultipleChoiceField, FilterDateField
from borderlink.core.models import Unit
from borderlink.exchange.attachments import ALLOWED_ENDINGS, read_upload
from borderlink.exchange.models import Classification, HandlingCode, Priority
from borderlink.exchange.queries import MessageFilter
from borderlink.exchange.services import BODY_MAX, SUBJECT_MAX


class UnitChoiceField(BoundedModelMultipleChoiceField):
    """Units grouped under their country's name, the list tall enough to show every unit and group."""

    def show_units(self, units: Any) -> None:
        self.queryset = units
        groups: dict[str, list[tuple[int, str]]] = {}
        for unit in units:
            groups.setdefault(unit.country.name, []).append((unit.pk, unit.name))
        self.choices = list(groups.items())
        self.widget.attrs["size"] = min(sum(len(g) for g in groups.values()) + len(groups), 30)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_ENDINGS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(read_upload(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked


def _units_for(user: Any) -> Any:
    return Unit.objects.filter(is_active=True).exclude(pk=user.unit_id).select_related("country").order_by("country", "name_en")


class ComposeForm(forms.Form):
    recipients = UnitChoiceField(label=_("To"), queryset=Unit.objects.none(), widget=forms.SelectMultiple)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.ROUTINE)
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0)
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices, initial=Classification.RESTRICTED)
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    in_reply_to = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UnitChoiceField, self.fields["recipients"]).show_units(_units_for(user))


class ForwardForm(forms.Form):
    recipients = UnitChoiceField(label=_("To"), queryset=Unit.objects.none(), widget=forms.SelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UnitChoiceField, self.fields["recipients"]).show_units(_units_for(user))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    # Drawn in Python (core.widgets): the inbox draws this form on every view (issue 19)
    q = forms.CharField(label=_("Text"), required=False, max_length=200, widget=widgets.TextInput())
    date_from = FilterDateField(label=_("From"), widget=widgets.DateInput())
    date_to = FilterDateField(label=_("To"), widget=widgets.DateInput())
    unit = widgets.SmallModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[("", _("any"))] + list(Priority.choices),
                                 widget=widgets.Select())
    state = forms.ChoiceField(label=_("State"), required=False, choices=[], widget=widgets.Select())

    def __init__(self, user: Any, states: list[tuple[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
        unit_field.queryset = _units_for(user).select_related(None)  # the label reads country_id only
        unit_field.label_from_instance = lambda obj: f"{obj.country_id} · {obj.name}"  # type: ignore[method-assign]
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", _("any"))] + states

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start date is after the end date."))
        return data

    def to_filter(self) -> MessageFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        unit = data.get("unit")
        return MessageFilter(
            q=(data.get("q") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            unit_id=unit.pk if unit else None,
            priority=data.get("priority") or "",
            state=data.get("state") or "",
        )
