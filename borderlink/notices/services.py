"""The life of a notice: draft, submitted, published, suspended, cancelled,
resolved. Each step is one function: it checks access, runs in a
transaction, records who and why (NoticeEvent) and writes the audit event.
Publication needs a supervisor other than the author (four eyes), and is
refused when a safeguard says no."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.core import bounds
from borderlink.core.models import Country
from borderlink.exchange.models import HandlingCode
from borderlink.notices import access
from borderlink.notices.models import (
    NO_OFFENCE_KINDS,
    WANTED_KINDS,
    Notice,
    NoticeEvent,
    NoticeKind,
    NoticeState,
    Offence,
    Resolution,
)
from borderlink.notices.neutrality import screen
from borderlink.persons import access as person_access
from borderlink.persons import name_index
from borderlink.persons.services import PersonInput, before_birth, create_validated, validate_person

MIN_ARREST_PENALTY_YEARS = 2
SUMMARY_MAX = 10_000


@dataclass
class NoticeInput:
    kind: str
    subject_id: Any
    summary: str
    review_date: datetime.date | None
    offence: str = ""
    warrant_number: str = ""
    issuing_authority: str = ""
    warrant_date: datetime.date | None = None
    max_penalty_years: int | None = None
    shared_with: list[str] = field(default_factory=list)
    handling_code: str = "H0"


def _event(notice: Notice, actor: Any, from_state: str, reason: str = "") -> None:
    NoticeEvent.objects.create(notice=notice, actor=actor, from_state=from_state, to_state=notice.state, reason=reason)


def _validate(user: Any, data: NoticeInput, request: HttpRequest | None) -> Any:
    errors = _field_errors(data, user.unit.country_id if user.unit_id else "")
    subject = None
    try:
        subject = person_access.get_person_for_user(user, data.subject_id, request)
    except Http404:
        errors.setdefault("subject", []).append(_("Choose a person your unit has recorded."))
    if subject is not None and "warrant_date" not in errors and before_birth(data.warrant_date, subject):
        errors.setdefault("warrant_date", []).append(_("The warrant cannot be before the person's birth."))
    if errors:
        raise ValidationError(errors)
    return subject


def _field_errors(data: NoticeInput, issuing_country: str = "") -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in NoticeKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of notice from the list."))
    if data.kind in NO_OFFENCE_KINDS:
        if data.offence:
            errors.setdefault("offence", []).append(_("This kind of notice names no offence."))
    elif data.kind in NoticeKind.values and data.offence not in Offence.values:
        errors.setdefault("offence", []).append(_("Choose the offence from the list of ordinary-law crimes."))
    summary = (data.summary or "").strip()
    if not summary:
        errors.setdefault("summary", []).append(_("Write a summary of the facts."))
    elif len(summary) > SUMMARY_MAX:
        errors.setdefault("summary", []).append(_("At most %(n)d characters.") % {"n": SUMMARY_MAX})
    today = timezone.localdate()
    if data.review_date is None:
        errors.setdefault("review_date", []).append(_("Set a review date."))
    elif data.review_date <= today:
        errors.setdefault("review_date", []).append(_("The review date must be in the future."))
    elif data.review_date > today + bounds.REVIEW_DATE.ahead:
        errors.setdefault("review_date", []).append(_("The review date can be at most five years ahead."))
    if data.warrant_date and data.warrant_date > today:
        errors.setdefault("warrant_date", []).append(_("The warrant date is in the future."))
    elif (message := bounds.WARRANT_DATE.error(data.warrant_date)) is not None:
        errors.setdefault("warrant_date", []).append(message)
    if data.max_penalty_years is not None and not 0 <= data.max_penalty_years <= 100:
        errors.setdefault("max_penalty_years", []).append(_("Give the maximum penalty in years (0 to 100)."))
    if data.handling_code not in HandlingCode.values:
        errors.setdefault("handling_code", []).append(_("Choose a handling code from the list."))
    known = set(Country.objects.values_list("code", flat=True))
    if any(code not in known for code in data.shared_with):
        errors.setdefault("shared_with", []).append(_("Unknown country."))
    if issuing_country and issuing_country in data.shared_with:
        errors.setdefault("shared_with", []).append(_("A notice is not shared with its own issuing country."))
    if len(set(data.shared_with)) != len(data.shared_with):
        errors.setdefault("shared_with", []).append(_("Name each country once."))
    return errors


def _fill(notice: Notice, data: NoticeInput) -> None:
    notice.kind = data.kind
    notice.offence = "" if data.kind in NO_OFFENCE_KINDS else data.offence
    notice.summary = data.summary.strip()
    if data.review_date is None:  # checked by _field_errors; this narrows the type
        raise ValidationError({"review_date": [_("Set a review date.")]})
    notice.review_date = data.review_date
    notice.warrant_number = data.warrant_number.strip()
    notice.issuing_authority = data.issuing_authority.strip()
    notice.warrant_date = data.warrant_date
    notice.max_penalty_years = data.max_penalty_years
    notice.handling_code = data.handling_code


def _require_notices(user: Any) -> None:
    if not access.may_use_notices(user):
        raise Http404("No access.")


def create_notice(user: Any, data: NoticeInput, request: HttpRequest | None = None) -> Notice:
    """A draft notice of the user's unit about a person the unit recorded."""
    _require_notices(user)
    subject = _validate(user, data, request)
    with transaction.atomic():
        notice = Notice(subject=subject, issuing_unit_id=user.unit_id, created_by=user)
        _fill(notice, data)
        notice.save()
        notice.shared_with.set(data.shared_with)  # type: ignore[arg-type]  # country codes are the primary keys
        _event(notice, user, "")
        name_index.mark_changed(subject.pk)  # now a notice's subject: searchable
        record(user, "notices.notice.created", object_type="notice", object_id=notice.pk, data={"kind": notice.kind}, request=request)
    return notice


