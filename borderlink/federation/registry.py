"""Envelope kinds: each owning app registers the schema of its payload, how to
apply it on the receiving node, and (optionally) what the sender does once the
receipt arrives.

Apps register their kinds themselves, from their `AppConfig.ready()` (which
imports the app's `federation.py`), so this package imports no app: by the time
a request or the worker reaches the inbox, every kind is known."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


# Answerers of a peer's hit/no-hit search, by what they search: (peer, q, document, limit) -> (q, document,
# hits as references). The notices app registers "notices" (see search.answer_query).
SEARCH: dict[str, Callable[[Any, str, str, int], tuple[str, str, list[dict[str, Any]]]]] = {}
