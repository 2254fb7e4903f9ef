"""Envelope kinds: each owning app registers the schema of its payload, how to
apply it on the receiving node, and (optionally) what the sender does once the
receipt arrives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel


@dataclass
class Kind:
    schema: type[BaseModel]
    apply: Callable[[BaseModel, Any, dict[str, Any]], None]  # (payload, peer, envelope)
    delivered: Callable[[Any], None] | None = None  # (outbox envelope)


KINDS: dict[str, Kind] = {}


def register(name: str, schema: type[BaseModel], delivered: Callable[[Any], None] | None = None) -> Callable:
    def decorator(fn: Callable[[BaseModel, Any, dict[str, Any]], None]) -> Callable:
        KINDS[name] = Kind(schema, fn, delivered)
        return fn

    return decorator


def load() -> None:
    """Import the modules that register kinds."""
    import borderlink.assistance.federation  # noqa: F401
    import borderlink.custody.federation  # noqa: F401
    import borderlink.exchange.federation  # noqa: F401
    import borderlink.notices.federation  # noqa: F401
