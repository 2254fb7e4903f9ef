"""The custody notification's workflow, in one table: the detaining side (the node that recorded the arrest
or detention, which owns the record) and the receiving side (the ministry of the person's country). The
machinery is `borderlink.workflow`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.custody import access
from borderlink.custody.models import CustodyAction, CustodyEvent, CustodyRecord, CustodyState
from borderlink.workflow import Step

TEXT_MAX = 10_000
DETAINING, RECEIVING = access.DETAINING, access.RECEIVING
_OPEN = (CustodyState.NOTIFIED, CustodyState.ACKNOWLEDGED)

STEPS: dict[str, Step] = {
    CustodyAction.ACKNOWLEDGED: Step(RECEIVING, (CustodyState.NOTIFIED,), CustodyState.ACKNOWLEDGED),
    CustodyAction.CONSULAR_ACCESS_ASKED: Step(RECEIVING, _OPEN),
    CustodyAction.FACTS_ASKED: Step(RECEIVING, _OPEN),
    CustodyAction.FACTS_GIVEN: Step(DETAINING, _OPEN),
    CustodyAction.RELEASED: Step(DETAINING, _OPEN, CustodyState.RELEASED),
}
# steps whose text is required
NEEDS_TEXT = {CustodyAction.FACTS_ASKED, CustodyAction.FACTS_GIVEN, CustodyAction.RELEASED}
# A release prevails over whatever the person's country asked meanwhile: the question joins the timeline.
CROSSINGS: dict[tuple[str, str], str] = {
    (a, CustodyAction.RELEASED): CustodyAction.RELEASED
    for a in (CustodyAction.ACKNOWLEDGED, CustodyAction.CONSULAR_ACCESS_ASKED, CustodyAction.FACTS_ASKED)
}


def country_of(item: CustodyRecord, side: str) -> str:
    return item.detaining_unit.country_id if side == DETAINING else item.nationality_id


def change(item: CustodyRecord, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    if action == CustodyAction.ACKNOWLEDGED:
        item.acknowledged_at = at


def validate(item: CustodyRecord, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    """The step's text: required for asking or giving facts and for a release, at most TEXT_MAX characters
    (a person's step and a peer's alike)."""
    text = (facts.text or "").strip()
    if action in NEEDS_TEXT and not text:
        raise ValidationError({"text": [_("This field is required.")]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": TEXT_MAX}]})
    return workflow.Checked(text=text)


def audit(item: CustodyRecord, action: str, from_state: str, checked: workflow.Checked, peer_node: str) -> tuple[str, dict]:
    return f"custody.record.{action}", {"from_node": peer_node} if peer_node else {}


def event_payload(event: CustodyEvent) -> dict[str, Any]:
    from borderlink.custody.federation import _event_payload

    return _event_payload(event)


CUSTODY = workflow.Workflow(
    object_type="custody", name="custody.record", model=CustodyRecord, event_model=CustodyEvent, parent_field="record",
    sides=(DETAINING, RECEIVING), owner_side=DETAINING, steps=STEPS, crossings=CROSSINGS,
    side_of=access.side_of, country_of=country_of, change=change, validate=validate, audit=audit,
    not_possible=lambda item, action: _("This step is not possible now."),
    envelope_kind="custody.event", object_key="record", event_payload=event_payload, steps_max=100,
)
