"""Khmer script to Latin, syllable by syllable.

Khmer consonants belong to two series; the same vowel sign reads differently
after each (``ុ`` is "o" after a first-series letter, "u" after a
second-series one). The signs ``៉`` and ``៊`` move a consonant to the other
series (``ហ៊ុន`` reads "hun"). A subscript (coeng, ``្``) stacks a consonant
under another: at the start of a syllable it forms a cluster (``ក្រ`` "kr",
``ហ្វ`` "f"), after a vowel it closes the syllable and opens the next
(``នរោត្តម`` "no-rot-tam"). Subscript ``ត`` and ``ដ`` are the same letter in
practice; :func:`borderlink.names.normalise.clean` unifies them.

The output follows the spellings Khmer names actually use in Latin documents
(``ea`` for ``ា`` after the second series as in Chea, ``ae`` for ``ែ`` as
in Saen/Sen, ``ou``, ``ch``, ``nh``), not a strict transliteration.
"""

from __future__ import annotations

from functools import lru_cache

from .normalise import clean

# consonant: (series 1|2, initial, final)
CONSONANTS = {
    "ក": (1, "k", "k"), "ខ": (1, "kh", "k"), "គ": (2, "k", "k"), "ឃ": (2, "kh", "k"),
    "ង": (2, "ng", "ng"), "ច": (1, "ch", "ch"), "ឆ": (1, "chh", "ch"), "ជ": (2, "ch", "ch"),
    "ឈ": (2, "chh", "ch"), "ញ": (2, "nh", "nh"), "ដ": (1, "d", "t"), "ឋ": (1, "th", "t"),
    "ឌ": (2, "d", "t"), "ឍ": (2, "th", "t"), "ណ": (1, "n", "n"), "ត": (1, "t", "t"),
    "ថ": (1, "th", "t"), "ទ": (2, "t", "t"), "ធ": (2, "th", "t"), "ន": (2, "n", "n"),
    "ប": (1, "b", "p"), "ផ": (1, "ph", "p"), "ព": (2, "p", "p"), "ភ": (2, "ph", "p"),
    "ម": (2, "m", "m"), "យ": (2, "y", "y"), "រ": (2, "r", "r"), "ល": (2, "l", "l"),
    "វ": (2, "v", "v"), "ឝ": (1, "s", "s"), "ឞ": (1, "s", "s"), "ស": (1, "s", "s"),
    "ហ": (1, "h", "h"), "ឡ": (1, "l", "l"), "អ": (1, "", ""),
}
# vowel sign: (first-series reading, second-series reading)
VOWELS = {
    "\u17b6": ("a", "ea"), "\u17b7": ("i", "i"), "\u17b8": ("ei", "i"),
    "\u17b9": ("e", "e"), "\u17ba": ("eu", "eu"), "\u17bb": ("o", "u"),
    "\u17bc": ("ou", "ou"), "\u17bd": ("uo", "uo"), "\u17be": ("aeu", "eu"),
    "\u17bf": ("oeu", "oeu"), "\u17c0": ("ea", "ea"), "\u17c1": ("e", "e"),
    "\u17c2": ("ae", "ae"), "\u17c3": ("ai", "ey"), "\u17c4": ("ao", "o"),
    "\u17c5": ("ao", "ou"),
}
INDEPENDENT = {
    "ឥ": "e", "ឦ": "ei", "ឧ": "ou", "ឨ": "ou", "ឩ": "ou", "ឪ": "ov", "ឫ": "ri",
    "ឬ": "rue", "ឭ": "lue", "ឮ": "lue", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao",
    "ឳ": "au",
}
# Other Latin spellings in use of independent vowels (ឥសាន Eysan, ឫទ្ធី Reththy)
INDEPENDENT_ALTS = {"ឥ": ("ey", "i"), "ឫ": ("re", "reu")}
COENG = "\u17d2"
NIKAHIT, REAHMUK, YUUKALEAPINTU = "\u17c6", "\u17c7", "\u17c8"
MUUSIKATOAN, TRIISAP = "\u17c9", "\u17ca"  # to first series, to second series
BANTOC, SAMYOK = "\u17cb", "\u17d0"
SILENCERS = {"\u17cd", "\u17cc", "\u17ce", "\u17cf", "\u17d1", "\u17dd"}
INHERENT = {1: ("a", "a"), 2: ("o", "o")}  # (open, closed)


