from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from borderlink.assistance.models import DeclineReason, RequestKind, Result, Urgency
from borderlink.assistance.services import HandoverInput, RequestInput
from borderlink.core import widgets
from borderlink.core.forms import OwnIds
from borderlink.core.models import Unit
from borderlink.exchange.forms import MultipleFileField
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence

DATETIME = widgets.DateTimeInput()


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.country.name} · {obj.name}"


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    requested_unit = UnitField(label=_("To"), queryset=Unit.objects.none())
    offence = forms.ChoiceField(label=_("Offence"), choices=Offence.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    data_held_directly = forms.BooleanField(label=_("The requested side holds the data directly"), required=False)
    requested_deadline = forms.DateTimeField(label=_("Answer wanted by (leave empty for the usual time)"), required=False,
                                             widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    subject = forms.CharField(label=_("Subject"), max_length=200)
    details = forms.CharField(label=_("Details"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    person_name = forms.CharField(label=_("Name of the person concerned"), max_length=200, required=False)
    identifier = forms.CharField(label=_("Identifier to trace"), max_length=200, required=False,
                                 help_text=_("phone number, bank account, vehicle plate or wallet address"))
    notice = forms.UUIDField(label=_("Wanted notice (for arrest and handover)"), required=False,
                             widget=forms.Select(choices=[]))
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0)
    victim_case = forms.UUIDField(label=_("Victim case (for a request to verify a victim's nationality)"), required=False,
                                  widget=forms.Select(choices=[]))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from borderlink.notices.access import visible_notices
        from borderlink.notices.models import NoticeKind, NoticeState
        from borderlink.victims.access import visible_cases

        if not user.can_exchange:  # a victim-protection officer writes requests to verify a victim's nationality only
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (value, label) for value, label in RequestKind.choices if value == RequestKind.VERIFY_VICTIM_NATIONALITY]
        # the cases of the user's country this node owns that the user may see (the service checks the rest)
        cases = visible_cases(user).filter(origin_node="", finding_country_id=user.unit.country_id).order_by(
            "-found_on", "-created_at")
        self.fields["victim_case"].widget.choices = [("", "—")] + [(str(c.pk), c.reference) for c in cases[:200]]

        cast(forms.ModelChoiceField, self.fields["requested_unit"]).queryset = Unit.objects.exclude(country_id=user.unit.country_id).select_related("country").order_by(
            "country_id", "code")
        notices = visible_notices(user).filter(issuing_unit_id=user.unit_id, kind=NoticeKind.WANTED_ARREST,
                                               state=NoticeState.PUBLISHED).select_related("subject")
        self.fields["notice"].widget.choices = [("", "—")] + [(str(n.pk), str(n.subject)) for n in notices[:200]]

    def to_input(self) -> RequestInput:
        d = self.cleaned_data
        return RequestInput(
            kind=d["kind"], requested_unit_id=d["requested_unit"].pk, offence=d["offence"], subject=d["subject"],
            details=d["details"], urgency=d["urgency"], data_held_directly=d.get("data_held_directly") or False,
            person_name=d.get("person_name") or "", identifier=d.get("identifier") or "", notice_id=d.get("notice"),
            handling_code=d["handling_code"], requested_deadline=d.get("requested_deadline"),
            victim_case_id=d.get("victim_case"),
        )


class TextForm(OwnIds, forms.Form):
    id_prefix = "clarify"

    text = forms.CharField(label=_("Text"), max_length=10_000, widget=widgets.Textarea(attrs={"rows": 3}))


class OptionalTextForm(OwnIds, forms.Form):
    id_prefix = "note"

    text = forms.CharField(label=_("Note (optional)"), max_length=10_000, required=False, widget=widgets.Textarea(attrs={"rows": 2}))


class ApproveForm(OwnIds, forms.Form):
    id_prefix = "approve"

    justification = forms.CharField(label=_("Justification (required when the text is flagged)"), max_length=2000,
                                    required=False, widget=widgets.Textarea(attrs={"rows": 2}))


class DeclineForm(OwnIds, forms.Form):
    id_prefix = "decline"

    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices, widget=widgets.Select)
    text = forms.CharField(label=_("Explanation"), max_length=10_000, required=False, widget=widgets.Textarea(attrs={"rows": 2}))


RESULT_ROWS = 4


class AnswerForm(OwnIds, forms.Form):
    id_prefix = "answer"

    text = forms.CharField(label=_("Answer"), max_length=10_000, widget=widgets.Textarea(attrs={"rows": 5}))
    partial = forms.BooleanField(label=_("This is a partial answer: more will follow"), required=False,
                                 widget=widgets.CheckboxInput)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(RESULT_ROWS):
            self.fields[f"result_{i}"] = forms.ChoiceField(label=_("Finding"), required=False,
                                                           choices=[("", "—")] + list(Result.choices), widget=widgets.Select)
            self.fields[f"value_{i}"] = forms.CharField(label=_("Value"), required=False, max_length=300, widget=widgets.TextInput)

    def result_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"result_{i}"], self[f"value_{i}"]) for i in range(RESULT_ROWS)]

    def chosen_results(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(d[f"result_{i}"], d.get(f"value_{i}") or "") for i in range(RESULT_ROWS) if d.get(f"result_{i}")]


class HandoverForm(OwnIds, forms.Form):
    id_prefix = "handover"

    """The facts of a handover step; the page shows the fields the step needs."""

    at = forms.DateTimeField(label=_("Date and time"), required=False, widget=DATETIME,
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Where"), max_length=200, required=False, widget=widgets.TextInput)
    gate = forms.CharField(label=_("Border gate"), required=False, widget=widgets.Select(choices=[]))
    escort_requesting_unit = forms.CharField(label=_("Escorting unit of the requesting side"), required=False,
                                             widget=widgets.Select(choices=[]))
    escort_requested_unit = forms.CharField(label=_("Escorting unit of the requested side"), required=False,
                                            widget=widgets.Select(choices=[]))
    documents = forms.CharField(label=_("Documents handed over"), max_length=10_000, required=False,
                                widget=widgets.Textarea(attrs={"rows": 2}))
    handed_by = forms.CharField(label=_("Officers who handed over"), max_length=300, required=False, widget=widgets.TextInput)
    received_by = forms.CharField(label=_("Officers who received"), max_length=300, required=False, widget=widgets.TextInput)

    def __init__(self, *args: Any, req: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if req is not None:
            from borderlink.assistance.services import gates_between

            a, b = req.requesting_unit.country_id, req.requested_unit.country_id
            self.fields["gate"].widget.choices = [("", "—")] + [(str(g.pk), str(g)) for g in gates_between(a, b)]
            for key, country in (("escort_requesting_unit", a), ("escort_requested_unit", b)):
                self.fields[key].widget.choices = [("", "—")] + [(str(u.pk), u.name) for u in Unit.objects.filter(country_id=country)]

    def to_input(self) -> HandoverInput:
        d = self.cleaned_data
        return HandoverInput(
            at=d.get("at"), place=d.get("place") or "", gate_id=d.get("gate") or None,
            escort_requesting_unit_id=d.get("escort_requesting_unit") or None,
            escort_requested_unit_id=d.get("escort_requested_unit") or None, documents=d.get("documents") or "",
            handed_by=d.get("handed_by") or "", received_by=d.get("received_by") or "",
        )
