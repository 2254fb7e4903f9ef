"""Benchmark of the main pages at scale (issue 19); prints JSON.

    .venv/bin/python bench/pages.py --scale 0.02 --source worktree     # 20,000 persons and messages: minutes
    .venv/bin/python bench/pages.py                                    # 1,000,000 persons and messages, 100,000 requests
    .venv/bin/python bench/pages.py --scale 0.02 --reuse --profile 30  # profile each page in-process (pyinstrument)

Steps, each bounded:

1. (Re)creates a dedicated PostgreSQL database (default ``h_pages_bench``; ``test``, ``postgres``,
   ``borderlink`` and the templates are refused), migrates it, loads the demo data and collects static
   files (as ``bench/notices.py``).
2. Loads the data set: ``1,000,000 x scale`` persons with names and notices (``bench/notices.py``'s COPY
   loader), then with ``INSERT ... SELECT generate_series`` (no row crosses the client):
   ``1,000,000 x scale`` messages between the three provincial units (one recipient each, 90% read),
   ``100,000 x scale`` assistance requests between them in every state with two timeline events each (a first
   answer in the answered states; then ``manage.py request_summary --rebuild``: they were written by SQL),
   and ``50,000 x scale`` custody notifications over 24 months. ``VACUUM ANALYZE``.
   With ``--reuse`` an already loaded database is used as it is (same ``--database`` and ``--scale``).
3. Starts gunicorn as ``bench/notices.py`` does (2 gthread workers x 4 threads, preloaded name index).
4. For each page in turn, ``--clients`` clients (a verified session each; officers, supervisors for the
   custody list) request it ``--requests`` times after ``--warmup`` uncounted requests: closed loop
   (``--think-ms 0``, the default) or with an exponential think time. The pages: the inbox, a message
   (one the client's unit received; opening it marks it read the first time), the notice search (a name
   in another script or spelling than stored), a notice, the requests dashboard, a request, the custody list.
5. Prints JSON: sizes and load times; per page p50/p95/p99/max, throughput, errors, and CPU per view
   (user+system seconds of the gunicorn processes, and separately of the PostgreSQL backends serving them,
   read from /proc, divided by the requests counted: ``cpu_ms_per_view_app`` / ``_db``; the clients' own, which
   run on the same cores: ``cpu_ms_per_view_client``, their threads' CPU clock); server memory
   (RSS and PSS); load average at start and end.

``--profile N`` instead runs N requests per page in this process under pyinstrument (Django's test client,
the same database, DEBUG off) and prints each page's query count and the profile's heaviest frames.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import notices as nb  # noqa: E402  (the sibling benchmark: database, loader, server and memory helpers)

ROOT = BENCH.parent
BUDGET_P95_MS = 150.0
BUDGET_CPU_MS = 10.0
PROVINCIAL = ("VN-QT.PP", "LA-SVK.PP", "KH-SVR.PP")
OFFICERS = ["vn.officer", "la.officer", "kh.officer"]
SUPERVISORS = ["vn.supervisor", "la.supervisor", "kh.supervisor"]
PAGES = ["inbox", "message", "notice_search", "notice", "requests_dashboard", "request", "custody_list",
         "cases", "case", "meetings", "meeting", "incidents", "incident", "victims", "victim", "plans", "plan"]
# The new apps' list and detail pages: (list page, detail page, model, list path, detail path prefix, clones at scale 1.0,
# the access function giving what a user sees). Their rows are copies of the demo's (see clone_new_apps).
NEW_APPS = [
    ("cases", "case", "cases.Case", "/cases/", "/cases/", 100_000, "borderlink.cases.access:visible_cases"),
    ("meetings", "meeting", "border.Meeting", "/border/meetings/", "/border/meetings/", 20_000,
     "borderlink.border.meeting_access:visible_meetings"),
    ("incidents", "incident", "border.BorderIncident", "/border/", "/border/", 100_000, "borderlink.border.access:visible_incidents"),
    ("victims", "victim", "victims.VictimCase", "/victims/", "/victims/", 20_000, "borderlink.victims.access:visible_cases"),
    ("plans", "plan", "plans.Plan", "/plans/", "/plans/", 1_000, "borderlink.plans.access:visible_plans"),
]


# ---- data set ----------------------------------------------------------------------------


def _defaults(model, given: dict[str, str]) -> tuple[list[str], list[str], list]:
    """Columns, SQL expressions and parameters for INSERT ... SELECT: `given` maps a column to an SQL
    expression over ``g`` (the series); every other column gets its field's default (the schema may grow)."""
    from django.db import models

    cols, exprs, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.column in given:
            cols.append(f.column)
            exprs.append(given[f.column])
            continue
        if isinstance(f, models.AutoField) or getattr(f, "generated", False):
            continue
        value = f.get_default() if f.has_default() else None
        if value is None and not f.null and isinstance(f, (models.CharField, models.TextField)):
            value = ""
        if value is None and not f.null:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                cols.append(f.column)
                exprs.append("now()")
                continue
            raise SystemExit(f"bench: no value for the NOT NULL column {model._meta.db_table}.{f.column}")
        cols.append(f.column)
        if isinstance(f, models.JSONField):
            exprs.append("%s::jsonb")
            params.append(json.dumps(value))
        else:
            exprs.append("%s")
            params.append(value)
    missing = set(given) - set(cols)
    if missing:
        raise SystemExit(f"bench: {model._meta.db_table} has no column {sorted(missing)}")
    return cols, exprs, params