@lru_cache(maxsize=50_000)
def romanize_syllables(token: str) -> tuple[str, ...]:
    """Latin syllables of a Khmer token in reading order.

    ``"ហ៊ុន"`` gives ``("hun",)``, ``"ម៉ាណែត"`` gives ``("ma", "naet")``.
    Empty when the token holds no Khmer letters.
    """
    return tuple(s for s in _Parser(token).run() if s)


def romanize(text: str) -> str:
    """Romanise every Khmer word of ``text``, keeping other characters as they are."""
    out: list[str] = []
    for word in text.split():
        if any("\u1780" <= c <= "\u17ff" for c in word):
            out.append("".join(romanize_syllables(word)).capitalize())
        else:
            out.append(word)
    return " ".join(out)


# Other spellings of a word allowed by :func:`latin_readings`, at most.
MAX_READINGS = 8


@lru_cache(maxsize=50_000)
def latin_readings(token: str) -> tuple[str, ...]:
    """Other Latin spellings in use of a Khmer word, besides the reading of
    :func:`romanize_syllables` (joined, as a token's text): the vowels that
    UNGEGN, BGN/PCGN and ALA-LC romanise one way and names are also written
    another way (see :func:`_vowel_alternates`; ឃឹម khem is also Khim, ចំរើន
    chamreun also Chamroeun, វីរៈ vireah also Virak). At most
    :data:`MAX_READINGS`, nearest first (one syllable changed before two);
    empty when there is none."""
    parser = _Parser(token)
    sylls = parser.run()
    n_sylls = sum(1 for x in sylls if x)
    options: list[tuple[str, ...]] = []
    for syl, alts in zip(sylls, parser.alts, strict=False):
        if not syl:
            continue
        options.append((syl, *(t for t, multi in alts if t != syl and (n_sylls > 1 or not multi))))
    if all(len(o) == 1 for o in options):
        return ()
    primary = "".join(o[0] for o in options)
    out: list[str] = []
    # one syllable read another way, then two
    for k, opts in enumerate(options):
        for alt in opts[1:]:
            out.append("".join(o[0] for o in options[:k]) + alt + "".join(o[0] for o in options[k + 1:]))
    for k, opts in enumerate(options):
        for j in range(k + 1, len(options)):
            for alt in opts[1:]:
                for alt2 in options[j][1:]:
                    parts = [o[0] for o in options]
                    parts[k], parts[j] = alt, alt2
                    out.append("".join(parts))
    seen: list[str] = []
    for r in out:
        if r != primary and r not in seen:
            seen.append(r)
        if len(seen) >= MAX_READINGS:
            break
    return tuple(seen)


