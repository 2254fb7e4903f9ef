"""Four languages: complete catalogs, pages in Lao and Khmer, fonts bundled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import formats, translation

LOCALE = Path(settings.BASE_DIR) / "borderlink" / "locale"
LAO = range(0x0E80, 0x0F00)
KHMER = range(0x1780, 0x1800)


@pytest.mark.parametrize("language", ["vi", "lo", "km", "en"])
def test_catalog_is_complete_and_not_fuzzy(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{language}: fuzzy entries {fuzzy[:5]}"
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", ["vi", "lo", "km"])
def test_catalog_is_compiled_by_the_build(language):
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists(), "run `make messages`"


def _count(text: str, block: range) -> int:
    return sum(1 for ch in text if ord(ch) in block)


@pytest.mark.django_db
@pytest.mark.parametrize("language, block", [("lo", LAO), ("km", KHMER)])
def test_pages_render_in_lao_and_khmer(language, block, officer, login):
    officer.language = language
    officer.save()
    page = login(officer).get("/messages/").content.decode()
    assert f'lang="{language}"' in page
    with translation.override(language):
        inbox = translation.gettext("Inbox")
    assert inbox != "Inbox" and inbox in page
    assert _count(page, block) > 20


@pytest.mark.django_db
def test_sign_in_page_follows_the_browser_language(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    with translation.override("vi"):
        assert translation.gettext("Sign in") in page


def test_dates_are_formatted_for_the_language():
    import datetime

    day = datetime.date(2026, 3, 9)
    with translation.override("lo"):
        lao = formats.date_format(day, "DATE_FORMAT")
    with translation.override("en"):
        english = formats.date_format(day, "DATE_FORMAT")
    assert lao != english
    assert _count(lao, LAO) > 0  # the month is written in Lao
    with translation.override("vi"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "09/03/2026"  # as Vietnamese government software writes it


def test_numbers_are_formatted_for_the_language(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("lo"):
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"
    with translation.override("en"):
        assert formats.number_format(1234567, force_grouping=True) == "1,234,567"


def test_lao_and_khmer_fonts_are_bundled():
    fonts = Path(settings.BASE_DIR) / "borderlink" / "static" / "borderlink" / "fonts"
    for name in ("noto-sans-lao-lao-400-normal.woff2", "noto-sans-khmer-khmer-400-normal.woff2"):
        data = (fonts / name).read_bytes()
        assert data[:4] == b"wOF2"
    css = (Path(settings.BASE_DIR) / "borderlink" / "static" / "borderlink" / "app.css").read_text()
    assert "Noto Sans Lao" in css and "Noto Sans Khmer" in css


@pytest.mark.parametrize("language, digits", [("lo", "໐໑໒໓໔໕໖໗໘໙"), ("km", "០១២៣៤៥៦៧៨៩")])
def test_catalogs_write_numbers_in_the_digits_the_formats_use(language, digits):
    """Dates and numbers are formatted with Latin digits in every language; a translation that writes
    native digits ("ថ្ងៃទី១ … ២០២៥") next to a formatted date ("30 ... 2025") mixes two scripts of digits
    on one page (try-out defect 3)."""
    with translation.override(language):
        assert not set(formats.number_format(1234567890)) & set(digits)
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    native = [e.msgid for e in po if set(e.msgstr + "".join(e.msgstr_plural.values())) & set(digits)]
    assert not native, f"{language}: native digits in {native[:5]}"
