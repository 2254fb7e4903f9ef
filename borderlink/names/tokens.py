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

from . import hmong, khmer, lao, titles
from .keys import nasal_final_as_n, phonetic_key, skeleton, vietnamese_cross_key
from .normalise import (
    KHMER,
    LAO,
    LATIN,
    clean,
    fold_latin,
    latin_syllables,
    split_tokens,
    vietnamese_form,
)
from .vietnamese import FAMILY_NAMES, gender_marker, is_monosyllable, is_vietnamese_syllable, prior_weight


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
    """A name without its titles, as tokens.

    ``alt``: the same name read with the words of its title run that may also
    be names kept (``The Hung Nguyen`` is Nguyễn Thế Hùng, not "Hung Nguyen"
    with the title "the"); empty when there is no such reading. ``split``:
    the tokens are the syllables of a Lao or Khmer word read one at a time (a
    reading the scorer makes), not the words of a name.
    """

    tokens: tuple[Token, ...]
    titles: tuple[str, ...]
    alt: tuple[Token, ...] = ()
    split: bool = False

    @property
    def vn_like(self) -> bool:
        """Looks like a Vietnamese name: 2+ one-syllable Latin words, VN evidence,
        and no word Vietnamese spelling does not allow (``Van Nath``, ``Vann``:
        a Khmer name whose Van is not Văn, :func:`is_vietnamese_syllable`)."""
        toks = self.tokens
        if len(toks) < 2 or not all(t.mono and t.script == LATIN for t in toks):
            return False
        if not all(is_vietnamese_syllable(t.text) for t in toks):
            return False
        return any(t.weight < 1.0 for t in toks)

    @property
    def vn_mono(self) -> bool:
        """Could be Vietnamese: two or more one-syllable words (any script), no
        Latin one a spelling Vietnamese does not allow (:meth:`vn_like`)."""
        return len(self.tokens) >= 2 and all(
            t.mono and (t.script != LATIN or is_vietnamese_syllable(t.text)) for t in self.tokens
        )

    @property
    def gender(self) -> str | None:
        return gender_marker([t.text for t in self.tokens])


_ROMAN_NUMERAL = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
_VN_NH = re.compile(r"([ei])nh$")
_ABBREV = re.compile(r"\b((?:[A-Za-z]\.){2,})")
# an abbreviation whose last letter has no full stop (H.E Sok Dara): one word
_ABBREV_LAST = re.compile(r"\b([A-Za-z])\.([A-Za-z])(?=\s)")
# Voiced and unvoiced stops, and p/f (Lao ພ is written ph or p), are near letters.
_UNVOICE = str.maketrans("dbgf", "tpkp")


# Spellings of Lao names in use that the phonetic key does not fold (see
# :func:`spelling_in_use`), each a (pattern, replacement) on the folded text.
_IN_USE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        # w closing a vowel is the glide o (Thai-style Kaew, Keaw for ແກ້ວ Keo)
        (r"(?<=[aeiou])w(?![aeiouy])", "o"),
        # English-style ee for a long i (Manee, Chanthalee for ມະນີ, ຈັນທະລີ)
        (r"ee(?![aeiouy])", "i"),
        # ai or a doubled y before ຍ's vowel (Saiyavong, Sayyavong for ໄຊຍະວົງ
        # Xayavong): the y of ay, which keys read as ny
        (r"(?<=a)(?:iy|yy)(?=[aeiou])", "y"),
        # a final stop written before the aspirate of its own row (ບຸບຜາ
        # Bouppha, Boupha; ອັດທະ Attha, Atha): one sound as others hear it
        (r"([ptk])(?=\1h)", ""),
    )
)


def spelling_in_use(text: str) -> str:
    """``text`` (folded letters of a word) with the spellings of Lao names in
    use that keys do not fold written one way: a vowel's closing w as o
    (Kaew = Keo), ee as i (Manee = Many), aiy/ayy before a vowel as ay
    (Saiyavong = Xayavong), a final stop before its own aspirate dropped
    (Bouppha = Boupha). Linear in ``text``."""
    for pattern, repl in _IN_USE:
        text = pattern.sub(repl, text)
    return text


