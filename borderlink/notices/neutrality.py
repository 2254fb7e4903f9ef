"""A screen for text that suggests a political, religious, ethnic or military
purpose (INTERPOL Constitution, Article 3), in the four languages of the node.

It flags for the supervisor; it never decides. A flagged notice is published
only with a written justification, which is audited.
"""

from __future__ import annotations

import re
import unicodedata

from borderlink.names.normalise import clean, fold_text, vietnamese_word_form

# category -> terms. Latin-script terms match whole words (case and diacritics
# folded, except the few in KEEP_MARKS); Lao and Khmer are written without
# spaces, so their terms match as substrings of the text with spaces removed.
TERMS: dict[str, list[str]] = {
    "political": [
        # English
        "political", "politics", "opposition party", "dissident", "protest", "demonstration", "activist",
        "regime", "anti-government", "election campaign", "party member", "propaganda", "reactionary",
        # Vietnamese
        "chính trị", "phản động", "biểu tình", "bất đồng chính kiến", "đảng đối lập", "chống chính quyền",
        "tuyên truyền", "hoạt động chính trị", "nhà hoạt động",
        # Lao
        "ການເມືອງ", "ປະທ້ວງ", "ຝ່າຍຄ້ານ", "ປະຕິກິລິຍາ", "ຕໍ່ຕ້ານລັດຖະບານ",
        # Khmer
        "នយោបាយ", "បាតុកម្ម", "គណបក្សប្រឆាំង", "សកម្មជន", "ប្រឆាំងរដ្ឋាភិបាល",
    ],
    "religious": [
        "religion", "religious", "church", "pagoda", "monk", "mosque", "sect", "believer", "faith",
        "tôn giáo", "nhà thờ", "chùa", "nhà sư", "tín đồ", "đạo",
        "ສາສະໜາ", "ວັດ", "ພະສົງ", "ໂບດ",
        "សាសនា", "វត្ត", "ព្រះសង្ឃ", "ព្រះវិហារ",
    ],
    "ethnic": [
        "ethnic", "ethnicity", "tribe", "minority", "race", "racial",
        "dân tộc thiểu số", "sắc tộc", "chủng tộc", "người dân tộc",
        "ຊົນເຜົ່າ", "ຊົນຊາດສ່ວນໜ້ອຍ", "ເຊື້ອຊາດ",
        "ជនជាតិភាគតិច", "ពូជសាសន៍", "ជាតិសាសន៍",
    ],
    "military": [
        "military", "army", "soldier", "deserter", "desertion", "conscription", "military service",
        "quân sự", "quân đội", "đào ngũ", "nghĩa vụ quân sự", "binh sĩ",
        "ການທະຫານ", "ກອງທັບ", "ທະຫານ", "ໜີທະຫານ",
        "យោធា", "កងទ័ព", "ទាហាន", "រត់ចោលជួរ",
    ],
}


# Vietnamese terms whose letters without diacritics are other common words
# (đạo/Đào/dao, chùa/chưa, nhà thờ/nhà thơ, tín đồ/tin đó): these match with
# their marks, whatever the case, tone placement or Unicode form.
KEEP_MARKS = frozenset({"đạo", "chùa", "nhà thờ", "tín đồ"})

# Compounds that contain a term as a whole word (Vietnamese) or as letters
# inside a longer word (Lao and Khmer) without its meaning: "đạo" is religion,
# "lãnh đạo" leadership and "đạo luật" a law; Lao "ວັດ" is a temple, "ປະຫວັດ"
# history; Khmer "វត្ត" is a temple, "អនុវត្ត" to implement. The text is read
# without these compounds before the term is looked for, so "Ban lãnh đạo công
# an tỉnh" is not flagged while "lãnh đạo ... theo đạo" still is. Each is
# matched as the term is (with its marks, whole words; or Lao and Khmer letters
# without spaces). Sources: the words' ordinary dictionary senses (Vietnamese
# Sino-Vietnamese compounds of 道 "way"; Lao ວັດທະນະທຳ, ວັດຖຸ, ວັດແທກ, ວັດສະດຸ;
# Khmer វត្តមាន). Khmer "ប្រវត្តិ" (history) needs no entry: there the letters
# of "វត្ត" go on with a vowel sign, so they are not the word (`_native_hit`).
NOT_THE_TERM: dict[str, tuple[str, ...]] = {
    "đạo": ("lãnh đạo", "chỉ đạo", "đạo đức", "đạo luật", "đạo diễn", "nhân đạo", "xích đạo",
            "quỹ đạo", "hướng đạo", "đạo văn", "đạo hàm", "đạo lý", "đạo tặc", "cường đạo", "tiền đạo", "đạo cụ"),
    "ວັດ": ("ວັດທະນະທຳ", "ປະຫວັດ", "ວັດຖຸ", "ວັດແທກ", "ວັດສະດຸ"),
    "វត្ត": ("អនុវត្ត", "វត្តមាន"),
}

