"""Unicode clean-up, script detection, tokenisation and Latin folding.

Everything here is total: any ``str`` goes in, nothing raises.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables as _confusables

LAO, KHMER, LATIN = "lao", "khmer", "latin"

# Zero-width and invisible formatting characters that must not split or join tokens.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\u17b4\u17b5"
             "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None
)

# Letters whose NFD has no combining mark but which still fold to ASCII.
_FOLD_SPECIAL = str.maketrans(
    {
        "đ": "d", "Đ": "d", "ð": "d", "ø": "o", "ł": "l", "ß": "ss", "ı": "i",
        "œ": "oe", "æ": "ae", "þ": "th", "ɔ": "o", "ɛ": "e", "ŋ": "ng",
        # IAST/ISO 15919 (Sanskrit-style transliterations of Khmer and Lao): ṅ is ng
        "ṅ": "ng", "Ṅ": "ng",
    }
)

# Vietnamese tone marks (as combining characters) versus vowel-quality marks.
TONE_MARKS = {"\u0300": 2, "\u0301": 3, "\u0303": 4, "\u0309": 5, "\u0323": 6}
QUALITY_MARKS = {"\u0302", "\u0306", "\u031b"}

_TOKEN_SPLIT = re.compile(r"[^\w\u0e80-\u0eff\u1780-\u17ff\u19e0-\u19ff'’′ʼ\-]+")


def script_of(ch: str) -> str | None:
    """Return the script of one character: LAO, KHMER, LATIN, or None for others."""
    cp = ord(ch)
    if 0x0E80 <= cp <= 0x0EFF:
        return LAO
    if 0x1780 <= cp <= 0x17FF or 0x19E0 <= cp <= 0x19FF:
        return KHMER
    if ch.isalpha():
        return LATIN
    return None


# Letters written for Vietnamese Đ/đ: Icelandic eth (Ð U+00D0 is drawn like Đ
# and typed for it on keyboards without Vietnamese) and African D (Ɖ/ɖ).
_D_STROKE = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})

# Marks typed for the apostrophe inside a name (issue 13, ninth round: an Ede
# name written ``H'Hen``, ``H’Hen`` and ``H`Hen`` by three outlets): the
# backtick, the spacing acute (which NFKC would turn into a space and a
# combining accent), the left single quote and the Hawaiian-style ʻokina.
_APOSTROPHES = str.maketrans({"`": "'", "\u00b4": "'", "\u2018": "'", "\u02bb": "'"})

# Longest input any function here reads, in characters after NFKC. Names and
# screened texts are far shorter; the bound keeps every step linear in the input
# and its cost capped whatever a caller passes.
MAX_TEXT = 20_000


def clean(text: str) -> str:
    """Normalise ``text`` to one canonical Unicode form.

    In order: NFKC (compatibility forms, full-width letters) and invisible
    characters removed (a zero-width character may sit inside a Khmer cluster),
    after the marks typed for an apostrophe (backtick, acute, ‘, ʻ) became ``'``;
    then, before any reading of the letters, Khmer put in the SIL Khmer character
    specification's storage order (:func:`khmer_reorder`: ``ខែ្មរ`` is
    ``ខ្មែរ``); Ð and Ɖ read as Vietnamese Đ; look-alike letters of another script inside a
    Latin word folded to Latin (:func:`fold_confusables`, Unicode TR39); Lao
    ``ໍ + າ`` unified with ``ຳ`` and ໜ/ໝ with ຫນ/ຫມ; Khmer subscript ``ដ``
    unified with subscript ``ត`` (the two are written interchangeably);
    whitespace collapsed. Input beyond :data:`MAX_TEXT` characters is ignored.
    """
    if not isinstance(text, str):
        return ""
    text = text[:MAX_TEXT].translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = khmer_reorder(text).translate(_D_STROKE)
    text = fold_confusables(text)
    # NFKC decomposes ຳ into ໍ + າ; keep one spelling (writers use both).
    text = text.replace("\u0ecd\u0eb2", "\u0eb3")
    # Lao ໜ/ໝ and ຫນ/ຫມ are the same letters; keep the two-letter spelling.
    text = text.replace("\u0edc", "\u0eab\u0e99").replace("\u0edd", "\u0eab\u0ea1")
    text = text.replace("\u17d2\u178a", "\u17d2\u178f")
    return " ".join(text.split())


def split_tokens(text: str) -> list[tuple[str, str]]:
    """Split cleaned text into ``(token, script)`` pairs.

    Tokens break at whitespace and punctuation, and where the script changes, so
    ``"Mr.Nguyen"`` and ``"លោកHun"`` both give two tokens. Hyphens and
    apostrophes stay inside Latin tokens (``Vi-lay`` is one token of two syllables).
    """
    out: list[tuple[str, str]] = []
    for chunk in _TOKEN_SPLIT.split(text):
        current: list[str] = []
        cur_script: str | None = None
        for ch in chunk:
            sc = script_of(ch)
            if sc is None:
                if ch in "-'’′ʼ" and cur_script == LATIN:
                    current.append(ch)
                    continue
                if unicodedata.category(ch).startswith("M") and current:
                    current.append(ch)  # stray combining mark: keep with its base
                    continue
                _flush(current, cur_script, out)
                current, cur_script = [], None
                continue
            if cur_script is not None and sc != cur_script:
                _flush(current, cur_script, out)
                current = []
            cur_script = sc
            current.append(ch)
        _flush(current, cur_script, out)
    return out


def _flush(chars: list[str], script: str | None, out: list[tuple[str, str]]) -> None:
    if not chars or script is None:
        return
    token = "".join(chars).strip("-'’′ʼ")
    if token:
        out.append((token, script))


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters only: diacritics removed, ``đ`` to ``d``, ``œ`` to ``oe``."""
    text = text.translate(_FOLD_SPECIAL)
    decomposed = unicodedata.normalize("NFD", text.lower())
    kept = [c for c in decomposed if "a" <= c <= "z"]
    return "".join(kept)


