"""Cross-referencing identifiers and persons, in storage linear in the identifiers.

On write, the worker takes one entity at a time (`correlate`, queued after the commit): nothing ever runs over
a whole case or collection, so a large import progresses entity by entity, visibly (`progress`), and a
restart loses nothing (an entity without `correlated_at` is still to do).

- Identifiers (phone, account, plate, wallet, online handle, document number) match exactly after
  normalisation. One `IdentifierValue` row per value holds how many objects carry it, counted up to
  COMMON_AFTER + 1: a value held by more objects is *common* (one row, shown as common, no objects listed).
  Pairs are never stored: a page finds the other holders of a value through the index on the objects.
  Administrators exclude values (`ExcludedValue`: a hotline number).
- Persons match through the name engine, with year of birth and documents: at most CANDIDATES_PER_PERSON
  candidates per person entity (`SamePerson`), each a candidate until an investigator confirms it.
- Private stays private: another country's private items never reach this node; what a user is shown is
  limited to the cases they take part in (shared items, and their own country's private ones) and the notices
  and custody records they may see (`correlations_for`).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from borderlink.cases import access
from borderlink.cases.models import (
    IDENTIFIER_KINDS,
    Entity,
    EntityKind,
    ExcludedValue,
    IdentifierValue,
    SamePerson,
    SamePersonState,
)
from borderlink.core import clock
from borderlink.core.prepared import PreparedIds

COMMON_AFTER = getattr(settings, "CASES_COMMON_AFTER", 50)
CANDIDATES_PER_PERSON = 50


def _holders(kind: str, qualifier: str, value: str) -> Any:
    return Entity.objects.filter(kind=kind, qualifier=qualifier, value=value)


def _document_holders(value: str) -> Any:
    from borderlink.persons.models import IdentityDocument

    return IdentityDocument.objects.filter(number_normalised=value)


def count_value(kind: str, qualifier: str, value: str) -> int:
    """How many objects on this node hold the value, counted up to COMMON_AFTER + 1 (bounded work)."""
    cap = COMMON_AFTER + 1
    n = _holders(kind, qualifier, value).values("pk")[:cap].count()
    if kind == EntityKind.DOCUMENT and n < cap:
        n += _document_holders(value).exclude(person__case_entities__isnull=False).values("pk")[: cap - n].count()
    return n


def _relaxed_commit() -> None:
    """On PostgreSQL, this transaction's commit does not wait for its WAL flush (`synchronous_commit = off`, for
    this transaction only): what it writes is derived and redone if lost (an entity whose `correlated_at` did
    not persist is picked up again by `resume_pending`). A crash can lose only the last moments of such
    commits, never corrupt or half-apply one (PostgreSQL manual, "Asynchronous Commit")."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def correlate(entity_id: Any) -> int:
    """Cross-reference one entity: update its value's row (count, common), or find candidate persons.
    Returns the number of objects sharing the value (capped), or of person candidates. One transaction, a
    handful of indexed statements: the value's row is locked while its holders are counted (bounded by
    COMMON_AFTER + 1), so that two writers of one value never leave a stale count."""
    from django.db.models import Exists, OuterRef

    excluded = ExcludedValue.objects.filter(kind=OuterRef("kind"), value=OuterRef("value"))
    entity = Entity.objects.select_related("person").annotate(excluded=Exists(excluded)).filter(pk=entity_id).first()
    if entity is None:
        return 0
    found = 0
    if entity.kind in IDENTIFIER_KINDS and entity.value and entity.kind != EntityKind.DOCUMENT:
        from django.db import connection

        if connection.vendor == "postgresql":
            return _correlate_postgresql(entity)
    if entity.kind in IDENTIFIER_KINDS and entity.value:
        with transaction.atomic():
            _relaxed_commit()
            if not entity.excluded:  # type: ignore[attr-defined]  # the annotation above
                key = {"kind": entity.kind, "qualifier": entity.qualifier, "value": entity.value}
                IdentifierValue.objects.bulk_create([IdentifierValue(**key)], ignore_conflicts=True)  # no savepoint
                row = IdentifierValue.objects.select_for_update().get(**key)
                found = count_value(entity.kind, entity.qualifier, entity.value)
                if row.holders != found or row.common != (found > COMMON_AFTER):
                    IdentifierValue.objects.filter(pk=row.pk).update(holders=found, common=found > COMMON_AFTER)
            Entity.objects.filter(pk=entity.pk).update(correlated_at=clock.now())
        return found
    if entity.kind == EntityKind.PERSON and entity.person_id:
        found = _person_candidates(entity)
    Entity.objects.filter(pk=entity.pk).update(correlated_at=clock.now())
    return found