@lru_cache(maxsize=100_000)
def make_token(surface: str, script: str) -> Token | None:
    """Build the token for one word; None when nothing of it can be compared."""
    if script == LAO:
        sylls = list(lao.romanize_syllables(surface))
    elif script == KHMER:
        sylls = list(khmer.romanize_syllables(surface))
    else:
        sylls = latin_syllables(surface)
        if len(sylls) > 1 and vietnamese_form(surface) is not None:
            # A Lao or Khmer name in Vietnamese transcription, syllable by
            # syllable: Vietnamese writes their -eng/-ing as -ênh/-inh, which
            # it has (Lềnh-xạ-vắt Lengsavad, Xỉnh Sing), and their y as d
            # (read /j/ or /z/; đ is the d sound): Pa-ny Da-thò-tụ Yathotou.
            raw = [r for r in re.split(r"[-'’′ʼ]+", surface) if fold_latin(r)]
            if len(raw) == len(sylls):
                sylls = [
                    "y" + x[1:] if r[:1] in "dD" and x.startswith("d") else x
                    for r, x in zip(raw, sylls, strict=True)
                ]
            sylls = [_VN_NH.sub(r"\1ng", x) for x in sylls]
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
    key = phonetic_key(spelling_in_use(text))
    if not key:
        return None
    return Token(
        surface, text, key, skeleton(key).translate(_UNVOICE), vn, mono,
        prior_weight(text), script,
    )


def cross_key(tok: Token) -> str:
    """For a one-syllable Vietnamese word typed with diacritics, its key as Lao
    or Khmer script would write it (:func:`~borderlink.names.keys.vietnamese_cross_key`);
    "" for any other token. A bare word has none: without its marks, Trinh
    (Trịnh) and Chinh (Chính) would both be ជិញ, and Hung a Khmer Hun."""
    if tok.script == LATIN and tok.mono:
        if tok.vn:
            return vietnamese_cross_key(tok.vn[:-1])
    return ""


def same_vietnamese_syllable_across_scripts(a: Token, b: Token) -> bool:
    """A Vietnamese syllable with diacritics and its Lao or Khmer transcription
    (Lâm / ເລິມ, Trương / ជឿង, Nguyễn / ង្វៀង)."""
    lat, nat = (a, b) if a.script == LATIN else (b, a)
    if nat.script not in (LAO, KHMER) or not nat.mono:
        return False
    keys = cross_keys(lat, nat.script)
    if lat.vn and not lat.surface.isascii():
        if lat.vn[:-1].endswith("anh") and nat.key.endswith("ang"):
            # -anh is written ແ-ັງ, -ັນ or -ាញ់, never -ັງ/-ាំង: those are ăng
            # (Thắng ຖັ໊ງ is not Thành, issue #13)
            return False
        if nasal_final_as_n(nat.key) in keys:
            return True
        # Khmer ឹ is also the central vowel of â/ơ/ư (Đức ឌឹក, Trần ត្រឹន: the
        # vowel nearest in Khmer, as Vietnamese sites' Khmer editions write
        # it): its reading oe, keyed w (ninth round)
        return "\u17b9" in nat.surface and any(
            nasal_final_as_n(k) in keys for k in spelling_keys(nat) if "w" in k and "wa" not in k
        )
    return nat.key in keys


def cross_keys(tok: Token, script: str = "") -> tuple[str, ...]:
    """:func:`cross_key` and, for a syllable ending in -inh/-ênh, the key with
    -ng: Lao and Khmer write the northern reading too (Minh ມິນ or ມິງ, Chính
    ຈິ້ນ or ຈິ້ງ). For a one-syllable word typed without marks (or without
    marks in a name typed with them) the keys are compared as they are (no
    -ng/-n merging: bare Hung is as often a Lao or Khmer name) and only the
    transcriptions its letters decide are added; empty for a token without a
    cross key. ``script``: the keys of Lao or Khmer transcription only (""
    for both)."""
    if tok.script != LATIN or not tok.mono:
        return ()
    if not tok.vn or tok.surface.isascii():
        if tok.text.endswith(("inh", "enh")):
            return (tok.key, tok.key + "g") if tok.key.endswith("n") else (tok.key,)
        # letters without marks: only the transcriptions those letters decide
        # (Giang ຢາງ, Thanh ແທັງ), never a reading that needs the marks (tr as ch)
        return _bare_transcription_keys(tok.text, tok.key, script)
    xk = cross_key(tok)
    if not xk:
        return ()
    letters = tok.vn[:-1]
    if letters.endswith(("inh", "ênh")) and xk.endswith("n"):
        return (xk, xk + "g")
    return _transcription_keys(letters, xk, script)