def create_notice_with_new_subject(
    user: Any, person: PersonInput, data: NoticeInput, request: HttpRequest | None = None
) -> Notice:
    """Record the subject and write the draft notice about them, together or not at all."""
    _require_notices(user)
    errors: dict[str, list[str]] = {}
    try:
        validate_person(person)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for key, messages in _field_errors(data, user.unit.country_id if user.unit_id else "").items():
        errors.setdefault(key, []).extend(messages)
    if "warrant_date" not in errors and before_birth(data.warrant_date, person):
        errors.setdefault("warrant_date", []).append(_("The warrant cannot be before the person's birth."))
    if data.kind in WANTED_KINDS | {NoticeKind.WARNING}:
        from borderlink.victims.guard import refusal

        if victim := refusal(person, "notice"):
            errors.setdefault("subject", []).append(victim)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        subject = create_validated(user, person, request)
        notice = Notice(subject=subject, issuing_unit_id=user.unit_id, created_by=user)
        _fill(notice, data)
        notice.save()
        notice.shared_with.set(data.shared_with)  # type: ignore[arg-type]  # country codes are the primary keys
        _event(notice, user, "")
        record(user, "notices.notice.created", object_type="notice", object_id=notice.pk, data={"kind": notice.kind}, request=request)
    return notice


def _owned(user: Any, notice_id: Any, request: HttpRequest | None, states: tuple[str, ...]) -> Notice:
    _require_notices(user)
    notice = access.get_notice_for_user(user, notice_id, request)
    if not access.is_owner(user, notice):
        raise Http404("No access.")
    if notice.origin_node and notice.origin_node != settings.NODE_NAME:
        raise ValidationError(_("This notice is a copy from another node: only its issuing node changes it."))
    if notice.state not in states:
        raise ValidationError(_("This cannot be done while the notice is %(state)s.") % {"state": notice.get_state_display()})
    return notice


def update_notice(user: Any, notice_id: Any, data: NoticeInput, request: HttpRequest | None = None) -> Notice:
    """Change a draft (only drafts change; a published notice is suspended or cancelled instead)."""
    notice = _owned(user, notice_id, request, (NoticeState.DRAFT,))
    subject = _validate(user, data, request)
    with transaction.atomic():
        if notice.subject_id != subject.pk:
            name_index.mark_changed(notice.subject_id)
            name_index.mark_changed(subject.pk)
        notice.subject = subject
        _fill(notice, data)
        notice.save()
        notice.shared_with.set(data.shared_with)  # type: ignore[arg-type]  # country codes are the primary keys
        record(user, "notices.notice.changed", object_type="notice", object_id=notice.pk, request=request)
    return notice


def submit_notice(user: Any, notice_id: Any, request: HttpRequest | None = None) -> Notice:
    """Send a draft to the unit's supervisors; the neutrality screen runs now and its flags are kept."""
    notice = _owned(user, notice_id, request, (NoticeState.DRAFT,))
    with transaction.atomic():
        notice.neutrality_flags = screen(notice.summary, notice.issuing_authority)
        notice.state = NoticeState.SUBMITTED
        notice.save(update_fields=["neutrality_flags", "state", "updated_at"])
        _event(notice, user, NoticeState.DRAFT)
        record(
            user, "notices.notice.submitted", object_type="notice", object_id=notice.pk,
            data={"flags": [f["term"] for f in notice.neutrality_flags]}, request=request,
        )
    return notice


