"""Fixtures for the name engine tests: pure Python, no database, no Django."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "names"


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="session")
def dev_rows() -> list[dict[str, str]]:
    """Labelled dev names (group, role, form, name, source)."""
    return _read("dev.tsv")


@pytest.fixture(scope="session")
def negative_pairs() -> list[dict[str, str]]:
    """Pairs of groups that are different people with similar names."""
    return _read("negatives.tsv")
