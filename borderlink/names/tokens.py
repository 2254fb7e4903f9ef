"""From a name as typed to the tokens the scorer compares.

``parse("Samdech Techo Hun Sen")`` drops the titles and gives two tokens,
each with its readable romanisation, phonetic key, consonant skeleton,
Vietnamese diacritic form (if typed with diacritics) and evidence weight.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from . import khmer, lao, titles
from .keys import nasal_final_as_n, phonetic_key, skeleton, vietnamese_cross_key
from .normalise import KHMER, LAO, LATIN, clean, latin_syllables, split_tokens, vietnamese_form
from .vietnamese import gender_marker, is_monosyllable, prior_weight


class Token(NamedTuple):
    """One word of a name, ready to compare."""

    surface: str  # as written (after Unicode clean-up)
    text: str  # romanised, folded syllables joined ("vilai", "nguyen")
    key: str  # phonetic key ("vilai", "nguien")
    skel: str  # consonant skeleton of the key, stops unvoiced ("vl", "nkn")
    vn: str  # Vietnamese letters and tone ("nguyên4"), "" without diacritics
    mono: bool  # one syllable (a Vietnamese-style word)
    weight: float
    script: str


class ParsedName(NamedTuple):
    """A name without its titles, as tokens."""

    tokens: tuple[Token, ...]
    titles: tuple[str, ...]

    @property
    def vn_like(self) -> bool:
        """Looks like a Vietnamese name: 2+ one-syllable Latin words, VN evidence."""
        toks = self.tokens
        if len(toks) < 2 or not all(t.mono and t.script == LATIN for t in toks):
            return False
        return any(t.weight < 1.0 for t in toks)

    @property
    def vn_mono(self) -> bool:
        """Could be Vietnamese: two or more one-syllable words (any script)."""
        return len(self.tokens) >= 2 and all(t.mono for t in self.tokens)

    @property
    def gender(self) -> str | None:
        return gender_marker([t.text for t in self.tokens])


_ABBREV = re.compile(r"\b((?:[A-Za-z]\.){2,})")
# Voiced and unvoiced stops, and p/f (Lao ພ is written ph or p), are near letters.
_UNVOICE = str.maketrans("dbgf", "tpkp")


@lru_cache(maxsize=100_000)
def make_token(surface: str, script: str) -> Token | None:
    """Build the token for one word; None when nothing of it can be compared."""
    if script == LAO:
        sylls = list(lao.romanize_syllables(surface))
    elif script == KHMER:
        sylls = list(khmer.romanize_syllables(surface))
    else:
        sylls = latin_syllables(surface)
    text = "".join(sylls)
    vn = ""
    mono = False
    if script == LATIN:
        if not text:
            # A script we do not romanise (Cyrillic, Han ...): compare as written.
            text = "".join(
                c for c in unicodedata.normalize("NFD", surface.casefold())
                if not unicodedata.combining(c)
            )
            if not text:
                return None
            return Token(surface, text, text, text, "", False, 1.0, script)
        mono = len(sylls) == 1 and is_monosyllable(text)
        if mono:
            form = vietnamese_form(surface)
            if form is not None:
                vn = f"{form[0]}{form[1]}"
    else:
        mono = len(sylls) == 1  # one Lao or Khmer syllable: could be Vietnamese
    if not text:
        return None
    key = phonetic_key(text)
    if not key:
        return None
    return Token(
        surface, text, key, skeleton(key).translate(_UNVOICE), vn, mono,
        prior_weight(text), script,
    )


def cross_key(tok: Token) -> str:
    """For a one-syllable Vietnamese word typed with diacritics, its key as Lao
    or Khmer script would write it (:func:`~borderlink.names.keys.vietnamese_cross_key`);
    "" for any other token."""
    if tok.script == LATIN and tok.vn and tok.mono:
        return vietnamese_cross_key(tok.vn[:-1])
    return ""


def same_vietnamese_syllable_across_scripts(a: Token, b: Token) -> bool:
    """A Vietnamese syllable with diacritics and its Lao or Khmer transcription
    (Lâm / ເລິມ, Trương / ជឿង, Nguyễn / ង្វៀង)."""
    lat, nat = (a, b) if a.script == LATIN else (b, a)
    if nat.script not in (LAO, KHMER) or not nat.mono:
        return False
    xk = cross_key(lat)
    return bool(xk) and xk == nasal_final_as_n(nat.key)


@lru_cache(maxsize=100_000)
def joined(a: Token, b: Token) -> Token:
    """The token made by writing two adjacent tokens as one word."""
    text = a.text + b.text
    key = phonetic_key(text)
    return Token(
        a.surface + b.surface, text, key, skeleton(key).translate(_UNVOICE), "", False,
        (a.weight + b.weight) / 2, a.script,
    )


@lru_cache(maxsize=50_000)
def parse(name: str) -> ParsedName:
    """Parse a name: clean Unicode, split words, drop titles, romanise.

    Never raises. A name that is empty or only titles gives no tokens.
    """
    text = clean(name)
    text = _ABBREV.sub(lambda m: m.group(1).replace(".", "") + " ", text)
    raw = split_tokens(text)
    dropped: list[str] = []
    # native-script titles, glued or separate, at the start of the name
    words: list[tuple[str, str]] = []
    in_title = False
    leading = True
    for surface, script in raw:
        if leading and script in (LAO, KHMER):
            rest, in_title = titles.strip_native_prefix(surface, script, in_title)
            if rest != surface:
                dropped.append(surface[: len(surface) - len(rest)])
            if rest:
                words.append((rest, script))
                leading = False
            continue
        if script == LATIN and leading:
            words.append((surface, script))
            continue
        leading = False
        words.append((surface, script))
    # Latin-script titles at the start
    folded = ["".join(latin_syllables(s)) if sc == LATIN else "" for s, sc in words]
    start = 0
    while start < len(words):
        n = titles.latin_title_length(folded, start)
        if n == 0 or start + n >= len(words):
            break
        dropped.extend(w for w, _ in words[start:start + n])
        start += n
    if start < len(words) and titles.latin_title_length(folded, start) == len(words) - start:
        # nothing but titles left: the name is empty
        dropped.extend(w for w, _ in words[start:])
        start = len(words)
    tokens = tuple(
        t for t in (make_token(s, sc) for s, sc in words[start:]) if t is not None
    )
    return ParsedName(tokens, tuple(dropped))
