"""core.prepared: fixed-shape ORM queries compiled once per process and reader shape, values bound per call
(issue 19). The bound statement must give what the ORM gives, for every kind of reader, and refuse what it
cannot bind."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.assistance import access as request_access
from borderlink.assistance import summary
from borderlink.assistance import views as assistance_views
from borderlink.assistance.models import Alert, Request
from borderlink.assistance.services import dashboard
from borderlink.core.prepared import Prepared, PreparedError, reader_shape
from borderlink.custody import services as custody_services
from borderlink.exchange import access as message_access
from borderlink.exchange import queries as exchange_queries
from borderlink.exchange.models import Message, MessageRecipient
from borderlink.notices import access as notice_access
from borderlink.persons.services import NameInput, PersonInput
from tests.assistance.helpers import sent
from tests.clock import moment_in_one_month, month_of
from tests.conftest import make_user
from tests.notices.helpers import LAO_NAME_VI, person, published

pytestmark = pytest.mark.django_db


def _message(sender: Any, *units: Any, state: str = "sent") -> Message:
    now = timezone.now()
    m = Message.objects.create(origin_node="test", sender_unit=sender.unit, author=sender, subject="Check a vehicle",
                               body="Plate 74A-123.45.", priority="routine", priority_rank=2, handling_code="H0",
                               state=state, sent_at=now if state == "sent" else None)
    for unit in units:
        MessageRecipient.objects.create(message=m, unit=unit, delivered_at=now, sent_at=now if state == "sent" else None,
                                        priority_rank=2)
    return m


def _same(prepared: Any, orm: Any, related: tuple[str, ...] = ()) -> None:
    """Same row, same values and types field by field, the same related rows cached."""
    assert (prepared is None) == (orm is None)
    if orm is None:
        return
    assert type(prepared) is type(orm)
    for field in orm._meta.concrete_fields:
        a, b = getattr(prepared, field.attname), getattr(orm, field.attname)
        assert a == b and type(a) is type(b), field.attname
    for name in related:
        field = orm._meta.get_field(name)
        assert field.is_cached(prepared) == field.is_cached(orm), name
        if field.is_cached(orm):
            _same(getattr(prepared, name), getattr(orm, name))


@pytest.fixture
def readers(org, officer, supervisor, foreign_officer, kh_officer, outsider, no_capabilities):
    liaison = make_user("liaison", org.vn_unit, "liaison")
    protection = make_user("protection", org.la_unit, "victim_protection")
    unitless = make_user("unitless", None, "officer")
    inactive = make_user("inactive", org.vn_unit, "officer")
    inactive.is_active = False
    inactive.save()
    return [officer, supervisor, foreign_officer, kh_officer, outsider, no_capabilities, liaison, protection, unitless,
            User.objects.get(pk=inactive.pk)]


def test_a_message_as_the_orm_finds_it_for_every_reader(org, officer, foreign_officer, readers):
    messages = [_message(foreign_officer, org.vn_unit), _message(officer, org.la_unit), _message(officer, org.la_unit, state="draft"),
                _message(foreign_officer, org.kh_unit)]
    for user in readers:
        for m in messages:
            orm = message_access.visible_messages(user).select_related("sender_unit", "author", "decided_by").filter(id=m.pk).first()
            _same(message_access._MESSAGE_FOR_USER.first(user, m.pk), orm, ("sender_unit", "author", "decided_by"))
            if orm is not None and user.can_exchange:
                mine = message_access.recipient_row(user, orm)
                _same(mine, orm.recipients.filter(unit_id=user.unit_id).first() if orm.state == "sent" else None)


def test_a_notice_and_a_request_as_the_orm_finds_them(org, officer, supervisor, foreign_officer, readers):
    notice = published(officer, supervisor, person(officer, LAO_NAME_VI))
    req = sent(officer, supervisor, org.la_unit)
    for user in readers:
        orm = notice_access.visible_notices(user).select_related("subject", "issuing_unit").filter(pk=notice.pk).first()
        _same(notice_access._NOTICE_FOR_USER.first(user, notice.pk), orm, ("subject", "issuing_unit"))
        orm_req = request_access.visible_requests(user).select_related("requesting_unit", "requested_unit", "notice").filter(
            pk=req.pk).first()
        _same(request_access._REQUEST_FOR_USER.first(user, req.pk), orm_req, ("requesting_unit", "requested_unit", "notice"))


def test_the_inbox_page_and_count_as_the_orm_gives_them(org, officer, foreign_officer, kh_officer):
    for n in range(7):
        _message(foreign_officer if n % 2 else kh_officer, org.vn_unit)
    listed = exchange_queries.inbox(officer, exchange_queries.MessageFilter())
    for window in [(0, 3), (3, 6), (6, 9)]:
        got = exchange_queries.INBOX_PAGE.all(officer, window=window)
        want = list(listed[window[0]:window[1]])
        assert [m.pk for m in got] == [m.pk for m in want]
        for a, b in zip(got, want, strict=True):
            _same(a, b, ("sender_unit", "author"))
            assert (a.my_read_at, a.pin, a.my_priority_rank, a.my_sent_at) == (b.my_read_at, b.pin, b.my_priority_rank, b.my_sent_at)
    for limit in (None, 3, 100):
        rows = MessageRecipient.objects.filter(unit_id=officer.unit_id, sent_at__isnull=False)
        assert exchange_queries.INBOX_RECIPIENTS.count(officer, limit=limit) == (rows if limit is None else rows[:limit]).count()
    assert exchange_queries.INBOX_RECIPIENTS.count(foreign_officer) == 0


def test_the_custody_month_as_the_orm_gives_it(foreign_officer, supervisor):
    moment = moment_in_one_month()
    for n in range(7):
        custody_services.record_custody(
            foreign_officer, PersonInput(names=[NameInput(f"Nguyễn Văn Thành {n}")], nationalities=["VN"]),
            custody_services.CustodyInput(nationality="VN", kind="arrest", detained_at=moment - datetime.timedelta(hours=n),
                                          place_held="Savannakhet", offence="fraud"))
    month = month_of(moment)
    start, end = custody_services.month_bounds(month)
    for user, country in ((supervisor, "LA"), (foreign_officer, "VN")):
        want = list(custody_services.monthly(user, country, month))
        assert want
        assert custody_services._MONTHLY.count(user, country, start, end) == len(want)
        got = custody_services._MONTHLY.all(user, country, start, end, window=(0, 5))
        assert [r.pk for r in got] == [r.pk for r in want[:5]]
        for a, b in zip(got, want[:5], strict=True):
            _same(a, b, ("detaining_unit",))


def test_one_statement_per_call_and_the_same_for_two_readers_of_one_shape(org, officer, foreign_officer):
    m = _message(foreign_officer, org.vn_unit)
    colleague = make_user("colleague2", org.vn_unit, "officer")
    assert reader_shape(colleague) == reader_shape(officer)
    other = make_user("elsewhere", org.kh_unit, "officer")
    message_access._MESSAGE_FOR_USER.first(officer, m.pk)  # the shape compiled
    with override_settings(PREPARED_CHECK=False), CaptureQueriesContext(connection) as ctx:
        assert message_access._MESSAGE_FOR_USER.first(colleague, m.pk).pk == m.pk
        assert message_access._MESSAGE_FOR_USER.first(foreign_officer, m.pk) is not None  # the sender's side
        assert message_access._MESSAGE_FOR_USER.first(other, m.pk) is None  # the same shape, another unit: refused
    assert len(ctx.captured_queries) == 3


def test_a_rule_branching_outside_the_shape_is_caught():
    """A build reading what `reader_shape` does not hold (here the username) would serve one reader's rule to
    another: the check under tests compares every bound statement with the ORM's and refuses."""
    wrong: Prepared[Message] = Prepared(
        "test.wrong", Message,
        lambda reader, message_id: Message.objects.filter(id=message_id, subject="a" if reader.username == "one" else "b"),
        args=[Message._meta.pk])
    one = User(pk=1, username="one", is_active=True, is_officer=True)
    two = User(pk=2, username="two", is_active=True, is_officer=True)
    assert reader_shape(one) == reader_shape(two)
    message_id = "8c6f2b1e-0000-4000-8000-000000000001"
    with pytest.raises(PreparedError):
        wrong.first(one, message_id)