_CORRELATE_SQL = """
SET LOCAL synchronous_commit TO OFF;
INSERT INTO cases_identifiervalue (kind, qualifier, value, holders, common, updated_at)
    VALUES (%(kind)s, %(qualifier)s, %(value)s, 0, false, %(now)s) ON CONFLICT DO NOTHING;
SELECT id FROM cases_identifiervalue WHERE kind = %(kind)s AND qualifier = %(qualifier)s AND value = %(value)s FOR UPDATE;
WITH counted AS (
    SELECT count(*) AS n FROM (SELECT 1 FROM cases_entity
                               WHERE kind = %(kind)s AND qualifier = %(qualifier)s AND value = %(value)s LIMIT %(cap)s) held
), entity AS (
    UPDATE cases_entity SET correlated_at = %(now)s WHERE id = %(id)s
), value_row AS (
    UPDATE cases_identifiervalue SET holders = counted.n, common = counted.n > %(after)s, updated_at = %(now)s FROM counted
    WHERE kind = %(kind)s AND qualifier = %(qualifier)s AND value = %(value)s
      AND (holders <> counted.n OR common <> (counted.n > %(after)s))
)
SELECT n FROM counted
"""

_EXCLUDED_SQL = "UPDATE cases_entity SET correlated_at = %(now)s WHERE id = %(id)s"


def _correlate_postgresql(entity: Entity) -> int:
    """`correlate` for an identifier on PostgreSQL in one round trip: the statements go together as one implicit
    transaction (the simple query protocol of a client-side binding cursor), each with its own snapshot, so the
    holders are counted after the value's row is locked, as the portable path does (two writers of one value never
    leave a stale count). The commit is relaxed as in `_relaxed_commit`."""
    from django.db import connection

    params: dict[str, Any] = {"kind": entity.kind, "qualifier": entity.qualifier, "value": entity.value, "now": clock.now(),
                              "id": entity.pk, "cap": COMMON_AFTER + 1, "after": COMMON_AFTER}
    excluded = bool(getattr(entity, "excluded", False))
    with connection.cursor() as cursor:  # no BEGIN/COMMIT round trips: the statements are one implicit transaction
        cursor.execute(_EXCLUDED_SQL if excluded else _CORRELATE_SQL, params)
        if excluded:
            return 0
        found = 0
        while True:  # the last statement's result: the number of holders (capped)
            if cursor.description is not None:
                row = cursor.fetchone()
                found = int(row[0]) if row else found
            if not cursor.nextset():
                break
    return found


def resume_pending(older_than: datetime.timedelta = datetime.timedelta(minutes=2), limit: int = 200) -> int:
    """Correlate entities still waiting (`correlated_at` empty) some minutes after they were written: a task
    lost with a crashed worker, or a relaxed commit lost with a crashed database. Bounded per call (the worker
    calls it every minute); returns how many were done."""
    waiting = Entity.objects.filter(correlated_at__isnull=True, created_at__lt=clock.now() - older_than).order_by(
        "created_at").values_list("pk", flat=True)[:limit]
    done = 0
    for pk in list(waiting):
        correlate(pk)
        done += 1
    return done


def _person_candidates(entity: Entity) -> int:
    """Name-engine matches of the entity's person among the persons this node holds, kept when the dates of
    birth do not contradict or a document number is the same (`person_match`); both ways: the person is also
    offered to the other cases' person entities it matches, and the requests naming a matching person become
    candidates too. Returns the number of same-person candidates of the entity."""
    from borderlink.cases import person_match

    person = entity.person
    if person is None:
        return 0
    matches = person_match.matching_persons(person, limit=CANDIDATES_PER_PERSON)
    with transaction.atomic():
        for match in matches:
            SamePerson.objects.get_or_create(entity=entity, person=match.person,
                                             defaults={"score": match.score, "reasons": list(match.reasons)})
        person_match.offer_to_case_entities(person, matches, except_entity=entity.pk)
        person_match.request_candidates(entity)
    return len(matches)


@dataclass
class Correlations:
    """What a user is shown for one entity: `common` (held by more than COMMON_AFTER objects: nothing listed),
    `excluded`, or the other holders the user may see."""

    common: bool = False
    excluded: bool = False
    entities: list[Entity] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)
    custody: list[Any] = field(default_factory=list)


