"""The requests summary (issue 19): the dashboard's statistics read from it must always equal the same statistics
computed from the requests themselves, for every kind of viewer, whatever wrote the requests: the services, a
queryset update, a peer's envelope. And the rebuild command puts it right after requests written by SQL."""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from borderlink import workflow
from borderlink.assistance import services, summary
from borderlink.assistance.federation import RequestPayload, apply_opened
from borderlink.assistance.models import OPEN_STATES, UNSENT_STATES, Action, Request, RequestCount, RequestKind, RequestState
from borderlink.assistance.services.dashboard import statistics, statistics_live, window_start
from borderlink.assistance.workflow import REQUEST
from borderlink.federation import schema
from tests.assistance.helpers import sent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

STATES = list(RequestState.values)
KINDS = [RequestKind.VERIFY_IDENTITY, RequestKind.LOCATE, RequestKind.VERIFY_VICTIM_NATIONALITY]


@dataclass
class Peer:
    node_id: str
    country_id: str


def viewers(org, officer, supervisor, foreign_officer):
    """Every kind of viewer the visibility rules tell apart, on both sides."""
    return [
        officer, supervisor, foreign_officer,
        make_user("vn.protection", org.vn_unit, "victim_protection"),
        make_user("vn.liaison", org.vn_unit, "officer", "liaison"),
        make_user("la.supervisor", org.la_unit, "officer", "supervisor"),
        make_user("kh.officer", org.kh_unit, "officer"),
    ]


def tab_counts_live(user, now):
    """The dashboard's tab counts as counts of the requests each tab lists."""
    mine = services.dashboard_requests(user)
    return {"open": mine.filter(state__in=OPEN_STATES).count(),
            "overdue": mine.filter(state__in=OPEN_STATES, deadline__lt=now).count(),
            "drafts": mine.filter(state__in=UNSENT_STATES, requesting_unit_id=user.unit_id).count(),
            "closed": mine.filter(state__in=services.CLOSED_STATES).count()}


def assert_same(users, now=None):
    """The summary is what the requests give, and each user's statistics and tab counts from it equal the live
    ones."""
    assert summary.stored() == summary.computed()
    assert summary.answer_hour_fixes() == []
    at = now or timezone.now()
    for user in users:
        stats = statistics(user, now=now)
        assert stats == statistics_live(user, now=now), user.username
        counts = services.tab_counts(user, at)
        assert counts == tab_counts_live(user, at), user.username
        # the dashboard's one call for both (the user's own victim requests read once): the same figures
        assert services.dashboard_figures(user, at) == (counts, statistics(user, now=at)), user.username
        assert services.dashboard_figures(user, at, overdue_limit=1)[0] == services.tab_counts(user, at, overdue_limit=1)


def _random_request(rng, units, authors, now):
    requesting, requested = rng.sample(units, 2)
    while requesting.country_id == requested.country_id:
        requesting, requested = rng.sample(units, 2)
    state = rng.choice(STATES)
    sent_at = None if rng.random() < 0.1 else now - datetime.timedelta(days=rng.uniform(0, 430), seconds=rng.randrange(86400))
    first = None
    if sent_at is not None and rng.random() < 0.6:
        # whole hours, hours and a few microseconds, and ties, to try the median's hour boundaries
        first = sent_at + rng.choice([
            datetime.timedelta(hours=rng.randrange(0, 30)),
            datetime.timedelta(hours=rng.randrange(0, 30), microseconds=rng.choice([-1, 1, 999_999])),
            datetime.timedelta(seconds=rng.uniform(-7200, 400 * 3600)),
        ])
    deadline = None if rng.random() < 0.2 else now + datetime.timedelta(days=rng.uniform(-20, 40))
    return Request.objects.create(
        reference=f"R-{rng.randrange(10**9)}", kind=rng.choice(KINDS), offence="fraud", subject="Synthetic request",
        details="Invented for the summary test.", requesting_unit=requesting, requested_unit=requested, state=state,
        created_by=rng.choice(authors), sent_at=sent_at, first_answer_at=first, deadline=deadline)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_summary_equals_live_statistics_across_random_requests(seed, org, officer, supervisor, foreign_officer):
    rng = random.Random(seed)
    users = viewers(org, officer, supervisor, foreign_officer)
    units = [org.vn_unit, org.vn_other, org.la_unit, org.kh_unit]
    now = timezone.now()
    made = [_random_request(rng, units, users, now) for _ in range(120)]
    assert_same(users)
    for _ in range(60):  # changes through save(): states, answers, kinds, units, sending times
        req = rng.choice(made)
        req.refresh_from_db()
        change = rng.randrange(5)
        if change == 0:
            req.state = rng.choice(STATES)
        elif change == 1:
            req.first_answer_at = None if req.first_answer_at else (req.sent_at or now) + datetime.timedelta(hours=rng.uniform(0, 90))
        elif change == 2:
            req.kind = rng.choice(KINDS)
        elif change == 3:
            req.sent_at = now - datetime.timedelta(days=rng.uniform(0, 400))
        else:
            req.requested_unit = rng.choice([u for u in units if u.country_id != req.requesting_unit.country_id])
        req.save()
    assert_same(users)
    # queryset updates and deletes keep it too
    some = [r.pk for r in rng.sample(made, 20)]
    Request.objects.filter(pk__in=some[:10]).update(state=RequestState.CLOSED)
    Request.objects.filter(pk__in=some[10:15]).update(first_answer_at=now - datetime.timedelta(hours=3))
    Request.objects.filter(pk__in=some[15:]).delete()
    Request.objects.get(pk=some[0]).delete()
    assert_same(users)
    # the twelve months end at another month as time goes by
    assert_same(users, now=now + datetime.timedelta(days=75))


