"""Hmong names in the Romanized Popular Alphabet (RPA), read as they are
written in English-language and Lao-derived spellings.

RPA (Barney, Smalley and Heimbach, 1953; the script of Hmong in Laos, Thailand
and the diaspora) writes each syllable's tone as a final consonant letter:
``b`` (high), ``j`` (high falling), ``v`` (mid rising), ``s`` (low), ``g``
(breathy), ``m`` (creaky), ``d`` (low rising); the mid tone has no letter. A
doubled vowel is nasal (``oo`` /ɔ̃/, ``ee`` /ẽ/, ``aa`` /ã/), ``w`` is the
central vowel /ɨ/, ``xy`` is /ɕ/. The spellings names take in English and in
Lao and Thai transcription write none of the tone letters, the nasal vowels
with ``ng``, ``o`` as ``ao`` and ``w`` as ``ue`` or ``er``: Vaj Vang, Yaj
Yang, Xyooj Xiong, Thoj Thao, Hawj Her, Lis Ly, Pov Pao, Tsab Chang.

A word is read as RPA only where it cannot be a Lao, Khmer or Vietnamese
romanisation as written (:func:`rpa_only`: a tone letter j, b or g after a
vowel, a doubled vowel before a tone letter, or an onset only RPA writes,
such as xy, tx, ntx, hm); a word whose ending is also a Lao or Khmer one (b,
v, s, m, d: Khmer Yeab យៀប, Pov ពៅ, Meas មាស) is read as RPA only in a name that has an
RPA-only word (:func:`english_spellings`). Pure functions, linear in the
words.
"""

from __future__ import annotations

import re

# tone letters of RPA, closing a syllable after its vowel
TONE_LETTERS = "bjvsgmd"
_VOWELS = "aeiouw"
# an RPA syllable: onset, one of RPA's vowels (the doubled nasal ones, the
# diphthongs ai au aw ia ua, a single vowel), optional ng (RPA writes no other
# final), optional tone letter
_SYLLABLE = re.compile(r"^([^aeiouw]*)(aa|ee|oo|ai|au|aw|ia|ua|[aeiouw])(ng)?([bjvsgmd]?)$")
# onsets no Lao, Khmer or Vietnamese romanisation writes
_RPA_ONSETS = re.compile(r"^(?:n?txh?|n?tsh?|xy|hm|hn|hl|ml|nq|qh|npl)(?=[aeiouw])")
# tone letters that no romanisation of those languages ends a word with (b is
# a Khmer final ប in French-era spellings: Yeab for យៀប)
_RPA_ONLY_TONES = "jg"
# tone letters after a doubled vowel that only RPA writes (not m or d: Boom,
# Seed are English-style spellings)
_DOUBLED_TONES = "jbgsv"


def _syllable(word: str) -> re.Match[str] | None:
    return _SYLLABLE.match(word)


def rpa_only(word: str) -> bool:
    """True when a folded Latin word (lower-case ASCII) is one RPA syllable
    that no Lao, Khmer or Vietnamese romanisation writes: it ends in the tone
    letter j or g after a vowel (Vaj, Hawj; not ng), it has a doubled vowel
    before a tone letter j, b, g, s or v (Xyooj, Neeb), or it opens with an
    onset only RPA writes (Tsab, Ntxhi, Hmoob). A final b alone is also a
    Khmer ប (Yeab): such a word is RPA only beside an RPA-only word."""
    m = _syllable(word)
    if m is None or m.group(3):
        return False
    onset, vowel, _, tone = m.groups()
    if tone and tone in _RPA_ONLY_TONES:
        return True
    if tone and tone in _DOUBLED_TONES and len(vowel) == 2 and vowel[0] == vowel[1] and vowel[0] in "aeo":
        return True
    # (without a tone letter only an onset with x or q: Ntxhi, not Tsai)
    return bool(_RPA_ONSETS.match(word)) and (bool(tone) or "x" in onset or "q" in onset)


def rpa_shaped(word: str) -> bool:
    """True when a folded Latin word could be one RPA syllable with a tone
    letter (Pov, Lis, Muas, Kwm), whether or not another romanisation could
    write it so too."""
    m = _syllable(word)
    return m is not None and not m.group(3) and bool(m.group(4)) and len(word) >= 2


def as_english(word: str) -> str:
    """The English-style spelling of a folded RPA syllable: the tone letter
    dropped, a doubled vowel written with ng (oo ong, ee eng, aa ang), a
    before the tone letters j and b written ang (the clan names Vaj Vang, Yaj
    Yang, Tsab Chang; the given name Paj Pang), o alone ao (Thoj Thao, Pov Pao),
    aw er (Hawj Her), w alone ue (Vwj Vue), i after one consonant y (Lis Ly), xy xi (Xyooj Xiong), ts and tsh ch
    (Tsheej Cheng). A word that is not one RPA syllable is returned as it is."""
    m = _syllable(word)
    if m is None or m.group(3):
        return word
    onset, vowel, _, tone = m.groups()
    if onset == "xy":
        onset = "xi"
    elif onset in ("ts", "tsh"):
        onset = "ch"
    if len(vowel) == 2 and vowel[0] == vowel[1] and vowel[0] in "aeo":
        vowel = vowel[0] + "ng"
    elif vowel == "a" and tone in ("j", "b"):
        vowel = "ang"
    elif vowel == "o":
        vowel = "ao"
    elif vowel == "aw":
        vowel = "er"
    elif vowel == "w":
        vowel = "ue"
    elif vowel == "i" and len(onset) == 1:
        vowel = "y"  # Lis Ly, as Lao ລີ and Vietnamese Lý are written
    return onset + vowel


def english_spellings(words: list[str]) -> list[str | None]:
    """For the folded Latin words of one name, each word's English-style
    spelling when it is read as RPA, else None: an RPA-only word always
    (:func:`rpa_only`), and any word with a tone letter (:func:`rpa_shaped`)
    when the name has an RPA-only word (Pov in Vaj Pov is Pao; alone, Pov is
    the Khmer ពៅ)."""
    only = [rpa_only(w) for w in words]
    context = any(only)
    return [
        as_english(w) if (o or (context and rpa_shaped(w))) else None
        for w, o in zip(words, only, strict=True)
    ]
