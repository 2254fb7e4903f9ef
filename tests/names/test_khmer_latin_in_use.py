"""Issue 13, eleventh round: Khmer names written in Latin letters the way they
are written in use (French-era and everyday spellings), not by a standard
romanisation. The standard systems (UNGEGN, BGN/PCGN, ALA-LC; see
``ungegn.py`` and ``ala_lc.py``) are the oracles of the other tests; here
every name is invented, not a real person's, and each kind of spelling has
same-person pairs that must reach ``MATCH_THRESHOLD`` and pairs of different
people (one vowel or consonant apart) that must stay below it. The rules are
readings of letters by consonant series and vowel sign, never a lookup of
names."""

from __future__ import annotations

import pytest

from borderlink.names import MATCH_THRESHOLD, compare, khmer
from borderlink.names.keys import phonetic_key

IN_USE_SAME = [
    # ៀ/ៀន written ie/ien (UNGEGN iĕ: Chhieun), and ា of the second series
    # (UNGEGN éa) written ie as well
    ("Sok Chien", "សុខ ឈៀន"),
    ("Heng Sien", "ហេង សៀន"),
    ("Im Chien", "អ៊ិម ឈាន"),
    # ច/ជ written ch, and tch opening a word (French)
    ("Sok Tchan", "សុខ ចាន់"),
    ("Tchea Sokha", "ជា សុខា"),
    ("Ouk Tchien", "អ៊ុក ឈៀន"),
    # ថ/ធ written th
    ("Keo Thary", "កែវ ធារី"),
    ("Pich Thavy", "ពិច ថាវី"),
    # ូ and ុ of the second series written ou
    ("Boun Sokha", "ប៊ុន សុខា"),
    ("Sou Nal", "សូ ណាល់"),
    # ឹ/ើ written eu or oeu, ឿ oeu
    ("Chan Kroeung", "ចាន់ ក្រឿង"),
    ("Heng Thoeun", "ហេង ធឿន"),
    ("Keo Beurt", "កែវ ប៊ឺត"),
    ("Gnoeuk Sokha", "ញឹក សុខា"),
    # ៅ written ao or au
    ("Mao Sokha", "ម៉ៅ សុខា"),
    ("Mau Sokha", "ម៉ៅ សុខា"),
    # យ final written y
    ("Srey Pov", "ស្រី ពៅ"),
    ("Sok Samay", "សុខ សម័យ"),
    # ុង of the first series written ong
    ("Touch Long", "ទូច ឡុង"),
    # ៀវ written iou or ieu, alone or glued to the next word (Tioulong-style)
    ("Tiou Sokha", "ទៀវ សុខា"),
    ("Khiou Dara", "ខៀវ ដារា"),
    ("Nhek Tioulong", "ញឹក ទៀវឡុង"),
    ("Nhek Tieulong", "ញឹក ទៀវឡុង"),
    ("Nhek Tiou Long", "ញឹក ទៀវ ឡុង"),
    # the palatal stop ច/ជ before a rounded vowel (ុ ូ ួ) written ti
    # (French-era: ជូ Tiou, glued ជូឡុង Tioulong)
    ("Tiou Sokha", "ជូ សុខា"),
    ("Tioulong Dara", "ជូឡុង ដារា"),
    ("Nhek Tioulong", "ញឹក ជូឡុង"),
    ("Tiong Sokha", "ចុង សុខា"),
    # doubled Pali finals: a before them, the letter written doubled or not
    ("Chea Sovann", "ជា សុវណ្ណ"),
    ("Chea Sovan", "ជា សុវណ្ណ"),
    ("Sok Meakk", "សុខ មគ្គ"),
    # the second series' unwritten vowel closed by a final written a
    # (សុវត្ថិ Sovath, UNGEGN Sovoăt)
    ("Chea Sovath", "ជា សុវត្ថិ"),
]

