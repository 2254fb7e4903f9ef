"""The agreement of a cooperation plan, in one table: the proposing side (whose node owns the plan) and the
partner side. The machinery is `borderlink.workflow` (docs/workflows.md).

One side proposes (version 1); the other comments or counter-proposes (a new version); either side proposes a
new version again; each side's leadership approves the current version (four eyes: not its author, checked by
the service); once both sides have approved one version it is signed and fixed.

A trilateral plan has a third party, the third country's ministry, with the partner's steps of its own: it
comments, counter-proposes, approves with four eyes, amends and reports progress on the items it owns; the plan
is signed once all three have approved one version. Every step of a trilateral plan goes to both other parties'
nodes (`recipients`), so the three nodes hold the same timeline; a node takes a relayed step of a party other
than the owner when it comes from that party's country (`relayed` in the Workflow). Two counter-proposals that
cross (partner and third country, from the same proposal): the partner's prevails on every node. After signing, an amendment is
a new version with its reason, agreed the same way; the signed version stays, and stays in force until the
amendment is signed. Each side reports progress on the items it owns.

Steps that carry content (a version's items, an approval, a progress report) carry it in the event's data;
`validate` checks it alike for a person's step and a peer's, and `change` writes it on both nodes.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.core.models import Unit
from borderlink.core.text import clean_text
from borderlink.plans import access
from borderlink.plans.models import (
    PARTNER,
    PROPOSING,
    THIRD,
    Area,
    IndicatorKind,
    Item,
    ItemStatus,
    Plan,
    PlanAttachment,
    PlanEvent,
    PlanVersion,
    Progress,
)
from borderlink.plans.models import PlanAction as A
from borderlink.plans.models import PlanState as S
from borderlink.workflow import Step

TEXT_MAX = 20_000
ACTIVITY_MAX = 2000
ITEMS_MAX = 60
TARGET_MAX = Decimal("9999999999")
PARAMETER_MAX = 365
ATTACHMENTS_MAX = 3
_OPEN = (S.PROPOSED, S.COUNTERED)
_ANY = (S.PROPOSED, S.COUNTERED, S.SIGNED)

STEPS: dict[str, Step] = {
    A.PROPOSED: Step(PROPOSING, (), S.PROPOSED, from_peer=False),
    A.COMMENT_PROPOSING: Step(PROPOSING, _ANY),
    A.COMMENT_PARTNER: Step(PARTNER, _ANY),
    A.COUNTERED: Step(PARTNER, (S.PROPOSED,), S.COUNTERED),
    A.REPROPOSED: Step(PROPOSING, (S.COUNTERED,), S.PROPOSED),
    A.APPROVED_PROPOSING: Step(PROPOSING, _OPEN),
    A.APPROVED_PARTNER: Step(PARTNER, _OPEN),
    A.AMEND_PROPOSING: Step(PROPOSING, (S.SIGNED,), S.PROPOSED),
    A.AMEND_PARTNER: Step(PARTNER, (S.SIGNED,), S.COUNTERED),
    A.PROGRESS_PROPOSING: Step(PROPOSING, _ANY),
    A.PROGRESS_PARTNER: Step(PARTNER, _ANY),
    A.COMMENT_THIRD: Step(THIRD, _ANY),
    A.COUNTERED_THIRD: Step(THIRD, (S.PROPOSED,), S.COUNTERED),
    A.APPROVED_THIRD: Step(THIRD, _OPEN),
    A.AMEND_THIRD: Step(THIRD, (S.SIGNED,), S.COUNTERED),
    A.PROGRESS_THIRD: Step(THIRD, _ANY),
}
# An approval that crosses a new version on the way prevails: the approved version may already be signed on the
# approving node (the other side had approved it), and the new version joins the timeline only. Two amendments
# proposed at once: the proposing side's prevails.
CROSSINGS: dict[tuple[str, str], str] = {
    (A.APPROVED_PROPOSING, A.COUNTERED): A.APPROVED_PROPOSING,
    (A.APPROVED_PARTNER, A.REPROPOSED): A.APPROVED_PARTNER,
    (A.AMEND_PROPOSING, A.AMEND_PARTNER): A.AMEND_PROPOSING,
    # a trilateral plan's third country, alike; of two partners' versions at once, the partner's prevails
    (A.APPROVED_PROPOSING, A.COUNTERED_THIRD): A.APPROVED_PROPOSING,
    (A.APPROVED_THIRD, A.REPROPOSED): A.APPROVED_THIRD,
    (A.COUNTERED, A.COUNTERED_THIRD): A.COUNTERED,
    (A.AMEND_PROPOSING, A.AMEND_THIRD): A.AMEND_PROPOSING,
    (A.AMEND_PARTNER, A.AMEND_THIRD): A.AMEND_PARTNER,
}
SIDE_OF_STEP = {a: s.side for a, s in STEPS.items()}
VERSION_STEPS = (A.PROPOSED, A.COUNTERED, A.REPROPOSED, A.AMEND_PROPOSING, A.AMEND_PARTNER, A.COUNTERED_THIRD,
                 A.AMEND_THIRD)
AMENDMENTS = (A.AMEND_PROPOSING, A.AMEND_PARTNER, A.AMEND_THIRD)
COMMENT = {PROPOSING: A.COMMENT_PROPOSING, PARTNER: A.COMMENT_PARTNER, THIRD: A.COMMENT_THIRD}
APPROVE = {PROPOSING: A.APPROVED_PROPOSING, PARTNER: A.APPROVED_PARTNER, THIRD: A.APPROVED_THIRD}
AMEND = {PROPOSING: A.AMEND_PROPOSING, PARTNER: A.AMEND_PARTNER, THIRD: A.AMEND_THIRD}
NEW_VERSION = {PROPOSING: A.REPROPOSED, PARTNER: A.COUNTERED, THIRD: A.COUNTERED_THIRD}
PROGRESS = {PROPOSING: A.PROGRESS_PROPOSING, PARTNER: A.PROGRESS_PARTNER, THIRD: A.PROGRESS_THIRD}
LEADS = {PROPOSING: "lead_proposing", PARTNER: "lead_partner", THIRD: "lead_third"}


def country_of(plan: Plan, side: str) -> str:
    if side == THIRD:
        return plan.third_country_id or ""
    return plan.proposing_unit.country_id if side == PROPOSING else plan.partner_unit.country_id


def recipients(plan: Plan, side: str) -> list[str]:
    """Every other party's country: a bilateral plan's step goes to the other side's node; a trilateral plan's
    step of any party goes to both other parties' nodes."""
    acting = country_of(plan, workflow_side(side))
    return [c for c in plan.countries if c and c != acting]


