"""Queries per main page do not grow with the rows it shows (issue 19): no N+1.

Each test draws a page, adds more of the rows the page lists (messages, results, recipients, timeline
steps, notifications...), draws it again and compares the number of queries of the second drawing of
each (the first may fill a per-process cache, catch up the name index or refresh the session)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from borderlink.assistance.models import RequestEvent
from borderlink.audit.models import AuditEvent
from borderlink.custody import services as custody_services
from borderlink.exchange.models import Message, MessageRecipient
from borderlink.persons.services import NameInput, PersonInput
from tests.assistance.helpers import sent
from tests.clock import moment_in_one_month, month_of
from tests.notices.helpers import LAO_NAME_LATIN, LAO_NAME_VI, DocumentInput, person, published

pytestmark = pytest.mark.django_db

# the audit event's statements (tests/core/test_page_queries.py _statements): one on PostgreSQL, a savepoint, its
# release and three on SQLite
AUDIT_STATEMENTS = {"postgresql": 1, "sqlite": 5}


def queries(client: Any, path: str) -> int:
    client.get(path)  # warm: per-process caches, the session's refresh, the name index's catch-up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


def message(sender: Any, *units: Any, reply_to: Message | None = None, priority: str = "routine") -> Message:
    now = timezone.now()
    m = Message.objects.create(origin_node="test", sender_unit=sender.unit, author=sender, subject="Check a vehicle",
                               body="Plate 74A-123.45 crossed at Lao Bao.", priority=priority,
                               priority_rank={"immediate": 0, "urgent": 1, "routine": 2}[priority], handling_code="H0",
                               state="sent", sent_at=now, in_reply_to=reply_to)
    for unit in units:
        MessageRecipient.objects.create(message=m, unit=unit, delivered_at=now, sent_at=now, priority_rank=m.priority_rank)
    return m


def test_inbox(officer, foreign_officer, login, org):
    client = login(officer)
    for n in range(2):
        message(foreign_officer, org.vn_unit, priority="urgent" if n else "routine")
    few = queries(client, "/messages/")
    for n in range(6):
        message(foreign_officer, org.vn_unit, priority=("routine", "urgent", "immediate")[n % 3])
    assert queries(client, "/messages/") == few


def test_a_message(officer, foreign_officer, login, org):
    client = login(officer)
    root = message(foreign_officer, org.vn_unit)
    opened = message(foreign_officer, org.vn_unit, reply_to=root)
    message(officer, org.la_unit, reply_to=opened)
    few = queries(client, f"/messages/{opened.pk}/")
    parent = message(foreign_officer, org.vn_unit)
    for n in range(3):  # a longer, deeper thread, more recipients
        parent = message(officer if n % 2 else foreign_officer, org.la_unit if n % 2 else org.vn_unit, reply_to=parent)
    opened = message(foreign_officer, org.vn_unit, org.kh_unit, org.vn_other, reply_to=parent)
    child = message(officer, org.la_unit, reply_to=opened)
    message(foreign_officer, org.vn_unit, reply_to=child)
    message(foreign_officer, org.vn_unit, reply_to=opened)
    assert queries(client, f"/messages/{opened.pk}/") == few


def test_notice_search(officer, supervisor, foreign_officer, login):
    client = login(foreign_officer)
    published(officer, supervisor, person(officer, LAO_NAME_VI))
    path = "/notices/search/?q=" + LAO_NAME_LATIN.replace(" ", "+")
    few = queries(client, path)
    for _ in range(3):
        published(officer, supervisor, person(officer, LAO_NAME_VI))
    assert queries(client, path) == few


def test_a_notice(officer, supervisor, foreign_officer, login):
    # one document against two (and more names): the joint-cases block looks documents up in one query when there are any
    plain = published(officer, supervisor, person(officer, LAO_NAME_VI, documents=[DocumentInput("passport", "P7654321", "LA")]))
    rich = published(officer, supervisor, person(
        officer, LAO_NAME_VI, "ສົມພອນ ແກ້ວມະນີ", "Somphone Keomany",
        documents=[DocumentInput("passport", "P1234567", "LA"), DocumentInput("national_id", "0123456789", "LA")]))
    for user in (officer, foreign_officer):  # the owner (timeline, hits) and a reader in another country
        client = login(user)
        assert queries(client, f"/notices/{rich.pk}/") == queries(client, f"/notices/{plain.pk}/")


def test_requests_dashboard(officer, supervisor, login, org):
    client = login(officer)
    sent(officer, supervisor, org.la_unit)
    few = queries(client, "/requests/")
    for n in range(4):
        sent(officer, supervisor, org.la_unit if n % 2 else org.kh_unit, urgency="urgent" if n % 2 else "normal")
    assert queries(client, "/requests/") == few


def test_a_request(officer, supervisor, foreign_officer, login, org):
    client = login(officer)
    short = sent(officer, supervisor, org.la_unit)
    long = sent(officer, supervisor, org.la_unit)
    for n in range(5):
        RequestEvent.objects.create(request=long, at=timezone.now(), actor=foreign_officer if n % 2 else officer,
                                    actor_name="x", actor_unit="LA-SVK", side="requested", action="clarification_asked",
                                    text=f"Question {n}")
    assert queries(client, f"/requests/{long.pk}/") == queries(client, f"/requests/{short.pk}/")


def test_custody_list(foreign_officer, supervisor, login):
    def hold(n: int) -> None:
        custody_services.record_custody(
            foreign_officer, PersonInput(names=[NameInput(f"Nguyễn Văn Thành {n}")], nationalities=["VN"]),
            custody_services.CustodyInput(nationality="VN", kind="arrest",
                                          detained_at=moment - datetime.timedelta(hours=n),
                                          place_held="Savannakhet", offence="fraud"))

    moment = moment_in_one_month()
    client = login(supervisor)
    hold(0)
    path = f"/custody/?country=LA&month={month_of(moment)}"
    few = queries(client, path)
    for n in range(1, 5):
        hold(n)
    assert queries(client, path) == few


def test_custody_list_rows_read_as_before(foreign_officer, supervisor, login):
    """The rows drawn in Python show what the template drew: link, labels, the date in the reader's format."""
    from django.template import Context, Template

    item = custody_services.record_custody(
        foreign_officer, PersonInput(names=[NameInput("Nguyễn Văn Thành")], nationalities=["VN"]),
        custody_services.CustodyInput(nationality="VN", kind="arrest", detained_at=moment_in_one_month(),
                                      place_held="Savannakhet", offence="fraud", consular_access_requested=True))
    page = login(supervisor).get(f"/custody/?country=LA&month={month_of(item.detained_at)}").content.decode()
    when = Template('{{ d|date:"SHORT_DATETIME_FORMAT" }}').render(Context({"d": item.detained_at}))
    row = (f'<tr><td><a href="/custody/{item.pk}/">{item.reference}</a></td><td>Nguyễn Văn Thành</td><td>Viet Nam</td>'
           f"<td>{when}</td><td>Savannakhet</td><td>{item.get_offence_display()}</td><td>{item.detaining_unit.name}</td><td>notified · consular access requested</td></tr>")
    assert row in page, page[page.find("<tbody>"):page.find("</tbody>")]


