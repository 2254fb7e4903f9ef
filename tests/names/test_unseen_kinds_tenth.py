"""Issue 13, tenth round: kinds of misses still found on the tuned-on files
(``unseen.tsv``, ``unseen3.tsv``–``unseen9.tsv``), each rule with invented
names of the same kind and invented names of different people it must keep
apart. No test reads a data file and no rule looks a name up: the rules are
readings of letters (a word-final Khmer subscript, ួ and the second series'
vowel before a doubled stop as names write them, Lao ຶ for a Vietnamese u,
Nguyễn's final in Lao and Khmer script, ុ typed for ៊, a Lao initial read by its letter's name, Lao Pali spellings) and a Lao or Khmer name typed a
syllable per word beside a word of several syllables."""

from __future__ import annotations

import pytest

from borderlink.names import MATCH_THRESHOLD, NameIndex, compare, khmer, lao
from borderlink.names.normalise import clean

TENTH_ROUND_SAME = [
    # a word-final subscript under the consonant closing the word is silent
    # (្យ typed for ់)
    ("Keo Sophal", "កែវ សុផល្យ"),
    ("កែវ សុផល្យ", "កែវ សុផល់"),
    # ួ written ou (its letters swapped) and, before y, o
    ("Koy Sokha", "គួយ សុខា"),
    ("Hoy Dara", "ហួយ ដារា"),
    ("Chea Chhoun", "ជា ឈួន"),
    # the second series' unwritten vowel before a doubled stop written ea,
    # with or without the doubled letter
    ("Sok Meakk", "សុខ មគ្គ"),
    ("Sok Meak", "សុខ មគ្គ"),
    # a Vietnamese u closed by a final, written Lao ຶ by machine-made Lao
    ("ຫງວຽນ ວັນ ຝຶກ", "Nguyễn Văn Phúc"),
    ("ເລ ທິ ທຶກ", "Lê Thị Thục"),
    # Nguyễn in Lao or Khmer script ending in -n or -ng
    ("ង្វៀង វ៉ាន់ ហ៊ុង", "ង្វៀន វ៉ាន់ ហ៊ុង"),
    ("ຫງວຽງ ວັນ ທູ", "ຫງວຽນ ວັນ ທູ"),
    # syllables typed apart beside a word of several syllables
    ("សុវណ្ណ ពី លី កា", "សុវណ្ណ ពីលីកា"),
    # a Lao initial, a lone consonant, against a Latin initial or the
    # letter's name written out
    ("B. Vongsavanh", "ບ. ວົງສະຫວັນ"),
    ("Kor Vongsavanh", "ກ. ວົງສະຫວັນ"),
    ("Vongsavanh S.", "ສ. ວົງສະຫວັນ"),
    # Lao Pali spellings: ຣ after a stop written as a cluster, a letter under
    # the cancel mark ໌ left out
    ("Tri Phommachan", "ຕຣີ ພົມມະຈັນ"),
    ("Kouprasit Vongsa", "ກຸປຣະສິດ ວົງສາ"),
    ("Souksavat Keola", "ສຸກສວັສດ໌ ແກ້ວລາ"),
    # ុ typed for its look-alike ៊ beside another vowel sign, in either order
    ("អុឹម សុភា", "អ៊ឹម សុភា"),
    ("អឹុមសុភា", "អ៊ឹម-សុភា"),
    ("Eum Sophea", "អុឹម សុភា"),
    ("ບຸນມີ ສີ ສຸ ວັນ", "ບຸນມີ ສີສຸວັນ"),
]