def refusals(notice: Notice) -> list[str]:
    """The safeguards that forbid publication; none of these can be overridden."""
    reasons = []
    subject = notice.subject
    if notice.kind in WANTED_KINDS and not (notice.warrant_number and notice.issuing_authority and notice.warrant_date):
        reasons.append(_("A wanted notice needs its legal basis: warrant or decision number, issuing authority and date."))
    if notice.kind == NoticeKind.WANTED_ARREST and (notice.max_penalty_years is None or notice.max_penalty_years < MIN_ARREST_PENALTY_YEARS):
        reasons.append(
            _("An arrest notice needs an offence punishable by at least %(n)d years.") % {"n": MIN_ARREST_PENALTY_YEARS}
        )
    if subject.is_refugee and subject.refugee_from_id == notice.issuing_unit.country_id and notice.kind != NoticeKind.MISSING:
        reasons.append(_("The subject is a recorded refugee or asylum seeker from the issuing country."))
    if notice.kind in WANTED_KINDS | {NoticeKind.WARNING}:
        from borderlink.victims.guard import refusal

        if victim := refusal(subject, "notice"):
            reasons.append(victim)
    return reasons


def approve_notice(user: Any, notice_id: Any, justification: str = "", request: HttpRequest | None = None) -> Notice:
    """Four eyes: a supervisor of the issuing unit, not the author, publishes the notice.

    Refused, with the reasons recorded and shown, when a safeguard forbids it
    (the notice goes back to draft). Text flagged by the neutrality screen
    needs the supervisor's written justification, which is audited.
    """
    _require_notices(user)
    notice = access.get_notice_for_user(user, notice_id, request)
    if not access.is_owner(user, notice) or not user.has_capability("supervisor"):
        raise Http404("No access.")
    if notice.state != NoticeState.SUBMITTED:
        raise ValidationError(_("This notice is not awaiting approval."))
    if notice.created_by_id == user.pk:
        raise ValidationError(_("You cannot approve your own notice: another supervisor must."))
    reasons = refusals(notice)
    justification = (justification or "").strip()
    with transaction.atomic():
        if reasons:
            notice.state = NoticeState.DRAFT
            notice.save(update_fields=["state", "updated_at"])
            _event(notice, user, NoticeState.SUBMITTED, " ".join(reasons))
            record(user, "notices.notice.refused", object_type="notice", object_id=notice.pk, data={"reasons": reasons}, request=request)
    if reasons:
        raise ValidationError(reasons, code="refused")
    if notice.neutrality_flags and not justification:
        terms = ", ".join(f["term"] for f in notice.neutrality_flags)
        raise ValidationError(
            {"justification": [_("The text suggests a political, religious, ethnic or military purpose (%(terms)s). Publish only with a written justification.") % {"terms": terms}]}
        )
    with transaction.atomic():
        notice.state = NoticeState.PUBLISHED
        notice.approved_by = user
        notice.published_at = timezone.now()
        notice.neutrality_justification = justification if notice.neutrality_flags else ""
        notice.save(update_fields=["state", "approved_by", "published_at", "neutrality_justification", "updated_at"])
        _event(notice, user, NoticeState.SUBMITTED, justification)
        if notice.neutrality_flags:
            record(
                user, "notices.notice.neutrality_override", object_type="notice", object_id=notice.pk,
                data={"flags": [f["term"] for f in notice.neutrality_flags], "justification": justification}, request=request,
            )
        record(user, "notices.notice.published", object_type="notice", object_id=notice.pk, request=request)
        _queue_snapshot(notice)
        transaction.on_commit(lambda: _queue_hits_for_notice(notice.pk))
    return notice


def _queue_snapshot(notice: Notice) -> None:
    from borderlink.notices.federation import queue_snapshot

    queue_snapshot(notice)


def _queue_hits_for_notice(notice_id: Any) -> None:
    from borderlink.notices.tasks import check_notice_for_hits

    check_notice_for_hits.enqueue(str(notice_id))


def _transition(user: Any, notice_id: Any, states: tuple[str, ...], to: str, reason: str, action: str,
                request: HttpRequest | None, supervisor: bool = False, **fields: Any) -> Notice:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    notice = _owned(user, notice_id, request, states)
    if supervisor and not user.has_capability("supervisor"):
        raise Http404("No access.")
    with transaction.atomic():
        before = notice.state
        notice.state = to
        for name, value in fields.items():
            setattr(notice, name, value)
        notice.save()
        _event(notice, user, before, reason)
        _queue_snapshot(notice)
        record(user, action, object_type="notice", object_id=notice.pk,
               data={"reason": reason, **{k: str(v) for k, v in fields.items()}}, request=request)
    return notice


