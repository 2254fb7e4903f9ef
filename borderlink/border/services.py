"""Border incidents: recording, settling, sharing with the other side, reading.

Each state change checks access, validates every field before anything is written (errors per field, in the
user's language), runs in one transaction, writes its audit event and queues the envelope for the node across
the border. The safeguards live here, so the pages, the API and the envelopes from a peer all meet them:

* non-refoulement (DESIGN.md, safeguard 9): nobody who asked for asylum, or who is recorded as a refugee or
  asylum seeker, is returned or handed over to the country they fled. Such an outcome is refused and the
  incident goes to the protection unit instead (`refused_outcome` keeps what was asked);
* a child in an incident flags it to the victim-protection officers;
* free text goes through the neutrality screen (notices/neutrality.py); flagged text leaves the node only with
  a supervisor's written justification.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.border import access
from borderlink.border.models import (
    REMOVALS,
    BorderIncident,
    GoodsType,
    IncidentKind,
    Outcome,
    ProvincePair,
    QuantityUnit,
    SeizedGoods,
    Sharing,
)
from borderlink.core import clock
from borderlink.core.models import BorderGate, Country
from borderlink.notices.neutrality import screen
from borderlink.persons import access as person_access
from borderlink.persons.models import Person
from borderlink.persons.services import PersonInput, create_validated, validate_person

TEXT_MAX = 10_000
PLACE_MAX = 200
PERSONS_MAX = 10_000
GOODS_MAX = 20
QUANTITY_MAX = Decimal("1000000000")
EARLIEST = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)


@dataclass
class GoodsInput:
    goods_type: str
    quantity: Decimal | str | int | float | None
    unit: str
    description: str = ""


@dataclass
class IncidentInput:
    """What a person (page or API) gives to record an incident. `pair` is a province pair's code."""

    pair: str
    kind: str
    occurred_at: datetime.datetime | None
    gate_id: int | None = None
    place: str = ""
    persons_count: int = 0
    children_count: int = 0
    asylum_sought: bool = False
    asylum_country: str | None = None
    description: str = ""
    handling: str = ""
    outcome: str = Outcome.PENDING
    goods: list[GoodsInput] = field(default_factory=list)
    person_ids: list[str] = field(default_factory=list)
    new_persons: list[PersonInput] = field(default_factory=list)
    share: bool = False


@dataclass
class Checked:
    """The objects an input refers to, once validated."""

    pair: ProvincePair
    gate: BorderGate | None
    persons: list[Person]
    goods: list[tuple[str, Decimal, str, str]]


def _require(user: Any) -> None:
    if not access.may_report(user):
        raise Http404("No access.")


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _text(value: str | None, key: str, limit: int, errors: dict[str, list[str]]) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        _add(errors, key, _("At most %(n)d characters.") % {"n": limit})
    return text


def check_gate(pair: ProvincePair, gate_id: Any, errors: dict[str, list[str]], key: str = "gate_id") -> BorderGate | None:
    """The gate, when it is one of the pair's gates; otherwise a field error (a gate on another border)."""
    if gate_id in (None, ""):
        return None
    gate = pair.gates.filter(pk=gate_id).first() if str(gate_id).isdigit() else None
    if gate is None:
        _add(errors, key, _("This gate is not on the border between these two provinces."))
    return gate


def check_goods(lines: Iterable[GoodsInput], errors: dict[str, list[str]]) -> list[tuple[str, Decimal, str, str]]:
    out = []
    for line in list(lines)[: GOODS_MAX + 1]:
        if line.goods_type not in GoodsType.values:
            _add(errors, "goods", _("Choose the type of goods from the list."))
        if line.unit not in QuantityUnit.values:
            _add(errors, "goods", _("Choose the unit of quantity from the list."))
        try:
            quantity = Decimal(str(line.quantity))
            if not quantity.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            _add(errors, "goods", _("Give the quantity as a number."))
            continue
        if not Decimal(0) < quantity < QUANTITY_MAX:
            _add(errors, "goods", _("The quantity must be above 0 and below 1,000,000,000."))
        description = (line.description or "").strip()
        if len(description) > 200:
            _add(errors, "goods", _("At most %(n)d characters.") % {"n": 200})
        out.append((line.goods_type, quantity.quantize(Decimal("0.001")), line.unit, description))
    if len(out) > GOODS_MAX:
        _add(errors, "goods", _("At most %(n)d lines of goods.") % {"n": GOODS_MAX})
    return out


