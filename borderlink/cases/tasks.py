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
