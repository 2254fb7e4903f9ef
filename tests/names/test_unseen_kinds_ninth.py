"""Issue 13, ninth round: the kinds of misses found on ``unseen8.tsv``
(Cambodian officials) and ``unseen9.tsv`` (Vietnamese athletes, pilots and
artists), each rule with invented names of the same kind and invented names of
different people it must keep apart. No test reads a data file and no rule
looks a name up: the rules are readings of letters (UNGEGN's toandakhiat and
œ̆, the tone mark of a Lao cluster, the vowel Khmer script writes for the
Vietnamese central vowels), the marks typed for an apostrophe, words of
descriptions and ranks."""

from __future__ import annotations

import pytest

from borderlink.names import MATCH_THRESHOLD, NameIndex, compare, khmer, parse

NINTH_ROUND_SAME = [
    # a backtick, spacing acute or left quote typed for the apostrophe of an
    # Ede or Jarai name
    ("H`Mai Kbuôr", "H'Mai Kbuôr"),
    ("H´Linh Adrơng", "H’Linh Adrơng"),
    ("Y‘Sen Byă", "Y'Sen Byă"),
    # Pol is a Khmer family name, not the abbreviation of police, when one
    # word of name follows; before a rank and a name it is still dropped
    ("Pol Dara", "ប៉ុល ដារា"),
    ("Pol Lt Gen Sok Dara", "Sok Dara"),
    # ិ with the toandakhiat ៍: consonant and vowel are silent
    ("Keo Poni", "កែវ ពោធិ៍នី"),
    # ឹ (UNGEGN œ̆) written with the French oe or oeu
    ("Chea Loek", "ជា លឹក"),
    ("Chea Loeuk", "ជា លឹក"),
    ("Meas Thoeut", "មាស ធឹត"),
    # ័ after the second series before a final written a as well as o/oa
    ("Meas Rath", "មាស រ័ត្ន"),
    ("Meas Rat", "មាស រ័ត្ន"),
    # ឿន written eoun, oeu with two letters swapped
    ("Sok Chamreoun", "សុខ ចំរឿន"),
    # ឹ is also the vowel Khmer script writes for Vietnamese â/ơ/ư
    ("ត្រឹន វ៉ាន់ ហាញ", "Trần Văn Hanh"),
    ("ផាម ឌឹក ហាញ", "Phạm Đức Hanh"),
    # a tone mark on ວ before າ: the tone of a Lao cluster, ວ its glide
    ("ເລຮວ່າຍທູ", "Lê Hoài Thu"),
    ("ນັກດົນຕີ ເລຮວ່າຍທູ", "Lê Hoài Thu"),
    # Vietnamese roles and offices before a name
    ("phi công Lê Văn Tường", "Lê Văn Tường"),
    ("Anh hùng Lực lượng vũ trang nhân dân Phạm Văn Khải", "Phạm Văn Khải"),
    ("VĐV nhảy cao Đỗ Thị Ngân", "Đỗ Thị Ngân"),
    ("người đẹp Hà Thị Yến", "Hà Thị Yến"),
    ("kỳ thủ Lương Văn Tín", "Lương Văn Tín"),
    # a Cambodian governor or council chairman in Vietnamese, with the province
    ("Tỉnh trưởng Kratie Sok Vanna", "Sok Vanna"),
    ("Chủ tịch Hội đồng tỉnh Svay Rieng Keo Dara", "Keo Dara"),
    # French sports pages: article, role noun, discipline
    ("La sauteuse en hauteur Đỗ Thi Ngân", "Đỗ Thị Ngân"),
    ("la reine du sprint Hà Thi Yên", "Hà Thị Yến"),
    # English descriptions ending with star or athlete
    ("Vietnamese hurdles star Le Van Tuong", "Lê Văn Tường"),
    ("Gymnastics athlete Do Thi Ngan", "Đỗ Thị Ngân"),
    # a name typed with some marks and without others: its family name typed
    # plain where the other writes a quality mark, so its other plain
    # syllables may have lost theirs too
    ("Tran Hồng Thuy", "Trần Hồng Thủy"),
    ("Nguyen Bảo Ngan", "Nguyễn Bảo Ngân"),
    # compound ranks (German, French) and the Spanish Sr.
    ("Brigadegeneral Keo Dara", "Keo Dara"),
    ("général de division Chan Vibol", "Chan Vibol"),
    ("el Sr. Chan Vibol", "Chan Vibol"),
]

