"""ALA-LC romanisation of Khmer, written from the Library of Congress table
(ALA-LC Romanization Tables, Khmer, rev. 2012; the table as transcribed at
http://www.sealang.net/seacat/ALA-LC-Khmer.htm), for use as a test oracle.

It is written here independently of the engine, Khmer to Latin, letter by
letter: consonants with their Indic values, a subscript written after its
full form with no vowel between, the inherent vowel written ``a`` between
consonants, every dependent vowel by its own letters, ំ ``ṃ``, ះ ``ḥ``.
"""

from __future__ import annotations

CONSONANTS = {
    "ក": "k", "ខ": "kh", "គ": "g", "ឃ": "gh", "ង": "ṅ", "ច": "c", "ឆ": "ch", "ជ": "j",
    "ឈ": "jh", "ញ": "ñ", "ដ": "ṭ", "ឋ": "ṭh", "ឌ": "ḍ", "ឍ": "ḍh", "ណ": "ṇ", "ត": "t",
    "ថ": "th", "ទ": "d", "ធ": "dh", "ន": "n", "ប": "p", "ផ": "ph", "ព": "b", "ភ": "bh",
    "ម": "m", "យ": "y", "រ": "r", "ល": "l", "វ": "v", "ឝ": "ś", "ឞ": "ṣ", "ស": "s",
    "ហ": "h", "ឡ": "ḷ", "អ": "",
}
VOWELS = {
    "ា": "ā", "ិ": "i", "ី": "ī", "ឹ": "ẏ", "ឺ": "ȳ", "ុ": "u", "ូ": "ū", "ួ": "ua",
    "ើ": "oe", "ឿ": "ẏa", "ៀ": "ia", "េ": "e", "ែ": "ae", "ៃ": "ai", "ោ": "o", "ៅ": "au",
    "័": "ă",
}
INDEPENDENT = {"ឫ": "ṛ", "ឬ": "ṝ", "ឭ": "ḷ", "ឮ": "ḹ", "ឥ": "i", "ឦ": "ī", "ឧ": "u", "ឩ": "ū", "ឯ": "e", "ឰ": "ai", "ឱ": "o", "ឳ": "au"}
SIGNS = {"ំ": "ṃ", "ះ": "ḥ"}
# the register marks: ៉ the hard sign, ៊ the soft sign (prime), after the consonant
REGISTER = {"\u17c9": "\u02ba", "\u17ca": "\u02b9"}
COENG = "\u17d2"


def romanize_word(word: str) -> str:
    """ALA-LC romanisation of one Khmer word (the register marks ៉ ៊ as the
    hard and soft signs ʺ ʹ; bantoc and the other diacritics are not written)."""
    out: list[str] = []
    i = 0
    pending_inherent = False  # the last consonant has no vowel yet
    while i < len(word):
        ch = word[i]
        if ch == COENG and i + 1 < len(word) and word[i + 1] in CONSONANTS:
            out.append(CONSONANTS[word[i + 1]])
            i += 2
            continue
        if ch in CONSONANTS:
            if pending_inherent:
                out.append("a")
            out.append(CONSONANTS[ch])
            pending_inherent = True
        elif ch in VOWELS:
            out.append(VOWELS[ch])
            pending_inherent = False
        elif ch in SIGNS:
            if pending_inherent:
                out.append("a")
            out.append(SIGNS[ch])
            pending_inherent = False
        elif ch in REGISTER:
            out.append(REGISTER[ch])
        elif ch in INDEPENDENT:
            out.append(INDEPENDENT[ch])
            pending_inherent = False
        i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


def romanize(name: str) -> str:
    """ALA-LC romanisation of a Khmer name, word by word."""
    return " ".join(romanize_word(w) for w in name.split())