def _vowel_alternates(
    sign: str, series: int, vowel: str, written: bool, bantoc: bool, final: str,
) -> list[tuple[str, bool]]:
    """Other Latin spellings in use of a syllable's vowel (its final follows),
    each with whether it is used only inside a word of two or more syllables.

    From the romanisations (UNGEGN 1972/2012, BGN/PCGN, ALA-LC) and the
    spellings names are actually written in: ឹ before a final other than ង
    (UNGEGN œ̆, read e here) is written i (ឃឹម Khim; not ie, which keys read
    as ea, the ា of ជាម Cheam) and oe or oeu (ឌឹក Doek, Doeuk); ើ
    (aeu/eu) the French oeu (ចំរើន Chamroeun); ា after the
    second series (éa) a plain a inside a longer word (ដារា Dara, រតនា Rattana);
    ាំ after the second series (oăm) oam or orm; the second series' inherent
    vowel before a final n or m marked ់ (UNGEGN ŭ) u (ធន់ Thun as well as
    Thon; not before ង or ក: គង់ Kong);
    ៈ after the inherent vowel k (វីរៈ Virak, Vireak); ោ after the first
    series (aô) o (ស្បោង Sbong); ័ after the second series before a final
    (ŏă) oa (ភ័ណ្ឌ Phoan)."""
    out: list[tuple[str, bool]] = []
    if sign == "\u17b9" and vowel == "e":
        # and the French oe/oeu of UNGEGN's œ̆ (ឌឹក Doek, Doeuk; ninth round)
        out += [("i", False), ("oe", False), ("oeu", False)]
    elif sign == "\u17b9" and vowel == "eu" and final == "ng":
        # ឹង (UNGEGN œ̆ng) is also written with a plain e and with the French
        # oeu (ក្រឹង Kreng, Kroeung as well as Kreung, Krueng; twelfth round)
        out += [("e", False), ("oeu", False)]
    elif sign == "\u17bf":
        # ឿ (UNGEGN œă, the French oeu) is also written eu (សឿន Seun as well
        # as Soeun; twelfth round: safe since a Latin eu meets no other Khmer
        # vowel cheaply, see score.COST_CENTRAL_APART)
        out.append(("eu", False))
    elif sign == "\u17be":
        out.append(("oeu", False))
    elif sign == "\u17b6" and series == 2:
        if vowel == "ea":
            out.append(("a", True))
        elif vowel == "eam":
            out += [("oam", False), ("om", False)]
    elif sign == "\u17c4" and series == 1 and vowel == "ao":
        out.append(("o", False))
    elif sign == "\u17bd" and final and final != "ng":
        # ួ (UNGEGN uŏ) is also written with the French ou, its two letters
        # swapped (លួន Loun as well as Luon), and before the glide y as a
        # plain o (គួយ Koy, Kuoy; tenth round). Not before ng, where ung is
        # another vowel (Ung is not អួង, Dung not ដួង)
        out.append(("ou", False))
        if final == "y":
            out.append(("o", False))
    elif sign == "\u17c0" and final == "v":
        # ៀវ (UNGEGN iev) is also written with the French iou (ទៀវ Tiou,
        # ខៀវ Khiou; keys read the v after o as u; eleventh round) and ieu
        # (ខៀវ Khieu, written like Vietnamese iêu; twelfth round: the caller
        # drops the v, which the u stands for)
        out += [("io", False), ("ieu", False)]
    elif sign == SAMYOK and series == 2 and vowel == "o":
        # and a plain a (រ័ត្ន Rath, Rat as well as Roth; ninth round)
        out += [("oa", False), ("a", False)]
    elif sign not in VOWELS and sign != SAMYOK:
        if vowel in ("eah", "ah"):
            out += [("eak", False), ("ak", False)] if vowel == "eah" else [("ak", False)]
        elif not written and series == 2 and vowel == "o" and bantoc and final in ("n", "m"):
            out.append(("u", False))
    return out


def _is_sign(ch: str) -> bool:
    return ch in VOWELS or ch in (NIKAHIT, REAHMUK, YUUKALEAPINTU, MUUSIKATOAN, TRIISAP, SAMYOK)