def insert_series(cur, model, n: int, given: dict[str, str], source: str = "generate_series(1, %(n)s) AS g") -> None:
    cols, exprs, params = _defaults(model, given)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {source % {'n': int(n)}}"
    cur.execute(sql, params)


def load_pages_data(url: str, messages: int, requests: int, custody: int) -> dict:
    """Messages, requests and custody notifications between the three provincial units, in SQL."""
    import psycopg

    from borderlink.assistance.models import Request, RequestEvent
    from borderlink.core.models import Unit
    from borderlink.custody.models import CustodyEvent, CustodyRecord
    from borderlink.exchange.models import Message, MessageRecipient

    units = {u.code: (u.pk, u.country_id) for u in Unit.objects.filter(code__in=PROVINCIAL)}
    ids = "ARRAY[" + ",".join(str(units[c][0]) for c in PROVINCIAL) + "]"
    countries = "ARRAY[" + ",".join(f"'{units[c][1]}'" for c in PROVINCIAL) + "]"
    # unit i of the series sends, unit (i + 1 + (g / 3) % 2) % 3 receives: each unit receives a third
    s, r = "(g %% 3)", "((g %% 3 + 1 + (g / 3) %% 2) %% 3)"
    started = time.perf_counter()
    out = {}
    with psycopg.connect(**nb._pg_kwargs(url)) as conn, conn.cursor() as cur:
        with contextlib.suppress(psycopg.Error):
            cur.execute("SET session_replication_role = replica")  # no FK triggers for generated, consistent rows
        t0 = time.perf_counter()
        insert_series(cur, Message, messages, {
            "id": "md5('m' || g)::uuid", "origin_node": "'borderlink-vn'", "sender_unit_id": f"({ids})[{s} + 1]",
            "author_name": "'Bench Officer'", "subject": "'Synthetic message ' || g",
            "body": "'Synthetic benchmark message number ' || g || '; every fact is invented.'",
            "priority": "(ARRAY['routine','routine','routine','routine','urgent','immediate'])[g %% 6 + 1]",
            "priority_rank": "(ARRAY[2,2,2,2,1,0])[g %% 6 + 1]", "handling_code": "'H0'", "state": "'sent'",
            "crosses_border": "true", "created_at": "now() - g * interval '47 seconds'",
            "sent_at": "now() - g * interval '47 seconds'",
        })
        insert_series(cur, MessageRecipient, messages, {
            "message_id": "md5('m' || g)::uuid", "unit_id": f"({ids})[{r} + 1]",
            "delivered_at": "now() - g * interval '47 seconds'", "sent_at": "now() - g * interval '47 seconds'",
            "priority_rank": "(ARRAY[2,2,2,2,1,0])[g %% 6 + 1]",
            "read_at": "CASE WHEN g %% 10 = 0 THEN NULL ELSE now() - g * interval '40 seconds' END",
            "read_by_name": "CASE WHEN g %% 10 = 0 THEN '' ELSE 'Bench Reader' END",
        })
        out["messages_seconds"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        states = "ARRAY['sent','received','accepted','clarification','partly_answered','answered','declined','closed','draft','submitted']"
        insert_series(cur, Request, requests, {
            "id": "md5('r' || g)::uuid", "reference": "'BENCH-' || g",
            "kind": "(ARRAY['verify_identity','locate','trace_phone','obtain_evidence','verify_record'])[g %% 5 + 1]",
            "urgency": "CASE WHEN g %% 7 = 0 THEN 'urgent' ELSE 'normal' END", "offence": "'fraud'",
            "subject": "'Synthetic request ' || g", "details": "'Synthetic benchmark request; every fact is invented.'",
            "identifier": "CASE WHEN g %% 5 = 2 THEN '+856 20 ' || (1000000 + g) ELSE '' END",
            "requesting_unit_id": f"({ids})[{s} + 1]", "requested_unit_id": f"({ids})[{r} + 1]",
            "state": f"({states})[g %% 10 + 1]",
            "deadline": f"CASE WHEN ({states})[g %% 10 + 1] IN ('draft','submitted') THEN NULL "
                        "ELSE now() + ((g %% 60) - 20) * interval '1 day' END",
            "sent_at": "now() - g * interval '5 minutes'", "created_at": "now() - g * interval '5 minutes'",
            "updated_at": "now() - g * interval '4 minutes'",
            # a first answer 0-239 hours (and some seconds) after sending, for the states after one
            "first_answer_at": f"CASE WHEN ({states})[g %% 10 + 1] IN ('partly_answered','answered','declined','closed') "
                               "THEN LEAST(now(), now() - g * interval '5 minutes' + ((g * 7919) %% 240) * interval '1 hour' "
                               "+ (g %% 3600) * interval '1 second') END",
        })
        insert_series(cur, RequestEvent, 2 * requests, {
            "id": "md5('re' || g)::uuid", "request_id": "md5('r' || ((g + 1) / 2))::uuid",
            "at": "now() - g * interval '150 seconds'", "actor_name": "'Bench Officer'", "actor_unit": "'bench'",
            "side": "'requesting'", "action": "CASE WHEN g %% 2 = 1 THEN 'created' ELSE 'sent' END",
            "to_state": "CASE WHEN g %% 2 = 1 THEN 'draft' ELSE 'sent' END",
        })
        out["requests_seconds"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        # a person per record, of the nationality of the country the record's unit is not in
        insert_series(cur, CustodyRecord, custody, {
            "id": "md5('c' || g)::uuid", "reference": "'C-BENCH-' || g", "detaining_unit_id": f"({ids})[{s} + 1]",
            "nationality_id": f"({countries})[{r} + 1]", "person_id": "p.id", "person_name": "'Bench Person ' || g",
            "kind": "CASE WHEN g %% 3 = 0 THEN 'detention' ELSE 'arrest' END",
            "detained_at": f"now() - (g * {24 * 30 * 86400 // max(1, custody)}) * interval '1 second'",
            "place_held": "'Provincial detention centre'", "offence": "'fraud'", "state": "CASE WHEN g %% 4 = 0 THEN 'notified' ELSE 'acknowledged' END",
        }, source="(SELECT id, row_number() OVER () AS g FROM persons_person LIMIT %(n)s) AS p")
        insert_series(cur, CustodyEvent, custody, {
            "id": "md5('ce' || g)::uuid", "record_id": "md5('c' || g)::uuid", "at": "now() - g * interval '1 hour'",
            "actor_name": "'Bench Officer'", "actor_unit": "'bench'", "action": "'recorded'", "to_state": "'notified'",
        })
        out["custody_seconds"] = round(time.perf_counter() - t0, 1)
        conn.commit()
    out["pages_data_seconds"] = round(time.perf_counter() - started, 1)
    return out


def clone_new_apps(url: str, scale: float, only: set[str] | None = None) -> dict:
    """The new apps' objects at scale: each demo case, meeting, border incident, victim case and plan copied
    (``INSERT ... SELECT`` in the database) with its direct children (timeline, participants, items...), so that
    lists hold many rows and the copies are visible to the same units as the originals. In a copy, every
    column that held the original's id holds the copy's (``case_key``), references get a suffix; grandchildren
    are not copied (a copy's link may name the original's entities: the pages only read them). A model whose
    copy fails (a constraint the copy breaks) is reported and left with the demo's rows."""
    import psycopg
    from django.apps import apps
    from django.db import models

    out: dict = {}
    with psycopg.connect(**nb._pg_kwargs(url)) as conn:
        for _list, _detail, label, _lp, _dp, at_scale_1, _access in NEW_APPS:
            if only is not None and label not in only:
                continue
            model = apps.get_model(label)
            n = max(1, int(at_scale_1 * scale))
            table, pk = model._meta.db_table, model._meta.pk.column
            templates = [r[0] for r in conn.execute(f"SELECT {pk} FROM {table} ORDER BY {pk}").fetchall()]
            if not templates:
                out[label] = {"error": "no demo rows to copy"}
                continue
            t0 = time.perf_counter()
            if label == "cases.Case":  # the demo's entities cross-referenced first, as the worker does after a write
                out["cases_correlated_before_copy"] = correlate_pending()
            try:
                with conn.transaction(), conn.cursor() as cur:
                    cur.execute("SET LOCAL session_replication_role = replica")
                    cur.execute("DROP TABLE IF EXISTS clone_map")
                    # copy g of template (g % T): new id md5(label || g)
                    cur.execute(f"CREATE TEMP TABLE clone_map ON COMMIT DROP AS SELECT t.{pk} AS old, md5(%s || g)::uuid AS new, g "
                                f"FROM generate_series(1, %s) g JOIN (SELECT {pk}, row_number() OVER (ORDER BY {pk}) - 1 AS i FROM "
                                f"{table}) t ON t.i = g %% %s", [label, n, len(templates)])
                    rows = {label: _copy(cur, model, "clone_map", parent_column=pk)}
                    for rel in model._meta.related_objects:
                        if not (rel.one_to_many or rel.one_to_one) or rel.related_model._meta.auto_created:
                            continue
                        child = rel.related_model
                        rows[child._meta.label] = _copy(cur, child, "clone_map", parent_column=rel.field.column)
                    if label == "cases.Case":
                        rows.update(_copy_entity_matches(cur))
                        rows["cases.IdentifierValue"] = recount_identifier_values(cur)
                out[label] = {"rows": rows, "seconds": round(time.perf_counter() - t0, 1)}
            except psycopg.Error as exc:
                out[label] = {"error": str(exc).splitlines()[0][:300]}
        conn.commit()
    _ = models
    return out


def rebuild_incident_summary() -> float | None:
    """The incidents were copied by SQL: their summary from them (`manage.py incident_summary --rebuild`), as the
    requests' (`request_summary --rebuild`). Seconds taken, None when the code has no such summary."""
    from django.core.management import call_command, get_commands

    if "incident_summary" not in get_commands():
        return None
    t0 = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("incident_summary", "--rebuild", stdout=devnull)
    return round(time.perf_counter() - t0, 1)


def correlate_pending() -> int:
    """Cross-reference every entity not cross-referenced yet with the worker's own function (`correlate`: the
    value's per-value row, or the name engine's same-person and request candidates), as a node's worker does
    after the demo's writes. Run before the cases are copied, so that the copies carry what it left (their
    `correlated_at`, and their candidates: `_copy_entity_matches`). Returns how many entities it took."""
    from borderlink.cases.correlation import correlate
    from borderlink.cases.models import Entity

    pending = list(Entity.objects.filter(correlated_at__isnull=True).order_by("created_at").values_list("pk", flat=True))
    for pk in pending:
        correlate(pk)
    from django.db import connections

    connections.close_all()
    return len(pending)


def _copy_entity_matches(cur) -> dict[str, int]:
    """The copied entities' same-person and request candidates: each copy of an entity holds the same person as
    its original, so the worker's `correlate` would have found the same candidates for it (copies of one person
    are never each other's candidates: the name engine never matches a person with itself)."""
    from django.apps import apps

    cur.execute("DROP TABLE IF EXISTS entity_map")
    cur.execute("CREATE TEMP TABLE entity_map ON COMMIT DROP AS SELECT e.id AS old, md5(e.id::text || m.g)::uuid AS new, m.g "
                "FROM cases_entity e JOIN clone_map m ON e.case_id = m.old")
    return {label: _copy(cur, apps.get_model(label), "entity_map", parent_column="entity_id")
            for label in ("cases.SamePerson", "cases.RequestPerson")}


def recount_identifier_values(cur) -> int:
    """The per-value rows (`cases_identifiervalue`) as the worker's `correlate` leaves them once every holder of a
    value is cross-referenced: holders counted up to COMMON_AFTER + 1, common above COMMON_AFTER, no row for a
    value an administrator excluded, a document number's holders counting the identity documents of persons who
    are in no case (`correlation.count_value`). The copies were written by SQL, so no worker counted them: every
    copied value is held by as many entities as there are copies, and is common on a node that holds them."""
    from borderlink.cases.correlation import COMMON_AFTER
    from borderlink.cases.models import IDENTIFIER_KINDS, EntityKind

    cur.execute(
        """WITH held AS (
               SELECT kind, qualifier, value, count(*) AS n FROM cases_entity e
               WHERE kind = ANY(%(kinds)s) AND value <> ''
                 AND NOT EXISTS (SELECT 1 FROM cases_excludedvalue x WHERE x.kind = e.kind AND x.value = e.value)
               GROUP BY kind, qualifier, value
           ), counted AS (
               SELECT kind, qualifier, value, n + CASE WHEN kind = %(document)s THEN (
                   SELECT count(*) FROM persons_identitydocument d WHERE d.number_normalised = held.value
                     AND NOT EXISTS (SELECT 1 FROM cases_entity c WHERE c.person_id = d.person_id)) ELSE 0 END AS n
               FROM held
           )
           INSERT INTO cases_identifiervalue (kind, qualifier, value, holders, common, updated_at)
           SELECT kind, qualifier, value, least(n, %(cap)s), n > %(after)s, now() FROM counted
           ON CONFLICT (value, kind, qualifier) DO UPDATE
               SET holders = EXCLUDED.holders, common = EXCLUDED.common, updated_at = EXCLUDED.updated_at""",
        {"kinds": [str(k) for k in IDENTIFIER_KINDS], "document": str(EntityKind.DOCUMENT), "cap": COMMON_AFTER + 1,
         "after": COMMON_AFTER})
    return cur.rowcount


def _copy(cur, model, mapping: str, parent_column: str) -> int:
    """INSERT copies of `model`'s rows whose `parent_column` is an original in `mapping` (old, new, g)."""
    from django.db import models

    cols, exprs = [], []
    # a nullable column of a unique constraint is left empty in the copies (a meeting's schedule: copies are one-off)
    emptied = {model._meta.get_field(name).column for c in model._meta.constraints for name in getattr(c, "fields", ())
               if model._meta.get_field(name).null}
    for f in model._meta.concrete_fields:
        if getattr(f, "generated", False):
            continue
        col = f.column
        if col in emptied and col != parent_column:
            cols.append(f'"{col}"')
            exprs.append("NULL")
            continue
        if col == parent_column:  # the copied object's own key, or its child's reference to it
            cols.append(f'"{col}"')
            exprs.append("m.new")
            continue
        if f.primary_key:
            if isinstance(f, models.UUIDField):
                cols.append(f'"{col}"')
                exprs.append(f'md5(c."{col}"::text || m.g)::uuid')
            continue  # an integer key: the sequence numbers the copy
        cols.append(f'"{col}"')
        if isinstance(f, models.UUIDField) or col.endswith("_key"):
            exprs.append(f'CASE WHEN c."{col}"::text = m.old::text THEN m.new::text ELSE c."{col}"::text END::{_pg_type(cur, model, col)}')
        elif isinstance(f, models.CharField) and (f.unique or col in ("reference", "number")) and f.max_length:
            exprs.append(f"left(c.\"{col}\", {f.max_length - 9}) || '-' || m.g")
        else:
            exprs.append(f'c."{col}"')
    cur.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
                f'FROM {model._meta.db_table} c JOIN {mapping} m ON c."{parent_column}" = m.old')
    return cur.rowcount


def _pg_type(cur, model, column: str) -> str:
    cur.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
                [model._meta.db_table, column])
    return cur.fetchone()[0]


