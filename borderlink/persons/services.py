"""Recording and changing persons. Each change is audited, updates the name
index log in the same transaction, and queues the check for hits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.core import bounds
from borderlink.core.models import Country
from borderlink.core.text import clean_text
from borderlink.exchange.attachments import CheckedFile, store
from borderlink.persons import access, name_index
from borderlink.persons.models import (
    DocumentType,
    IdentityDocument,
    NameKind,
    Person,
    PersonName,
    PersonPhoto,
    Sex,
    detect_script,
    normalise_document_number,
)

NAME_MAX = 200
NAMES_MAX = 20


@dataclass
class NameInput:
    """A name as given by a form, the API or a peer; stored cleaned (NFC, no invisible characters)."""

    name: str
    kind: str = NameKind.PRIMARY

    def __post_init__(self) -> None:
        self.name = clean_text(self.name)


@dataclass
class DocumentInput:
    doc_type: str
    number: str
    issuing_country: str


def before_birth(when: datetime.date | datetime.datetime | None, person: Any) -> bool:
    """Whether `when` (a date, or a moment taken on the node's local calendar) is surely before `person`'s birth,
    comparing with the date of birth as far as it is known: the year, then the month, then the day (a person or a
    PersonInput; False when the year is not known or `when` is None)."""
    year = getattr(person, "birth_year", None)
    if when is None or not isinstance(year, int) or not 1 <= year <= 9999:
        return False  # no year, or one validate_person refuses
    if isinstance(when, datetime.datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    month = getattr(person, "birth_month", None)
    month = month if isinstance(month, int) and 1 <= month <= 12 else None
    day = getattr(person, "birth_day", None) if month else None
    try:
        earliest = datetime.date(year, month or 1, day or 1)
    except (ValueError, TypeError, OverflowError):  # an impossible day is refused by validate_person
        earliest = datetime.date(year, month or 1, 1)
    return when < earliest


@dataclass
class PersonInput:
    names: list[NameInput]
    sex: str = Sex.UNKNOWN
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    place_of_birth: str = ""
    nationalities: list[str] = field(default_factory=list)
    documents: list[DocumentInput] = field(default_factory=list)
    distinguishing_marks: str = ""
    is_refugee: bool = False
    refugee_from: str | None = None
    is_trafficking_victim: bool = False
    is_minor: bool = False
    photos: list[CheckedFile] = field(default_factory=list)


def _may_record(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.unit_id is not None and (
        user.can_exchange or user.has_capability("victim_protection")
    )


def validate_person(data: PersonInput) -> None:
    """Every field checked before anything is written; errors per field, in the user's language."""
    errors: dict[str, list[str]] = {}
    names = [n for n in data.names if (n.name or "").strip()]
    if not names:
        errors.setdefault("names", []).append(_("Give at least one name."))
    if len(names) > NAMES_MAX:
        errors.setdefault("names", []).append(_("At most %(n)d names.") % {"n": NAMES_MAX})
    for n in names:
        if len(n.name.strip()) > NAME_MAX:
            errors.setdefault("names", []).append(_("A name can have at most %(n)d characters.") % {"n": NAME_MAX})
        if n.kind not in NameKind.values:
            errors.setdefault("names", []).append(_("Unknown kind of name."))
    if data.sex not in Sex.values:
        errors.setdefault("sex", []).append(_("Choose a value from the list."))
    this_year = timezone.localdate().year
    if data.birth_year is not None and not (bounds.BIRTH_YEAR_MIN <= data.birth_year <= this_year):
        errors.setdefault("birth_year", []).append(_("The year of birth must be between 1900 and this year."))
    if data.birth_month is not None:
        if data.birth_year is None:
            errors.setdefault("birth_month", []).append(_("A month of birth needs a year."))
        elif not 1 <= data.birth_month <= 12:
            errors.setdefault("birth_month", []).append(_("The month must be between 1 and 12."))
    if data.birth_day is not None:
        if data.birth_month is None:
            errors.setdefault("birth_day", []).append(_("A day of birth needs a month."))
        elif "birth_month" not in errors and "birth_year" not in errors:
            try:
                born = datetime.date(data.birth_year or 0, data.birth_month, data.birth_day)
            except (ValueError, TypeError):
                errors.setdefault("birth_day", []).append(_("This date does not exist."))
            else:
                if born > timezone.localdate():
                    errors.setdefault("birth_day", []).append(_("The date of birth is in the future."))
    known = set(Country.objects.values_list("code", flat=True))
    if any(code not in known for code in data.nationalities):
        errors.setdefault("nationalities", []).append(_("Unknown country."))
    for doc in data.documents:
        if doc.doc_type not in DocumentType.values:
            errors.setdefault("documents", []).append(_("Unknown document type."))
        if not normalise_document_number(doc.number) or len(doc.number) > 60:
            errors.setdefault("documents", []).append(_("A document needs a number of at most 60 characters."))
        if doc.issuing_country not in known:
            errors.setdefault("documents", []).append(_("Unknown country."))
    if data.is_refugee and not data.refugee_from:
        errors.setdefault("refugee_from", []).append(_("Say which country the person fled."))
    if data.refugee_from and data.refugee_from not in known:
        errors.setdefault("refugee_from", []).append(_("Unknown country."))
    for photo in data.photos:
        if photo.content_type not in ("image/png", "image/jpeg"):
            errors.setdefault("photos", []).append(_("A photo must be a PNG or JPEG image."))
    if len(data.place_of_birth) > 200:
        errors.setdefault("place_of_birth", []).append(_("At most %(n)d characters.") % {"n": 200})
    if errors:
        raise ValidationError(errors)


def _write(person: Person, data: PersonInput) -> None:
    person.sex = data.sex
    person.birth_year, person.birth_month, person.birth_day = data.birth_year, data.birth_month, data.birth_day
    person.place_of_birth = data.place_of_birth.strip()
    person.distinguishing_marks = data.distinguishing_marks.strip()
    person.is_refugee = data.is_refugee
    person.refugee_from_id = data.refugee_from if data.is_refugee else None
    person.is_trafficking_victim = data.is_trafficking_victim
    person.is_minor = data.is_minor
    person.save()
    person.nationalities.set(data.nationalities)  # type: ignore[arg-type]  # country codes are the primary keys
    person.names.all().delete()
    PersonName.objects.bulk_create(
        [PersonName(person=person, name=n.name.strip(), kind=n.kind, script=detect_script(n.name)) for n in data.names if n.name.strip()]
    )
    person.documents.all().delete()
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                person=person,
                doc_type=d.doc_type,
                number=d.number.strip(),
                number_normalised=normalise_document_number(d.number),
                issuing_country_id=d.issuing_country,
            )
            for d in data.documents
        ]
    )
    for photo in data.photos:
        PersonPhoto.objects.create(
            person=person, filename=photo.filename, content_type=photo.content_type, sha256=photo.sha256, storage_name=store(photo)
        )
    name_index.mark_changed(person.pk)


