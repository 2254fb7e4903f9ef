"""Scoring two names: token similarity, alignment, and the name-level rules.

Token similarity is an edit distance on phonetic keys in which a consonant
edit costs 1 and a vowel edit (or a voiced/unvoiced stop) costs 0.5, turned
into evidence by a steep curve: a letter off in a long Lao word is a spelling
variant, a letter off in a three-letter Khmer or Vietnamese word is another
name (Sen/Sann, Many/Manith).

Tokens are aligned one to one, best pairs first, and adjacent words may be
joined (``Souvanna Phouma`` = ``Souvannaphouma``). The name score is the
weighted share of both names that found a partner, so missing words count
against a match from either side, except that a whole name of two or more
words opening a longer one (Bun Rany / Bun Rany Hun Sen) scores just above
the threshold. Then the Vietnamese rules: in two
Vietnamese-style names every syllable must agree once folded, syllables typed
with diacritics on both sides must agree in their marks, and Văn against Thị
halves the score.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from .keys import nasal_final_as_n, phonetic_key, skeleton, vietnamese_cross_key
from .normalise import KHMER, LAO, LATIN, fold_latin, has_confusables
from .tokens import (
    ParsedName,
    Token,
    joined,
    parse,
    rpa_words,
    same_vietnamese_syllable_across_scripts,
    spelling_in_use,
    spelling_keys,
    split_native,
    vietnamese_marks,
)
from .vietnamese import COMMON_WEIGHT, FAMILY_NAMES, MARKER_WEIGHT

MATCH_THRESHOLD = 0.81
VN_SYLLABLE_MISMATCH = 0.25
VN_DIACRITIC_MISMATCH = 0.5
GENDER_PENALTY = 0.5
ORDER_PENALTY = 0.02
# In two Vietnamese-style names the syllables keep their order (or the family
# name moves to the end, a rotation): Quang Minh and Minh Quân, swapped, are
# two given names, not one.
VN_ORDER_PENALTY = 0.25
FAMILY_NAME_MISSING = 0.8
# A name whose words are in two scripts, Lao or Khmer and Latin (ដួង Dung
# វីរៈសិទ្ធ typed half transcribed), is no way a person's name is written in
# one record: against a name written in one script it matches only with
# near-exact words (its Latin words give no order and no spelling to trust).
MIXED_SCRIPTS_PENALTY = 0.15
# Two names written in Lao or Khmer script keep the order of their language
# (Khmer and Vietnamese family name first, Lao given name first): the same
# words in another order are another person's name (ហួត អួង is not អួង ហួត).
NATIVE_ORDER_PENALTY = 0.25
# A Latin name may be written in Western order (Jessa Khan for ខាន់ ចេសា,
# Sopheak Soung for សួង សុភ័ក្ត្រ): a rotation against a name in Lao or Khmer
# script is allowed, but costs this much, so that only near-exact words carry
# it (Ung Huot is អ៊ឹង ហួត, not the names ហួត អួង of two other persons).
ROTATION_ACROSS_SCRIPTS = 0.07
VN_EXTRA_WORD = 1.0  # added to the 1.0 every word without a partner counts
VN_EXTRA_MIDDLE = 0.5  # the same for a middle name left out (Nguyễn Xuân Phúc / Nguyễn Phúc)
# Both names typed with diacritics and one syllable's letters differ in them
# (Đường/Dương, Lê/Lễ is only a tone): a different syllable, not a typo.
VN_LETTER_MISMATCH = 0.1
# A whole name of two or more words that opens a longer one (Bun Rany / Bun Rany
# Hun Sen: a wife's name followed by her husband's): likely the same person, but
# ranked below a full match.
LEADING_NAME = 0.86
LEADING_NAME_MIN_EVIDENCE = 0.9
# ... but only when every word of the shorter name has a key of at least this
# many letters: two words as short as An or Y are common syllables, and a name
# of them opening a longer one is another person with a longer given name
# (Keo An / Keo An Dara, Y Lan / Y Lan Nie Buon), not a wife's name
# before her husband's.
LEADING_NAME_MIN_KEY = 3
# ... and only when what follows it is a name: two words or more (a husband's
# family and given names), or one of two syllables or more (Norodom Monineath
# Sihanouk). One word of one syllable is the second syllable of a given name
# typed apart (Hing Bun Heang is Hing Bunheang, not Hing Boun).

_sim_cache: dict[tuple[str, str, float, bool, bool, bool, bool, bool], float] = {}
_DIGRAPH = re.compile(r"[tckp]h|ng")


def _sounds(key: str) -> int:
    """Letters of a key with each digraph (th, ch, kh, ng) counted once."""
    return len(key) - len(_DIGRAPH.findall(key))


# Vowel classes, merged step by step: the central vowel w (eu/oe, Vietnamese ơ/â)
# is written o or a by others, o/u alternate freely in romanisations, a/o less so (Khmer inherent vowel: Norodom/Noroddam), others cost more.
_W_AS_O = str.maketrans("w", "o")
_W_AS_A = str.maketrans("w", "a")
_MERGE_OUW = str.maketrans("uw", "oo")
_MERGE_AOUW = str.maketrans("auw", "ooo")
_MERGE_AOW = str.maketrans("aw", "oo")
_MERGE_VOWELS = str.maketrans("aeiuw", "ooooo")
# the same merges leaving the central vowel w apart (edit_cost's central_apart)
_MERGE_OU = str.maketrans("u", "o")
_MERGE_AOU = str.maketrans("au", "oo")
_MERGE_AO = str.maketrans("a", "o")
COST_W, COST_OUW, COST_AO, COST_OTHER_VOWEL, COST_VOWEL_INDEL = 0.25, 0.25, 0.35, 0.6, 0.5
# a against u (see edit_cost): as far apart as any two other vowels. a/o (the
# Khmer inherent vowel) and o/u alternate in romanisations; a/u do not (Hùng
# and Hằng, Bun and Ban are other names).
COST_AU = COST_OTHER_VOWEL
# Khmer's inherent vowels (/ɑ/, /ɔ/) are written a or o by the same family's
# members (Norodom នរោត្តម, Ranariddh រណឫទ្ធិ, Kampong/Kompong): against a word in
# Khmer script a/o costs less than between two Latin spellings (Chitmany/Chitmon).
COST_AO_KHMER = 0.25
# Khmer's central vowels (ឹ ឺ ើ, read w) are written u in names as often as
# eu/oe (អ៊ឹង Ung, Eung): a Khmer word's central vowel against a Latin u costs
# less than o/u (which keeps Son and Sun, Sen and San apart).
COST_WU_KHMER = 0.15
_W_AS_U = str.maketrans("w", "u")
COST_VOICING = 0.75  # t/d, p/b, k/g: distinct letters in all three scripts, often confused


def edit_cost(
    a: str, b: str, a_skel: str, b_skel: str, cost_ao: float = COST_AO,
    cost_ou: float = COST_OUW, cost_wu: float | None = None, central_apart: bool = False,
) -> float:
    """Weighted edit distance between two keys.

    Consonant edits cost 1, vowel edits less (see the COST_* constants). Computed
    from plain Levenshtein distances on successively coarser spellings, which is
    fast (C) and close to a true weighted distance for words of names.
    ``central_apart``: the central vowel w is not merged with o, a or u, so
    that against any other vowel it costs :data:`COST_OTHER_VOWEL` (a Latin eu
    against a Khmer word, see :func:`_central_vowel_apart`).
    """
    d0 = Levenshtein.distance(a, b)
    if d0 == 0:
        return 0.0
    if central_apart:
        dw = d0
        d1 = Levenshtein.distance(a.translate(_MERGE_OU), b.translate(_MERGE_OU))
        d2 = Levenshtein.distance(a.translate(_MERGE_AOU), b.translate(_MERGE_AOU))
    else:
        dw = min(
            Levenshtein.distance(a.translate(_W_AS_O), b.translate(_W_AS_O)),
            Levenshtein.distance(a.translate(_W_AS_A), b.translate(_W_AS_A)),
        )
        d1 = Levenshtein.distance(a.translate(_MERGE_OUW), b.translate(_MERGE_OUW))
        d2 = Levenshtein.distance(a.translate(_MERGE_AOUW), b.translate(_MERGE_AOUW))
    d3 = Levenshtein.distance(a.translate(_MERGE_VOWELS), b.translate(_MERGE_VOWELS))
    dc = Levenshtein.distance(a_skel, b_skel)  # stops unvoiced
    dv = Levenshtein.distance(_voiced_skeleton(a), _voiced_skeleton(b))  # t/d apart
    # each coarser spelling can only bring the words closer
    d1 = min(d1, dw)
    d2 = min(d2, d1)
    d3 = min(d3, d2)
    dv = min(dv, d3)
    dc = min(dc, dv)
    # a against u (COST_AU): what merging a with o and u removes that merging
    # a with o alone does not. (A word with both an a/o and an o/u difference
    # is counted as one a/u: rare in names, and on the strict side.)
    n_au = 0
    if d1 > d2:
        dx = Levenshtein.distance(
            a.translate(_MERGE_AO if central_apart else _MERGE_AOW),
            b.translate(_MERGE_AO if central_apart else _MERGE_AOW),
        )
        n_au = max(0, min(d1, dx) - d2)
    cost = (
        dc
        + COST_VOICING * max(dv - dc, 0)
        + COST_VOWEL_INDEL * max(d3 - dv, 0)
        + COST_OTHER_VOWEL * max(d2 - d3, 0)
        + cost_ao * max(d1 - d2 - n_au, 0)
        + COST_AU * n_au
        + cost_ou * max(dw - d1, 0)
        + COST_W * max(d0 - dw, 0)
    )
    if cost_wu is not None:
        # the central vowel written u (Khmer អ៊ឹង Ung): cheaper than other vowels
        a2, b2 = a.translate(_W_AS_U), b.translate(_W_AS_U)
        k = d0 - Levenshtein.distance(a2, b2)
        if k > 0:
            cost = min(
                cost,
                edit_cost(a2, b2, a_skel, b_skel, cost_ao, cost_ou, central_apart=central_apart)
                + cost_wu * k,
            )
    return min(cost, float(d0))


_DROP_VOWELS = str.maketrans("", "", "aeiouw")


def _voiced_skeleton(key: str) -> str:
    return key[:1] + key[1:].translate(_DROP_VOWELS)


def allowance(length: int) -> float:
    """Edit cost at which two words of this length stop being evidence."""
    return max(0.5, 0.35 * (length - 2))


def _central_vowel_written_u(a: Token, b: Token) -> bool:
    """A one-syllable Khmer word with the central vowel (អ៊ឹង, key w) against a
    one-syllable Latin word: Latin spellings write that vowel u (Ung). Not the
    other way round: a Latin œ/eu against a Khmer u (ស៊ុន Sun) is another name."""
    km, lat = (a, b) if a.script == KHMER else (b, a)
    return (
        km.script == KHMER and lat.script == LATIN and km.mono and lat.mono and "w" in km.key
        # ou writes Khmer ួ or ូ (Soung សួង), not the central vowel
        and "ou" not in lat.text
    )


def _central_vowel_apart(a: Token, b: Token) -> bool:
    """A Latin word whose key has the central vowel (w: eu, oe, ue, as
    French-era spellings write Khmer ឹ ឺ ើ ឿ) against a Khmer word: the Latin
    central vowel then meets only Khmer central vowels (their readings and
    :func:`~borderlink.names.khmer.latin_readings`: ក្រឹង Kreung, Kroeung,
    Kreng; សឿន Soeun, Seun), and any other Khmer vowel (ា, the inherent
    vowel, ុ ...) at the cost of any other vowel, not the little that
    merging the central vowel with o or a costs elsewhere (Kreung is not
    ក្រាំង Krang; twelfth round). Only Khmer: Lao and Vietnamese write their
    central vowels o or a in transcription (Sơn Son)."""
    km, lat = (a, b) if a.script == KHMER else (b, a)
    if km.script != KHMER or lat.script != LATIN:
        return False
    # (not the French eou of ៅ, Peou for ពៅ: its vowel is the ou)
    if "w" in lat.key and "eou" not in lat.text:
        return True
    # a Khmer word read in another Latin spelling with eu (សឿន Seun): that
    # spelling's eu is as far from a Latin u as any eu (Sarun is not សារឿន)
    return "w" in km.key and km.key != _own_key(km.text)


@lru_cache(maxsize=100_000)
def _own_key(text: str) -> str:
    """The key a token of this romanised text has (tokens.make_token)."""
    return phonetic_key(spelling_in_use(text))


# Khmer ខ and ឃ (kh) opening a word, written k by French-era and other
# spellings (ខៀវ Kieu as well as Khieu): cheaper than another aspirate left out
# (COST_ASPIRATION), still enough that a one-syllable word of three sounds
# (ខុង Khong against Kong) is no match on its own.
COST_KH_WRITTEN_K = 0.2


def _khmer_kh_written_k(a: Token, b: Token) -> bool:
    """A Khmer word opening with kh against a Latin word opening with k and
    no h (twelfth round)."""
    km, lat = (a, b) if a.script == KHMER else (b, a)
    return (
        km.script == KHMER and lat.script == LATIN and km.key.startswith("kh")
        and lat.key.startswith("k") and not lat.key.startswith("kh")
    )


# Khmer ួ (UNGEGN uŏ) is written uo, ou or u in names (នួន Nuon, Noun;
# ហួន Huon, Houn, Hun), and keys read ou as u: a Khmer word's uo against a
# Latin word costs this much as u. Khmer script only: a Vietnamese uo (Dương)
# is never u (Dũng), nor is a Latin syllable in a name typed with Vietnamese marks.
COST_UO_KHMER = 0.15


# A one-syllable Khmer word with no vowel sign has the inherent vowel, which
# names write a or o alike (សម Sam/Som, កង Kang/Kong, រ៉ន Ran/Ron): against a
# Latin word a/o costs little more than nothing.
COST_AO_INHERENT = 0.1
_KHMER_VOWEL_SIGNS = frozenset(chr(c) for c in range(0x17B6, 0x17C8)) | {"\u17d0"}


_NOT_KHMER, _KM_OTHER, _KM_WRITTEN_A, _KM_INHERENT = 0, 1, 2, 3


@lru_cache(maxsize=100_000)
def _khmer_vowel(surface: str, script: str, mono: bool) -> int:
    """What a word's vowel says about a/o: not a Khmer word; a Khmer word of
    several syllables or another vowel; a one-syllable Khmer word whose vowel
    is written ា (with or without ំ: an a); one with no vowel sign (the
    inherent vowel, written a or o)."""
    if script != KHMER:
        return _NOT_KHMER
    if not mono:
        return _KM_OTHER
    if "\u17b6" in surface:
        return _KM_WRITTEN_A
    if not any(c in _KHMER_VOWEL_SIGNS for c in surface):
        return _KM_INHERENT
    return _KM_OTHER


def _khmer_uo_written_u(a: Token, b: Token) -> bool:
    km, lat = (a, b) if a.script == KHMER else (b, a)
    return (
        km.script == KHMER and lat.script == LATIN and "uo" in km.key and "uo" not in lat.key
        and not lat.vn  # a Vietnamese syllable read with its marks (Dũng) is no ួ
    )


# Lao and Khmer aspirates (ທ ថ th, ພ ផ ph, ຂ ខ kh, ឆ chh) are written without
# their h by many (ທີດາ Tida, ສຸພາພອນ Soupaphone, ថារី Tary): a
# word in Lao or Khmer script against a Latin word differing only so costs this
# much per letter, less than a consonant (1) or voicing (0.75). A one-syllable
# word's allowance (0.5) leaves little of it: Tong and Thong stay apart.
COST_ASPIRATION = 0.35
_ASPIRATE = re.compile(r"(?<=[tkc])h")
_UNVOICE_SKEL = str.maketrans("dbgf", "tpkp")


@lru_cache(maxsize=100_000)
def _deaspirated(key: str) -> str:
    return _ASPIRATE.sub("", key).replace("f", "p")


def _native_against_latin(a: Token, b: Token) -> bool:
    sa, sb = a.script, b.script
    return (sa == LATIN and sb in (LAO, KHMER)) or (sb == LATIN and sa in (LAO, KHMER))


def token_similarity(a: Token, b: Token) -> float:
    """Evidence that two tokens are the same word, 0..1 (1 for equal keys).

    A Latin word against a word in Lao or Khmer script is also compared in the
    other spellings in use of either (:func:`_spelling_variant_similarity`)."""
    s = _key_similarity(a, b)
    if s < 1.0 and _native_against_latin(a, b):
        lat, nat = (a, b) if a.script == LATIN else (b, a)
        # the other spellings change vowels and at most one consonant of the
        # Khmer word: words whose consonants differ more are not tried (most
        # pairs a search looks at), unless the Latin word has another spelling
        # (or, the one reading that changes two letters, ch written ti: ជូ Tiou)
        if (
            Levenshtein.distance(lat.skel, nat.skel, score_cutoff=2) <= 1
            or spelling_keys(lat)
            or (nat.skel[:2] == "ch" and lat.skel[:1] == "t" and lat.skel[1:2] != "h"
                and Levenshtein.distance(lat.skel[1:], nat.skel[2:], score_cutoff=2) <= 1)
        ):
            s = max(s, _spelling_variant_similarity(lat, nat))
    elif s < 1.0 and a.key[:4] == b.key[:4] == "ngui" and _vietnamese_nguy_n(a) and _vietnamese_nguy_n(b):
        # Nguyễn (and Nguyên) in Lao or Khmer script ends in -n or -ng (ង្វៀន,
        # ង្វៀង, ຫງວຽນ, ຫງວຽງ: southern Vietnamese says -n as -ng), one
        # syllable either way (tenth round)
        s = 1.0 if nasal_final_as_n(a.key) == nasal_final_as_n(b.key) else s
    return s


# A one-syllable Lao or Khmer word opening with the Vietnamese onset nguy-
# (ង្វៀ, ຫງວຽ: no Lao or Khmer word opens so) and closed by a nasal n or ng.
_NGUY_N = re.compile(r"^ngui[aeiou]*ng?$")


def _vietnamese_nguy_n(tok: Token) -> bool:
    return tok.script in (LAO, KHMER) and tok.mono and _NGUY_N.match(tok.key) is not None


# What reading a word in another spelling in use costs (a Khmer ឹ read i, a
# Latin w read v): enough that the reading of the romanisation ranks first and
# that a name needs its other words near-exact to match through one (Khim
# Bora is ឃីម បូរ៉ា; against ឃឹម បូរ៉ា, with Bora only near បូរ៉ា, it stays
# below the threshold).
SPELLING_VARIANT_COST = 0.08


@lru_cache(maxsize=200_000)
def _spelling_variant_similarity(lat: Token, nat: Token) -> float:
    """The best similarity of a Latin word and a word in Lao or Khmer script
    over their other spellings in use (:func:`~borderlink.names.tokens.spelling_keys`:
    ឃឹម read khim as well as khem, Wutty read vutty), less
    :data:`SPELLING_VARIANT_COST`; 0.0 when neither has another spelling."""
    lat_keys = (lat.key, *spelling_keys(lat))
    nat_keys = (nat.key, *spelling_keys(nat))
    if len(lat_keys) == len(nat_keys) == 1:
        return 0.0
    best = 0.0
    for lk in lat_keys:
        lt = lat if lk == lat.key else lat._replace(key=lk, skel=skeleton(lk).translate(_UNVOICE_SKEL))
        for nk in nat_keys:
            if lk == lat.key and nk == nat.key:
                continue
            nt = nat if nk == nat.key else nat._replace(key=nk, skel=skeleton(nk).translate(_UNVOICE_SKEL))
            best = max(best, _key_similarity(lt, nt) - SPELLING_VARIANT_COST)
            if best >= 1.0 - SPELLING_VARIANT_COST:
                return best
    return max(best, 0.0)


def _key_similarity(a: Token, b: Token) -> float:
    """:func:`token_similarity` on the tokens' own keys."""
    if a.key == b.key:
        return 1.0
    # a/o cost less against a Khmer word whose vowel may be the inherent one;
    # not a one-syllable word written with ា (សាំង, ចាន់: an a, not Song, Chon)
    mono = a.mono and b.mono
    apart = False
    if a.script == b.script == LATIN:
        # two Latin words: none of the script rules below apply
        cost_ao, wu, uo, native = COST_AO, False, False, False
    else:
        va, vb = _khmer_vowel(a.surface, a.script, a.mono), _khmer_vowel(b.surface, b.script, b.mono)
        wu = _central_vowel_written_u(a, b)
        uo = _khmer_uo_written_u(a, b)
        native = _native_against_latin(a, b)
        cost_ao = COST_AO_KHMER if va in (_KM_OTHER, _KM_INHERENT) or vb in (_KM_OTHER, _KM_INHERENT) else COST_AO
        if native and _KM_INHERENT in (va, vb):
            cost_ao = COST_AO_INHERENT
        apart = native and _central_vowel_apart(a, b)
    flags = (cost_ao, wu, mono, uo, native, apart)
    pair = (a.key, b.key, *flags) if a.key < b.key else (b.key, a.key, *flags)
    cached = _sim_cache.get(pair)
    if cached is not None:
        return cached
    if mono:
        # one syllable each: its length in sounds, a digraph (th, ch, kh, ng) one
        allow = allowance(max(_sounds(a.key), _sounds(b.key)))
    else:
        allow = allowance(max(len(a.key), len(b.key)))
    # No edit costs less than COST_W: beyond this many edits there is no evidence.
    cutoff = int(allow / COST_W)
    a_skel, b_skel = (a.skel.translate(_W_AS_U), b.skel.translate(_W_AS_U)) if wu else (a.skel, b.skel)
    if Levenshtein.distance(a_skel, b_skel, score_cutoff=int(allow) + 1) >= allow:
        s = 0.0  # consonant edits alone (cost 1 each) use up the allowance
    elif Levenshtein.distance(a.key, b.key, score_cutoff=cutoff) > cutoff:
        s = 0.0
    else:
        s = max(0.0, 1.0 - edit_cost(
            a.key, b.key, a.skel, b.skel, cost_ao,
            cost_wu=COST_WU_KHMER if wu else None, central_apart=apart,
        ) / allow)
    if s < 1.0 and native:
        # an aspirate written without its h (ທີດາ Tida, ថារី Tary); tried only
        # when the words' consonants, once unaspirated, leave some allowance
        da, db = _deaspirated(a.key), _deaspirated(b.key)
        k = 0
        if (da != a.key or db != b.key) and Levenshtein.distance(
            _deaspirated(a.skel), _deaspirated(b.skel), score_cutoff=int(allow) + 1,
        ) < allow:
            k = Levenshtein.distance(a.key, b.key) - Levenshtein.distance(da, db)
        if k > 0:
            # Khmer ខ/ឃ opening a word written k (ខៀវ Kieu as well as Khieu,
            # French-era spellings; twelfth round) costs less than another
            # aspirate left out
            kh = int(_khmer_kh_written_k(a, b))
            cost = edit_cost(
                da, db, skeleton(da).translate(_UNVOICE_SKEL), skeleton(db).translate(_UNVOICE_SKEL),
                cost_ao, central_apart=apart,
            ) + COST_ASPIRATION * (k - kh) + COST_KH_WRITTEN_K * kh
            s = max(s, 1.0 - cost / allow)
    if uo and s < 1.0:
        km, lat = (a, b) if a.script == KHMER else (b, a)
        short = km.key.replace("uo", "u")
        cost = edit_cost(
            short, lat.key, km.skel, lat.skel, COST_AO_KHMER, central_apart=apart,
        ) + COST_UO_KHMER * km.key.count("uo")
        s = max(s, 1.0 - cost / allow)
    if s > ONE_SYLLABLE_APART and _one_syllable_apart(a.key, b.key):
        s = ONE_SYLLABLE_APART
    if s < 1.0 and native:
        s = max(s, _hmong_xi_similarity(a, b, allow))
    if s > ONE_SYLLABLE_APART and _lao_vowel_letters_apart(a, b):
        s = ONE_SYLLABLE_APART
    if s > ONE_SYLLABLE_APART and _initial_consonant_added(a.key, b.key):
        s = ONE_SYLLABLE_APART
    if len(_sim_cache) > 2_000_000:
        _sim_cache.clear()
    _sim_cache[pair] = s
    return s


