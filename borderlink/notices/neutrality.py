"""A screen for text that suggests a political, religious, ethnic or military
purpose (INTERPOL Constitution, Article 3), in the four languages of the node.

It flags for the supervisor; it never decides. A flagged notice is published
only with a written justification, which is audited.
"""

from __future__ import annotations

import re
import unicodedata

# category -> terms. Latin-script terms match whole words (diacritics folded);
# Lao and Khmer are written without spaces, so their terms match as substrings.
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


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def _is_latin(term: str) -> bool:
    return all(ord(ch) < 0x0E80 for ch in term)


_PATTERNS: list[tuple[str, str, re.Pattern[str] | None]] = []
for _category, _terms in TERMS.items():
    for _term in _terms:
        if _is_latin(_term):
            folded = _fold(_term)
            _PATTERNS.append((_category, _term, re.compile(r"(?<![\w])" + re.escape(folded) + r"(?![\w])")))
        else:
            _PATTERNS.append((_category, _term, None))


def screen(*texts: str) -> list[dict[str, str]]:
    """The terms found, with their category; empty when nothing suggests such a purpose."""
    joined = "\n".join(t for t in texts if t)
    folded = _fold(joined)
    raw = unicodedata.normalize("NFC", joined)
    found: dict[str, dict[str, str]] = {}
    for category, term, pattern in _PATTERNS:
        hit = pattern.search(folded) if pattern is not None else (term in raw)
        if hit and term not in found:
            found[term] = {"category": category, "term": term}
    return list(found.values())
