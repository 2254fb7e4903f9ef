"""Benchmark of federation delivery between two nodes on loopback (issue 5); prints JSON.

    .venv/bin/python bench/federation.py                  # 1,000 envelopes, two runs
    .venv/bin/python bench/federation.py --envelopes 200  # quicker

Budget (docs/design.md, "Performance budgets"): 1,000 envelopes between
two nodes on loopback in at most 10 s, none lost when the receiver is killed
and restarted mid-stream.

Steps, each bounded:

1. Starts two real nodes, Viet Nam and Laos, with the federation test harness
   (tests/federation/harness.py): separate SQLite databases, gunicorn and the
   worker (``manage.py worker``) on free 127.0.0.1 ports, peered with each
   other's node cards. Nothing listens on another interface.
2. Normal run: one ``manage.py shell -c`` process on the Viet Nam node writes
   N cross-border messages to a Lao unit through the services
   (``send_message`` then ``approve_message``; each approval writes one
   ``message.released`` envelope to the outbox). They are written in one
   database transaction, so the whole stream becomes visible to the
   (already running, warm) worker at one instant: the commit. Creation is
   timed separately (inside that process, without Django's start-up).
   ``seconds`` is the time from that commit (every envelope queued) to the
   last signed receipt stored on the Viet Nam node (the latest
   ``delivered_at``); the benchmark also checks that every outbox row is
   delivered and that N messages are on the Laos node.
3. Kill run: the same with another N messages; once a part of the stream has
   arrived (``--kill-at``, a third by default) the Laos web server and its
   workers are SIGKILLed together (gunicorn runs in a process group of its
   own, and the group gets the signal), left down for ``--down-seconds``,
   and restarted.
   The benchmark then waits for every envelope and checks exactly N distinct
   messages arrived: messages and their recipient rows on Laos, applied
   inbox envelopes (one per message, none twice) and the sender's outbox.
   It reports the total time and how many delivery attempts failed (the
   outbox's ``attempts`` counts failed attempts).
4. Prints one JSON object with both runs and the verdicts, and stops every
   process it started (also on error or Ctrl-C). The scratch directory is
   removed unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.federation.harness import PYTHON, Node, free_port, peer, wait_for  # noqa: E402 (after the path)


@dataclass
class BenchNode(Node):
    """A harness node whose web server runs in a process group of its own, so that a kill
    reaches the gunicorn master and its workers at the same instant (SIGKILL to the master
    alone leaves its workers to finish what they are doing), and nothing else is touched."""

    web_workers: int = 2

    def start_web(self) -> None:
        log = open(self.data_dir / "web.log", "ab")
        self.web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "borderlink.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.web_workers), "--timeout", "30"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: self._answers(), 60, f"{self.name} web server")

    def _signal_web(self, sig: int) -> None:
        if self.web is not None:
            try:
                os.killpg(self.web.pid, sig)  # the group id is the master's pid (start_new_session)
            except ProcessLookupError:
                pass

    def kill_web(self) -> None:
        if self.web is not None:
            self._signal_web(signal.SIGKILL)
            self.web.wait(10)
            wait_for(lambda: not self._answers(), 10, f"{self.name} web server gone")
            self.web = None

    def stop(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(15)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait(5)
        if self.web is not None:
            self._signal_web(signal.SIGTERM)
            try:
                self.web.wait(15)
            except subprocess.TimeoutExpired:
                pass
            self._signal_web(signal.SIGKILL)  # whatever outlived the master
            if self.web.poll() is None:
                self.web.wait(5)
        self.web = self.worker = None

BUDGET_SECONDS = 10.0
UNDELIVERED = "SELECT COUNT(*) FROM federation_outboxenvelope WHERE state != 'delivered'"

CREATE = """
import json, time
from django.db import transaction
from borderlink.accounts.models import User
from borderlink.core.models import Unit
from borderlink.exchange import services
o = User.objects.get(username='vn.officer'); s = User.objects.get(username='vn.supervisor')
to = Unit.objects.get(code='LA-SVK.PP').pk
started = time.time()
with transaction.atomic():
    for i in range({n}):
        m = services.send_message(o, services.Draft(recipient_unit_ids=[to], subject=f'{prefix} {{i:04d}}', body='b'))
        services.approve_message(s, m.pk)
