"""The meetings list's reads through prepared statements (issue 19, branch h19r): the page of meetings and its
bounded count, the overdue action items and the decisions due. Each gives what the ORM gave (under tests
`PREPARED_CHECK` also compares every statement with the ORM's) for every kind of reader, on every page."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from borderlink.border import meeting_views as views
from borderlink.border import meetings
from borderlink.border.models import ActionItem, Decision
from borderlink.core.page_query import bounded_page
from tests.border.test_meetings import held_meeting, propose
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(border, officer, foreign_officer):
    """Two held meetings with overdue action items (each side's) and decisions due, and three more proposed."""
    today = timezone.localdate()
    for _n in range(2):
        meeting = held_meeting(officer, foreign_officer)
        for side, unit, days in (("invited", foreign_officer.unit, 3), ("proposing", officer.unit, 5), ("invited", foreign_officer.unit, -2)):
            item = meetings.record_action_item(officer, meeting.pk, f"Action <{side}> {days}", side, unit.code,
                                               today + datetime.timedelta(days=1))
            ActionItem.objects.filter(pk=item.pk).update(due_date=today - datetime.timedelta(days=days))
        for days in (4, -6):
            decision = meetings.record_decision(officer, meeting.pk, f"Decision {days}", today + datetime.timedelta(days=30))
            Decision.objects.filter(pk=decision.pk).update(review_date=today - datetime.timedelta(days=days))
    for days in (10, 20, 30):
        propose(officer, days=days)


def test_the_list_reads_what_the_orm_read(held, org, officer, supervisor, foreign_officer, kh_officer, monkeypatch):
    liaison = make_user("liaison", org.vn_unit, "liaison")
    today = timezone.localdate()
    monkeypatch.setattr(views, "LIST_PAGE", 2)
    seen = set()
    for user in (officer, supervisor, foreign_officer, kh_officer, liaison):
        for page in ("", "1", "2", "3", "4", "999", "x"):
            request = RequestFactory().get("/border/meetings/", {"page": page} if page else {})
            got = views._meeting_page(request, user)
            orm = bounded_page(request, views._meetings(user), 2)
            assert [m.pk for m in got.object_list] == [m.pk for m in orm.object_list], (user, page)
            assert (got.number, got.paginator.count, got.paginator.pages_label) == (orm.number, orm.paginator.count, orm.paginator.pages_label)
            assert [str(m.pair) for m in got.object_list] == [str(m.pair) for m in orm.object_list]
            seen.update(m.pk for m in got.object_list)
        box = meetings.overdue_box(user, 50, views.OVERDUE_COLUMNS)
        assert [i.pk for i in box] == [i.pk for i in meetings.overdue_items(user).order_by("due_date", "pk")[:50]]
        assert [i.pk for i in meetings.overdue_box(user, 2)] == [i.pk for i in box[:2]]
        due = views._DUE.all(user, today, window=(0, 50))
        assert [d.pk for d in due] == [d.pk for d in meetings.decisions_due(user).only(*views.DUE_COLUMNS)[:50]]
        if user in (officer, foreign_officer):
            assert len(box) == 4 and len(due) == 2  # the two meetings' items due before today, decisions due by today
    assert len(seen) == 5
    assert list(views._meeting_page(RequestFactory().get("/border/meetings/"), kh_officer).object_list) == []  # none of Cambodia


def test_the_list_page_in_few_statements(held, officer, login, django_assert_max_num_queries):
    client = login(officer)
    client.get("/border/meetings/")  # warm: the per-process statements, the session
    # session, user, the page's count and rows, overdue items (own unit, meetings seen), decisions due, schedules
    with django_assert_max_num_queries(8):
        page = client.get("/border/meetings/").content.decode()
    assert page.count("Action &lt;invited&gt; 3") == 2 and "Action &lt;invited&gt; -2" not in page
    assert page.count("Decision 4") == 2 and "Decision -6" not in page


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_the_date_writer_writes_what_the_helpers_wrote(language):
    """core.rows.date_writer (the format looked up once per page) against `text` of a date and `short_datetime`."""
    from django.utils import translation

    from borderlink.core import rows

    with translation.override(language):
        day, when = rows.date_writer("DATE_FORMAT"), rows.date_writer("SHORT_DATETIME_FORMAT")
        for d in (datetime.date(2026, 1, 9), datetime.date(2026, 12, 31)):
            assert day(d) == rows.text(d)
        for t in (timezone.now(), datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)):
            assert when(t) == rows.short_datetime(t) and when(t)
        assert when(None) == rows.short_datetime(None) == ""
