"""The neutrality screen finds each term however a clerk could type it (issue 13).

It reads text through the name engine's normalisation, so these tests write
every term in the forms a keyboard, a copy from a PDF or a web page gives.
"""

from __future__ import annotations

import unicodedata

import pytest

from borderlink.names.normalise import fold_text
from borderlink.notices.neutrality import KEEP_MARKS, TERMS, screen

_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
_LOOK_ALIKE = str.maketrans("aeopcx", "аеорсх")

ALL_TERMS = [(category, term) for category, terms in TERMS.items() for term in terms]


def _is_native(term: str) -> bool:
    return any("\u0e80" <= c <= "\u0eff" or "\u1780" <= c <= "\u17ff" for c in term)


def _found(text: str, term: str) -> bool:
    return term in {f["term"] for f in screen(text)}


def _latin_forms(term: str) -> list[str]:
    forms = [
        term, term.upper(), term.title(), term.capitalize(),
        unicodedata.normalize("NFD", term), unicodedata.normalize("NFD", term.upper()),
        f"Đối tượng: {term}.", f"({term.upper()})",
        term.replace(" ", "  "), term.replace(" ", "\u200b "), term.replace(" ", "\n"),
        "\u200b" + term + "\ufeff", term[:1] + "\u00ad" + term[1:],  # invisible characters
        term.replace("-", " "), term.replace("-", ""), term.replace("-", "\u2011"),
        term.replace("-", "\u2013"), unicodedata.normalize("NFKC", term).translate(_FULL_WIDTH),
        term.translate(_LOOK_ALIKE),  # Cyrillic а е о р с х for the Latin letters
    ]
    if term not in KEEP_MARKS:
        bare = fold_text(term)
        forms += [bare, bare.upper(), bare.title()]
    return forms


def _split_syllables(term: str, sep: str) -> str:
    """The term with ``sep`` after every other character that may end a
    syllable: what a writer who puts zero-width spaces between syllables gives."""
    out = []
    for k, ch in enumerate(term):
        out.append(ch)
        nxt = term[k + 1:k + 2]
        if nxt and unicodedata.category(nxt) == "Lo" and unicodedata.category(ch) != "Mn" and k % 2:
            out.append(sep)
    return "".join(out)


def _native_forms(term: str) -> list[str]:
    forms = [
        term, unicodedata.normalize("NFD", term), f"ជនសង្ស័យ {term} ។", f"ບຸກຄົນ{term}ນີ້",
        _split_syllables(term, "\u200b"), _split_syllables(term, " "),
        _split_syllables(term, "\u200c"), _split_syllables(term, "\u2060"),
        term.replace("\u0edc", "\u0eab\u0e99").replace("\u0edd", "\u0eab\u0ea1"),  # ໜ as ຫນ
        term.replace("\u0ea5", "\u0ea3"),  # Lao ລ in the older spelling ຣ
    ]
    # Khmer: a vowel typed before the subscript it follows (ខែ្មរ for ខ្មែរ)
    chars = list(term)
    for k in range(1, len(chars) - 2):
        if chars[k] == "\u17d2" and "\u1780" <= chars[k - 1] <= "\u17a2":
            continue
        if "\u17b6" <= chars[k] <= "\u17c5" and chars[k + 1] == "\u17d2":
            swapped = chars[:k] + chars[k + 1:k + 3] + [chars[k]] + chars[k + 3:]
            forms.append("".join(swapped))
    if "\u17d2\u178f" in term:
        forms.append(term.replace("\u17d2\u178f", "\u17d2\u178a"))  # subscript ដ for ត
    return forms


@pytest.mark.parametrize(("category", "term"), ALL_TERMS)
def test_each_term_is_found_in_every_form_a_clerk_could_type(category: str, term: str) -> None:
    forms = _native_forms(term) if _is_native(term) else _latin_forms(term)
    missed = [f for f in forms if not _found(f, term)]
    assert missed == []
    assert {"category": category, "term": term} in screen(forms[0])


