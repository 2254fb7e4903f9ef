"""`make demo` stops cleanly on Ctrl-C: no traceback, no make error, no process left behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_LIMIT = 900  # seconds
# The demo runs on its embedded SQLite whatever DATABASE_URL says (the tests below strip it), so the PostgreSQL
# pass of CI would only repeat the SQLite pass's run: up to 12 minutes of a 90-minute limit on a loaded machine.
ON_POSTGRES_PASS = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(shutil.which("make") is None or shutil.which("setsid") is None, reason="needs make and setsid")
@pytest.mark.skipif(ON_POSTGRES_PASS, reason="the demo ignores DATABASE_URL: the SQLite pass runs it")
def test_ctrl_c_stops_the_demo_cleanly(tmp_path: Path):
    if not (ROOT / ".venv" / "bin" / "python").exists():
        pytest.skip("the demo runs from the checkout's .venv")
    makefile = tmp_path / "Makefile"  # the demo target alone: no install step in a test
    makefile.write_text(f"demo:\n\t@{ROOT}/scripts/demo.sh\n")
    ports = [free_port() for _ in range(3)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "BORDERLINK_", "DJANGO_"))}
    env.update(BORDERLINK_DEMO_DIR=str(tmp_path / "demo"), DEMO_PORT_VN=str(ports[0]), DEMO_PORT_LA=str(ports[1]),
               DEMO_PORT_KH=str(ports[2]))
    # Its own process group, as a terminal's foreground job: Ctrl-C sends SIGINT to the whole group. A terminal's
    # job starts with SIGINT at its default; a test runner started in the background of a non-interactive shell
    # ignores it, and a shell that starts with SIGINT ignored cannot trap it: the demo would never hear Ctrl-C.
    demo = subprocess.Popen(["make", "-f", str(makefile), "demo"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = []
    # A demo that never comes up must fail the test, not hang the suite: the group is killed after STARTUP_LIMIT
    # seconds (three nodes migrate and load their demo data; minutes on a loaded two-core machine), which ends the
    # output and the loop below.
    def kill() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(demo.pid, signal.SIGKILL)

    watchdog = threading.Timer(STARTUP_LIMIT, kill)
    watchdog.start()
    try:
        assert demo.stdout is not None
        for line in demo.stdout:
            lines.append(line)
            if "Press Ctrl-C" in line:
                break
        watchdog.cancel()
        assert any("Press Ctrl-C" in line for line in lines), "".join(lines)
        os.killpg(demo.pid, signal.SIGINT)
        rest, _ = demo.communicate(timeout=90)  # the script kills what still runs after 40 s (DEMO_STOP_GRACE)
    finally:
        watchdog.cancel()
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
    output = "".join(lines) + rest
    # make itself ends by the same SIGINT once the script has finished, silently, as a shell's foreground job does.
    assert demo.returncode in (0, -signal.SIGINT), output
    assert "Traceback" not in output and "SystemExit" not in output and "make: ***" not in output, output
    assert "Stopped." in output
    left = subprocess.run(["pgrep", "-f", f"127.0.0.1:{ports[0]}"], capture_output=True, text=True)
    assert left.stdout.strip() == "", f"left running: {left.stdout}"


def test_a_port_in_use_stops_the_demo_before_it_starts(tmp_path: Path):
    """Try-out: with another server on a demo port, the demo went on and printed that server's address as its own."""
    if not (ROOT / ".venv" / "bin" / "python").exists():
        pytest.skip("the demo runs from the checkout's .venv")
    ports = [free_port() for _ in range(3)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "BORDERLINK_", "DJANGO_"))}
    env.update(BORDERLINK_DEMO_DIR=str(tmp_path / "demo"), DEMO_PORT_VN=str(ports[0]), DEMO_PORT_LA=str(ports[1]),
               DEMO_PORT_KH=str(ports[2]))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", ports[1]))
        taken.listen()
        run = subprocess.run([str(ROOT / "scripts" / "demo.sh")], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"port {ports[1]} (for the LA node) is already in use" in run.stderr
    assert not (tmp_path / "demo").exists()  # nothing was started or written


def test_the_readme_documents_every_variable_the_demo_reads():
    import re

    script = (ROOT / "scripts" / "demo.sh").read_text()
    readme = (ROOT / "README.md").read_text()
    variables = set(re.findall(r"\$\{((?:DEMO|BORDERLINK_DEMO)_\w+):-", script))
    assert {"DEMO_PORT_VN", "DEMO_PORT_LA", "DEMO_PORT_KH", "BORDERLINK_DEMO_DIR"} <= variables
    assert all(name in readme for name in variables), variables - {n for n in variables if n in readme}


def test_the_demo_waits_for_each_nodes_own_name_and_logs_django_per_node():
    script = (ROOT / "scripts" / "demo.sh").read_text()
    assert "/healthz" in script and '"node\\": \\"borderlink-$lc' in script
    assert "/login/ && break" not in script  # any server on the port used to count as ready
    assert 'django.log" 2>&1' in script


def test_the_web_servers_log_in_the_settings_time_zone():
    """Try-out: web.log mixed +0000 (gunicorn's start-up, before Django set TZ) and +0700 lines."""
    from django.conf import settings

    script = (ROOT / "scripts" / "demo.sh").read_text()
    assert f"TZ={settings.TIME_ZONE} setsid $PY -m gunicorn" in script