def correlations_for(user: Any, entity: Entity) -> Correlations:
    """The entity's correlations as `user` may see them: other cases' entities in cases the user's unit takes
    part in (shared, or private to the user's country), notices and custody records the user may see."""
    out = Correlations()
    if entity.kind not in IDENTIFIER_KINDS or not entity.value:
        return out
    if ExcludedValue.objects.filter(kind=entity.kind, value=entity.value).exists():
        out.excluded = True
        return out
    row = IdentifierValue.objects.filter(kind=entity.kind, qualifier=entity.qualifier, value=entity.value).first()
    if row is not None and row.common:
        out.common = True
        return out
    cases = access.visible_cases(user).values("pk")
    others = _holders(entity.kind, entity.qualifier, entity.value).exclude(pk=entity.pk).filter(case__in=cases).filter(
        access.item_scope(user)).select_related("case")
    if not access.may_see_victims(user):
        others = others.exclude(person__is_trafficking_victim=True)
    out.entities = list(others[:COMMON_AFTER])
    if entity.kind == EntityKind.DOCUMENT:
        from borderlink.custody.access import visible_records
        from borderlink.notices.access import visible_notices

        persons = _document_holders(entity.value).values("person_id")
        out.notices = list(visible_notices(user).filter(subject_id__in=persons).select_related("issuing_unit")[:COMMON_AFTER])
        out.custody = list(visible_records(user).filter(person_id__in=persons)[:COMMON_AFTER])
    return out


def _shared_values(reader: Any, *values: str) -> Any:
    """The per-value rows of `values` held by more than one object, or common (`correlated_entity_ids`)."""
    return IdentifierValue.objects.filter(value__in=values).filter(Q(holders__gt=1) | Q(common=True)).values(
        "kind", "qualifier", "value", "common")


# fillers no identifier value holds (a normalised value has no control character), one per place up to 100 values
_VALUE_FILLERS = [f"\x1f{i}" for i in range(100)]
_SHARED_VALUES = PreparedIds("cases.marks.values", IdentifierValue, _shared_values, IdentifierValue._meta.get_field("value"),
                             (4, 16, 100), _VALUE_FILLERS)


def correlated_entity_ids(user: Any, entities: list[Any]) -> set[Any]:
    """The ids among `entities` that have at least one correlation the user may see: the same value in another
    case's visible item, or a document number held by a visible notice's subject (for marking pages and the graph).

    Bounded work: the per-value rows say first which values another object holds at all (`holders` > 1, not
    common); only those values (and values not cross-referenced yet) are looked up among the cases the user may
    see, so a case of 2,000 mostly unique identifiers costs two indexed queries, not a scan of its neighbours."""
    keyed = {(e.kind, e.qualifier, e.value): e.pk for e in entities if e.kind in IDENTIFIER_KINDS and e.value}
    if not keyed:
        return set()
    pending = {(e.kind, e.qualifier, e.value) for e in entities if getattr(e, "correlated_at", None) is None}
    # the rows of values held by more than one object, or common (a few, whatever the size of the case): a
    # fixed-shape statement for a page's values (issue 19), the ORM for more
    values = sorted({v for _k, _q, v in keyed})
    rows = _SHARED_VALUES.values(user, values)
    if rows is None:
        rows = list(_shared_values(user, *values))
    shared = {(r["kind"], r["qualifier"], r["value"]): r["common"] for r in rows}
    keyed = {key: pk for key, pk in keyed.items()
             if not shared.get(key, False) and (key in shared or key in pending or key[0] == EntityKind.DOCUMENT)}
    if not keyed:
        return set()
    marked: set[Any] = set()
    if access.may_use_cases(user):
        # per value, whether one other holder is in a case the user's unit takes part in (access.visible_cases) and
        # is an item the user may see: an EXISTS that stops at the first such holder (not every holder of the value
        # listed and made distinct: a value cross-referencing has not counted yet may be held thousands of times)
        from django.db.models import Exists, OuterRef

        from borderlink.cases.models import Participant

        taking_part = Participant.objects.filter(case_key=OuterRef("case_id"), unit_id=user.unit_id, state__in=access.TAKING_PART)
        elsewhere = (Entity.objects.filter(kind=OuterRef("kind"), qualifier=OuterRef("qualifier"), value=OuterRef("value"))
                     .exclude(case_id__in={e.case_id for e in entities}).filter(access.item_scope(user)).filter(Exists(taking_part)))
        ids = {str(pk): pk for pk in keyed.values()}  # the callers' ids as they gave them (the graph's are text)
        marked = {ids[str(pk)] for pk in Entity.objects.filter(pk__in=list(keyed.values())).filter(Exists(elsewhere))
                  .order_by().values_list("pk", flat=True)}
    documents = {value: pk for (kind, _q, value), pk in keyed.items() if kind == EntityKind.DOCUMENT}
    if documents:
        from borderlink.notices.access import visible_notices

        held = visible_notices(user).filter(subject__documents__number_normalised__in=list(documents)).values_list(
            "subject__documents__number_normalised", flat=True)
        marked |= {documents[v] for v in held if v in documents}
    return marked