def latin_syllables(token: str) -> list[str]:
    """Folded syllables of a Latin token, split at hyphens and apostrophes."""
    parts = re.split(r"[-'’′ʼ]+", token)
    return [f for f in (fold_latin(p) for p in parts) if f]


def vietnamese_form(syllable: str) -> tuple[str, int] | None:
    """Split a Vietnamese syllable into (letters with quality marks, tone number).

    Returns None when the syllable carries no Vietnamese diacritic at all, so that
    callers can tell "typed without diacritics" from "typed with level tone".
    Tone placement (``Hòa``/``Hoà``) does not matter: the tone is taken off the
    vowel it sits on and reported separately.
    """
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tone = 1
    letters: list[str] = []
    marked = False
    for c in decomposed:
        if c in TONE_MARKS:
            tone = TONE_MARKS[c]
            marked = True
        elif c in QUALITY_MARKS:
            letters.append(c)
            marked = True
        elif unicodedata.combining(c):
            marked = True
        else:
            if c == "đ":
                marked = True
            letters.append(c)
    if not marked:
        return None
    return unicodedata.normalize("NFC", "".join(letters)), tone


# ---- Khmer storage order ---------------------------------------------------------
# SIL's Khmer character specification (and Unicode's "Khmer syllable" order):
# base, robat, subscripts (coeng + consonant; coeng RO last), register shifter,
# vowel, then the other signs. Keyboards let people type the vowel before the
# subscript (ខែ្មរ), the shifter after the vowel (ប៉ា typed ប ា ៉) or the
# split vowels in two (េ + ា for ោ); all display alike, so all are one word.
_KH_COENG = "\u17d2"
_KH_RO = "\u179a"
_KH_ROBAT = "\u17cc"
_KH_SHIFTERS = "\u17c9\u17ca"
_KH_VOWELS = "".join(chr(c) for c in range(0x17B6, 0x17C6))
_KH_SIGNS = "\u17c6\u17c7\u17c8\u17cb\u17cd\u17ce\u17cf\u17d0\u17d1\u17dd"
_KH_BASES = frozenset(chr(c) for c in range(0x1780, 0x17B4))
_KH_SPLIT_VOWELS = (("\u17c1\u17b8", "\u17be"), ("\u17c1\u17b6", "\u17c4"))
_KH_U, _KH_TRIISAP = "\u17bb", "\u17ca"


