"""Searching notices by the subject's name in any script or spelling, or by document number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from borderlink.names import explain
from borderlink.notices.access import visible_notices
from borderlink.notices.explain_labels import localise
from borderlink.notices.models import Notice
from borderlink.persons import name_index
from borderlink.persons.models import normalise_document_number, primary_names

NAME_CANDIDATES = 60
# The fields a result shows (page and API).
RESULT_FIELDS = (
    "id", "kind", "offence", "state", "subject_id", "issuing_unit_id",
    "subject__id", "subject__birth_year", "subject__birth_month", "subject__birth_day",
    "issuing_unit__id", "issuing_unit__code", "issuing_unit__country_id",
    "issuing_unit__name_en", "issuing_unit__name_vi", "issuing_unit__name_lo", "issuing_unit__name_km",
)


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


def search_notices(
    user: Any, query: str, filters: SearchFilters, document: str = "", birth_year: int | None = None, limit: int = 50
) -> list[Result]:
    """Visible notices whose subject's name matches `query` (best first) or who holds `document`."""
    query = (query or "").strip()
    number = normalise_document_number(document)
    if not query and not number:
        return []
    scores: dict[str, tuple[float, str]] = {}
    if query:
        for hit in name_index.search(query, limit=NAME_CANDIDATES):
            scores[hit.ref] = (hit.score, hit.name)
    scope = Q(subject_id__in=list(scores)) if scores else Q(pk__in=[])
    if number:
        scope |= Q(subject__documents__number_normalised=number)
    # First the ids (cheap), ranked; then full rows only for what will be shown.
    rows = list(_filter(visible_notices(user).filter(scope), filters).values_list("pk", "subject_id").distinct()[:500])
    with_document: set[Any] = set()
    if number:
        with_document = set(
            visible_notices(user).filter(subject__documents__number_normalised=number).values_list("pk", flat=True)
        )
    ranked = sorted(
        rows, key=lambda row: -(1.0 if row[0] in with_document else scores.get(str(row[1]), (0.0, ""))[0])
    )[:limit]
    # Only what a result shows (kind, offence, state, subject's birth, issuing unit); the subjects'
    # names in one plain query (a prefetch builds a model instance per name).
    notices = Notice.objects.filter(pk__in=[pk for pk, _ in ranked]).select_related("subject", "issuing_unit").only(
        *RESULT_FIELDS
    ).in_bulk()
    names = primary_names({subject_id for _, subject_id in ranked})
    results = []
    for pk, subject_id in ranked:
        notice = notices[pk]
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
