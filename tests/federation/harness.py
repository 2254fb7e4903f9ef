"""Real nodes for the federation tests: separate databases, gunicorn web servers
and workers on loopback ports, peered with each other's node cards."""

from __future__ import annotations

import atexit
import itertools
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Node:
    country: str
    data_dir: Path
    port: int
    extra_env: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    card: dict[str, Any] = field(default_factory=dict)
    web: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None

    database_url: str = ""

    @property
    def name(self) -> str:
        return f"test-{self.country.lower()}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BORDERLINK_", "DJANGO_", "PYTEST"))}
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update({
            "DJANGO_SETTINGS_MODULE": "borderlink.settings",
            "BORDERLINK_DATA_DIR": str(self.data_dir),
            "BORDERLINK_SECRET_KEY": "test-secret-key-" + "x" * 40,
            "BORDERLINK_NODE_COUNTRY": self.country,
            "BORDERLINK_NODE_NAME": self.name,
            "BORDERLINK_NODE_URL": self.url,
            "BORDERLINK_SECURE_COOKIES": "false",
            "BORDERLINK_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BORDERLINK_STATIC_ROOT": _collected_static(),
            **self.extra_env,
        })
        return env

    def run(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run([PYTHON, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, input=stdin, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"{args} failed on {self.name}:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def manage(self, *args: str, stdin: str | None = None) -> str:
        return self.run("manage.py", *args, stdin=stdin)

    def setup(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.database_url and not (self.data_dir / "borderlink.sqlite3").exists():
            shutil.copyfile(_migrated_template(postgres=False), self.data_dir / "borderlink.sqlite3")
        out = json.loads(self.run("tests/federation/node_setup.py").strip().splitlines()[-1])
        self.tokens, self.card = out["tokens"], out["card"]

    def start_web(self) -> None:
        log = open(self.data_dir / "web.log", "ab")
        self.web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "borderlink.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--timeout", "30", "--no-control-socket"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: self._answers(), 30, f"{self.name} web server")

    def start_worker(self) -> None:
        log = open(self.data_dir / "worker.log", "ab")
        self.worker = subprocess.Popen([PYTHON, "manage.py", "worker", "--interval", "0.2"], cwd=ROOT, env=self.env,
                                       stdout=log, stderr=subprocess.STDOUT)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/login/", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def kill_web(self) -> None:
        """SIGKILL the web server and its workers: no chance to finish anything."""
        if self.web is not None:
            os.killpg(self.web.pid, signal.SIGKILL)  # the master and its workers, mid-request
            self.web.wait(10)
            self.web = None

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if self.web is not None:
            try:
                os.killpg(self.web.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.web = self.worker = None

    def api(self, username: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/api{path}", data=data, method=method, headers={
            "Authorization": f"Bearer {self.tokens[username]}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def query(self, sql: str, *params: Any) -> list[tuple]:
        """Read the node's database directly (SQLite file, or its PostgreSQL database)."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                if params:
                    rows = connection.execute(sql.replace("%", "%%").replace("?", "%s"), params).fetchall()
                else:
                    rows = connection.execute(sql).fetchall()
            return [tuple(str(v) if hasattr(v, "hex") and not isinstance(v, (bytes, str)) else v for v in row) for row in rows]
        connection = sqlite3.connect(f"file:{self.data_dir / 'borderlink.sqlite3'}?mode=ro", uri=True, timeout=10)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def unit_id(self, code: str) -> int:
        return self.query("SELECT id FROM core_unit WHERE code = ?", code)[0][0]


def wait_for(check: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def peer(nodes: list[Node]) -> None:
    for node in nodes:
        for other in nodes:
            if other is not node:
                node.manage("node_card", "import", "-", "--fingerprint", other.card["fingerprint"], stdin=json.dumps(other.card))


_DATABASE_SERIAL = itertools.count(1)
_TEMPLATES: dict[str, str] = {}


def _migrated_template(postgres: bool) -> str:
    """Migrate once per test run and hand out copies: migrating every node's database anew took most of a
    node's start (minutes on a loaded PostgreSQL). Returns the template database's name (PostgreSQL) or
    the path of a migrated SQLite file; each node's own setup still runs `migrate`, which finds nothing to do
    unless its environment adds apps."""
    url = os.environ.get("DATABASE_URL", "")
    key = "postgres" if postgres else "sqlite"
    if key in _TEMPLATES:
        return _TEMPLATES[key]
    scratch = Path(tempfile.mkdtemp(prefix="borderlink-template-"))
    atexit.register(shutil.rmtree, scratch, True)
    template = Node("VN", scratch, 0)
    if postgres:
        import psycopg

        name = f"borderlink_fed_template_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        template.database_url = url.rsplit("/", 1)[0] + "/" + name
        atexit.register(_drop_database, url, name)
        _TEMPLATES[key] = name
    else:
        _TEMPLATES[key] = str(scratch / "borderlink.sqlite3")
    template.manage("migrate", "--verbosity", "0")
    return _TEMPLATES[key]


def _collected_static() -> str:
    """Collect (and compress) the static files once per test run for every node: compressing some 700 files
    took most of a node's setup on a loaded machine. Returns the shared STATIC_ROOT."""
    if "static" not in _TEMPLATES:
        root = Path(tempfile.mkdtemp(prefix="borderlink-static-"))
        atexit.register(shutil.rmtree, root, True)
        _TEMPLATES["static"] = str(root)
        (root / "node").mkdir()
        Node("VN", root / "node", 0).manage("collectstatic", "--noinput", "--verbosity", "0")
    return _TEMPLATES["static"]


def _drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_databases(countries: list[str]) -> dict[str, str]:
    """With DATABASE_URL pointing at PostgreSQL, each node gets a database of its own there."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return {}
    import psycopg

    urls = {}
    with psycopg.connect(url, autocommit=True) as connection:
        for country in countries:
            # A name of its own per start, so a module's nodes never meet an earlier module's database.
            name = f"borderlink_fed_{country.lower()}_{os.getpid()}_{next(_DATABASE_SERIAL)}"
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_migrated_template(postgres=True)}"')
            urls[country] = url.rsplit("/", 1)[0] + "/" + name
    return urls


def drop_databases(nodes: list[Node]) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not any(n.database_url for n in nodes):
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for node in nodes:
            if node.database_url:
                connection.execute(f'DROP DATABASE IF EXISTS "{node.database_url.rsplit("/", 1)[1]}" WITH (FORCE)')


def start_nodes(base: Path, countries: list[str], extra_env: dict[str, dict[str, str]] | None = None) -> list[Node]:
    databases = _postgres_databases(countries)
    nodes = [Node(c, base / c.lower(), free_port(), (extra_env or {}).get(c, {}), database_url=databases.get(c, ""))
             for c in countries]
    for node in nodes:
        node.setup()
    peer(nodes)
    for node in nodes:
        node.start_web()
        node.start_worker()
    return nodes