def khmer_reorder(text: str) -> str:
    """Khmer text in the canonical storage order of the SIL Khmer character
    specification: in each cluster the base, robat, subscripts (coeng RO
    after the others), register shifter, vowel, then signs; split vowels
    ``េ + ា``, ``េ + ី`` written as ``ោ``, ``ើ``; ``ុ`` typed beside another
    vowel sign of the same consonant read as the look-alike ``៊`` it stands
    for (a consonant carries one vowel sign). Other text is unchanged.

    Linear in the length of ``text``; never raises.
    """
    if not any("\u1780" <= c <= "\u17ff" for c in text):
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch not in _KH_BASES:
            out.append(ch)
            i += 1
            continue
        j = i + 1
        subs: list[str] = []
        ro: list[str] = []
        robat = shift = vowels = signs = ""
        while j < n:
            c = text[j]
            if c == _KH_COENG and j + 1 < n and text[j + 1] in _KH_BASES:
                (ro if text[j + 1] == _KH_RO else subs).append(c + text[j + 1])
                j += 2
            elif c == _KH_ROBAT:
                robat += c
                j += 1
            elif c in _KH_SHIFTERS:
                shift += c
                j += 1
            elif c in _KH_VOWELS:
                vowels += c
                j += 1
            elif c in _KH_SIGNS:
                signs += c
                j += 1
            else:
                break
        for split, whole in _KH_SPLIT_VOWELS:
            vowels = vowels.replace(split, whole)
        if len(vowels) > 1 and _KH_U in vowels and not shift:
            # ុ with another vowel sign on one consonant is the look-alike
            # triisap ៊ typed for it (អុឹម, អឹុម for អ៊ឹម; tenth round)
            vowels, shift = vowels.replace(_KH_U, "", 1), _KH_TRIISAP
        out.append(ch + robat + "".join(subs) + "".join(ro) + shift + vowels + signs)
        i = j
    return "".join(out)


# ---- look-alike letters (Unicode TR39 confusables) ---------------------------------


@lru_cache(maxsize=4096)
def _latin_prototype(ch: str) -> str:
    """The Latin letter that ``ch`` (a letter of another script) is drawn like,
    from the Unicode confusables data (TR39) as shipped by
    ``confusable-homoglyphs``; ``ch`` itself when it has none."""
    for glyph in _confusables.confusables_data.get(ch, ()):
        proto = glyph["c"]
        if len(proto) == 1 and proto.isascii() and proto.isalpha():
            return proto
    return ch


def _is_ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def fold_confusables(text: str) -> str:
    """Letters of other scripts drawn like Latin ones, replaced by the Latin
    letter they look like (TR39 skeleton prototypes), in a word that also holds
    ASCII letters (``Nguyеn`` with Cyrillic ``е`` is ``Nguyen``) or whose every
    such letter is a look-alike (Cyrillic ``АNН`` is ``ANH``). A word with a
    letter that looks like no Latin one (Cyrillic ``Сон``: н) is that script's
    word and is left alone. Letters of the IPA and phonetic blocks drawn like
    ordinary ones (small capitals, script g) are folded first (:func:`_fold_phonetic`).
    """
    if text.isascii():
        return text
    words = text.split(" ")
    for k, word in enumerate(words):
        if word.isascii():
            continue
        word = words[k] = _fold_phonetic(word)
        foreign = [
            c for c in word
            if c.isalpha() and not c.isascii() and script_of(c) == LATIN and not _latin_letter(c)
        ]
        if not foreign:
            continue
        mixed = any(_is_ascii_letter(c) for c in word)
        if not mixed and not all(_latin_prototype(c) != c for c in foreign):
            continue  # a word of that script (Сон): not a look-alike
        words[k] = "".join(_latin_prototype(c) if c in foreign else c for c in word)
    return " ".join(words)


