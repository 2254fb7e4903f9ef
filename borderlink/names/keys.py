"""Phonetic keys: one spelling for the ways the three languages write a sound.

A key is lower-case ASCII. It folds the transcription equivalences that
romanisations of Lao, Khmer and Vietnamese names disagree on:

* ``ph``/``f``, ``x``/``s``, ``c``/``k``/``q``, ``w``/``u``
* ``ou``/``u``, ``oo``/``o``, ``ea``/``ie``/``ia``, ``ae``/``e``, ``eu``/``u``, ``y``/``i``
* ``nh``/``gn``/``ny`` before a vowel; final ``-nh``/``-n``, ``-th``/``-t``,
  final ``-ne``/``-n`` (Siphandone/Siphandon), ``-one-`` (Sonexay/Sonxay)
* ``r`` after a vowel is silent (Sar/Sa, Yathortou/Yathotou); ``r``/``l`` inside a
  word alternate (Vorachith/Volachit), word-final ``h`` after a vowel is silent
* doubled letters are single (Kommasith/Komasit)

The key is deliberately lossy (An and Anh share one); the scorer looks at the
finer spelling where a difference matters.
"""

from __future__ import annotations

import re
from functools import lru_cache

VOWELS = frozenset("aeiou")

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"ph", "f"),
        (r"x", "s"),
        (r"z", "s"),
        (r"q", "k"),
        (r"ck", "k"),
        (r"c(?!h)", "k"),
        (r"w", "u"),
        (r"j", "ch"),
        (r"nh(?![aeiouy])", "n"),
        (r"(nh|gn|ny)", "ñ"),
        (r"th(?![aeiouy])", "t"),
        (r"dh", "d"),
        (r"ou", "u"),
        (r"oo", "o"),
        (r"(?<=[aeiou])ne$", "n"),
        (r"(?<=o)ne(?=[^aeiouy])", "n"),
        (r"ea|ie", "ia"),
        (r"ae", "e"),
        (r"eu|ue", "u"),
        (r"oe", "o"),
        (r"ei", "i"),
        (r"(?<=[aeiouy])r(?![aeiouy])", ""),
        (r"(?<=.)r", "l"),
        (r"(?<=[aeiouy])h(?![aeiouy])", ""),
        (r"y", "i"),
        (r"ñ", "ni"),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=500_000)
def phonetic_key(folded: str) -> str:
    """The phonetic key of a folded (ASCII, lower-case) word or syllable run."""
    s = folded
    for pattern, repl in _RULES:
        s = pattern.sub(repl, s)
    return s


def skeleton(key: str) -> str:
    """Consonants of a key (a leading vowel kept), for vowel-tolerant lookups."""
    if not key:
        return ""
    return key[0] + "".join(c for c in key[1:] if c not in VOWELS)


def deletions(s: str) -> list[str]:
    """All strings made by deleting one character of ``s`` (typo-tolerant keys)."""
    return list({s[:i] + s[i + 1:] for i in range(len(s))})
