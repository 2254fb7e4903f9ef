"""Text cut to a limit between grapheme clusters (try-out defect 13: the Khmer XLSX sheet name was cut at
Excel's 31 characters inside a word, ត្រូវគ|្នា)."""

from __future__ import annotations

import unicodedata

import pytest

from borderlink.core.text import shorten
from borderlink.review.render import _sheet_name

KHMER_TITLE = "សេចក្តីជូនដំណឹង និងលទ្ធផលត្រូវគ្នា"


def test_the_khmer_sheet_title_is_cut_between_clusters():
    name = _sheet_name(KHMER_TITLE, set())
    assert len(name) <= 31
    assert KHMER_TITLE.startswith(name)
    following = KHMER_TITLE[len(name)]
    assert not unicodedata.category(following).startswith("M") and following != "\u17d2"
    assert name[-1] != "\u17d2"
    assert name != KHMER_TITLE[:31]  # the plain cut, which left គ before its subscript ្ន


@pytest.mark.parametrize("text", [KHMER_TITLE, "ການແຈ້ງເຕືອນ ແລະ ຜົນການຈັບຄູ່ທີ່ກົງກັນຂອງບຸກຄົນ", "Thông báo và kết quả trùng khớp của đối tượng"])
def test_no_cut_leaves_a_mark_without_its_letter(text):
    for limit in range(1, len(text)):
        cut = shorten(text, limit)
        assert len(cut) <= limit and text.startswith(cut)
        rest = text[len(cut):].lstrip(" ")
        assert not rest or (not unicodedata.category(rest[0]).startswith("M") and rest[0] != "\u17d2")
        assert not cut or cut[-1] != "\u17d2"


def test_a_space_near_the_end_is_preferred():
    assert shorten("Notices and matching results of persons", 31, min_word=20) == "Notices and matching results of"
    assert shorten("short", 31) == "short"


def test_numbered_duplicates_stay_within_31():
    used: set[str] = set()
    first = _sheet_name(KHMER_TITLE, used)
    second = _sheet_name(KHMER_TITLE, used)
    assert first != second and len(second) <= 31 and second.endswith(" 2")
