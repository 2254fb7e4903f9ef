"""The victim case's workflow, in one table (docs/workflows.md): the finding side (the country where the
victim was found, which owns the case) and the home side (the victim's country, which verifies the
nationality, accepts the return plan, receives the victim at the gate and follows up). The machinery is
`borderlink.workflow`; the checks that make this path safe are here:

- consent (consent.py) before any envelope is written, before a return is planned, accepted or carried out,
  before reception services (assistance) are recorded, and before a referral; after the return the home
  country records the victim's decisions for its assistance and referrals (`CONSENT_HOME`);
- a child (under 18, or age unknown and possibly a minor) needs a guardian and a best-interests assessment
  before a return can be planned (UNICEF/IOM guidelines; ASEAN ACTIP Art. 14(9));
- non-refoulement (DESIGN.md safeguard 9): no return to a country a refugee or asylum seeker fled;
- the gate comes from the reference data, on the border between the two countries, valid on the day.

The same `validate` runs for a person's step and for a peer's, so a peer's step is checked as local input is.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.core.models import BorderGate
from borderlink.victims import access, consent, deadlines
from borderlink.victims.models import (
    CHILD_BANDS,
    Action,
    CaseState,
    Closure,
    Consent,
    LegalGround,
    Need,
    Purpose,
    Service,
    VictimCase,
    VictimEvent,
)
from borderlink.workflow import Step

FINDING, HOME = access.FINDING, access.HOME
TEXT_MAX = 2000
SHORT_MAX = 200
DATA_MAX = 8000  # characters of a step's data as JSON
FOLLOW_UP_DAYS = 365
RETURN_WINDOW_DAYS = 180

S = CaseState
BEFORE_RETURN = (S.IDENTIFIED, S.SHARED, S.VERIFYING, S.VERIFIED, S.NOT_CONFIRMED, S.PLANNED, S.ACCEPTED)
SHARED_BEFORE_RETURN = BEFORE_RETURN[1:]

STEPS: dict[str, Step] = {
    Action.CONSENT: Step(FINDING, BEFORE_RETURN),
    Action.OVERRIDE: Step(FINDING, BEFORE_RETURN),
    Action.SAFEGUARDS: Step(FINDING, BEFORE_RETURN),
    # once the victim is home, the home country records the victim's decisions for what it does (HOME_PURPOSES)
    Action.CONSENT_HOME: Step(HOME, (S.RETURNED,)),
    Action.SHARED: Step(FINDING, (S.IDENTIFIED,), S.SHARED, from_peer=False),
    Action.VERIFICATION_ASKED: Step(FINDING, (S.SHARED, S.VERIFYING, S.NOT_CONFIRMED), S.VERIFYING),
    Action.NATIONALITY_CONFIRMED: Step(FINDING, (S.VERIFYING,), S.VERIFIED),
    Action.NATIONALITY_NOT_CONFIRMED: Step(FINDING, (S.VERIFYING,), S.NOT_CONFIRMED),
    Action.MORE_NEEDED: Step(FINDING, (S.VERIFYING,)),
    Action.RETURN_PLANNED: Step(FINDING, (S.VERIFIED,), S.PLANNED),
    Action.PLAN_ACCEPTED: Step(HOME, (S.PLANNED,), S.ACCEPTED),
    Action.PLAN_DECLINED: Step(HOME, (S.PLANNED,), S.VERIFIED),
    Action.HANDED_OVER: Step(FINDING, (S.ACCEPTED,), S.HANDED_OVER),
    Action.RECEIVED: Step(HOME, (S.HANDED_OVER,), S.RETURNED),
    Action.RECEPTION: Step(HOME, (S.RETURNED,)),
    Action.FOLLOW_UP: Step(HOME, (S.RETURNED,)),
    Action.REFERRAL: Step(HOME, (S.RETURNED,)),
    Action.CLOSED: Step(FINDING, BEFORE_RETURN, S.CLOSED),
    Action.CLOSED_HOME: Step(HOME, (S.RETURNED,), S.CLOSED),
    # the owner node's clock (victims/deadlines.py); from any state, so that a reminder crossing a step
    # that moved the case on still joins both timelines
    Action.REMINDER: Step(workflow.SYSTEM, tuple(CaseState.values)),
    Action.ESCALATED: Step(workflow.SYSTEM, tuple(CaseState.values)),
}
# The finding country's closing (the victim declined return, stayed lawfully...) prevails over the home
# country's answer to a plan it had not yet heard was withdrawn.
CROSSINGS: dict[tuple[str, str], str] = {
    (Action.CLOSED, Action.PLAN_ACCEPTED): Action.CLOSED,
    (Action.CLOSED, Action.PLAN_DECLINED): Action.CLOSED,
}
# steps that move the victim towards the home country: the victim's consent to return must hold at each
RETURN_STEPS = (Action.RETURN_PLANNED, Action.PLAN_ACCEPTED, Action.HANDED_OVER)
# steps that record assistance given to the victim (shelter, medical care, family tracing, reintegration): the
# victim's consent to assistance must hold (IOM Handbook on Direct Assistance: assistance only with informed consent)
ASSISTANCE_STEPS = (Action.RECEPTION,)
# the purposes the home country asks the victim about after the return: its assistance, and its referrals
HOME_PURPOSES = (Purpose.ASSISTANCE, Purpose.SHARE_ORGANISATION)
CONSENT_STEPS = (Action.CONSENT, Action.OVERRIDE, Action.CONSENT_HOME)
CLOSURES: dict[str, tuple[str, ...]] = {Action.CLOSED: (Closure.DECLINED_RETURN, Closure.STAYED_LAWFULLY, Closure.LOST_CONTACT, Closure.OTHER),
            Action.CLOSED_HOME: (Closure.REINTEGRATED, Closure.LOST_CONTACT, Closure.OTHER)}


def country_of(case: VictimCase, side: str) -> str:
    return case.finding_country_id if side in (FINDING, workflow.SYSTEM) else case.home_country_id


# --- the safeguards -----------------------------------------------------------------------------------------


def return_refusal(case: VictimCase) -> str:
    """Why no return may be planned or carried out now ("" when it may): the victim's consent to return
    (or a supervisor's override), the child safeguards, and non-refoulement."""
    person = case.person
    if person.is_refugee and person.refugee_from_id == case.home_country_id:
        return _("The person is recorded as a refugee or asylum seeker from the home country: no return there.")
    if not consent.given(case, Purpose.RETURN):
        return _("The victim has not consented to return: no return plan.")
    if case.age_band in CHILD_BANDS and not (case.guardian and case.best_interests_on):
        return _("A child (or a person who may be a minor) needs a guardian and a best-interests assessment "
                 "before a return can be planned.")
    return ""


def allowed(case: VictimCase, action: str) -> bool:
    return not _refusal(case, action)


def assistance_refusal(case: VictimCase) -> str:
    """Why no reception services may be recorded now ("" when they may): the victim's current decision for the
    assistance purpose (or a supervisor's override) must give consent. Both nodes hold the decisions (the
    consent steps cross with the case), so the home country's step is checked again where the case is owned."""
    if not consent.given(case, Purpose.ASSISTANCE):
        return _("The victim has not consented to assistance: no reception services can be recorded.")
    return ""


def _refusal(case: VictimCase, action: str) -> str:
    if action in RETURN_STEPS:
        return return_refusal(case)
    if action in ASSISTANCE_STEPS:
        return assistance_refusal(case)
    return ""


def not_possible(case: VictimCase, action: str) -> str:
    return _refusal(case, action) or _("This step is not possible now.")


# --- a step's facts -------------------------------------------------------------------------------------------


def _text(data: dict[str, Any], key: str, errors: dict[str, list[str]], *, required: bool = True,
          limit: int = SHORT_MAX) -> str:
    value = data.get(key, "")
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        errors.setdefault(key, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": limit})
    return value


def _date(data: dict[str, Any], key: str, errors: dict[str, list[str]], *, earliest: datetime.date,
          latest: datetime.date) -> datetime.date | None:
    raw = data.get(key)
    try:
        day = datetime.date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        day = None
    if day is None:
        errors.setdefault(key, []).append(_("Give a date as YYYY-MM-DD."))
    elif not earliest <= day <= latest:
        errors.setdefault(key, []).append(_("Give a date between %(a)s and %(b)s.") % {"a": earliest, "b": latest})
        day = None
    return day


def _choice(data: dict[str, Any], key: str, choices: Any, errors: dict[str, list[str]]) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or value not in choices:
        errors.setdefault(key, []).append(_("Choose a value from the list."))
        return ""
    return value


def _choices(data: dict[str, Any], key: str, choices: Any, errors: dict[str, list[str]], *, required: bool) -> list[str]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v in choices for v in values):
        errors.setdefault(key, []).append(_("Choose values from the list."))
        return []
    if required and not values:
        errors.setdefault(key, []).append(_("Choose at least one."))
    return sorted(set(values))


def _bool(data: dict[str, Any], key: str, errors: dict[str, list[str]], *, required: bool = False) -> bool:
    value = data.get(key, None if required else False)
    if not isinstance(value, bool):
        errors.setdefault(key, []).append(_("Choose yes or no."))
        return False
    return value


def gate_key(gate: BorderGate) -> list[str]:
    """A gate's natural key, the same on every node: [side A country, side A name, side B country]."""
    return [gate.side_a_country_id, gate.side_a_name, gate.side_b_country_id]


def find_gate(case: VictimCase, key: Any, day: datetime.date | None, errors: dict[str, list[str]]) -> BorderGate | None:
    """The gate named by its natural key, on the border between the two countries and valid on `day`."""
    gate = None
    if isinstance(key, list) and len(key) == 3 and all(isinstance(k, str) and len(k) <= 120 for k in key):
        gate = BorderGate.objects.filter(side_a_country_id=key[0], side_a_name=key[1], side_b_country_id=key[2]).first()
    if gate is None:
        errors.setdefault("gate", []).append(_("Choose a border gate from the list."))
        return None
    if {gate.side_a_country_id, gate.side_b_country_id} != {case.finding_country_id, case.home_country_id}:
        errors.setdefault("gate", []).append(_("Choose a gate on the border between the two countries."))
        return None
    if day is not None and not BorderGate.objects.valid_on(day).filter(pk=gate.pk).exists():
        errors.setdefault("gate", []).append(_("This gate is not open on that date."))
        return None
    return gate


def validate(case: VictimCase, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """Check a step's facts (a person's or a peer's alike; `facts.data` holds them as JSON values) and return
    the timeline's text and data and the fields `change` applies. Raises ValidationError with field errors
    in the user's language. Dates are checked against `at` (the step's time)."""
    data = facts.data if isinstance(facts.data, dict) else {}
    if len(json.dumps(data, default=str)) > DATA_MAX:
        raise ValidationError(_("Too much data in one step."))
    errors: dict[str, list[str]] = {}
    today = timezone.localdate(at)
    text = (facts.text or "").strip()
    if len(text) > TEXT_MAX:
        errors.setdefault("text", []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX})
    clean: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    earliest = datetime.date(2000, 1, 1)
    if action in CONSENT_STEPS:
        purpose = _choice(data, "purpose", HOME_PURPOSES if action == Action.CONSENT_HOME else Purpose.values, errors)
        organisation = _text(data, "organisation", errors, required=purpose == Purpose.SHARE_ORGANISATION)
        clean = {"purpose": purpose, "organisation": organisation if purpose == Purpose.SHARE_ORGANISATION else ""}
        if action in (Action.CONSENT, Action.CONSENT_HOME):
            clean["given"] = _bool(data, "given", errors, required=True)
            on = _date(data, "on", errors, earliest=earliest, latest=today)
            clean["on"] = on.isoformat() if on else ""
            clean["explained"] = _text(data, "explained", errors, limit=500)
            clean["language"] = _text(data, "language", errors, limit=60)
            clean["interpreter"] = _text(data, "interpreter", errors, required=False)
        else:
            ground = _choice(data, "ground", LegalGround.values, errors)
            clean["ground"] = ground
            clean["on"] = today.isoformat()
            if not text:
                errors.setdefault("text", []).append(_("Give the written reason for the override."))
            if ground == LegalGround.CHILD_GUARDIAN and not (case.age_band in CHILD_BANDS and case.guardian):
                errors.setdefault("ground", []).append(
                    _("The guardian's decision is a ground only for a child with a recorded guardian."))
        fields = {"consent": clean, "text": text}
    elif action == Action.SAFEGUARDS:
        clean["guardian"] = _text(data, "guardian", errors)
        on = _date(data, "best_interests_on", errors, earliest=earliest, latest=today)
        clean["best_interests_on"] = on.isoformat() if on else ""
        clean["best_interests"] = _text(data, "best_interests", errors, limit=TEXT_MAX)
        fields = {"guardian": clean["guardian"], "best_interests_on": on, "best_interests": clean["best_interests"]}
    elif action == Action.VERIFICATION_ASKED:
        request_id = data.get("request")
        try:
            import uuid

            clean["request"] = str(uuid.UUID(str(request_id)))
        except ValueError:
            errors.setdefault("request", []).append(_("Choose the verification request."))
        fields = {"request": clean.get("request")}
    elif action == Action.RETURN_PLANNED:
        raw = data.get("return_at")
        try:
            when = datetime.datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            when = None
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when is None:
            errors.setdefault("return_at", []).append(_("Give the date and time."))
        elif not at - datetime.timedelta(hours=1) <= when <= at + datetime.timedelta(days=RETURN_WINDOW_DAYS):
            errors.setdefault("return_at", []).append(
                _("Give a date and time within %(n)d days from now.") % {"n": RETURN_WINDOW_DAYS})
            when = None
        gate = find_gate(case, data.get("gate"), timezone.localdate(when) if when else None, errors)
        clean = {"gate": gate_key(gate) if gate else [], "return_at": when.isoformat() if when else "",
                 "escorts": _text(data, "escorts", errors, limit=500),
                 "receiving_unit": _text(data, "receiving_unit", errors),
                 "met_by": _text(data, "met_by", errors),
                 "travel_document": _bool(data, "travel_document", errors),
                 "medical_certificate": _bool(data, "medical_certificate", errors),
                 "needs": _choices(data, "needs", Need.values, errors, required=False)}
        if case.age_band in CHILD_BANDS and Need.GUARDIAN not in clean["needs"]:
            errors.setdefault("needs", []).append(_("A child travels with a guardian: tick the guardian need."))
        fields = {"gate": gate, "return_at": when, "plan": clean}
    elif action == Action.PLAN_DECLINED:
        if not text:
            errors.setdefault("text", []).append(_("Say why the plan cannot be accepted."))
    elif action == Action.HANDED_OVER:
        clean["handed_over_by"] = _text(data, "handed_over_by", errors)
    elif action == Action.RECEIVED:
        clean["received_by"] = _text(data, "received_by", errors)
        fields = {"returned_on": today}
    elif action == Action.RECEPTION:
        clean["services"] = _choices(data, "services", Service.values, errors, required=True)
    elif action == Action.FOLLOW_UP:
        start = case.returned_on or today
        on = _date(data, "on", errors, earliest=start, latest=min(today, start + datetime.timedelta(days=FOLLOW_UP_DAYS)))
        clean["on"] = on.isoformat() if on else ""
        clean["outcome"] = _text(data, "outcome", errors, limit=TEXT_MAX)
    elif action == Action.REFERRAL:
        clean["organisation"] = _text(data, "organisation", errors)
        if clean["organisation"] and not consent.given(case, Purpose.SHARE_ORGANISATION, clean["organisation"]):
            errors.setdefault("organisation", []).append(
                _("The victim has not consented to share with this organisation: no referral."))
    elif action in CLOSURES:
        clean["reason"] = _choice(data, "reason", CLOSURES[action], errors)
        fields = {"closure": clean["reason"]}
    elif action in (Action.NATIONALITY_CONFIRMED, Action.NATIONALITY_NOT_CONFIRMED, Action.MORE_NEEDED):
        clean = _answer_reference(data)
        if action == Action.NATIONALITY_CONFIRMED:
            fields = {"verified_on": today}
    elif action in (Action.REMINDER, Action.ESCALATED):
        clean = deadlines.clock_data(data)
    if errors:
        raise ValidationError(errors)
    return workflow.Checked(text=text, data=clean, fields=fields)


def _answer_reference(data: dict[str, Any]) -> dict[str, str]:
    """The verification request and its answer event a nationality step follows (ids, when given and
    well formed; see services.follow_verification)."""
    import uuid

    out = {}
    for key in ("request", "answer"):
        try:
            out[key] = str(uuid.UUID(str(data[key])))
        except (KeyError, ValueError):
            continue
    return out


def change(case: VictimCase, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    """What a step changes beyond the state (saves nothing but the consent row it records); a step that
    moves the case to another state starts that state's deadline (deadlines.py)."""
    if action in CONSENT_STEPS:
        c = fields["consent"]
        Consent.objects.create(
            case=case, purpose=c["purpose"], organisation=c["organisation"], given=c.get("given", True),
            on=datetime.date.fromisoformat(c["on"]), explained=c.get("explained", ""), language=c.get("language", ""),
            interpreter=c.get("interpreter", ""), override_ground=c.get("ground", ""),
            override_reason=fields["text"] if action == Action.OVERRIDE else "", at=at)
    elif action == Action.SAFEGUARDS:
        case.guardian, case.best_interests_on = fields["guardian"], fields["best_interests_on"]
        case.best_interests = fields["best_interests"]
    elif action == Action.VERIFICATION_ASKED:
        case.verification_request = fields["request"]
    elif action == Action.NATIONALITY_CONFIRMED:
        case.verified_on = fields["verified_on"]
    elif action == Action.RETURN_PLANNED:
        case.gate, case.return_at, case.plan = fields["gate"], fields["return_at"], fields["plan"]
    elif action == Action.HANDED_OVER:
        case.handed_over_at = at
    elif action == Action.RECEIVED:
        case.returned_on = fields["returned_on"]
    elif action in CLOSURES:
        case.closure, case.closed_at = fields["closure"], at
    elif action == Action.REMINDER:
        case.reminded_at = case.reminded_at or at
    elif action == Action.ESCALATED:
        case.escalated_at = case.escalated_at or at
    step = STEPS.get(action)
    if step is not None and step.to_state is not None:
        deadlines.restart(case, at)


def audit(case: VictimCase, action: str, from_state: str, checked: workflow.Checked, peer_node: str) -> tuple[str, dict]:
    data: dict[str, Any] = {"from_node": peer_node} if peer_node else {}
    if action in CONSENT_STEPS:
        data.update({k: checked.data.get(k) for k in ("purpose", "given", "ground")})
        if action == Action.OVERRIDE:
            data["reason"] = checked.text
    if action in CLOSURES:
        data["reason"] = checked.data.get("reason")
    return f"victims.case.{action}", data


def notify(case: VictimCase, action: str, at: datetime.datetime) -> None:
    """The alerts a step raises on this node. An escalation (the owner's clock: a deadline has passed) alerts the
    supervisors of the finding unit on the node that owns the case, the way a request's escalation alerts the
    supervisors of its units (assistance/workflow.py `notify`); they may open the case (access.visible_cases).
    The alert names the case's reference and links to it, nothing about the person. The home country's copy
    raises none: no unit of that country is named in the case, and its victim-protection officers see the
    overdue mark on the list and the case."""
    if action == Action.ESCALATED and not case.origin_node:
        from borderlink.assistance.models import Alert

        Alert.objects.create(unit_id=case.finding_unit_id, kind=Alert.Kind.VICTIM_ESCALATED, supervisors_only=True,
                             title=case.reference[:200], url=f"/victims/{case.pk}/", created_at=at)


def event_payload(event: VictimEvent) -> dict[str, Any]:
    """A step as it crosses. Written only after the victim's consent to share is checked (consent.py)."""
    consent.require_sharing(event.case, event.action, event.data)
    return {"id": str(event.pk), "at": event.at.isoformat(), "actor_name": event.actor_name,
            "actor_unit": event.actor_unit, "side": event.side, "action": event.action,
            "from_state": event.from_state, "text": event.text, "data": event.data}


VICTIM = workflow.Workflow(
    object_type="victim_case", name="victims.case", model=VictimCase, event_model=VictimEvent, parent_field="case",
    sides=(FINDING, HOME), owner_side=FINDING, steps=STEPS, crossings=CROSSINGS, side_of=access.side_of,
    country_of=country_of, change=change, validate=validate, audit=audit, allowed=allowed, not_possible=not_possible,
    envelope_kind="victim.event", object_key="case", event_payload=event_payload, deadlines=deadlines.SPEC,
    notify=notify,
)
