"""Federation kinds register themselves from each app's AppConfig.ready(): the federation package imports no app."""

from __future__ import annotations

import ast
from pathlib import Path

from borderlink.federation.registry import KINDS

FEDERATION = Path(__file__).resolve().parents[2] / "borderlink" / "federation"
ALLOWED = ("borderlink.federation", "borderlink.audit", "borderlink.core", "borderlink.env")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_the_federation_package_imports_no_app():
    offending = {str(path.relative_to(FEDERATION)): name for path in FEDERATION.rglob("*.py")
                 for name in _imports(path) if name.startswith("borderlink.") and not name.startswith(ALLOWED)}
    assert offending == {}


def test_every_app_has_registered_its_kinds_once_django_is_ready():
    assert {"request.opened", "request.event", "custody.notified", "custody.event", "message.released",
            "notice.snapshot"} <= set(KINDS)
