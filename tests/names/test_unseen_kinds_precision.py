"""Issue 13, seventh round: precision at 1,000,000 distractors.

The false matches at that scale are other persons' words recombined, in
another order or script. Each rule below has invented same/different
examples; no test reads a data file and no rule looks a name up.
"""

from __future__ import annotations

import pytest

from borderlink.names import MATCH_THRESHOLD, compare, explain

# Word order: names in Lao or Khmer script keep their language's order, so two
# such names with their words swapped are two persons; a Latin name may be in
# Western order (family name last) against a name in script, at a small cost.
ORDER_SAME = [
    ("Sovann Pen", "ប៉ែន សុវណ្ណ"),  # Western order, near-exact words
    ("Chea Sok", "សុខ ជា"),
    ("Siphone Keo", "ແກ້ວ ສີພອນ"),  # a Lao name with its family name first in Latin
    ("Keo Siphone", "ສີພອນ ແກ້ວ"),
    ("Pen Sovann", "ប៉ែន សុវណ្ណ"),  # the same order, no cost
]
ORDER_DIFFERENT = [
    ("Ung Sokha", "សុខា អួង"),  # reversed, and Ung only near អួង (uong)
    ("ប៉ែន សុវណ្ណ", "សុវណ្ណ ប៉ែន"),  # both in Khmer script, swapped
    ("ແກ້ວ ສີພອນ", "ສີພອນ ແກ້ວ"),  # both in Lao script, swapped
    ("ສົມພອນ ຄຳ", "ຄຳ ສົມພອນ"),
]


@pytest.mark.parametrize(("a", "b"), ORDER_SAME)
def test_a_latin_name_in_western_order_still_matches_the_script(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD
    assert compare(b, a) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), ORDER_DIFFERENT)
def test_two_names_in_script_with_their_words_swapped_are_two_persons(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD
    assert compare(b, a) < MATCH_THRESHOLD


def test_a_reversed_latin_name_needs_near_exact_words() -> None:
    # the same words in the script's order score above the reversed ones
    straight = compare("Pen Sovann", "ប៉ែន សុវណ្ណ")
    reversed_ = compare("Sovann Pen", "ប៉ែន សុវណ្ណ")
    assert reversed_ < straight
    # Ung against អ៊ឹង (eung) is as near as against អួង (uong): only the order tells
    assert compare("Ung Sokha", "អ៊ឹង សុខា") >= MATCH_THRESHOLD > compare("Ung Sokha", "សុខា អួង")


# A name written partly in Lao or Khmer script and partly in Latin, words of
# both scripts paired, against a name in one script: near-exact words only.
MIXED_SAME = [
    ("Dara ពេជ្រ", "ដារ៉ា ពេជ្រ"),
    ("Sao ដារា", "សៅ ដារា"),
    ("ແກ້ວ Vilay", "ແກ້ວ ວິໄລ"),
]
MIXED_DIFFERENT = [
    ("Dung ពេជ្រ", "ដួង ពេជ្រ"),  # Dung is near ដួង (duong), not its spelling
    ("Dung ສົມພອນ", "ດວງ ສົມພອນ"),
]


@pytest.mark.parametrize(("a", "b"), MIXED_SAME)
def test_a_name_in_two_scripts_with_exact_words_matches(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD
    assert compare(b, a) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), MIXED_DIFFERENT)
def test_a_name_in_two_scripts_with_near_words_does_not(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD
    assert compare(b, a) < MATCH_THRESHOLD


def test_a_description_in_script_before_a_latin_name_is_not_a_second_script() -> None:
    # the description finds no partner: the name is not read as written in two scripts
    notes = explain("ກະວີໜຸ່ມ Nguyen Van Hung", "Nguyễn Văn Hùng").notes
    assert not any("two scripts" in n for n in notes)
    assert any("two scripts" in n for n in explain("Dung ពេជ្រ", "ដួង ពេជ្រ").notes)


def test_a_name_in_two_scripts_does_not_open_a_longer_one() -> None:
    # Keo Dara opens Keo Dara Vichet (a wife's name before her husband's, 0.86);
    # written half in Khmer script it is no such name, and the cost stays
    assert compare("Keo Dara Vichet", "Keo Dara") >= MATCH_THRESHOLD
    assert compare("Keo Dara Vichet", "Keo ដារា") < MATCH_THRESHOLD


# A Latin syllable is read as Vietnamese against Lao or Khmer script (Dũng as
# យុង, the Vietnamese d written y) only in a Vietnamese-style name or one typed
# with Vietnamese marks: Dong in a Khmer name is not យង់ (yong).
VN_READING_SAME = [
    ("Nguyễn Văn Dũng", "ង្វៀន វ៉ាន់ យុង"),
    ("Yong Sokha", "យង់ សុខា"),
]
VN_READING_DIFFERENT = [
    ("Dong Pov", "យង់ ពៅ"),
    ("Dong Sokha", "យង់ សុខា"),
]


@pytest.mark.parametrize(("a", "b"), VN_READING_SAME)
def test_a_vietnamese_syllable_meets_its_transcription(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), VN_READING_DIFFERENT)
def test_a_latin_syllable_of_a_non_vietnamese_name_is_not_read_as_vietnamese(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD
    assert compare(b, a) < MATCH_THRESHOLD
