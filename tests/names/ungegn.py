"""UNGEGN romanisation of Khmer (UN system of 1972 as reported by the UNGEGN
Working Group on Romanization Systems, 2013; BGN/PCGN's Khmer system is the
same), written from the system's tables as a test oracle, apart from the engine.

The tables (consonants, the dependent vowels in each series, vowels with ំ and
ះ, the independent vowels) are those of the "UN romanization" columns of the
Khmer alphabet tables (e.g. https://liquisearch.com/khmer_alphabet/dependent_vowels).
Only whole written syllables (a consonant and its vowel) are romanised here:
where Khmer spelling leaves a syllable boundary or an inherent vowel unwritten,
choosing them is the engine's own problem, and an oracle that solved it would
be a second engine.
"""

from __future__ import annotations

# consonant: (series, romanisation)
CONSONANTS = {
    "ក": (1, "k"), "ខ": (1, "kh"), "គ": (2, "k"), "ឃ": (2, "kh"), "ង": (2, "ng"),
    "ច": (1, "ch"), "ឆ": (1, "chh"), "ជ": (2, "ch"), "ឈ": (2, "chh"), "ញ": (2, "nh"),
    "ដ": (1, "d"), "ឋ": (1, "th"), "ឌ": (2, "d"), "ឍ": (2, "th"), "ណ": (1, "n"),
    "ត": (1, "t"), "ថ": (1, "th"), "ទ": (2, "t"), "ធ": (2, "th"), "ន": (2, "n"),
    "ប": (1, "b"), "ផ": (1, "ph"), "ព": (2, "p"), "ភ": (2, "ph"), "ម": (2, "m"),
    "យ": (2, "y"), "រ": (2, "r"), "ល": (2, "l"), "វ": (2, "v"), "ស": (1, "s"),
    "ហ": (1, "h"), "ឡ": (1, "l"), "អ": (1, ""),
}
# dependent vowel: (first series, second series)
VOWELS = {
    "": ("â", "ô"), "ា": ("a", "éa"), "ិ": ("ĕ", "ĭ"), "ី": ("ei", "i"), "ឹ": ("œ̆", "œ̆"),
    "ឺ": ("œ", "œ"), "ុ": ("ŏ", "ŭ"), "ូ": ("o", "u"), "ួ": ("uŏ", "uŏ"), "ើ": ("aeu", "eu"),
    "ឿ": ("eua", "eua"), "ៀ": ("iĕ", "iĕ"), "េ": ("é", "é"), "ែ": ("ê", "ê"),
    "ៃ": ("ai", "ey"), "ោ": ("aô", "ô"), "ៅ": ("au", "ŏu"),
    "ុំ": ("om", "ŭm"), "ំ": ("âm", "um"), "ាំ": ("ăm", "ŏâm"), "ះ": ("ăh", "eăh"),
    "ុះ": ("ŏh", "uh"), "េះ": ("éh", "éh"), "ោះ": ("aŏh", "uŏh"), "័": ("ă", "ŏă"),
}
INDEPENDENT = {
    "ឥ": "ĕ", "ឦ": "ei", "ឧ": "ŏ", "ឩ": "ŭ", "ឪ": "ŏu", "ឫ": "rœ̆", "ឬ": "rœ", "ឭ": "lœ̆",
    "ឮ": "lœ", "ឯ": "é", "ឰ": "ai", "ឱ": "aô", "ឲ": "aôy", "ឳ": "âu",
}
COENG, MUUSIKATOAN, TRIISAP = "\u17d2", "\u17c9", "\u17ca"
SIGNS = {"ំ", "ះ"}
IGNORED = {"\u17cb", "\u17cc", "\u17cd", "\u17ce", "\u17cf", "\u17d1", "\u17dd"}


def syllable(consonant: str, vowel: str) -> str:
    """UNGEGN romanisation of one written syllable: a consonant (with ៉ or ៊
    after it, or none) and a dependent vowel key of :data:`VOWELS` ("" for the
    inherent vowel)."""
    series, latin = CONSONANTS[consonant[0]]
    if MUUSIKATOAN in consonant:
        series = 1
    if TRIISAP in consonant:
        series = 2
    return latin + VOWELS[vowel][series - 1]