def progress(entities: Any) -> tuple[int, int]:
    """(entities cross-referenced, entities) of a query of a case's entities (those a user may see: a count
    never includes what the user may not see): a large import shows how far the worker is. One query."""
    from django.db.models import Count

    counts = entities.aggregate(total=Count("pk"), waiting=Count("pk", filter=Q(correlated_at__isnull=True)))
    return counts["total"] - counts["waiting"], counts["total"]


def decide_same_person(user: Any, case_id: Any, candidate_id: int, state: str, request: Any = None) -> SamePerson:
    """An investigator confirms or rejects a candidate (or sets it back to candidate: reversible); audited.

    "Same person" is symmetric: when the candidate's person is itself a person entity of a case (A in one case
    matched with B in another), the mirror candidate (B matched with A) takes the same state in the same
    transaction, with its own audit event on its case, so both cases' pages say the same. Only a mirror the user
    may see is changed (`visible_mirrors`). Raises Http404 for a case or candidate outside the user's reach,
    ValidationError on `state` for anything but candidate, confirmed or rejected."""
    from django.core.exceptions import ValidationError
    from django.http import Http404
    from django.utils.translation import gettext as _

    from borderlink.audit.services import record

    case = access.get_case_for_user(user, case_id, request)
    candidate = visible_candidates(user, list(access.visible_entities(user, case).filter(kind=EntityKind.PERSON))).filter(
        pk=candidate_id).select_related("entity").first()
    if candidate is None:
        raise Http404("No such candidate.")
    if state not in SamePersonState.values:
        raise ValidationError({"state": [_("Choose a value from the list.")]})
    now = clock.now()
    with transaction.atomic():
        SamePerson.objects.filter(pk=candidate.pk).update(state=state, decided_by=user, decided_at=now)
        record(user, f"cases.same_person.{state}", object_type="case", object_id=case.pk,
               data={"entity": str(candidate.entity_id), "person": str(candidate.person_id), "score": round(candidate.score, 3)},
               request=request)
        for mirror in visible_mirrors(user, candidate):
            SamePerson.objects.filter(pk=mirror.pk).update(state=state, decided_by=user, decided_at=now)
            record(user, f"cases.same_person.{state}", object_type="case", object_id=mirror.entity.case_id,
                   data={"entity": str(mirror.entity_id), "person": str(mirror.person_id), "score": round(mirror.score, 3),
                         "mirror_of": candidate.pk}, request=request)
    candidate.refresh_from_db()
    return candidate


def visible_mirrors(user: Any, candidate: SamePerson) -> list[SamePerson]:
    """The same pair seen from the other side, as the user may see it: the candidates whose entity holds
    `candidate`'s person and whose person is the person of `candidate`'s entity (A matched with B, and B with A).
    Only candidates of entities the user may see (`access.entities_in_visible_cases`) whose other person the user
    may see (`visible_candidates`); bounded by CANDIDATES_PER_PERSON. [] when the candidate's person is not a case's
    person entity (a notice subject, a person in custody)."""
    entity_person = Entity.objects.filter(pk=candidate.entity_id).values_list("person_id", flat=True).first()
    if entity_person is None:
        return []
    entities = list(access.entities_in_visible_cases(user).filter(kind=EntityKind.PERSON, person_id=candidate.person_id)
                    .order_by("pk")[:CANDIDATES_PER_PERSON])
    if not entities:
        return []
    return list(visible_candidates(user, entities).filter(person_id=entity_person).exclude(pk=candidate.pk)
                .select_related("entity").order_by("pk"))