def test_an_argument_the_query_transforms_is_refused():
    """`icontains` wraps its value (`%value%`): not a value that can be bound in place."""
    transformed: Prepared[Message] = Prepared(
        "test.transformed", Message, lambda reader, word: Message.objects.filter(subject__icontains=word),
        args=[Message._meta.get_field("subject")])
    with pytest.raises(PreparedError):
        transformed.all(User(pk=1, username="u", is_active=True, is_officer=True), "plate")


def test_datetimes_bound_as_the_orm_binds_them(foreign_officer, supervisor):
    """An aware datetime argument (the custody month's bounds) through the field's preparation: the check compares
    the parameters with the ORM's on this database (SQLite: text; PostgreSQL: the datetime)."""
    start = timezone.make_aware(datetime.datetime(2026, 1, 1))
    end = timezone.make_aware(datetime.datetime(2026, 2, 1))
    assert custody_services._MONTHLY.all(supervisor, "LA", start, end, window=(0, 50)) == []
    assert custody_services._MONTHLY.count(supervisor, "LA", start, end) == 0


def _dashboard_requests(org, officer, supervisor, foreign_officer):
    """Requests of every state both ways between the officer's unit and two others, answered after whole and
    broken hours (ties included), a few overdue, and the officer's own requests to verify a victim's nationality."""
    now = timezone.now()
    units = [org.vn_unit, org.la_unit, org.kh_unit]
    states = ["draft", "pending_approval", "sent", "in_progress", "answered", "declined", "closed"]
    made = []
    for n in range(42):
        requesting, requested = (units[0], units[1 + n % 2]) if n % 3 else (units[1 + n % 2], units[0])
        sent_at = None if n % 7 == 0 else now - datetime.timedelta(days=n * 9 % 400, minutes=n)
        first = None if sent_at is None or n % 4 == 0 else sent_at + datetime.timedelta(hours=n % 5, minutes=(n * 13) % 60)
        made.append(Request.objects.create(
            reference=f"R-P{n}", kind="verify_victim_nationality" if n % 5 == 0 else "verify_identity", offence="fraud",
            subject="Synthetic request", details="Invented for the prepared statements' test.", requesting_unit=requesting,
            requested_unit=requested, state=states[n % len(states)], created_by=officer if requesting == units[0] else foreign_officer,
            sent_at=sent_at, first_answer_at=first, deadline=None if n % 6 == 0 else now + datetime.timedelta(days=n % 11 - 5)))
    summary.rebuild()
    Alert.objects.create(unit=org.vn_unit, kind="reminder", title="Deadline near", url="/requests/", created_at=now)
    Alert.objects.create(unit=org.vn_unit, kind="escalated", title="Overdue", url="/requests/", supervisors_only=True,
                         created_at=now - datetime.timedelta(hours=1))
    return now


