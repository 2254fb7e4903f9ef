"""Issue 13 (branch h13nd): false matches of short Vietnamese names against
synthetic distractors of the benchmark's shapes (Vietnamese names drawn by
surname frequency, recombinations, Khmer names in script). Every name here is
invented; no test reads a data file and no rule looks a name up.

1. A name typed without marks with two adjacent letters swapped (Mihn, Huogn,
   Huyhn) is read with the swap undone, so it stays a Vietnamese name: an
   extra given name on the other side is another person, while the correct
   name still matches.
2. A Vietnamese name in Khmer script with its given name written as one word:
   the pairs that already hold are kept; requiring each glued syllable to be
   the Vietnamese syllable it meets was tried and dropped (it parted Trần
   from ត្រឹន and Xuân from ស៊ួន, real spellings of real names).
3. A Vietnamese syllable paired with a different one counts in full, even a
   common family name or Văn/Thị: one differing syllable of four is another
   person.
5. The given names of a Vietnamese name against a name that adds one word
   before them, not a Vietnamese family name: it costs what a missing family
   name costs.
4. A Vietnamese name typed with marks in the reverse order of a name in Lao or
   Khmer script is another name (these scripts keep the Vietnamese order).
"""

from __future__ import annotations

import pytest

from borderlink.names import MATCH_THRESHOLD, NameIndex, compare, parse

DIFFERENT = [
    # 1. swapped letters in a name typed without marks, one more syllable
    ("Nguyen Mihn Thanh", "Nguyễn Minh Thanh Nam"),
    ("Pham Cong Chihn", "Phạm Công Chính Hằng"),
    ("Tran Thahn Loan", "Trần Thanh Thị Loan"),
    ("Huyhn Trong Lan", "Huỳnh Phượng Trọng Lan"),
    ("Le Mihn Hoang", "Lê Quyên Minh Hoàng"),
    # 2. given name glued in Khmer script, one syllable another (ធៀន against
    # Thịnh is left open: see test_glued_khmer_given_name_left_open)
    ("ត្រឹន វ៉ាន់ថាញ់", "Trần Văn Thịnh"),
    # 5. given names only against a name adding a word that is no Vietnamese
    # family name (a recombination of two persons' words)
    ("Ngoc Truong Son", "H'Hen Ngọc Trường Sơn"),
    ("Minh Khang Duy", "Y'Bla Minh Khang Duy"),
    ("Thanh Hải", "Kpă Thanh Hải"),
    # 3. four syllables, one of them another (the family name, Văn/Thị)
    ("Tran Van Tuyet Yen", "Trịnh Văn Tuyết Yến"),
    ("Tran Van Tuyet Yen", "TRINH VAN TUYET YEN"),
    ("Vo Thi Kien Tri", "Vũ Thị Kiên Trí"),
    ("Vo Thi Kien Tri", "VU THI KIEN TRI"),
    # 4. a marked Vietnamese stage name against Khmer script, words reversed
    ("Lâm Trường", "ជឿន ឡាំ"),
    ("Thành Lâm", "ឡម ថញ"),
    ("ca sĩ Lâm Trường", "ជឿន ឡាំ"),
]

SAME = [
    # 1. the typo against the right name
    ("Nguyen Mihn Thanh", "Nguyễn Minh Thanh"),
    ("Tran Thi Huogn", "Trần Thị Hương"),
    ("Huyhn Trong Lan", "Huỳnh Trọng Lan"),
    ("Pham Cong Chihn", "Phạm Công Chính"),
    # 2. glued given names in Khmer script
    ("ង្វៀន វ៉ាន់ធៀន", "Nguyễn Văn Thiện"),
    ("ត្រឹន វ៉ាន់ថាញ់", "Trần Văn Thanh"),
    ("ត្រឹន ថាញ់សឺន", "Trần Thanh Sơn"),
    # 3. four syllables typed with and without marks
    ("Tran Van Tuyet Yen", "Trần Văn Tuyết Yến"),
    ("TRAN VAN TUYET YEN", "Trần Văn Tuyết Yến"),
    ("Vo Thi Kien Tri", "Võ Thị Kiên Trí"),
    # 4. the same order in both scripts; a Khmer name in Western order
    ("Lâm Trường", "ឡាំ ជឿង"),
    ("Sokha Kem", "គឹម សុខា"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_people_stay_below_threshold(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD
    assert compare(b, a) < MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_person_stays_above_threshold(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD
    assert compare(b, a) >= MATCH_THRESHOLD


@pytest.mark.parametrize("name", ["Sok Vann", "Le Vann", "Ho Nath", "Lim Chhay", "Mao Peth"])
def test_words_vietnamese_does_not_spell_are_not_typos(name: str) -> None:
    """A Khmer word with no swap that makes a Vietnamese syllable is kept."""
    words = [w.casefold() for w in name.split()]
    assert [t.text for t in parse(name).tokens] == words


def test_typo_read_as_vietnamese_syllable() -> None:
    assert [t.text for t in parse("Nguyen Mihn Thanh").tokens] == ["nguyen", "minh", "thanh"]
    assert [t.text for t in parse("Huyhn Trong Lan").tokens] == ["huynh", "trong", "lan"]
    # no family name or Văn/Thị: not known to be Vietnamese, kept as typed
    assert [t.text for t in parse("Mihn Thanh").tokens] == ["mihn", "thanh"]


def test_search_ranks_the_person_above_a_longer_distractor() -> None:
    index = NameIndex()
    index.add("P", "Nguyễn Minh Thanh")
    index.add("D1", "Nguyễn Minh Thanh Nam")
    index.add("D2", "Nguyễn Văn Thịnh")
    index.add("D3", "Trịnh Văn Tuyết Yến")
    hits = index.search("Nguyen Mihn Thanh", 10)
    assert hits[0].ref == "P"
    assert all(h.score < MATCH_THRESHOLD for h in hits if h.ref != "P")
    hits = index.search("Tran Van Tuyet Yen", 10)
    assert all(h.score < MATCH_THRESHOLD for h in hits)


@pytest.mark.xfail(reason="issue 13 kind left open (h13nd): a glued Khmer given name is compared as one "
                   "word, tolerant of one vowel; a syllable-by-syllable rule parted real spellings",
                   strict=True)
def test_glued_khmer_given_name_left_open() -> None:
    assert compare("ង្វៀន វ៉ាន់ធៀន", "Nguyễn Văn Thịnh") < MATCH_THRESHOLD
