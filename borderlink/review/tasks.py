"""Background work of the review: building a file. Tasks take ids, never instances."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(report_id: str) -> str:
    """Build one year-end review file (see review.services.run_report)."""
    from borderlink.review.services import run_report

    return run_report(report_id)


@task()
def share_statistics() -> dict[str, list[str]]:
    """The daily sharing of this node's aggregate statistics with its plan partners
    (see review.services.share_with_plan_partners); {year: countries queued}."""
    from borderlink.review.services import share_with_plan_partners

    return {str(year): sent for year, sent in share_with_plan_partners().items()}
