"""The process's name indexes.

Two scopes: "subjects" holds the names of persons who are the subject of a
notice (what searches and automatic hits compare against), "persons" every
recorded name (what a newly published notice is checked against; only the
worker loads it). Each is built from the database on first use (the web
process and the worker warm them at start) and kept current from the
IndexChange log: every change to a person's names, or to whether they are a
notice's subject, writes a row in the same transaction, and each process
replays the rows it has not seen before it searches.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any, Literal

from borderlink.names import NameIndex

log = logging.getLogger(__name__)

Scope = Literal["subjects", "persons"]
SCOPES: tuple[Scope, ...] = ("subjects", "persons")

CATCH_UP_BATCH = 50_000  # changes replayed per search at most
_lock = threading.RLock()
_indexes: dict[str, NameIndex] = {}
_last_change: dict[str, int] = {}


def _names(scope: str, person_ids: Iterable[uuid.UUID] | None = None):  # type: ignore[no-untyped-def]
    from borderlink.notices.models import Notice
    from borderlink.persons.models import PersonName

    qs = PersonName.objects.order_by().values_list("person_id", "name")
    if scope == "subjects":
        qs = qs.filter(person_id__in=Notice.objects.values("subject_id"))
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    return qs.iterator(chunk_size=20_000)


def _build(scope: str) -> None:
    from borderlink.persons.models import IndexChange

    started = time.monotonic()
    # Read the log position first: changes made while loading are replayed afterwards.
    last = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    index = NameIndex()
    count = 0
    for person_id, name in _names(scope):
        index.add(str(person_id), name)
        count += 1
    _indexes[scope], _last_change[scope] = index, last
    log.info("name index (%s) built: %d names in %.1f s", scope, count, time.monotonic() - started)


def _changes_after(_reader: Any, last: int) -> Any:
    from borderlink.persons.models import IndexChange

    return IndexChange.objects.filter(id__gt=last).order_by("id").values("id", "person_id")[:CATCH_UP_BATCH]


_CHANGES: Any = None  # the catch-up's read, compiled once per process (core.prepared; before every search: issue 19)


def _catch_up(scope: str) -> None:
    global _CHANGES
    from borderlink.core.prepared import Prepared
    from borderlink.persons.models import IndexChange

    if _CHANGES is None:
        _CHANGES = Prepared("persons.index_changes", IndexChange, _changes_after, args=[IndexChange._meta.pk])
    index = _indexes[scope]
    changes = [(row["id"], row["person_id"]) for row in _CHANGES.values(None, _last_change[scope])]
    if not changes:
        return
    people = {person_id for _id, person_id in changes}
    for person_id in people:
        index.remove(str(person_id))
    for person_id, name in _names(scope, people):
        index.add(str(person_id), name)
    _last_change[scope] = changes[-1][0]


def get_index(scope: Scope = "subjects") -> NameIndex:
    """The scope's current index (built on first use, then brought up to date)."""
    with _lock:
        if scope not in _indexes:
            _build(scope)
        else:
            _catch_up(scope)
        return _indexes[scope]


def search(query: str, limit: int = 10, scope: Scope = "subjects") -> list:
    """Search the scope's current index. NameIndex is not thread-safe (searches share scratch
    arrays and caches), so searches in one process take turns."""
    with _lock:
        if scope not in _indexes:
            _build(scope)
        else:
            _catch_up(scope)
        return _indexes[scope].search(query, limit=limit)


def reset() -> None:
    """Forget the indexes (tests, and after a restore of the database)."""
    with _lock:
        _indexes.clear()
        _last_change.clear()


def mark_changed(person_id: uuid.UUID) -> None:
    """Record, in the caller's transaction, that a person's names (or their being a subject) changed."""
    from borderlink.persons.models import IndexChange

    IndexChange.objects.create(person_id=person_id)
