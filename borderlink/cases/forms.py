"""Forms of the case pages: they parse and bound what a person types; the services check the rest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderlink.cases.identifiers import CHAINS
from borderlink.cases.items import EntityInput, LinkInput
from borderlink.cases.models import EntityKind, LinkKind, Outcome, PersonRole
from borderlink.cases.services import CaseInput, TaskInput
from borderlink.core import widgets
from borderlink.core.models import BorderGate, Unit
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence
from borderlink.persons.models import DocumentType
from borderlink.persons.services import DocumentInput, NameInput, PersonInput

# The forms of the case page are drawn with core.widgets (Python, no template per widget, label or <option>): the
# page draws them on every view (bench/cases.py). Dates are ISO whatever the language: a browser drops a
# "30/11/2026" value of a date input.
DATETIME = widgets.DateTimeInput()
DATE = widgets.DateInput()


def _area(rows: int) -> widgets.Textarea:
    return widgets.Textarea(attrs={"rows": rows})


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    offence = forms.ChoiceField(label=_("Offence"), choices=Offence.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0)
    summary = forms.CharField(label=_("Summary"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    # one plain query for the units and checkboxes without a template per unit (the case page draws it for the lead)
    units = widgets.SmallModelMultipleChoiceField(label=_("Units to invite"), queryset=Unit.objects.none())
    message = forms.CharField(label=_("Invitation (what the invited units read before they accept)"), max_length=2000,
                              required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = Unit.objects.filter(is_active=True).exclude(
            pk=user.unit_id).order_by("country", "code")

    def to_input(self) -> CaseInput:
        d = self.cleaned_data
        return CaseInput(title=d["title"], offence=d["offence"], legal_basis=d["legal_basis"], units=[u.pk for u in d["units"]],
                         summary=d.get("summary") or "", handling_code=d["handling_code"], message=d.get("message") or "")


class InviteForm(forms.Form):
    """More units, invited after the approval (a supervisor other than the inviter sends them)."""

    # drawn once per language and list of units to invite (core.widgets.form_rows: the units' choices are read every
    # time and are the drawing's key, so a case with other participants, or a unit added, is drawn anew)
    same_when_blank = True
    # one plain query for the units and checkboxes without a template per unit (the case page draws it for the lead)
    units = widgets.SmallModelMultipleChoiceField(label=_("Units to invite"), queryset=Unit.objects.none())
    message = forms.CharField(label=_("Invitation (what the invited units read before they accept)"), max_length=2000,
                              required=False, widget=_area(2))

    def __init__(self, *args: Any, user: Any, exclude: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invite_%s")  # its ids apart from the case form's on the same page
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = self.offered_units(user, exclude)

    @staticmethod
    def offered_units(user: Any, exclude: Any = ()) -> Any:
        """The units offered (a queryset, in the order drawn): the active ones but the user's and `exclude`'s."""
        return Unit.objects.filter(is_active=True).exclude(pk=user.unit_id).exclude(pk__in=list(exclude)).order_by(
            "country", "code")


class RequestLinkForm(forms.Form):
    same_when_blank = True  # drawn once per language (core.widgets.form_rows): the case page shows it blank

    reference = forms.CharField(label=_("Reference of the request"), max_length=40, widget=widgets.TextInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "request_%s")  # its ids apart from the other forms' on the case page
        super().__init__(*args, **kwargs)


class StepForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=10_000, required=False, widget=_area(2))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False,
                                widget=widgets.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "step_%s")  # its ids apart from the other forms' on the case page
        super().__init__(*args, **kwargs)


class EntityForm(forms.Form):
    same_when_blank = True  # drawn once per language (core.widgets.form_rows): the case page shows it blank

    kind = forms.ChoiceField(label=_("Kind"), choices=EntityKind.choices, widget=widgets.Select)
    value = forms.CharField(label=_("Number, address, handle or name"), max_length=200, required=False, widget=widgets.TextInput)
    qualifier = forms.CharField(label=_("Bank, plate country, platform or issuing country"), max_length=60, required=False,
                                widget=widgets.TextInput)
    chain = forms.ChoiceField(label=_("Chain"), choices=[(c, c) for c in CHAINS], required=False, widget=widgets.Select)
    gate = widgets.SmallModelChoiceField(label=_("Border gate"), queryset=BorderGate.objects.all(), required=False)
    name = forms.CharField(label=_("Name (person)"), max_length=200, required=False, widget=widgets.TextInput)
    role = forms.ChoiceField(label=_("Role (person)"), choices=[("", "—"), *PersonRole.choices], required=False,
                             widget=widgets.Select)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100,
                                    widget=widgets.NumberInput)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=[("", "—"), *DocumentType.choices], required=False,
                                      widget=widgets.Select)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False, widget=widgets.TextInput)
    document_country = forms.CharField(label=_("Issuing country"), max_length=2, required=False, widget=widgets.TextInput)
    details = forms.CharField(label=_("Details"), max_length=10_000, required=False, widget=_area(2))
    shared = forms.BooleanField(label=_("Share with the case"), required=False, widget=widgets.CheckboxInput)

    def to_input(self) -> EntityInput:
        d = self.cleaned_data
        person = None
        if d["kind"] == EntityKind.PERSON:
            documents = []
            if d.get("document_number"):
                documents.append(DocumentInput(d.get("document_type") or "", d["document_number"], (d.get("document_country") or "").upper()))
            person = PersonInput(names=[NameInput(d.get("name") or "")], birth_year=d.get("birth_year"), documents=documents)
        qualifier = d.get("chain") if d["kind"] == EntityKind.WALLET else d.get("qualifier") or ""
        gate = d.get("gate")
        return EntityInput(kind=d["kind"], value=d.get("value") or "", qualifier=qualifier or "", details=d.get("details") or "",
                           person=person, gate=gate.pk if gate else None, shared=bool(d.get("shared")),
                           role=(d.get("role") or "") if d["kind"] == EntityKind.PERSON else "")


class LinkForm(forms.Form):
    same_when_blank = True  # drawn once per language (core.widgets.form_rows): the case page shows it blank

    kind = forms.ChoiceField(label=_("Link"), choices=LinkKind.choices, widget=widgets.Select)
    source = forms.CharField(label=_("From"), max_length=40, widget=widgets.TextInput)
    target = forms.CharField(label=_("To"), max_length=40, widget=widgets.TextInput)
    first_date = forms.DateField(label=_("From (date)"), required=False, widget=DATE)
    last_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), required=False, max_digits=16, decimal_places=2,
                                widget=widgets.NumberInput)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False, widget=widgets.TextInput)
    information_source = forms.CharField(label=_("Source of the information"), max_length=200, widget=widgets.TextInput)
    shared = forms.BooleanField(label=_("Share with the case"), required=False, widget=widgets.CheckboxInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "link_%s")  # its ids apart from the other forms' on the case page
        super().__init__(*args, **kwargs)

    def to_input(self) -> LinkInput:
        d = self.cleaned_data
        return LinkInput(kind=d["kind"], source=d["source"], target=d["target"], information_source=d["information_source"],
                         first_date=d.get("first_date"), last_date=d.get("last_date"), amount=d.get("amount"),
                         currency=d.get("currency") or "", shared=bool(d.get("shared")))


class NoteForm(forms.Form):
    same_when_blank = True  # drawn once per language (core.widgets.form_rows): the case page shows it blank

    text = forms.CharField(label=_("Note"), max_length=10_000, widget=_area(3))
    shared = forms.BooleanField(label=_("Share with the case"), required=False, widget=widgets.CheckboxInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")  # its ids apart from the other forms' on the case page
        super().__init__(*args, **kwargs)


class TaskForm(forms.Form):
    same_when_blank = True  # drawn once per language (core.widgets.form_rows): the case page shows it blank

    assigned_unit = forms.IntegerField(label=_("Assigned unit"), widget=widgets.NumberInput)
    title = forms.CharField(label=_("Task"), max_length=200, widget=widgets.TextInput)
    deadline = forms.DateTimeField(label=_("Due"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    text = forms.CharField(label=_("Details"), max_length=10_000, required=False, widget=_area(2))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "task_%s")  # its ids apart from the other forms' on the case page
        super().__init__(*args, **kwargs)

    def to_input(self) -> TaskInput:
        d = self.cleaned_data
        deadline = d["deadline"]
        if timezone.is_naive(deadline):
            deadline = timezone.make_aware(deadline)
        return TaskInput(assigned_unit=d["assigned_unit"], title=d["title"], deadline=deadline, text=d.get("text") or "")


class IdentifierSearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, v) for k, v in EntityKind.choices if k in (
        EntityKind.PHONE, EntityKind.ACCOUNT, EntityKind.VEHICLE, EntityKind.WALLET, EntityKind.ONLINE, EntityKind.DOCUMENT)])
    value = forms.CharField(label=_("Identifier"), max_length=200)
    chain = forms.ChoiceField(label=_("Chain (wallets)"), choices=[(c, c) for c in CHAINS], required=False)
