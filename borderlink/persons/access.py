"""Who may see which person. Trafficking victims: victim-protection roles and named officers only."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.persons.models import Person


def may_see_victims(user: Any, person: Person | None = None) -> bool:
    if user.has_capability("victim_protection"):
        return True
    return person is not None and person.victim_officers.filter(pk=user.pk).exists()


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons recorded by the user's unit; victims only for victim-protection roles and named officers."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Person.objects.none()
    if not (user.can_exchange or user.has_capability("victim_protection")):
        return Person.objects.none()
    qs = Person.objects.filter(recorded_by_unit_id=user.unit_id)
    if not user.has_capability("victim_protection"):
        qs = qs.filter(Q(is_trafficking_victim=False) | Q(victim_officers=user)).distinct()
    return qs


def get_person_for_user(user: Any, person_id: Any, request: HttpRequest | None = None) -> Person:
    try:
        parsed = uuid.UUID(str(person_id))
    except (ValueError, TypeError):
        parsed = None
    person = visible_persons(user).filter(pk=parsed).first() if parsed else None
    if person is None:
        record(user, "persons.person.access_denied", object_type="person", object_id=str(person_id)[:64], request=request)
        raise Http404("No such person.")
    return person
