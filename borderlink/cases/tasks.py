"""Background work of the cases app. Tasks take ids, never instances."""

from __future__ import annotations

from django_tasks import task


@task()
def correlate_entity(entity_id: str) -> int:
    """Cross-reference one entity (on write, per object): see cases.correlation."""
    from borderlink.cases.correlation import correlate

    return correlate(entity_id)


@task()
def index_request(request_id: str) -> int:
    """Read a saved request's identifier for cross-referencing with cases: see cases.related."""
    from borderlink.cases.related import index_request as index

    return index(request_id)


@task()
def match_person(person_id: str) -> int:
    """Offer the person of a notice or a custody record to the cases' person entities it matches: see
    cases.person_match."""
    from borderlink.cases.person_match import match_person as match

    return match(person_id)


@task()
def index_request_name(request_id: str) -> int:
    """Match the person a saved request names with the cases' person entities: see cases.person_match."""
    from borderlink.cases.person_match import index_request_name as index

    return index(request_id)
