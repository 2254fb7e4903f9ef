"""Lao script to Latin, syllable by syllable.

Lao writes some vowels before the consonant they follow in speech (ເ ແ ໂ ໄ ໃ),
some above or below it, some after it, and leaves an inherent vowel unwritten in
closed syllables. Storage order is therefore not reading order: ``ວິໄລ`` is
stored v-i-ai-l and read "vi-lai". The parser below rebuilds each syllable
(pre-posed vowel, initial or ຫ-cluster, vowel signs, final consonant) and writes
it in the French-style spelling Lao names use in passports (``ou``, ``x`` for
ຊ, ``ph``, ``kh``); :mod:`borderlink.names.keys` then folds the variants
(``u``/``ou``, ``x``/``s``, ``-ne``/``-n``, ``ph``/``f``).

Tone marks are ignored. Nothing here raises: unknown characters are skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache

INITIAL = {
    "ກ": "k", "ຂ": "kh", "ຄ": "kh", "ງ": "ng", "ຈ": "ch", "ສ": "s", "ຊ": "x",
    "ຍ": "ny", "ດ": "d", "ຕ": "t", "ຖ": "th", "ທ": "th", "ນ": "n", "ບ": "b",
    "ປ": "p", "ຜ": "ph", "ຝ": "f", "ພ": "ph", "ຟ": "f", "ມ": "m", "ຢ": "y",
    "ຣ": "r", "ລ": "l", "ວ": "v", "ຫ": "h", "ອ": "", "ຮ": "h",
    # Pali/Sanskrit letters of the extended alphabet
    "ຆ": "kh", "ຉ": "ch", "ຌ": "ch", "ຎ": "ny", "ຏ": "d", "ຐ": "th", "ຑ": "th",
    "ຒ": "th", "ຓ": "n", "ຘ": "th", "ຠ": "ph", "ຨ": "s", "ຩ": "s", "ຬ": "l",
}
FINAL = {"ກ": "k", "ງ": "ng", "ດ": "t", "ນ": "n", "ບ": "p", "ມ": "m", "ຍ": "y", "ວ": "o"}
# Pali and Sanskrit spellings close a syllable with letters modern Lao does not use
# as finals; each is read as the final of its class (ມະຫາຣາຊ maharat, ວິເສສ
# viset, ສຸພັຕ suphat). Only where nothing else can follow: at the end of a word, or
# before the same letter doubled (ອັຕຕະ at-ta, Atta).
PALI_FINAL = {
    "ຈ": "t", "ສ": "t", "ຊ": "t", "ຕ": "t", "ຖ": "t", "ທ": "t", "ຘ": "t", "ຍ": "y",
    "ຏ": "t", "ຐ": "t", "ຑ": "t", "ຒ": "t", "ຨ": "t", "ຩ": "t",
    "ປ": "p", "ຜ": "p", "ພ": "p", "ຟ": "p", "ຠ": "p", "ຂ": "k", "ຄ": "k", "ຆ": "k",
    "ລ": "n", "ຣ": "n", "ຬ": "n", "ຓ": "n",
}
# Sonorants that ຫ turns into a high-class cluster and that it does not pronounce.
HO_CLUSTER = set("ງຍນມລວຣ")
PRE_VOWELS = set("ເແໂໄໃ")
ABOVE_BELOW = set("\u0eb1\u0eb4\u0eb5\u0eb6\u0eb7\u0eb8\u0eb9\u0ebb\u0ecd")
TONES = set("\u0ec8\u0ec9\u0eca\u0ecb")
# Characters after a consonant that make it the start of a syllable, not a final.
ATTACHES = ABOVE_BELOW | TONES | set("\u0eb0\u0eb2\u0eb3\u0ebd\u0ebc\u0eba")
REPEAT = "\u0ec6"
CANCEL = "\u0ecc"

SHORT_I, LONG_I = "\u0eb4", "\u0eb5"
SHORT_UE, LONG_UE = "\u0eb6", "\u0eb7"
SHORT_U, LONG_U = "\u0eb8", "\u0eb9"
MAI_KAN, MAI_KON, NIKHAHIT = "\u0eb1", "\u0ebb", "\u0ecd"
SARA_A, SARA_AA, SARA_AM, SEMI_IA = "\u0eb0", "\u0eb2", "\u0eb3", "\u0ebd"
O_CARRIER, WO, NYO, LO_SUB = "ອ", "ວ", "ຍ", "\u0ebc"
# ອ too: a Vietnamese syllable without an initial consonant (Oanh ອວາງ, Oa ອວາ)
_GLIDE_ONSETS = frozenset("ກຂຄຊສຕທຖຈຮລດອ")


def is_lao_consonant(ch: str) -> bool:
    return ch in INITIAL


@lru_cache(maxsize=50_000)
def romanize_syllables(token: str) -> tuple[str, ...]:
    """Latin syllables of a Lao token, in reading order.

    ``"ວິໄລ"`` gives ``("vi", "lai")``; ``"ຫລ້າຄຳຟອງ"`` gives
    ``("la", "kham", "fong")``. Empty when the token holds no Lao letters.
    """
    parser = _Parser(token)
    return tuple(s for s in parser.run() if s)


@lru_cache(maxsize=20_000)
def romanize_vietnamese_syllables(token: str) -> tuple[str, ...]:
    """Latin syllables of a Lao token read as a Vietnamese name written in Lao
    script without spaces (ໂງກວາງຊວັນ Ngô Quang Xuân): a consonant, ວ and a
    vowel are one syllable's initial and glide (ກວາງ Quang, ຊວັນ Xuân), and a
    consonant before them starts that syllable rather than closing an open one
    (ໂງ-ກວາງ, not ໂງກ-ວາງ)."""
    parser = _Parser(token, vietnamese=True)
    return tuple(s for s in parser.run() if s)


# Stops that Pali and Sanskrit spellings write with ຣ as a cluster (ພຣະ, ປຣະ, ຕຣີ):
# modern Lao does not pronounce the ຣ, names in Latin letters often keep it
# (Phra, Kouprasith, Tri).
_R_CLUSTER_STOPS = frozenset("ກຂຄຕທຖປຜພບດ")
# A consonant, with ິ or ຸ, under the cancel mark ໌: not pronounced (ສິທທິ໌ sit).
_CANCELLED = re.compile("[\u0e81-\u0eae][\u0eb4\u0eb8]?\u0ecc")
MAX_READINGS = 6


@lru_cache(maxsize=50_000)
def latin_readings(token: str) -> tuple[str, ...]:
    """Other Latin spellings in use of a Lao word of Pali or Sanskrit spelling,
    besides :func:`romanize_syllables` (joined): its ຣ after a stop read as a
    cluster (ກຸປຣະສິດ Kouprasit, not Kouparasit), and a letter under the
    cancel mark ໌ left out (ສິທທິ໌ sit; Latin spellings write it either way).
    A lone consonant is an initial (ສ. ແສງສິຣິວັນ), also read as the letter's
    name, the consonant with ໍ (ສໍ so, ກໍ ko: Kor Keokampha). At most
    :data:`MAX_READINGS`; empty when the word has none of these (tenth
    round)."""
    if len(token) == 1 and token in INITIAL and INITIAL[token]:
        return (INITIAL[token] + "o",)
    if CANCEL not in token and "ຣ" not in token:
        return ()
    primary = "".join(romanize_syllables(token))
    bare = _CANCELLED.sub("", token)
    out: list[str] = []
    for form in dict.fromkeys((token, bare)):
        if not form:
            continue
        for clusters in (False, True, None):
            # None: the ຣ of the cluster not pronounced, as modern Lao reads
            # and spells it (ພຣະ as ພະ pha: Phasith; twelfth round)
            parser = _Parser(form, r_clusters=clusters is not False, r_silent=clusters is None)
            reading = "".join(x for x in parser.run() if x)
            if reading and reading != primary and reading not in out:
                out.append(reading)
    return tuple(out[:MAX_READINGS])


def romanize(text: str) -> str:
    """Romanise every Lao word of ``text``, keeping other characters as they are."""
    out: list[str] = []
    for word in text.split():
        if any("\u0e80" <= c <= "\u0eff" for c in word):
            out.append("".join(romanize_syllables(word)).capitalize())
        else:
            out.append(word)
    return " ".join(out)


class _Parser:
    def __init__(
        self, token: str, vietnamese: bool = False, r_clusters: bool = False, r_silent: bool = False,
    ) -> None:
        self.r_clusters = r_clusters
        self.r_silent = r_silent
        self.s = token
        self.i = 0
        self.out: list[str] = []
        self.vietnamese = vietnamese
        self.pre = ""

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def run(self) -> list[str]:
        while self.i < len(self.s):
            ch = self.peek()
            if ch == REPEAT:
                if self.out:
                    self.out.append(self.out[-1])
                self.i += 1
            elif ch in INITIAL and self.peek(1) == CANCEL:
                # ໌ (the cancellation mark) silences the letter it is written on:
                # ວົງສ໌ is vong, not vongsa
                self.i += 2
            elif ch in PRE_VOWELS or ch in INITIAL:
                self.out.append(self.syllable())
            elif ch == SARA_AM:
                self.out.append("am")
                self.i += 1
            else:
                self.i += 1  # stray sign, digit or unknown: skip
        return self.out

    def syllable(self) -> str:
        pre = ""
        if self.peek() in PRE_VOWELS:
            pre = self.peek()
            self.i += 1
        self.pre = pre
        initial = self.initial()
        marks: set[str] = set()
        while self.peek() in ABOVE_BELOW or self.peek() in TONES or self.peek() == "\u0eba":
            marks.add(self.peek())
            self.i += 1
        vowel, closable = self.vowel(pre, marks)
        final = ""
        if closable and not (
            self.vietnamese and MAI_KAN not in marks and MAI_KON not in marks and self._glide_cluster(0)
        ):
            final = self.final()
        if self.peek() == CANCEL:
            self.i += 1
            final = ""
        return initial + vowel + final

    def initial(self) -> str:
        ch = self.peek()
        if ch not in INITIAL:
            return ""
        self.i += 1
        nxt = self.peek()
        if ch == "ຫ" and nxt in HO_CLUSTER and not (self.pre and nxt == WO and self.peek(1) == SEMI_IA):
            # ຫລ, ຫນ, ຫມ, ຫວ ...: the ຫ only sets the tone class.
            self.i += 1
            sound = INITIAL[nxt]
            if self.peek() == LO_SUB:
                self.i += 1
                sound += "l"
            if nxt != WO and not self.pre and self.peek() == WO and self.peek(1) == SEMI_IA:
                self.i += 1
                sound += "u"  # ວ before ຽ is a glide: ຫງວຽນ nguien (Nguyễn)
            return sound
        sound = INITIAL[ch]
        if self.r_clusters and ch in _R_CLUSTER_STOPS and nxt == "ຣ" and self._attached(0):
            self.i += 1
            # ພຣະ phra, ປຣະ pra (see latin_readings); with r_silent pha, pa
            return sound if self.r_silent else sound + "r"
        if nxt == LO_SUB:
            self.i += 1
            return "l" if ch == "ຫ" else sound + "l"
        if ch in "ກຂຄ" and nxt == WO and self.peek(1) in (SARA_AA, MAI_KAN, SEMI_IA):
            self.i += 1
            return sound + "ou"
        if self.vietnamese and not self.pre and self._glide_cluster(-1):
            # (not after a pre-posed vowel: ເລວັນ is ເລ + ວັນ, Lê Văn, not "luen")
            self.i += self._glide_length(-1)
            return sound + "u"  # ຊວັນ xuan (Xuân), ຕວັນ tuan, ຮ່ວາງ huang (Hoàng)
        if nxt == WO and self.peek(1) == SEMI_IA and not self.pre:
            # (not after a pre-posed vowel, which is the syllable's vowel: ໄລວຽງ
            # is ໄລ + ວຽງ, Lai-vieng, and ເລວຽນ ເລ + ວຽນ)
            self.i += 1
            return sound + "u"  # ວ before ຽ is a glide: ຫງວຽນ nguien (Nguyễn)
        return sound

    def vowel(self, pre: str, marks: set[str]) -> tuple[str, bool]:
        """Consume the vowel after the initial; return (vowel, may take a final)."""
        nxt = self.peek()
        if pre == "ເ":
            if SHORT_UE in marks or LONG_UE in marks:
                if nxt == O_CARRIER:
                    self.i += 1
                return "eua", True  # ເືອ: the central vowel's diphthong (Vietnamese ươ: ເທືອງ Thưởng)
            if MAI_KON in marks and nxt == SARA_AA:
                self.i += 1
                return "ao", False
            if nxt == SARA_AA:
                self.i += 1
                if self.peek() == SARA_A:
                    self.i += 1
                    return "o", False
                return "ao", False
            if SHORT_I in marks or LONG_I in marks:
                return "eu", True
            if nxt == NYO and not self._attached(0):
                self.i += 1
                return "ia", True
            if nxt == SARA_A:
                self.i += 1
                return "e", False
            return "e", True
        if pre == "ແ":
            if nxt == SARA_A:
                self.i += 1
                return "ae", False
            return "ae", True
        if pre == "ໂ":
            if nxt == SARA_A:
                self.i += 1
                return "o", False
            return "o", True
        if pre in ("ໄ", "ໃ"):
            return "ai", False
        # no pre-posed vowel
        if SHORT_I in marks or LONG_I in marks:
            return "i", True
        if SHORT_UE in marks or LONG_UE in marks:
            if nxt == O_CARRIER:
                self.i += 1
            return "eu", True
        if SHORT_U in marks or LONG_U in marks:
            return "ou", True
        if MAI_KON in marks:
            if nxt == WO:
                self.i += 1
                return "oua", True
            return "o", True
        if MAI_KAN in marks:
            if nxt == WO and not self._attached(0) and self.peek(1) in FINAL:
                self.i += 1
                return "oua", True
            return "a", True
        if NIKHAHIT in marks:
            return "o", False
        if nxt == SARA_AM:
            self.i += 1
            return "am", False
        if nxt == SARA_A:
            self.i += 1
            return "a", False
        if nxt == SARA_AA:
            self.i += 1
            return "a", True
        if nxt == SEMI_IA:
            self.i += 1
            return "ie", True
        if nxt == O_CARRIER and not self._attached(0):
            self.i += 1
            return "o", True
        if nxt == WO and not self._attached(0) and self.peek(1) in FINAL:
            self.i += 1
            return "oua", True
        # Unwritten vowel: "o" before a final consonant, "a" in an open syllable.
        if nxt in FINAL and not self._attached(0) and self.peek(1) not in (O_CARRIER,):
            return "o", True
        return "a", False

    def _glide_cluster(self, k: int) -> bool:
        """True when the character k ahead is a consonant that begins the
        Vietnamese glide clusters (qu, xu, tu, thu, hu, lu, đu ...) followed by
        ວ and the vowel າ or ັ (ກວາງ, ຊວັນ). Not ນ ມ ບ ຍ ງ: they close
        syllables before ວັນ Văn (ຟານວັນ Phan Văn), and Vietnamese has no such
        cluster."""
        return self._glide_length(k) > 0

    def _glide_length(self, k: int) -> int:
        """How many characters from k + 1 the glide of :meth:`_glide_cluster`
        takes: ວ before າ or ັ (ກວາງ Quang), and ວ before ຽ with a tone mark
        written on the consonant or on ວ (ຮວ່ຽນ Huyền, not ຮ + ວ່ຽນ: machine-made
        Lao spellings of Vietnamese names write uyê so), also with a tone mark
        on ວ before າ (ຮວ່າຍ Hoài); 0 when there is no such
        glide. (A tone mark before ວາ was tried: ຮ່ວາງ read Hoàng matched a
        distractor Hoàng for a Hùng the page had transcribed so.)"""
        if self.peek(k) not in _GLIDE_ONSETS:
            return 0
        j = k + 1
        tone_before = self.peek(j) in TONES
        if tone_before:
            j += 1
        if self.peek(j) != WO:
            return 0
        tone_after = self.peek(j + 1) in TONES
        vowel = self.peek(j + 2 if tone_after else j + 1)
        if vowel in (SARA_AA, MAI_KAN) and not tone_before:
            # a tone mark on ວ is where Lao writes a cluster's tone (on its
            # last consonant: ຮວ່າຍ Hoài; ninth round)
            return j - k
        if vowel == SEMI_IA and (tone_before or tone_after):
            return j - k  # a tone mark after ວ is read with the vowel signs
        return 0

    def _attached(self, k: int) -> bool:
        """True when the character k ahead is bound to the one before it."""
        return self.peek(k + 1) in ATTACHES if self.peek(k) else False

    def final(self) -> str:
        ch = self.peek()
        if ch not in FINAL:
            after = self.peek(1)
            if ch in PALI_FINAL and (after == "" or (after == ch and not self._attached(0))):
                self.i += 1
                return PALI_FINAL[ch]
            return ""
        after = self.peek(1)
        if after in ATTACHES:
            return ""
        # A consonant followed by ອ/ວ acting as a vowel begins the next syllable.
        if after == O_CARRIER and self.peek(2) in FINAL and self.peek(3) not in ATTACHES:
            return ""
        self.i += 1
        return FINAL[ch]
