"""Khmer script romanisation: series, subscripts, vowel signs, ត/ដ."""

from __future__ import annotations

import pytest

from borderlink.names import khmer
from borderlink.names.keys import phonetic_key
from borderlink.names.normalise import clean


def rom(word: str) -> str:
    return "".join(khmer.romanize_syllables(clean(word)))


def test_vowel_reads_by_consonant_series() -> None:
    assert rom("សុខ") == "sok"  # first series: ុ is "o"
    assert rom("ហ៊ុន") == "hun"  # triisap moves ហ to the second series: "u"
    assert rom("ជា") == "chea"  # second series ា: Chea
    assert rom("បាញ់") == "banh"  # first series ា, bantoc ignored


def test_muusikatoan_moves_to_the_first_series() -> None:
    assert rom("ម៉ាណែត") == "manaet"  # Manet
    assert rom("រ៉ានី") == "rani"  # Rany


@pytest.mark.parametrize(
    ("word", "latin"),
    [("សែន", "Sen"), ("សែន", "Saen"), ("ស", "Sar"), ("ស", "Sa"), ("ស", "Xa"),
     ("ខេង", "Kheng"), ("ទៀ", "Tea"), ("ជា", "Chea"), ("នួន", "Nuon"), ("ហេង", "Heng"),
     ("សំរិន", "Samrin"), ("ស៊ីម", "Sim"), ("សុខា", "Sokha"), ("កឹម", "Kem")],
)
def test_spellings_names_use(word: str, latin: str) -> None:
    assert phonetic_key(rom(word)) == phonetic_key(latin.lower())


def test_subscript_cluster_and_h_plus_vo_is_f() -> None:
    assert rom("ក្រ") == "kra"
    assert rom("ហ្វុក") == "fuk"  # Vietnamese Phúc written in Khmer
    assert rom("ង្វៀន") == "ngwean"  # Nguyễn


def test_subscript_ta_and_da_are_the_same_letter() -> None:
    assert rom("នរោត្តម") == rom("នរោត្ដម") == "norodam"


def test_pali_cluster_of_one_row_closes_the_syllable_before() -> None:
    # the letter above a subscript of its own row (ណ្ណ, ន្ទ, ទ្ធ) closes a
    # syllable opened by the bare letter before it
    assert rom("សុវណ្ណ") == "sovan"  # Sovann: before a doubled final, a (issue 13)
    assert rom("សុន្ទរ") == "sontor"  # Sunthor
    assert rom("ស៊ុនហ្វុក") == "sunfuk"  # ហ្វ is an onset (f), not a Pali cluster


def test_doubled_letter_at_the_end_of_a_word_is_the_final() -> None:
    assert rom("វណ្ណ") == "van"  # Vann
    assert rom("នរោត្តម") == "norodam"  # before a vowel the subscript reads


def test_word_final_subscript_is_silent() -> None:
    assert rom("ចក្រពង្ស").endswith("pong")  # Chakrapong


def test_nikahit_and_reahmuk() -> None:
    assert rom("សំ") == "sam"
    assert rom("ព្រះ") == "preah"


def test_romanize_never_raises_on_odd_sequences() -> None:
    for text in ["្", "្្ក", "៉៊", "ាិ", "ំះ", "៍", "ក៍", ""]:
        khmer.romanize_syllables(text)


def test_word_final_short_u_closes_with_k() -> None:
    assert rom("សីហនុ") == "seihanuk"  # Sihanouk


def test_pali_final_i_after_a_subscript_is_silent() -> None:
    assert rom("រណឫទ្ធិ") == "ronarit"  # Ranariddh
    assert rom("កិត្តិ") == "kit"


def test_long_final_i_after_a_subscript_is_pronounced() -> None:
    assert rom("រង្ស៊ី") == "rongsi"  # Rainsy, Rôngsi


def test_samyok_with_ro_reads_oa() -> None:
    assert rom("ហ័រ") == "hoa"  # Hoà in ជឿង ហ័រប៊ិញ (Trương Hoà Bình)


def test_voiced_final_stop_is_unvoiced() -> None:
    # Sanskrit-style spellings end in d/dh where the script's final is read t
    assert phonetic_key("ranariddh") == phonetic_key(rom("រណឫទ្ធិ").replace("o", "a", 1))
    assert phonetic_key("hung").endswith("ng")  # -ng stays
