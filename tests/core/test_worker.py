"""The worker survives faults (issue 11, findings 8 and 9), as real processes on a real node:
a worker killed with SIGKILL mid-task does not leave the task RUNNING for good (it goes back to
the queue and runs once), and a long write lock on the database does not kill the worker."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.federation.harness import PYTHON, ROOT, Node, free_port, wait_for

pytestmark = pytest.mark.federation

LEASE = "3"


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    base = tmp_path_factory.mktemp("worker")
    node = Node("VN", base / "vn", free_port(), {"BORDERLINK_WORKER_LEASE_SECONDS": LEASE,
                                                 "BORDERLINK_SQLITE_BUSY_TIMEOUT_SECONDS": "1"})
    # Always a SQLite node (the harness gives a node PostgreSQL only when asked): the lock is SQLite's.
    node.setup()
    yield node
    node.stop()


def enqueue(node: Node, gate) -> str:
    out = node.manage("shell", "-c", f"from tests.core.gate_task import wait_at_gate; print(wait_at_gate.enqueue({str(gate)!r}).id)")
    return out.strip().splitlines()[-1]


def task_row(node: Node, task_id: str) -> tuple[str, list[str]]:
    status, worker_ids = node.query("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
                                    task_id.replace("-", ""))[0]
    return status, json.loads(worker_ids)


def start_worker(node: Node) -> subprocess.Popen:
    log = open(node.data_dir / "worker.log", "ab")
    return subprocess.Popen([PYTHON, "manage.py", "worker", "--interval", "0.2"], cwd=ROOT, env=node.env,
                            stdout=log, stderr=subprocess.STDOUT)


def test_task_of_a_killed_worker_goes_back_to_the_queue_and_runs_once(node, tmp_path):
    gate = tmp_path / "gate"
    gate.mkdir()
    task_id = enqueue(node, gate)
    first = start_worker(node)
    try:
        started = wait_for(lambda: list(gate.glob("started-*")), 60, "the task to start")
        assert task_row(node, task_id)[0] == "RUNNING"
        os.kill(first.pid, signal.SIGKILL)  # mid-task: no chance to clean up
        first.wait(10)
        assert task_row(node, task_id)[0] == "RUNNING"
        (gate / "open").touch()
        second = start_worker(node)
        try:
            wait_for(lambda: task_row(node, task_id)[0] == "SUCCESSFUL", 60, "the task to run again and finish")
        finally:
            second.terminate()
            second.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert (gate / "ran").read_text().count("\n") == 1  # ran to the end once
    assert len(list(gate.glob("started-*"))) == 2 and started[0].name == f"started-{first.pid}"
    _status, worker_ids = task_row(node, task_id)
    assert len(worker_ids) == 2 and worker_ids[0] != worker_ids[1]
    requeued = node.query("SELECT object_id FROM audit_auditevent WHERE action = 'core.task.requeued'")
    assert [r[0].replace("-", "") for r in requeued] == [task_id.replace("-", "")]


def api_get(node: Node, path: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(f"{node.url}{path}", headers={
        "Authorization": f"Bearer {node.tokens['vn.officer']}", "Accept-Language": "lo"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read() or b"null")


def test_long_write_lock_does_not_kill_the_worker_and_pages_answer_503(node, tmp_path):
    node.start_web()
    worker = start_worker(node)
    log_path = node.data_dir / "worker.log"
    before = log_path.read_text(errors="replace") if log_path.exists() else ""
    lock = sqlite3.connect(node.data_dir / "borderlink.sqlite3", timeout=30, isolation_level=None)
    try:
        wait_for(lambda: "name index (persons) ready" in log_path.read_text(errors="replace")[len(before):], 60,
                 "the worker to start")
        lock.execute("BEGIN EXCLUSIVE")  # a long write transaction by some other program
        wait_for(lambda: worker.poll() is not None
                 or log_path.read_text(errors="replace")[len(before):].count("database unavailable") >= 2,
                 60, "the worker to meet the lock")
        assert worker.poll() is None, "the worker died of a locked database"
        status, headers, body = api_get(node, "/api/messages/inbox")  # an audited search: it must write
        assert status == 503, body
        assert headers.get("Retry-After") == "30" and body["error"] == "database_unavailable"
        assert body["detail"] != "The service is briefly unavailable because its database is busy. Please try again in a minute."
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    gate = tmp_path / "gate"
    gate.mkdir()
    (gate / "open").touch()
    task_id = enqueue(node, gate)
    try:
        wait_for(lambda: task_row(node, task_id)[0] == "SUCCESSFUL", 60, "a task after the lock")
        assert worker.poll() is None
        assert api_get(node, "/api/messages/inbox")[0] == 200
    finally:
        worker.terminate()
        worker.wait(10)
        node.stop()