IN_USE_DIFFERENT = [
    # tch is ch only: another vowel or final is another person
    ("Sok Tchin", "សុខ ចាន់"),
    ("Sok Tchan", "សុខ ចុង"),
    # ឿ written oeu: not i, nor ា; and ឿ is not read eu, the central vowel,
    # which keys hold close to any vowel (a rule tried this round and dropped:
    # Sarun, another person, reached សារឿន Saroeun)
    ("Chan Kring", "ចាន់ ក្រឿង"),
    ("Chan Kroeung", "ចាន់ ក្រាំង"),
    ("Deang Sarun", "ឌៀង សារឿន"),
    # first-series ុង is not read oung (ung): that is ៊ុង/ួង, another name
    # (a rule tried this round and dropped: Soung reached សុង Song, Dung
    # reached ដុង Dong)
    ("Touch Loung", "ទូច ឡុង"),
    ("Soung Sokha", "សុង សុខា"),
    ("Touch Leung", "ទូច ឡុង"),
    # iou for ៀវ only, not for ូ, ីវ, or without the final
    ("Tiou Sokha", "ទូ សុខា"),
    ("Tiou Sokha", "ទីវ សុខា"),
    ("Tou Sokha", "ទៀវ សុខា"),
    # ti for the palatal stop only before ុ ូ ួ, and not for ឆ/ឈ (chh) nor ទ
    ("Tia Sokha", "ជា សុខា"),
    ("Tiou Sokha", "ជី សុខា"),
    ("Tiou Sokha", "ឈូ សុខា"),
    ("Tioulong Dara", "ជាឡុង ដារា"),
    ("Tiou Sokha", "ជូន សុខា"),
    # ie is ៀ (and second-series ា), not ិ
    ("Ouk Chien", "អ៊ុក ចិន"),
    # ao/au is ៅ, not ោ before a final or ា
    ("Mao Sokha", "ម៉ា សុខា"),
    # doubled finals keep the consonant
    ("Chea Sovann", "ជា សុវត្ថិ"),
]


@pytest.mark.parametrize(("a", "b"), IN_USE_SAME)
def test_spelling_in_use_meets_the_threshold(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD
    assert compare(b, a) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), IN_USE_DIFFERENT)
def test_different_people_stay_below_the_threshold(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD
    assert compare(b, a) < MATCH_THRESHOLD


def test_readings_in_use_of_khmer_vowels() -> None:
    # first-series ុង reads ong only; the second series reads ung
    assert "loung" not in khmer.latin_readings("ឡុង")
    assert "".join(khmer.romanize_syllables("ទុង")) == "tung"
    # ៀវ also iou (keys read ov as ou); ឿ is also written eu (twelfth round:
    # a Latin eu is now kept apart from other Khmer vowels, so Deang Sarun
    # stays apart from ឌៀង សារឿន, tested above)
    assert khmer.latin_readings("ក្រឿង") == ("kreung",)
    assert any(phonetic_key(r) == phonetic_key("tiou") for r in khmer.latin_readings("ទៀវ"))
    # other vowels gain no reading from these rules
    assert khmer.latin_readings("ឡាង") == ()
    assert khmer.latin_readings("ទីវ") == ()


def test_palatal_stop_written_ti() -> None:
    assert "tiou" in khmer.latin_readings("ជូ")
    assert "tioulong" in khmer.latin_readings("ជូឡុង")
    assert not any(r.startswith("ti") for r in khmer.latin_readings("ឈូ"))
    assert not any(r.startswith("ti") for r in khmer.latin_readings("ជា"))


def test_tch_opens_a_word_only() -> None:
    assert phonetic_key("tchan") == phonetic_key("chan")
    # inside a glued word t and ch are two syllables' letters (Phet-chara)
    assert phonetic_key("phetchara") != phonetic_key("phechara")
    # bad inputs: empty and lone letters
    assert phonetic_key("") == ""
    assert phonetic_key("tch") == "ch"