def _sorted(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(sorted(row.items(), key=lambda kv: kv[0])) for row in rows), key=repr)


def test_the_dashboards_figures_and_rows_as_the_orm_gives_them(org, officer, supervisor, foreign_officer, readers):
    """Every fixed-shape read of the requests dashboard (the summary's aggregates through `values()`, the own victim
    requests, the overdue count, the medians' ranked rows, each tab's pages and the alerts) gives what the ORM
    gives, row for row and type for type, for every kind of reader."""
    now = _dashboard_requests(org, officer, supervisor, foreign_officer)
    since = dashboard.window_start(now).date()
    start = dashboard.window_start(now)
    checked = 0
    for user in readers:
        if not request_access.may_use_requests(user):
            assert dashboard.dashboard_figures(user, now) == (dashboard.tab_counts(user, now), dashboard._empty())
            continue
        for prepared, orm in ((dashboard._BY_STATE.values(user), dashboard._state_query(user)),
                              (dashboard._BY_MONTH.values(user, since), dashboard._month_query(user, since)),
                              (dashboard._BY_HOUR.values(user, since), dashboard._hour_query(user, since)),
                              (dashboard._OWN_VICTIM.values(user), dashboard._own_victim_query(user))):
            want = list(orm)
            assert _sorted(prepared) == _sorted(want), user.username
            assert [{k: type(v) for k, v in r.items()} for r in sorted(prepared, key=repr)] == \
                   [{k: type(v) for k, v in r.items()} for r in sorted(want, key=repr)]
            checked += bool(want)
        for limit in (None, 1, 5):
            rows = dashboard._overdue_query(user, now).order_by()
            assert dashboard._OVERDUE.count(user, now, limit=limit) == (rows if limit is None else rows[:limit]).count()
        for pairs in ((0, 1, 2, 1, 1, 1, 1, 2), (3, 1, 3, 1, dashboard._NO_HOUR, 0, dashboard._NO_HOUR, 0),
                      (1, 2, 4, 1, 0, 1, 0, 1)) if connection.vendor == "postgresql" else ():  # (its hours: PostgreSQL's)
            assert _sorted(dashboard._RANKED.values(user, start, *pairs)) == _sorted(list(dashboard._ranked_query(user, start, *pairs)))
        for tab in assistance_views.TABS:
            args = (now,) if tab == "overdue" else ()
            for window in ((0, 3), (3, 6)):
                got = assistance_views._TAB_ROWS[tab].all(user, *args, window=window)
                want_rows = list(assistance_views._tab_rows(tab, user, *args)[window[0]:window[1]])
                assert [r.pk for r in got] == [r.pk for r in want_rows], (user.username, tab)
                for a, b in zip(got, want_rows, strict=True):
                    _same(a, b, ("requesting_unit", "requested_unit"))
        alerts = assistance_views._ALERTS.all(user, window=(0, 8))
        assert [a.pk for a in alerts] == [a.pk for a in dashboard.alerts_for(user)[:8]]
    assert checked >= 10  # the readers saw rows in most of them


def test_values_refuses_a_query_of_model_rows():
    rows: Prepared[Message] = Prepared("test.rows", Message, lambda reader: Message.objects.filter(subject="a"), args=[])
    with pytest.raises(PreparedError):
        rows.values(User(pk=1, username="u", is_active=True, is_officer=True, unit_id=None))
