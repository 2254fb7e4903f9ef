"""Issue 13: the held-out name files are well formed and hold no person twice.

These tests read the files as data only; they never run the matching engine on
them (the files of ``HELD_OUT`` are measured by ``bench/names.py --set unseenN``;
which of them a round tuned on is in tests/data/names/README.md; ``unseen4.tsv``
and ``unseen5.tsv`` are only checked for overlap). The overlap check is ``tests/data/names/check_overlap.py``.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "names"
COLUMNS = ["group", "role", "form", "name", "source"]
FORMS = {
    "lo_script",
    "km_script",
    "vi_native",
    "official_latin",
    "alt_latin",
    "passport",
    "vi_transcription",
    "vi_ascii",
    "with_title",
}
NATIVE = {"lo_script", "km_script", "vi_native"}
URL = re.compile(r"^https?://\S+$")
# The held-out files built with the three-spellings rule, with their group prefix.
HELD_OUT = [("unseen6.tsv", "U6"), ("unseen7.tsv", "U7"), ("unseen8.tsv", "U8"), ("unseen9.tsv", "U9"),
            ("unseen10.tsv", "U10"), ("unseen11.tsv", "U11"), ("unseen12.tsv", "U12"), ("unseen13.tsv", "U13"),
            ("unseen14.tsv", "U14")]
HELD_OUT_NAMES = [name for name, _ in HELD_OUT]


def test_every_held_out_file_from_the_sixth_on_is_checked() -> None:
    """A new ``unseenN.tsv`` (N >= 6) must join HELD_OUT, or none of the checks below reads it."""
    found = {p.name for p in DATA.glob("unseen*.tsv") if int(p.stem[len("unseen"):] or 1) >= 6}
    assert found == set(HELD_OUT_NAMES)


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_overlap", DATA / "check_overlap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.mark.parametrize(("name", "prefix"), HELD_OUT)
def test_held_out_file_parses_with_known_labels(name: str, prefix: str) -> None:
    rows = _rows(name)
    assert rows
    for r in rows:
        assert set(r) == set(COLUMNS) and None not in r.values()
        assert re.fullmatch(prefix + r"-(KH|LA|VN)\d{3}", r["group"]), r
        assert r["role"] in {"record", "query"}, r
        assert r["form"] in FORMS, r
        assert r["name"] == r["name"].strip() and r["name"], r


@pytest.mark.parametrize("name", HELD_OUT_NAMES)
def test_held_out_file_every_row_cites_a_page(name: str) -> None:
    for r in _rows(name):
        assert URL.match(r["source"]), r


@pytest.mark.parametrize("name", HELD_OUT_NAMES)
def test_each_person_has_one_record_and_three_plain_spellings(name: str) -> None:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in _rows(name):
        groups[r["group"]].append(r)
    for group, rows in groups.items():
        records = [r for r in rows if r["role"] == "record"]
        assert len(records) == 1, group
        assert records[0]["form"] in NATIVE, group
        # Case-only variants (a surname in capitals) do not count as spellings.
        plain = {r["name"].casefold() for r in rows if r["form"] != "with_title"}
        assert len(plain) >= 3, group
        assert any(r["role"] == "query" for r in rows), group
    # Rows of one person are contiguous.
    order = [r["group"] for r in _rows(name)]
    blocks = [g for i, g in enumerate(order) if i == 0 or order[i - 1] != g]
    assert len(blocks) == len(set(blocks))


@pytest.mark.parametrize("name", ["unseen4.tsv", "unseen5.tsv", *HELD_OUT_NAMES])
def test_no_person_is_in_another_file(name: str) -> None:
    """Every spelling against every other file, exactly and folded (check_overlap)."""
    assert _load_checker().hits(DATA / name) == []


def test_checker_finds_a_person_in_another_file(tmp_path: Path) -> None:
    """The overlap check is not vacuous: a copied spelling is reported."""
    dev = _rows("dev.tsv")[0]
    probe = tmp_path / "probe.tsv"
    probe.write_text(
        "\t".join(COLUMNS) + "\n" + "\t".join(["P-1", "record", dev["form"], dev["name"].upper(), "https://example.org/"]) + "\n",
        encoding="utf-8",
    )
    hits = _load_checker().hits(probe)
    assert hits and dev["group"] in hits[0]
