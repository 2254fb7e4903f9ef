"""Border test setup: the sourced reference data (provinces, gates, province pairs) on top of the shared
organisation, with the units placed in their provinces: Quảng Trị (VN-QT) faces Savannakhet (LA-SVK); Svay
Rieng (KH-SVR) faces Tây Ninh; VN-TN has no province (an outsider to the border pages)."""

from __future__ import annotations

import base64
import datetime
import struct
import zlib
from typing import Any

import pytest
from django.utils import timezone

from borderlink.border.models import ProvincePair
from borderlink.border.services import GoodsInput, IncidentInput
from borderlink.core.models import BorderGate, Province
from borderlink.core.reference_data import load_reference


def place_units(org: Any) -> None:
    load_reference()
    today = datetime.date.today()
    for unit, country, name in ((org.vn_unit, "VN", "Quang Tri"), (org.la_unit, "LA", "Savannakhet"),
                                (org.kh_unit, "KH", "Svay Rieng")):
        unit.province = Province.objects.filter(country_id=country, name_en=name).valid_on(today).get()
        unit.save()


def gate(name: str) -> BorderGate:
    return BorderGate.objects.get(side_a_name=name)


def pair_code(vn: str = "Quang Tri", other: str = "Savannakhet") -> str:
    return ProvincePair.objects.valid_on(datetime.date.today()).get(side_a__name_en=vn, side_b__name_en=other).code


def incident(**overrides: Any) -> IncidentInput:
    data: dict[str, Any] = {
        "pair": pair_code(), "kind": "unauthorised_migration", "occurred_at": timezone.now() - datetime.timedelta(hours=3),
        "gate_id": gate("Lao Bảo").pk, "place": "", "persons_count": 3, "children_count": 0,
        "description": "Three adults crossed on a forest path north of the gate.",
    }
    data.update(overrides)
    return IncidentInput(**data)


def seizure(**overrides: Any) -> IncidentInput:
    return incident(kind="smuggling_seizure", persons_count=1,
                    goods=[GoodsInput("cigarettes", "120", "carton", "=HYPERLINK(\"http://x\")")], **overrides)


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG image, made here (no file, no library)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def png_base64() -> str:
    return base64.b64encode(png()).decode("ascii")


@pytest.fixture
def border(org: Any) -> Any:
    place_units(org)
    return org