def workflow_side(side: str) -> str:
    return PROPOSING if side == workflow.SYSTEM else side


def _err(key: str, message: str) -> ValidationError:
    return ValidationError({key: [message]})


def _text(data: dict[str, Any], key: str, limit: int, required: bool = True, label: str = "") -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _err(key, label + _("Enter text."))
    value = clean_text(value).strip()
    if required and not value:
        raise _err(key, label + _("This field is required."))
    if len(value) > limit:
        raise _err(key, label + _("At most %(n)d characters.") % {"n": limit})
    return value


def parse_target(value: Any) -> Decimal | None:
    """A target as a number (a dot or comma as the decimal mark, an optional % sign), or None."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > TARGET_MAX:
        return None
    return number.quantize(Decimal("0.01"))


def number_problem(value: Any, what: str = "value") -> str:
    """Why `value` is not a number `parse_target` takes, in the active language ("" when it is, or when it is
    empty): not a number, negative, or too large. `what` is "target" or "value", to name it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if parse_target(value) is not None:
        return ""
    text = "" if isinstance(value, bool) else str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        if what == "target":
            return _("The target must be a number, for example 4 or 90%%; %(given)s is not.") % {"given": str(value)[:20]}
        return _("The value must be a number, for example 7 or 7.5; %(given)s is not.") % {"given": str(value)[:20]}
    if number < 0:
        if what == "target":
            return _("The target cannot be negative.")
        return _("The value cannot be negative: report what was done, 0 or more.")
    return _("At most %(n)s.") % {"n": f"{TARGET_MAX:,.0f}".replace(",", " ")}


