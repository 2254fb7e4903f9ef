"""Benchmark of the border-pass check between two nodes on loopback (issue 16); prints JSON.

    .venv/bin/python bench/pass_check.py                 # 300 checks, 4 officers at once
    .venv/bin/python bench/pass_check.py --checks 60     # quicker

Budget (issue 16): the gate check answers within 1 s p95 over the loopback federation.

Steps, each bounded: starts two real nodes, Viet Nam and Laos, with the federation test harness
(tests/federation/harness.py: SQLite, gunicorn with 2 workers and the worker on free 127.0.0.1 ports, peered);
the Lao node issues two passes through its API (one valid with a photo, one then revoked); `--clients` threads
on the Viet Nam side each send checks through the API (`GET /api/border/passes/check`, a bearer token of
vn.officer) in a closed loop, cycling over a valid, a revoked and an unknown number, until `--checks` are done
or `--max-seconds` pass. Each check is the officer's request to the Viet Nam node, its signed query to the Lao
node, the Lao node's signed answer, and the audit on both. Reports p50, p95, p99 and max per status and overall,
and the errors, then stops every process it started.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import shutil
import struct
import sys
import tempfile
import threading
import time
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.federation.harness import Node, start_nodes  # noqa: E402


def _png() -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 96 for _ in range(128))
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 96, 128, 8, 2, 0, 0, 0))
                            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")).decode("ascii")


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


def _summary(values: list[float]) -> dict[str, object]:
    return {"n": len(values), "p50_ms": _percentile(values, 0.50), "p95_ms": _percentile(values, 0.95),
            "p99_ms": _percentile(values, 0.99), "max_ms": round(max(values) * 1000, 1) if values else None}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-pass-check-"))
    nodes: list[Node] = []
    try:
        nodes = start_nodes(base, ["VN", "LA"])
        vn, la = nodes
        lao_bao_la = la.query("SELECT id FROM core_bordergate WHERE side_a_name = ?", "Lao Bảo")[0][0]
        lao_bao_vn = vn.query("SELECT id FROM core_bordergate WHERE side_a_name = ?", "Lao Bảo")[0][0]
        today = datetime.date.today()
        ids = {}
        for number in ("BENCH-1", "BENCH-2"):
            status, body = la.api("la.officer", "POST", "/border/passes", {
                "number": number, "valid_from": today.isoformat(), "valid_to": (today + datetime.timedelta(days=30)).isoformat(),
                "area": "bench", "gate_ids": [lao_bao_la],
                "holder": {"names": [{"name": "ບົວພັນ ສີວົງ"}], "photos": [{"filename": "p.png", "content_base64": _png()}]}})
            assert status == 201, body
            ids[number] = body["id"]
        assert la.api("la.supervisor", "POST", f"/border/passes/{ids['BENCH-2']}/revoke", {"reason": "bench"})[0] == 200
        numbers = ["BENCH-1", "BENCH-2", "BENCH-404"]
        timings: dict[str, list[float]] = {"valid": [], "revoked": [], "unknown": []}
        errors: list[str] = []
        lock = threading.Lock()
        counter = iter(range(args.checks))
        deadline = time.monotonic() + args.max_seconds

        def client() -> None:
            token = vn.tokens["vn.officer"]
            for i in counter:
                if time.monotonic() > deadline:
                    return
                url = f"{vn.url}/api/border/passes/check?number={numbers[i % 3]}&country=LA&gate={lao_bao_vn}"
                request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        answer = json.loads(response.read())
                except Exception as exc:  # counted, not raised: the benchmark reports errors
                    with lock:
                        errors.append(str(exc)[:200])
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    timings.setdefault(answer.get("status", "?"), []).append(elapsed)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        everything = [t for values in timings.values() for t in values]
        overall = _summary(everything)
        result = {
            "checks": len(everything), "clients": args.clients, "seconds": round(wall, 2),
            "checks_per_second": round(len(everything) / wall, 1) if wall else None, "errors": len(errors),
            "error_samples": errors[:3], "overall": overall, "per_status": {k: _summary(v) for k, v in timings.items()},
            "audited": {"vn_checked": vn.query("SELECT count(*) FROM audit_auditevent WHERE action = 'border.pass.checked'")[0][0],
                        "la_answered": la.query(
                            "SELECT count(*) FROM audit_auditevent WHERE action = 'border.pass.check_answered'")[0][0]},
            "load_average_1min_at_end": os.getloadavg()[0],
            "budget": {"p95_ms": 1000, "met": overall["p95_ms"] is not None and overall["p95_ms"] <= 1000 and not errors},
        }
        print(json.dumps(result, indent=2))
        return 0
    finally:
        for node in nodes:
            node.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
