"""The toy's whole workflow: a table and a few functions (docs/workflows.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from borderlink import workflow
from borderlink.workflow import Step
from tests.toyflow.models import Thing, ThingEvent

ASKER, HELPER = "asker", "helper"
STEPS = {
    "noted": Step(ASKER, ("asked", "acknowledged"), local=True),  # a note the asking country keeps at home
    "acknowledged": Step(HELPER, ("asked",), "acknowledged"),
    "withdrawn": Step(ASKER, ("asked", "acknowledged"), "withdrawn"),
    "done": Step(HELPER, ("acknowledged",), "done"),
}
# A withdrawal prevails over what the helper did meanwhile.
CROSSINGS = {("acknowledged", "withdrawn"): "withdrawn", ("done", "withdrawn"): "withdrawn"}


def side_of(user: Any, thing: Thing) -> str | None:
    country = user.unit.country_id if getattr(user, "unit_id", None) else None
    return ASKER if country == thing.asker_country else HELPER if country == thing.helper_country else None


def country_of(thing: Thing, side: str) -> str:
    return thing.asker_country if side in (ASKER, workflow.SYSTEM) else thing.helper_country


def change(thing: Thing, action: str, at: datetime.datetime, fields: dict[str, Any]) -> None:
    if action == "done":
        thing.done_at = at


def validate(thing: Thing, action: str, facts: workflow.Facts, at: datetime.datetime) -> workflow.Checked:
    if len(facts.text) > 500:
        raise ValidationError({"text": ["At most 500 characters."]})
    return workflow.Checked(text=facts.text.strip())


def event_payload(event: ThingEvent) -> dict[str, Any]:
    return {"id": str(event.pk), "at": event.at.isoformat(), "action": event.action, "side": event.side,
            "from_state": event.from_state, "actor_name": event.actor_name, "actor_unit": event.actor_unit,
            "text": event.text}


TOY = workflow.Workflow(
    name="toy.thing", object_type="thing", model=Thing, event_model=ThingEvent, parent_field="thing",
    sides=(ASKER, HELPER), owner_side=ASKER, steps=STEPS, crossings=CROSSINGS, side_of=side_of, country_of=country_of,
    change=change, validate=validate, envelope_kind="toy.event", object_key="thing", event_payload=event_payload,
)


def ask(user: Any, helper_country: str, note: str) -> Thing:
    """The one toy-specific service: create a thing and send it (the object's own envelope)."""
    from django.db import transaction

    from borderlink.federation import outbox

    with transaction.atomic():
        thing = Thing.objects.create(asker_country=user.unit.country_id, helper_country=helper_country, note=note)
        asked = workflow.add_event(TOY, thing, "asked", ASKER, actor=user)
        outbox.enqueue(helper_country, "toy.opened", thing.pk, {"id": str(thing.pk), "note": note,
                                                                 "asker_country": thing.asker_country,
                                                                 "helper_country": helper_country,
                                                                 "asked": event_payload(asked)})
    return thing
