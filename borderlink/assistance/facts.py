"""What people (and peers) give with each step of a request or a handover, and how it is checked.

The same checks run on a person's step and on a peer's (see `borderlink.assistance.workflow.validate`),
so a step is held to one set of rules on both nodes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from borderlink.assistance.models import Action, Handover, Request, Result
from borderlink.core import bounds
from borderlink.core.models import BorderGate, Unit
from borderlink.exchange.attachments import CheckedFile
from borderlink.persons.services import before_birth

TEXT_MAX = 10_000
ATTACHMENTS_MAX = 10
RESULTS_MAX = 30


@dataclass
class ResultInput:
    kind: str
    value: str = ""


@dataclass
class HandoverInput:
    """The facts of one handover step; which ones count depends on the step."""

    at: datetime.datetime | None = None
    place: str = ""
    gate_id: Any = None
    escort_requesting_unit_id: Any = None
    escort_requested_unit_id: Any = None
    documents: str = ""
    handed_by: str = ""
    received_by: str = ""


@dataclass
class Answer:
    text: str
    results: list[ResultInput] = field(default_factory=list)
    attachments: list[CheckedFile] = field(default_factory=list)
    partial: bool = False


def check_text(value: str, field_name: str, errors: dict[str, list[str]], required: bool = True) -> str:
    """The text stripped; a missing (when required) or too long text adds an error under `field_name`."""
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field_name, []).append(_("This field is required."))
    elif len(value) > TEXT_MAX:
        errors.setdefault(field_name, []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX})
    return value


def answer_errors(answer: Answer) -> tuple[dict[str, list[str]], str, list[dict[str, str]]]:
    """Check an answer: its text, at most RESULTS_MAX findings from the list (with a value where the kind
    needs one) and at most ATTACHMENTS_MAX attachments. Returns the errors, the text and the findings."""
    errors: dict[str, list[str]] = {}
    text = check_text(answer.text, "text", errors)
    results = []
    if len(answer.results) > RESULTS_MAX:
        errors.setdefault("results", []).append(_("At most %(n)d findings.") % {"n": RESULTS_MAX})
    for result in answer.results:
        value = (result.value or "").strip()
        if result.kind not in Result.values:
            errors.setdefault("results", []).append(_("Choose each finding from the list."))
        elif len(value) > 300:
            errors.setdefault("results", []).append(_("At most %(n)d characters.") % {"n": 300})
        elif result.kind in (Result.DOCUMENT_NUMBER, Result.ADDRESS, Result.OTHER) and not value:
            errors.setdefault("results", []).append(_("A document number, address or other finding needs its value."))
        else:
            results.append({"kind": result.kind, "value": value})
    if len(answer.attachments) > ATTACHMENTS_MAX:
        errors.setdefault("attachments", []).append(_("At most %(n)d attachments.") % {"n": ATTACHMENTS_MAX})
    return errors, text, results


# --- handover ------------------------------------------------------------------------------------------------


def gates_between(a: str, b: str) -> Any:
    return BorderGate.objects.valid_on().filter(
        Q(side_a_country_id=a, side_b_country_id=b) | Q(side_a_country_id=b, side_b_country_id=a))


def gate_key(gate: BorderGate) -> dict[str, str]:
    return {"side_a_country": gate.side_a_country_id, "side_a_name": gate.side_a_name, "side_b_country": gate.side_b_country_id}


def refugee_from_requesting_country(req: Request) -> bool:
    """The wanted person is recorded on this node as a refugee or asylum seeker from the requesting country:
    the notice's subject, or a person this node recorded who shares an identity document with the subject."""
    from borderlink.persons.models import Person

    country = req.requesting_unit.country_id
    subject = req.notice.subject if req.notice is not None else None
    if subject is None:
        return False
    if subject.is_refugee and subject.refugee_from_id == country:
        return True
    numbers = [(d.issuing_country_id, d.number_normalised) for d in subject.documents.all()]
    if not numbers:
        return False
    match = Q()
    for issuing, number in numbers:
        match |= Q(documents__issuing_country_id=issuing, documents__number_normalised=number)
    return Person.objects.filter(match, is_refugee=True, refugee_from_id=country).exclude(pk=subject.pk).exists()