def samples(n: int = 200) -> dict[str, dict[str, list[str]]]:
    """Per page and per user: paths to request (messages the user's unit received, notices it may see,
    requests it is party to)."""
    from borderlink.accounts.models import User
    from borderlink.assistance.models import Request
    from borderlink.exchange.models import MessageRecipient
    from borderlink.notices.access import visible_notices

    out: dict[str, dict[str, list[str]]] = {p: {} for p in PAGES}
    for name in OFFICERS:
        user = User.objects.select_related("unit").get(username=name)
        unit = user.unit_id
        out["inbox"][name] = ["/messages/"]
        msgs = MessageRecipient.objects.filter(unit_id=unit, message__state="sent").order_by("-message__sent_at")
        out["message"][name] = [f"/messages/{m}/" for m in msgs.values_list("message_id", flat=True)[: n]]
        # Through the access helper: a published notice is not necessarily shared with the user's country.
        notices = visible_notices(user).filter(state="published").exclude(issuing_unit_id=unit).order_by("pk")
        out["notice"][name] = [f"/notices/{pk}/" for pk in notices.values_list("pk", flat=True)[: n]]
        out["requests_dashboard"][name] = ["/requests/"]
        reqs = Request.objects.filter(requested_unit_id=unit, state__in=("sent", "received", "accepted")).order_by("pk")
        out["request"][name] = [f"/requests/{pk}/" for pk in reqs.values_list("pk", flat=True)[: n]]
    for name in SUPERVISORS:
        out["custody_list"][name] = ["/custody/"]
    import importlib

    users = list(User.objects.filter(is_active=True).select_related("unit").order_by("username"))
    for list_page, detail_page, _label, list_path, detail_path, _n, access in NEW_APPS:
        module, func = access.split(":")
        visible = getattr(importlib.import_module(module), func)
        for user in users:  # demo users who see copies: up to three, one per country
            if user.unit_id is None:
                continue
            ids = list(visible(user).order_by("-pk").values_list("pk", flat=True)[:n])
            if len(ids) > 1 and len(out[list_page]) < 3 and user.unit.country_id not in {
                    u.unit.country_id for u in users if u.username in out[list_page]}:
                out[list_page][user.username] = [list_path]
                out[detail_page][user.username] = [f"{detail_path}{pk}/" for pk in ids]
    return out


