"""The check other apps call so that a trafficking victim never becomes the subject of a wanted notice, a
suspect in a case, or a custody notification (DESIGN.md safeguard 3; ASEAN ACTIP Art. 14(7): victims are
not held liable for offences directly related to their trafficking)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderlink.persons.models import IdentityDocument, normalise_document_number

NOTICE, CUSTODY, SUSPECT = "notice", "custody", "suspect"  # the purposes `refusal` knows


def _victim_documents() -> Any:
    return IdentityDocument.objects.filter(person__is_trafficking_victim=True)


def is_recorded_victim(person: Any) -> bool:
    """True for a Person recorded as a victim (flag or victim case), or a PersonInput flagged as one or
    carrying an identity document that a recorded victim holds (same type, number and issuing country)."""
    if getattr(person, "is_trafficking_victim", False):
        return True
    if getattr(person, "pk", None) is not None and hasattr(person, "victim_cases"):
        if person.victim_cases.exists():
            return True
        documents = [(d.doc_type, d.number, d.issuing_country_id) for d in person.documents.all()]
    else:
        documents = [(d.doc_type, d.number, d.issuing_country) for d in getattr(person, "documents", [])]
    for doc_type, number, country in documents:
        if _victim_documents().filter(doc_type=doc_type, issuing_country_id=country,
                                      number_normalised=normalise_document_number(number)).exists():
            return True
    return False


def refusal(person: Any, purpose: str) -> str:
    """The reason, in the user's language, to refuse making `person` (a persons.Person, or a PersonInput
    not yet saved) the subject of `purpose` (NOTICE, CUSTODY or SUSPECT; any other purpose is read as
    SUSPECT, the strictest), or "" when nothing forbids it (see `is_recorded_victim`)."""
    if not is_recorded_victim(person):
        return ""
    reasons = {
        NOTICE: _("The subject is a recorded trafficking victim: never the subject of a wanted notice."),
        CUSTODY: _("The person is a recorded trafficking victim: never the subject of a custody notification."),
        SUSPECT: _("The person is a recorded trafficking victim: never a suspect in a case."),
    }
    return reasons.get(purpose, reasons[SUSPECT])


def refuse_suspect(person: Any, field: str = "person") -> None:
    """The check the cases service calls before it records `person` (a persons.Person, or a PersonInput not
    yet saved) as a suspect in a case: raises ValidationError({field: [reason]}) (the reason in the user's
    language) when the person is a recorded trafficking victim (flag, a victim case, or an identity
    document a recorded victim holds); returns None otherwise. Reads only; call it inside the service's
    transaction, before anything is written. Rule: ASEAN ACTIP Art. 14(7), DESIGN.md safeguard 3."""
    reason = refusal(person, SUSPECT)
    if reason:
        raise ValidationError({field: [reason]})