def _phonetic_letter(ch: str) -> str:
    """The ASCII letter a letter of the IPA or phonetic extensions blocks is
    drawn like (small capitals ``ɴ ᴜ``, script ``ɡ``, ``ɑ``), from its Unicode
    name or the TR39 prototype; ``ch`` itself for any other character."""
    if not ("\u0250" <= ch <= "\u02af" or "\u1d00" <= ch <= "\u1dbf"):
        return ch
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name.split()) == 5 and len(name) == 28:
        return name[-1].lower()
    proto = _latin_prototype(ch)
    return proto.lower() if proto.isascii() else ch


def _fold_phonetic(word: str) -> str:
    """Phonetic letters typed for ordinary ones in a word that also holds ASCII
    letters (``Hồɴɡ`` is Hồng, ``Qᴜɑng`` Quang: decorated names copied from
    social media) or whose every such letter has a look-alike (``ʙɪɴʜ``),
    replaced by the letters they look like."""
    if not any("\u0250" <= c <= "\u02af" or "\u1d00" <= c <= "\u1dbf" for c in word):
        return word
    folded = "".join(_phonetic_letter(c) for c in word)
    if folded == word:
        return word
    if any(_is_ascii_letter(c) for c in word) or all(
        _is_ascii_letter(c) or (_latin_letter(c) and not ("\u0250" <= c <= "\u02af" or "\u1d00" <= c <= "\u1dbf"))
        for c in folded if c.isalpha()
    ):
        return folded
    return word


def _latin_letter(ch: str) -> bool:
    """True for letters of the Latin script (with or without diacritics)."""
    return unicodedata.name(ch, "").startswith("LATIN")


def has_confusables(text: str) -> bool:
    """True when :func:`fold_confusables` would change ``text`` (for ``explain``)."""
    raw = unicodedata.normalize("NFKC", text[:MAX_TEXT]) if isinstance(text, str) else ""
    return fold_confusables(raw) != raw


# ---- the project's one reading of free text -------------------------------------

_LAO_SPELLING = str.maketrans({"\u0ea3": "\u0ea5"})  # ຣ written for ລ (older spelling)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe63", "-"))
_LATIN_WORD = re.compile(r"[^\W\d_]+")


def fold_text(text: str) -> str:
    """Free text read the way the name engine reads names, for screening and search.

    :func:`clean` (SIL Khmer order, NFKC, invisible characters, Đ look-alikes,
    TR39 look-alikes, Lao and Khmer spelling variants), then case folded and,
    in Latin letters, diacritics removed (``Chính trị`` is ``chinh tri``, ``Đ``
    is ``d``); Lao ``ຣ`` read as ``ລ``; every dash as ``-``. Lao and Khmer vowel signs are letters,
    not diacritics, and are kept. Linear in the input; never raises.
    """
    text = clean(text).casefold().translate(_LAO_SPELLING).translate(_DASHES)
    return _LATIN_WORD.sub(lambda m: fold_latin_keep_case(m.group(0)), text)


def fold_latin_keep_case(word: str) -> str:
    """Diacritics off the Latin letters of ``word`` (đ to d); other letters kept."""
    if word.isascii():
        return word
    out: list[str] = []
    for c in unicodedata.normalize("NFD", word.translate(_FOLD_SPECIAL)):
        if unicodedata.combining(c) and out and out[-1].isascii():
            continue
        out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


def vietnamese_word_form(word: str) -> str:
    """A Latin word with its Vietnamese marks in one canonical form, case folded:
    letters with their quality marks, then the tone number (``hoà`` and ``hòa``
    are both ``hoa2``); the word folded when it carries no Vietnamese mark."""
    form = vietnamese_form(word)
    if form is None:
        return fold_latin_keep_case(word.casefold())
    return f"{form[0]}{form[1]}"
