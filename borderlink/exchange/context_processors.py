"""The counts in the navigation: unread messages, and messages awaiting the supervisor's approval.

Every page shows them, so each process keeps a user's counts for a few
seconds instead of counting on every request. Saving a message or a recipient
row in this process forgets the kept counts of the unit it concerns, so a
reader's own actions (opening, approving) show at once; what other processes
change shows within COUNTS_SECONDS.

Both counts are per unit (queries.unread_count: the unit's recipient rows;
queries.awaiting_approval: the messages its unit sends), so a recipient row
saved forgets its unit's counts and a message saved its sender unit's; other
units' kept counts stay (issue 19: before, every message opened for the first
time made every user of the process count again).
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from borderlink.exchange import queries

COUNTS_SECONDS = 15.0

_kept: dict[tuple[Any, ...], tuple[float, tuple[int, int], dict[str, int]]] = {}
# Per unit id, and for all units: only ever incremented when counts are forgotten. A count is stored with the
# generation read before counting, so one computed while a save happened is not used afterwards.
_generations: dict[Any, int] = {}
_all_units = 0


def forget_counts(sender: Any = None, instance: Any = None, **kwargs: Any) -> None:
    """Signal receiver (post_save of Message and MessageRecipient): the kept counts of the unit the saved row
    concerns are out of date (a recipient row: its `unit_id`; a message: its `sender_unit_id`); a row naming
    neither forgets every unit's."""
    global _all_units
    units = [u for u in (getattr(instance, "unit_id", None), getattr(instance, "sender_unit_id", None)) if u is not None]
    if not units:
        _all_units += 1
        _kept.clear()
        return
    for unit in units:
        _generations[unit] = _generations.get(unit, 0) + 1


def counts(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can_exchange:
        return {}
    supervisor = bool(user.is_supervisor)
    # date_joined: a new account that reuses a deleted one's id never sees its counts
    key = (user.pk, user.date_joined, user.unit_id, supervisor)
    now = time.monotonic()
    kept = _kept.get(key)
    generation = (_all_units, _generations.get(user.unit_id, 0))
    if kept is not None and kept[0] > now and kept[1] == generation:
        return kept[2]
    value = {
        "unread_count": queries.unread_count(user),
        "pending_count": queries.awaiting_approval(user).count() if supervisor else 0,
    }
    _kept[key] = (now + COUNTS_SECONDS, generation, value)
    return value
