"""What goes into a case: entities, links and notes (with files), each shared with the case or private to
its country, and sharing a private item later.

Each writing function checks access (the case through its access helper, 404 for outsiders), validates
everything before writing (field errors in the user's language), runs in a transaction, audits, queues
cross-referencing for after the commit and, for a shared item, the envelopes to the other participating
countries. The same checks (`entity_fields`, `link_errors`) run on an item a peer sends.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.cases import access, identifiers
from borderlink.cases.models import Case, CaseState, Entity, EntityKind, Link, LinkKind, Note, NoteFile, PersonRole
from borderlink.core import clock
from borderlink.core.models import BorderGate, Country
from borderlink.exchange.attachments import CheckedFile, store
from borderlink.persons.services import PersonInput, create_validated, validate_person

TEXT_MAX = 10_000
WRITABLE = (CaseState.DRAFT, CaseState.PROPOSED, CaseState.OPEN)


@dataclass
class EntityInput:
    """kind: EntityKind. value: the identifier as written (phone, account number, plate, address, handle,
    document number) or the name (organisation, address). qualifier: bank, plate country, chain, platform or
    document's issuing country. person: for a person. gate: a border gate's id for a place."""

    kind: str
    value: str = ""
    qualifier: str = ""
    label: str = ""
    details: str = ""
    person: PersonInput | None = None
    gate: int | None = None
    shared: bool = False
    role: str = ""


@dataclass
class LinkInput:
    kind: str
    source: Any
    target: Any
    information_source: str
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    amount: decimal.Decimal | None = None
    currency: str = ""
    shared: bool = False


@dataclass
class NoteInput:
    text: str
    files: list[CheckedFile] = field(default_factory=list)
    shared: bool = False


@dataclass
class Fields:
    """An entity's checked fields, ready to write."""

    label: str
    qualifier: str = ""
    value: str = ""
    gate: BorderGate | None = None


