"""Vietnamese names: diacritics, order, Văn/Thị, -nh/-n, and transcriptions."""

from __future__ import annotations

import pytest

from borderlink.names import MATCH_THRESHOLD, compare, explain
from borderlink.names.normalise import fold_latin, vietnamese_form


def test_diacritics_fold_and_d_with_stroke_is_d() -> None:
    assert fold_latin("Nguyễn Đại Trương") == "nguyendaitruong"


def test_tone_placement_does_not_matter() -> None:
    assert vietnamese_form("Hòa") == vietnamese_form("Hoà")
    assert compare("Nguyễn Hòa Bình", "Nguyễn Hoà Bình") == 1.0


def test_typed_without_diacritics_matches_fully() -> None:
    assert compare("Nguyễn Văn An", "NGUYEN VAN AN") == 1.0
    assert compare("Trần Đại Quang", "Tran Dai Quang") == 1.0


def test_a_diacritic_difference_counts_when_both_sides_have_diacritics() -> None:
    assert compare("Nguyễn Văn An", "Nguyễn Văn Ân") < MATCH_THRESHOLD
    assert compare("Nguyen Van An", "Nguyễn Văn Ân") == 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [("Nguyễn Văn An", "An Nguyen Van"), ("Phạm Minh Chính", "Minh Chinh Pham"),
     ("Nguyễn Thị Kim Ngân", "Thi Kim Ngan Nguyen"), ("Tô Lâm", "Lam To")],
)
def test_family_name_first_or_last(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD


def test_final_nh_is_not_n_in_vietnamese_names() -> None:
    assert compare("Nguyễn Văn An", "Nguyễn Văn Anh") < MATCH_THRESHOLD
    assert compare("Nguyen Van An", "NGUYEN VAN ANH") < MATCH_THRESHOLD
    assert compare("Phạm Minh Chính", "Phạm Minh Chín") < MATCH_THRESHOLD


def test_final_nh_is_n_in_romanised_lao_names() -> None:
    assert compare("Phankham Viphavanh", "Phankham Viphavan") >= MATCH_THRESHOLD
    assert compare("Khamphan Phommathat", "Khamphanh Phommathat") >= MATCH_THRESHOLD


def test_van_against_thi_is_strong_evidence_of_different_people() -> None:
    assert compare("Nguyễn Văn An", "Nguyễn Thị An") < 0.5
    assert any("Thị" in n for n in explain("Nguyễn Văn An", "Nguyễn Thị An").notes)


def test_an_extra_given_name_is_another_person() -> None:
    assert compare("Nguyễn Văn An", "Nguyễn Văn An Tú") < MATCH_THRESHOLD
    assert compare("Nguyễn Xuân Thắng", "Nguyễn Xuân Dũng Thắng") < MATCH_THRESHOLD


def test_a_missing_family_name_is_not_enough() -> None:
    assert compare("Trương Vĩnh Trọng", "Vĩnh Trọng") < MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("transcription", "official"),
    [
        ("Xỏn-xay Xỉ-phăn-đon", "Sonexay Siphandone"),  # x/s, đ/d, -ne
        ("Thoong-lun Xi-xu-lít", "Thongloun Sisoulith"),  # u/ou, oo/o, -th
        ("Xa-lởm-xay Côm-mạ-xít", "Saleumxay Kommasith"),  # c/k, eu/ơ
        ("Phăn-khăm Vị-pha-văn", "Phankham Viphavanh"),  # ph, -nh/-n
        ("Vi-lay Lạ-khăm-phong", "Vilay Lakhamfong"),  # ph/f
        ("Hun Xen", "Hun Sen"),
        ("Nô-rô-đôm Xi-ha-núc", "Norodom Sihanouk"),  # c/k, u/ou
        ("Xu-pha-nu-vông", "Souphanouvong"),
    ],
)
def test_vietnamese_transcriptions_of_lao_and_khmer_names(transcription: str, official: str) -> None:
    assert compare(transcription, official) >= MATCH_THRESHOLD


# Vietnamese names written in Lao or Khmer script, as the officials' sites write them.
@pytest.mark.parametrize(
    ("native", "vietnamese"),
    [
        ("ໂຕ ເລິມ", "Tô Lâm"),  # â is the central vowel, Lao ເິ
        ("ជឿង ហ័រប៊ិញ", "Trương Hoà Bình"),  # tr is ch, ươ is ឿ, ័រ is oa
        ("ង្វៀង ស៊ួនហ្វុក", "Nguyễn Xuân Phúc"),  # southern -n read -ng
        ("ង្វៀន ស៊ុនហ្វុក", "Nguyễn Xuân Phúc"),
    ],
)
def test_vietnamese_names_in_lao_and_khmer_script(native: str, vietnamese: str) -> None:
    assert compare(native, vietnamese) >= MATCH_THRESHOLD
    assert compare(vietnamese, native) == compare(native, vietnamese)


@pytest.mark.parametrize(
    ("native", "vietnamese"),
    [
        ("ជឿង ហ័រប៊ិញ", "Trần Hoà Bình"),  # â alone is not ươ
        ("ជឿង ហ័រប៊ិញ", "Nguyễn Hòa Bình"),
        ("ໂຕ ເລິມ", "Tô Lam"),  # typed with diacritics, a is not â
        ("ហ៊ុន សេង", "Hŭn Sên"),  # -ên and -eng stay apart
    ],
)
def test_vietnamese_reading_of_lao_and_khmer_script_keeps_names_apart(
    native: str, vietnamese: str
) -> None:
    assert compare(native, vietnamese) < MATCH_THRESHOLD
