"""Searching notices by the subject's name in any script or spelling, or by document number."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import Q

from borderlink.core.models import Unit
from borderlink.core.prepared import PreparedIds
from borderlink.names import explain
from borderlink.notices.access import visible_notices
from borderlink.notices.explain_labels import localise
from borderlink.notices.models import Notice
from borderlink.persons import name_index
from borderlink.persons.models import Person, normalise_document_number, primary_names

NAME_CANDIDATES = 60
MAX_ROWS = 500  # candidate notices read per search
# The fields a result shows (page and API), read with values(): the notice's, its subject's, its issuing unit's.
_NOTICE_FIELDS = ["id", "kind", "offence", "state", "subject_id", "issuing_unit_id"]
_NOTICE_KEYS = ["pk", "kind", "offence", "state", "subject_id", "issuing_unit_id"]
_PERSON_FIELDS = ["id", "birth_year", "birth_month", "birth_day"]
_PERSON_KEYS = ["subject_id", "subject__birth_year", "subject__birth_month", "subject__birth_day"]
_UNIT_FIELDS = ["id", "code", "country_id", "name_en", "name_vi", "name_lo", "name_km"]
_UNIT_KEYS = ["issuing_unit_id", *(f"issuing_unit__{f}" for f in _UNIT_FIELDS[1:])]
RESULT_VALUES = tuple(dict.fromkeys(_NOTICE_KEYS + _PERSON_KEYS + _UNIT_KEYS))


@dataclass
class SearchFilters:
    nationality: str = ""
    sex: str = ""
    born_from: int | None = None
    born_to: int | None = None
    kind: str = ""
    state: str = ""
    offence: str = ""


@dataclass
class Result:
    notice: Notice
    score: float
    matched_name: str
    subject_name: str = ""  # as str(person): the primary name, or the id when there is none
    explanation: dict[str, Any] = field(default_factory=dict)
    birth_agrees: bool | None = None
    document_agrees: bool | None = None


def _filter(qs: Any, filters: SearchFilters) -> Any:
    if filters.nationality:
        qs = qs.filter(subject__nationalities__code=filters.nationality)
    if filters.sex:
        qs = qs.filter(subject__sex=filters.sex)
    if filters.born_from:
        qs = qs.filter(subject__birth_year__gte=filters.born_from)
    if filters.born_to:
        qs = qs.filter(subject__birth_year__lte=filters.born_to)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.offence:
        qs = qs.filter(offence=filters.offence)
    return qs


def _rows(reader: Any, *subject_ids: Any) -> Any:
    """The shown fields of the notices `reader` may see whose subject is among `subject_ids` (a name search without
    filters or document): `_NAME_ROWS` compiles it once per process and reader shape."""
    return visible_notices(reader).filter(subject_id__in=subject_ids).values(*RESULT_VALUES).distinct()[:MAX_ROWS]


# A name search without filters, the page's and the API's usual search, compiled once per process and reader shape
# (core.prepared; issue 19): the access rule still in the statement, bound with this reader's values; the candidates
# always NAME_CANDIDATES values (core.prepared.PreparedIds pads them with version-0 UUIDs: never a person's id, which
# is a uuid4, and a row they found would be dropped anyway), so that the statement's shape is fixed.
_NAME_ROWS = PreparedIds("notices.search", Notice, _rows, Notice._meta.get_field("subject"), [NAME_CANDIDATES],
                         [uuid.UUID(int=i + 1) for i in range(NAME_CANDIDATES)])


def _in_model_order(model: Any, fields: list[str], keys: list[str]) -> tuple[list[str], list[str]]:
    """`fields` and their `keys` in the model's field order (`Model.from_db` takes a part of the values so)."""
    order = [f.attname for f in model._meta.concrete_fields]
    pairs = sorted(zip(fields, keys, strict=True), key=lambda p: order.index(p[0]))
    return [f for f, _k in pairs], [k for _f, k in pairs]


