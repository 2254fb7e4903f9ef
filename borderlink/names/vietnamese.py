"""Vietnamese name structure: common family names, gender markers, syllables.

Vietnamese names are written with one syllable per word, family name first
(``Nguyễn Văn An``) or, in Western documents, last (``An Nguyen Van``). The
middle name ``Văn`` marks a man and ``Thị`` a woman, so Văn against Thị is
strong evidence of two different people. Every syllable is its own word, so a
difference in one (``An``/``Anh``) is a different name, unlike in the long
romanised Lao words where a letter more or less is a spelling variant.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The most frequent Vietnamese family names (together well over 90% of people).
_FAMILY_NAMES_TEXT = """
    nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong
    luong to dinh dao mai lam trinh cao ha doan lu lieu chu kieu tang quach thai
    luu vuong ton la khuc mac tieu thach giang trieu nong chau quan tong van
"""
FAMILY_NAMES = frozenset(_FAMILY_NAMES_TEXT.split())
MALE_MARKER = "van"
FEMALE_MARKER = "thi"
# Very common words of Vietnamese names carry less evidence than rare ones.
COMMON_WEIGHT = 0.6
MARKER_WEIGHT = 0.4

_MONOSYLLABLE = re.compile(r"[^aeiouy]*[aeiouy]+[^aeiouy]*")


def is_monosyllable(folded: str) -> bool:
    """True for a folded Latin word of one syllable (one run of vowels)."""
    return bool(_MONOSYLLABLE.fullmatch(folded))


# The consonants a Vietnamese syllable may open and close with, as typed without
# marks (đ folded to d). Any single letter may open it: Vietnamese names typed
# abroad write f, z, w, j for ph, d, v, gi (Fam Van Dong, Dzung); only the
# consonant clusters Vietnamese does not write (chh, kr, bl ...) and the finals
# it does not have (-nn, -th, -k, -l, -s ...) mark another language's word.
_SYLLABLE = re.compile(
    r"(?:ch|dz|gh|gi|kh|ngh|ng|nh|ph|qu|th|tr|[bcdfghjklmnpqrstvwxz])?"
    r"[aeiouy]+(?:c|ch|m|n|ng|nh|p|t)?"
)


@lru_cache(maxsize=50_000)
def is_vietnamese_syllable(folded: str) -> bool:
    """True for a folded Latin word Vietnamese spelling allows: one of its
    initial consonants, a vowel run, and one of its finals (c ch m n ng nh p t).
    ``Vann``, ``Nath``, ``Pauk``, ``Chhang`` are not (a doubled or foreign final,
    an aspirate Vietnamese does not write): a name holding such a word is a
    romanised Khmer or Lao name, not a Vietnamese one typed without marks."""
    return bool(_SYLLABLE.fullmatch(folded))


def prior_weight(folded: str) -> float:
    """Evidence weight of a word before any index statistics (1.0 for most words)."""
    if folded in (MALE_MARKER, FEMALE_MARKER):
        return MARKER_WEIGHT
    if folded in FAMILY_NAMES:
        return COMMON_WEIGHT
    return 1.0


def gender_marker(folded_words: list[str]) -> str | None:
    """"m" for a name of three or more words with Văn, "f" with Thị, else None."""
    inner = folded_words if len(folded_words) > 2 else []
    has_m = MALE_MARKER in inner
    has_f = FEMALE_MARKER in inner
    if has_m == has_f:
        return None
    return "m" if has_m else "f"