def visible_candidates(user: Any, entities: list[Any]) -> Any:
    """Same-person candidates of `entities` whose other person the user may see: a person recorded by the
    user's unit, the subject of a notice or the person of a custody record the user may see, or a person entity
    of a case the user takes part in (shared, or private to the user's country). The others are neither shown
    nor counted.

    Each condition is an EXISTS on the candidate's person (an index lookup per candidate row, at most
    CANDIDATES_PER_PERSON per entity), not a list of every person, notice, custody record and case entity the
    user may see: at 100,000 cases and 1,000,000 persons those lists cost the case page most of its database time.
    Those conditions are built only when the entities have a candidate at all (the candidates' persons are read
    first, by entity: building the conditions cost a case page about 5 ms of CPU, and most pages' persons have none).

    The person-entity condition is asked once for those persons, by value (`person_id IN (...)`, each an index
    probe), not as a fourth EXISTS per candidate: PostgreSQL estimates a correlated `person_id = <outer row>` from
    the column's number of distinct values, and where few persons are held by many entities (the benchmark's
    100,000 copies of one case, issue 19) it took the EXISTS to stop at once on a sequential scan, which read all
    1,000,000 entities for a candidate held by none (0.3-0.4 s per view for a unit whose visibility rule looks
    unselective, `vn.officer`). With values the planner estimates each one and takes the index."""
    from django.db.models import Exists, OuterRef

    from borderlink.cases.models import Participant
    from borderlink.custody.access import visible_records
    from borderlink.notices.access import visible_notices
    from borderlink.persons.access import visible_persons

    ids = [e.pk for e in entities if e.kind == EntityKind.PERSON]
    # the candidates' persons (at most CANDIDATES_PER_PERSON per entity, by the index on the entity): none, no rules
    held = sorted(set(SamePerson.objects.filter(entity__in=ids).values_list("person_id", flat=True))) if ids else []
    if not held:
        return SamePerson.objects.none()
    person = OuterRef("person_id")
    persons = (Q(Exists(visible_persons(user).filter(pk=person))) | Q(Exists(visible_notices(user).filter(subject_id=person)))
               | Q(Exists(visible_records(user).filter(person_id=person))))
    if access.may_use_cases(user):  # a person entity of a case the user's unit takes part in (access.visible_cases)
        taking_part = Participant.objects.filter(case_key=OuterRef("case_id"), unit_id=user.unit_id, state__in=access.TAKING_PART)
        in_cases = set(Entity.objects.filter(access.item_scope(user), person_id__in=held).filter(Exists(taking_part))
                       .order_by().values_list("person_id", flat=True).distinct())
        if in_cases:
            persons |= Q(person_id__in=sorted(in_cases))
    return SamePerson.objects.filter(entity__in=ids).filter(persons)


def _candidate_rows(reader: Any, *entity_ids: Any) -> Any:
    """The same-person candidate rows of the entities `entity_ids`, outside any rule (`_CANDIDATE_ROWS`)."""
    return SamePerson.objects.filter(entity__in=entity_ids).order_by("pk").values("pk", "entity_id", "person_id", "score", "state")


def _seen_persons(reader: Any, *person_ids: Any) -> Any:
    """Among `person_ids`, the persons `reader` may see by the first three rules of `visible_candidates` (recorded by
    the reader's unit, a notice's subject or a custody record's person the reader may see), each an EXISTS."""
    from django.db.models import Exists, OuterRef

    from borderlink.custody.access import visible_records
    from borderlink.notices.access import visible_notices
    from borderlink.persons.access import visible_persons
    from borderlink.persons.models import Person

    person = OuterRef("pk")
    return Person.objects.filter(pk__in=person_ids).filter(
        Q(Exists(visible_persons(reader).filter(pk=person))) | Q(Exists(visible_notices(reader).filter(subject_id=person)))
        | Q(Exists(visible_records(reader).filter(person_id=person)))).order_by().values("pk")


def _persons_in_cases(reader: Any, *person_ids: Any) -> Any:
    """Among `person_ids`, those held by a person entity of a case the reader's unit takes part in, which the reader
    may see (`access.item_scope`): the fourth rule of `visible_candidates`, asked by value."""
    from django.db.models import Exists, OuterRef

    from borderlink.cases.models import Participant

    taking_part = Participant.objects.filter(case_key=OuterRef("case_id"), unit_id=reader.unit_id, state__in=access.TAKING_PART)
    return (Entity.objects.filter(access.item_scope(reader), person_id__in=person_ids).filter(Exists(taking_part))
            .order_by().values("person_id").distinct())


def _person_names(reader: Any, *person_ids: Any) -> Any:
    """The names of `person_ids` in the order `Person.primary_name` reads them (by kind, then as stored)."""
    from borderlink.persons.models import PersonName

    return PersonName.objects.filter(person_id__in=person_ids).order_by("person_id", "kind", "id").values("person_id", "kind", "name")


