"""Benchmark: the year-end review over a year with many records, on PostgreSQL. Prints JSON.

    .venv/bin/python bench/review.py --records 200000      # a moderate run
    .venv/bin/python bench/review.py                       # 1,000,000 records (the budget: under 60 s)

Drops and re-creates the database named by --database (default
postgres://postgres@127.0.0.1:5432/borderlink_bench_review; `test`, `postgres`, `borderlink` and the templates
are refused), migrates, loads the demo organisation, then writes the records in PostgreSQL itself
(INSERT ... SELECT over generate_series, so the loader holds no rows in Python): cross-border messages with
their recipients (40%), requests with answers on time, late, declined or none (30%), border incidents (15%)
and custody notifications (15%), spread over the current year and the three member countries. Then it builds
the review: the figures (`review.figures.compute`, the GROUP BY and window queries), and the PDF and XLSX
from them, timing each and reading the process's peak resident memory before and after (PostgreSQL's own
memory is not included).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
REFUSED = {"test", "postgres", "borderlink", "template0", "template1"}


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _recreate(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name or name in REFUSED:
        sys.exit(f"refusing to drop the database {name!r}")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _insert(model: type, count: int, values: dict[str, str], source: str = "") -> float:
    """INSERT `count` rows of `model` from generate_series(1, count) AS g(i): the expressions in `values`
    by column, NULL or the field's default elsewhere (a field with neither is an error)."""
    from django.db import connection
    from django.db.models.fields import NOT_PROVIDED

    columns, exprs, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.get_internal_type() in ("AutoField", "BigAutoField") or getattr(f, "generated", False):
            continue  # the sequence numbers it; the database computes a generated column
        columns.append(connection.ops.quote_name(f.column))
        if f.column in values:
            exprs.append(values[f.column].replace("%", "%%"))
        elif f.null:
            exprs.append("NULL")
        elif f.default is not NOT_PROVIDED:
            default = f.get_default()
            if isinstance(default, (dict, list)):
                exprs.append("%s::jsonb")
                params.append(json.dumps(default))
            else:
                exprs.append("%s")
                params.append(default)
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            exprs.append("now()")
        elif f.get_internal_type() in ("CharField", "TextField"):
            exprs.append("''")
        else:
            raise SystemExit(f"{model.__name__}.{f.name}: no value")
    sql = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
           f"SELECT {', '.join(exprs)} FROM {(source or f'generate_series(1, {int(count)}) AS g(i)').replace('%', '%%')}")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return time.perf_counter() - started