print(json.dumps({{"started": started, "committed": time.time()}}))
"""


def db_time(text: str | None) -> float | None:
    """A DateTimeField value as SQLite stores it (UTC, no zone) as a Unix time."""
    if not text:
        return None
    value = datetime.datetime.fromisoformat(str(text))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.timestamp()


def create(vn: Node, n: int, prefix: str) -> dict[str, float]:
    out = vn.manage("shell", "-c", CREATE.format(n=n, prefix=prefix))
    return json.loads(out.strip().splitlines()[-1])


def arrived(la: Node, prefix: str) -> int:
    return la.query("SELECT COUNT(*) FROM exchange_message WHERE subject LIKE ?", f"{prefix} %")[0][0]


def outbox_rows(vn: Node, prefix: str) -> list[tuple]:
    return vn.query(
        "SELECT object_id, state, attempts, delivered_at FROM federation_outboxenvelope "
        "WHERE kind = 'message.released' AND json_extract(payload, '$.subject') LIKE ?", f"{prefix} %")


def check(vn: Node, la: Node, n: int, prefix: str, committed: float) -> dict:
    """Count what was sent, delivered, applied and duplicated, from both databases."""
    rows = outbox_rows(vn, prefix)
    sent_ids = {r[0] for r in rows}
    delivered = sum(1 for r in rows if r[1] == "delivered")
    last_receipt = max((db_time(r[3]) for r in rows if r[3]), default=None)
    messages, distinct_subjects = la.query(
        "SELECT COUNT(*), COUNT(DISTINCT subject) FROM exchange_message WHERE subject LIKE ?",
        f"{prefix} %")[0]
    recipients = la.query(
        "SELECT COUNT(*) FROM exchange_messagerecipient r JOIN exchange_message m ON m.id = r.message_id "
        "WHERE m.subject LIKE ?", f"{prefix} %")[0][0]
    inbox = [r[0] for r in la.query("SELECT object_id FROM federation_inboxenvelope WHERE kind = 'message.released'")
             if r[0] in sent_ids]
    lost = n - min(distinct_subjects, len(set(inbox)))
    return {
        "sent": len(rows),
        "delivered": delivered,
        "messages_on_receiver": messages,
        "inbox_envelopes_applied": len(inbox),
        "lost": lost,
        # a message stored twice, an envelope applied twice, a recipient row twice
        "duplicates_applied": (messages - distinct_subjects) + (len(inbox) - len(set(inbox))) + max(0, recipients - messages),
        "failed_attempts": sum(r[2] for r in rows),
        "envelopes_retried": sum(1 for r in rows if r[2]),
        "seconds": round(last_receipt - committed, 3) if last_receipt else None,
    }


def wait_done(vn: Node, la: Node, n: int, prefix: str, seconds: float) -> float:
    def done() -> bool:
        return arrived(la, prefix) >= n and vn.query(UNDELIVERED)[0][0] == 0

    wait_for(done, seconds, f"{n} envelopes delivered ({prefix})")
    return time.time()


def normal_run(vn: Node, la: Node, n: int, max_seconds: float) -> dict:
    prefix = "bench-normal"
    made = create(vn, n, prefix)
    observed = wait_done(vn, la, n, prefix, max_seconds)
    result = {"envelopes": n, "creation_seconds": round(made["committed"] - made["started"], 3)}
    result |= check(vn, la, n, prefix, made["committed"])
    result["observed_seconds"] = round(observed - made["committed"], 3)
    seconds = result["seconds"] or result["observed_seconds"]
    result["envelopes_per_second"] = round(n / seconds, 1) if seconds else None
    result["budget_seconds"] = BUDGET_SECONDS
    result["budget_met"] = bool(seconds <= BUDGET_SECONDS and result["lost"] == 0 and result["duplicates_applied"] == 0
                                and result["delivered"] == n)
    return result


def kill_run(vn: Node, la: BenchNode, n: int, kill_at: int, down: float, max_seconds: float) -> dict:
    prefix = "bench-kill"
    made = create(vn, n, prefix)
    wait_for(lambda: arrived(la, prefix) >= kill_at, max_seconds, f"{kill_at} envelopes before the kill")
    la.kill_web()
    killed_at = time.time()
    at_kill = arrived(la, prefix)
    time.sleep(down)
    restart = time.time()
    la.start_web()
    restarted_at = time.time()
    observed = wait_done(vn, la, n, prefix, max_seconds)
    result = {"envelopes": n, "creation_seconds": round(made["committed"] - made["started"], 3),
              "arrived_before_kill": at_kill, "killed_after_seconds": round(killed_at - made["committed"], 3),
              "down_seconds": round(restarted_at - killed_at, 3), "restart_seconds": round(restarted_at - restart, 3)}
    result |= check(vn, la, n, prefix, made["committed"])
    result["observed_seconds"] = round(observed - made["committed"], 3)
    result["after_restart_seconds"] = round((result["seconds"] or result["observed_seconds"]) - (restarted_at - made["committed"]), 3)
    seconds = result["seconds"] or result["observed_seconds"]
    result["envelopes_per_second"] = round(n / seconds, 1) if seconds else None
    result["none_lost_no_duplicates"] = bool(result["lost"] == 0 and result["duplicates_applied"] == 0
                                             and result["delivered"] == n and at_kill < n)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--envelopes", type=int, default=1000)
    parser.add_argument("--kill-at", type=int, default=0, help="messages arrived before the kill (default: a third)")
    parser.add_argument("--down-seconds", type=float, default=1.0, help="how long the receiver stays down")
    parser.add_argument("--max-seconds", type=float, default=180, help="bound on every wait")
    parser.add_argument("--skip-kill", action="store_true")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (databases, logs)")
    args = parser.parse_args()
    n = args.envelopes
    kill_at = args.kill_at or max(1, n // 3)

    base = Path(tempfile.mkdtemp(prefix="borderlink-bench-federation-"))
    # as harness.start_nodes, but with the nodes known before anything starts, so all are stopped on error
    nodes = [BenchNode(country, base / country.lower(), free_port(), web_workers=args.web_workers) for country in ("VN", "LA")]
    vn, la = nodes
    report: dict = {"envelopes": n}
    try:
        started = time.monotonic()
        for node in nodes:
            node.setup()
        peer(nodes)
        for node in nodes:
            node.start_web()
            node.start_worker()
        report["nodes_start_seconds"] = round(time.monotonic() - started, 1)
        report["normal"] = normal_run(vn, la, n, args.max_seconds)
        print(json.dumps({"normal": report["normal"]}), file=sys.stderr, flush=True)
        if not args.skip_kill:
            report["kill"] = kill_run(vn, la, n, kill_at, args.down_seconds, args.max_seconds)
        report["budget_met"] = report["normal"]["budget_met"] and (args.skip_kill or report["kill"]["none_lost_no_duplicates"])
    finally:
        for node in nodes:
            node.stop()
        if args.keep:
            report["scratch"] = str(base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
