from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.audit.services import verify_chain
from borderlink.core.daily import run_due_jobs
from borderlink.notices import services
from borderlink.notices.models import Notice, NoticeState
from borderlink.persons.models import Person

from .helpers import person, published

pytestmark = pytest.mark.django_db


def test_notices_past_review_are_suspended_and_the_unit_sees_them(officer, supervisor, login):
    notice = published(officer, supervisor, person(officer))
    later = notice.review_date + datetime.timedelta(days=1)
    assert services.suspend_overdue(notice.review_date) == []  # due that day, not yet overdue
    assert [n.pk for n in services.suspend_overdue(later)] == [notice.pk]
    notice.refresh_from_db()
    assert notice.state == NoticeState.SUSPENDED
    assert notice.events.last().reason == "review date passed"
    assert AuditEvent.objects.filter(action="notices.notice.review_overdue").count() == 1
    assert "Needs review" in login(officer).get("/notices/").content.decode()
    assert services.suspend_overdue(later) == []  # once only


def test_daily_job_runs_once_a_day(officer, supervisor):
    notice = published(officer, supervisor, person(officer))
    Notice.objects.filter(pk=notice.pk).update(review_date=timezone.localdate() - datetime.timedelta(days=1))
    today = timezone.localdate()
    assert "review_notices" in run_due_jobs(today)
    assert run_due_jobs(today) == []
    assert "review_notices" in run_due_jobs(today + datetime.timedelta(days=1))
    notice.refresh_from_db()
    assert notice.state == NoticeState.SUSPENDED


def test_purge_removes_expired_notices_and_is_audited(officer, supervisor, capsys):
    kept = published(officer, supervisor, person(officer, "Lê Văn Tâm"))
    gone = published(officer, supervisor, person(officer, "Phạm Văn Quý"))
    services.cancel_notice(officer, gone.pk, "Withdrawn by the court.")
    Notice.objects.filter(pk=gone.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    call_command("purge_notices", "--days", "365", "--dry-run")
    assert "would purge 1 notices" in capsys.readouterr().out
    assert Notice.objects.count() == 2
    call_command("purge_notices", "--days", "365")
    assert list(Notice.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Person.objects.filter(pk=gone.subject_id).exists()
    assert AuditEvent.objects.filter(action="notices.notice.purged", object_id=str(gone.pk)).exists()
    assert AuditEvent.objects.filter(action="persons.person.purged").count() == 1
    assert verify_chain().ok
    with pytest.raises(CommandError):
        call_command("purge_notices", "--days", "1")
