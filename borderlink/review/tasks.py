"""Background work of the review: building a file. Tasks take ids, never instances."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(report_id: str) -> str:
    """Build one year-end review file (see review.services.run_report)."""
    from borderlink.review.services import run_report

    return run_report(report_id)