# How Lao and Khmer scripts write some Vietnamese letters besides the reading
# of vietnamese_cross_key, and in which script: gi and d (both /z/ in the north,
# /j/ in the south) as y (ຢ, យ) or z (ហ្ស); -anh as Lao ແ-ັງ (the northern [ɛŋ]:
# Thanh ແທັງ; Khmer writes ាញ់, and its េង is a Khmer Heng or Kheng); oa after a
# consonant as Lao ວາ, the glide w and a (Hoàng ຮວາງ, read huang); the
# central â as a plain a in Khmer (Tấn តាន់) and uâ as u (Xuân ស៊ុន); ô as the
# Khmer ូ (Ngô ង៉ូ); iêu as Khmer េវ (Kiều កេវ); u before a final as Lao ຶ
# (Phúc ຝຶກ).
_TRANSCRIPTIONS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p), r, sc)
    for p, r, sc in (
        (r"^gi(?=[aeiouyăâêôơư])", "y", ""),
        (r"^gi(?=[aeiouyăâêôơư])", "z", ""),
        (r"^d(?=[aeiouyăâêôơư])", "y", ""),
        (r"(?:^|(?<=[bcdfghklmnpqrstvxđ]))anh$", "eng", LAO),  # not oanh/uanh
        # oa as Lao ວາ: Hoàng ຮວາງ huang, and without an initial (Oanh ອວາງ uang)
        (r"(?:^|(?<=[bcdfghklmnpqrstvxđ]))o(?=[aă])", "u", LAO),
        # u closed by a final as Lao ຶ, the central vowel, as machine-made Lao of
        # Vietnamese names writes it (Phúc ຝຶກ; tenth round): Lao only, and
        # only for a syllable typed with marks
        (r"(?<=[bcdfghklmnpqrstvxđ])u(?=(?:c|ch|m|n|ng|nh|p|t)$)", "ư", LAO),
        (r"uâ", "u", KHMER),
        (r"â", "a", KHMER),
        (r"ô", "ou", KHMER),
        # iêu/yêu as Khmer េវ, e and the glide (Kiều កេវ, Khmer keys read -ev as -eo)
        (r"[iy]êu", "eo", KHMER),
    )
)


_BARE_TRANSCRIPTIONS = _TRANSCRIPTIONS[:5]  # gi, d, -anh, oa: decided by the letters alone


@lru_cache(maxsize=20_000)
def _bare_transcription_keys(text: str, key: str, script: str = "") -> tuple[str, ...]:
    keys: list[str] = []
    for pattern, repl, sc in _BARE_TRANSCRIPTIONS:
        if script and sc and sc != script:
            continue
        other = pattern.sub(repl, text, count=1)
        if other != text:
            k = phonetic_key(other)
            if k and k != key and k not in keys:
                keys.append(k)
    return (key, *keys) if keys else ()


@lru_cache(maxsize=20_000)
def _transcription_keys(letters: str, xk: str, script: str = "") -> tuple[str, ...]:
    keys = [xk]
    if letters.startswith("tr") and script in ("", KHMER):
        keys.append(vietnamese_cross_key(letters, keep_tr=True))  # Trần ត្រឹន
    for pattern, repl, sc in _TRANSCRIPTIONS:
        if script and sc and sc != script:
            continue
        other = pattern.sub(repl, letters, count=1)
        if other != letters:
            key = vietnamese_cross_key(other)
            if key and key not in keys:
                keys.append(key)
    return tuple(keys)


_NH_GLIDE = re.compile(r"nhie[^aeiouy]+$")
_IR_CLOSED = re.compile(r"[^aeiouy]+ir[^aeiouy]+$")


