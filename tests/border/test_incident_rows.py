"""The incidents list's rows read branch by branch (issue 19): `access.incident_branches` together hold every incident
a reader may see, and `stats.NewestFirst` gives exactly the slices of the one condition in the list's order (newest
first, then id), for six readers, with and without filters, across page boundaries and equal times."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from borderlink.border import access, services, stats
from borderlink.border.models import BorderIncident, Sharing
from tests.border.helpers import gate, incident, pair_code
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(border, org, officer, supervisor, foreign_officer):
    protection = make_user("protection", org.vn_unit, "victim_protection")
    liaison = make_user("liaison", org.vn_other, "liaison")
    tay_ninh = make_user("tn", org.kh_unit, "officer")
    return [officer, supervisor, foreign_officer, protection, liaison, tay_ninh]


@pytest.fixture
def incidents(readers):
    """Incidents of both sides of Quảng Trị–Savannakhet (some shared, one with a child), of Quảng Trị–Khammouane and
    of Tây Ninh–Svay Rieng, several at one moment (their order is their id's)."""
    officer, _supervisor, foreign_officer, _protection, liaison, tay_ninh = readers
    now = timezone.now().replace(microsecond=0)
    same = now - datetime.timedelta(days=3)
    made = []
    for n in range(7):
        made.append(services.record_incident(officer, incident(occurred_at=same if n < 3 else now - datetime.timedelta(hours=5 * n),
                                                               children_count=1 if n == 4 else 0)))
    for n in range(5):
        made.append(services.record_incident(foreign_officer, incident(occurred_at=same if n < 2 else now - datetime.timedelta(hours=7 * n),
                                                                       gate_id=None, place="Forest path")))
    for n in range(3):
        made.append(services.record_incident(officer, incident(pair=pair_code("Quang Tri", "Khammouane"), gate_id=None,
                                                               place="Village", occurred_at=now - datetime.timedelta(days=n + 1))))
    for n in range(4):
        made.append(services.record_incident(tay_ninh, incident(pair=pair_code("Tay Ninh", "Svay Rieng"), gate_id=None,
                                                                place="Rice fields", occurred_at=same - datetime.timedelta(hours=n))))
    made.append(services.record_incident(liaison, incident(occurred_at=same, gate_id=None, place="Market")))
    shared = [m.pk for m in made[7:10]] + [made[12].pk, made[15].pk]
    BorderIncident.objects.filter(pk__in=shared).update(sharing=Sharing.SHARED)
    return made


def test_the_branches_hold_every_incident_a_reader_may_see(readers, incidents):
    for user in readers:
        branches = access.incident_branches(user)
        union = Q()
        for branch in branches:
            union |= branch
        visible = access.visible_incidents(user)
        assert visible.exists(), user.username
        assert not visible.exclude(union).exists(), user.username
        # each branch narrows the rule: read with it, never more than the reader may see
        assert set(visible.filter(branches[0]).values_list("pk", flat=True)) <= set(visible.values_list("pk", flat=True))
    outsider = make_user("nobody", None)
    assert access.incident_branches(outsider) == []


@pytest.mark.parametrize("data", [{}, {"pair": "qt-svk"}, {"gate": "lao-bao"}, {"kind": "unauthorised_migration"}])
def test_newest_first_gives_the_one_conditions_slices(readers, incidents, data):
    form = {"from": f"{timezone.localtime() - datetime.timedelta(days=60):%Y-%m}"}
    if "pair" in data:
        form["pair"] = pair_code()
    if "gate" in data:
        form["gate"] = gate("Lao Bảo").pk
    if "kind" in data:
        form["kind"] = data["kind"]
    for user in readers:
        try:
            filters = stats.parse_filters(user, form)
        except ValidationError:  # a pair or gate not the reader's: the page answers 400, nothing is listed
            continue
        rows = stats.filtered(user, filters)
        expected = list(rows.order_by("-occurred_at", "pk").values_list("pk", flat=True))
        newest = stats.NewestFirst(rows, access.incident_branches(user), len(expected))
        assert len(newest) == newest.count() == len(expected)
        for start, stop in ((0, 3), (3, 6), (2, 9), (0, 50), (6, 7), (len(expected), len(expected) + 3)):
            assert [i.pk for i in newest[start:stop]] == expected[start:stop], (user.username, start, stop)
        with pytest.raises(TypeError):
            newest[0]  # read by slices only


def test_newest_first_reads_empty_slices_and_empty_lists(readers, incidents):
    """The paginator slices an empty list [0:0]; a reader with several branches and no incident in the period, or
    filters that match nothing, get no rows and no error (a union of empty parts cannot be ordered)."""
    protection = readers[3]
    branches = access.incident_branches(protection)
    assert len(branches) > 1
    filters = stats.parse_filters(protection, {"from": "2001-01", "to": "2001-02"})
    rows = stats.filtered(protection, filters)
    newest = stats.NewestFirst(rows, branches, 0)
    assert newest[0:0] == [] and newest[0:50] == [] and newest[5:3] == []
    assert stats.NewestFirst(rows.none(), branches, 0)[0:50] == []
    everything = stats.NewestFirst(stats.filtered(protection, stats.parse_filters(protection, {})), branches, 1)
    assert everything[2:2] == []


def test_the_list_page_draws_the_rows_in_order_in_one_read(readers, incidents, login):
    table = connection.ops.quote_name(BorderIncident._meta.db_table)
    officer = readers[0]
    client = login(officer)
    since = f"{timezone.localtime() - datetime.timedelta(days=60):%Y-%m}"
    client.get(f"/border/?from={since}")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/border/?from={since}")
    assert response.status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if f"FROM {table}" in q["sql"]]
    assert len(reads) == 1, reads  # the page's rows: one statement, however many branches
    filters = stats.parse_filters(officer, {"from": since})
    expected = list(stats.filtered(officer, filters).order_by("-occurred_at", "pk").values_list("reference", flat=True))
    page = response.content.decode()
    positions = [page.index(reference) for reference in expected]
    assert positions == sorted(positions)