# Hmong names of Laos: the English spelling writes the clan name ຊົ່ງ (Hmong RPA
# Xyooj) Xiong, with an i after x that Lao script and its romanisations do not
# write (Xong, Song). Lao has no syllable read x-i-on (ຊຽງ is xieng), so a Latin
# "xion(g)"/"sion(g)" against Lao script costs this much and is not another syllable.
COST_HMONG_XI = 0.1
_HMONG_XI = re.compile(r"si(?=on)")


def _hmong_xi_similarity(a: Token, b: Token, allow: float) -> float:
    """Similarity of a Latin word and a Lao word when the Latin word's xi/si
    before on(g) (Hmong English Xiong, Laomouaxiong) is read as the Lao ຊ-ົ it
    transcribes; 0.0 when the rule does not apply. Linear in the words."""
    lat, nat = (a, b) if a.script == LATIN else (b, a)
    if lat.script != LATIN or nat.script != LAO or "sion" not in lat.key:
        return 0.0
    key = _HMONG_XI.sub("s", lat.key)
    n = lat.key.count("sion")
    if _one_syllable_apart(key, nat.key):
        return 0.0
    cost = edit_cost(key, nat.key, skeleton(key).translate(_UNVOICE_SKEL), nat.skel) + COST_HMONG_XI * n
    return max(0.0, 1.0 - cost / allow)


