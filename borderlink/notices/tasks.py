"""Background work of the notices app. Tasks take ids, never instances."""

from __future__ import annotations

from django_tasks import task


@task()
def check_person_for_hits(person_id: str) -> int:
    from borderlink.notices.hits import check_person

    return len(check_person(person_id))


@task()
def check_notice_for_hits(notice_id: str) -> int:
    from borderlink.notices.hits import check_notice

    return len(check_notice(notice_id))


@task()
def review_overdue_notices() -> int:
    from borderlink.notices.services import suspend_overdue

    return len(suspend_overdue())
