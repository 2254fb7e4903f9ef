"""The pieces every payload schema is built from, and the time windows a peer's dates must fall in.

A peer node is authenticated, not trusted (DESIGN.md, safeguard 14). Each app's
`federation.py` declares its payloads with these: known fields only
(`extra="forbid"`), exact JSON types (payloads are validated in pydantic's
strict JSON mode, see `parse_payload`), strings with the model's lengths,
choices from the model's lists, lists bounded by the domain (three member
countries, the local attachment limit), references by id or code that the
receiving app looks up with fixed fields. Nothing a peer sends becomes a query
lookup, a field name, an ordering or a path.
"""

from __future__ import annotations

import datetime
import json
from typing import Annotated, Any, Literal, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints

from borderlink.core import clock
from borderlink.core.text import BIDI_CONTROLS

COUNTRIES = ("VN", "LA", "KH")
Country = Literal["VN", "LA", "KH"]
# Unit codes, node ids and such: short, printable, no spaces.
Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]
NodeId = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9._-]+$")]
Moment = AwareDatetime
# base64 of a file no larger than the local attachment limit (checked again, decoded, by check_file)
Base64 = Annotated[str, StringConstraints(min_length=4, max_length=4 * (settings.ATTACHMENT_MAX_BYTES // 3 + 1),
                                          pattern=r"^[A-Za-z0-9+/]*={0,2}$")]


def text(max_length: int, min_length: int = 0) -> Any:
    """A string type of at most `max_length` characters (the model field's length)."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length)]


class Strict(BaseModel):
    """A payload or a part of one: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class AttachmentPayload(Strict):
    filename: text(200, 1)  # type: ignore[valid-type]
    content_base64: Base64


M = TypeVar("M", bound=BaseModel)


def _without_bidi(value: Any) -> Any:
    """`value` with bidirectional text controls removed from every string (keys too): a peer's text is shown as it
    is stored, as a person's own input is (core.middleware refuses them there)."""
    if isinstance(value, str):
        return BIDI_CONTROLS.sub("", value)
    if isinstance(value, dict):
        return {_without_bidi(k): _without_bidi(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_bidi(v) for v in value]
    return value


def parse_payload(schema: type[M], payload: Any) -> M:
    """Validate a payload (already parsed from JSON) in strict JSON mode: a string is not a number,
    a number is not a date, a date without a time zone is refused; bidi controls are removed from its text.
    Raises pydantic's ValidationError."""
    return schema.model_validate_json(json.dumps(_without_bidi(payload), ensure_ascii=False), strict=True)


# --- time windows ------------------------------------------------------------------------------------------


def skew() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.FEDERATION_CLOCK_SKEW_SECONDS)


def check_moment(value: datetime.datetime | None, name: str, *, not_after: datetime.datetime | None = None,
                 not_before: datetime.datetime | None = None) -> None:
    """Refuse a peer's time outside [not_before, not_after] (ValidationError naming the field)."""
    if value is None:
        return
    if not_after is not None and value > not_after:
        raise ValidationError(f"{name} {value.isoformat()} is after {not_after.isoformat()}")
    if not_before is not None and value < not_before:
        raise ValidationError(f"{name} {value.isoformat()} is before {not_before.isoformat()}")


def past_moment(value: datetime.datetime | None, name: str, years_back: int = 10) -> None:
    """A time a peer says something happened: not in the future of this node's clock (beyond the
    clock window), nor more than `years_back` years ago."""
    now = clock.now()
    check_moment(value, name, not_after=now + skew(), not_before=now - datetime.timedelta(days=366 * years_back))


def future_moment(value: datetime.datetime | None, name: str, days_ahead: int = 366) -> None:
    """A deadline or a planned time: at most `days_ahead` days ahead (a deadline at most a year)."""
    now = clock.now()
    check_moment(value, name, not_after=now + datetime.timedelta(days=days_ahead),
                 not_before=now - datetime.timedelta(days=366 * 10))


def check_date(value: datetime.date | None, name: str, *, years_back: int = 100, years_ahead: int = 0) -> None:
    """A calendar date from a peer within [today - years_back, today + years_ahead]."""
    if value is None:
        return
    today = timezone.localdate()
    if value > today + datetime.timedelta(days=366 * years_ahead + 1) or value < today - datetime.timedelta(days=366 * years_back):
        raise ValidationError(f"{name} {value.isoformat()} is outside the window this node accepts")


def received_now() -> datetime.datetime:
    """This node's time for a step it receives (its own clock, the one its deadlines run on)."""
    return clock.now()


def bounded_json(value: Any, max_depth: int = 4, max_items: int = 50, max_text: int = 2000) -> bool:
    """Whether a small free-form JSON value (an explanation, say) stays within bounds."""
    stack = [(value, 0)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if depth > max_depth or count > max_items * 10:
            return False
        if isinstance(item, dict):
            if len(item) > max_items or any(not isinstance(k, str) or len(k) > 60 for k in item):
                return False
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if len(item) > max_items:
                return False
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and len(item) > max_text:
            return False
    return True


class LimitReached(Exception):
    """A per-object or per-peer limit an envelope would pass (say, steps on one request). The inbox
    quarantines the envelope, counts the limit and audits it the first time each day."""

    def __init__(self, what: str, detail: str) -> None:
        super().__init__(detail)
        self.what, self.detail = what, detail


def ensure_below(count: int, limit: int, what: str, detail: str) -> None:
    """Raise LimitReached when `count` items are already held and `limit` is the most allowed."""
    if count >= limit:
        raise LimitReached(what, f"{detail}: {count} held, at most {limit}")
