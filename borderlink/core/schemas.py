"""The API's input schemas: a field the schema does not know is refused (422 naming it), not dropped in silence
(a typo such as `"priorty": "urgent"` would otherwise send the message as routine)."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InSchema(Schema):
    """Base of every request body's schema (and of the schemas nested in one)."""

    model_config = ConfigDict(extra="forbid")