def handover_errors(req: Request, action: str, data: HandoverInput, handover: Handover | None,
                    at: datetime.datetime) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Check the facts of a handover step; returns the errors and the fields to store."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    when = data.at
    if action != Action.HANDOVER_CLOSED and when is None:
        errors.setdefault("at", []).append(_("Give the date and time."))
    if action in (Action.LOCATED, Action.ARRESTED, Action.HANDED_OVER) and when is not None and when > at:
        errors.setdefault("at", []).append(_("This cannot be in the future."))
    window = bounds.PLANNED_EVENT if action == Action.HANDOVER_PLANNED else bounds.PAST_EVENT
    if "at" not in errors and (message := window.error(when, at)) is not None:
        errors.setdefault("at", []).append(message)
    subject = req.notice.subject if req.notice_id is not None and req.notice is not None else None
    if "at" not in errors and subject is not None and before_birth(when, subject):
        errors.setdefault("at", []).append(_("This cannot be before the person's birth."))
    place = (data.place or "").strip()
    if action in (Action.LOCATED, Action.ARRESTED):
        if not place:
            errors.setdefault("place", []).append(_("Say where."))
        elif len(place) > 200:
            errors.setdefault("place", []).append(_("At most %(n)d characters.") % {"n": 200})
    if action == Action.LOCATED:
        fields.update(located_at=when, location=place)
    elif action == Action.ARRESTED:
        located = handover.located_at if handover else None
        if when is not None and located is not None and when < located:
            errors.setdefault("at", []).append(_("The arrest cannot be before the person was located."))
        fields.update(arrested_at=when, held_at=place)
    elif action == Action.HANDOVER_PLANNED:
        countries = (req.requesting_unit.country_id, req.requested_unit.country_id)
        gate = None
        try:
            gate = gates_between(*countries).filter(pk=int(data.gate_id)).first()
        except (TypeError, ValueError):
            gate = None
        if gate is None:
            errors.setdefault("gate", []).append(_("Choose a border gate between the two countries from the reference list."))
        arrested = handover.arrested_at if handover else None
        if when is not None and arrested is not None and when <= arrested:
            errors.setdefault("at", []).append(_("The handover cannot be planned before the arrest."))
        if when is not None and when <= at:
            errors.setdefault("at", []).append(_("The handover must be planned for a time still to come."))
        escorts = {}
        for key, country in (("escort_requesting_unit", countries[0]), ("escort_requested_unit", countries[1])):
            try:
                unit = Unit.objects.filter(pk=int(getattr(data, f"{key}_id")), country_id=country).first()
            except (TypeError, ValueError):
                unit = None
            if unit is None:
                errors.setdefault(key, []).append(_("Choose an escorting unit of that side."))
            escorts[key] = unit
        if refugee_from_requesting_country(req):
            errors.setdefault("__all__", []).append(
                _("A handover cannot be planned: the person is recorded as a refugee or asylum seeker from the requesting country."))
        fields.update(gate=gate, planned_for=when, **escorts)
    elif action == Action.HANDED_OVER:
        for key in ("documents", "handed_by", "received_by"):
            value = (getattr(data, key) or "").strip()
            if not value:
                errors.setdefault(key, []).append(_("This field is required."))
            elif len(value) > (TEXT_MAX if key == "documents" else 300):
                errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX if key == "documents" else 300})
            fields[key] = value
        arrested = handover.arrested_at if handover else None
        if when is not None and arrested is not None and when < arrested:
            errors.setdefault("at", []).append(_("The handover cannot be before the arrest."))
        planned = req.events.filter(action=Action.HANDOVER_PLANNED).order_by("-at").first() if req.pk else None
        # to the minute, as a person gives the time of a handover
        if when is not None and planned is not None and when < (planned.claimed_at or planned.at).replace(
                second=0, microsecond=0):
            errors.setdefault("at", []).append(_("The handover cannot be before the step that planned it."))
        fields["handed_over_at"] = when
    elif action == Action.HANDOVER_CLOSED:
        fields["closed_at"] = at
    return errors, fields


def handover_payload(fields: dict[str, Any]) -> dict[str, Any]:
    """The facts of a step as JSON for the timeline and the envelope (gates and units by natural keys)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, datetime.datetime):
            out[key] = value.isoformat()
        elif isinstance(value, BorderGate):
            out[key] = gate_key(value)
        elif isinstance(value, Unit):
            out[key] = value.code
        else:
            out[key] = value
    return out


def handover_input(fields: dict[str, Any]) -> HandoverInput:
    """A peer's handover facts (gates and units already resolved from their natural keys) as the input a
    person gives, so that the same `handover_errors` checks them."""
    def pk(value: Any) -> Any:
        return value.pk if value is not None and hasattr(value, "pk") else None

    when = next((fields[k] for k in ("located_at", "arrested_at", "planned_for", "handed_over_at") if k in fields), None)
    return HandoverInput(
        at=when, place=str(fields.get("location") or fields.get("held_at") or ""), gate_id=pk(fields.get("gate")),
        escort_requesting_unit_id=pk(fields.get("escort_requesting_unit")),
        escort_requested_unit_id=pk(fields.get("escort_requested_unit")), documents=str(fields.get("documents", "")),
        handed_by=str(fields.get("handed_by", "")), received_by=str(fields.get("received_by", "")))
