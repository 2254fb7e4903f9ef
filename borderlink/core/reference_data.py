"""Loads the sourced reference CSVs in borderlink/core/reference/ (idempotent)."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from django.db import transaction

from borderlink.core.models import BorderGate, Country, Ministry, Province

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_reference() -> dict[str, int]:
    """Create or update countries, ministries, border provinces, gate pairs and province pairs; return counts."""
    for row in _rows("countries.csv"):
        Country.objects.update_or_create(
            code=row["code"],
            defaults={k: row[k] for k in ("name_en", "name_vi", "name_lo", "name_km")},
        )
    for row in _rows("ministries.csv"):
        Ministry.objects.update_or_create(
            code=row["code"],
            defaults={
                "country_id": row["country"],
                "name_en": row["name_en"],
                "name_vi": row["name_vi"],
                "name_lo": row["name_lo"],
                "name_km": row["name_km"],
                "source": row["source"],
            },
        )
    for row in _rows("provinces.csv"):
        Province.objects.update_or_create(
            country_id=row["country"],
            name_en=row["name_en"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "name_local": row["name_local"],
                "borders": row["borders"],
                "valid_to": _date(row["valid_to"]),
                "note": row["note"],
                "source": row["source"],
            },
        )
    for row in _rows("province_names.csv"):
        Province.objects.filter(country_id=row["country"], name_en=row["name_en"]).update(
            name_vi=row["name_vi"], name_lo=row["name_lo"], name_km=row["name_km"]
        )
    for row in _rows("border_gates.csv"):
        BorderGate.objects.update_or_create(
            side_a_country_id=row["side_a_country"],
            side_a_name=row["side_a_name"],
            side_b_country_id=row["side_b_country"],
            defaults={
                "side_a_province": row["side_a_province"],
                "side_b_name": row["side_b_name"],
                "side_b_province": row["side_b_province"],
                "level": row["level"],
                "note": row["note"],
                "source": row["source"],
            },
        )
    from borderlink.border.reference_data import load_province_pairs

    pairs = load_province_pairs()
    return {
        "countries": Country.objects.count(),
        "ministries": Ministry.objects.count(),
        "provinces": Province.objects.count(),
        "border_gates": BorderGate.objects.count(),
        "province_pairs": pairs,
    }