# ---- measurement -------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the processes (from /proc/<pid>/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def db_backends(url: str) -> list[int]:
    """Process ids of the PostgreSQL backends serving clients of the benchmark database (the server's; not
    autovacuum, which works on the freshly loaded tables during the first pages)."""
    import psycopg

    with psycopg.connect(**nb._pg_kwargs(url), autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                            "AND backend_type = 'client backend'").fetchall()
    return [r[0] for r in rows]


class BackendCPU:
    """CPU seconds of the database backends over a phase: backends come and go (connections are recycled),
    so each is sampled while it lives; one first seen during the phase counts from zero."""

    def __init__(self, pids) -> None:
        self.pids = pids
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.started = False

    def sample(self) -> None:
        for pid in self.pids():
            value = cpu_seconds([pid])
            self.first.setdefault(pid, value if not self.started else 0.0)
            self.last[pid] = max(self.last.get(pid, 0.0), value)

    def start(self) -> None:
        self.first, self.last = {}, {}
        self.sample()
        self.started = True

    def seconds(self) -> float:
        self.sample()
        return sum(self.last[p] - self.first[p] for p in self.last)


def run_page(port: int, page: str, paths: dict[str, list[str]], cookies: dict[str, str], clients: int, requests: int,
             warmup: int, max_seconds: float, think_ms: float, app_pids, db_pids, memory_probe) -> dict:
    """`clients` threads share warmup + requests requests of one page; CPU counted over the counted part."""
    db_cpu = BackendCPU(db_pids)
    users = sorted(paths)
    lock = threading.Lock()
    state = {"next": 0, "cpu_start": None}
    latencies: list[float] = []
    client_cpu: list[float] = []  # this process's CPU seconds per counted request (the clients share the 2 cores)
    errors: list[str] = []
    total = warmup + requests
    deadline = time.monotonic() + max_seconds
    counted_started = threading.Event()

    def take() -> int | None:
        with lock:
            i = state["next"]
            if i >= total or time.monotonic() > deadline:
                return None
            state["next"] = i + 1
            if i == warmup:
                db_cpu.start()
                state["cpu_start"] = (cpu_seconds(app_pids()), 0.0, time.perf_counter())
                counted_started.set()
            return i

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rng = random.Random(n)
        while (i := take()) is not None:
            # the users in turn, request by request: a run with fewer clients than users drives every user (one client
            # kept to the first user before, so a one-client run measured only the cheapest user's case page)
            user = users[(n + i) % len(users)]
            headers = {"Accept-Encoding": "gzip", "Cookie": cookies[user]}
            mine = paths[user]
            if think_ms:
                time.sleep(rng.expovariate(1000.0 / think_ms))
            path = mine[(i // len(users)) % len(mine)]
            c0 = time.thread_time()
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                ms = (time.perf_counter() - t0) * 1000
                if resp.getheader("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                err = None if resp.status == 200 else f"HTTP {resp.status} {path}"
            except (OSError, http.client.HTTPException) as exc:
                ms = (time.perf_counter() - t0) * 1000
                err = f"{type(exc).__name__} {path}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            spent = time.thread_time() - c0
            if i < warmup:
                continue
            with lock:
                latencies.append(ms)
                client_cpu.append(spent)
                if err:
                    errors.append(err)
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    peak = {"rss_mb": 0.0, "pss_mb": 0.0}
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline + 65:
        m = memory_probe()
        peak = {k: max(peak[k], m[k]) for k in peak}
        if counted_started.is_set():
            db_cpu.sample()
        time.sleep(0.5)
    for t in threads:
        t.join(timeout=5)
    app1, db1, t1 = cpu_seconds(app_pids()), db_cpu.seconds() if counted_started.is_set() else 0.0, time.perf_counter()
    counted = len(latencies)
    app0, db0, t0 = state["cpu_start"] or (app1, db1, t1)
    wall = t1 - t0
    return {
        "requests": counted, "errors": len(errors), "first_errors": errors[:5],
        "p50_ms": nb.pct(latencies, 50), "p95_ms": nb.pct(latencies, 95), "p99_ms": nb.pct(latencies, 99),
        "max_ms": round(max(latencies), 1) if latencies else 0.0,
        "throughput_rps": round(counted / wall, 1) if wall > 0 else 0.0,
        "cpu_ms_per_view_app": round((app1 - app0) * 1000 / counted, 2) if counted else None,
        "cpu_ms_per_view_db": round((db1 - db0) * 1000 / counted, 2) if counted else None,
        "cpu_ms_per_view_client": round(sum(client_cpu) * 1000 / counted, 2) if counted else None,
        "server_memory_peak": peak,
        "stopped_by_time_limit": state["next"] < total,
    }


def sessions_for(usernames: list[str]) -> dict[str, str]:
    """A TOTP-verified session cookie per user (as tests/conftest.py verified_client)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from borderlink.accounts.models import User

    out = {}
    for name in usernames:
        user = User.objects.get(username=name)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
        session.save()
        out[name] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return out


def page_paths(sample: dict[str, dict[str, list[str]]], queries: list[tuple[str, str | None]]) -> dict[str, dict[str, list[str]]]:
    from urllib.parse import quote

    paths = dict(sample)
    paths["notice_search"] = {u: ["/notices/search/?q=" + quote(q) for q, _n in queries[i::3]] or ["/notices/search/?q=x"]
                              for i, u in enumerate(OFFICERS)}
    return paths


class Profiler:
    """pyinstrument when installed (its call tree, wall clock: waits for the database included), else the
    standard library's cProfile (the heaviest functions by cumulative and by own time); `cpu`: cProfile timed
    with this thread's CPU clock, so that waits for the database or for a core do not count."""

    def __init__(self, cpu: bool = False) -> None:
        import cProfile

        try:
            if cpu:
                raise ImportError
            from pyinstrument import Profiler as Sampling
        except ImportError:
            self.kind, self.impl = ("cProfile (thread CPU time)", cProfile.Profile(time.thread_time)) if cpu else (
                "cProfile", cProfile.Profile())
        else:
            self.kind, self.impl = "pyinstrument", Sampling(interval=0.0005)

    def start(self) -> None:
        self.impl.start() if self.kind == "pyinstrument" else self.impl.enable()

    def stop(self) -> None:
        self.impl.stop() if self.kind == "pyinstrument" else self.impl.disable()

    def text(self) -> str:
        if self.kind == "pyinstrument":
            return self.impl.output_text(unicode=False, color=False, show_all=False, short_mode=False)
        import io
        import pstats

        out = io.StringIO()
        stats = pstats.Stats(self.impl, stream=out)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        return out.getvalue()


def profile_pages(paths: dict[str, dict[str, list[str]]], n: int, out_dir: Path, cpu: bool = False) -> dict:
    """Per page, in this process with Django's test client (gzip accepted, as the load run's clients): N views
    without a profiler, timed with this thread's CPU clock (`cpu_ms_per_view`: median and mean; the test client
    runs the whole request in the calling thread), the SQL statements of one view, then N views under
    pyinstrument (or cProfile; with `cpu`, cProfile on the thread's CPU clock) whose text goes to profile-<page>.txt."""
    import statistics

    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from borderlink.accounts.models import User

    report = {}
    for page in paths:
        user_name = sorted(paths[page])[0]
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(User.objects.get(username=user_name))
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user__username=user_name).first().persistent_id
        session.save()
        mine = paths[page][user_name]
        for path in mine[:3]:  # warm caches (templates, translations, the name index)
            client.get(path)
        cpu: list[float] = []
        for i in range(n):
            t0 = time.thread_time()
            resp = client.get(mine[(i + 3) % len(mine)])
            cpu.append((time.thread_time() - t0) * 1000)
            assert resp.status_code == 200, (page, resp.status_code)
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):  # (the query log is reset at each request's start)
            client.get(mine[-1])
        profiler = Profiler(cpu)
        cpu0 = time.process_time()
        profiler.start()
        for i in range(n):
            resp = client.get(mine[(i + 3) % len(mine)])
            assert resp.status_code == 200, (page, resp.status_code)
        profiler.stop()
        profiled = (time.process_time() - cpu0) * 1000 / n
        statements = "\n".join(" ".join(sql.split())[:200] for sql in executed)
        (out_dir / f"profile-{page}.txt").write_text(f"{len(executed)} statements of one view:\n{statements}\n\n"
                                                     + profiler.text())
        report[page] = {"queries": len(executed), "cpu_ms_per_view": {"median": round(statistics.median(cpu), 2),
                                                                       "mean": round(statistics.fmean(cpu), 2)},
                        "cpu_ms_per_view_profiled": round(profiled, 2), "profiler": profiler.kind,
                        "profile_text": str(out_dir / f"profile-{page}.txt")}
    return report


# ---- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0,
                    help="1.0: 1,000,000 persons, 1,000,000 messages, 100,000 requests, 50,000 custody notifications")
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/h_pages_bench")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=400, help="counted requests per page")
    ap.add_argument("--warmup", type=int, default=40, help="uncounted requests before each page")
    ap.add_argument("--max-seconds", type=float, default=120, help="time limit per page")
    ap.add_argument("--think-ms", type=float, default=0.0, help="mean pause before each request (exponential); 0: closed loop")
    ap.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset of " + ",".join(PAGES))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--source", choices=["head", "worktree"], default="head")
    ap.add_argument("--reuse", action="store_true",
                    help="use the database as loaded by an earlier run with --keep (and keep it)")
    ap.add_argument("--keep", action="store_true", help="keep the database (for --reuse) and the data directory")
    ap.add_argument("--profile", type=int, default=0, help="profile N requests per page in-process instead of the load run")
    ap.add_argument("--profile-cpu", action="store_true", help="with --profile: cProfile on the thread's CPU clock")
    args = ap.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    if not 0.001 <= args.scale <= 2 or not 1 <= args.clients <= 100 or set(pages) - set(PAGES):
        ap.error("scale 0.001-2, clients 1-100, pages among " + ",".join(PAGES))

    global ROOT
    data_dir = Path(tempfile.mkdtemp(prefix="borderlink-pages-"))
    if args.source == "head":
        ROOT = data_dir / "src"
        ROOT.mkdir()
        code = nb.snapshot_head(ROOT)
        sys.path.insert(0, str(ROOT))
    else:
        code = {"source": "working tree", "path": str(ROOT)}
        sys.path.insert(0, str(ROOT))
    nb.ROOT = ROOT
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": args.database, "BORDERLINK_DATA_DIR": str(data_dir),
        "BORDERLINK_SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "BORDERLINK_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "BORDERLINK_SECURE_COOKIES": "false",
        "BORDERLINK_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "borderlink.settings",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "BORDERLINK_WARM_INDEX": "true",
    })
    env.pop("BORDERLINK_SECRET_KEY_FILE", None)
    env.pop("BORDERLINK_TESTING", None)
    os.environ.update(env)
    os.environ["BORDERLINK_WARM_INDEX"] = "true" if args.profile else "false"
    db = nb._pg_kwargs(args.database)
    cache = Path(tempfile.gettempdir()) / f"borderlink-pages-{db['dbname']}.json"
    persons, messages = int(1_000_000 * args.scale), int(1_000_000 * args.scale)
    requests, custody = int(100_000 * args.scale), int(50_000 * args.scale)
    report: dict = {"database": f"{db['host']}:{db['port']}/{db['dbname']}", "code": code, "scale": args.scale,
                    "load_average_1min_at_start": round(os.getloadavg()[0], 2)}
    server = nb.Server(data_dir, env, args.port, args.workers, args.threads, True)
    t_all = time.perf_counter()
    try:
        import django
        from django.core.management import call_command

        if not args.reuse:
            nb.recreate_database(args.database)
        django.setup()
        from django.db import connections

        if args.reuse:
            saved = json.loads(cache.read_text())
            if saved["scale"] != args.scale:
                raise SystemExit(f"bench: {db['dbname']} was loaded at scale {saved['scale']}, not {args.scale}")
            queries = [tuple(q) for q in saved["queries"]]
            report["data"] = saved["data"]
            call_command("migrate", verbosity=0)
            done = saved["data"].get("new_apps") or {}
            missing = {label for _l, _d, label, *_rest in NEW_APPS if "rows" not in done.get(label, {})}
            if missing:  # loaded before the new apps' pages were driven (or their copy failed)
                saved["data"]["new_apps"] = {**done, **clone_new_apps(args.database, args.scale, missing)}
                rebuild_incident_summary()
                import psycopg

                with psycopg.connect(**db, autocommit=True) as conn:
                    conn.execute("VACUUM ANALYZE")
                cache.write_text(json.dumps(saved))
        else:
            t0 = time.perf_counter()
            call_command("migrate", verbosity=0)
            with open(os.devnull, "w") as devnull:
                call_command("load_demo", stdout=devnull)
            report["setup_seconds"] = round(time.perf_counter() - t0, 1)
            connections.close_all()
            loaded = nb.bulk_load(args.database, persons, 0.05, args.seed, pool_size=2000)
            queries = loaded.pop("queries")
            loaded.update(load_pages_data(args.database, messages, requests, custody))
            from django.core.management import get_commands

            if "request_summary" in get_commands():  # the requests were written by SQL: their summary from them
                t0 = time.perf_counter()
                with open(os.devnull, "w") as devnull:
                    call_command("request_summary", "--rebuild", stdout=devnull)
                loaded["request_summary_seconds"] = round(time.perf_counter() - t0, 1)
            loaded["new_apps"] = clone_new_apps(args.database, args.scale)
            loaded["incident_summary_seconds"] = rebuild_incident_summary()
            t0 = time.perf_counter()
            import psycopg

            with psycopg.connect(**db, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
            loaded.update({"messages": messages, "requests": requests, "custody_records": custody,
                           "vacuum_analyze_seconds": round(time.perf_counter() - t0, 1)})
            report["data"] = loaded
            cache.write_text(json.dumps({"scale": args.scale, "queries": queries, "data": loaded}))
        call_command("collectstatic", "--noinput", verbosity=0)
        paths = page_paths(samples(), queries)
        report["samples"] = {p: sum(len(v) for v in paths[p].values()) for p in pages}
        empty = [p for p in pages if not paths[p]]
        if empty:  # no user sees rows of these pages' kind (their copy failed: see data.new_apps)
            report["pages_without_data"] = empty
            pages = [p for p in pages if paths[p]]
        if args.profile:
            report["profile"] = profile_pages({p: paths[p] for p in pages}, args.profile, data_dir, args.profile_cpu)
            args.keep = True
            return 0
        cookies = sessions_for(sorted({user for page in pages for user in paths[page]}))
        connections.close_all()
        report["clients"] = {"count": args.clients, "requests_per_page": args.requests, "warmup": args.warmup,
                             "think_ms": args.think_ms, "model": "closed loop" + (" with think time" if args.think_ms else ", no pause")}
        report["server"] = {"workers": args.workers, "threads": args.threads, "worker_class": "gthread"}
        report["server"]["startup_seconds"] = round(server.start(900), 1)
        assert server.proc is not None
        master = server.proc.pid
        report["server"]["memory_idle"] = nb.server_memory(master)

        def app_pids() -> list[int]:
            return [master] + nb._children(master)

        def db_pids() -> list[int]:
            return db_backends(args.database)

        report["pages"] = {}
        for page in pages:
            report["pages"][page] = run_page(args.port, page, paths[page], cookies, args.clients, args.requests,
                                             args.warmup, args.max_seconds, args.think_ms, app_pids, db_pids,
                                             lambda: nb.server_memory(master))
        report["server"]["memory_after"] = nb.server_memory(master)
        report["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
        report["budgets"] = {
            "p95_ms": BUDGET_P95_MS, "cpu_ms_per_view": BUDGET_CPU_MS,
            "p95_met": {p: r["p95_ms"] <= BUDGET_P95_MS and r["errors"] == 0 for p, r in report["pages"].items()},
            "cpu_met": {p: (r["cpu_ms_per_view_app"] or 0) <= BUDGET_CPU_MS for p, r in report["pages"].items()},
        }
    finally:
        server.stop()
        report["total_seconds"] = round(time.perf_counter() - t_all, 1)
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if args.keep:
            report["data_dir"] = str(data_dir)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if not args.reuse:  # a reused database stays, with its cache, for the next --reuse
                nb.drop_database(args.database)
                cache.unlink(missing_ok=True)
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
