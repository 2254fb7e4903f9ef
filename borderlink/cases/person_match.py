"""Cross-referencing persons through the name engine (issue 15), incremental: one object at a time, in the worker.

Three ways in, each a worker task queued after the commit that wrote the object:
- a person entity enters a case (`correlation.correlate`): its person's names are searched among every person
  this node holds (the "persons" name index: notice subjects, persons in custody, person entities of other
  cases, copies other countries shared with this node) and among the persons named in requests for assistance
  (the request-name index below);
- a notice or a custody record holds a person (`match_person`): that person is searched the same way, and each
  person entity of a case it matches gets it as a candidate (so the match shows on both objects whichever was
  written first);
- a request for assistance names a person (`index_request_name`): the name is searched among the persons this
  node holds, and each person entity of a case it matches gets the request as a candidate (`RequestPerson`).

A match is kept when the dates of birth do not contradict (years within one; full dates equal when both are
known) or when an identity document number is the same. Every match is a candidate until an investigator
confirms it (audited, reversible). At most CANDIDATES_PER_PERSON per object. A recorded trafficking victim is
never offered as another object's candidate. Another country's private items never reach this node, so they
can never be matched; what a user is shown is limited to the entities, notices, custody records and requests
the user may see (`correlation.visible_candidates`, `visible_request_persons`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from borderlink.cases.models import Entity, EntityKind, RequestName, RequestPerson, SamePerson

CANDIDATES_PER_PERSON = 50


@dataclass(frozen=True)
class Match:
    person: Any
    score: float
    reasons: tuple[str, ...]


def births_agree(a: Any, b: Any) -> bool:
    """Dates of birth that do not contradict: unknown on either side, years at most one apart, and the same
    full date when both are known in full."""
    if not a.birth_year or not b.birth_year:
        return True
    if abs(a.birth_year - b.birth_year) > 1:
        return False
    full_a = (a.birth_year, a.birth_month, a.birth_day)
    full_b = (b.birth_year, b.birth_month, b.birth_day)
    return not (all(full_a) and all(full_b) and full_a != full_b)


def matching_persons(person: Any, limit: int = CANDIDATES_PER_PERSON) -> list[Match]:
    """The persons this node holds that the name engine matches with `person` (any of its names) and whose
    dates of birth agree, or who hold one of its document numbers. Never the person itself, never a recorded
    trafficking victim. Bounded: at most `limit` name hits per name and `limit` results."""
    from borderlink.names import MATCH_THRESHOLD
    from borderlink.persons import name_index
    from borderlink.persons.models import Person

    best: dict[str, float] = {}
    for name in person.names.all()[:10]:
        for hit in name_index.search(name.name, limit=limit, scope="persons"):
            if hit.score >= MATCH_THRESHOLD and hit.ref != str(person.pk):
                best[hit.ref] = max(best.get(hit.ref, 0.0), hit.score)
    numbers = [n for n in person.documents.values_list("number_normalised", flat=True)[:20] if n]
    by_document: set[str] = set()
    if numbers:
        by_document = {str(p) for p in Person.objects.filter(documents__number_normalised__in=numbers).exclude(
            pk=person.pk).values_list("pk", flat=True)[:limit]}
    out: list[Match] = []
    others = Person.objects.filter(pk__in=sorted(set(best) | by_document)).exclude(is_trafficking_victim=True)
    for other in others.order_by("pk"):
        key = str(other.pk)
        if key in by_document:
            reasons = ("document", "name") if key in best else ("document",)
        elif births_agree(person, other):
            reasons = ("name",)
        else:
            continue
        out.append(Match(other, best.get(key, 1.0), reasons))
    out.sort(key=lambda m: (-m.score, str(m.person.pk)))
    return out[:limit]


def offer_to_case_entities(person: Any, matches: list[Match], except_entity: Any = None) -> int:
    """`person` becomes a same-person candidate of each case's person entity whose person is among `matches`
    (the other direction of a match, so that it shows on both objects). Not for a recorded victim."""
    if person.is_trafficking_victim or not matches:
        return 0
    scores = {m.person.pk: m for m in matches}
    entities = (Entity.objects.filter(kind=EntityKind.PERSON, person_id__in=list(scores)).exclude(person_id=person.pk)
                .exclude(pk=except_entity).order_by("pk")[:CANDIDATES_PER_PERSON])
    added = 0
    for entity in entities:
        match = scores[entity.person_id]
        _, created = SamePerson.objects.get_or_create(entity=entity, person=person,
                                                      defaults={"score": match.score, "reasons": list(match.reasons)})
        added += created
    return added


def match_person(person_id: Any) -> int:
    """The worker's step after a notice or a custody record is written with its person: that person is offered
    as a candidate to each case's person entity it matches. Returns how many candidates were added."""
    from borderlink.persons.models import Person

    person = Person.objects.filter(pk=person_id).first()
    if person is None or person.is_trafficking_victim:
        return 0
    with transaction.atomic():
        return offer_to_case_entities(person, matching_persons(person))