@lru_cache(maxsize=100_000)
def spelling_keys(tok: Token) -> tuple[str, ...]:
    """Other phonetic keys of a word, as other spellings in use write it, for
    comparing a Latin word with a word in Lao or Khmer script (empty for most
    words). A Khmer word: the keys of :func:`khmer.latin_readings` (ឃឹម Khim,
    វីរៈ Virak). A Latin word: an English-style spelling read as
    the romanisations read it, a w opening the word before a vowel as v (Khmer
    and Lao វ ວ are v in UNGEGN and BGN/PCGN, written w in English-style
    names: វុទ្ធី Wutty) and ee as i (នី Nee). Not for words of other scripts,
    nor for a Khmer token that is a syllable of a longer word (its surface is
    the whole word)."""
    keys: list[str] = []
    if tok.script == KHMER:
        if "".join(khmer.romanize_syllables(tok.surface)) != tok.text:
            return ()
        readings: tuple[str, ...] = khmer.latin_readings(tok.surface)
    elif tok.script == LAO:
        # ຣ clusters and letters under ໌ of Pali spellings (tenth round)
        if "".join(lao.romanize_syllables(tok.surface)) != tok.text:
            return ()
        readings = lao.latin_readings(tok.surface)
    elif tok.script == LATIN and not tok.vn:
        text = tok.text
        readings = ()
        if len(text) > 2 and text[0] == "w" and text[1] in "aeiouy":
            text = "v" + text[1:]
            readings = (text,)
        if "ee" in text:
            readings += (text.replace("ee", "i"),)
        if _IR_CLOSED.match(text):
            # ir before a final in one syllable: the r marks a long vowel, the
            # diphthong Khmer ៀ (UNGEGN ie) that names also write ea or ie
            # (គៀត Kirth as well as Keat, Kieth; twelfth round). Only with the
            # r: keys drop an r after a vowel, and Kith is គិត, not គៀត
            readings += (text.replace("ir", "ie", 1),)
        if _NH_GLIDE.match(text):
            # after nh opening a word, an i before e and a final is the
            # palatal's glide in French-era Khmer spellings (Nhiek for ញឹក
            # Nhek; twelfth round): read without it. Not ie before a vowel or at
            # the end, and not after other letters (Chiem is ជៀម, not ឈឹម)
            readings += ("nhe" + text[4:],)
    else:
        return ()
    for r in readings:
        k = phonetic_key(r)
        if k and k != tok.key and k not in keys:
            keys.append(k)
    return tuple(keys)


@lru_cache(maxsize=100_000)
def joined(a: Token, b: Token) -> Token:
    """The token made by writing two adjacent tokens as one word."""
    text = a.text + b.text
    key = phonetic_key(spelling_in_use(text))
    return Token(
        a.surface + b.surface, text, key, skeleton(key).translate(_UNVOICE), "", False,
        (a.weight + b.weight) / 2, a.script,
    )


# Bounds that keep parsing and everything after it linear in the input: words
# of a name beyond MAX_WORDS and letters of a word beyond MAX_WORD_CHARS are not
# read (names have at most a dozen words, the longest glued Khmer or Lao title
# chain and name about 60 letters).
MAX_WORDS = 16
MAX_WORD_CHARS = 64
MAX_NAME_CHARS = 512



def _split_camel(surface: str) -> list[str]:
    """``NguyenVanHung`` as ``Nguyen``, ``Van``, ``Hung`` when every part is one
    Latin syllable; otherwise the word unchanged (McLean, DeSouza stay one)."""
    if surface.isupper() or surface.islower() or "-" in surface:
        return [surface]
    parts: list[str] = []
    for k, ch in enumerate(surface):
        if ch.isupper() and (k == 0 or surface[k - 1].islower()):
            parts.append(ch)
        elif parts:
            parts[-1] += ch
        else:
            return [surface]
    if len(parts) < 3:
        return [surface]
    if all(is_monosyllable("".join(latin_syllables(p))) for p in parts):
        return parts
    return [surface]


def _vietnamese_hyphenated(surface: str) -> list[str]:
    """A whole name that is one word of hyphenated Vietnamese syllables
    (``Nguyễn-Chí-Thiện``) as separate words: a Vietnamese family name first,
    every part one syllable and every part but at most one typed with
    Vietnamese marks. Other hyphenated words stay one word: a Lao or Khmer
    name's syllables (``Keo-Oudone``), and Vietnamese transcriptions of Lao
    names, hyphenated word by word (``Xỉ-phăn-đon`` is Siphandone)."""
    if "-" not in surface:
        return [surface]
    parts = [p for p in surface.split("-") if p]
    if len(parts) < 2 or fold_latin(parts[0]) not in FAMILY_NAMES:
        return [surface]
    if not all(is_monosyllable(fold_latin(p)) for p in parts):
        return [surface]
    if sum(vietnamese_form(p) is not None for p in parts) < len(parts) - 1:
        return [surface]
    return parts