class _Parser:
    def __init__(self, token: str) -> None:
        self.s = token
        self.i = 0
        self.out: list[str] = []
        self.after_geminate = False
        self.doubled_final = False
        self.bantoc = False
        # the final of a word-final subscript under a final រ, read by
        # Latin spellings only (see syllable)
        self.silent_final = ""
        # per syllable of ``out`` (same index), other Latin spellings in use of
        # it (see :func:`latin_readings`)
        self.alts: list[tuple[tuple[str, bool], ...]] = []
        self.cur_alts: list[tuple[str, bool]] = []

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def run(self) -> list[str]:
        while self.i < len(self.s):
            ch = self.peek()
            if ch in CONSONANTS:
                self.cur_alts = []
                self.out.append(self.syllable())
                self.alts.append(tuple(self.cur_alts))
            elif ch == COENG and self.peek(1) in CONSONANTS:
                # a subscript left by the previous syllable's final opens this one
                self.i += 1
                self.after_geminate = self.i >= 2 and self.s[self.i - 2] == self.peek()
            elif ch in INDEPENDENT:
                self.i += 1
                vowel = INDEPENDENT[ch]
                final = self.final(has_vowel=True)
                self.out.append(vowel + final)
                self.alts.append(tuple((v + final, False) for v in INDEPENDENT_ALTS.get(ch, ())))
            else:
                self.i += 1
        return self.out

    def syllable(self) -> str:
        first = self.peek()
        series, onset, _ = CONSONANTS[first]
        from_subscript = self.i > 0 and self.s[self.i - 1] == COENG
        upper = self.s[self.i - 2] if from_subscript and self.i >= 2 else ""
        if self.after_geminate and first == "ត":
            onset = "d"  # doubled ត is voiced: នរោត្តម no-ro-dom
        self.after_geminate = False
        self.i += 1
        # subscripts and series shifters, in either order
        while True:
            ch = self.peek()
            if ch == COENG and self.peek(1) in CONSONANTS:
                sub = self.peek(1)
                self.i += 2
                onset = _cluster(onset, first, sub)
                if CONSONANTS[sub][0] == 2 and first == "ហ" and sub in "ងញនមយរលវ":
                    # ហ over a sonorant only marks it (ហ្ម m): the sonorant's
                    # series. ស keeps its first series: ស្រី Srey, ស្វាយ Svay.
                    series = 2
            elif ch == MUUSIKATOAN:
                series = 1
                if first == "ប":
                    onset = "p"  # ប៉ writes the sound p (ប៉ា Pa)
                self.i += 1
            elif ch == TRIISAP:
                series = 2
                self.i += 1
            elif ch == BANTOC:
                self.i += 1
            else:
                break
        vowel = ""
        has_vowel = False
        ch = self.peek()
        sign = ch
        if ch in VOWELS:
            vowel = VOWELS[ch][series - 1]
            if ch == "\u17b6" and onset == "f":
                # Khmer has no f: a syllable opening with one (ហ្វ, ផ្វ, ភ្វ) is a
                # foreign word's, and its ា is a plain a (ហ្វាន Phan), not ea
                vowel = "a"
            has_vowel = True
            self.i += 1
            if ch in ("\u17b7", "\u17bb") and self.peek() == "\u17cd" and self.out:
                # ិ or ុ under the toandakhiat ៍ (UNGEGN: a letter so marked is
                # not pronounced): the consonant and its vowel are silent and
                # close nothing (ពោធិ៍សា po-sa, written Posa and Pursa)
                self.i += 1
                return ""
            while self.peek() in SILENCERS:
                # a silencing sign right after a vowel sign silences nothing
                # (ប៑ុន as typed for ប៊ុន, the sign put after the vowel by
                # clean()): a stray mark, skipped
                self.i += 1
            if ch == "\u17b9" and self.peek() == "ង" and not _is_sign(self.peek(1)):
                # ឹង is the central vowel, written eung, oeung or ung (អ៊ឹង
                # Ung/Eung); before other finals names write e (កឹម Kem)
                vowel = "eu"
        elif ch == SAMYOK:
            vowel, has_vowel = "a", True
            self.i += 1
            if self.peek() == "រ" and not _is_sign(self.peek(1)) and self.peek(1) != COENG:
                vowel = "oa"  # ័រ reads oa (ពណ៌ poar; ហ័រ Hoà), its រ is silent
                self.i += 1
            elif series == 2 and self.peek() in CONSONANTS:
                # ័ before a final after the second series is UNGEGN's ŏă, written
                # o, oa or or in names (ព័ន្ធ Porn/Poan, រ័ត្ន Roth in Moniroth);
                # after the first series it stays a (ច័ន្ទ Chan). Before a velar
                # or labial final names write it ea (ភ័ក្ត្រ Pheak, ទ័ព Teap).
                vowel = "ea" if self.peek() in "កខគឃងបផពភម" else "o"
        if (
            sign == "\u17b7" and first in "តថទធ" and self.out and self.i >= 3
            and self.s[self.i - 3] == "\u17b6" and self.peek() not in VOWELS
            and (self.peek() in CONSONANTS or not self.peek())
        ):
            # Pali -ti/-thi after a long a closes that syllable and its i is
            # silent, at the end of a word or inside one: ជាតិ cheat,
            # សុជាតិវង្ស so-cheat-vong.
            self._close_previous(CONSONANTS[first][2])
            return ""
        if self.peek() == NIKAHIT:
            self.i += 1
            vowel = (vowel or ("a" if series == 1 else "o")) + "m"
            has_vowel = True
            if vowel == "am" and self.peek() == "ង" and not _is_sign(self.peek(1)):
                vowel = "a"  # ាំង reads ang (UNGEGN ăng; Taing, Kang in use)
        if self.peek() == REAHMUK or self.peek() == YUUKALEAPINTU:
            self.i += 1
            vowel = (vowel or ("a" if series == 1 else "ea")) + "h"
            has_vowel = True
        while self.peek() in (BANTOC, SAMYOK):
            self.i += 1
        self.doubled_final = False
        self.bantoc = False
        written = has_vowel
        final = self.final(has_vowel)
        if not has_vowel:
            vowel = INHERENT[series][1 if final else 0]
            if self.doubled_final:
                vowel = "a"  # before a doubled final the spelling in use is a: វណ្ណ Vann, សុវណ្ណ Sovann
        if self.peek() in SILENCERS:
            self.i += 1
            final = ""
        at_end = self.i >= len(self.s)
        if at_end and not final and self.out:
            if from_subscript and sign == "\u17b7":  # short ិ only
                # Pali/Sanskrit final -i after a subscript is silent and its
                # consonant closes the syllable before: ឫទ្ធិ "rit", កិត្តិ "kit".
                coda = CONSONANTS[first][2]
                if self.out[-1][-1:] in OPEN_ENDINGS:
                    self._close_previous(coda)
                elif upper == "រ" and self.out[-1].endswith("r") and self.alts:
                    # under a final រ (គីរ្តិ kir): written by Latin spellings
                    # (Kirth; twelfth round), see silent_final
                    self.alts[-1] += ((self.out[-1] + coda, False),)
                return ""
            if vowel == "u" and series == 2:
                return onset + "uk"  # word-final short u closes with a stop: សីហនុ Sihanouk
        self.cur_alts = [
            (onset + v + ("" if v == "ieu" else final), multi)
            for v, multi in _vowel_alternates(sign, series, vowel, written, self.bantoc, final)
        ]
        if self.silent_final:
            # a word-final subscript under រ (a Sanskrit -rt, -rm cluster: គីរ្ត)
            # is silent in speech but written in Latin spellings (Kirth, Kirt;
            # keys drop the r after a vowel: kit; twelfth round)
            self.cur_alts.append((onset + vowel + final + self.silent_final, False))
            self.silent_final = ""
        if (
            from_subscript and onset.endswith("h") and len(onset) == 2 and _homorganic(upper, first)
        ):
            # an aspirate under a stop of its row, a Pali geminate (ទ្ធ, ត្ថ, ព្ភ),
            # is also written with a doubled plain letter: វុទ្ធី Wutty as well as
            # Wuthy, Wutthy (the -tt of Pali names: Buddha, Putt)
            self.cur_alts.append((onset[0] + vowel + final, False))
        if onset == "ch" and sign in ("\u17bb", "\u17bc", "\u17bd"):
            # the palatal stop of ច/ជ before a rounded vowel (ុ ូ ួ) is also
            # written ti in French-era spellings (ជូ Tiou as well as Chou; ជូឡុង
            # Tioulong; eleventh round). Not chh (ឆ/ឈ), and not before other vowels
            self.cur_alts.append(("ti" + vowel + final, False))
        if not written and self.doubled_final and series == 2 and final in ("k", "t", "p"):
            # the second series' unwritten vowel before a doubled stop is also
            # written ea, with the doubled letter kept (មគ្គ Meakk, Meak as
            # well as Mak: UNGEGN eă before a stop; tenth round)
            self.cur_alts.append((onset + "ea" + final, False))
        return onset + vowel + final

    def _close_previous(self, coda: str) -> None:
        """Add a final to the syllable before (and to its other spellings)."""
        self.out[-1] += coda
        if self.alts:
            self.alts[-1] = tuple((t + coda, m) for t, m in self.alts[-1])

    def final(self, has_vowel: bool) -> str:
        ch = self.peek()
        if ch not in CONSONANTS:
            return ""
        after = self.peek(1)
        if _is_sign(after):
            return ""
        if ch in "ហអ" and after:
            return ""  # these close a syllable only at the end of a word
        if after in SILENCERS:
            self.i += 2  # a silenced letter closes nothing
            return ""
        if not has_vowel and after in INDEPENDENT:
            return ""  # an independent vowel opens a syllable: រណឫទ្ធិ ra-na-ri
        if after in CONSONANTS and self.peek(2) == BANTOC:
            # The next letter carries ់, which marks a final: this letter opens
            # the syllable it closes (សុគង់ so-kong, not sok-ngo; សូណង់ដូ
            # sou-nang-dou)
            return ""
        if self.peek(2) == COENG and (_homorganic(after, self.peek(3)) or after == self.peek(3)):
            # The next letter carries a subscript of its own row, a Pali/Sanskrit
            # cluster (ណ្ណ, ន្ទ, ទ្ធ) or a doubled letter (ល្ល): that letter closes
            # the syllable this one opens with its unwritten vowel: សុវណ្ណ
            # so-vann, not sov-nna; សុផល្លែត so-phal-laet, not sop-llaet.
            return ""
        if not has_vowel and after in CONSONANTS and not _is_sign(self.peek(2)):
            # An unwritten vowel before two bare consonants: this syllable stays
            # open and the next consonant starts its own (ចក្រពង្ស cha-kra-pong).
            return ""
        if has_vowel and after in CONSONANTS and (
            self.i + 2 == len(self.s) or _subscripts_only(self.s[self.i + 2:])
        ):
            # After a written vowel, two bare consonants end the word: the first
            # opens the last syllable, the second closes it (សុផល so-phal,
            # not sop-lo; កុសល ko-sal). A subscript under the last one is
            # silent as every word-final subscript is: កុសល្យ is typed for
            # កុសល់ ko-sal (tenth round; was read kos-lyo).
            return ""
        self.i += 1
        if self.peek() == BANTOC:
            self.i += 1
            self.bantoc = True
        if self.peek() == COENG and self.peek(1) == ch:
            # A doubled letter (ត្ត) is pronounced once: by the subscript when a
            # vowel follows, as this syllable's final at the end of a word (វណ្ណ vann).
            if any(_is_sign(c) for c in self.s[self.i + 2:]) or any(
                c in CONSONANTS for c in self.s[self.i + 2:]
            ):
                return ""
            self.i = len(self.s)
            self.doubled_final = True
            return CONSONANTS[ch][2]
        if self.peek() == COENG and self.peek(1) in CONSONANTS:
            # The subscript opens the next syllable, unless nothing follows it:
            # a word-final subscript (ពង្ស) is not pronounced, nor one that ends
            # a Pali/Sanskrit element of a compound, where a consonant with a
            # vowel of its own follows at once (ព័ន្ធមុនីរ័ត្ន poan-mu-ni-roat,
            # Pornmoniroth: the ធ of ព័ន្ធ is silent as it is alone).
            rest = self.s[self.i + 2:]
            if not rest or not any(_is_sign(c) or c in CONSONANTS for c in rest) or _subscripts_only(rest):
                # nothing but further subscripts after it (សុភ័ក្ត្រ, Sanskrit
                # -ktra, -tra): the whole stack is silent, Sopheak, Pheak
                if ch == "រ" and has_vowel and not rest:
                    self.silent_final = CONSONANTS[self.peek(1)][2]
                self.i = len(self.s)
            elif rest[0] in CONSONANTS and len(rest) > 1 and rest[1] in VOWELS and (
                (has_vowel and self.s[self.i - 2:self.i - 1] in (SAMYOK,))
                or (self.peek(1) in "គទ" and _homorganic(ch, self.peek(1)))
            ):
                # the subscript is silent; the next consonant opens. Also after a
                # nasal with the voiced stop of its row, ង្គ and ន្ទ, the end of a Pali
                # element (anga, canda, inda) whose vowel Khmer drops, before another
                # element: អង្គឌួង Ang Duong, រិន្ទដារ៉ូ Rindaro (not angko-duong)
                self.i += 2
            else:
                self.i += 1  # leave the subscript consonant to start the next syllable
        return CONSONANTS[ch][2]


