"""Lao script romanisation, one rule at a time, on attested names."""

from __future__ import annotations

import pytest

from borderlink.names import lao
from borderlink.names.keys import phonetic_key
from borderlink.names.normalise import clean


def rom(word: str) -> str:
    return "".join(lao.romanize_syllables(clean(word)))


def same_key(lao_word: str, latin: str) -> bool:
    return phonetic_key(rom(lao_word)) == phonetic_key(latin.lower())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ວິໄລ", "vilai"),  # ໄ written before ລ, read after it (not anyascii's "viail")
        ("ເພັດ", "phet"),  # ເ + ັ + final
        ("ແກ້ວ", "kaeo"),  # ແ, tone mark ignored, ວ as final
        ("ໂພ", "pho"),  # ໂ open
        ("ໄຊ", "xai"),  # ໄ and ຊ = x
        ("ເຈົ້າ", "chao"),  # ເ◌ົາ
        ("ເມືອງ", "meuang"),  # ເ◌ືອ, the central vowel and a (Vietnamese ươ: ເທືອງ Thưởng)
        ("ເລິມ", "leum"),  # ເ◌ິ
    ],
)
def test_pre_posed_vowels_are_read_after_the_consonant(word: str, expected: str) -> None:
    assert rom(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ສັກ", "sak"), ("ທອງ", "thong"), ("ລາດ", "lat"), ("ສອນ", "son"),
        ("ພົມ", "phom"), ("ສາຍ", "say"), ("ລາວ", "lao"), ("ຄຳ", "kham"), ("ຮັບ", "hap"),
    ],
)
def test_final_consonants(word: str, expected: str) -> None:
    assert rom(word) == expected


def test_unwritten_vowel_is_o_in_closed_and_a_in_open_syllables() -> None:
    assert rom("ຄນ") == "khon"
    assert lao.romanize_syllables("ສ") == ("sa",)


def test_ho_clusters_write_only_the_sonorant() -> None:
    assert rom("ຫວັດ") == "vat"  # ສະຫວັດ in Viengsavath
    assert rom("ສະຫາຍ") == "sahay"  # ຫ before a vowel is h
    assert rom("ຫຼວງ") == rom("ຫລວງ") == "louang"  # ຫຼ and ຫລ: Luang


def test_ligatures_equal_their_two_letter_spelling() -> None:
    assert rom("ໜູຮັກ") == rom("ຫນູຮັກ") == "nouhak"  # Nouhak Phoumsavanh
    assert rom("ສົມໝາຍ") == rom("ສົມຫມາຍ") == "sommay"


def test_sara_am_written_in_two_pieces_is_the_same_vowel() -> None:
    assert rom("ຄໍາໄຕ") == rom("ຄຳໄຕ") == "khamtai"


@pytest.mark.parametrize(
    ("word", "latin"),
    [
        ("ສີພັນດອນ", "Siphandone"),
        ("ສອນໄຊ", "Sonexay"),
        ("ວຽງສະຫວັດ", "Viengsavath"),
        ("ທອງລຸນ", "Thongloun"),
        ("ສີສຸລິດ", "Sisoulith"),
        ("ບຸນຍັງ", "Bounnhang"),
        ("ຈິດມະນີ", "Chitmany"),
        ("ຫລ້າຄຳຟອງ", "Lakhamfong"),
        ("ໂພສີຄຳ", "Phosikham"),
        ("ສຸພານຸວົງ", "Souphanouvong"),
        ("ໄກສອນ", "Kaysone"),
        ("ພົມວິຫານ", "Phomvihane"),
        ("ພູມສະຫວັນ", "Phoumsavanh"),
    ],
)
def test_romanisation_reaches_the_official_spelling_key(word: str, latin: str) -> None:
    assert same_key(word, latin), (rom(word), latin)


def test_romanize_never_raises_on_odd_sequences() -> None:
    for text in ["ໆ", "່້", "ເ", "ຫ", "ຼ", "ັັັ", "ໃໃ", "ອອອ", ""]:
        lao.romanize_syllables(text)