@lru_cache(maxsize=50_000)
def parse(name: str) -> ParsedName:
    """Parse a name: clean Unicode, split words, drop titles, romanise.

    Never raises. A name that is empty or only titles gives no tokens. Reads
    at most :data:`MAX_NAME_CHARS` characters, :data:`MAX_WORDS` words and
    :data:`MAX_WORD_CHARS` characters of a word, so its cost is bounded
    whatever the input.
    """
    text = clean(name[: MAX_NAME_CHARS * 4] if isinstance(name, str) else "")[:MAX_NAME_CHARS]
    text = titles.drop_apposition(text)
    dotted = _dotted_capitals(text)
    text = _ABBREV.sub(lambda m: m.group(1).replace(".", "") + " ", text)
    text = _ABBREV_LAST.sub(r"\1\2", text)
    raw: list[tuple[str, str]] = []
    for surface, script in split_tokens(text):
        parts = _split_camel(surface) if script == LATIN else [surface]
        raw.extend((p[:MAX_WORD_CHARS], script) for p in parts)
    if len(raw) == 1 and raw[0][1] == LATIN:
        raw = [(p, LATIN) for p in _vietnamese_hyphenated(raw[0][0])]
    raw = _ala_lc_as_khmer(raw[:MAX_WORDS])
    dropped: list[str] = []
    native_titles: list[tuple[str, str]] = []
    # native-script titles, glued or separate, at the start of the name
    words: list[tuple[str, str]] = []
    in_title = False
    leading = True
    raw = _rejoin_khmer_split(raw)
    soft_native: list[tuple[str, str]] = []
    glued_religious = False
    for k, (surface, script) in enumerate(raw):
        if leading and script == LAO and not in_title:
            at = titles.glued_lao_religious_title(surface)
            if at:
                # ພຣະ/ພະ glued to a given name that stays a name without it
                # (ພຣະສິດ Sith, Phrasith): the title is dropped, and the name
                # is also read with it kept (twelfth round)
                dropped.append(surface[:at])
                native_titles.append((surface[:at], script))
                words.append((surface[at:], script))
                leading, glued_religious = False, True
                continue
        if leading and script in (LAO, KHMER):
            rest, in_title = titles.strip_native_prefix(surface, script, in_title)
            if rest and titles.native_title_word(surface, rest, script) and (
                _names_after(raw, k) >= 2 or _glued_full_name_after(raw, k)
            ):
                # a title chain with honorifics not in the lists (សម្តេចវិបុលបញ្ញា,
                # ຮສ.ປອ) before a name of two or more words: all of it is title,
                # and the name is also read with the rest kept (លោកជំទាវប៊ុន
                # រ៉ានី: the head glued to a given name)
                soft_native = [(rest, script)]
                rest, in_title = "", True
            if rest != surface:
                dropped.append(surface[: len(surface) - len(rest)])
                native_titles.append((dropped[-1], script))
            if rest:
                words.append((rest, script))
                leading = False
            continue
        if script == LATIN and leading:
            words.append((surface, script))
            continue
        leading = False
        words.append((surface, script))
    # Latin-script titles and descriptions at the start
    folded = ["".join(latin_syllables(s)) if sc == LATIN else "" for s, sc in words]
    latin_words = [s for s, sc in words if sc == LATIN]
    # a name in capitals after a title in mixed case (Mr CHUT DARA, as court
    # papers write it) is a name in capitals: its words are no abbreviations
    all_capitals = all(
        not any(c.islower() for c in s) for s in latin_words
        if (fold_latin(s),) not in titles.LATIN_TITLES
    )
    abbreviations = frozenset(
        k for k, ((s, sc), f) in enumerate(zip(words, folded, strict=True))
        if sc == LATIN and (
            titles.is_abbreviation(s, f, all_capitals)
            # capitals written with dots (M.A., B.A., M.S.: a degree) are an
            # abbreviation even when they spell a syllable
            or (s in dotted and not all_capitals)
            # capitals next to a description are a body's initials ("NA Vice
            # Chairman", "Giám đốc VOV"); kept in the other reading
            or (
                not all_capitals and 2 <= len(s) <= 5 and s.isalpha() and s.isupper()
                and (titles.starts_description(folded, k + 1) or titles.ends_description(folded, k))
            )
        )
    )
    cut, soft_from = titles.latin_title_run(folded, abbreviations)
    role_cut = titles.role_noun_cut(folded)
    if role_cut > cut:
        cut = soft_from = role_cut
    if soft_from < cut and _vietnamese_syllables_kept(words, folded, soft_from, cut):
        cut = soft_from  # The Hung Nguyen is Nguyễn Thế Hùng, not Mr Hung Nguyen
    dropped.extend(w for w, _ in words[:cut])
    if (
        len(words) - cut >= 2 and words[-1][1] == LATIN and not all_capitals
        and _ROMAN_NUMERAL.fullmatch(words[-1][0])
    ):
        # a regnal number after a name (Sisowath II, Photisarat I): not a word
        # of it. Only in capitals in a name that is not all capitals (VI, the
        # Vietnamese Vĩ, in NGUYEN VAN VI stays).
        dropped.append(words[-1][0])
        words = words[:-1]
    if len(words) - cut >= 3 and words[-1][1] == KHMER and titles.trailing_khmer_office(words[-1][0]):
        # an office written after the name (លោក សុខ ដារា អគ្គនាយក…)
        dropped.append(words[-1][0])
        words = words[:-1]
    elif len(words) - cut == 1 and words[-1][1] == KHMER and native_titles:
        # a titled name written as one word with its office glued after it
        # (លោកសុខដារាអភិបាលខេត្ត…): the office and what follows are dropped
        at = titles.glued_khmer_office_at(words[-1][0])
        if at:
            dropped.append(words[-1][0][at:])
            words = words[:-1] + [(words[-1][0][:at], KHMER)]
    words = _hmong_rpa(words, soft_from)
    tokens = _tokens(tuple(words[cut:]))
    alt = _tokens(tuple(words[soft_from:])) if soft_from < cut else ()
    if soft_native and not alt and cut == 0:
        alt = _tokens(tuple(soft_native[-1:])) + tokens
    if native_titles and not alt and (len(tokens) == 1 or glued_religious):
        # A Lao or Khmer title before a single word may be that person's name
        # as others write it (ນາງ ນ້ອຍ is Ms Noy, or Nang Noy): read it both ways.
        alt = _tokens(tuple(native_titles)) + tokens
    if not tokens and alt:
        # nothing is left after the words that may be titles: they are the name (a word is a title only before a
        # name; `ກກ` before a stray vowel sign was dropped as a title and kept only in the other reading)
        kept = {t.surface for t in alt}
        dropped = [w for w in dropped if w not in kept]
        tokens, alt = alt, ()
    tokens = _vietnamese_transposition(tokens)
    return ParsedName(_level_tones(tokens), tuple(dropped), _level_tones(alt) if alt else alt)