def test_requests_dashboard_counts_only_the_overdue_on_the_requests(officer, supervisor, foreign_officer, login, org):
    """The tabs' open and draft counts and the statistics come from the requests summary (issue 19); the only
    count over the requests is the overdue one (it depends on the time), and the open tab's paginator takes its
    count from the tabs'."""
    from borderlink.assistance.models import Request

    for n in range(3):
        sent(officer, supervisor, org.la_unit if n % 2 else org.kh_unit)
    table = connection.ops.quote_name(Request._meta.db_table)
    for user in (officer, supervisor, foreign_officer):
        client = login(user)
        client.get("/requests/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/requests/").status_code == 200
        counts = [q["sql"] for q in ctx.captured_queries if f"FROM {table}" in q["sql"] and "COUNT(" in q["sql"].upper()]
        assert len([sql for sql in counts if "deadline" in sql]) == 1, counts  # the overdue
        assert len(counts) == 1, counts
        # and, for a user who sees only their own requests to verify a victim's nationality, those (by their author),
        # read once for the tabs and the statistics
        own = [q["sql"] for q in ctx.captured_queries if f"FROM {table}" in q["sql"] and 'AS "requested_unit__country_id"' in q["sql"]]
        assert len(own) == (0 if user is supervisor else 1), own


def _tables(client: Any, path: str) -> list[str]:
    """The SQL of the second drawing of `path` (the first may fill per-process caches)."""
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_request_reads_only_what_the_page_shows(officer, supervisor, login, org):
    """No handover, gate or unit lists for a request that is not an arrest and handover, and no step forms' choices
    for a user who may not take those steps (issue 19)."""
    req = sent(officer, supervisor, org.la_unit)
    sql = _tables(login(officer), f"/requests/{req.pk}/")
    assert not [s for s in sql if "assistance_handover" in s or "core_bordergate" in s], sql
    assert not [s for s in sql if s.lstrip().startswith('SELECT "core_unit"')], sql


