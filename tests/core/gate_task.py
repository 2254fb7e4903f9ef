"""A task for the worker tests: it says it started, waits until the test opens its gate, then
writes one line saying it ran. Imported by the real worker process (the tests package is on its path)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def wait_at_gate(gate_dir: str) -> str:
    gate = Path(gate_dir)
    (gate / f"started-{os.getpid()}").touch()
    while not (gate / "open").exists():
        time.sleep(0.05)
    with open(gate / "ran", "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")
    return "ran"