NINTH_ROUND_DIFFERENT = [
    # Pol as a family name is a word of the name: another family name differs
    ("Pol Dara", "Sok Dara"),
    # a left-out Văn/Thị still costs more than its word (tried and not kept:
    # at the word's cost alone, a name of three syllables met every synthetic
    # distractor that inserts Văn before its given names)
    ("Đỗ Thu Ngân", "Đỗ Văn Thu Ngân"),
    ("Nguyễn An", "Nguyễn Thị An"),
    # ័ read a is not ិ
    ("Meas Rath", "មាស រិទ្ធ"),
    # ... but two syllables both typed with marks are still compared by them
    ("Nguyen Đường Minh", "Nguyễn Dương Minh"),
    ("Tran Hồng Thuy", "Trần Hằng Thủy"),
    # ឹ read oe is not ក, ុ or ោ
    ("Chea Loek", "ជា លក"),
    ("Chea Loek", "ជា លុក"),
    ("Chea Loek", "ជា លោក"),
    ("Meas Thoeut", "មាស ធុត"),
    # ឹ as the central vowel is not i or ă
    ("ត្រឹន ហាញ", "Trịnh Hanh"),
    ("ផាម ឌឹក ហាញ", "Phạm Đắc Hanh"),
    # the glide read after a tone-marked ວ keeps its vowel
    ("ເລຮວ່າຍທູ", "Lê Hải Thu"),
    ("ເລຮວ່າຍທູ", "Lê Hoàng Thu"),
]


@pytest.mark.parametrize(("a", "b"), NINTH_ROUND_SAME)
def test_same_person_meets_the_threshold(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD
    assert compare(b, a) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), NINTH_ROUND_DIFFERENT)
def test_different_people_stay_below_the_threshold(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD
    assert compare(b, a) < MATCH_THRESHOLD


@pytest.mark.parametrize("name", ["Vũ Trang Minh", "Phi Công Minh", "Lực Lương Vũ", "Hội Đồng Lâm", "Prey Veng Sok"])
def test_description_words_alone_stay_a_name(name: str) -> None:
    # words that open a description (vũ trang, phi công, hội đồng, a
    # province) are a name's words when no name of two words follows them
    assert len(parse(name).tokens) == 3


def test_pol_before_one_word_is_kept_and_before_a_rank_dropped() -> None:
    assert [t.text for t in parse("Pol Dara").tokens] == ["pol", "dara"]
    assert "Pol" in parse("Pol Maj Gen Keo Dara").titles


def test_toandakhiat_silences_its_syllable() -> None:
    assert khmer.romanize("ពោធិ៍") == "Po"
    assert khmer.romanize("ពោធិ៍នី") == "Poni"
    # without the sign the vowel is read
    assert khmer.romanize("ពោធិនី") != "Poni"


def test_oe_reading_of_khmer_short_eu() -> None:
    readings = khmer.latin_readings("លឹក")
    assert "loek" in readings and "loeuk" in readings


def test_search_finds_a_khmer_name_by_its_oe_spelling() -> None:
    index = NameIndex()
    index.add("A", "ជា លឹក")
    index.add("B", "ជា លក")
    index.add("C", "ជា លុក")
    hits = index.search("Chea Loeuk", 3)
    assert hits[0].ref == "A" and hits[0].score >= MATCH_THRESHOLD


def test_search_finds_a_vietnamese_name_written_in_khmer_with_the_central_vowel() -> None:
    index = NameIndex()
    index.add("A", "Phạm Đức Hanh")
    index.add("B", "Phạm Đắc Hanh")
    hits = index.search("ផាម ឌឹក ហាញ", 2)
    assert hits[0].ref == "A" and hits[0].score >= MATCH_THRESHOLD


def test_eoun_is_read_as_oeun_not_as_un() -> None:
    # Chamreoun is nearer ចំរឿន than ចំរុន (it was the other way round)
    assert compare("Sok Chamreoun", "សុខ ចំរឿន") > compare("Sok Chamreoun", "សុខ ចំរុន")
    # a glued Lao name with Keo + U keeps its reading
    assert compare("Keoudom Sisavath", "Keo Udom Sisavath") >= MATCH_THRESHOLD