_WORD = re.compile(r"[^\W\d_]+")
_NATIVE = re.compile(r"[\u0e80-\u0eff\u1780-\u17ff\u19e0-\u19ff]")
# Spaces, hyphens and line breaks a clerk may put between the words of a term.
_GAP = r"[\s\-_/.]*"


def _is_native(term: str) -> bool:
    return bool(_NATIVE.search(term))


def _latin_pattern(words: list[str], english: bool) -> re.Pattern[str]:
    body = _GAP.join(re.escape(w) for w in words)
    plural = "(?:s|es)?" if english else ""
    return re.compile(r"(?<!\w)" + body + plural + r"(?!\w)")


def _native_key(text: str) -> str:
    """Lao and Khmer text folded, without the spaces and punctuation that writers
    put (or do not put) between words: those scripts write words together."""
    return re.sub(r"[\s\-_/.]+", "", fold_text(text))


def _marked(text: str) -> str:
    """Latin words in one canonical Vietnamese form (marks kept, tone last)."""
    return _WORD.sub(lambda m: vietnamese_word_form(m.group(0)), clean(text).casefold())


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", text) if w]


_COENG = "\u17d2"  # the Khmer sign that puts the next consonant under the one before


def _native_hit(key: str, native: str) -> bool:
    """Whether a Lao or Khmer term (`key`, folded without spaces) is in `native` as a syllable of its own: not
    followed by a vowel sign, tone mark or subscript sign (its last consonant would then begin another
    syllable: Khmer "វត្ត" inside "ប្រវត្តិ"), and not begun by a subscript consonant."""
    start = native.find(key)
    while start >= 0:
        end = start + len(key)
        after = native[end:end + 1]
        if not (after and (unicodedata.category(after).startswith("M") or after == _COENG)) and \
                not (start and native[start - 1] == _COENG):
            return True
        start = native.find(key, start + 1)
    return False


_PATTERNS: list[tuple[str, str, str, re.Pattern[str] | None]] = []
for _category, _terms in TERMS.items():
    for _term in _terms:
        if _is_native(_term):
            _PATTERNS.append((_category, _term, "native", None))
        elif _term in KEEP_MARKS:
            _PATTERNS.append((_category, _term, "marked", _latin_pattern(_words(_marked(_term)), False)))
        else:
            _PATTERNS.append(
                (_category, _term, "folded", _latin_pattern(_words(fold_text(_term)), _term.isascii()))
            )
_NATIVE_KEYS = {term: _native_key(term) for _, term, kind, _ in _PATTERNS if kind == "native"}


def _compound_pattern(term: str, kind: str) -> re.Pattern[str] | None:
    """One pattern for the compounds of `term` (NOT_THE_TERM), in the form the term is matched in; longest first,
    so that a compound inside a longer one is taken whole."""
    compounds = sorted(NOT_THE_TERM.get(term, ()), key=len, reverse=True)
    if not compounds:
        return None
    if kind == "native":
        return re.compile("|".join(re.escape(_native_key(c)) for c in compounds))
    form = _marked if kind == "marked" else fold_text
    bodies = [_GAP.join(re.escape(w) for w in _words(form(c))) for c in compounds]
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)")


_COMPOUNDS = {term: pattern for _, term, kind, _ in _PATTERNS if (pattern := _compound_pattern(term, kind)) is not None}


def screen(*texts: str) -> list[dict[str, str]]:
    """The terms found, with their category; empty when nothing suggests such a purpose.

    ``texts`` are read through the name engine's normalisation
    (:func:`borderlink.names.normalise.fold_text`: NFKC, invisible characters,
    Khmer storage order, Lao and Khmer spelling variants, case, and Latin
    diacritics), so a term is found however a clerk typed it: capitalised,
    without accents, in NFD, with zero-width or ordinary spaces between Lao or
    Khmer words. Returns ``[{"category": ..., "term": ...}]``, each term once,
    in the order of :data:`TERMS`. A term is found as a word of its own: Latin
    terms on word boundaries, Lao and Khmer terms as whole syllables (see
    :func:`_native_hit`), and never inside a compound of :data:`NOT_THE_TERM`.
    """
    joined = "\n".join(t for t in texts if isinstance(t, str) and t)
    folded = fold_text(joined)
    marked = _marked(joined)
    native = _native_key(joined)
    found: dict[str, dict[str, str]] = {}
    for category, term, kind, pattern in _PATTERNS:
        text = native if pattern is None else marked if kind == "marked" else folded
        if term in _COMPOUNDS:  # read without the compounds that contain the term but not its meaning
            text = _COMPOUNDS[term].sub("\n", text)
        if pattern is None:  # a Lao or Khmer term
            hit = _native_hit(_NATIVE_KEYS[term], text)
        else:
            hit = bool(pattern.search(text))
        if hit and term not in found:
            found[term] = {"category": category, "term": term}
    return list(found.values())