def test_the_custody_list_opens_in_one_query(foreign_officer, supervisor, login):
    """The opening (latest record) is one query, the countries of the filter come from the kept list (issue 19)."""
    custody_services.record_custody(
        foreign_officer, PersonInput(names=[NameInput("Nguyễn Văn Thành")], nationalities=["VN"]),
        custody_services.CustodyInput(nationality="VN", kind="arrest", detained_at=moment_in_one_month(),
                                      place_held="Savannakhet", offence="fraud"))
    sql = _tables(login(supervisor), "/custody/")
    assert not [s for s in sql if 'FROM "core_country"' in s], sql
    assert len([s for s in sql if "DESC LIMIT 1" in s and "custody_custodyrecord" in s]) == 1, sql  # the latest
    assert not [s for s in sql if 'AS "a" FROM "custody_custodyrecord"' in s], sql  # no second look (exists) for this month
    assert not [s for s in sql if '"core_country"' in s], sql  # the rows' nationality from the kept list, not a join
    page = login(supervisor).get("/custody/").content.decode()
    assert "<td>Viet Nam</td>" in page, page


def test_a_notice_reads_its_subject_names_once(officer, supervisor, foreign_officer, login):
    notice = published(officer, supervisor, person(officer, LAO_NAME_VI, "Somphone Keomany"))
    for user in (officer, foreign_officer):
        sql = _tables(login(user), f"/notices/{notice.pk}/")
        assert len([s for s in sql if 'FROM "persons_personname"' in s]) == 1, sql


def test_the_notice_search_reads_no_country(officer, supervisor, foreign_officer, login):
    published(officer, supervisor, person(officer, LAO_NAME_VI))
    sql = _tables(login(foreign_officer), "/notices/search/?q=" + LAO_NAME_LATIN.replace(" ", "+"))
    assert not [s for s in sql if 'FROM "core_country"' in s], sql


def _statements(client: Any, path: str) -> list[str]:
    """The statements of the second drawing of `path` but the audit event's (one statement on PostgreSQL, a
    savepoint and three on SQLite) and the connection's health check; and that drawing appended one audit event."""
    from borderlink.audit.models import AuditEvent

    client.get(path)
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    assert AuditEvent.objects.count() == before + 1  # one event per view
    return [q["sql"] for q in ctx.captured_queries if "audit_audit" not in q["sql"] and q["sql"].strip().upper() != "SELECT 1"
            and not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_requests_dashboard_queries(officer, supervisor, foreign_officer, login, org):
    """The dashboard's statements, named (issue 19: 12 before branch h19g, and the audit event): the session, the
    user, the user's own requests to verify a victim's nationality (only for those who do not see them all: read
    once for the tabs and the statistics), the tabs' counts from the summary, the overdue (counted on the requests),
    the statistics' counts and answer hours from the summary, the two medians in one query (when there are answers),
    the page and the alerts; and the audit event."""
    from borderlink.assistance.models import Request

    reqs = [sent(officer, supervisor, org.la_unit if n % 2 else org.kh_unit) for n in range(3)]
    now = timezone.now()
    Request.objects.filter(pk__in=[r.pk for r in reqs]).update(first_answer_at=now)  # (the summary follows: models.py)
    expected = {officer: 10, supervisor: 9, foreign_officer: 10}
    for user, count in expected.items():
        sql = _statements(login(user), "/requests/")
        assert len(sql) == count, (user.username, sql)
        medians = [s for s in sql if '"first_answer_at" IS NOT NULL' in s]
        assert len(medians) == 1, medians  # both ways in one query
    # the other tabs: the same statements, but the page's when the tab is empty (its count is known: no query)
    client = login(officer)
    for tab in ("overdue", "drafts", "closed"):
        assert len(_statements(client, f"/requests/?tab={tab}")) == expected[officer] - 1, tab


def test_notice_search_queries(officer, supervisor, foreign_officer, login, api, django_assert_max_num_queries):
    """The search's statements, named (issue 19: 6 before branch h19p): the session, the user, the name index's
    catch-up, the candidate notices' shown fields (ids and rows in one statement), their subjects' names; and the
    audit event of the search. With a document (and filters, the ORM's form of the same read): the notices holding
    it, one more. The API: the token (with its user) instead of the session and the user."""
    for _ in range(3):
        published(officer, supervisor, person(officer, LAO_NAME_VI))
    client = login(foreign_officer)
    path = "/notices/search/?q=" + LAO_NAME_LATIN.replace(" ", "+")
    statements = _statements(client, path)
    assert len(statements) == 5, statements
    assert sum("persons_indexchange" in s for s in statements) == 1
    assert sum("notices_notice" in s for s in statements) == 1  # ids and rows together
    assert sum("persons_personname" in s for s in statements) == 1
    with_document = _statements(client, path + "&document=X1&state=published")
    assert len(with_document) == 6, with_document
    token = api(foreign_officer)
    token.get("/api/notices/search?q=x")  # (the token's first use writes its last use)
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(4 + AUDIT_STATEMENTS[connection.vendor]) as ctx:
        response = token.get("/api/notices/search?q=" + LAO_NAME_LATIN.replace(" ", "+"))
    assert response.status_code == 200 and len(response.json()) == 3
    assert AuditEvent.objects.count() == before + 1
    assert sum("notices_notice" in q["sql"] for q in ctx.captured_queries) == 1