# The five rows of stops and their nasal (k, ch, retroflex, t, p); a subscript
# of the same row as the letter above it is a Pali/Sanskrit cluster.
ROWS = ("កខគឃង", "ចឆជឈញ", "ដឋឌឍណ", "តថទធន", "បផពភម")
_ROW_OF = {c: k for k, row in enumerate(ROWS) for c in row}
OPEN_ENDINGS = set("aeiouy")


def _subscripts_only(rest: str) -> bool:
    """True when ``rest`` (what follows a subscript consonant) is only further
    subscripts: coeng and consonant pairs, with no vowel or sign."""
    return bool(rest) and len(rest) % 2 == 0 and all(
        rest[k] == COENG and rest[k + 1] in CONSONANTS for k in range(0, len(rest), 2)
    )


def _homorganic(upper: str, lower: str) -> bool:
    row = _ROW_OF.get(upper)
    return row is not None and row == _ROW_OF.get(lower)


def _cluster(onset: str, first: str, sub: str) -> str:
    if first in "ហផភ" and sub == "វ":
        # Khmer has no f: a foreign f or Vietnamese ph is written ហ្វ, or ផ្វ/ភ្វ
        # (ph with the glide, ផ្វាន Phan)
        return "f"
    if first == "ហ" and sub in "គក":
        return "g"  # ហ្គ writes g (ហ្គាយ Guy)
    if first == "ហ" and sub == "ស":
        # ហ្ស writes a foreign z, in Vietnamese names gi, d or r (ហ្សាង Giang),
        # which Khmer never writes for s or x (those are ស): read as the y
        # sound of those letters, so that it keeps apart from s in keys
        return "y"
    if first == "ប":
        onset = "p"  # ប with a subscript is p: ប្រ pr (ប្រសិទ្ធ Prasidh), ប្ល pl
    if first == "ហ" and sub in "ងញនមយរលវ":
        return CONSONANTS[sub][1]
    if sub == "វ":
        # w after a stop (ក្វាង kwang, Vietnamese Quang); v after ស (ស្វាយ Svay)
        return onset + ("v" if first == "ស" else "w")
    return onset + CONSONANTS[sub][1]


