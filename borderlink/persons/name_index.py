"""The process's name index over every recorded person name.

Built from the database when a web process or the worker starts, and kept
current from the IndexChange log: every change to a person's names writes a
row in the same transaction, and each process replays the rows it has not
seen before it searches. Works the same with one process or many.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Iterable

from borderlink.names import NameIndex

log = logging.getLogger(__name__)

_lock = threading.Lock()
_index: NameIndex | None = None
_last_change = 0


def _load_names(index: NameIndex, person_ids: Iterable[uuid.UUID] | None = None) -> int:
    from borderlink.persons.models import PersonName

    qs = PersonName.objects.order_by().values_list("person_id", "name")
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    count = 0
    for person_id, name in qs.iterator(chunk_size=20_000):
        index.add(str(person_id), name)
        count += 1
    return count


def _build() -> None:
    from borderlink.persons.models import IndexChange

    global _index, _last_change
    started = time.monotonic()
    # Read the log position first: changes made while loading are replayed afterwards.
    last = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    index = NameIndex()
    count = _load_names(index)
    _index, _last_change = index, last
    log.info("name index built: %d names in %.1f s", count, time.monotonic() - started)


def _catch_up() -> None:
    from borderlink.persons.models import IndexChange

    global _last_change
    assert _index is not None
    changes = list(IndexChange.objects.filter(id__gt=_last_change).order_by("id").values_list("id", "person_id")[:50_000])
    if not changes:
        return
    people = {person_id for _id, person_id in changes}
    for person_id in people:
        _index.remove(str(person_id))
    _load_names(_index, people)
    _last_change = changes[-1][0]


def get_index() -> NameIndex:
    """The current index (built on first use, then brought up to date)."""
    with _lock:
        if _index is None:
            _build()
        else:
            _catch_up()
        assert _index is not None
        return _index


def reset() -> None:
    """Forget the index (tests, and after a restore of the database)."""
    global _index, _last_change
    with _lock:
        _index, _last_change = None, 0


def mark_changed(person_id: uuid.UUID) -> None:
    """Record, in the caller's transaction, that a person's names changed."""
    from borderlink.persons.models import IndexChange

    IndexChange.objects.create(person_id=person_id)