def _short(text: str, limit: int, key: str, errors: dict[str, list[str]], required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        errors.setdefault(key, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": limit})
    return text


def entity_fields(kind: str, value: str, qualifier: str, label: str, gate: int | None, country: str,
                  gate_obj: BorderGate | None = None) -> Fields:
    """An entity's identifier normalised and its other fields checked, for a person's input and a peer's alike.
    `country` reads a phone number written without a country code. Raises ValidationError by field
    (value, qualifier, label, gate, kind), in the user's language. Persons are checked by the persons app."""
    errors: dict[str, list[str]] = {}
    label = _short(label, 200, "label", errors)
    qualifier = _short(qualifier, 60, "qualifier", errors)
    out = Fields(label=label, qualifier=qualifier)
    try:
        if kind == EntityKind.PHONE:
            out.value = identifiers.normalise_phone(value, country)
            out.qualifier = ""
        elif kind == EntityKind.ACCOUNT:
            if not qualifier:
                errors.setdefault("qualifier", []).append(_("Name the bank."))
            out.value = identifiers.normalise_account(value)
        elif kind == EntityKind.VEHICLE:
            out.qualifier = qualifier.upper()
            if len(out.qualifier) != 2 or not out.qualifier.isalpha():
                errors.setdefault("qualifier", []).append(_("Give the plate's country as two letters, for example KH."))
            out.value = identifiers.normalise_plate(value)
        elif kind == EntityKind.WALLET:
            out.value = identifiers.normalise_wallet(qualifier, value)
        elif kind == EntityKind.ONLINE:
            if not qualifier:
                errors.setdefault("qualifier", []).append(_("Name the platform."))
            out.qualifier = qualifier.casefold()
            out.value = identifiers.normalise_handle(value)
        elif kind == EntityKind.DOCUMENT:
            out.qualifier = qualifier.upper()
            if not Country.objects.filter(code=out.qualifier).exists() and (len(out.qualifier) != 2 or not out.qualifier.isalpha()):
                errors.setdefault("qualifier", []).append(_("Give the issuing country as two letters."))
            out.value = identifiers.normalise_document(value)
        elif kind == EntityKind.ORGANISATION:
            out.label = _short(label or value, 200, "value", errors, required=True)
        elif kind == EntityKind.PLACE:
            found = gate_obj or (BorderGate.objects.filter(pk=gate).first() if gate else None)
            if gate and found is None:
                errors.setdefault("gate", []).append(_("Choose a border gate from the list."))
            out.gate = found
            out.label = str(found) if found is not None else _short(label or value, 200, "value", errors, required=True)
        elif kind != EntityKind.PERSON:
            errors.setdefault("kind", []).append(_("Choose a value from the list."))
    except ValidationError as exc:
        errors.setdefault("value", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    if not out.label:
        out.label = f"{out.value} ({out.qualifier})" if out.qualifier else out.value
    return out


def _writable_case(user: Any, case_id: Any, request: HttpRequest | None) -> Case:
    case = access.get_case_for_user(user, case_id, request)
    side = access.side_of(user, case)
    if side is None:
        raise Http404("No access.")
    if case.state not in WRITABLE or (side != access.LEAD and case.state != CaseState.OPEN):
        raise ValidationError(_("Nothing can be added to the case in its present state."))
    return case


def _after_write(item: Any, kind: str) -> None:
    from borderlink.cases import federation
    from borderlink.cases.tasks import correlate_entity

    if item.shared:
        federation.queue_item(item.case, kind, item)
    if kind == "entity":
        transaction.on_commit(lambda: correlate_entity.enqueue(str(item.pk)))


def add_entity(user: Any, case_id: Any, data: EntityInput, request: HttpRequest | None = None,
               now: datetime.datetime | None = None) -> Entity:
    """Add an entity to a case the user's unit takes part in. A person goes through the persons app (its
    names and documents); a trafficking victim stays private to this node. Raises ValidationError by field
    (bad phone, bad wallet checksum...), Http404 for anyone outside the case."""
    case = _writable_case(user, case_id, request)
    country = user.unit.country_id
    errors: dict[str, list[str]] = {}
    fields_: Fields | None = None
    try:
        fields_ = entity_fields(data.kind, data.value, data.qualifier, data.label, data.gate, country)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    details = _short(data.details, TEXT_MAX, "details", errors)
    if data.kind == EntityKind.PERSON:
        if data.person is None:
            errors.setdefault("names", []).append(_("This field is required."))
        else:
            try:
                validate_person(data.person)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
            if data.person.is_trafficking_victim and data.shared:
                errors.setdefault("shared", []).append(
                    _("A trafficking victim stays on this node: record the person as private to your country."))
        for key, messages in role_errors(data.role, data.person).items():
            errors.setdefault(key, []).extend(messages)
    elif data.role:
        errors.setdefault("role", []).append(_("Only a person has a role in the case."))
    if errors or fields_ is None:
        raise ValidationError(errors)
    with transaction.atomic():
        person = create_validated(user, data.person, request) if data.kind == EntityKind.PERSON and data.person else None
        label = fields_.label
        if person is not None:
            label = person.names.first().name if person.names.exists() else label  # type: ignore[union-attr]
        entity = Entity.objects.create(
            case=case, owner_country_id=country, unit_id=user.unit_id, created_by=user,
            author_name=workflow.name_of(user), shared=data.shared, created_at=now or clock.now(),
            kind=data.kind, label=label[:200], qualifier=fields_.qualifier, value=fields_.value, person=person,
            gate=fields_.gate, details=details, role=data.role if data.kind == EntityKind.PERSON else "",
        )
        record(user, "cases.entity.added", object_type="case", object_id=case.pk,
               data={"entity": str(entity.pk), "kind": entity.kind, "shared": entity.shared}, request=request)
        _after_write(entity, "entity")
    return entity


def role_errors(role: str, person: Any) -> dict[str, list[str]]:
    """A person entity's role from the list; a recorded trafficking victim (by the flag, a victim case, or an
    identity document a recorded victim holds: `victims.guard`) is never a suspect. For a person's input
    (a PersonInput) and a peer's person alike."""
    if role not in PersonRole.values:
        return {"role": [_("Choose the person's role in the case from the list.")]}
    if role == PersonRole.SUSPECT and person is not None:
        from borderlink.victims.guard import refusal

        if reason := refusal(person, "suspect"):
            return {"role": [reason]}
    return {}


def link_errors(case: Case, kind: str, source: Entity | None, target: Entity | None, shared: bool,
                first: datetime.date | None, last: datetime.date | None, amount: decimal.Decimal | None,
                currency: str, information_source: str) -> dict[str, list[str]]:
    """A link's checks, for a person's input and a peer's: both ends entities of this case, a shared link
    only between shared entities (a private entity is never revealed by a link), dates in order, an amount
    positive with its currency, the source of the information given."""
    errors: dict[str, list[str]] = {}
    if kind not in LinkKind.values:
        errors.setdefault("kind", []).append(_("Choose a value from the list."))
    for key, entity in (("source", source), ("target", target)):
        if entity is None or entity.case_id != case.pk:
            errors.setdefault(key, []).append(_("Choose an entity of this case."))
        elif shared and not entity.shared:
            errors.setdefault("shared", []).append(
                _("A shared link can join only entities shared with the case: share them first, or keep the link private."))
    if source is not None and target is not None and source.pk == target.pk:
        errors.setdefault("target", []).append(_("A link joins two different entities."))
    if first and last and last < first:
        errors.setdefault("last_date", []).append(_("The end cannot be before the start."))
    if amount is not None and (amount <= 0 or amount >= decimal.Decimal("1e14")):
        errors.setdefault("amount", []).append(_("Give a positive amount."))
    if amount is not None and (len(currency) != 3 or not currency.isalpha()):
        errors.setdefault("currency", []).append(_("Give the currency as three letters, for example USD."))
    if not (information_source or "").strip():
        errors.setdefault("information_source", []).append(_("This field is required."))
    elif len(information_source) > 200:
        errors.setdefault("information_source", []).append(_("At most %(n)d characters.") % {"n": 200})
    return errors


def add_link(user: Any, case_id: Any, data: LinkInput, request: HttpRequest | None = None,
             now: datetime.datetime | None = None) -> Link:
    """Link two entities of the case (uses, owns, transferred to with amount and date, called, travelled
    with, member of, crossed at). An entity of another case, or one the user may not see, is a field error."""
    case = _writable_case(user, case_id, request)
    visible = access.visible_entities(user, case)

    def find(value: Any) -> Entity | None:
        parsed = access._parse(value)
        return visible.filter(pk=parsed).first() if parsed else None

    source, target = find(data.source), find(data.target)
    currency = (data.currency or "").strip().upper()
    errors = link_errors(case, data.kind, source, target, data.shared, data.first_date, data.last_date, data.amount,
                         currency, data.information_source)
    if errors or source is None or target is None:
        raise ValidationError(errors)
    with transaction.atomic():
        link = Link.objects.create(
            case=case, owner_country_id=user.unit.country_id, unit_id=user.unit_id, created_by=user,
            author_name=workflow.name_of(user), shared=data.shared, created_at=now or clock.now(),
            kind=data.kind, source=source, target=target, first_date=data.first_date, last_date=data.last_date,
            amount=data.amount, currency=currency if data.amount is not None else "",
            information_source=data.information_source.strip(),
        )
        record(user, "cases.link.added", object_type="case", object_id=case.pk,
               data={"link": str(link.pk), "kind": link.kind, "shared": link.shared}, request=request)
        _after_write(link, "link")
    return link


def add_note(user: Any, case_id: Any, data: NoteInput, request: HttpRequest | None = None,
             now: datetime.datetime | None = None) -> Note:
    """A note with files checked as message attachments are (exchange.attachments: content, type, size)."""
    case = _writable_case(user, case_id, request)
    errors: dict[str, list[str]] = {}
    text = _short(data.text, TEXT_MAX, "text", errors, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = Note.objects.create(
            case=case, owner_country_id=user.unit.country_id, unit_id=user.unit_id, created_by=user,
            author_name=workflow.name_of(user), shared=data.shared, created_at=now or clock.now(),
            text=text)
        store_files(note, data.files)
        record(user, "cases.note.added", object_type="case", object_id=case.pk,
               data={"note": str(note.pk), "files": len(data.files), "shared": note.shared}, request=request)
        _after_write(note, "note")
    return note


def store_files(note: Note, files: list[CheckedFile]) -> None:
    for checked in files:
        NoteFile.objects.create(note=note, filename=checked.filename, content_type=checked.content_type,
                                sha256=checked.sha256, size=checked.size, storage_name=store(checked))


ITEM_MODELS: dict[str, type[Entity] | type[Link] | type[Note]] = {"entity": Entity, "link": Link, "note": Note}


def share_item(user: Any, case_id: Any, kind: str, item_id: Any, request: HttpRequest | None = None) -> Any:
    """Share a private item of the user's country with the case (it cannot be taken back: it has left).
    A victim stays private; a link is shared only once both its entities are."""
    case = _writable_case(user, case_id, request)
    model = ITEM_MODELS.get(kind)
    parsed = access._parse(item_id)
    item: Any = model.objects.filter(case=case, pk=parsed, owner_country_id=user.unit.country_id).first() if model and parsed else None
    if item is None or (kind == "entity" and not access.visible_entities(user, case).filter(pk=item.pk).exists()):
        raise Http404("No such item.")
    if item.shared:
        return item
    if kind == "entity" and item.person_id and item.person.is_trafficking_victim:
        raise ValidationError({"shared": [_("A trafficking victim stays on this node: record the person as private to your country.")]})
    if kind == "link" and not (item.source.shared and item.target.shared):
        raise ValidationError({"shared": [
            _("A shared link can join only entities shared with the case: share them first, or keep the link private.")]})
    with transaction.atomic():
        type(item).objects.filter(pk=item.pk).update(shared=True)
        item.shared = True
        record(user, f"cases.{kind}.shared", object_type="case", object_id=case.pk, data={kind: str(item.pk)}, request=request)
        from borderlink.cases import federation

        federation.queue_item(case, kind, item)
    return item
