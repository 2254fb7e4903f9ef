"""The one clean-up of text a person typed, before it is stored: Unicode NFC,
invisible characters removed, runs of white space made one space.

Names are stored this way so that two people typing the same name store the same
characters (a zero-width space or joiner pasted from a chat message is invisible
on screen but splits or changes the name for search and for the eye of the next
reader). Matching goes further (borderlink.names.normalise.clean folds spellings);
this function changes nothing a reader could see.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width space, non-joiner and joiner, word joiner, byte-order mark, soft hyphen, Mongolian vowel
# separator, combining grapheme joiner, Khmer inherent vowels (deprecated, invisible), bidi marks.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f\u17b4\u17b5\u200e\u200f"), None)
# Bidirectional controls: marks (LRM, RLM, ALM), embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069).
# "Invoice \u202egpj.exe" shows as "Invoice exe.jpg": what a reader sees is not what is stored. None of the
# project's languages is written right to left, so no text needs them: requests carrying one are refused
# (core.middleware), and this cleaning removes any that come another way (a peer's envelope, an import).
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
INVISIBLE.update(dict.fromkeys(map(ord, "\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None))
_SPACES = re.compile(r"\s+")


def clean_text(text: str | None) -> str:
    """`text` in NFC with invisible and control characters removed and white space collapsed to single
    spaces, trimmed. Total: None gives ""."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).translate(INVISIBLE)
    text = "".join(ch if ch in "\t\n\r" or unicodedata.category(ch) != "Cc" else " " for ch in text)
    return _SPACES.sub(" ", text).strip()


# Characters that join the next letter to the previous one in a cluster: Khmer COENG (subscript
# consonant follows), Lao/Khmer virama-like signs, ZERO WIDTH JOINER.
_JOINS_NEXT = {"\u17d2", "\u0e3a", "\u200d"}


def _cluster_break(text: str, at: int) -> bool:
    """Whether a cut before text[at] falls between two grapheme clusters (an approximation of UAX #29
    good enough for Latin, Vietnamese, Lao and Khmer: no cut before a combining mark, nor after a
    joiner such as the Khmer COENG)."""
    if at <= 0 or at >= len(text):
        return True
    if unicodedata.category(text[at]).startswith("M") or text[at] in _JOINS_NEXT:
        return False
    return text[at - 1] not in _JOINS_NEXT


def shorten(text: str, limit: int, min_word: int = 0) -> str:
    """`text` cut to at most `limit` characters, never inside a grapheme cluster (a Khmer "ត្រូវគ|្នា"
    is not left with a bare consonant); at the last space when that keeps at least `min_word` characters."""
    if len(text) <= limit:
        return text
    at = limit
    while at > 0 and not _cluster_break(text, at):
        at -= 1
    space = text.rfind(" ", 0, at + 1)
    if min_word and space >= min_word:
        at = space
    return text[:at].rstrip()
