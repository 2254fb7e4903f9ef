"""Unicode clean-up, script detection, tokenisation and Latin folding.

Everything here is total: any ``str`` goes in, nothing raises.
"""

from __future__ import annotations

import re
import unicodedata

LAO, KHMER, LATIN = "lao", "khmer", "latin"

# Zero-width and invisible formatting characters that must not split or join tokens.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\u17b4\u17b5"), None
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


def clean(text: str) -> str:
    """Normalise ``text`` to one canonical Unicode form.

    NFKC (compatibility forms, full-width letters), invisible characters removed,
    Lao ``ໍ + າ`` unified with ``ຳ``, Khmer subscript ``ដ`` unified with
    subscript ``ត`` (the two are written interchangeably), whitespace collapsed.
    """
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
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
