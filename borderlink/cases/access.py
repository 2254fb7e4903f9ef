"""Who may see which joint case, and which of its items.

A case is visible to the units taking part in it on this node: the lead unit (its drafts too) and the units
that accepted their invitation. Anyone else gets 404. Inside a case a user sees the items shared with the
case and the private items of their own country (another country's private items never reach this node).
A trafficking victim, as an entity, only for victim-protection roles and the victim's named officers.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from borderlink.audit.services import record
from borderlink.cases.models import Case, Entity, Participant, ParticipantState, Task
from borderlink.core.prepared import Prepared

LEAD, PARTICIPANT, INVITED = "lead", "participant", "invited"
ASSIGNING, ASSIGNED = "assigning", "assigned"
TAKING_PART = (ParticipantState.LEAD, ParticipantState.ACCEPTED)


def may_use_cases(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.unit_id is not None and user.can_exchange


def _parse(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


def visible_cases(user: Any) -> QuerySet[Case]:
    if not may_use_cases(user):
        return Case.objects.none()
    keys = Participant.objects.filter(unit_id=user.unit_id, state__in=TAKING_PART).values("case_key")
    return Case.objects.filter(pk__in=keys)


def _denied(user: Any, what: str, object_id: Any, request: HttpRequest | None) -> Http404:
    record(user if getattr(user, "is_authenticated", False) else None, f"cases.{what}.access_denied",
           object_type=what, object_id=str(object_id)[:64], request=request)
    return Http404("No such object.")


# The case as its pages find it, compiled once per process and reader shape (core.prepared; issue 19): the same
# rule (`visible_cases`) with this user's unit bound on every call.
_CASE_FOR_USER: Prepared[Case] = Prepared(
    "cases.case", Case, lambda reader, case_id: visible_cases(reader).select_related("lead_unit").filter(pk=case_id),
    args=[Case._meta.pk],
)


def get_case_for_user(user: Any, case_id: Any, request: HttpRequest | None = None) -> Case:
    """The case if the user's unit takes part in it; otherwise Http404 (audited)."""
    parsed = _parse(case_id)
    found = _CASE_FOR_USER.first(user, parsed) if parsed else None
    if found is None:
        raise _denied(user, "case", case_id, request)
    return found


def side_of(user: Any, case: Case, participants: list[Participant] | None = None) -> str | None:
    """LEAD for the lead unit's officers, PARTICIPANT for an accepted unit's, None otherwise. `participants`: every
    participant row of the case when the caller has read them already (the case page: no second query), else one
    indexed query."""
    if not may_use_cases(user):
        return None
    if user.unit_id == case.lead_unit_id:
        return LEAD
    if participants is not None:
        accepted = any(p.case_key == case.pk and p.unit_id == user.unit_id and p.state == ParticipantState.ACCEPTED
                       for p in participants)
    else:
        accepted = Participant.objects.filter(case_key=case.pk, unit_id=user.unit_id, state=ParticipantState.ACCEPTED).exists()
    return PARTICIPANT if accepted else None


def may_see_victims(user: Any) -> bool:
    return user.has_capability("victim_protection")


def item_scope(user: Any) -> Q:
    """Items a participant sees: shared with the case, or private to the user's own country."""
    return Q(shared=True) | Q(owner_country_id=user.unit.country_id)


def visible_entities(user: Any, case: Case) -> QuerySet[Entity]:
    qs = case.entities.filter(item_scope(user))
    if not may_see_victims(user):
        qs = qs.exclude(Q(person__is_trafficking_victim=True) & ~Q(person__victim_officers=user))
    return qs


def entities_in_visible_cases(user: Any) -> QuerySet[Entity]:
    """Entities of every case the user's unit takes part in, as the user may see them (`visible_entities` of each)."""
    qs = Entity.objects.filter(case__in=visible_cases(user).values("pk")).filter(item_scope(user))
    if not may_see_victims(user):
        qs = qs.exclude(Q(person__is_trafficking_victim=True) & ~Q(person__victim_officers=user))
    return qs


def get_entity_for_user(user: Any, case: Case, entity_id: Any, request: HttpRequest | None = None) -> Entity:
    parsed = _parse(entity_id)
    found = visible_entities(user, case).filter(pk=parsed).first() if parsed else None
    if found is None:
        raise _denied(user, "entity", entity_id, request)
    return found


# --- invitations -----------------------------------------------------------------------------------------------


def visible_invitations(user: Any) -> QuerySet[Participant]:
    """Invitations addressed to the user's unit (to answer) and those the user's unit sent as lead."""
    if not may_use_cases(user):
        return Participant.objects.none()
    return Participant.objects.filter(Q(unit_id=user.unit_id) | Q(lead_unit_id=user.unit_id)).exclude(
        state__in=(ParticipantState.LEAD, ParticipantState.INVITED))


def get_invitation_for_user(user: Any, participant_id: Any, request: HttpRequest | None = None) -> Participant:
    parsed = _parse(participant_id)
    found = visible_invitations(user).select_related("unit", "lead_unit").filter(pk=parsed).first() if parsed else None
    if found is None:
        raise _denied(user, "invitation", participant_id, request)
    return found


def invitation_side(user: Any, participant: Participant) -> str | None:
    if not may_use_cases(user):
        return None
    if user.unit_id == participant.unit_id:
        return INVITED
    if user.unit_id == participant.lead_unit_id:
        return LEAD
    return None


# --- tasks -----------------------------------------------------------------------------------------------------


def task_side(user: Any, task: Task) -> str | None:
    if not may_use_cases(user):
        return None
    if user.unit_id == task.assigning_unit_id:
        return ASSIGNING
    if user.unit_id == task.assigned_unit_id:
        return ASSIGNED
    return None


def visible_tasks(user: Any, case: Case) -> QuerySet[Task]:
    """Tasks of the case for the user's country: given by or to a unit of that country."""
    country = user.unit.country_id
    return case.tasks.filter(Q(assigning_unit__country_id=country) | Q(assigned_unit__country_id=country))


def get_task_for_user(user: Any, task_id: Any, request: HttpRequest | None = None) -> Task:
    parsed = _parse(task_id)
    task = Task.objects.select_related("case", "assigning_unit", "assigned_unit").filter(pk=parsed).first() if parsed else None
    if task is None or task_side(user, task) is None or not visible_cases(user).filter(pk=task.case_id).exists():
        raise _denied(user, "task", task_id, request)
    return task