def _hmong_rpa(words: list[tuple[str, str]], start: int) -> list[tuple[str, str]]:
    """The words of a name with those written in Hmong RPA (Vaj, Xyooj, Hawj;
    :func:`hmong.english_spellings`) in their English-style spelling (Vang,
    Xiong, Her), so that they meet the spellings English and Lao script give
    those names; the words from ``start`` only (before it, titles). Other
    words, and names with no RPA-only word, unchanged (twelfth round)."""
    # (marks are folded: RPA writes none, and a name must read as its form
    # without diacritics does)
    idx = [k for k in range(start, len(words)) if words[k][1] == LATIN]
    if not idx:
        return words
    spelt = hmong.english_spellings([fold_latin(words[k][0]) for k in idx])
    if not any(spelt):
        return words
    out = list(words)
    for k, eng in zip(idx, spelt, strict=True):
        if eng:
            out[k] = (eng.capitalize(), LATIN)
    return out


def rpa_words(name: str) -> list[str]:
    """The words of ``name`` read as Hmong RPA by :func:`parse`, for explain."""
    words = [fold_latin(w) for w, sc in split_tokens(clean(name)) if sc == LATIN]
    return [w for w, e in zip(words, hmong.english_spellings(words), strict=True) if e]


def _dotted_capitals(text: str) -> frozenset[str]:
    """The words of ``text`` written as two or more capitals with dots
    (``M.A.`` gives ``MA``), without their dots, as :data:`_ABBREV` rewrites
    them. A degree or an office before a name is written so (``M.A. Nguyen
    …``); an initial of a name is a lone letter (``K. Meas``) and not matched."""
    return frozenset(
        m.group(1).replace(".", "") for m in _ABBREV.finditer(text) if m.group(1).isupper()
    )


