"""Count the persons of the held-out name files with at least three plain spellings (issue 13).

Usage: ``python tests/data/names/spellings.py``. Prints one line per file and a total, by country (the
``LA``/``KH``/``VN`` in the group name). The rule is the one ``tests/names/test_name_files.py`` checks: the
distinct spellings of a person, record included, titled forms left out and case ignored (a surname in
capitals is not another spelling). ``dev.tsv`` (the development set) and ``negatives.tsv`` are not counted:
the issue asks for persons beyond the development set. Also counted: the Vietnamese persons with a form in
Lao or Khmer script.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"dev.tsv", "negatives.tsv"}
COUNTRY = re.compile(r"(LA|KH|VN)")


def plain_spellings(rows: list[dict[str, str]]) -> set[str]:
    """The distinct attested spellings of one person: every row citing a page, but the titled forms, case
    folded (a row whose source is ``derived``, as some of ``dev.tsv``'s are, is not attested)."""
    return {r["name"].casefold() for r in rows if r["form"] != "with_title" and r["source"].startswith("http")}


def count(path: Path) -> tuple[int, Counter[str]]:
    """(persons in the file, Counter of persons with >= 3 plain spellings by country, plus ``vn_in_script``)."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            groups[r["group"]].append(r)
    qualifying: Counter[str] = Counter()
    for group, rows in groups.items():
        if len(plain_spellings(rows)) < 3:
            continue
        m = COUNTRY.search(group.upper())
        country = m.group(1) if m else "?"
        qualifying[country] += 1
        if country == "VN" and any(r["form"] in ("lo_script", "km_script") for r in rows):
            qualifying["vn_in_script"] += 1
    return len(groups), qualifying


def main() -> int:
    total_persons, total = 0, Counter()
    for path in sorted(HERE.glob("*.tsv"), key=lambda p: (len(p.stem), p.stem)):
        if path.name in SKIP:
            continue
        persons, qualifying = count(path)
        total_persons += persons
        total += qualifying
        n = sum(v for k, v in qualifying.items() if k != "vn_in_script")
        print(f"{path.name}\t{persons} persons\t{n} with three or more spellings\t{dict(qualifying)}")
    n = sum(v for k, v in total.items() if k != "vn_in_script")
    print(f"all\t{total_persons} persons\t{n} with three or more spellings\t{dict(total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