@pytest.mark.parametrize(
    "text",
    ["Chính trị", "chinh tri", "CHÍNH TRỊ", "Hoạt động chính trị", "phan dong", "Biểu Tình",
     "quan doi", "Nghia vu quan su", "Sắc Tộc", "DAN TOC THIEU SO"],
)
def test_vietnamese_terms_are_found_capitalised_and_without_accents(text: str) -> None:
    assert screen(text)


@pytest.mark.parametrize(
    "text",
    ["ການ\u200bເມືອງ", "ສາ\u200bສະ\u200bໜາ", "ສາສະຫນາ", "ន\u200bយោ\u200bបាយ", "ព្រះ\u200bសង្ឃ",
     "ជនជាតិ\u200bភាគតិច", "ទា ហាន"],
)
def test_lao_and_khmer_terms_are_found_with_zero_width_or_plain_spaces(text: str) -> None:
    assert screen(text)


@pytest.mark.parametrize(
    "text",
    ["Đào Văn An vận chuyển ma túy", "chưa khai báo", "nhà thơ Xuân Diệu", "tin đó là giả",
     "Nguyễn Chính, cán bộ tư pháp", "ລັກລອບຂົນຢາເສບຕິດ", "Online scam compound in Bavet.",
     "The dealer fled to Dao Tien island"],
)
def test_words_that_only_look_like_a_term_without_their_marks_are_not_flagged(text: str) -> None:
    assert screen(text) == []


@pytest.mark.parametrize(
    "text",
    ["Ban lãnh đạo Công an tỉnh Quảng Trị chỉ đạo triển khai kế hoạch.", "LÃNH ĐẠO CÔNG AN TỈNH",
     unicodedata.normalize("NFD", "Lãnh đạo đơn vị"), "lãnh\u200b đạo", "Lãnh-đạo", "theo Đạo luật phòng, chống mua bán người",
     "trả về vì lý do nhân đạo", "vi phạm đạo đức nghề nghiệp", "đạo diễn phim bị lừa đảo", "cường đạo cướp xe",
     "ປະຫວັດອາຊະຍາກຳ", "ວັດຖຸລະເບີດ", "ວັດທະນະທຳລາວ", "ວັດແທກນ້ຳໜັກ",
     "អនុវត្តច្បាប់", "ប្រវត្តិឧក្រិដ្ឋកម្ម", "វត្តមានរបស់ជនសង្ស័យ", "អនុ\u200bវត្ត ច្បាប់"],
)
def test_compounds_that_only_contain_a_term_are_not_flagged(text: str) -> None:
    """Leadership, a law, ethics; Lao history, explosives, culture, measuring; Khmer law enforcement, a criminal
    record, presence: the letters of "đạo", "ວັດ" or "វត្ត" inside words of another meaning."""
    assert screen(text) == []


@pytest.mark.parametrize(("text", "term"), [
    ("Lãnh đạo nhóm ép người lao động theo đạo.", "đạo"),
    ("Ban lãnh đạo đạo Cao Đài địa phương", "đạo"),
    ("Bị truy nã vì truyền đạo trái phép, không phải vì đạo đức.", "đạo"),
    ("ລາວຫຼົບໜີໄປຢູ່ວັດ", "ວັດ"),
    ("ປະຫວັດ ແລະ ວັດ", "ວັດ"),
    ("លាក់ខ្លួននៅវត្ត", "វត្ត"),
    ("អនុវត្តច្បាប់នៅវត្ត", "វត្ត"),
    ("ប្រវត្តិរបស់ព្រះសង្ឃ", "ព្រះសង្ឃ"),
])
def test_the_term_beside_such_a_compound_is_still_found(text: str, term: str) -> None:
    assert {"category": "religious", "term": term} in screen(text)


def test_screen_takes_any_text_and_many_parts() -> None:
    assert screen() == []
    assert screen("", "Deserter from the army.")[0]["category"] == "military"
    assert screen("ស" * 50_000) == []
