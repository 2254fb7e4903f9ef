"""Quality on the labelled dev data (copied from ../shared/names into the repo).

Tolerances sit a little below the measured figures so that a regression fails.
"""

from __future__ import annotations

import itertools

from borderlink.names import MATCH_THRESHOLD, NameIndex, compare

NATIVE = {"lo_script", "km_script", "vi_native"}


def _pairwise(rows: list[dict[str, str]]) -> tuple[float, float]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(rows, 2):
        same = a["group"] == b["group"]
        hit = compare(a["name"], b["name"]) >= MATCH_THRESHOLD
        tp += same and hit
        fp += hit and not same
        fn += same and not hit
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def test_pairwise_precision_and_recall_over_every_pair(dev_rows) -> None:
    precision, recall = _pairwise(dev_rows)
    assert precision >= 0.99
    assert recall >= 0.92


def test_listed_negative_pairs_never_match(dev_rows, negative_pairs) -> None:
    by_group: dict[str, list[str]] = {}
    for r in dev_rows:
        by_group.setdefault(r["group"], []).append(r["name"])
    bad = [
        (a, b)
        for pair in negative_pairs
        for a in by_group[pair["group_a"]]
        for b in by_group[pair["group_b"]]
        if compare(a, b) >= MATCH_THRESHOLD
    ]
    assert bad == []


def _recall(rows: list[dict[str, str]], native_only: bool) -> tuple[float, float]:
    index = NameIndex()
    records = [
        r for r in rows if r["role"] == "record" and (not native_only or r["form"] in NATIVE)
    ]
    for r in records:
        index.add(r["group"], r["name"])
    groups = {r["group"] for r in records}
    queries = [r for r in rows if r["role"] == "query" and r["group"] in groups]
    at1 = at10 = 0
    for q in queries:
        refs = [h.ref for h in index.search(q["name"], 10)]
        at1 += bool(refs) and refs[0] == q["group"]
        at10 += q["group"] in refs
    return at1 / len(queries), at10 / len(queries)


def test_search_recall_with_records_in_every_form(dev_rows) -> None:
    at1, at10 = _recall(dev_rows, native_only=False)
    assert at1 >= 0.98
    assert at10 >= 0.99


def test_search_recall_with_records_in_native_script_only(dev_rows) -> None:
    at1, at10 = _recall(dev_rows, native_only=True)
    assert at1 >= 0.98
    assert at10 >= 0.99