def _glued_full_name_after(raw: list[tuple[str, str]], k: int) -> bool:
    """True when the one word after ``raw[k]`` is a Lao or Khmer word of three
    or more syllables: a whole name written without spaces, as Vietnamese names
    are in Lao and Khmer script (``ນັກປະພັນວັນນະຄະດີ ຫງວຽນຮຸຍທຽບ``: the writer
    Nguyễn Huy Thiệp), so a title word before it stands before a full name."""
    after = raw[k + 1:]
    if len(after) != 1 or after[0][1] not in (LAO, KHMER):
        return False
    word, script = after[0]
    rest, _ = titles.strip_native_prefix(word, script, False)
    if rest != word:
        return False
    sylls = lao.romanize_vietnamese_syllables(word) if script == LAO else khmer.romanize_syllables(word)
    return len(sylls) >= 3


def _names_after(raw: list[tuple[str, str]], k: int) -> int:
    """How many words after ``raw[k]`` could be a name (not titles themselves)."""
    n = 0
    for surface, script in raw[k + 1:]:
        if script in (LAO, KHMER):
            rest, _ = titles.strip_native_prefix(surface, script, False)
            n += bool(rest)
        else:
            n += 1
    return n


_KHMER_CONSONANT = re.compile(r"[\u1780-\u17a2][\u17c9\u17ca\u17cb\u17cc]?")
_KHMER_OPEN = re.compile(r"[\u17b6-\u17c5][\u17c9\u17ca]?$|[\u17c9\u17ca][\u17b6-\u17c5]$")


