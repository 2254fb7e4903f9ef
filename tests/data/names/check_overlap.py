"""Check that the persons of one name file are in no other file (issue 13).

Usage: ``python tests/data/names/check_overlap.py tests/data/names/unseen7.tsv``

Compares every spelling of the given file with every spelling of the other
``*.tsv`` files of this folder and of ``/work/shared/names/`` (the public
figures), and with the other groups of the same file:

- exactly (after Unicode NFC and case folding);
- folded: anyascii, lower case, punctuation to spaces; equal with spaces removed
  (catches Lao and Khmer names glued or split differently);
- by token subset after folding, when the smaller side has at least two tokens
  (catches a name inside a titled form or with a middle name added).

Prints one line per hit (``file group name  <->  other-file group name``) and
exits 1 if there is any, 0 otherwise. A hit is for a person to look at: two
different people may share a two-token name, and the person is then kept only
after checking that the cited pages describe someone else.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

from anyascii import anyascii

HERE = Path(__file__).resolve().parent
SHARED = Path("/work/shared/names")


def fold(name: str) -> list[str]:
    """Folded tokens of ``name``: anyascii, lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]+", " ", anyascii(name).lower()).split()


def exact(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().strip()


def read(path: Path) -> list[tuple[str, str, str]]:
    """Rows of a name file as (label, group, name); negatives files have no names."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows or "name" not in rows[0]:
        return []
    label = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
    return [(label, r["group"], r["name"]) for r in rows]


def hits(target: Path) -> list[str]:
    mine = read(target)
    others = [
        row
        for folder in (HERE, SHARED)
        if folder.is_dir()
        for p in sorted(folder.glob("*.tsv"))
        if p.resolve() != target.resolve()
        for row in read(p)
    ]
    # Other groups of the same file count as other persons too.
    pool = others + mine
    index_exact: dict[str, list[tuple[str, str, str]]] = {}
    index_glued: dict[str, list[tuple[str, str, str]]] = {}
    folded = []
    for row in pool:
        index_exact.setdefault(exact(row[2]), []).append(row)
        toks = fold(row[2])
        index_glued.setdefault("".join(toks), []).append(row)
        folded.append((row, set(toks)))
    out = []
    for label, group, name in mine:
        toks = set(fold(name))
        found = set()
        for row in index_exact.get(exact(name), []) + index_glued.get("".join(fold(name)), []):
            found.add(row)
        for row, other in folded:
            small = min(len(toks), len(other))
            if small >= 2 and (toks <= other or other <= toks):
                found.add(row)
        for row in sorted(found):
            if row[0] == label and row[1] == group:
                continue
            out.append(f"{label} {group} {name}  <->  {row[0]} {row[1]} {row[2]}")
    return out


def main(argv: list[str]) -> int:
    found = hits(Path(argv[1]))
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
