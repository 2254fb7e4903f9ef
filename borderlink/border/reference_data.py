"""Loads the province pairs in reference/province_pairs.csv (idempotent; after the provinces and gates).

Each row names its two provinces by country and English name, and its validity period. The province row
used for each side is the one whose own validity covers the whole period of the pair, so a pair valid before
Viet Nam's 2025 merger points at the pre-merger province and a pair valid from 1 July 2025 at the new one.
`gates` lists the side-A names of the gate pairs (as in core/reference/border_gates.csv) between the two.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from django.db import transaction

from borderlink.border.models import ProvincePair
from borderlink.core.models import BorderGate, Province

PAIRS_CSV = Path(__file__).resolve().parent / "reference" / "province_pairs.csv"


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def covering_province(country: str, name_en: str, start: datetime.date | None, end: datetime.date | None) -> Province:
    """The province row of that name whose validity covers [start, end] (None: open-ended).

    Raises ValueError when no row or more than one row fits: the CSV and the provinces disagree."""
    fits = [
        p for p in Province.objects.filter(country_id=country, name_en=name_en)
        if (p.valid_from is None or (start is not None and p.valid_from <= start))
        and (p.valid_to is None or (end is not None and p.valid_to >= end))
    ]
    if len(fits) != 1:
        raise ValueError(f"{country} {name_en} {start}..{end}: {len(fits)} province rows cover this period")
    return fits[0]


@transaction.atomic
def load_province_pairs() -> int:
    """Create or update every pair of the CSV; return the number of pairs."""
    with open(PAIRS_CSV, encoding="utf-8", newline="") as handle:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    for row in rows:
        start, end = _date(row["valid_from"]), _date(row["valid_to"])
        side_a = covering_province(row["side_a_country"], row["side_a_province"], start, end)
        side_b = covering_province(row["side_b_country"], row["side_b_province"], start, end)
        pair, _created = ProvincePair.objects.update_or_create(
            code=row["code"],
            defaults={"side_a": side_a, "side_b": side_b, "valid_from": start, "valid_to": end,
                      "note": row["note"], "source": row["source"]},
        )
        names = [n.strip() for n in row["gates"].split(";") if n.strip()]
        gates = list(BorderGate.objects.filter(side_a_country_id=row["side_a_country"], side_b_country_id=row["side_b_country"],
                                               side_a_name__in=names))
        if len(gates) != len(names):
            raise ValueError(f"{row['code']}: gates {names} not all found in border_gates.csv")
        pair.gates.set(gates)
    return ProvincePair.objects.count()