def test_medians_are_exact_at_the_hour_boundaries(org, officer, supervisor, foreign_officer):
    """Answers a microsecond either side of whole hours, an even count (the mean of the middle two, in another
    hour each) and an odd count."""
    now = timezone.now()
    base = now - datetime.timedelta(days=3)
    offsets = [datetime.timedelta(hours=h, microseconds=us) for h, us in
               [(2, -1), (2, 0), (2, 1), (3, -1), (5, 0), (5, 7), (9, 123), (40, 0)]]
    for n, offset in enumerate(offsets):
        Request.objects.create(reference=f"B-{n}", kind=RequestKind.LOCATE, offence="fraud", subject="s", details="d",
                               requesting_unit=org.vn_unit, requested_unit=org.la_unit, state=RequestState.ANSWERED,
                               sent_at=base + datetime.timedelta(minutes=n), first_answer_at=base + datetime.timedelta(minutes=n) + offset)
    users = viewers(org, officer, supervisor, foreign_officer)
    assert_same(users)
    stats = statistics(officer)
    assert stats["answered_sent"] == 8
    assert stats["median_hours_sent"] == pytest.approx((3 - 1e-6 / 3600 + 5) / 2)
    Request.objects.filter(reference="B-7").delete()
    assert_same(users)
    assert statistics(officer)["median_hours_sent"] == pytest.approx(3 - 1e-6 / 3600)


def test_victim_requests_are_counted_only_for_those_who_see_them(org, officer, supervisor, foreign_officer, colleague):
    """A request to verify a victim's nationality shows in its author's statistics, its unit's supervisors' and
    protection officers', never in a colleague's."""
    now = timezone.now()
    Request.objects.create(reference="V-1", kind=RequestKind.VERIFY_VICTIM_NATIONALITY, offence="trafficking",
                           subject="s", details="d", requesting_unit=org.vn_unit, requested_unit=org.la_unit,
                           state=RequestState.ANSWERED, created_by=officer, sent_at=now - datetime.timedelta(days=1),
                           first_answer_at=now - datetime.timedelta(hours=2))
    protection = make_user("vn.protection", org.vn_unit, "victim_protection")
    for user, seen in ((officer, 1), (supervisor, 1), (protection, 1), (colleague, 0), (foreign_officer, 0)):
        stats = statistics(user)
        assert stats == statistics_live(user)
        assert stats["answered_sent"] == seen, user.username


def test_summary_follows_the_services_and_a_peers_steps(org, officer, supervisor, foreign_officer):
    users = viewers(org, officer, supervisor, foreign_officer)
    # made and answered here (both units on this node)
    req = sent(officer, supervisor, org.la_unit)
    services.accept_request(foreign_officer, req.pk, now=req.sent_at + datetime.timedelta(hours=1))
    services.answer_request(foreign_officer, req.pk, services.Answer("Found."), now=req.sent_at + datetime.timedelta(hours=7))
    assert_same(users)
    # Laos answers on its own node: its steps arrive as envelopes
    other = sent(officer, supervisor, org.kh_unit)
    peer = Peer("test-kh", "KH")
    for action, data in ((Action.ACCEPTED, {}), (Action.ANSWERED, {"results": []})):
        other.refresh_from_db()
        workflow.apply_peer_step(REQUEST, other.pk, workflow.Incoming(
            id=uuid.uuid4(), at=timezone.now(), action=action, side="requested", from_state=other.state,
            actor_name="Peer officer", actor_unit="KH-SVR", text="Đã xác minh.", data=data), peer)
    other.refresh_from_db()
    assert other.state == RequestState.ANSWERED and other.first_answer_at is not None
    assert_same(users)
    assert statistics(officer)["answered_sent"] == 2
    # a request Laos opens for a unit of this node arrives as an envelope, then is answered here
    now = timezone.now()
    payload = schema.parse_payload(RequestPayload, {
        "id": str(uuid.uuid4()), "reference": "LA-SVK-2026-9", "kind": "locate", "urgency": "normal", "offence": "fraud",
        "subject": "Tìm người", "details": "Invented.", "requesting_unit": "LA-SVK", "requested_unit": "VN-QT",
        "handling_code": "H0", "deadline": (now + datetime.timedelta(days=5)).isoformat(),
        "sent_at": (now - datetime.timedelta(minutes=5)).isoformat(),
        "events": [{"id": str(uuid.uuid4()), "at": (now - datetime.timedelta(minutes=5)).isoformat(), "side": "requesting",
                    "action": "sent", "from_state": "approved", "to_state": "sent"}],
    })
    apply_opened(payload, Peer("test-la", "LA"), {})
    arrived = Request.objects.get(pk=payload.id)
    assert arrived.origin_node == "test-la"
    assert_same(users)
    assert statistics(officer)["table"][0]["received"] == 1
    services.accept_request(officer, arrived.pk)
    services.answer_request(officer, arrived.pk, services.Answer("Located."))
    assert_same(users)
    assert statistics(officer)["answered_received"] == 1