def _after_commit(person_id: Any) -> None:
    from borderlink.notices.tasks import check_person_for_hits

    transaction.on_commit(lambda: check_person_for_hits.enqueue(str(person_id)))


def record_person(user: Any, data: PersonInput, request: HttpRequest | None = None) -> Person:
    """Record a new person for the user's unit; then check them against published notices."""
    if not _may_record(user):
        raise Http404("No access.")
    validate_person(data)
    with transaction.atomic():
        return create_validated(user, data, request)


def create_validated(user: Any, data: PersonInput, request: HttpRequest | None = None) -> Person:
    """The writing half of `record_person`, for callers that validated and hold the transaction."""
    person = Person(recorded_by_unit_id=user.unit_id, created_by=user)
    _write(person, data)
    if data.is_trafficking_victim and not user.has_capability("victim_protection"):
        person.victim_officers.add(user)
    record(user, "persons.person.recorded", object_type="person", object_id=person.pk, request=request)
    _after_commit(person.pk)
    return person


def update_person(user: Any, person_id: Any, data: PersonInput, request: HttpRequest | None = None) -> Person:
    """Change a person the user may see (names, documents, status); then check them again."""
    person = access.get_person_for_user(user, person_id, request)
    validate_person(data)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        _write(person, data)
        record(user, "persons.person.changed", object_type="person", object_id=person.pk, request=request)
        _queue_corrections(person)
        _after_commit(person.pk)
    return person


def _queue_corrections(person: Person) -> None:
    """A correction by the owner reaches every node holding a copy (fresh snapshots of the shared notices)."""
    from borderlink.notices.federation import queue_corrections

    queue_corrections(person)


def view_person(user: Any, person_id: Any, request: HttpRequest | None = None) -> Person:
    person = access.get_person_for_user(user, person_id, request)
    record(user, "persons.person.viewed", object_type="person", object_id=person.pk, request=request)
    return person
