"""Automatic hits: a recorded person checked against the published notices
their unit may see. A candidate on this node's own notice goes to the notice
owner's queue; a person confirms or rejects it, never the machine.

A hit on another node's notice stays at home (Prüm's second step): it waits in
the queue of the unit that recorded the person until a person there decides to
share it, and then only the minimum crosses (`notices.federation.queue_hit`).
Protected persons (trafficking victims, minors, refugees and asylum seekers)
are never matched against wanted notices; their hits on other notices go to
this node's victim-protection officers and never cross the border."""

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
from borderlink.notices.models import WANTED_KINDS, Hit, HitRoute, HitState, Notice, NoticeState
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


def is_protected(person: Person) -> bool:
    """Trafficking victims, minors, refugees and asylum seekers: never matched against wanted notices."""
    return bool(person.is_trafficking_victim or person.is_minor or person.is_refugee)


def route_for(person: Person, notice: Notice) -> str:
    """Who decides on a hit of `person` on `notice` (see HitRoute)."""
    from django.conf import settings

    if is_protected(person):
        return HitRoute.PROTECTION
    if notice.origin_node and notice.origin_node != settings.NODE_NAME:
        return HitRoute.HOLDER
    return HitRoute.OWNER


def _raise(person: Person, notice: Notice, score: float, name: str, notice_name: str) -> Hit | None:
    if is_protected(person) and notice.kind in WANTED_KINDS:
        return None
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
                route=route_for(person, notice),
            )
            record(None, "notices.hit.raised", object_type="hit", object_id=hit.pk,
                   data={"notice": str(notice.pk), "person": str(person.pk), "score": round(score, 3), "route": hit.route})
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
    if is_protected(person):
        visible = visible.exclude(kind__in=WANTED_KINDS)
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
    if notice.kind in WANTED_KINDS:
        persons = persons.exclude(Q(is_trafficking_victim=True) | Q(is_minor=True) | Q(is_refugee=True))
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
    return Hit.objects.filter(notice__issuing_unit_id=user.unit_id, route=HitRoute.OWNER).select_related(
        "notice", "person", "raised_by_unit")


def hits_held(user: Any) -> Any:
    """Hits waiting on this node for a person here: those on other nodes' notices of persons the user's unit
    recorded, and, for victim-protection officers, those of protected persons."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Hit.objects.none()
    mine = Q(route=HitRoute.HOLDER, raised_by_unit_id=user.unit_id) if user.can_exchange else Q(pk__in=[])
    if user.has_capability("victim_protection"):
        mine |= Q(route=HitRoute.PROTECTION)
    return Hit.objects.filter(mine).select_related("notice", "person", "raised_by_unit")


def share_hit(user: Any, hit_id: Any, reason: str, request: HttpRequest | None = None) -> Hit:
    """A person of the unit that recorded the person decides to tell the notice's owner of a hit on its notice.
    Only the minimum crosses (a reference, the matched name, whether birth and documents agree); the decision and
    its reason are audited. Hits of protected persons are never shared."""
    try:
        hit = hits_held(user).get(pk=int(hit_id), route=HitRoute.HOLDER)
    except (Hit.DoesNotExist, ValueError, TypeError):
        record(user, "notices.hit.access_denied", object_type="hit", object_id=str(hit_id)[:64], request=request)
        raise Http404("No such hit.") from None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for your decision.")]})
    with transaction.atomic():
        updated = Hit.objects.filter(pk=hit.pk, state=HitState.CANDIDATE, shared_at__isnull=True).update(
            shared_by=user, shared_at=timezone.now(), decision_reason=reason)
        if not updated:
            raise ValidationError(_("This hit has already been decided."))
        hit.refresh_from_db()
        from borderlink.notices.federation import queue_hit

        queue_hit(hit)
        record(user, "notices.hit.shared", object_type="hit", object_id=hit.pk,
               data={"notice": str(hit.notice_id), "reason": reason}, request=request)
    return hit


def decide_hit(user: Any, hit_id: Any, confirm: bool, reason: str, request: HttpRequest | None = None) -> Hit:
    """The notice owner confirms or rejects a candidate hit; the decision and its reason are audited."""
    try:
        hit = (hits_for_owner(user) | hits_held(user)).get(pk=int(hit_id))
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


__all__ = ["SHARED_STATES", "check_notice", "check_person", "decide_hit", "hits_for_owner", "hits_held", "share_hit"]