# --- the persons named in requests for assistance ---------------------------------------------------------------------

_lock = threading.RLock()
_index: Any = None
_last = 0


def reset() -> None:
    """Forget the request-name index (tests, and after a restore of the database)."""
    global _index, _last
    with _lock:
        _index, _last = None, 0


def _current_index() -> Any:
    """The process's index of request names: built on first use, then brought up to date from the rows written
    since (a changed name is a new row: the request's old name is removed, the new one added)."""
    from borderlink.names import NameIndex

    global _index, _last
    if _index is None:
        _index, _last = NameIndex(), 0
    rows = RequestName.objects.filter(id__gt=_last).order_by("id").values_list("id", "request_id", "name")
    for row_id, request_id, name in rows.iterator(chunk_size=20_000):
        _index.remove(str(request_id))
        if name:
            _index.add(str(request_id), name)
        _last = row_id
    return _index


def search_request_names(name: str, limit: int = CANDIDATES_PER_PERSON) -> list[tuple[str, float]]:
    """(request id, score) of the requests whose person's name the name engine matches with `name`."""
    from borderlink.names import MATCH_THRESHOLD

    with _lock:
        hits = _current_index().search(name, limit=limit)
    return [(hit.ref, hit.score) for hit in hits if hit.score >= MATCH_THRESHOLD]


def request_candidates(entity: Entity) -> int:
    """A case's person entity entered: the requests naming a person the name engine matches with it become its
    candidates. Returns how many it has."""
    person = entity.person
    if person is None or person.is_trafficking_victim:
        return 0
    best: dict[str, float] = {}
    for name in person.names.all()[:10]:
        for request_id, score in search_request_names(name.name):
            best[request_id] = max(best.get(request_id, 0.0), score)
    if not best:
        return 0
    live = set(RequestName.objects.filter(request_id__in=list(best)).exclude(name="").values_list("request_id", flat=True))
    kept = 0
    for request_id, score in sorted(best.items(), key=lambda kv: (-kv[1], kv[0])):
        if kept >= CANDIDATES_PER_PERSON:
            break
        if any(str(pk) == request_id for pk in live):
            RequestPerson.objects.get_or_create(entity=entity, request_id=request_id, defaults={"score": score})
            kept += 1
    return kept


def index_request_name(request_id: Any) -> int:
    """The worker's step after a request is saved: its person's name is kept for the request-name index (a new
    row when it changed), and matched with the persons of the cases this node holds (`RequestPerson`
    candidates; a changed name drops the candidates no one decided yet). Returns the candidates added."""
    from borderlink.assistance.models import Request
    from borderlink.names import MATCH_THRESHOLD
    from borderlink.persons import name_index

    req = Request.objects.filter(pk=request_id).only("pk", "person_name").first()
    if req is None:
        return 0
    name = (req.person_name or "").strip()[:200]
    row = RequestName.objects.filter(request=req).first()
    if row is not None and row.name == name:
        return 0
    with transaction.atomic():
        if row is not None:
            row.delete()
            RequestPerson.objects.filter(request=req, state="candidate").delete()
        RequestName.objects.create(request=req, name=name)
        if not name:
            return 0
        scores: dict[str, float] = {}
        for hit in name_index.search(name, limit=CANDIDATES_PER_PERSON, scope="persons"):
            if hit.score >= MATCH_THRESHOLD:
                scores[hit.ref] = hit.score
        entities = (Entity.objects.filter(kind=EntityKind.PERSON, person_id__in=list(scores))
                    .exclude(Q(person__is_trafficking_victim=True)).order_by("pk")[:CANDIDATES_PER_PERSON])
        added = 0
        for entity in entities:
            _, created = RequestPerson.objects.get_or_create(entity=entity, request=req,
                                                             defaults={"score": scores[str(entity.person_id)]})
            added += created
    return added