_MODEL_READS = [(model, *_in_model_order(model, fields, keys)) for model, fields, keys in (
    (Notice, _NOTICE_FIELDS, _NOTICE_KEYS), (Person, _PERSON_FIELDS, _PERSON_KEYS), (Unit, _UNIT_FIELDS, _UNIT_KEYS))]


def _notice(row: dict[str, Any], alias: str) -> Notice:
    """A Notice with only the shown fields (the others deferred, as `only(...)` gave), its subject and issuing unit
    cached."""
    (_n, notice_fields, notice_keys), (_p, person_fields, person_keys), (_u, unit_fields, unit_keys) = _MODEL_READS
    notice = Notice.from_db(alias, notice_fields, [row[k] for k in notice_keys])
    notice.subject = Person.from_db(alias, person_fields, [row[k] for k in person_keys])
    notice.issuing_unit = Unit.from_db(alias, unit_fields, [row[k] for k in unit_keys])
    return notice


def search_notices(
    user: Any, query: str, filters: SearchFilters, document: str = "", birth_year: int | None = None, limit: int = 50
) -> list[Result]:
    """Visible notices whose subject's name matches `query` (best first) or who holds `document`.

    Statements: the notices' shown fields in one (prepared for a name search without filters or document), the
    subjects' names in one, and with a document the notices holding it in one more."""
    query = (query or "").strip()
    number = normalise_document_number(document)
    if not query and not number:
        return []
    scores: dict[str, tuple[float, str]] = {}
    if query:
        for hit in name_index.search(query, limit=NAME_CANDIDATES):
            scores[hit.ref] = (hit.score, hit.name)
    # The shown fields of every candidate notice in one statement (at most MAX_ROWS), ranked here.
    if scores and not number and filters == SearchFilters() and len(scores) <= NAME_CANDIDATES:
        ids = list(scores)
        found = _NAME_ROWS.values(user, ids) or []  # never None: at most NAME_CANDIDATES ids
        rows = [r for r in found if str(r["subject_id"]) in scores]
    else:
        scope = Q(subject_id__in=list(scores)) if scores else Q(pk__in=[])
        if number:
            scope |= Q(subject__documents__number_normalised=number)
        rows = list(_filter(visible_notices(user).filter(scope), filters).values(*RESULT_VALUES).distinct()[:MAX_ROWS])
    with_document: set[Any] = set()
    if number:
        with_document = set(
            visible_notices(user).filter(subject__documents__number_normalised=number).values_list("pk", flat=True)
        )
    ranked = sorted(
        rows, key=lambda row: -(1.0 if row["pk"] in with_document else scores.get(str(row["subject_id"]), (0.0, ""))[0])
    )[:limit]
    # The subjects' names in one plain query (a prefetch builds a model instance per name).
    names = primary_names({row["subject_id"] for row in ranked})
    alias = router.db_for_read(Notice)
    results = []
    for row in ranked:
        pk, subject_id = row["pk"], row["subject_id"]
        notice = _notice(row, alias)
        primary = names.get(subject_id, "")
        score, name = scores.get(str(subject_id), (0.0, primary))
        has_document = pk in with_document
        if has_document:
            score = max(score, 1.0)
        results.append(
            Result(
                notice=notice,
                score=score,
                matched_name=name,
                subject_name=primary or str(subject_id),
                birth_agrees=birth_agreement(notice, birth_year),
                document_agrees=has_document if number else None,
            )
        )
    results.sort(key=lambda r: -r.score)
    shown = results[:limit]
    if query:
        # Explanations cost as much as scoring: only for what is shown.
        for result in shown:
            if result.matched_name:
                result.explanation = localise(explain(query, result.matched_name).to_dict())
    return shown


def birth_agreement(notice: Notice, year: int | None) -> bool | None:
    if not year or not notice.subject.birth_year:
        return None
    return notice.subject.birth_year == year