# ALA-LC romanisation of Khmer (Library of Congress tables, Khmer, rev. 2012): a
# transliteration with the letters' Indic values, letter for letter, so it can be
# written back in Khmer script and read like any Khmer name. Library catalogues
# and bibliographies name Cambodians this way (ចម ប្រសិទ្ធ Cam Prasiddh).
_ALA_CONSONANTS = {
    "k": "ក", "kh": "ខ", "g": "គ", "gh": "ឃ", "ṅ": "ង", "c": "ច", "ch": "ឆ", "j": "ជ",
    "jh": "ឈ", "ñ": "ញ", "ṭ": "ដ", "ṭh": "ឋ", "ḍ": "ឌ", "ḍh": "ឍ", "ṇ": "ណ", "t": "ត",
    "th": "ថ", "d": "ទ", "dh": "ធ", "n": "ន", "p": "ប", "ph": "ផ", "b": "ព", "bh": "ភ",
    "m": "ម", "y": "យ", "r": "រ", "l": "ល", "v": "វ", "ś": "ឝ", "ṣ": "ឞ", "s": "ស",
    "h": "ហ", "ḷ": "ឡ", "q": "អ",
}
_ALA_VOWELS = {
    "a": "", "ā": "\u17b6", "i": "\u17b7", "ī": "\u17b8", "ẏ": "\u17b9", "ȳ": "\u17ba",
    "u": "\u17bb", "ū": "\u17bc", "ua": "\u17bd", "oe": "\u17be", "ẏa": "\u17bf",
    "ia": "\u17c0", "e": "\u17c1", "ae": "\u17c2", "ai": "\u17c3", "o": "\u17c4",
    "au": "\u17c5", "ă": SAMYOK, "á": SAMYOK, "â": "\u17b6",
}
_ALA_SIGNS = {"ṃ": NIKAHIT, "ḥ": REAHMUK}
_ALA_REGISTER = {"\u02ba": MUUSIKATOAN, "\u02b9": TRIISAP}  # hard sign ʺ, soft sign ʹ
_ALA_INDEPENDENT = {"ṛ": "ឫ", "ṝ": "ឬ", "ḹ": "ឮ"}
# Letters only ALA-LC (and Indic transliteration) uses among the spellings of
# these names: macrons, dots below or above on consonants. ă, â, ạ ... are
# Vietnamese and do not count.
_ALA_MARKS = frozenset("āīūȳẏṅṭḍṇṃḥḷśṣṛṝḹ\u02ba\u02b9")
_ALA_UNITS = sorted(
    [*_ALA_CONSONANTS, *_ALA_VOWELS, *_ALA_SIGNS, *_ALA_REGISTER, *_ALA_INDEPENDENT],
    key=len, reverse=True,
)


