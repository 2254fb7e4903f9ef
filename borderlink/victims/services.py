"""Victim cases: identification, consent, the return home and what follows. Pages and the API call these
functions; each checks access (404 for anyone without it), runs in a transaction, writes the audit event
and, through the workflow module, queues the envelope to the other country's node, where the same table
and checks apply (victims/workflow.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.core.models import Country
from borderlink.persons.services import PersonInput, before_birth, create_validated, validate_person
from borderlink.victims import access
from borderlink.victims.models import (
    CHILD_BANDS,
    Action,
    AgeBand,
    CaseState,
    Exploitation,
    Indicator,
    Purpose,
    VictimCase,
)
from borderlink.victims.workflow import FINDING, STEPS, VICTIM

VERIFICATION_STEPS = (Action.NATIONALITY_CONFIRMED, Action.NATIONALITY_NOT_CONFIRMED, Action.MORE_NEEDED)

RETENTION_DAYS = 2 * 365  # a case is reviewed two years after identification, then kept or purged
# steps a victim-protection officer takes with facts from a form or the API
PERSON_STEPS = (Action.CONSENT, Action.CONSENT_HOME, Action.SAFEGUARDS, Action.RETURN_PLANNED, Action.PLAN_ACCEPTED, Action.PLAN_DECLINED,
                Action.HANDED_OVER, Action.RECEIVED, Action.RECEPTION, Action.FOLLOW_UP, Action.REFERRAL,
                Action.CLOSED, Action.CLOSED_HOME)


@dataclass
class IdentificationInput:
    home_country: str
    exploitation: str
    indicators: list[str]
    found_on: datetime.date | None
    found_place: str
    found_by: str
    age_band: str
    consents: list[dict[str, Any]] = field(default_factory=list)  # as for the consent step, taken at once


def _require_protection(user: Any) -> None:
    if not access.may_protect(user):
        raise Http404("No access.")


def _validate_identification(user: Any, data: IdentificationInput, person: PersonInput, today: datetime.date) -> dict:
    errors: dict[str, list[str]] = {}
    if data.home_country not in set(Country.objects.values_list("code", flat=True)):
        errors.setdefault("home_country", []).append(_("Choose the victim's country from the member countries."))
    elif data.home_country == user.unit.country_id:
        errors.setdefault("home_country", []).append(_("Record here victims who are nationals of another member country."))
    if data.exploitation not in Exploitation.values:
        errors.setdefault("exploitation", []).append(_("Choose a value from the list."))
    if not data.indicators or not set(data.indicators) <= set(Indicator.values):
        errors.setdefault("indicators", []).append(_("Choose at least one indicator from the list."))
    if data.found_on is None:
        errors.setdefault("found_on", []).append(_("Give a date as YYYY-MM-DD."))
    elif not datetime.date(2000, 1, 1) <= data.found_on <= today:
        errors.setdefault("found_on", []).append(
            _("Give a date between %(a)s and %(b)s.") % {"a": datetime.date(2000, 1, 1), "b": today})
    elif before_birth(data.found_on, person):
        errors.setdefault("found_on", []).append(_("This cannot be before the person's birth."))
    for key in ("found_place", "found_by"):
        value = (getattr(data, key) or "").strip()
        if not value:
            errors.setdefault(key, []).append(_("This field is required."))
        elif len(value) > 200:
            errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": 200})
    if data.age_band not in AgeBand.values:
        errors.setdefault("age_band", []).append(_("Choose a value from the list."))
    elif person.birth_year and today.year - person.birth_year < 18 and data.age_band not in CHILD_BANDS:
        errors.setdefault("age_band", []).append(_("The year of birth says the person may be a child."))
    if len(data.consents) > len(Purpose.values):
        errors.setdefault("consents", []).append(_("At most %(n)d consents.") % {"n": len(Purpose.values)})
    return errors


def _reference(user: Any, at: datetime.datetime) -> str:
    count = VictimCase.objects.filter(finding_unit_id=user.unit_id, created_at__year=at.year).count() + 1
    return f"{user.unit.code}/V/{at.year}/{count:04d}"


def identify(user: Any, person: PersonInput, data: IdentificationInput, http_request: HttpRequest | None = None,
             now: datetime.datetime | None = None) -> VictimCase:
    """Record an identified victim found in the user's country: the person (through the persons app, with
    protected status), the case, and the consents given at identification. Nothing leaves the node until
    the case is shared (`share`). Raises Http404 for anyone but a victim-protection officer, ValidationError
    with field errors (nothing written) for bad input."""
    _require_protection(user)
    at = now or clock.now()
    today = timezone.localdate(at)
    person.is_trafficking_victim = True
    person.is_minor = data.age_band in CHILD_BANDS
    if data.home_country and data.home_country not in person.nationalities:
        person.nationalities = [*person.nationalities, data.home_country]
    errors = _validate_identification(user, data, person, today)
    try:
        validate_person(person)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if data.found_on is None:  # checked above; this narrows the type
        raise ValidationError({"found_on": [_("Give a date as YYYY-MM-DD.")]})
    with transaction.atomic():
        subject = create_validated(user, person, http_request)
        case = VictimCase.objects.create(
            reference=_reference(user, at), person=subject, finding_unit_id=user.unit_id,
            finding_country_id=user.unit.country_id, home_country_id=data.home_country, exploitation=data.exploitation,
            indicators=sorted(set(data.indicators)), found_on=data.found_on, found_place=data.found_place.strip(),
            found_by=data.found_by.strip(), age_band=data.age_band, sex=subject.sex, created_by=user,
            review_on=today + datetime.timedelta(days=RETENTION_DAYS))
        workflow.add_event(VICTIM, case, Action.IDENTIFIED, FINDING, actor=user, at=at)
        record(user, "victims.case.identified", object_type="victim_case", object_id=case.pk,
               data={"home_country": data.home_country, "person": str(subject.pk)}, request=http_request)
        for item in data.consents:
            _take(user, case, Action.CONSENT, workflow.Facts(data=item), http_request, at)
    return case


def _take(user: Any, case: VictimCase, action: str, facts: workflow.Facts, http_request: HttpRequest | None,
          now: datetime.datetime | None) -> Any:
    """Take a step. Before the case is shared the home country knows nothing of it: the step stays on this
    node (it crosses later inside the case's own envelope), with the same lock, state check and validation
    as `workflow.take`."""
    if case.state != CaseState.IDENTIFIED or case.origin_node:
        return workflow.take(VICTIM, user, case, action, facts, http_request=http_request, now=now)
    step = STEPS.get(action)
    if step is None or VICTIM.side_of(user, case) != step.side:
        raise Http404("No access.")
    at = now or clock.now()
    with transaction.atomic():
        locked = VictimCase.objects.select_for_update().get(pk=case.pk)
        if locked.state not in step.from_states or not VICTIM.possible(locked, step.side, action):
            raise ValidationError(VICTIM.not_possible(locked, action) if VICTIM.not_possible else "")
        checked = VICTIM.validate(locked, action, facts, at) if VICTIM.validate else workflow.Checked()
        return workflow.record_step(VICTIM, locked, action, step.side, checked, at, actor=user,
                                    http_request=http_request, send=False)


def take_step(user: Any, case_id: Any, action: str, data: dict[str, Any] | None = None, text: str = "",
              http_request: HttpRequest | None = None, now: datetime.datetime | None = None) -> VictimCase:
    """A victim-protection officer takes one of PERSON_STEPS with its facts (`data`, JSON values as in the
    step's form; `text`). Raises Http404 without access or when it is not the user's side's step;
    ValidationError with field errors, or with the reason a safeguard refuses the step (no consent to
    return, the child rule, non-refoulement, no consent to assistance for reception services, no consent to
    share with a referral's organisation, no consent to share when the envelope is written)."""
    _require_protection(user)
    case = access.get_case_for_user(user, case_id, http_request)
    if action not in PERSON_STEPS:
        raise ValidationError(_("Unknown step."))
    _take(user, case, action, workflow.Facts(text=text, data=dict(data or {})), http_request, now)
    return VictimCase.objects.get(pk=case.pk)


def override_consent(user: Any, case_id: Any, purpose: str, ground: str, reason: str, organisation: str = "",
                     http_request: HttpRequest | None = None, now: datetime.datetime | None = None) -> VictimCase:
    """A supervisor of the finding unit records consent for `purpose` where the law requires it (`ground`
    from LegalGround; for a child, the guardian's decision), with a written reason; audited with both.
    Http404 for anyone else."""
    case = access.get_case_for_user(user, case_id, http_request)
    if not access.is_approving_supervisor(user, case):
        raise Http404("No access.")
    data = {"purpose": purpose, "ground": ground, "organisation": organisation}
    _take(user, case, Action.OVERRIDE, workflow.Facts(text=reason, data=data), http_request, now)
    return VictimCase.objects.get(pk=case.pk)


def share(user: Any, case_id: Any, http_request: HttpRequest | None = None,
          now: datetime.datetime | None = None) -> VictimCase:
    """Send the case to the home country's victim-protection officers. Refused (ValidationError, nothing
    queued) without the victim's consent to share with the home country."""
    from borderlink.victims.federation import queue_opened

    _require_protection(user)
    case = access.get_case_for_user(user, case_id, http_request)
    if access.side_of(user, case) != FINDING or case.origin_node:
        raise Http404("No access.")
    at = now or clock.now()
    with transaction.atomic():
        locked = VictimCase.objects.select_for_update().get(pk=case.pk)
        if locked.state != CaseState.IDENTIFIED:
            raise ValidationError(_("This step is not possible now."))
        workflow.record_step(VICTIM, locked, Action.SHARED, FINDING, workflow.Checked(), at, actor=user,
                             http_request=http_request, send=False)
        queue_opened(locked)
    return VictimCase.objects.get(pk=case.pk)


def verification_case(user: Any, case_id: Any, requested_country: str | None,
                      http_request: HttpRequest | None = None) -> tuple[VictimCase | None, dict[str, list[str]]]:
    """The victim case a request to verify a victim's nationality (borderlink/assistance) is written for, and
    why it may not be written or sent as it is (field errors: {"victim_case" or "requested_unit": [messages]},
    empty when it may). Called by the request's services when it is drafted or changed (`create_request`,
    `update_request`; `approve_request` checks `verification_refusals` again before it leaves), so that the
    victim's identity (the request's subject and details) leaves this node only for that victim's case
    (DESIGN.md safeguards 3 and 10):

    - a case the user may see (`access.visible_cases`) that this node owns, of the user's country (the
      finding side): Http404 otherwise, the attempt audited ("victims.case.access_denied");
    - `requested_country` (the requested unit's; None when not chosen yet) is the case's home country;
    - the victim's current decision for sharing with the home country gives consent, or is a supervisor's
      override with its legal ground (consent.py).

    No case named: ({"victim_case": [...]}). Reads only; the caller holds the transaction."""
    if not case_id:
        return None, {"victim_case": [_("Choose the victim case whose nationality is to be verified.")]}
    case = access.get_case_for_user(user, case_id, http_request)
    if access.side_of(user, case) != FINDING or case.origin_node:
        record(user, "victims.case.access_denied", object_type="victim_case", object_id=str(case.pk), request=http_request)
        raise Http404("No such case.")
    return case, verification_refusals(case, requested_country)


def verification_refusals(case: VictimCase, requested_country: str | None) -> dict[str, list[str]]:
    """Why a request to verify the nationality of the victim of `case` may not go to `requested_country`
    (None: not chosen yet) now, as field errors ({} when it may): the home country only, and only with the
    victim's consent to share with it (or a supervisor's override). Checked again when the request leaves."""
    from borderlink.victims import consent

    errors: dict[str, list[str]] = {}
    if requested_country is not None and requested_country != case.home_country_id:
        errors["requested_unit"] = [_("A request to verify a victim's nationality goes to a unit of the victim's home country.")]
    if not consent.given(case, Purpose.SHARE_HOME):
        errors["victim_case"] = [_("The victim has not consented to share data with the home country, and no supervisor "
                                   "has overridden it: the request to verify the nationality cannot be written or sent.")]
    return errors


def link_verification(user: Any, case_id: Any, request_id: Any, http_request: HttpRequest | None = None,
                      now: datetime.datetime | None = None) -> VictimCase:
    """Link the "verify a victim's nationality" request (borderlink/assistance) sent to the home country to
    the case. The request must be one the user can see, of that kind, written for this case (`Request.victim_case`,
    see `verification_case`), from this country to the home country."""
    from borderlink.assistance.access import get_request_for_user
    from borderlink.assistance.models import RequestKind

    _require_protection(user)
    case = access.get_case_for_user(user, case_id, http_request)
    req = get_request_for_user(user, request_id, http_request)
    if (req.kind != RequestKind.VERIFY_VICTIM_NATIONALITY or req.victim_case_id != case.pk
            or req.requesting_unit.country_id != case.finding_country_id
            or req.requested_unit.country_id != case.home_country_id):
        raise ValidationError({"request": [_("Choose a request to verify this victim's nationality, sent to the home country.")]})
    _take(user, case, Action.VERIFICATION_ASKED, workflow.Facts(data={"request": str(req.pk)}), http_request, now)
    follow_verification(req.pk, now)  # a request already answered sets the next step at once
    return VictimCase.objects.get(pk=case.pk)


def verification_answer(case: VictimCase) -> str | None:
    """The step the linked request's answer calls for: NATIONALITY_CONFIRMED, NATIONALITY_NOT_CONFIRMED or
    MORE_NEEDED (a clarification asked, or an answer with neither finding); None while unanswered."""
    from borderlink.assistance.models import Action as RequestAction
    from borderlink.assistance.models import Request, RequestState, Result

    req = Request.objects.filter(pk=case.verification_request).first() if case.verification_request else None
    if req is None:
        return None
    if req.state == RequestState.CLARIFICATION:
        return Action.MORE_NEEDED
    answer = req.events.filter(action__in=(RequestAction.ANSWERED, RequestAction.PARTLY_ANSWERED)).order_by("-at").first()
    if answer is None:
        return None
    kinds = {r.get("kind") for r in answer.results}
    if Result.NATIONALITY_CONFIRMED in kinds:
        return Action.NATIONALITY_CONFIRMED
    if Result.NATIONALITY_NOT_CONFIRMED in kinds:
        return Action.NATIONALITY_NOT_CONFIRMED
    return Action.MORE_NEEDED


def _answer_event(case: VictimCase) -> Any:
    """The linked request's latest reply event (an answer, or a clarification asked), or None."""
    from borderlink.assistance.models import Action as RequestAction
    from borderlink.assistance.models import RequestEvent

    replies = (RequestAction.ANSWERED, RequestAction.PARTLY_ANSWERED, RequestAction.CLARIFICATION_ASKED)
    return (RequestEvent.objects.filter(request_id=case.verification_request, action__in=replies)
            .order_by("-at").first() if case.verification_request else None)


def follow_verification(request_id: Any, at: datetime.datetime | None = None) -> int:
    """The linked nationality-verification request was answered (or a clarification asked): each victim
    case this node owns that waits on it (state verifying) takes the step the answer sets, at once, with no
    person acting (see `verification_answer`). Called by the request's workflow when the reply is recorded
    here (borderlink/assistance/workflow.py `notify`), inside that transaction.

    Each case's step is audited ("victims.case.<step>" with the request, the answer event and
    "automatic": True) and crosses to the home country like any step. A case whose step is refused (the
    victim withdrew consent to share, so the step may not cross) stays as it was: the refusal is audited
    ("victims.case.verification_not_followed") and the answer can be recorded by hand later; the request's
    own answer is never rolled back for it. An answer already followed is not followed twice. Returns the
    number of cases moved."""
    at = at or clock.now()
    moved = 0
    for case_id in VictimCase.objects.filter(verification_request=request_id, origin_node="",
                                             state=CaseState.VERIFYING).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                case = VictimCase.objects.select_for_update().get(pk=case_id)
                action, answer = verification_answer(case), _answer_event(case)
                if case.state != CaseState.VERIFYING or action is None or answer is None:
                    continue
                followed = [e.data.get("answer") for e in case.events.filter(action__in=VERIFICATION_STEPS)]
                if str(answer.pk) in followed:
                    continue
                facts = workflow.Facts(data={"request": str(request_id), "answer": str(answer.pk)})
                checked = VICTIM.validate(case, action, facts, at) if VICTIM.validate else workflow.Checked()
                workflow.record_step(VICTIM, case, action, FINDING, checked, at, actor_unit=case.finding_unit.code,
                                     audit=(f"victims.case.{action}", {**checked.data, "automatic": True}))
                moved += 1
        except ValidationError as exc:
            record(None, "victims.case.verification_not_followed", object_type="victim_case", object_id=case_id,
                   data={"request": str(request_id), "reason": " ".join(exc.messages)[:300]})
    return moved


def record_verification(user: Any, case_id: Any, http_request: HttpRequest | None = None,
                        now: datetime.datetime | None = None) -> VictimCase:
    """Take by hand the next step the linked request's answer sets (see `verification_answer`), where it
    was not followed at once (see `follow_verification`); ValidationError while the request is unanswered."""
    _require_protection(user)
    case = access.get_case_for_user(user, case_id, http_request)
    action = verification_answer(case)
    if action is None:
        raise ValidationError(_("The verification request has no answer yet."))
    answer = _answer_event(case)
    if answer is not None and case.events.filter(action__in=VERIFICATION_STEPS).filter(
            data__answer=str(answer.pk)).exists():
        raise ValidationError(_("This answer is already recorded."))
    data = {"request": str(case.verification_request), **({"answer": str(answer.pk)} if answer else {})}
    _take(user, case, action, workflow.Facts(data=data), http_request, now)
    return VictimCase.objects.get(pk=case.pk)


def view_case(user: Any, case_id: Any, http_request: HttpRequest | None = None) -> VictimCase:
    """The case for reading (victim-protection officers and approving supervisors); the view is audited."""
    case = access.get_case_for_user(user, case_id, http_request)
    record(user, "victims.case.viewed", object_type="victim_case", object_id=case.pk, request=http_request)
    return case


def may_investigate(user: Any) -> bool:
    """An officer, liaison officer or supervisor of a unit (the investigators' side of the platform)."""
    return bool(getattr(user, "is_authenticated", False) and user.unit_id is not None and user.can_exchange)


def _facts(case: VictimCase) -> dict[str, Any]:
    return {"id": str(case.pk), "reference": case.reference, "exploitation": case.exploitation,
            "indicators": list(case.indicators), "found_month": case.found_on.strftime("%Y-%m"),
            "found_place": case.found_place, "finding_country": case.finding_country_id,
            "home_country": case.home_country_id}


def investigation_cases(user: Any, limit: int = 200) -> list[dict[str, Any]]:
    """The facts an investigator may read, for each case of the user's own unit (need to know: the unit
    that found the victim; cases this node owns) whose victim's current decision for the investigation
    purpose gives consent (or a supervisor's override), newest first, at most `limit`. Each item holds
    only the exploitation facts, without identity: {id, reference, exploitation, indicators, found_month
    ("YYYY-MM"), found_place, finding_country, home_country}. Http404 for anyone but an investigator."""
    from borderlink.victims import consent

    if not may_investigate(user):
        raise Http404("No access.")
    rows = VictimCase.objects.filter(finding_unit_id=user.unit_id, origin_node="", consents__purpose=Purpose.INVESTIGATION)
    cases = rows.distinct().order_by("-found_on", "-created_at")[:limit]
    return [_facts(c) for c in cases if consent.given(c, Purpose.INVESTIGATION)]


def investigation_facts(user: Any, case_id: Any, http_request: HttpRequest | None = None) -> dict[str, Any]:
    """What an investigator may read for one case: the exploitation facts without identity (the shape of
    an `investigation_cases` item), only for an officer of the unit that found the victim (need to know)
    and only while the victim's current decision for the investigation purpose gives consent. Http404
    otherwise, the attempt audited ("victims.case.access_denied"); a reading is audited
    ("victims.case.facts_viewed")."""
    from borderlink.victims import consent

    if not may_investigate(user):
        raise Http404("No access.")
    case = VictimCase.objects.filter(pk=_uuid(case_id), finding_unit_id=user.unit_id, origin_node="").first()
    if case is None or not consent.given(case, Purpose.INVESTIGATION):
        record(user, "victims.case.access_denied", object_type="victim_case", object_id=str(case_id)[:64],
               request=http_request)
        raise Http404("No such case.")
    record(user, "victims.case.facts_viewed", object_type="victim_case", object_id=case.pk, request=http_request)
    return _facts(case)


def _uuid(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


def due_for_review(user: Any, today: datetime.date | None = None, limit: int | None = None) -> list[VictimCase]:
    """The user's cases whose retention review date has passed, the earliest first; at most `limit` of them
    (None: all)."""
    day = today or timezone.localdate()
    qs = access.visible_cases(user).filter(review_on__lte=day).order_by("review_on", "pk")
    return list(qs if limit is None else qs[:limit])


def purge(user: Any, case_id: Any, reason: str, http_request: HttpRequest | None = None,
          today: datetime.date | None = None) -> None:
    """Delete a case whose review date has passed, with its timeline, consents and (unless another record
    holds it) the person; the purge is audited with the reference and the reason, not the person's data.
    The owner's purge also removes the home country's copy (`victim.purged`); a purge of a copy stays here.
    Victim-protection officers of the case's countries only; ValidationError before the review date or
    without a reason."""
    _require_protection(user)
    case = access.get_case_for_user(user, case_id, http_request)
    day = today or timezone.localdate()
    reason = (reason or "").strip()
    if case.review_on > day:
        raise ValidationError(_("The case is kept until its review date (%(d)s).") % {"d": case.review_on})
    if not reason or len(reason) > 500:
        raise ValidationError({"reason": [_("Give the reason for the purge (at most 500 characters).")]})
    from borderlink.victims.federation import queue_purge

    with transaction.atomic():
        person = case.person
        counts = {"events": case.events.count(), "consents": case.consents.count()}
        record(user, "victims.case.purged", object_type="victim_case", object_id=case.pk,
               data={"reference": case.reference, "reason": reason, **counts}, request=http_request)
        queue_purge(case)
        case.delete()
        try:
            with transaction.atomic():
                person.delete()
        except ProtectedError:
            pass  # another record still holds the person; it keeps its own protection
