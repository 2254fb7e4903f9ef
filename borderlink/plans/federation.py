"""Cooperation plans across nodes: `plans.plan.opened` carries a new plan (with its first version) to the
partner's node (and a trilateral plan's third country); `plans.plan.event` carries each later step (comments,
versions, approvals, progress with its evidence) of any party to every other party's node, applied by `workflow.apply_peer_step` with the same table and
the same `validate` as a person's step. The payloads are strict: known fields only, exact types, bounded."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from pydantic import Field

from borderlink import workflow
from borderlink.core.models import Unit
from borderlink.exchange.attachments import decode_files
from borderlink.federation import outbox, schema
from borderlink.federation.node import hosts_country
from borderlink.federation.registry import register
from borderlink.federation.schema import AttachmentPayload, Code, Moment, Strict
from borderlink.plans.models import PROPOSING, Area, IndicatorKind, ItemStatus, Plan, PlanAction, PlanKind, PlanState
from borderlink.plans.workflow import ATTACHMENTS_MAX, ITEMS_MAX, PLAN, TEXT_MAX, event_payload, record_progress

Side = Literal["proposing", "partner", "third"]


class ItemPayload(Strict):
    id: uuid.UUID
    area: Area
    activity: schema.text(2000, 1)  # type: ignore[valid-type]
    lead_proposing: Code
    lead_partner: Code
    lead_third: Code | Literal[""] = ""  # a trilateral plan's third country
    owner_side: Side
    indicator: IndicatorKind
    parameter: int | None = Field(default=None, ge=1, le=365)
    target: schema.text(20) = ""  # type: ignore[valid-type]
    target_text: schema.text(300) = ""  # type: ignore[valid-type]
    due_date: datetime.date


class VersionPayload(Strict):
    id: uuid.UUID
    number: int = Field(ge=1, le=1000)
    reason: schema.text(TEXT_MAX) = ""  # type: ignore[valid-type]
    author_name: schema.text(200) = ""  # type: ignore[valid-type]
    items: list[ItemPayload] = Field(min_length=1, max_length=ITEMS_MAX)


class StepData(Strict):
    """The facts a step may carry; which ones a step carries is checked again by `plans.workflow.validate`."""

    version: VersionPayload | str | None = None  # a new version's content, or the id of the version approved
    signatory: schema.text(200) = ""  # type: ignore[valid-type]
    signatory_title: schema.text(200) = ""  # type: ignore[valid-type]
    approved_by: schema.text(200) = ""  # type: ignore[valid-type]
    item: uuid.UUID | None = None
    status: ItemStatus | None = None
    value: schema.text(20) = ""  # type: ignore[valid-type]
    note: schema.text(5000) = ""  # type: ignore[valid-type]


class EventPayload(Strict):
    id: uuid.UUID
    at: Moment
    action: PlanAction
    side: Side
    from_state: PlanState | Literal[""] = ""
    actor_name: schema.text(200) = ""  # type: ignore[valid-type]
    actor_unit: schema.text(60) = ""  # type: ignore[valid-type]
    text: schema.text(TEXT_MAX) = ""  # type: ignore[valid-type]
    data: StepData = Field(default_factory=StepData)
    attachments: list[AttachmentPayload] = Field(default_factory=list, max_length=ATTACHMENTS_MAX)


class PlanPayload(Strict):
    id: uuid.UUID
    reference: schema.text(40, 1)  # type: ignore[valid-type]
    kind: PlanKind
    year: int = Field(ge=2000, le=2100)
    title: schema.text(300, 1)  # type: ignore[valid-type]
    proposing_unit: Code
    partner_unit: Code
    third_country: Literal["VN", "LA", "KH", ""] = ""
    events: list[EventPayload] = Field(min_length=1, max_length=1)


class StepPayload(Strict):
    plan: uuid.UUID
    event: EventPayload


def _step_data(data: StepData) -> dict[str, Any]:
    """The step's facts as JSON again (typed and bounded by the schema), for `validate`."""
    clean = data.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if isinstance(data.version, str):
        clean["version"] = data.version
    return clean


def queue_opened(plan: Plan) -> int:
    """Send a new plan with its first version to the partner's node (and a third country's); returns how many
    envelopes left (none for a country hosted here)."""
    payload = {
        "id": str(plan.pk), "reference": plan.reference, "kind": plan.kind, "year": plan.year, "title": plan.title,
        "proposing_unit": plan.proposing_unit.code, "partner_unit": plan.partner_unit.code,
        "third_country": plan.third_country_id or "", "events": [event_payload(e) for e in plan.events.all()],
    }
    sent = 0
    for country in (plan.partner_unit.country_id, plan.third_country_id):
        if country and not hosts_country(country):
            sent += outbox.enqueue(country, "plans.plan.opened", plan.pk, payload) is not None
    return sent


@register("plans.plan.opened", PlanPayload)
def apply_opened(payload: PlanPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A plan proposed by another country's ministry: its first version checked as a local proposal would be."""
    if Plan.objects.filter(pk=payload.id).exists():
        return
    proposing = Unit.objects.filter(code=payload.proposing_unit, country_id=peer.country_id).first()
    partner = Unit.objects.filter(code=payload.partner_unit).exclude(country_id=peer.country_id).first()
    if proposing is None or partner is None:
        raise ValidationError("unknown unit")
    third = payload.third_country or None
    if not (hosts_country(partner.country_id) or (third and hosts_country(third))):
        raise ValidationError("neither the partner nor the third country is served here")
    if (payload.kind == PlanKind.TRILATERAL) != bool(third) or third in (peer.country_id, partner.country_id):
        raise ValidationError("a trilateral plan names the third country, a bilateral one none")
    event = payload.events[0]
    if event.action != PlanAction.PROPOSED or event.side != PROPOSING or event.attachments:
        raise ValidationError("a new plan carries only its proposal")
    plan = Plan.objects.create(id=payload.id, reference=payload.reference, origin_node=peer.node_id, kind=payload.kind,
                               year=payload.year, title=payload.title, proposing_unit=proposing, partner_unit=partner,
                               third_country_id=third)
    facts = workflow.Facts(text=event.text, data=_step_data(event.data))
    checked = PLAN.validate(plan, PlanAction.PROPOSED, facts, event.at) if PLAN.validate else workflow.Checked()
    workflow.record_step(PLAN, plan, PlanAction.PROPOSED, PROPOSING, checked, event.at, actor_name=event.actor_name,
                         actor_unit=event.actor_unit or "-", event_id=event.id, origin_node=peer.node_id, send=False,
                         audit=("plans.plan.received", {"from_node": peer.node_id}))


@register("plans.plan.event", StepPayload)
def apply_event(payload: StepPayload, peer: Any, envelope: dict[str, Any]) -> None:
    data = payload.event
    event = workflow.apply_peer_step(PLAN, payload.plan, workflow.Incoming(
        id=data.id, at=data.at, action=data.action, side=data.side, from_state=data.from_state,
        actor_name=data.actor_name, actor_unit=data.actor_unit, text=data.text, data=_step_data(data.data),
        attachments=decode_files(data.attachments, "evidence")), peer)
    if event is not None:
        record_progress(event)