def test_the_list_page_reads_the_pairs_and_gates_once(readers, incidents, login, django_assert_max_num_queries):
    """The filter's choices, the counts' names and the rows' branches share one read of the user's pairs and one of
    their gates (three and two before); the whole page in a bounded number of statements for every reader."""
    pairs_table = connection.ops.quote_name("border_provincepair")
    gates_table = connection.ops.quote_name("core_bordergate")
    for reader in readers:
        client = login(reader)
        client.get("/border/")
        # session, user, pairs, gates, counts, audit event (and its head), rows; a protection officer's units and
        # pairs of the country and the two boxes; a savepoint or two under tests
        with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as ctx:
            response = client.get("/border/")
        assert response.status_code == 200
        sqls = [q["sql"] for q in ctx.captured_queries]
        # reads of the pairs or gates themselves (not the rules' subqueries on them)
        assert len([s for s in sqls if s.startswith((f"SELECT {gates_table}.", f"SELECT DISTINCT {gates_table}."))]) <= 1, sqls
        if not reader.has_capability("victim_protection"):
            assert len([s for s in sqls if s.startswith(f"SELECT {pairs_table}.")]) <= 1, sqls


def test_counts_names_from_the_pairs_read_are_the_names_read(readers, incidents):
    """`counts_and_names` given the user's pairs and gates names what it names reading them itself, also for a reader
    whose counted pairs are not all among the user's pairs (a victim-protection officer: every pair of the country)."""
    from borderlink.border.forms import pair_gates

    for reader in readers:
        filters = stats.parse_filters(reader, {})
        pairs = access.user_pair_rows(reader)
        assert stats.counts_and_names(reader, filters, pairs=pairs, gates=pair_gates(pairs)) == stats.counts_and_names(reader, filters)
        assert stats.counts_and_names(reader, filters, pairs=[], gates=[]) == stats.counts_and_names(reader, filters)
        assert access.incident_branches(reader, pairs) == access.incident_branches(reader)


@pytest.mark.parametrize("data", [{}, {"pair": "qt-svk"}, {"gate": "lao-bao"}, {"kind": "unauthorised_migration"}])
def test_the_prepared_reads_give_what_the_orm_gives(readers, incidents, data):
    """The list's rows, counts and pairs through fixed-shape statements (`newest_first_read`, the counts' GROUP BY,
    `user_pair_rows`): the same rows, columns and figures as the ORM's queries for six readers and four filters (and,
    under tests, each call's statement compared with the ORM's by core.prepared)."""
    from django.db.models import Sum

    from borderlink.border.forms import pair_gates, user_pair_gates
    from borderlink.border.views import ROW_COLUMNS

    form = {"from": f"{timezone.localtime() - datetime.timedelta(days=60):%Y-%m}"}
    if "pair" in data:
        form["pair"] = pair_code()
    if "gate" in data:
        form["gate"] = gate("Lao Bảo").pk
    if "kind" in data:
        form["kind"] = data["kind"]
    counted_some = False
    for user in readers:
        pairs = access.user_pair_rows(user)
        assert [(p.pk, str(p)) for p in pairs] == [(p.pk, str(p)) for p in access.user_pairs(user).select_related("side_a", "side_b")]
        assert [(g.pk, str(g)) for g in user_pair_gates(user)] == [(g.pk, str(g)) for g in pair_gates(pairs)]
        try:
            filters = stats.parse_filters(user, form)
        except ValidationError:
            continue
        rows = stats.filtered(user, filters).only(*ROW_COLUMNS)
        orm = stats.NewestFirst(rows, access.incident_branches(user, pairs), rows.count())
        read = stats.newest_first_read(user, filters, access.incident_branch_keys(user, pairs), ROW_COLUMNS)
        for start, stop in ((0, 3), (3, 6), (2, 9), (0, 50), (len(orm), len(orm) + 3)):
            got, expected = read(start, stop), orm[start:stop]
            assert got is not None
            assert [[getattr(i, c + "_id" if c in ("pair", "gate") else c) for c in ROW_COLUMNS] for i in got] == \
                [[getattr(i, c + "_id" if c in ("pair", "gate") else c) for c in ROW_COLUMNS] for i in expected], (user.username, start, stop)
        assert read(0, stats.PREPARED_STOP_MAX + 1) is None  # deep pages: the ORM
        counted = access.visible_incident_counts(user).filter(month__gte=filters.start, month__lt=filters.end)
        if filters.pair:
            counted = counted.filter(pair=filters.pair)
        if filters.gate:
            counted = counted.filter(gate_key=filters.gate.pk)
        if filters.kind:
            counted = counted.filter(kind=filters.kind)
        expected_counts = {(r[0], r[1], r[2], r[3]): r[4] for r in counted.values("pair_id", "gate_key", "kind", "month").annotate(
            total=Sum("n")).order_by().values_list("pair_id", "gate_key", "kind", "month", "total")}
        shape, args = stats._filter_args(filters)
        got_counts = {(r["pair_id"], r["gate_key"], r["kind"], r["month"]): r["total"]
                      for r in stats._counts_read(shape).values(user, filters.start, filters.end, *args)}
        assert got_counts == expected_counts, user.username
        counted_some = counted_some or any(got_counts.values())
    assert counted_some
    # slices ending anywhere share the shapes of their end rounded up (not one compiled statement per count)
    assert stats._ROWS and all(key[3] % stats.STOP_STEP == 0 for key in stats._ROWS)