def check_items(plan: Plan, items: Any) -> list[dict[str, Any]]:
    """A version's items, each checked: the area, activity, lead units of each side (units of that side's
    country), the side that reports it, the indicator, a numeric target for a computed indicator (a text target
    only for one reported by hand), the days of a returns indicator, and a due date in the plan's year.
    Returns the clean items; raises ValidationError {"items": [message per problem, naming the item]}."""
    if not isinstance(items, list) or not 1 <= len(items) <= ITEMS_MAX:
        raise _err("items", _("A plan has between 1 and %(n)d items.") % {"n": ITEMS_MAX})
    errors: list[str] = []
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    countries = {side: country_of(plan, side) for side in plan.sides}
    for number, raw in enumerate(items, start=1):
        label = _("Item %(n)d: ") % {"n": number}
        if not isinstance(raw, dict):
            errors.append(label + _("Enter text."))
            continue
        item: dict[str, Any] = {}
        try:
            item["id"] = str(uuid.UUID(str(raw.get("id") or uuid.uuid4())))
        except ValueError:
            errors.append(label + _("Unknown item."))
            continue
        if item["id"] in seen:
            errors.append(label + _("Unknown item."))
            continue
        seen.add(item["id"])
        problems: list[str] = []
        if raw.get("area") not in Area.values:
            problems.append(_("Choose an area from the list."))
        item["area"] = raw.get("area")
        try:
            item["activity"] = _text(raw, "activity", ACTIVITY_MAX)
        except ValidationError as exc:
            problems.extend(_("Activity: ") + m for m in exc.messages)
        for side in plan.sides:
            key = LEADS[side]
            code = raw.get(key)
            unit = (Unit.objects.filter(code=str(code)[:60], country_id=countries[side], is_active=True).first()
                    if isinstance(code, str) and code else None)
            if unit is None:
                problems.append(_("Choose a lead unit of that side's country."))
            item[key] = code
        if raw.get("lead_third") and THIRD not in plan.sides:
            problems.append(_("A bilateral plan has no third country."))
        if raw.get("owner_side") not in plan.sides:
            problems.append(_("Choose the side that reports the item."))
        item["owner_side"] = raw.get("owner_side")
        kind = raw.get("indicator")
        if kind not in IndicatorKind.values:
            problems.append(_("Choose an indicator from the list."))
        item["indicator"] = kind
        target_raw = raw.get("target")
        target_given = target_raw not in (None, "")
        target = parse_target(target_raw)
        try:
            target_text = _text(raw, "target_text", 300, required=False)
        except ValidationError as exc:
            problems.extend(exc.messages)
            target_text = ""
        if kind == IndicatorKind.REPORTED:
            if target_given and target is None:
                problems.append(number_problem(target_raw, "target"))
            if target is None and not target_text:
                problems.append(_("Give the target, as a number or in words."))
        elif kind in IndicatorKind.values:
            if target_given and target is None:
                problems.append(number_problem(target_raw, "target"))
            elif target is None:
                problems.append(_("A computed indicator needs a number as its target."))
            if kind == IndicatorKind.VERIFICATION_ON_TIME and target is not None and target > 100:
                problems.append(_("A percentage is at most 100."))
        item["target"] = str(target) if target is not None else ""
        item["target_text"] = target_text
        parameter = raw.get("parameter")
        if kind == IndicatorKind.VICTIMS_RETURNED:
            if isinstance(parameter, str) and parameter.strip().isdigit():
                parameter = int(parameter.strip())
            if not isinstance(parameter, int) or isinstance(parameter, bool) or not 1 <= parameter <= PARAMETER_MAX:
                problems.append(_("Give the number of days (1 to %(n)d).") % {"n": PARAMETER_MAX})
                parameter = None
        else:
            parameter = None
        item["parameter"] = parameter
        try:
            due = datetime.date.fromisoformat(str(raw.get("due_date", "")))
        except ValueError:
            problems.append(_("Give the due date."))
        else:
            if due.year != plan.year:
                problems.append(_("The due date must fall in the plan's year (%(year)d).") % {"year": plan.year})
            item["due_date"] = due.isoformat()
        errors.extend(label + p for p in problems)
        clean.append(item)
    if errors:
        raise ValidationError({"items": errors})
    return clean