def test_dashboard_statistics_read_the_summary_not_the_requests(org, officer, supervisor, foreign_officer):
    """A fixed number of queries, and no aggregate over the requests table: more requests, same queries."""
    now = timezone.now()

    def add(n):
        for i in range(n):
            Request.objects.create(reference=f"Q-{uuid.uuid4().hex[:8]}", kind=RequestKind.LOCATE, offence="fraud",
                                   subject="s", details="d", requesting_unit=org.vn_unit, requested_unit=org.la_unit,
                                   state=RequestState.ANSWERED, sent_at=now - datetime.timedelta(days=i % 300),
                                   first_answer_at=now - datetime.timedelta(days=i % 300) + datetime.timedelta(hours=i % 50))

    counts = []
    for n in (10, 200):
        add(n)
        with CaptureQueriesContext(connection) as queries:
            stats = statistics(officer)
        assert stats == statistics_live(officer)
        counts.append(len(queries))
        table = connection.ops.quote_name(Request._meta.db_table)
        # nothing is counted or aggregated over the requests: they are read only for the median's hour (by its
        # index: unit, answer_hour) and for the user's own victim requests
        reads = [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"]]
        assert not [sql for sql in reads if "COUNT(" in sql.upper() or "PERCENTILE" in sql.upper()]
        assert all("answer_hour" in sql for sql in reads)
    assert max(counts) <= 5


def test_rebuild_command_puts_right_what_sql_wrote(org, officer, supervisor, foreign_officer):
    users = viewers(org, officer, supervisor, foreign_officer)
    now = timezone.now()
    req = sent(officer, supervisor, org.la_unit)
    out = StringIO()
    call_command("request_summary", stdout=out)
    assert "matches" in out.getvalue()
    # written around the model, as the benchmark's loader does
    table = connection.ops.quote_name(Request._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET first_answer_at = %s, state = %s WHERE id = %s",
                       [now, RequestState.ANSWERED, req.pk.hex if connection.vendor == "sqlite" else req.pk])
    with pytest.raises(CommandError):
        call_command("request_summary", "--check", stdout=StringIO())
    call_command("request_summary", "--rebuild", stdout=StringIO())
    call_command("request_summary", stdout=StringIO())
    assert RequestCount.objects.exists()
    assert_same(users)


def test_window_is_whole_months_in_the_node_time_zone():
    at = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)  # 1 December 03:00 in Ho Chi Minh City
    start = window_start(at, 12)
    local = timezone.localtime(start)
    assert (local.year, local.month, local.day, local.hour) == (2026, 1, 1, 0)
    assert timezone.localtime(window_start(at, 1)).month == 12


def test_a_summary_that_counts_answers_the_requests_lack_falls_back_to_the_live_count(org, officer, supervisor,
                                                                                       foreign_officer):
    req = sent(officer, supervisor, org.la_unit)
    services.accept_request(foreign_officer, req.pk, now=req.sent_at + datetime.timedelta(hours=1))
    services.answer_request(foreign_officer, req.pk, services.Answer("Found."), now=req.sent_at + datetime.timedelta(hours=3))
    table = connection.ops.quote_name(Request._meta.db_table)
    with connection.cursor() as cursor:  # around the model: the summary still counts the answer
        cursor.execute(f"UPDATE {table} SET first_answer_at = NULL WHERE id = %s",
                       [req.pk.hex if connection.vendor == "sqlite" else req.pk])
    stats = statistics(officer)
    assert stats == statistics_live(officer)
    assert stats["answered_sent"] == 0