def _rejoin_khmer_split(raw: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A Khmer word typed with a space before its final consonant (យ៉ែ ម for
    យ៉ែម, អ៊ឹ ង for អ៊ឹង): a lone consonant after a word that ends in a vowel
    sign is that word's final, not a word of its own."""
    out: list[tuple[str, str]] = []
    for surface, script in raw:
        if (
            out and script == KHMER and out[-1][1] == KHMER
            and _KHMER_CONSONANT.fullmatch(surface) and _KHMER_OPEN.search(out[-1][0])
        ):
            out[-1] = (out[-1][0] + surface, KHMER)
            continue
        out.append((surface, script))
    return out


# Marks a French keyboard types (Nguyên Duc Hai, Trân Thanh Mân): a name whose
# only marks are these was typed without Vietnamese diacritics, however its
# circumflexes read, and is compared like one typed without marks.
_FRENCH_MARKS = frozenset("âêîôûéèëïüàùç")


def vietnamese_marks(tokens: tuple[Token, ...]) -> bool:
    """True when the name carries Vietnamese diacritics: a word with marks, and
    at least one mark a French keyboard does not type (ư ơ ă, a tone other
    than é è à ù: Lê Văn, Lễ, Hùng). Đ alone is no such mark: it is a letter
    kept by writers who drop every diacritic (``Đang Thai Son`` is typed
    without marks, not as Đang with a level tone)."""
    if not any(t.vn for t in tokens):
        return False
    return any(
        not c.isascii() and c.isalpha() and c.casefold() not in _FRENCH_MARKS and c.casefold() != "đ"
        for t in tokens if t.vn for c in t.surface
    )


def _level_tones(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """In a name typed with Vietnamese diacritics, a one-syllable Latin word
    without marks is a syllable of the level tone whose letters are known
    (Phan, Giang in Phan Văn Giang), not a word whose marks were left out."""
    if not vietnamese_marks(tokens):
        return tokens
    return tuple(
        t._replace(vn=t.text + "1")
        if t.script == LATIN and t.mono and not t.vn and t.surface.isascii() else t
        for t in tokens
    )


def _ala_lc_as_khmer(raw: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A name romanised by ALA-LC (a word with ā ī ū ṅ ṃ ḥ ṭ ḍ ...) written back
    in Khmer script (:func:`khmer.from_ala_lc`), so that it is read, titles
    included, as Khmer: every Latin word of such a name except titles,
    descriptions and abbreviations, which are English."""
    if not any(sc == LATIN and khmer.is_ala_lc(s) for s, sc in raw):
        return raw
    out: list[tuple[str, str]] = []
    for surface, script in raw:
        folded = fold_latin(surface) if script == LATIN else ""
        if (
            script == LATIN and (khmer.is_ala_lc(surface) or (
                (folded,) not in titles.LATIN_TITLES and (folded,) not in titles.DESCRIPTIONS
                and not (surface.isupper() and len(surface) > 1)
            ))
        ):
            native = khmer.from_ala_lc(surface)
            if native:
                out.append((native, KHMER))
                continue
        out.append((surface, script))
    return out


# Vietnamese titles as typed with their marks: Bà (Mrs) is a title, Bá a name.
_VN_TITLE_FORMS = frozenset({"ba2", "ông1", "ngai2", "cu6", "thây2", "cô1", "chi6"})


def _vietnamese_syllables_kept(
    words: list[tuple[str, str]], folded: list[str], start: int, cut: int
) -> bool:
    """True when the words ``start:cut`` that may be titles or names are
    Vietnamese syllables before a Vietnamese name (every word after them one
    Latin syllable): they are then part of the name, in either order (The
    Hung Nguyen, Thai Van Long), unless typed as the title with its marks (Bà)."""
    rest = words[cut:]
    if len(rest) < 2 or not all(sc == LATIN and is_monosyllable(f) for (_, sc), f in zip(rest, folded[cut:], strict=True)):
        return False
    for (surface, script), f in zip(words[start:cut], folded[start:cut], strict=True):
        if script != LATIN or not is_monosyllable(f) or f not in titles.ALSO_NAMES:
            return False
        form = vietnamese_form(surface)
        if form is not None and f"{form[0]}{form[1]}" in _VN_TITLE_FORMS:
            return False
    return True


def _vietnamese_transposition(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The tokens of a Vietnamese name typed without marks with one word's two
    adjacent letters swapped (``Nguyen Mihn Thanh``, ``Tran Thi Huogn``: a
    typing slip) read with the first swap that makes that word a Vietnamese
    syllable (Minh, Huong). Without it the slip keeps the whole name from
    being read as Vietnamese, so an extra given name on the other side
    (Nguyễn Minh Thanh Nam) no longer counts as another person (issue #13,
    h13nd). Only for a name of two or more plain-ASCII Latin words, every
    other word a Vietnamese syllable, exactly one word of three to eight
    letters Vietnamese spelling does not allow (``Vann``, ``Nath`` and
    ``Chhang`` have no such swap), and, once it is read, a family name or
    Văn/Thị among the words (:func:`~borderlink.names.vietnamese.prior_weight`
    below 1; the slip may be in the family name itself: Huyhn). The tokens
    unchanged otherwise; linear in the word's length."""
    if len(tokens) < 2 or not all(t.script == LATIN and t.surface.isascii() for t in tokens):
        return tokens
    odd = [k for k, t in enumerate(tokens) if not (t.mono and is_vietnamese_syllable(t.text))]
    if len(odd) != 1:
        return tokens
    k = odd[0]
    word = tokens[k].surface
    if not (word.isalpha() and 3 <= len(word) <= 8 and word.casefold() == tokens[k].text):
        return tokens
    for i in range(len(word) - 1):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if swapped != word and is_monosyllable(swapped.casefold()) and is_vietnamese_syllable(swapped.casefold()):
            fixed = make_token(swapped, LATIN)
            if fixed is None:
                return tokens
            out = tokens[:k] + (fixed,) + tokens[k + 1:]
            return out if any(t.weight < 1.0 for t in out) else tokens
    return tokens


def _tokens(words: tuple[tuple[str, str], ...]) -> tuple[Token, ...]:
    return tuple(t for t in (make_token(s, sc) for s, sc in words) if t is not None)


@lru_cache(maxsize=20_000)
def split_native(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The tokens with every Lao or Khmer word of several syllables written as
    one word per syllable: how Vietnamese names are written in Lao and Khmer
    script with or without spaces (ຫງວຽນວັນຮຸ່ງ = ຫງວຽນ ວັນ ຮຸ່ງ = Nguyễn Văn
    Hùng). The tokens unchanged when there is no such word."""
    out: list[Token] = []
    for t in tokens:
        sylls: tuple[str, ...] = ()
        if t.script == LAO and not t.mono:
            sylls = lao.romanize_vietnamese_syllables(t.surface)
        elif t.script == KHMER and not t.mono:
            sylls = khmer.romanize_syllables(t.surface)
        if len(sylls) < 2:
            out.append(t)
            continue
        for syl in sylls:
            key = phonetic_key(syl)
            if key:
                out.append(Token(
                    t.surface, syl, key, skeleton(key).translate(_UNVOICE), "", True,
                    prior_weight(syl), t.script,
                ))
    return tuple(out)