def is_ala_lc(word: str) -> bool:
    """True when a Latin word carries a letter only ALA-LC's Khmer romanisation
    writes (ā ī ū ẏ ȳ ṅ ṭ ḍ ṇ ṃ ḥ ḷ ś ṣ)."""
    return any(c in _ALA_MARKS for c in word.casefold())


def from_ala_lc(word: str) -> str:
    """The Khmer spelling an ALA-LC romanisation stands for (``"Kambujā"`` gives
    ``"កម្ពុជា"``, ``"Prasiddh"`` ``"ប្រសិទ្ធ"``).

    Rules of the ALA-LC table (Khmer, rev. 2012, notes 1 and 10): a consonant
    directly after a consonant is its subscript; the inherent vowel is written
    ``a``; a word that opens with a vowel has អ before it; the hard and soft
    signs ʺ ʹ are ៉ and ៊. Letters outside the table are dropped. The result
    is in the spelling :func:`borderlink.names.normalise.clean` gives. Returns
    "" when nothing of the word is Khmer.
    """
    s = word.casefold()
    out: list[str] = []
    prev = "start"  # start | consonant | vowel
    i = 0
    while i < len(s):
        unit = next((u for u in _ALA_UNITS if s.startswith(u, i)), "")
        if not unit:
            i += 1
            continue
        i += len(unit)
        if unit in _ALA_CONSONANTS:
            letter = _ALA_CONSONANTS[unit]
            out.append(COENG + letter if prev == "consonant" and len(letter) == 1 else letter)
            prev = "consonant"
        elif unit in _ALA_REGISTER:
            out.append(_ALA_REGISTER[unit])
        elif unit in _ALA_INDEPENDENT:
            out.append(_ALA_INDEPENDENT[unit])
            prev = "vowel"
        elif unit in _ALA_VOWELS:
            if prev == "start":
                out.append("អ")
            out.append(_ALA_VOWELS[unit])
            prev = "vowel"
        else:
            if prev == "start":
                out.append("អ")
            out.append(_ALA_SIGNS[unit])
            prev = "vowel"
    return clean("".join(out))