def suspend_notice(user: Any, notice_id: Any, reason: str, request: HttpRequest | None = None) -> Notice:
    return _transition(user, notice_id, (NoticeState.PUBLISHED,), NoticeState.SUSPENDED, reason, "notices.notice.suspended", request)


def resume_notice(user: Any, notice_id: Any, reason: str, new_review_date: datetime.date | None,
                  request: HttpRequest | None = None) -> Notice:
    """A supervisor puts a suspended notice back in force, with a new review date."""
    if new_review_date is None or new_review_date <= timezone.localdate():
        raise ValidationError({"review_date": [_("The review date must be in the future.")]})
    bounds.REVIEW_DATE.check(new_review_date, "review_date")
    return _transition(user, notice_id, (NoticeState.SUSPENDED,), NoticeState.PUBLISHED, reason,
                       "notices.notice.resumed", request, supervisor=True, review_date=new_review_date)


def cancel_notice(user: Any, notice_id: Any, reason: str, request: HttpRequest | None = None) -> Notice:
    states = (NoticeState.DRAFT, NoticeState.SUBMITTED, NoticeState.PUBLISHED, NoticeState.SUSPENDED)
    return _transition(user, notice_id, states, NoticeState.CANCELLED, reason, "notices.notice.cancelled", request)


def resolve_notice(user: Any, notice_id: Any, resolution: str, reason: str, request: HttpRequest | None = None) -> Notice:
    if resolution not in Resolution.values:
        raise ValidationError({"resolution": [_("Choose how the notice was resolved.")]})
    states = (NoticeState.PUBLISHED, NoticeState.SUSPENDED)
    return _transition(user, notice_id, states, NoticeState.RESOLVED, reason, "notices.notice.resolved", request, resolution=resolution)


def view_notice(user: Any, notice_id: Any, request: HttpRequest | None = None) -> Notice:
    notice = access.get_notice_for_user(user, notice_id, request)
    record(user, "notices.notice.viewed", object_type="notice", object_id=notice.pk, request=request)
    return notice


def suspend_overdue(today: datetime.date | None = None) -> list[Notice]:
    """The daily review: published notices past their review date are suspended, and their units told
    (the notice appears under "needs review" on the unit's notices page)."""
    today = today or timezone.localdate()
    done = []
    for notice in Notice.objects.filter(state=NoticeState.PUBLISHED, review_date__lt=today).select_related("issuing_unit"):
        with transaction.atomic():
            updated = Notice.objects.filter(pk=notice.pk, state=NoticeState.PUBLISHED).update(
                state=NoticeState.SUSPENDED, updated_at=timezone.now()
            )
            if not updated:
                continue
            notice.state = NoticeState.SUSPENDED
            _event(notice, None, NoticeState.PUBLISHED, "review date passed")
            _queue_snapshot(notice)
            record(None, "notices.notice.review_overdue", object_type="notice", object_id=notice.pk,
                   data={"review_date": notice.review_date.isoformat(), "unit": notice.issuing_unit.code})
            done.append(notice)
    return done


def purge_expired(older_than_days: int, today: datetime.date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Remove cancelled and resolved notices, and notices suspended for review, untouched for the
    retention period; then the persons left without notice or hit. Each removal is audited."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=older_than_days), datetime.time.min))
    expired = Notice.objects.filter(
        state__in=(NoticeState.CANCELLED, NoticeState.RESOLVED, NoticeState.SUSPENDED), updated_at__lt=cutoff
    )
    counts = {"notices": 0, "persons": 0}
    for notice in expired.select_related("subject"):
        if dry_run:
            counts["notices"] += 1
            continue
        with transaction.atomic():
            from borderlink.notices.federation import queue_purge, remove_copy_of_person

            subject = notice.subject
            others = [hit.person for hit in notice.hits.select_related("person") if hit.person_id != subject.pk]
            # The copies on other nodes go too: an envelope to each, written before the rows go.
            sent = queue_purge(notice)
            record(None, "notices.notice.purged", object_type="notice", object_id=notice.pk,
                   data={"state": notice.state, "kind": notice.kind, "days": older_than_days, "copies_told": sent})
            notice.delete()
            counts["notices"] += 1
            name_index.mark_changed(subject.pk)
            if not subject.notices.exists() and not subject.hits.exists():
                record(None, "persons.person.purged", object_type="person", object_id=subject.pk)
                name_index.mark_changed(subject.pk)
                subject.delete()
                counts["persons"] += 1
            for person in others:  # another node's persons, copied here only for this notice's hits
                counts["persons"] += remove_copy_of_person(person, "notice_purged", {"notice": str(notice.pk)})
    return counts