TENTH_ROUND_DIFFERENT = [
    # the Latin readings of ួ are for Latin spellings only: two Khmer words
    # with other vowels stay apart
    ("លួន សុខា", "លូន សុខា"),
    ("គួយ ដារា", "គយ ដារា"),
    ("Loun Sokha", "លឹម សុខា"),
    ("Koy Dara", "កែវ ដារា"),
    # the ea of a doubled stop does not make other vowels or finals close
    ("សុខ មគ្គ", "សុខ មាក"),
    ("Sok Meakk", "សុខ មុក"),
    # a silent final subscript leaves the rest of the word as it is
    ("Keo Sophal", "កែវ សុផា"),
    ("កែវ សុផល្យ", "កែវ សុផាត"),
    # Lao ຶ for u: another vowel is another syllable
    ("ຫງວຽນ ວັນ ຝຶກ", "Nguyễn Văn Phát"),
    ("Nguyễn Văn Phúc", "ຫງວຽນ ວັນ ຝາກ"),
    ("Lê Văn Phúc", "ເລ ວັນ ຝອກ"),
    # Nguyễn's -n/-ng: only for the Vietnamese onset nguy-, and the other
    # words still count (the Khmer ងួន Nguon is not ងួង Nguong)
    ("ង្វៀង វ៉ាន់ ហ៊ុង", "ង្វៀន វ៉ាន់ ហ៊ាង"),
    ("ຫງວຽງ ວັນ ທູ", "ຫງວຽນ ວັນ ທີ"),
    ("ងួន ដារា", "ងួង ដារា"),
    # initials: another letter, or an initial against a whole word
    ("K. Vongsavanh", "ສ. ວົງສະຫວັນ"),
    ("ສ. ວົງສະຫວັນ", "ກ. ວົງສະຫວັນ"),
    ("Somsak Vongsavanh", "ສ. ວົງສະຫວັນ"),
    ("S. Vongsavanh", "ວົງສະຫວັນ"),
    # the Pali readings change only the ຣ and the cancelled letter
    ("Kouprasit Vongsa", "ກຸປຣະສົງ ວົງສາ"),
    ("Souksavat Keola", "ສຸກສະຫວັນ ແກ້ວລາ"),
    ("Tri Phommachan", "ຕາ ພົມມະຈັນ"),
    # ុ read as ៊ only beside another vowel sign: the vowel kept is that one
    ("អុឹម សុភា", "អ៊ុម សុភា"),
    ("អុឹម សុភា", "អ៊ឹង សុភា"),
    # syllables glued must make the other word, not one like it
    ("ពិសិដ្ឋ ពី លី កា", "ពិសិដ្ឋ ពីលីណា"),
    ("ដារា សុ ភា", "ដារា សុភាព"),
]


@pytest.mark.parametrize(("a", "b"), TENTH_ROUND_SAME)
def test_same_person_meets_the_threshold(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD
    assert compare(b, a) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), TENTH_ROUND_DIFFERENT)
def test_different_people_stay_below_the_threshold(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD
    assert compare(b, a) < MATCH_THRESHOLD


def test_word_final_subscript_is_silent() -> None:
    assert "".join(khmer.romanize_syllables("កុសល្យ")) == "kosal"
    assert "".join(khmer.romanize_syllables("អនុវង្ស")) == "anuvong"
    # a subscript with a vowel after it still opens a syllable
    assert "".join(khmer.romanize_syllables("វិទ្យា")).startswith("vit")


def test_lone_lao_consonant_reads_as_its_letter_name() -> None:
    assert lao.latin_readings("ສ") == ("so",)
    assert lao.latin_readings("ກ") == ("ko",)
    assert lao.latin_readings("ສົມ") == ()


def test_lao_pali_readings() -> None:
    assert "phra" in lao.latin_readings("ພຣະ")
    assert "kouprasit" in lao.latin_readings("ກຸປຣະສິທທິ໌")
    assert "sisavat" in lao.latin_readings("ສີສວັສດ໌")
    # the reading as written stays first; a word with neither has no other
    assert lao.romanize_syllables("ພຣະ") == ("pha", "ra")
    assert lao.latin_readings("ສົມສັກ") == ()


def test_u_beside_another_vowel_sign_is_the_triisap() -> None:
    assert clean("អុឹម") == clean("អ៊ឹម") == clean("អឹុម")
    # ុ alone, or with a sign that is not a vowel (ុំ, ុះ), stays ុ
    assert "\u17bb" in clean("សុខ") and "\u17bb" in clean("ឃុំ") and "\u17bb" in clean("សុះ")


def test_khmer_uo_and_doubled_stop_readings() -> None:
    assert "loun" in khmer.latin_readings("លួន")
    assert "koy" in khmer.latin_readings("គួយ")
    assert "meak" in khmer.latin_readings("មគ្គ")
    # ួ with no final keeps its one reading; a first-series doubled stop too
    assert "ou" not in "".join(khmer.latin_readings("ពួ"))
    # nor before ng (the reading that keeps Ung Sokha apart from សុខា អួង)
    assert khmer.latin_readings("អួង") == ()
    assert not any("ea" in r for r in khmer.latin_readings("សក្ក"))


def test_search_finds_nguyen_written_with_the_other_final() -> None:
    index = NameIndex()
    index.add("A", "ង្វៀន វ៉ាន់ ហ៊ុង")
    index.add("B", "ង្វៀន វ៉ាន់ ហ៊ាង")
    index.add("C", "ងួង វ៉ាន់ ហ៊ុង")
    hits = index.search("ង្វៀង វ៉ាន់ ហ៊ុង")
    assert hits and hits[0].ref == "A" and hits[0].score >= MATCH_THRESHOLD
    assert all(h.score < MATCH_THRESHOLD for h in hits if h.ref != "A")


def test_search_finds_a_khmer_name_typed_a_syllable_per_word() -> None:
    index = NameIndex()
    index.add("A", "សុវណ្ណ ពីលីកា")
    index.add("B", "សុវណ្ណ ពីលីណា")
    hits = index.search("សុវណ្ណ ពី លី កា")
    assert hits and hits[0].ref == "A" and hits[0].score >= MATCH_THRESHOLD