def check_counts(persons_count: Any, children_count: Any, errors: dict[str, list[str]]) -> None:
    """Whole numbers from 0 to 10,000, and never more children than persons."""
    for key, value in (("persons_count", persons_count), ("children_count", children_count)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= PERSONS_MAX:
            _add(errors, key, _("Give a whole number from 0 to %(n)d.") % {"n": PERSONS_MAX})
    if "persons_count" not in errors and "children_count" not in errors and children_count > persons_count:
        _add(errors, "children_count", _("The number of children cannot be above the number of persons."))


def check_occurred_at(pair: ProvincePair | None, occurred_at: datetime.datetime | None, now: datetime.datetime,
                      errors: dict[str, list[str]]) -> None:
    if occurred_at is None:
        _add(errors, "occurred_at", _("Give the date and time."))
    elif occurred_at > now:
        _add(errors, "occurred_at", _("This cannot be in the future."))
    elif occurred_at < EARLIEST:
        _add(errors, "occurred_at", _("This date is too far back."))
    elif pair is not None and not pair.valid_on(timezone.localtime(occurred_at).date()):
        _add(errors, "pair", _("These provinces did not face each other under these names on that date; choose the pair "
                               "valid then."))


def _validate(user: Any, data: IncidentInput, now: datetime.datetime) -> Checked:
    errors: dict[str, list[str]] = {}
    pair = access.user_pairs(user).select_related("side_a", "side_b").filter(code=str(data.pair or "")[:40]).first()
    if pair is None:
        _add(errors, "pair", _("Choose one of your province pairs."))
    if data.kind not in IncidentKind.values:
        _add(errors, "kind", _("Choose a value from the list."))
    check_occurred_at(pair, data.occurred_at, now, errors)
    gate = check_gate(pair, data.gate_id, errors) if pair is not None else None
    place = _text(data.place, "place", PLACE_MAX, errors)
    if gate is None and not place and "gate_id" not in errors:
        _add(errors, "place", _("Give the gate or the place."))
    check_counts(data.persons_count, data.children_count, errors)
    if data.asylum_country and not Country.objects.filter(code=data.asylum_country).exists():
        _add(errors, "asylum_country", _("Unknown country."))
    _text(data.description, "description", TEXT_MAX, errors)
    _text(data.handling, "handling", TEXT_MAX, errors)
    if data.outcome not in Outcome.values:
        _add(errors, "outcome", _("Choose a value from the list."))
    elif data.outcome == Outcome.RETURNED and gate is None and "gate_id" not in errors:
        _add(errors, "gate_id", _("A return goes through a gate: choose the gate."))
    goods = check_goods(data.goods, errors)
    if data.kind == IncidentKind.SMUGGLING_SEIZURE and not goods and "goods" not in errors:
        _add(errors, "goods", _("Record the goods seized."))
    persons = []
    visible = person_access.visible_persons(user)
    for person_id in data.person_ids[:50]:
        try:
            found = visible.filter(pk=person_id).first()
        except (ValueError, ValidationError):
            found = None
        if found is None:
            _add(errors, "person_ids", _("Unknown person."))
        else:
            persons.append(found)
    for person in data.new_persons:
        try:
            validate_person(person)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(f"person_{key}" if key != "names" else "person_name", []).extend(messages)
    named = len(persons) + len(data.new_persons)
    minors = sum(1 for p in persons if p.is_minor) + sum(1 for p in data.new_persons if p.is_minor)
    if not errors.get("persons_count") and not errors.get("children_count"):
        if named > data.persons_count:
            _add(errors, "persons_count", _("More persons are named than counted."))
        if minors > data.children_count:
            _add(errors, "children_count", _("More children are named than counted."))
    if errors:
        raise ValidationError(errors)
    if pair is None:  # reported above; narrows the type
        raise ValidationError({"pair": [_("Choose one of your province pairs.")]})
    return Checked(pair, gate, persons, goods)


def countries_fled(asylum_sought: bool, asylum_country: str | None, persons: Iterable[Any], destination: str) -> set[str]:
    """The countries someone in the incident fled: where an asylum seeker came from (the other side, unless
    another country is named) and the country a recorded refugee fled."""
    fled = {p.refugee_from_id for p in persons if p.is_refugee and p.refugee_from_id}
    if asylum_sought:
        fled.add(asylum_country or destination)
    return fled


def protect(outcome: str, destination: str, fled: set[str]) -> tuple[str, str]:
    """(outcome, refused outcome): a return or handover to a country someone fled becomes a referral to the
    protection unit (non-refoulement, DESIGN.md safeguard 9)."""
    if outcome in REMOVALS and destination in fled:
        return Outcome.REFERRED_PROTECTION, outcome
    return outcome, ""


def _reference(user: Any, now: datetime.datetime) -> str:
    count = BorderIncident.objects.filter(reporting_unit_id=user.unit_id, created_at__year=now.year).count() + 1
    return f"{user.unit.code}/B/{now.year}/{count:04d}"


def _flags(*texts: str) -> list[dict[str, str]]:
    return screen(*texts)


def _audit_safeguards(user: Any, item: BorderIncident, request: HttpRequest | None) -> None:
    if item.refused_outcome:
        record(user, "border.incident.refoulement_blocked", object_type="border_incident", object_id=item.pk,
               data={"refused": item.refused_outcome, "destination": item.pair.other_country(item.reporting_unit.country_id)},
               request=request)
    if item.child_flagged:
        record(user, "border.incident.child_flagged", object_type="border_incident", object_id=item.pk,
               data={"children": item.children_count}, request=request)


def record_incident(user: Any, data: IncidentInput, http_request: HttpRequest | None = None,
                    now: datetime.datetime | None = None) -> BorderIncident:
    """Record an incident at the border of one of the user's province pairs.

    Returns the incident; raises ValidationError (per field) on bad input and Http404 without access. With
    `share`, the incident waits for a supervisor of the unit (not its author) before it goes to the other side.
    A return or handover that would send someone to the country they fled is refused: the incident is recorded
    with the outcome "referred to victim protection" and `refused_outcome` set."""
    _require(user)
    at = now or clock.now()
    checked = _validate(user, data, at)
    pair = checked.pair
    mine = user.unit.country_id
    destination = pair.other_country(mine)
    province = pair.province_of(mine)
    if data.occurred_at is None or province is None:  # _validate checked both (the user's own pairs); narrows types
        raise ValidationError({"pair": [_("Choose one of your province pairs.")]})
    with transaction.atomic():
        new_persons = [create_validated(user, p, http_request) for p in data.new_persons]
        persons = checked.persons + new_persons
        fled = countries_fled(data.asylum_sought, data.asylum_country, persons, destination)
        outcome, refused = protect(data.outcome, destination, fled)
        goods_text = [g[3] for g in checked.goods]
        item = BorderIncident.objects.create(
            reference=_reference(user, at), reporting_unit_id=user.unit_id, pair=pair, province=province,
            gate=checked.gate, place=(data.place or "").strip(), occurred_at=data.occurred_at, kind=data.kind,
            persons_count=data.persons_count, children_count=data.children_count, asylum_sought=data.asylum_sought,
            asylum_country_id=(data.asylum_country or destination) if data.asylum_sought else None,
            description=(data.description or "").strip(), handling=(data.handling or "").strip(), outcome=outcome,
            refused_outcome=refused, protection_referred=outcome == Outcome.REFERRED_PROTECTION,
            child_flagged=data.children_count > 0 or any(p.is_minor for p in persons),
            neutrality_flags=_flags(data.description, data.handling, data.place, *goods_text),
            sharing=Sharing.AWAITING if data.share else Sharing.LOCAL, created_by=user,
        )
        item.persons.set(persons)
        SeizedGoods.objects.bulk_create([SeizedGoods(incident=item, goods_type=t, quantity=q, unit=u, description=d)
                                         for t, q, u, d in checked.goods])
        record(user, "border.incident.recorded", object_type="border_incident", object_id=item.pk,
               data={"pair": pair.code, "kind": item.kind, "persons": item.persons_count, "outcome": item.outcome},
               request=http_request)
        _audit_safeguards(user, item, http_request)
    return item


@dataclass
class SettleInput:
    outcome: str
    handling: str = ""
    gate_id: int | None = None


def settle_incident(user: Any, incident_id: Any, data: SettleInput, http_request: HttpRequest | None = None) -> BorderIncident:
    """Record how the incident was handled, and its outcome (the reporting unit only). The non-refoulement rule
    applies as when recording; a shared incident sends its new version to the other side."""
    _require(user)
    item = access.get_incident_for_user(user, incident_id, http_request)
    if not access.is_reporting_side(user, item):
        raise Http404("No access.")
    errors: dict[str, list[str]] = {}
    handling = _text(data.handling, "handling", TEXT_MAX, errors)
    gate = check_gate(item.pair, data.gate_id, errors) if data.gate_id not in (None, "") else item.gate
    if data.outcome not in Outcome.values:
        _add(errors, "outcome", _("Choose a value from the list."))
    elif data.outcome == Outcome.RETURNED and gate is None and "gate_id" not in errors:
        _add(errors, "gate_id", _("A return goes through a gate: choose the gate."))
    if errors:
        raise ValidationError(errors)
    from borderlink.border.federation import queue_snapshot

    with transaction.atomic():
        item = BorderIncident.objects.select_for_update().select_related("pair__side_a", "pair__side_b", "reporting_unit").get(
            pk=item.pk)
        destination = item.pair.other_country(item.reporting_unit.country_id)
        fled = countries_fled(item.asylum_sought, item.asylum_country_id, item.persons.all(), destination)
        item.outcome, item.refused_outcome = protect(data.outcome, destination, fled)
        item.protection_referred = item.protection_referred or item.outcome == Outcome.REFERRED_PROTECTION
        item.handling, item.gate = handling or item.handling, gate
        item.neutrality_flags = _flags(item.description, item.handling, item.place, *item.goods.values_list("description", flat=True))
        item.version += 1
        item.save()
        record(user, "border.incident.settled", object_type="border_incident", object_id=item.pk,
               data={"outcome": item.outcome}, request=http_request)
        _audit_safeguards(user, item, http_request)
        if item.sharing == Sharing.SHARED:
            queue_snapshot(item)
    return item


def approve_sharing(user: Any, incident_id: Any, justification: str = "", http_request: HttpRequest | None = None) -> BorderIncident:
    """A supervisor of the reporting unit, not the author, lets the incident go to the other side (four eyes).
    Text flagged by the neutrality screen needs a written justification, which is audited."""
    _require(user)
    item = access.get_incident_for_user(user, incident_id, http_request)
    if not access.may_approve_sharing(user, item):
        raise Http404("No access.")
    justification = (justification or "").strip()
    if item.sharing != Sharing.AWAITING:
        raise ValidationError(_("This incident is not waiting for approval."))
    if item.neutrality_flags and not justification:
        raise ValidationError({"justification": [
            _("The text suggests a political, religious, ethnic or military purpose: give a justification.")]})
    if len(justification) > 2000:
        raise ValidationError({"justification": [_("At most %(n)d characters.") % {"n": 2000}]})
    from borderlink.border.federation import queue_snapshot

    with transaction.atomic():
        updated = BorderIncident.objects.filter(pk=item.pk, sharing=Sharing.AWAITING).update(
            sharing=Sharing.SHARED, sharing_approved_by=user, share_justification=justification)
        if not updated:
            raise ValidationError(_("This incident is not waiting for approval."))
        item.refresh_from_db()
        if item.neutrality_flags:
            record(user, "border.incident.neutrality_override", object_type="border_incident", object_id=item.pk,
                   data={"flags": item.neutrality_flags, "justification": justification}, request=http_request)
        record(user, "border.incident.sharing_approved", object_type="border_incident", object_id=item.pk, request=http_request)
        queue_snapshot(item)
    return item


def view_incident(user: Any, incident_id: Any, http_request: HttpRequest | None = None) -> BorderIncident:
    """One incident for reading (audited); Http404 for anyone who may not see it."""
    if not access.may_use_border(user):
        raise Http404("No access.")
    item = access.get_incident_for_user(user, incident_id, http_request)
    record(user, "border.incident.viewed", object_type="border_incident", object_id=item.pk, request=http_request)
    return item
