"""Benchmark of joint cases at scale (issue 15); prints JSON.

    .venv/bin/python bench/cases.py --identifiers 100000 --cases 10000     # a few minutes
    .venv/bin/python bench/cases.py                                         # 1,000,000 identifiers, 100,000 cases

Steps, each bounded, in this process (no web server: pages go through Django's test client, the full
middleware stack with a signed-in, TOTP-verified session):

1. (Re)creates a dedicated PostgreSQL database (default ``h_cases_bench``; ``test``, ``postgres``,
   ``borderlink`` and the templates are refused), migrates it, loads the demo organisation and users.
2. COPYs the cases (led by VN-QT.PP, KH-SVR.PP accepted) and the identifiers (phones, bank accounts,
   wallets, plates; invented), spread over the cases. Most values are unique; some recur a few times, as
   the same phone in several cases does. The per-value rows are then built as the worker leaves them.
3. Correlation on write: ``--writes`` new entities through the service (``items.add_entity``: checks,
   audit, envelope), each followed by the worker's ``correlation.correlate`` for it; 30% reuse a stored
   value. p50/p95 of ``correlate`` alone and of the whole write.
4. A value shared by 10,000 objects: that many entities with one phone number, each correlated; the rows
   added to the correlation storage (``cases_identifiervalue``, ``cases_sameperson``) are counted.
5. A case with 2,000 entities and 3,000 links (its per-value rows as the worker leaves them): the case page and
   the graph page, ``--page-requests`` each; p50/p95 of the wall clock and of this process's CPU time, and the
   SQL statements per page (the graph draws the 120 best-connected entities; its layout is cached per version
   of what is drawn, so the first request computes it and the others reuse it).
6. Storage: bytes of ``cases_identifiervalue`` and of the entities' value index, per identifier.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFUSED = {"test", "postgres", "template0", "template1", "borderlink"}
BUDGET_WRITE_P95_MS = 50.0
BUDGET_PAGE_P95_MS = 150.0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else 0.0


def _stats(values: list[float], cpu: list[float] | None = None, queries: list[int] | None = None) -> dict[str, float]:
    """Wall-clock percentiles; with `cpu`, this process's CPU time per operation (what the operation costs here,
    whatever else the machine runs; the database server's work is in the wall clock only); with `queries`,
    the most SQL statements one operation ran."""
    out = {"n": len(values), "p50_ms": _pct(values, 0.5), "p95_ms": _pct(values, 0.95), "max_ms": round(max(values), 2)}
    if cpu:
        out.update({"cpu_p50_ms": _pct(cpu, 0.5), "cpu_p95_ms": _pct(cpu, 0.95),
                    "cpu_slowest": [[i, round(cpu[i], 1)] for i in sorted(range(len(cpu)), key=lambda i: -cpu[i])[:3]]})
    if queries:
        out["queries_max"] = max(queries)
    return out


def recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if name in REFUSED:
        sys.exit(f"refusing to drop database {name}")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def value_for(rng: random.Random, i: int) -> tuple[str, str, str, str]:
    """(kind, qualifier, value, label) of the i-th synthetic identifier (invented)."""
    kind = ("phone", "phone", "account", "wallet", "vehicle")[i % 5]
    # one value in ten recurs: drawn from a small pool, as the same phone turns up in several cases
    n = rng.randrange(50_000) if rng.random() < 0.1 else i
    if kind == "phone":
        value = f"+8559{n:08d}"
        return kind, "", value, value
    if kind == "account":
        return kind, "demo bank", f"{n:012d}", f"{n:012d} (demo bank)"
    if kind == "wallet":
        value = "0x" + f"{n:040x}"
        return kind, "ethereum", value, value
    return kind, "KH", f"2A{n:06d}", f"2A{n:06d} (KH)"


def copy_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/h_cases_bench")
    parser.add_argument("--identifiers", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--shared-value-objects", type=int, default=10_000)
    parser.add_argument("--graph-entities", type=int, default=2_000)
    parser.add_argument("--page-requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="do not freeze the objects held before the measures (borderlink/wsgi.py freezes them at start)")
    parser.add_argument("--profile", action="store_true",
                        help="profile correlate and the two pages with cProfile; the top functions go to stderr")
    args = parser.parse_args()
    import cProfile

    profiles = {name: cProfile.Profile() for name in ("correlate", "case_page", "graph_page")} if args.profile else {}

    def profiled(name: str) -> Any:
        """The named profile switched on around one operation (or nothing without --profile)."""
        import contextlib

        return profiles[name] if name in profiles else contextlib.nullcontext()

    recreate(args.database)
    os.environ.update({"DATABASE_URL": args.database, "DJANGO_SETTINGS_MODULE": "borderlink.settings", "BORDERLINK_DEBUG": "1",
                       "BORDERLINK_NODE_COUNTRY": "VN", "BORDERLINK_DATA_DIR": str(Path(tempfile.gettempdir()) / "h_cases_bench")})
    Path(os.environ["BORDERLINK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out: dict = {"scale": {"identifiers": args.identifiers, "cases": args.cases}, "database": "postgresql",
                 "load_average_at_start": os.getloadavg()}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_demo", country="VN", skip_content=True, verbosity=0, stdout=io.StringIO())  # stdout is the JSON
    from borderlink.accounts.models import User
    from borderlink.cases import correlation, items
    from borderlink.cases.items import EntityInput
    from borderlink.core.models import Unit

    officer = User.objects.get(username="vn.officer")
    lead, partner = Unit.objects.get(code="VN-QT.PP"), Unit.objects.get(code="KH-SVR.PP")
    out["setup_seconds"] = round(time.monotonic() - started, 1)

    # --- 2. bulk load -------------------------------------------------------------------------------------
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    started = time.monotonic()
    case_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(args.cases)]
    copy_rows("cases_case", ["id", "reference", "origin_node", "title", "offence", "legal_basis", "handling_code", "summary",
                             "lead_unit_id", "state", "outcome", "neutrality_flags", "neutrality_justification", "created_at",
                             "updated_at", "opened_at"],
              [(c, f"VN-QT.PP/JC/2026/{i:06d}", "", f"Bench case {i}", "fraud", "bench", "H0", "", lead.pk, "open", "", "[]", "",
                now, now, now) for i, c in enumerate(case_ids)])
    participants = []
    for i, c in enumerate(case_ids):
        for unit, state in ((lead, "lead"), (partner, "accepted")):
            participants.append((uuid.uuid4(), c, c, unit.pk, lead.pk, f"VN-QT.PP/JC/2026/{i:06d}", "fraud", "H0", "", state, ""))
    copy_rows("cases_participant", ["id", "case_key", "case_id", "unit_id", "lead_unit_id", "reference", "offence", "handling_code",
                                    "message", "state", "origin_node"], participants)
    del participants
    batch: list[tuple] = []
    stored_phones: list[str] = []
    for i in range(args.identifiers):
        kind, qualifier, value, label = value_for(rng, i)
        if kind == "phone" and i % 997 == 0:
            stored_phones.append(value)
        batch.append((uuid.uuid4(), case_ids[i % args.cases], "VN", lead.pk, "bench", i % 3 != 0, "", now, kind, label, qualifier,
                      value, "", now, ""))
        if len(batch) >= 50_000:
            copy_rows("cases_entity", ["id", "case_id", "owner_country_id", "unit_id", "author_name", "shared", "origin_node",
                                       "created_at", "kind", "label", "qualifier", "value", "details", "correlated_at", "role"], batch)
            batch = []
    if batch:
        copy_rows("cases_entity", ["id", "case_id", "owner_country_id", "unit_id", "author_name", "shared", "origin_node",
                                   "created_at", "kind", "label", "qualifier", "value", "details", "correlated_at", "role"], batch)
    with connection.cursor() as cursor:
        # the per-value rows as the worker leaves them: one per value, held-by counted up to the cap
        cursor.execute("INSERT INTO cases_identifiervalue (kind, qualifier, value, holders, common, updated_at) "
                       "SELECT kind, qualifier, value, LEAST(COUNT(*), %s), COUNT(*) > %s, now() FROM cases_entity "
                       "GROUP BY kind, qualifier, value", [correlation.COMMON_AFTER + 1, correlation.COMMON_AFTER])
        cursor.execute("ANALYZE")
        cursor.execute("SELECT COUNT(*) FROM cases_identifiervalue")
        values = cursor.fetchone()[0]
    out["load"] = {"seconds": round(time.monotonic() - started, 1), "entities": args.identifiers, "distinct_values": values}

    # --- 6. storage per identifier --------------------------------------------------------------------------
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('cases_identifiervalue')")
        value_bytes = cursor.fetchone()[0]
        cursor.execute("SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index "
                       "WHERE indrelid = 'cases_entity'::regclass")
        indexes = dict(cursor.fetchall())
    lookup = next((size for name, size in indexes.items() if "_value_" in name), 0)
    out["storage"] = {"identifier_value_table_bytes": value_bytes, "entity_value_index_bytes": lookup,
                      "bytes_per_identifier": round((value_bytes + lookup) / args.identifiers, 1),
                      "value_table_bytes_per_identifier": round(value_bytes / args.identifiers, 1),
                      "pair_rows": 0}

    # --- 3. correlation on write --------------------------------------------------------------------------
    import gc

    if not args.no_gc_freeze:
        gc.collect()
        gc.freeze()  # as borderlink/wsgi.py does when a web process starts
    out["gc_freeze"] = not args.no_gc_freeze
    target = case_ids[0]
    from django.test.utils import CaptureQueriesContext

    correlate_ms, correlate_cpu, correlate_queries, write_ms = [], [], [], []
    for i in range(args.writes):
        if rng.random() < 0.3:
            value = rng.choice(stored_phones)  # a value already stored
        else:
            value = f"+8558{i:08d}"
        t0 = time.perf_counter()
        entity = items.add_entity(officer, target, EntityInput(kind="phone", value=value, shared=True))
        with CaptureQueriesContext(connection) as captured:
            t1, c1 = time.perf_counter(), time.thread_time()
            with profiled("correlate"):
                correlation.correlate(entity.pk)
            t2, c2 = time.perf_counter(), time.thread_time()
        correlate_ms.append((t2 - t1) * 1000)
        correlate_cpu.append((c2 - c1) * 1000)
        correlate_queries.append(len(captured.captured_queries))
        write_ms.append((t2 - t0) * 1000)
    out["correlation_on_write"] = {"correlate": _stats(correlate_ms, correlate_cpu, correlate_queries),
                                   "write_and_correlate": _stats(write_ms),
                                   "budget_p95_ms": BUDGET_WRITE_P95_MS,
                                   "within_budget": _pct(correlate_ms, 0.95) <= BUDGET_WRITE_P95_MS}

    # --- 4. one value on 10,000 objects -----------------------------------------------------------------
    def storage_rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT (SELECT COUNT(*) FROM cases_identifiervalue) + (SELECT COUNT(*) FROM cases_sameperson)")
            return int(cursor.fetchone()[0])

    before = storage_rows()
    hot = "+85599999999"
    rows = [(uuid.uuid4(), case_ids[i % args.cases], "VN", lead.pk, "bench", True, "", now, "phone", hot, "", hot, "", None, "")
            for i in range(args.shared_value_objects)]
    copy_rows("cases_entity", ["id", "case_id", "owner_country_id", "unit_id", "author_name", "shared", "origin_node",
                               "created_at", "kind", "label", "qualifier", "value", "details", "correlated_at", "role"], rows)
    hot_ms = []
    for row in rows:
        t0 = time.perf_counter()
        correlation.correlate(row[0])
        hot_ms.append((time.perf_counter() - t0) * 1000)
    out["shared_value"] = {"objects": args.shared_value_objects, "rows_added": storage_rows() - before,
                           "correlate": _stats(hot_ms), "common_after": correlation.COMMON_AFTER}

    # --- 5. pages with 2,000 entities --------------------------------------------------------------------
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    big = case_ids[1]
    ents = [(uuid.uuid4(), big, "VN", lead.pk, "bench", True, "", now, "phone", f"+8557{i:08d}", "", f"+8557{i:08d}", "", now, "")
            for i in range(args.graph_entities)]
    copy_rows("cases_entity", ["id", "case_id", "owner_country_id", "unit_id", "author_name", "shared", "origin_node",
                               "created_at", "kind", "label", "qualifier", "value", "details", "correlated_at", "role"], ents)
    links = [(uuid.uuid4(), big, "VN", lead.pk, "bench", True, "", now, "called", ents[i][0], ents[rng.randrange(len(ents))][0],
              "", "call records") for i in range(len(ents)) for _ in range(3 if i % 2 else 0)]
    copy_rows("cases_link", ["id", "case_id", "owner_country_id", "unit_id", "author_name", "shared", "origin_node", "created_at",
                             "kind", "source_id", "target_id", "currency", "information_source"], links)
    with connection.cursor() as cursor:
        # the big case's per-value rows as the worker leaves them once it has cross-referenced its entities
        cursor.execute("INSERT INTO cases_identifiervalue (kind, qualifier, value, holders, common, updated_at) "
                       "SELECT kind, qualifier, value, LEAST(COUNT(*), %s), COUNT(*) > %s, now() FROM cases_entity "
                       "WHERE case_id = %s GROUP BY kind, qualifier, value ON CONFLICT DO NOTHING",
                       [correlation.COMMON_AFTER + 1, correlation.COMMON_AFTER, big])
        cursor.execute("ANALYZE cases_entity; ANALYZE cases_link; ANALYZE cases_identifiervalue")
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=officer).persistent_id
    session.save()
    pages = {}
    for name, path in (("case_page", f"/cases/{big}/"), ("graph_page", f"/cases/{big}/graph/")):
        assert client.get(path).status_code == 200
        if not args.no_gc_freeze:  # as borderlink/wsgi.py does after a web process's first requests
            gc.collect()
            gc.freeze()
        timings, cpu, queries = [], [], []
        for _ in range(args.page_requests):
            with CaptureQueriesContext(connection) as captured:
                t0, c0 = time.perf_counter(), time.thread_time()
                with profiled(name):
                    response = client.get(path)
                timings.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
            queries.append(len(captured.captured_queries))
            assert response.status_code == 200
        pages[name] = {**_stats(timings, cpu, queries), "bytes": len(response.content)}
    out["pages_2000_entities"] = {**pages, "links": len(links), "budget_p95_ms": BUDGET_PAGE_P95_MS,
                                  "within_budget": all(p["p95_ms"] <= BUDGET_PAGE_P95_MS for p in pages.values())}
    out["load_average"] = os.getloadavg()
    print(json.dumps(out, indent=2))
    import pstats

    for name, profile in profiles.items():
        print(f"--- {name}: top functions by cumulative time ---", file=sys.stderr)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
