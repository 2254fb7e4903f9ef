"""Automatic hits: a recorded person checked against the published notices
their unit may see. A candidate goes to the notice owner's queue; a person
confirms or rejects it, never the machine."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.names import MATCH_THRESHOLD, explain
from borderlink.notices.access import SHARED_STATES
from borderlink.notices.models import Hit, HitState, Notice, NoticeState
from borderlink.persons import name_index
from borderlink.persons.models import Person

CANDIDATES_PER_NAME = 25


def _notices_visible_to_unit(unit: Any) -> Any:
    return Notice.objects.filter(state=NoticeState.PUBLISHED).filter(
        Q(issuing_unit=unit) | Q(shared_with__code=unit.country_id)
    )


def birth_agrees(a: Person, b: Person) -> bool | None:
    """True or False where both give a year (and month, day when both do); None when either is silent."""
    if not a.birth_year or not b.birth_year:
        return None
    if a.birth_year != b.birth_year:
        return False
    for part in ("birth_month", "birth_day"):
        x, y = getattr(a, part), getattr(b, part)
        if x and y and x != y:
            return False
    return True


def documents_agree(a: Person, b: Person) -> bool | None:
    ours = {(d.issuing_country_id, d.number_normalised) for d in a.documents.all()}
    theirs = {(d.issuing_country_id, d.number_normalised) for d in b.documents.all()}
    if not ours or not theirs:
        return None
    return bool(ours & theirs)


def _raise(person: Person, notice: Notice, score: float, name: str, notice_name: str) -> Hit | None:
    try:
        with transaction.atomic():
            hit = Hit.objects.create(
                notice=notice,
                person=person,
                score=score,
                matched_name=name,
                notice_name=notice_name,
                explanation=explain(name, notice_name).to_dict(),
                birth_agrees=birth_agrees(person, notice.subject),
                document_agrees=documents_agree(person, notice.subject),
                raised_by_unit_id=person.recorded_by_unit_id,
            )
            record(None, "notices.hit.raised", object_type="hit", object_id=hit.pk,
                   data={"notice": str(notice.pk), "person": str(person.pk), "score": round(score, 3)})
            from borderlink.notices.federation import queue_hit

            queue_hit(hit)
            return hit
    except IntegrityError:
        return None  # already raised for this pair


def check_person(person_id: Any) -> list[Hit]:
    """Compare a recorded person's names (and documents) with the subjects of the published notices
    their unit may see; raise a candidate hit for each likely match not raised before."""
    person = Person.objects.select_related("recorded_by_unit").filter(pk=person_id).first()
    if person is None:
        return []
    visible = _notices_visible_to_unit(person.recorded_by_unit).exclude(subject=person)
    best: dict[str, tuple[float, str, str]] = {}
    for name in person.names.all():
        for hit in name_index.search(name.name, limit=CANDIDATES_PER_NAME, scope="subjects"):
            if hit.score >= MATCH_THRESHOLD and hit.ref != str(person.pk):
                if hit.score > best.get(hit.ref, (0.0, "", ""))[0]:
                    best[hit.ref] = (hit.score, name.name, hit.name)
    numbers = [d.number_normalised for d in person.documents.all()]
    raised = []
    notices = visible.filter(Q(subject_id__in=list(best)) | Q(subject__documents__number_normalised__in=numbers)).distinct()
    for notice in notices.select_related("subject"):
        score, matched, notice_name = best.get(str(notice.subject_id), (1.0, person.primary_name, notice.subject.primary_name))
        hit = _raise(person, notice, score, matched, notice_name)
        if hit:
            raised.append(hit)
    return raised


def check_notice(notice_id: Any) -> list[Hit]:
    """When a notice is published, the persons already recorded by units that may see it are checked."""
    notice = Notice.objects.select_related("subject", "issuing_unit").filter(pk=notice_id, state=NoticeState.PUBLISHED).first()
    if notice is None:
        return []
    countries = set(notice.shared_with.values_list("code", flat=True))
    best: dict[str, tuple[float, str, str]] = {}
    for name in notice.subject.names.all():
        for hit in name_index.search(name.name, limit=CANDIDATES_PER_NAME, scope="persons"):
            if hit.score >= MATCH_THRESHOLD and hit.ref != str(notice.subject_id):
                if hit.score > best.get(hit.ref, (0.0, "", ""))[0]:
                    best[hit.ref] = (hit.score, hit.name, name.name)
    raised = []
    persons = Person.objects.filter(pk__in=list(best)).filter(
        Q(recorded_by_unit=notice.issuing_unit) | Q(recorded_by_unit__country_id__in=countries)
    )
    for person in persons:
        score, matched, notice_name = best[str(person.pk)]
        hit = _raise(person, notice, score, matched, notice_name)
        if hit:
            raised.append(hit)
    return raised


def hits_for_owner(user: Any) -> Any:
    """The queue of the user's unit: hits on its own notices."""
    if not getattr(user, "is_authenticated", False) or not user.can_exchange:
        return Hit.objects.none()
    return Hit.objects.filter(notice__issuing_unit_id=user.unit_id).select_related("notice", "person", "raised_by_unit")


def decide_hit(user: Any, hit_id: Any, confirm: bool, reason: str, request: HttpRequest | None = None) -> Hit:
    """The notice owner confirms or rejects a candidate hit; the decision and its reason are audited."""
    try:
        hit = hits_for_owner(user).get(pk=int(hit_id))
    except (Hit.DoesNotExist, ValueError, TypeError):
        record(user, "notices.hit.access_denied", object_type="hit", object_id=str(hit_id)[:64], request=request)
        raise Http404("No such hit.") from None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for your decision.")]})
    with transaction.atomic():
        updated = Hit.objects.filter(pk=hit.pk, state=HitState.CANDIDATE).update(
            state=HitState.CONFIRMED if confirm else HitState.REJECTED,
            decided_by=user,
            decided_at=timezone.now(),
            decision_reason=reason,
        )
        if not updated:
            raise ValidationError(_("This hit has already been decided."))
        record(user, "notices.hit.confirmed" if confirm else "notices.hit.rejected", object_type="hit", object_id=hit.pk,
               data={"notice": str(hit.notice_id), "reason": reason}, request=request)
    hit.refresh_from_db()
    return hit


__all__ = ["SHARED_STATES", "check_notice", "check_person", "decide_hit", "hits_for_owner"]
