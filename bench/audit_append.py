"""How audit appends queue behind the chain's head (issue 19); prints JSON.

    .venv/bin/python bench/audit_append.py --database postgres://postgres@127.0.0.1:5432/h_pages_bench

Each page view appends one event in its own transaction. `--threads` threads append `--events` events each,
as page views do (autocommit, one event per transaction), while `--busy` threads of the same process burn
CPU in Python, as the other requests of a gunicorn gthread worker do (they hold the GIL between the
database round trips of an append). Measured per way of appending:

- ``steps``: lock the head row (SELECT ... FOR UPDATE), insert, move the head, commit: four round trips,
  the lock held across all of them (the append before issue 19);
- ``advisory``: ``pg_advisory_xact_lock`` instead of the row lock, then the same steps;
- ``one_statement``: one statement locks the head, hashes, inserts and moves the head; with autocommit it
  commits in the same round trip, so the lock is never held while this process waits for the GIL
  (the append since issue 19).

A chain per partition with a signed merge and batched appends were weighed, not built: see bench/README.md.
Output per way: appends per second, p50/p95/p99 of one append (ms), and whether `verify_chain` still holds.
The database must be migrated (e.g. the one `bench/pages.py --keep` leaves); events are appended to it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _advisory(cursor, event) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from borderlink.audit import services
    from borderlink.audit.models import AuditHead

    cursor.execute("SELECT pg_advisory_xact_lock(19019)")
    cursor.execute(f"SELECT last_seq, last_hash FROM {services._table(AuditHead)} WHERE id = 1")
    seq, prev = cursor.fetchone()
    event.seq, event.prev_hash, event.created_at = seq + 1, prev, timezone.now()
    event.hash = event.compute_hash()
    services._insert(cursor, event)
    cursor.execute(f"UPDATE {services._table(AuditHead)} SET last_seq = %s, last_hash = %s WHERE id = 1", [event.seq, event.hash])


def run(way: str, threads: int, events: int, busy: int) -> dict:
    from django.db import connection, connections, transaction

    from borderlink.audit import services
    from borderlink.audit.models import AuditEvent

    def append_steps(cursor, event):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            services._append_in_steps(cursor, event)

    def append_advisory(cursor, event):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            _advisory(cursor, event)

    chosen = {"steps": append_steps, "advisory": append_advisory, "one_statement": services._append_one_statement}[way]
    original = services._append
    services._append = chosen
    stop = threading.Event()
    latencies: list[float] = []
    lock = threading.Lock()

    def burn() -> None:
        x = 0
        while not stop.is_set():
            for i in range(2000):
                x += i * i

    def append(n: int) -> None:
        try:
            mine = []
            for i in range(events):
                t0 = time.perf_counter()
                services.record(None, "bench.audit", object_type="bench", object_id=str(n), data={"way": way, "i": i})
                mine.append((time.perf_counter() - t0) * 1000)
            with lock:
                latencies.extend(mine)
        finally:
            connections.close_all()

    burners = [threading.Thread(target=burn, daemon=True) for _ in range(busy)]
    for b in burners:
        b.start()
    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    cpu0, t0 = time.process_time(), time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - t0
    stop.set()
    for b in burners:
        b.join()
    services._append = original
    s = sorted(latencies)

    def pct(p: float) -> float:
        return round(s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))], 2)

    del cpu0
    connection.close()
    return {"appends": len(s), "appends_per_second": round(len(s) / wall, 1), "p50_ms": pct(50), "p95_ms": pct(95),
            "p99_ms": pct(99), "events_in_chain": AuditEvent.objects.count()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/h_pages_bench")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--events", type=int, default=150, help="per thread")
    ap.add_argument("--busy", type=int, default=2, help="threads burning CPU in Python meanwhile")
    ap.add_argument("--ways", default="steps,advisory,one_statement")
    ap.add_argument("--verify", action="store_true", help="run verify_chain at the end (reads the whole chain)")
    args = ap.parse_args(argv)
    os.environ.update({"DATABASE_URL": args.database, "DJANGO_SETTINGS_MODULE": "borderlink.settings",
                       "BORDERLINK_DEBUG": "true", "BORDERLINK_WARM_INDEX": "false"})
    import django

    django.setup()
    report: dict = {"threads": args.threads, "events_per_thread": args.events, "busy_threads": args.busy,
                    "load_average_1min_at_start": round(os.getloadavg()[0], 2), "ways": {}}
    for way in args.ways.split(","):
        report["ways"][way] = run(way, args.threads, args.events, args.busy)
    if args.verify:
        from borderlink.audit.services import verify_chain

        result = verify_chain()
        report["verify_chain"] = {"ok": result.ok, "checked": result.checked, "reason": result.reason}
    report["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
