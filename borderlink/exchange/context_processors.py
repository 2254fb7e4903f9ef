"""The counts in the navigation: unread messages, and messages awaiting the supervisor's approval.

Every page shows them, so each process keeps a user's counts for a few
seconds instead of counting on every request. Saving a message or a recipient
row in this process forgets all kept counts, so a reader's own actions (opening,
approving) show at once; what other processes change shows within
COUNTS_SECONDS.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from borderlink.exchange import queries

COUNTS_SECONDS = 15.0

_kept: dict[tuple[Any, ...], tuple[float, int, dict[str, int]]] = {}
_generation = 0


def forget_counts(**kwargs: Any) -> None:
    """Signal receiver (post_save of Message and MessageRecipient): kept counts are out of date."""
    global _generation
    _generation += 1
    _kept.clear()


def counts(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can_exchange:
        return {}
    supervisor = bool(user.is_supervisor)
    # date_joined: a new account that reuses a deleted one's id never sees its counts
    key = (user.pk, user.date_joined, user.unit_id, supervisor)
    now = time.monotonic()
    kept = _kept.get(key)
    if kept is not None and kept[0] > now and kept[1] == _generation:
        return kept[2]
    generation = _generation
    value = {
        "unread_count": queries.unread_count(user),
        "pending_count": queries.awaiting_approval(user).count() if supervisor else 0,
    }
    _kept[key] = (now + COUNTS_SECONDS, generation, value)
    return value
