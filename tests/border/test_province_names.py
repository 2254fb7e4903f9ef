"""Province names in the reader's language (try-out defect 3: a Vietnamese reader saw "Quảng Trị – ສະຫວັນນະເຂດ"
on the border pages, meetings, CSV and API, while unit names were localised)."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from borderlink.border import services
from borderlink.border.models import ProvincePair
from borderlink.core.models import OWN_LANGUAGE, Province
from tests.border.helpers import incident, pair_code

pytestmark = pytest.mark.django_db

LAO = range(0x0E80, 0x0F00)
KHMER = range(0x1780, 0x1800)


def _has(text: str, block: range) -> bool:
    return any(ord(ch) in block for ch in text)


def test_every_border_province_has_a_name_in_each_language(border):
    for province in Province.objects.all():
        for language in ("vi", "lo", "km"):
            with translation.override(language):
                name = province.name
            assert name, (province.name_en, language)
            if language == OWN_LANGUAGE[province.country_id]:
                assert name == province.name_local
            else:
                assert name != province.name_local or (language == "vi" and province.country_id == "KH"), (province.name_en, language)
            if language == "lo" and province.country_id != "LA":
                assert _has(name, LAO), (province.name_en, name)
            if language == "km" and province.country_id != "KH":
                assert _has(name, KHMER), (province.name_en, name)
            if language == "vi":
                assert not _has(name, LAO) and not _has(name, KHMER), (province.name_en, name)


def test_a_pair_reads_in_the_readers_language(border):
    pair = ProvincePair.objects.get(code=pair_code())
    with translation.override("vi"):
        assert str(pair) == "Quảng Trị – Savannakhet"
    with translation.override("lo"):
        assert str(pair) == "ກວາງຈີ – ສະຫວັນນະເຂດ"
    with translation.override("km"):
        assert str(pair) == "ក្វាងទ្រី – សាវ៉ាន់ណាខេត"
    with translation.override("en"):
        assert str(pair) == "Quang Tri – Savannakhet"


def test_pages_csv_and_api_show_no_foreign_script_to_a_vietnamese_reader(border, officer, login, api):
    officer.language = "vi"
    officer.save()
    services.record_incident(officer, incident())
    client = login(officer)
    for path in ("/border/", "/border/pairs/"):
        page = client.get(path).content.decode()
        assert "Savannakhet" in page and "ສະຫວັນນະເຂດ" not in page, path
    exported = client.get("/border/export.csv").content.decode("utf-8-sig")
    assert "Savannakhet" in exported and not _has(exported, LAO)
    rows = list(csv.reader(io.StringIO(exported)))
    assert len(rows) >= 2
    pairs = api(officer).get("/api/border/pairs").json()
    provinces = {p["side_b"]["province"] for p in pairs} | {p["side_a"]["province"] for p in pairs}
    assert "Savannakhet" in provinces and not any(_has(name, LAO) for name in provinces)


@pytest.mark.parametrize("language", ["vi", "lo", "km"])
def test_every_pairs_reference_note_reads_in_the_readers_language(border, language):
    """The notes of reference/province_pairs.csv were shown in English on /border/pairs/."""
    pairs = list(ProvincePair.objects.exclude(note=""))
    assert pairs
    for pair in pairs:
        with translation.override("en"):
            english = pair.note_text
        with translation.override(language):
            text = pair.note_text
        assert text != english, (pair.code, text)
        assert "2025-07-01" not in text and "Facing provinces" not in text, (pair.code, text)


def test_the_pairs_page_in_khmer_has_khmer_notes(border, kh_officer, login):
    kh_officer.language = "km"
    kh_officer.save()
    page = login(kh_officer).get("/border/pairs/").content.decode()
    assert "Facing provinces" not in page and "merged into" not in page


@pytest.mark.parametrize("language", ["vi", "lo", "km"])
def test_the_chart_and_the_month_table_name_months_in_the_readers_language(border, officer, login, language):
    """Try-out defect 13: the chart's axis read "26-01 … 26-12" and the table "2026-01" in every language."""
    import re

    from tests.clock import month_of

    officer.language = language
    officer.save()
    item = services.record_incident(officer, incident())
    month = month_of(item.occurred_at)
    page = login(officer).get("/border/").content.decode()
    with translation.override(language):
        from borderlink.core.display import month_label, month_short

        assert f"<th>{month_label(month)}</th>" in page, page[page.find("Per month") - 200:][:800]
        assert month_short(month) in page or month_short(month, False) in page
        assert month_short(month) != month[2:] and month_label(month) != month
    assert f"<th>{month}</th>" not in page, page[page.find("<caption>"):][:600]
    assert not re.search(r">\d\d-\d\d</text>", page)


def test_the_migration_fills_the_names_on_a_node_that_does_not_reload_the_reference(border):
    import importlib

    from django.apps import apps

    Province.objects.update(name_vi="", name_lo="", name_km="")
    migration = importlib.import_module("borderlink.core.migrations.0003_province_names")
    migration.fill_names(apps, None)
    savannakhet = Province.objects.filter(name_en="Savannakhet").first()
    assert savannakhet.name_km == "សាវ៉ាន់ណាខេត" and savannakhet.name_vi == "Savannakhet"
    assert not Province.objects.filter(name_lo="", name_km="").exists()