def load(records: int, year: int) -> dict[str, float]:
    from django.db import connection

    from borderlink.assistance.models import Request
    from borderlink.border.models import BorderIncident, ProvincePair
    from borderlink.core.models import Unit
    from borderlink.custody.models import CustodyRecord
    from borderlink.exchange.models import Message, MessageRecipient
    from borderlink.persons.models import Person

    units = {c: Unit.objects.get(code=code).pk for c, code in (("VN", "VN-QT.PP"), ("LA", "LA-SVK.PP"), ("KH", "KH-SVR.PP"))}
    vn, la, kh = units["VN"], units["LA"], units["KH"]
    # sender and recipient by i % 6: every ordered pair of the three countries
    senders = f"(ARRAY[{vn},{vn},{la},{la},{kh},{kh}])[(i % 6) + 1]"
    receivers = f"(ARRAY[{la},{kh},{vn},{kh},{vn},{la}])[(i % 6) + 1]"
    at = f"(TIMESTAMPTZ '{year}-01-01 00:00:00+07' + ((i::bigint * 7919) % 31449600) * INTERVAL '1 second')"
    n_msg, n_req, n_inc = int(records * 0.4), int(records * 0.3), int(records * 0.15)
    n_cus = records - n_msg - n_req - n_inc
    times = {}
    times["messages"] = _insert(Message, n_msg, {
        "id": "gen_random_uuid()", "origin_node": "'bench'", "sender_unit_id": senders, "subject": "'bench ' || i",
        "body": "'synthetic'", "priority": "(ARRAY['routine','urgent','immediate'])[(i % 3) + 1]", "priority_rank": "2",
        "handling_code": "'H0'", "state": "'sent'", "crosses_border": "true", "created_at": at, "sent_at": at})
    receiver_of = (f"CASE m.sender_unit_id WHEN {vn} THEN (CASE WHEN m.priority = 'urgent' THEN {kh} ELSE {la} END) "
                   f"WHEN {la} THEN (CASE WHEN m.priority = 'urgent' THEN {kh} ELSE {vn} END) "
                   f"ELSE (CASE WHEN m.priority = 'urgent' THEN {la} ELSE {vn} END) END")
    times["recipients"] = _insert(MessageRecipient, n_msg, {"message_id": "m.id", "unit_id": receiver_of,
                                                            "delivered_at": "m.sent_at", "sent_at": "m.sent_at",
                                                            "priority_rank": "m.priority_rank"},
                                  source="exchange_message m WHERE m.origin_node = 'bench'")
    answered = "(i % 10 < 7)"
    times["requests"] = _insert(Request, n_req, {
        "id": "gen_random_uuid()", "reference": "'B-' || i", "kind": "(ARRAY['verify_identity','locate','trace_phone',"
        "'trace_bank','arrest_handover'])[(i % 5) + 1]", "urgency": "'normal'", "data_held_directly": "false",
        "offence": "'fraud'", "subject": "'bench'", "details": "'synthetic'", "requesting_unit_id": senders,
        "requested_unit_id": receivers, "handling_code": "'H0'",
        "state": f"CASE WHEN i % 10 = 9 THEN 'declined' WHEN {answered} THEN 'answered' ELSE 'sent' END",
        "deadline": f"{at} + INTERVAL '7 days'", "sent_at": at,
        "first_answer_at": f"CASE WHEN {answered} THEN {at} + ((i % 240) * INTERVAL '1 hour') ELSE NULL END",
        "created_at": at, "updated_at": at})
    pairs = list(ProvincePair.objects.select_related("side_a", "side_b").order_by("pk")[:6])
    pair_ids = ",".join(str(p.pk) for p in pairs)
    province_ids = ",".join(str(p.side_a_id) for p in pairs)
    reporter = ",".join(str(units.get(p.side_a.country_id, vn)) for p in pairs)
    k = len(pairs)
    times["incidents"] = _insert(BorderIncident, n_inc, {
        "id": "gen_random_uuid()", "reference": "'I-' || i", "reporting_unit_id": f"(ARRAY[{reporter}])[(i % {k}) + 1]",
        "pair_id": f"(ARRAY[{pair_ids}])[(i % {k}) + 1]", "province_id": f"(ARRAY[{province_ids}])[(i % {k}) + 1]",
        "occurred_at": at, "kind": "(ARRAY['unauthorised_migration','illegal_crossing','smuggling_seizure','other'])"
        "[(i % 4) + 1]", "created_at": at, "updated_at": at})
    person = Person.objects.first() or Person.objects.create(recorded_by_unit_id=vn)
    times["custody"] = _insert(CustodyRecord, n_cus, {
        "id": "gen_random_uuid()", "reference": "'C-' || i", "detaining_unit_id": senders,
        "nationality_id": "(ARRAY['LA','KH','VN','KH','VN','LA'])[(i % 6) + 1]", "person_id": f"'{person.pk}'",
        "person_name": "'synthetic'", "kind": "(ARRAY['arrest','detention'])[(i % 2) + 1]", "detained_at": at,
        "place_held": "'bench'", "offence": "'fraud'", "state": "'notified'", "created_at": at, "updated_at": at})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {name: round(seconds, 2) for name, seconds in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/borderlink_bench_review")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not args.database.startswith(("postgres://", "postgresql://")):
        sys.exit("the benchmark needs PostgreSQL")
    _recreate(args.database)
    data_dir = Path(tempfile.gettempdir()) / "borderlink-bench-review"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update({"DATABASE_URL": args.database, "BORDERLINK_DEBUG": "1", "BORDERLINK_DATA_DIR": str(data_dir),
                       "DJANGO_SETTINGS_MODULE": "borderlink.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from borderlink.core import clock
    from borderlink.review import figures, services

    out: dict = {"records": args.records, "load_average_1min_at_start": round(os.getloadavg()[0], 2)}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", skip_content=True, verbosity=0)
    year = clock.now().year
    out["load_seconds"] = load(args.records, year)
    out["setup_seconds"] = round(time.perf_counter() - started, 1)
    rss_before = _rss_mb()
    started = time.perf_counter()
    result = figures.compute(year)
    out["figures_seconds"] = round(time.perf_counter() - started, 2)
    cells = sum(len(v) for v in result["figures"].values())
    out["cells"] = cells
    out["counted"] = {name: sum(c["count"] or 0 for c in result["figures"][name] if c["month"])
                      for name in ("messages", "requests", "incidents", "custody")}
    for fmt in ("pdf", "xlsx"):
        started = time.perf_counter()
        content = services.render_file(services.ReviewInput(year=year, language="km", format=fmt))
        out[f"{fmt}_seconds"] = round(time.perf_counter() - started, 2)
        out[f"{fmt}_bytes"] = len(content)
    out["whole_review_seconds_pdf"] = out["pdf_seconds"]  # render_file computes the figures again, then draws
    out["peak_rss_mb_before_review"] = rss_before
    out["peak_rss_mb_after_review"] = _rss_mb()
    out["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    out["budget_seconds"] = 60
    out["within_budget"] = out["pdf_seconds"] < 60 and out["xlsx_seconds"] < 60
    out["at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        import psycopg

        name = urlparse(args.database).path.lstrip("/")
        with psycopg.connect(args.database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