# A case page's candidates (issue 19): four fixed-shape statements (core.prepared.PreparedIds), compiled once per
# process, reader shape and number of ids (padded with version-0 UUIDs, never an entity's or a person's id: uuid4),
# the rules still in the statements with this reader's values bound.
_FILLERS = [uuid.UUID(int=i + 1) for i in range(256)]
ENTITY_FILLERS = _FILLERS  # the same fillers for the page's other id lists (graph.page_links, the notes' files)
_ENTITY_SIZES = (4, 16, 100)  # a page's person entities: at most views.PAGE
_PERSON_SIZES = (4, 16, 64, 256)
_CANDIDATE_ROWS = PreparedIds("cases.candidates.rows", SamePerson, _candidate_rows, Entity._meta.pk, _ENTITY_SIZES, _FILLERS)
_SEEN_PERSONS = PreparedIds("cases.candidates.seen", SamePerson, _seen_persons, Entity._meta.pk, _PERSON_SIZES, _FILLERS)
_IN_CASES = PreparedIds("cases.candidates.in_cases", Entity, _persons_in_cases, Entity._meta.pk, _PERSON_SIZES, _FILLERS)
_NAMES = PreparedIds("cases.candidates.names", SamePerson, _person_names, Entity._meta.pk, _PERSON_SIZES, _FILLERS)


@dataclass
class PageCandidate:
    """A same-person candidate as the case page draws it: the row's id, entity, person, score and state, the
    entity's label and the person's primary name."""

    pk: int
    entity_id: Any
    person_id: Any
    score: float
    state: str
    label: str
    name: str


def page_candidates(user: Any, entities: list[Any], limit: int = 100) -> list[PageCandidate]:
    """The first `limit` (by id) of `visible_candidates(user, entities)`, with the entity's label (from `entities`)
    and the person's primary name, read through fixed-shape statements: the rows of the page's person entities (no
    rule: none, nothing more is read), then which of their persons the user may see (the first three rules in one
    statement; the fourth, a person entity of a case the user's unit takes part in, asked for the others only), then
    the names of the persons shown. Same rules as `visible_candidates`, evaluated on every call with this user's id,
    unit and country; more persons or entities than the statements' largest size go through `visible_candidates`."""
    labels = {e.pk: e.label for e in entities if e.kind == EntityKind.PERSON}
    ids = list(labels)
    if not ids:
        return []
    rows = _CANDIDATE_ROWS.values(user, ids)
    if rows is None:
        rows = [dict(r) for r in _candidate_rows(user, *ids)]
    if not rows:
        return []
    held = sorted({r["person_id"] for r in rows})
    seen = _SEEN_PERSONS.values(user, held)
    if seen is None:  # more persons than the largest size: the ORM's form of the same rule
        kept = visible_candidates(user, entities).order_by("pk").values("pk", "entity_id", "person_id", "score", "state")[:limit]
        shown = list(kept)
    else:
        visible = {r["pk"] for r in seen}
        rest = [p for p in held if p not in visible]
        if rest and access.may_use_cases(user):
            visible |= {r["person_id"] for r in _IN_CASES.values(user, rest) or []}
        shown = [r for r in rows if r["person_id"] in visible][:limit]
    if not shown:
        return []
    persons = sorted({r["person_id"] for r in shown})
    found = _NAMES.values(user, persons)
    if found is None:
        found = list(_person_names(user, *persons))
    grouped: dict[Any, list[tuple[str, str]]] = {}
    for r in found:
        grouped.setdefault(r["person_id"], []).append((r["kind"], r["name"]))
    from borderlink.persons.models import pick_primary_name

    return [PageCandidate(r["pk"], r["entity_id"], r["person_id"], r["score"], r["state"], labels.get(r["entity_id"], ""),
                          pick_primary_name(grouped.get(r["person_id"], ()))) for r in shown]


def common_values(pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Among (kind, value) pairs, those not to cross-reference: common (held by more than COMMON_AFTER objects,
    under any qualifier) or excluded by an administrator."""
    if not pairs:
        return set()
    values = sorted({value for _kind, value in pairs})
    wanted = set(pairs)
    common = set(IdentifierValue.objects.filter(value__in=values, common=True).values_list("kind", "value"))
    common |= set(ExcludedValue.objects.filter(value__in=values).values_list("kind", "value"))
    return common & wanted
