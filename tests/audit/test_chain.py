from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from borderlink.audit.models import AppendOnlyError, AuditEvent
from borderlink.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(officer):
    for n in range(5):
        record(officer, "exchange.search", object_type="message", data={"q": f"query {n}", "n": n})
    return list(AuditEvent.objects.order_by("seq"))


def test_intact_chain_verifies(chain, capsys):
    assert verify_chain().ok
    call_command("audit_verify")
    assert "OK: 5 events" in capsys.readouterr().out


def test_each_event_links_to_the_previous(chain):
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash


def test_changed_row_breaks_the_chain(chain):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET data = %s WHERE seq = 3", ['{"q": "forged", "n": 2}'])
    report = verify_chain()
    assert not report.ok and report.broken_at == 3
    with pytest.raises(CommandError, match="BROKEN at event 3"):
        call_command("audit_verify")


def test_changed_actor_breaks_the_chain(chain):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_username = 'someone' WHERE seq = 2")
    assert verify_chain().broken_at == 2


def test_deleted_row_breaks_the_chain(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    report = verify_chain()
    assert not report.ok and report.broken_at == 2
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_deleted_last_row_breaks_the_chain(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 5")
    report = verify_chain()
    assert not report.ok and report.broken_at == 5


def test_rehashed_forgery_is_still_caught(chain):
    """Recomputing one row's hash does not help: the next row links to the old one."""
    event = AuditEvent.objects.get(seq=3)
    event.data = {"q": "forged"}
    forged_hash = event.compute_hash()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET data = %s, hash = %s WHERE seq = 3", ['{"q": "forged"}', forged_hash]
        )
    assert verify_chain().broken_at == 4


def test_application_cannot_change_or_delete_events(chain):
    event = chain[0]
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=1).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_auditor_reads_and_filters_the_log(chain, auditor, login):
    client = login(auditor)
    page = client.get("/audit/", {"actor": "officer", "action": "exchange.search"})
    assert page.status_code == 200
    assert page.content.decode().count("query ") == 5
    assert client.get("/audit/", {"actor": "nobody"}).content.decode().count("query ") == 0
    assert AuditEvent.objects.filter(action="audit.viewed", actor_username="auditor").exists()


def test_audit_log_has_no_edit_route(auditor, login):
    client = login(auditor)
    assert client.post("/audit/", {"seq": 1}).status_code in (200, 405)
    from django.contrib import admin

    assert AuditEvent not in admin.site._registry


def test_bad_filter_dates_are_explained(auditor, login):
    page = login(auditor).get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "start date is after the end date" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain():
    """Appends from several connections at once are serialised on the head row: no fork, no gap."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    if connection.vendor != "postgresql":  # the suite's in-memory SQLite (shared cache) fails at once instead of waiting
        pytest.skip("needs PostgreSQL (make test-postgres)")

    def append(worker: int) -> None:
        try:
            for n in range(10):
                record(None, "notices.search", object_type="notice", data={"worker": worker, "n": n})
        finally:
            connections.close_all()

    before = AuditEvent.objects.count()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(append, range(4)))
    report = verify_chain()
    assert report.ok, report
    assert report.checked == before + 40
