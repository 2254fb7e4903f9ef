"""The pairs the engine is built for, both ways round."""

from __future__ import annotations

import itertools

import pytest

from borderlink.names import MATCH_THRESHOLD, compare

SAME = [
    ["ວິໄລ ຫລ້າຄຳຟອງ", "VILAY LAKHAMFONG", "Vilay Lakhamphong", "Vi-lay Lạ-khăm-phong"],
    ["ស ខេង", "Sar Kheng", "Xa Khêng"],
    ["Nguyễn Văn An", "NGUYEN VAN AN", "An Nguyen Van"],
    ["ຄໍາໄຕ ສີພັນດອນ", "Khamtay Siphandone", "Khamtai Siphandon"],
    ["ហ៊ុន សែន", "Hun Sen", "Houn Saèn", "Hun Xen"],
    ["ສຸວັນນະພູມາ", "Souvanna Phouma", "Souvannaphouma"],
]
DIFFERENT = [
    ("Hun Sen", "Hun Manet"),
    ("Sar Kheng", "Sar Sokha"),
    ("Nguyễn Văn An", "Nguyễn Văn Anh"),
    ("Nguyễn Văn An", "Nguyễn Thị An"),
    ("Nguyễn Văn Anh", "Nguyễn Thị An"),
    ("Son Sen", "Son Sann"),
    ("Hun Many", "Hun Manith"),
    ("Hun Manet", "Hun Manith"),
    ("ហ៊ុន សែន", "ហ៊ុន ម៉ាណែត"),
    ("Phankham Viphavanh", "Khamphan Phommathat"),
    ("Norodom Sihanouk", "Norodom Sihamoni"),
    ("Chea Sim", "Nuon Chea"),
    ("Trần Đại Quang", "Trần Lưu Quang"),
]


@pytest.mark.parametrize(
    ("a", "b"), [pair for group in SAME for pair in itertools.permutations(group, 2)]
)
def test_same_person_matches_both_ways(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD
    assert compare(a, b) == compare(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT + [(b, a) for a, b in DIFFERENT])
def test_different_people_do_not_match(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD


# A whole name of two or more words that opens a longer one: a wife's name followed
# by her husband's (Bun Rany Hun Sen, Norodom Monineath Sihanouk).
LEADING = [
    ("Bun Rany", "Bun Rany Hun Sen"),
    ("ប៊ុន រ៉ានី", "លោកជំទាវប៊ុន រ៉ានី ហ៊ុន សែន"),
    ("Norodom Monineath", "Norodom Monineath Sihanouk"),
]
# The same words at the end, spread out, or a lone word are how relatives differ.
NOT_LEADING = [
    ("Hun Sen", "Bun Rany Hun Sen"),
    ("Norodom Sihanouk", "Norodom Monineath Sihanouk"),
    ("Phetsarath", "Phetsarath Ratanavongsa"),
    ("Nguyễn Văn An", "Nguyễn Văn An Tú"),
]


@pytest.mark.parametrize(("a", "b"), LEADING + [(b, a) for a, b in LEADING])
def test_a_name_opening_a_longer_one_matches(a: str, b: str) -> None:
    assert MATCH_THRESHOLD <= compare(a, b) < 0.9  # below a full match


@pytest.mark.parametrize(("a", "b"), NOT_LEADING + [(b, a) for a, b in NOT_LEADING])
def test_the_same_words_elsewhere_in_a_longer_name_do_not_match(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("នរោត្តម រណឫទ្ធិ", "Norodom Ranariddh"),  # Khmer inherent vowel o/a, final ទ្ធ d/t
        ("ជា សុវណ្ណ", "Chea Sovann"),  # Pali ណ្ណ closes so-vann
        ("Sam Raṅs′ī", "សម រង្ស៊ី"),  # IAST ṅ is ng
    ],
)
def test_khmer_script_against_its_latin_spellings(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD


def test_a_o_is_cheaper_against_khmer_script_than_between_latin_spellings() -> None:
    # Khmer inherent vowels are written a or o (Norodom/នរោត្តម "norodam");
    # two Latin spellings that differ in a/o and a letter are two names.
    assert compare("នរោត្តម រណឫទ្ធិ", "Norodom Ranariddh") >= MATCH_THRESHOLD
    assert compare("Bounthong Chithmany", "ບຸນທອງ Chitmon") < MATCH_THRESHOLD