def _lao_vowel_letters_apart(a: Token, b: Token) -> bool:
    """True for two words in Lao script whose readings have the same syllables
    but one, and that one differs only in its vowel (ຄຳພອນ Khamphone / ຄຳພັນ
    Khamphan, ສົມພອນ / ສົມພູນ). The reading already writes Lao's own
    spelling variants one way (vowel length, ໄ/ໃ, ໍ/ອ, ແ/ເ, tone marks), so a
    vowel written with another letter in the same script is another name, not
    a romanisation's spelling. Linear in the words."""
    if a.script != LAO or b.script != LAO or a.key == b.key or a.skel != b.skel:
        return False
    sa, sb = _SYLLABLE.findall(a.key), _SYLLABLE.findall(b.key)
    if len(sa) != len(sb) or "".join(sa) != a.key or "".join(sb) != b.key:
        return False
    differ = [(x, y) for x, y in zip(sa, sb, strict=True) if x != y]
    return len(differ) == 1 and differ[0][0].translate(_DROP_ALL_VOWELS) == differ[0][1].translate(_DROP_ALL_VOWELS)


_DROP_ALL_VOWELS = str.maketrans("", "", "aeiouw")


def _initial_consonant_added(a: str, b: str) -> bool:
    """True when one key is the other, opening with a vowel, with one
    consonant letter put before it: Inthavong (ອິນທະວົງ, ອ the silent carrier
    of a vowel) and Sinthavong (ສິນທະວົງ) are different words, not a letter
    typed or dropped (issue #13). Not h, which romanisations add and drop
    before a vowel, and not for keys shorter than three letters."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return (
        len(long_) == len(short) + 1 and len(short) >= 3 and short[0] in "aeiouw"
        and long_[0] not in "aeiouwhy" and long_[1:] == short
    )


# Compound given names (Lao, Khmer) that differ in one whole syllable are
# different names: Sisomphone (ສີສົມພອນ) and Xaysomphone (ໄຊສົມພອນ).
ONE_SYLLABLE_APART = 0.5
_SYLLABLE = re.compile(r"[^aeiouw]*[aeiouw]+(?:[^aeiouw](?![aeiouw]))*")


_VOWEL_RUN = re.compile(r"[aeiouw]+")


def _syllable_count(key: str) -> int:
    """Syllables of a key: its runs of vowels."""
    return len(_VOWEL_RUN.findall(key))


def _syllable_counts(tok: Token) -> frozenset[int]:
    """Syllables of a word's key and, for a Lao or Khmer word, of its other
    spellings in use (:func:`~borderlink.names.tokens.spelling_keys`): ພຣະສິດ
    is pha-ra-sit and, read with the Pali cluster, phra-sit (Phrasith; twelfth
    round)."""
    counts = {_syllable_count(tok.key)}
    if tok.script in (LAO, KHMER):
        counts.update(_syllable_count(k) for k in spelling_keys(tok))
    return frozenset(counts)


def _one_syllable_apart(a: str, b: str) -> bool:
    """True when two keys have the same two or more syllables but one, and in
    that one the vowel starts with another letter once the spellings that
    romanisations confuse (o/u/a/central vowel) are merged: si/sai, mi/mai.
    A vowel written longer or shorter (sao/sau, keo/kaeo) is a spelling."""
    sa, sb = _SYLLABLE.findall(a), _SYLLABLE.findall(b)
    if len(sa) != len(sb) or len(sa) < 2 or "".join(sa) != a or "".join(sb) != b:
        return False
    differ = [
        (x, y) for x, y in zip(sa, sb, strict=True)
        if x.translate(_MERGE_AOUW) != y.translate(_MERGE_AOUW)
    ]
    if len(differ) != 1:
        return False
    x, y = differ[0]
    vx = re.search(r"[aeiouw]+", x)
    vy = re.search(r"[aeiouw]+", y)
    if vx is None or vy is None:
        return False
    nx, ny = vx.group(0).translate(_MERGE_AOUW), vy.group(0).translate(_MERGE_AOUW)
    return nx[0] != ny[0] and len(nx) != len(ny)


def evidence(similarity: float) -> float:
    """Match evidence of a token similarity (kept as a hook for calibration)."""
    return similarity


@dataclass
class Pair:
    """Two aligned parts of the names and why they were scored as they were."""

    left: str
    right: str
    evidence: float
    reason: str


@dataclass
class Explanation:
    """How :func:`compare` reached its score, for an analyst's screen."""

    left: str
    right: str
    score: float
    threshold: float
    left_tokens: list[str]
    right_tokens: list[str]
    pairs: list[Pair] = field(default_factory=list)
    unmatched_left: list[str] = field(default_factory=list)
    unmatched_right: list[str] = field(default_factory=list)
    titles_dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_match(self) -> bool:
        return self.score >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "right": self.right,
            "score": round(self.score, 4),
            "threshold": self.threshold,
            "match": self.is_match,
            "left_tokens": self.left_tokens,
            "right_tokens": self.right_tokens,
            "pairs": [vars(p) | {"evidence": round(p.evidence, 4)} for p in self.pairs],
            "unmatched_left": self.unmatched_left,
            "unmatched_right": self.unmatched_right,
            "titles_dropped": self.titles_dropped,
            "notes": self.notes,
        }

    def __str__(self) -> str:
        verdict = "LIKELY SAME PERSON" if self.is_match else "not a match"
        lines = [
            (
                f"{self.left!r} vs {self.right!r}: {self.score:.3f} ({verdict}, threshold "
                f"{self.threshold})"
            ),
            (
                f"  read as: {' '.join(self.left_tokens) or '(empty)'} | "
                f"{' '.join(self.right_tokens) or '(empty)'}"
            ),
        ]
        for p in self.pairs:
            lines.append(f"  {p.left:>18} ~ {p.right:<18} {p.evidence:.2f}  {p.reason}")
        for t in self.unmatched_left:
            lines.append(f"  {t:>18}   (no partner on the right)")
        for t in self.unmatched_right:
            lines.append(f"  {'':>18}   {t} (no partner on the left)")
        if self.titles_dropped:
            lines.append(f"  titles dropped: {', '.join(self.titles_dropped)}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def compare(a: str, b: str) -> float:
    """Score two names 0..1; at or above :data:`MATCH_THRESHOLD` means likely the same person.

    Symmetric; 1.0 for a name against itself; 0.0 when either name is empty or
    only titles. Never raises.
    """
    return score_parsed(parse(a if isinstance(a, str) else ""), parse(b if isinstance(b, str) else ""))


def explain(a: str, b: str) -> Explanation:
    """The score of :func:`compare` with the token alignment and the reasons."""
    a = a if isinstance(a, str) else ""
    b = b if isinstance(b, str) else ""
    pa, pb = parse(a), parse(b)
    ra, rb, why = _best_readings(pa, pb)
    detail: list[Any] = []
    swapped = _order_key(ra) > _order_key(rb)
    score = _score(rb, ra, detail) if swapped else _score(ra, rb, detail)
    exp = Explanation(
        a, b, score, MATCH_THRESHOLD,
        [t.text for t in ra.tokens], [t.text for t in rb.tokens],
        titles_dropped=list(pa.titles) + list(pb.titles),
    )
    exp.notes.extend(why)
    for side, text in (("left", a), ("right", b)):
        rpa = rpa_words(text)
        if rpa:
            exp.notes.append(
                f"Hmong RPA spelling in the {side} name ({', '.join(rpa)}) read as English "
                "spellings write it: tone letters dropped, doubled vowels as -ng"
            )
        if has_confusables(text):
            exp.notes.append(
                f"look-alike letters of another script in the {side} name read as the "
                "Latin letters they look like (Unicode TR39 confusables)"
            )
    for item in detail:
        kind = item[0]
        if kind == "pair":
            _, left, right, ev, reason = item
            if swapped:
                left, right = right, left
            exp.pairs.append(Pair(left, right, ev, reason))
        elif kind == "unmatched":
            _, side, text = item
            if (side == 0) != swapped:
                exp.unmatched_left.append(text)
            else:
                exp.unmatched_right.append(text)
        else:
            exp.notes.append(item[1])
    return exp


def score_parsed(pa: ParsedName, pb: ParsedName) -> float:
    """:func:`compare` on already parsed names: the best score over the ways
    each name may be read (:func:`_readings`)."""
    best = 0.0
    for ra, _ in _readings(pa, pb):
        for rb, _ in _readings(pb, pa):
            x, y = (rb, ra) if _order_key(ra) > _order_key(rb) else (ra, rb)
            best = max(best, _score(x, y, None))
            if best >= 1.0:
                return best
    return best


def _readings(p: ParsedName, other: ParsedName) -> list[tuple[ParsedName, str]]:
    """The ways to read ``p`` against ``other``, each with a note for ``explain``:
    as parsed; with the title words that may be names kept; with its Lao or
    Khmer words of several syllables split into syllables when ``other`` has
    more words, all of one syllable (a Vietnamese name written without spaces);
    with its Lao or Khmer one-syllable words glued into the words of ``other``
    (:func:`_syllables_glued`)."""
    out = [(p, "")]
    if p.alt:
        out.append((
            # the titles go with it: an office kept as words still opens a
            # description, not a name (:func:`_vietnamese_office`)
            ParsedName(p.alt, p.titles, ()),
            "words that may be titles were read as part of the name",
        ))
    if (
        (len(other.tokens) > len(p.tokens) and all(t.mono for t in other.tokens))
        or (len(other.alt) > len(p.tokens) and all(t.mono for t in other.alt))
    ):
        # a Vietnamese name written in Lao or Khmer script without spaces meets
        # one written a syllable per word; not a name with words of several
        # syllables (Vong Savang is not the glued ສີສະຫວ່າງວົງ read si-sa-vang-vong)
        split = split_native(p.tokens)
        if split != p.tokens:
            out.append((
                ParsedName(split, (), (), split=True),
                "a Lao or Khmer word was read one syllable at a time",
            ))
    for glued in _syllables_glued(p.tokens, other.tokens):
        out.append((
            ParsedName(glued, (), ()),
            "Lao or Khmer syllables typed apart were read as the words of the other name",
        ))
    return out


def _syllables_glued(
    tokens: tuple[Token, ...], other: tuple[Token, ...],
) -> list[tuple[Token, ...]]:
    """A Lao or Khmer name typed one syllable per word (ບຸນ ມີ ສີ ສຸ ວັນ) read
    against a name with fewer words, at least one of them of several syllables
    (Bounmy Sisouvanh): its syllables glued into words of the other name's
    syllable counts, in the other name's order and in the reverse order (at most
    two readings). Nothing when the counts do not add up to the syllables typed
    (a syllable more is another name: ឡេ វ៉ាន់ យ៉ាង is not Le Vanyangou), or
    against a Vietnamese-style name (one syllable per word: ຫງວຽນ ວັນ ຮຸ່ງ is
    Nguyễn Văn Hùng as written)."""
    n, k = len(tokens), len(other)
    if n < 3 or not 1 <= k < n or all(t.mono for t in other):
        return []
    if not all(t.script in (LAO, KHMER) for t in tokens) or sum(t.mono for t in tokens) < 2:
        return []
    if len({t.script for t in tokens}) != 1:
        return []
    counts = [_syllable_count(t.key) for t in other]
    # a word of several syllables among them stays whole and counts its
    # syllables (ពិសិដ្ឋ ពី លី កា is ពិសិដ្ឋ ពីលីកា; tenth round)
    sizes = [1 if t.mono else _syllable_count(t.key) for t in tokens]
    if sum(counts) != sum(sizes) or 0 in counts or 0 in sizes:
        return []
    out = []
    for order in (counts, counts[::-1]):
        words: list[Token] = []
        lo = 0
        for c in order:
            hi, got = lo, 0
            while hi < n and got < c:
                got += sizes[hi]
                hi += 1
            if got != c:
                break
            word = tokens[lo]
            for t in tokens[lo + 1:hi]:
                word = joined(word, t)
            words.append(word)
            lo = hi
        else:
            glued = tuple(words)
            if glued not in out:
                out.append(glued)
    return out


def _best_readings(pa: ParsedName, pb: ParsedName) -> tuple[ParsedName, ParsedName, list[str]]:
    reads_a, reads_b = _readings(pa, pb), _readings(pb, pa)
    if len(reads_a) == 1 and len(reads_b) == 1:
        # one way to read each (most names): nothing to choose, no score to compute (explain scores it once)
        return pa, pb, []
    best: tuple[float, ParsedName, ParsedName, list[str]] = (-1.0, pa, pb, [])
    for ra, na in reads_a:
        for rb, nb in reads_b:
            x, y = (rb, ra) if _order_key(ra) > _order_key(rb) else (ra, rb)
            s = _score(x, y, None)
            if s > best[0]:
                best = (s, ra, rb, [n for n in (na, nb) if n])
    return best[1], best[2], best[3]


def _order_key(p: ParsedName) -> tuple[str, ...]:
    return tuple(t.key + "\x00" + t.vn for t in p.tokens)


def _units(tokens: tuple[Token, ...], with_joins: bool) -> list[tuple[Token, tuple[int, ...]]]:
    units: list[tuple[Token, tuple[int, ...]]] = [(t, (i,)) for i, t in enumerate(tokens)]
    if with_joins:
        units += [(joined(tokens[i], tokens[i + 1]), (i, i + 1)) for i in range(len(tokens) - 1)]
    return units


def _score(pa: ParsedName, pb: ParsedName, detail: list[Any] | None) -> float:
    ta, tb = pa.tokens, pb.tokens
    if not ta or not tb:
        if detail is not None:
            detail.append(("note", "a name is empty or only titles: it matches nothing"))
        return 0.0
    # (pa.vn_like and pb.vn_mono) or (pb.vn_like and pa.vn_mono), the same since
    # vn_like implies vn_mono; the cheaper test first (most pairs are not both
    # of one-syllable words)
    vn_pair = pa.vn_mono and pb.vn_mono and (pa.vn_like or pb.vn_like)
    marks: bool | str = vn_pair and vietnamese_marks(ta) and vietnamese_marks(tb)
    if marks and (_family_marks_dropped(ta, tb) or _family_marks_dropped(tb, ta)):
        # one name typed with some marks and without others (Nguyen Thúc Thuy
        # Tiên): a syllable typed plain is not compared by its marks; two
        # syllables both typed with marks still are (ninth round)
        marks = MARKS_PARTLY
    # no letter with a mark in either name: a vowel's marks are unknown
    unmarked = vn_pair and all(t.surface.isascii() for t in ta + tb if t.script == LATIN)
    best = _align(ta, tb, vn_pair, marks, with_joins=False, unmarked=unmarked)
    vn_sides = (pa.vn_like, pb.vn_like)
    shorter_done = len(best[1]) == min(len(ta), len(tb)) and all(p[2] >= 1.0 for p in best[1])
    if len(ta) != len(tb) and not shorter_done:
        # words written together on one side and apart on the other
        alt = _align(
            ta, tb, vn_pair, marks, with_joins=True, unmarked=unmarked, vn_sides=vn_sides,
        )
        if alt[0] > best[0] + 1e-9:
            best = alt
    matched, pairs = best
    # A word without a partner counts in full even when it is a common one: a
    # common family name is weak evidence for a match, but its absence on one
    # side is not weak evidence against it.
    used_a = {i for p in pairs for i in p[0]}
    used_b = {j for p in pairs for j in p[1]}
    matched_weight = sum(ta[i].weight for i in used_a) + sum(tb[j].weight for j in used_b)
    unmatched: float = (len(ta) - len(used_a)) + (len(tb) - len(used_b))
    if vn_pair:
        # A Vietnamese syllable paired with a different one in Latin letters
        # counts in full, like a word without a partner, even when it is a
        # common family name or Văn/Thị: Tran Van Tuyet Yen / Trịnh Văn Tuyết
        # Yến is another person, however common Trần and Trịnh are (issue
        # #13, h13nd). Not against Lao or Khmer script, whose transcriptions
        # of Vietnamese vowels vary (Vu for ຫວໍ Võ).
        matched_weight += sum(
            (1.0 - ta[ia[0]].weight) + (1.0 - tb[ib[0]].weight)
            for ia, ib, _, reason in pairs
            if len(ia) == len(ib) == 1 and reason in _VN_DIFFERENT
            and ta[ia[0]].script == tb[ib[0]].script == LATIN
        )
        # Every syllable of a Vietnamese name is part of it: an extra given
        # name (Nguyễn Văn An / Nguyễn Văn An Tú) is another person. A left-out
        # Văn/Thị or middle name costs half the extra: both are often dropped in
        # documents, unlike a family name (which FAMILY_NAME_MISSING weighs).
        unmatched += sum(
            _vn_extra(k, t, len(side))
            for side, used in ((ta, used_a), (tb, used_b))
            for k, t in enumerate(side) if k not in used
        )
    score = matched / (matched_weight + unmatched)
    if vn_pair and any(
        t.weight == COMMON_WEIGHT
        for side, used in ((ta, used_a), (tb, used_b))
        for k, t in enumerate(side) if k not in used
    ):
        score *= FAMILY_NAME_MISSING
        if detail is not None:
            detail.append(("note", "a Vietnamese family name has no partner"))
    if not vn_pair and (_given_names_only(pa, used_a, tb, used_b) or _given_names_only(pb, used_b, ta, used_a)):
        score *= FAMILY_NAME_MISSING
        if detail is not None:
            detail.append(("note", "Vietnamese given names against a name that adds a word before them"))
    # word order: same order, or a rotation (family name moved to the end) is fine
    singles = sorted((p[0][0], p[1][0]) for p in pairs if len(p[0]) == 1 and len(p[1]) == 1)
    order = [j for _, j in singles]
    if order != sorted(order):
        native = _in_native_script(ta) + _in_native_script(tb)
        if native == 2:
            # both written in Lao or Khmer script, whose order is fixed (Khmer
            # and Vietnamese family name first, Lao given name first): words
            # swapped are another person's name
            score -= NATIVE_ORDER_PENALTY
            if detail is not None:
                detail.append(("note", "words in another order in two names in Lao or Khmer script"))
        elif not _is_rotation(order):
            score -= VN_ORDER_PENALTY if vn_pair else ORDER_PENALTY
            if detail is not None:
                detail.append(("note", "words in a different order"))
        elif native == 1 and (_marked_vietnamese(pa) or _marked_vietnamese(pb)):
            # a Vietnamese name typed with marks (Vietnamese or French ones):
            # Lao and Khmer script write a Vietnamese name in its own order
            # (ង្វៀន តាន់យុង, ຫງວຽນ ວັນ ຮຸ່ງ), so words reversed against them
            # are another name (Lâm Trường / ជឿន ឡាំ; issue #13, h13nd)
            score -= NATIVE_ORDER_PENALTY
            if detail is not None:
                detail.append(("note", "a Vietnamese name in the reverse order of the Lao or Khmer one"))
        elif native == 1:
            score -= ROTATION_ACROSS_SCRIPTS
            if detail is not None:
                detail.append(("note", "a Latin name in the reverse order of the Lao or Khmer one"))
    # matched words contiguous in the longer name (tie-break for partial names)
    if score < 1.0 and _contiguous(sorted(used_a)) and _contiguous(sorted(used_b)):
        score += 0.005
        if 0 in used_a and 0 in used_b:
            score += 0.003  # a name followed by a spouse's name: Bun Rany Hun Sen
    if not vn_pair and not pa.split and not pb.split:
        # (syllables of one word left over are not a second name: ຈີ້ທູວິງ
        # read chi-thu-ving does not open with Chi Thu)
        lead = _leading_name(ta, tb, pairs)
        if lead and _vietnamese_office(pa if len(ta) > len(tb) else pb):
            lead = 0.0
            if detail is not None:
                detail.append(("note", "an office before a description: its words do not open a name"))
        if lead > score:
            score = lead
            if detail is not None:
                detail.append(("note", "the shorter name opens the longer one"))
    if _mixed_script(ta, used_a) != _mixed_script(tb, used_b):
        # one name written partly in Lao or Khmer script and partly in Latin,
        # with words of both scripts paired (not a description in script
        # before a Latin name, which finds no partner); also after the rule
        # of a name opening a longer one
        score -= MIXED_SCRIPTS_PENALTY
        if detail is not None:
            detail.append(("note", "one name is written in two scripts"))
    if vn_pair and pa.gender and pb.gender and pa.gender != pb.gender:
        score *= GENDER_PENALTY
        if detail is not None:
            detail.append(("note", "Văn (male) against Thị (female): different people"))
    if detail is not None:
        for ia, ib, ev, reason in pairs:
            detail.append((
                "pair", "+".join(ta[i].text for i in ia), "+".join(tb[j].text for j in ib),
                ev, reason,
            ))
        for i, t in enumerate(ta):
            if i not in used_a:
                detail.append(("unmatched", 0, t.text))
        for j, t in enumerate(tb):
            if j not in used_b:
                detail.append(("unmatched", 1, t.text))
    return min(1.0, max(0.0, round(score, 6)))


# reasons of :func:`_pair_evidence` for two different Vietnamese syllables
_VN_DIFFERENT = frozenset({
    "different Vietnamese syllables", "different letters or family name once diacritics are read",
})


# ``marks`` of a pair in which one name drops the marks of its family name
# while it carries others (:func:`_family_marks_dropped`)
MARKS_PARTLY = "partly"


def _family_marks_dropped(tokens: tuple[Token, ...], other: tuple[Token, ...]) -> bool:
    """True when ``tokens`` types a family name in plain letters (Nguyen, Tran)
    that ``other`` writes with a vowel-quality mark (Nguyễn, Trần): a name
    typed so drops marks, and its other plain syllables may have lost theirs
    too (Thuy for Thùy). A tone alone does not count (Le for Lê does, Ly for
    Lý does not: a level tone is a tone)."""
    plain = {t.text for t in tokens if t.script == LATIN and t.mono and t.surface.isascii() and t.text in FAMILY_NAMES}
    return bool(plain) and any(t.vn and not t.vn[:-1].isascii() and t.text in plain for t in other)


def _vn_extra(position: int, tok: Token, length: int) -> float:
    """What a Vietnamese word without a partner costs beyond its own 1.0."""
    if tok.weight == COMMON_WEIGHT:
        return 0.0
    if tok.weight == MARKER_WEIGHT or 0 < position < length - 1:
        return VN_EXTRA_MIDDLE
    return VN_EXTRA_WORD


def _align(
    ta: tuple[Token, ...], tb: tuple[Token, ...], vn_pair: bool, marks: bool | str, with_joins: bool,
    unmarked: bool = False, vn_sides: tuple[bool, bool] = (False, False),
) -> tuple[float, list[tuple[tuple[int, ...], tuple[int, ...], float, str]]]:
    """Best one-to-one pairing of the words of two names (``with_joins``: also
    of two adjacent words written as one against one word). ``vn_sides``: per
    name, whether it is Vietnamese-style (:attr:`ParsedName.vn_like`): its
    syllables joined to meet a Lao or Khmer word must have that word's
    consonants (transcriptions vary in the vowels, not in the consonants:
    វ៉ាន់ហ្សាង is Văn Giang, not Văn Hoàng)."""
    ua, ub = _units(ta, with_joins), _units(tb, with_joins)
    # a Latin name is read as Vietnamese against Lao or Khmer script when it is
    # Vietnamese-style or typed with any Vietnamese mark (Hoài Thanh: Thanh too)
    vn_names = vn_pair or any(not t.surface.isascii() for t in ta + tb if t.script == LATIN)
    # Per unit, once (not per pair; issue 19): its weight (summed as the pair's
    # weight was, so the same float), whether it is one word, and for one word
    # of one letter whether it is inside the name (a middle initial).
    last_a, last_b = len(ta) - 1, len(tb) - 1
    units_b = [
        (b, ib, len(ib) == 1, _unit_weight(tb, ib), len(b.text) == 1, 0 < ib[0] < last_b)
        for b, ib in ub
    ]
    cands = []
    for a, ia in ua:
        single_a = len(ia) == 1
        weight_a = _unit_weight(ta, ia)
        initial_a = len(a.text) == 1
        inside_a = 0 < ia[0] < last_a
        for b, ib, single_b, weight_b, initial_b, inside_b in units_b:
            if not single_a and not single_b:
                continue
            ev, reason = _pair_evidence(
                a, b, vn_pair and single_a and single_b, marks, unmarked, vn_names=vn_names,
            )
            if single_a and single_b:
                if (initial_a or initial_b) and ev < 1.0:
                    if _same_initial_across_scripts(a, b):
                        ev, reason = 1.0, "the same initial in Latin and Lao script"
                    elif ev < INITIAL_EVIDENCE and _initial_of(a, b) and (inside_a if initial_a else inside_b):
                        ev, reason = INITIAL_EVIDENCE, "a middle initial and a word opening with it"
            else:
                ev, reason = _joined_pair_evidence(ta, tb, a, ia, b, ib, ev, reason, vn_sides)
            if ev > 0.0:
                cands.append((ev * (weight_a + weight_b), ev, len(ia) + len(ib), ia, ib, reason))
    # best evidence first; on ties prefer single words, then earlier positions
    cands.sort(key=lambda c: (-c[1], c[2], c[3], c[4]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = 0.0
    pairs = []
    for value, ev, _, ia, ib, reason in cands:
        if used_a.intersection(ia) or used_b.intersection(ib):
            continue
        used_a.update(ia)
        used_b.update(ib)
        matched += value
        pairs.append((ia, ib, ev, reason))
    return matched, pairs


def _unit_weight(tokens: tuple[Token, ...], idx: tuple[int, ...]) -> float:
    """``sum(tokens[i].weight for i in idx)`` for one word or two (the same float:
    0 + w is w)."""
    return tokens[idx[0]].weight if len(idx) == 1 else tokens[idx[0]].weight + tokens[idx[1]].weight


def _joined_pair_evidence(
    ta: tuple[Token, ...], tb: tuple[Token, ...], a: Token, ia: tuple[int, ...], b: Token, ib: tuple[int, ...],
    ev: float, reason: str, vn_sides: tuple[bool, bool],
) -> tuple[float, str]:
    """:func:`_align`'s rules for two adjacent words written as one (``ia`` or
    ``ib`` of two words) against one word, applied to the pair's evidence."""
    if ev > ONE_SYLLABLE_APART and (
        not (_syllable_counts(a) & _syllable_counts(b))
        or (len(ia) > 1 and b.mono) or (len(ib) > 1 and a.mono)
    ):
        # words written as one must have the syllables of the word they
        # meet: van+yang is not vanyangou (a syllable more is another name),
        # and two words are never one word of one syllable (Ha+Anh is not
        # Hanh, though the join's spelling merges their vowels)
        ev, reason = ONE_SYLLABLE_APART, "joined words with a syllable more or less"
    if ev > ONE_SYLLABLE_APART and (
        (len(ia) > 1 and vn_sides[0] and b.script != LATIN
         and _consonants(ta, ia) != b.skel.translate(_DROP_VOWELS))
        or (len(ib) > 1 and vn_sides[1] and a.script != LATIN
            and _consonants(tb, ib) != a.skel.translate(_DROP_VOWELS))
    ):
        ev, reason = ONE_SYLLABLE_APART, "Vietnamese syllables with other consonants"
    if ev > ONE_SYLLABLE_APART and (
        (len(ia) > 1 and _vn_syllable_apart(ta, ia, b))
        or (len(ib) > 1 and _vn_syllable_apart(tb, ib, a))
    ):
        ev, reason = ONE_SYLLABLE_APART, "a Vietnamese syllable unlike its Lao or Khmer one"
    return ev, reason


def _vn_syllable_apart(tokens: tuple[Token, ...], idx: tuple[int, ...], word: Token) -> bool:
    """True when the words ``idx`` are Vietnamese syllables that meet a Lao or
    Khmer word of as many syllables (a Vietnamese name written glued), and one
    of them has the medial glide o/u (Hoàng, Thúy, Xuân) that its syllable
    there does not write: Lao and Khmer write the glide (ຮວາງ, ហ្វាង), so
    ហាំង is Hằng or Hàng, not Hoàng (ធូហាំង is Thu Hằng, not Thư Hoàng;
    issue #13). Linear in the words."""
    if word.script not in (LAO, KHMER) or word.mono:
        return False
    parts = [tokens[i] for i in idx]
    if not all(t.script == LATIN and t.mono for t in parts):
        return False
    sylls = split_native((word,))
    if len(sylls) != len(parts):
        return False
    # a syllable typed without marks (HOANG) counts only for oa and uy, which
    # Lao and Khmer romanisations do not write (they write oe, ou: Thoeun)
    return any(
        (_VN_GLIDE if lat.vn else _VN_GLIDE_BARE).match(lat.text) is not None
        and not _GLIDE_WRITTEN.search(syl.key)
        for lat, syl in zip(parts, sylls, strict=True)
    )


# a Vietnamese syllable (folded letters) with the medial glide: o before a/e,
# u before y/a/e/o (not after q or g, where u is part of the onset)
_VN_GLIDE = re.compile(r"^(?![qg])[^aeiouy]*(?:o[ae]|u[yaeo])")
_VN_GLIDE_BARE = re.compile(r"^(?![qg])[^aeiouy]*(?:oa|uy)")
# a Lao or Khmer syllable's key that writes a glide: a u or o vowel, or v/f
# (ហ្វាង); not w, the central vowel (ឿ is ươ: ហឿង is Hương, not Hoàng)
_GLIDE_WRITTEN = re.compile(r"[ouvf]")


def _consonants(tokens: tuple[Token, ...], idx: tuple[int, ...]) -> str:
    """The consonants of the words ``idx``, each word's own (a join's spelling
    can make a digraph across the boundary: Văn Hoàng, "vanhoang")."""
    return "".join(tokens[i].skel.translate(_DROP_VOWELS) for i in idx)


# Evidence of a capital initial against a Latin word opening with its letter
# (``Haing S. Ngor`` / ``Haing Somnang Ngor``): the word is one of many names so
# opening, so a name with it stays below a full spelling of that name.
INITIAL_EVIDENCE = 0.85


def _initial_of(a: Token, b: Token) -> float:
    """:data:`INITIAL_EVIDENCE` when one of two words is a Latin capital letter
    alone (``S.``) and the other a longer word whose reading opens with that
    letter (in Latin, or Lao or Khmer script: ``សំណាង`` somnang); 0.0
    otherwise. The caller takes it only for an initial inside a name (a middle
    initial), never for a first or last word (``S. Ngor`` stays apart from
    ``Somnang Ngor``: an initial with a family name fits too many people)."""
    short, long_ = (a, b) if len(a.text) == 1 else (b, a)
    if short.script != "latin" or len(short.text) != 1 or len(long_.text) < 2 or not short.surface.isupper():
        return 0.0
    return INITIAL_EVIDENCE if long_.text[0] == short.text else 0.0


def _same_initial_across_scripts(a: Token, b: Token) -> bool:
    """A Latin capital initial (``S.``) and a Lao initial, a lone consonant
    (``ສ.``, also read by its letter name so), whose keys open with one letter:
    both are the initial of one word (tenth round)."""
    lat, lao_ = (a, b) if a.script == LATIN else (b, a)
    return (
        len(lat.text) == 1 and lat.script == LATIN and lao_.script == LAO and lat.surface.isupper()
        and len(lao_.surface) == 1 and bool(lao_.key) and lao_.key[:1] == phonetic_key(lat.text + "o")[:1]
    )


def _pair_evidence(
    a: Token, b: Token, vn_syllables: bool, marks: bool | str, unmarked: bool = False,
    vn_names: bool = True,
) -> tuple[float, str]:
    """Evidence that two aligned parts are the same word, and why.

    ``marks``: both names were typed with Vietnamese diacritics, so a syllable
    without marks (An) is a different syllable from one with marks (Ân).
    ``unmarked``: the Latin name has no letter with a mark at all, so its a, o,
    u may be â, ơ, ư (:func:`_unmarked_central_vowel`). ``vn_names``: the
    names are a Vietnamese-style Latin name and one of one-syllable words, or
    the Latin name is typed with Vietnamese marks; only then, or for a
    syllable typed with them, is a Latin syllable
    read as Vietnamese against Lao or Khmer script (Dong is យង់ only in a
    Vietnamese name: Dong Pov is not the Khmer យង់ ពៅ).
    """
    sim = token_similarity(a, b)
    if sim < 1.0 and (vn_names or a.vn or b.vn) and same_vietnamese_syllable_across_scripts(a, b):
        return 1.0, "same sound (Vietnamese in Lao or Khmer script)"
    if sim < 1.0 and vn_syllables and unmarked and _unmarked_central_vowel(a, b):
        return 1.0, "a vowel typed without its mark, written in Lao as the central vowel"
    ev = evidence(sim)
    if ev <= 0.0:
        return 0.0, ""
    if sim >= 1.0:
        reason = "same spelling" if a.text == b.text else "same sound"
    else:
        reason = "similar sound"
    if vn_syllables and a.mono and b.mono:
        # Latin on both sides: the folded spelling must agree (An/Anh); a Lao or
        # Khmer transcription is not Vietnamese spelling, so its key must agree.
        both_latin = a.script == b.script == "latin"
        if (a.text != b.text) if both_latin else (a.key != b.key):
            return ev * VN_SYLLABLE_MISMATCH, "different Vietnamese syllables"
        if marks and (a.vn or a.text + "1") != (b.vn or b.text + "1") and not (
            marks == MARKS_PARTLY and (a.surface.isascii() or b.surface.isascii())
        ):
            if a.vn and b.vn and (a.vn[:-1] != b.vn[:-1] or a.text in FAMILY_NAMES):
                # letters apart (Đường/Dương), or a family name's tone (Lê/Lễ):
                # another syllable, not a typing slip
                return ev * VN_LETTER_MISMATCH, "different letters or family name once diacritics are read"
            return ev * VN_DIACRITIC_MISMATCH, "same letters, different diacritics"
    return ev, reason


_ONE_VOWEL = re.compile(r"[^aeiouy]*([aeiouy])[^aeiouy]*")
# a, o, u typed without marks may stand for â, ơ, ư: the central vowels
_CENTRAL = {"a": "â", "o": "ơ", "u": "ư"}


def _unmarked_central_vowel(a: Token, b: Token) -> bool:
    """A one-syllable Vietnamese word typed without marks whose single vowel
    a, o or u is, read as â, ơ or ư, the central vowel of a one-syllable Lao
    word (Son typed for Sơn, Lao ເຊິນ; Tam for Tâm, ເຕິມ). Lao writes those
    vowels ເ-ິ or -ຶ, which it uses little in its own names; Khmer ឺ ើ are
    common in Khmer names (Son Sen against សឺន សែន), so not Khmer. Called only
    between two Vietnamese-style names (``vn_syllables``) when the Latin one
    has no mark at all (in Tô Lam, Lam is a plain a)."""
    lat, nat = (a, b) if a.script == LATIN else (b, a)
    if lat.script != LATIN or nat.script != LAO or not nat.mono or "w" not in nat.key:
        return False
    if lat.vn or not lat.surface.isascii():
        return False  # typed with marks (or in a name typed with them): the vowel is known
    m = _ONE_VOWEL.fullmatch(lat.text)
    if m is None or m.group(1) not in _CENTRAL:
        return False
    k = m.start(1)
    letters = lat.text[:k] + _CENTRAL[m.group(1)] + lat.text[k + 1:]
    return nasal_final_as_n(nat.key) == vietnamese_cross_key(letters)


def _leading_name(
    ta: tuple[Token, ...], tb: tuple[Token, ...],
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float, str]],
) -> float:
    """:data:`LEADING_NAME` times the mean evidence when the shorter name (two
    or more words) is, word for word and in order, the start of the longer one.

    Only a leading part counts: the same words at the end (Hun Sen / Bun Rany
    Hun Sen) or spread out (Norodom Sihanouk / Norodom Monineath Sihanouk) are
    how relatives' names differ. And only a leading name whose words all have
    keys of :data:`LEADING_NAME_MIN_KEY` letters or more (not Keo An / Keo An
    Dara), followed by two words or more or by one of two syllables or more
    (not Hing Boun / Hing Bun Heang: Heang is the rest of a given name).
    """
    n = min(len(ta), len(tb))
    if n < 2 or len(ta) == len(tb) or len(pairs) != n:
        return 0.0
    rest = (ta if len(ta) > len(tb) else tb)[n:]
    if len(rest) == 1 and _syllable_count(rest[0].key) < 2:
        return 0.0
    if sorted((p[0], p[1]) for p in pairs) != [((k,), (k,)) for k in range(n)]:
        return 0.0
    evs = [p[2] for p in pairs]
    if min(evs) < LEADING_NAME_MIN_EVIDENCE:
        return 0.0
    shorter = ta if len(ta) < len(tb) else tb
    if min(len(t.key) for t in shorter) < LEADING_NAME_MIN_KEY:
        return 0.0
    return LEADING_NAME * sum(evs) / n


# Vietnamese courtesy forms (ông, bà, anh, chị ...): a person's name follows
# them, and may be a wife's name before her husband's (Bà Bun Ra-ny Hun Xen).
_VN_COURTESY = frozenset({"ong", "ba", "anh", "chi", "co", "bac", "cu", "ngai", "em", "chu", "di", "thim"})
# Vietnamese academic and professional titles written short (GS. toán học ...)
_VN_TITLE_ABBREVIATIONS = frozenset({"gs", "pgs", "ts", "ths", "tskh", "bs", "ks", "ls", "ncs", "cn"})


def _vietnamese_office(p: ParsedName) -> bool:
    """The name had a Vietnamese office or degree dropped before it (Bộ
    trưởng, Tỉnh trưởng, Chủ tịch, GS., PGS. TS.): a title typed with
    Vietnamese marks that is not a courtesy form (ông, bà), or a Vietnamese
    title abbreviation. Such a title is followed by what it is of (a ministry,
    a province, a field: Tài nguyên và Môi trường, toán học) before the name,
    so the words that open the rest are not a name (issue #13: "Bộ trưởng Tài
    nguyên và Môi trường Xổm-mạt Phôn-xể-na" is not Tai Nguyen)."""
    for title in p.titles:
        folded = fold_latin(title).lower().strip(".")
        if folded in _VN_TITLE_ABBREVIATIONS:
            return True
        if not title.isascii() and _typed_vietnamese(title) and folded not in _VN_COURTESY:
            return True
    return False


# marks only Vietnamese puts on Latin letters among the languages names here
# come in: hook above, dot below, horn, breve (French has é, è, â, ê, ô)
_VN_ONLY_MARKS = frozenset("\u0309\u0323\u031b\u0306")


def _typed_vietnamese(word: str) -> bool:
    """A word with a letter only Vietnamese writes: đ, a hook above, a dot
    below, a horn, a breve, or two marks on one vowel (ố, ầ)."""
    if "đ" in word.lower():
        return True
    marks = 0
    for c in unicodedata.normalize("NFD", word):
        if not unicodedata.combining(c):
            marks = 0
            continue
        marks += 1
        if c in _VN_ONLY_MARKS or marks > 1:
            return True
    return False


def _given_names_only(
    short: ParsedName, used_short: set[int], long_: tuple[Token, ...], used_long: set[int],
) -> bool:
    """True when ``short`` is a Latin name of two or more Vietnamese syllables
    (:attr:`ParsedName.vn_mono`) not opening with a Vietnamese family name
    (given names only: not Đặng Thái Sơn after a left-over title word), every word
    of it paired, and ``long_`` (also in Latin letters: a Lao or Khmer word
    read one syllable at a time is not a name's words) is
    those words after one word more that found no partner: the given names of
    a Vietnamese name against a name that adds a family name. That family
    name costs :data:`FAMILY_NAME_MISSING` as a known one does in a Vietnamese
    pair, also when it is not a Vietnamese syllable and the pair is not read
    as Vietnamese (Ngoc Truong Son / H'Hen Ngọc Trường Sơn; issue #13, h13nd)."""
    n = len(short.tokens)
    return (
        n >= 2 and short.vn_mono and not short.split and len(long_) == n + 1
        and len(used_short) == n and used_long == set(range(1, n + 1))
        and all(t.script == LATIN for t in short.tokens + long_) and short.tokens[0].weight != COMMON_WEIGHT
    )


def _marked_vietnamese(p: ParsedName) -> bool:
    """True for a Latin name of two or more Vietnamese syllables
    (:attr:`ParsedName.vn_mono`, every word in Latin) with a letter carrying a
    mark (Vietnamese or French: Lâm, Trường, Phuc typed Phúc): a Vietnamese
    name, not a romanised Lao or Khmer one, which these names rarely mark."""
    return p.vn_mono and all(t.script == LATIN for t in p.tokens) and any(
        not t.surface.isascii() for t in p.tokens
    )


def _mixed_script(tokens: tuple[Token, ...], used: set[int]) -> bool:
    """Words in Latin and words in Lao or Khmer script among the paired words
    (``used``) of one name."""
    scripts = {tokens[i].script for i in used}
    return LATIN in scripts and bool(scripts & {LAO, KHMER})


def _in_native_script(tokens: tuple[Token, ...]) -> bool:
    """Every word in Lao or Khmer script (titles already dropped)."""
    return all(t.script in (LAO, KHMER) for t in tokens)


def _is_rotation(order: list[int]) -> bool:
    n = len(order)
    s = sorted(order)
    return any(order == s[k:] + s[:k] for k in range(n))


def _contiguous(idx: list[int]) -> bool:
    return not idx or idx[-1] - idx[0] == len(idx) - 1
