"""Titles and honorifics are dropped in all scripts; a title alone is no name."""

from __future__ import annotations

import pytest

from borderlink.names import compare, parse


@pytest.mark.parametrize(
    ("with_title", "name"),
    [
        ("Samdech Akka Moha Sena Padei Techo Hun Sen", "Hun Sen"),
        ("សម្តេចអគ្គមហាសេនាបតី តេជោ ហ៊ុន សែន", "Hun Sen"),
        ("សម្ដេចតេជោ ហ៊ុន សែន", "Hun Sen"),
        ("Xăm-đéc Hun Xen", "Hun Sen"),
        ("Samdech Krolahom Sar Kheng", "Sar Kheng"),
        ("ឯកឧត្តម ង្វៀន សួនហ៊្វុក", "ង្វៀន សួនហ៊្វុក"),
        ("Oknha Chea Sim", "Chea Sim"),
        ("លោកជំទាវប៊ុន រ៉ានី", "Bun Rany"),
        ("ທ່ານ ທອງລຸນ ສີສຸລິດ", "Thongloun Sisoulith"),
        ("ພົນເອກ ວິໄລ ຫລ້າຄຳຟອງ", "Vilay Lakhamfong"),
        ("ເຈົ້າເພັດຊະລາດ", "Phetsarath"),
        ("Đại tướng Vilay Lakhamfong", "Vilay Lakhamfong"),
        ("Thượng tướng Tô Lâm", "Tô Lâm"),
        ("Ngài Tia Banh", "Tea Banh"),
        ("Bộ trưởng Phạm Bình Minh", "Phạm Bình Minh"),
        ("Ông Nguyễn Văn An", "Nguyễn Văn An"),
        ("Bà Nguyễn Thị Thanh", "Nguyễn Thị Thanh"),
        ("Mr Hun Manet", "Hun Manet"),
        ("H.E. Dr. Sar Sokha", "Sar Sokha"),
    ],
)
def test_titles_are_dropped(with_title: str, name: str) -> None:
    assert compare(with_title, name) == 1.0


@pytest.mark.parametrize(
    "title_only", ["Samdech", "Samdech Techo", "សម្តេច", "ທ່ານ", "Đại tướng", "Mr", "H.E.", "Ông"]
)
def test_title_only_names_are_empty_and_match_nothing(title_only: str) -> None:
    assert parse(title_only).tokens == ()
    assert compare(title_only, title_only) == 0.0
    assert compare(title_only, "Hun Sen") == 0.0


def test_a_name_word_that_looks_like_a_title_is_kept_when_nothing_else_is_left() -> None:
    # only leading titles are dropped, and never the last word
    assert [t.text for t in parse("Chea Sena").tokens] == ["chea", "sena"]
