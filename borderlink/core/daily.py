"""Daily jobs, each run once a day by whichever worker claims it first."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q

log = logging.getLogger(__name__)


def _review_notices() -> None:
    from borderlink.notices.tasks import review_overdue_notices

    review_overdue_notices.enqueue()


def _share_review_statistics() -> None:
    from borderlink.review.tasks import share_statistics

    share_statistics.enqueue()


JOBS: dict[str, Callable[[], None]] = {"review_notices": _review_notices, "review_statistics": _share_review_statistics}


def run_due_jobs(today: datetime.date) -> list[str]:
    """Claim each job not yet run today with a conditional update, then run it."""
    from borderlink.notices.models import DailyRun

    done = []
    for name, job in JOBS.items():
        DailyRun.objects.get_or_create(job=name)
        with transaction.atomic():
            claimed = DailyRun.objects.filter(Q(last_day__isnull=True) | Q(last_day__lt=today), job=name).update(last_day=today)
        if claimed:
            try:
                job()
                done.append(name)
            except Exception:  # a failing job must not stop the worker; it is retried tomorrow
                log.exception("daily job %s failed", name)
    if done:
        _checkpoint()
    return done


def _checkpoint() -> None:
    """Each daily run ends with a signed checkpoint of the audit chain (see audit.checkpoints)."""
    from borderlink.audit import checkpoints

    try:
        checkpoints.sign(force=True)
    except Exception:
        log.exception("audit checkpoint failed")
