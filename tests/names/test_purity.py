"""The name engine is a pure library: importing it loads no Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import borderlink.names

PACKAGE = Path(borderlink.names.__file__).parent


def test_no_module_imports_django() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_importing_the_engine_loads_no_django() -> None:
    code = "import sys, borderlink.names; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_engine_tests_run_without_django() -> None:
    """README: ``pytest tests/names -p no:django --confcutdir=tests/names`` runs
    these tests alone, so none of them may import Django or the Django apps
    (tests that need a database belong with their app, e.g. tests/notices)."""
    here = Path(__file__).parent
    for path in sorted(here.glob("*.py")):
        roots = _imported_roots(path)
        assert "django" not in roots and "pytest_django" not in roots, path.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("borderlink."):
                assert node.module.startswith("borderlink.names"), (path.name, node.module)