def _version(plan: Plan, action: str, data: dict[str, Any], text: str) -> dict[str, Any]:
    version = data.get("version")
    if not isinstance(version, dict):
        raise _err("items", _("A plan has between 1 and %(n)d items.") % {"n": ITEMS_MAX})
    try:
        version_id = str(uuid.UUID(str(version.get("id", ""))))
    except ValueError:
        raise _err("version", _("Unknown version.")) from None
    if PlanVersion.objects.filter(pk=version_id).exclude(plan=plan).exists():
        raise _err("version", _("Unknown version."))
    number = version.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 1000:
        raise _err("version", _("Unknown version."))
    reason = _text(version, "reason", TEXT_MAX, required=action in AMENDMENTS)
    return {"version": {"id": version_id, "number": number, "reason": reason,
                        "author_name": _text(version, "author_name", 200, required=False),
                        "items": check_items(plan, version.get("items"))}}


def validate(plan: Plan, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """Each step's data, checked alike for a person's step and a peer's; returns the text and data for the
    timeline and the fields `change` writes."""
    data = facts.data if isinstance(facts.data, dict) else {}
    text = clean_text(facts.text or "").strip()
    if len(text) > TEXT_MAX:
        raise _err("text", _("At most %(n)d characters.") % {"n": TEXT_MAX})
    clean: dict[str, Any] = {}
    attachments = list(facts.attachments)
    if attachments and action not in PROGRESS.values():
        raise _err("evidence", _("Only a progress report carries evidence."))
    if action in VERSION_STEPS:
        clean = _version(plan, action, data, text)
    elif action in COMMENT.values():
        if not text:
            raise _err("text", _("This field is required."))
    elif action in APPROVE.values():
        try:
            version = PlanVersion.objects.filter(plan=plan, pk=str(uuid.UUID(str(data.get("version", ""))))).first()
        except ValueError:
            version = None
        if version is None:
            raise _err("version", _("Unknown version."))
        clean = {"version": str(version.pk), "signatory": _text(data, "signatory", 200),
                 "signatory_title": _text(data, "signatory_title", 200, required=False),
                 "approved_by": _text(data, "approved_by", 200, required=False)}
    elif action in PROGRESS.values():
        try:
            item = Item.objects.filter(plan=plan, in_force=True, pk=str(uuid.UUID(str(data.get("item", ""))))).first()
        except ValueError:
            item = None
        if item is None or item.owner_side != SIDE_OF_STEP[action]:
            raise _err("item", _("Unknown item."))
        if plan.signed_version_id is None:
            raise _err("item", _("Progress is reported once the plan is signed."))
        status = data.get("status")
        if status not in ItemStatus.values:
            raise _err("status", _("Choose a value from the list."))
        value_raw = data.get("value")
        value = parse_target(value_raw)
        if value_raw not in (None, "") and value is None:
            raise _err("value", number_problem(value_raw))
        if value is not None and item.indicator != IndicatorKind.REPORTED:
            raise _err("value", _("This indicator is computed from the records; it takes no reported value."))
        if len(attachments) > ATTACHMENTS_MAX:
            raise _err("evidence", _("At most %(n)d files.") % {"n": ATTACHMENTS_MAX})
        clean = {"item": str(item.pk), "status": status, "value": str(value) if value is not None else "",
                 "note": _text(data, "note", 5000, required=status == ItemStatus.DROPPED)}
    return workflow.Checked(text=text, data=clean, fields=clean, attachments=attachments)


def sync_items(plan: Plan, version: PlanVersion) -> None:
    """Make the items in force those of `version`: the same ids keep their progress and status; items the
    version drops are kept out of force (their progress stays readable)."""
    units = {u.code: u for u in Unit.objects.filter(code__in={i[k] for i in version.items for k in LEADS.values()
                                                               if i.get(k)})}
    keep = []
    for position, data in enumerate(version.items):
        Item.objects.update_or_create(id=data["id"], plan=plan, defaults={
            "position": position, "area": data["area"], "activity": data["activity"],
            "lead_proposing": units[data["lead_proposing"]], "lead_partner": units[data["lead_partner"]],
            "lead_third": units[data["lead_third"]] if data.get("lead_third") else None,
            "owner_side": data["owner_side"], "indicator": data["indicator"], "parameter": data.get("parameter"),
            "target": Decimal(data["target"]) if data.get("target") else None, "target_text": data.get("target_text", ""),
            "due_date": data["due_date"], "in_force": True})
        keep.append(data["id"])
    plan.items.exclude(pk__in=keep).update(in_force=False)


def change(plan: Plan, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    """Write what the step carries, on the node that takes it and on the other alike."""
    if action in VERSION_STEPS:
        data = fields["version"]
        version, _created = PlanVersion.objects.get_or_create(id=data["id"], defaults={
            "plan": plan, "number": data["number"], "side": SIDE_OF_STEP[action], "reason": data["reason"],
            "items": data["items"], "author_name": data["author_name"], "at": at})
        plan.current_version = version
        if plan.signed_version_id is None:
            sync_items(plan, version)
    elif action in APPROVE.values():
        side = SIDE_OF_STEP[action]
        version = PlanVersion.objects.get(pk=fields["version"], plan=plan)
        setattr(version, f"approved_{side}_at", at)
        version.signatories = [s for s in version.signatories if s.get("side") != side] + [
            {"side": side, "name": fields["signatory"], "title": fields["signatory_title"],
             "approved_by": fields["approved_by"]}]
        if all(getattr(version, f"approved_{s}_at") for s in plan.sides) and version.signed_at is None:
            version.signed_at = at
            plan.state = S.SIGNED
            plan.current_version = plan.signed_version = version
            plan.signed_on = timezone.localtime(at).date()
            plan.signatories = version.signatories
            sync_items(plan, version)
        version.save()
    elif action in PROGRESS.values():
        item = Item.objects.get(pk=fields["item"], plan=plan)
        item.status = fields["status"]
        if fields["value"]:
            item.reported_value = Decimal(fields["value"])
        item.save(update_fields=["status", "reported_value"])


def audit(plan: Plan, action: str, from_state: str, checked: workflow.Checked, peer_node: str) -> tuple[str, dict]:
    data: dict[str, Any] = {"from_node": peer_node} if peer_node else {}
    if action in VERSION_STEPS:
        data["version"] = checked.data["version"]["number"]
    elif action in PROGRESS.values():
        data["item"] = checked.data["item"]
    return f"plans.plan.{action}", data


def store_attachments(event: PlanEvent, files: list[Any]) -> None:
    from borderlink.exchange.attachments import store

    for checked in files:
        PlanAttachment.objects.create(event=event, filename=checked.filename, content_type=checked.content_type,
                                      size=checked.size, sha256=checked.sha256, storage_name=store(checked))


def record_progress(event: PlanEvent) -> None:
    """The progress row of a progress step (called after the event exists, on both nodes)."""
    data = event.data
    if event.action in PROGRESS.values() and data.get("item"):
        item = Item.objects.filter(pk=data["item"], plan_id=event.plan_id).first()
        if item is not None:
            Progress.objects.get_or_create(event=event, defaults={
                "item": item, "side": event.side, "at": event.at, "status": data["status"],
                "value": Decimal(data["value"]) if data.get("value") else None, "note": data.get("note", ""),
                "actor_name": event.actor_name})


def event_payload(event: PlanEvent) -> dict[str, Any]:
    import base64

    from borderlink.exchange.attachments import storage_path

    return {"id": str(event.pk), "at": event.at.isoformat(), "action": event.action, "side": event.side,
            "from_state": event.from_state, "actor_name": event.actor_name, "actor_unit": event.actor_unit,
            "text": event.text, "data": event.data,
            "attachments": [{"filename": a.filename,
                             "content_base64": base64.b64encode(storage_path(a.storage_name).read_bytes()).decode("ascii")}
                            for a in event.attachments.all()]}


def not_possible(plan: Plan, action: str) -> str:
    if action in AMEND.values():
        return _("Only a signed plan is amended.")
    if action in APPROVE.values() or action in NEW_VERSION.values():
        return _("The plan is signed: propose an amendment instead.")
    return _("This step is not possible now.")


PLAN = workflow.Workflow(
    object_type="plan", name="plans.plan", model=Plan, event_model=PlanEvent, parent_field="plan",
    owner_side=PROPOSING, steps=STEPS, crossings=CROSSINGS,
    side_of=access.side_of, country_of=country_of, recipients=recipients, change=change, validate=validate,
    audit=audit, not_possible=not_possible, store_attachments=store_attachments,
    envelope_kind="plans.plan.event", object_key="plan", event_payload=event_payload, sides=(PROPOSING, PARTNER, THIRD),
    relayed=True,
)
