"""Titles, honorifics and ranks in Khmer, Lao, Vietnamese and English.

Titles are dropped from the front of a name (where they are written), never
from the middle or the end, and never when nothing would be left of the name
but the title itself; a name that is only a title is treated as empty.

Khmer and Lao write titles glued to the name (``សម្តេចតេជោ``,
``ເຈົ້າເພັດຊະລາດ``), so native titles are also stripped as prefixes of a token.
A Khmer title is a head (``សម្តេច``, ``ឯកឧត្តម``, ``លោក`` ...) followed by any
number of honorific words (``អគ្គ``, ``មហា``, ``សេនាបតី``, ``តេជោ`` ...).
"""

from __future__ import annotations

from .normalise import fold_latin

# Latin-script titles (English, romanised Khmer/Lao, Vietnamese), folded to ASCII.
# Multi-word titles are written with spaces; hyphenated forms match joined.
_LATIN_TITLES = """
mr mrs ms miss mister madam madame mme mlle dr doctor prof professor he excellency
his her their majesty royal highness hrh king queen father mother queenmother
kingfather prince princess general gen lieutenant lt ltgen colonel col major maj
brigadier police pol comrade sir lady minister deputy prime president chairman
vice senior hon honorable honourable the amb ambassador
samdech samdach sdech akka akkak akeak moha sena padei senapadei techo thipadei
borvor bovor kralahom krolahom kralahorm pichey pichei kittipritbandit
kittiprittpundit kittipritbundit preah bat karuna baromneath boromneath krom
mohessara thamma pothisal ponhea chakrei setha lok lork chumteav chumtiev oknha
okhna neak ukna sdach ek oudom akka
than sahay chao thao nang phon phonek phontho phontri sathou
ong ba ngai cu vua
dong chi
tong bi thu
bi thu
chu tich nuoc
chu tich
nuoc
thu tuong
pho thu tuong
pho
bo truong
thu truong
ngoai giao
cong an
quoc phong
dai tuong
thuong tuong
trung tuong
thieu tuong
thong tuong
dai ta
thuong ta
trung ta
thieu ta
hoang than
cong chua
quoc vuong
hoang hau
thai hau
tien si
giao su
pho giao su
xam dec
xamdec
nha vua
dai su
"""

LATIN_TITLES: frozenset[tuple[str, ...]] = frozenset(
    tuple(fold_latin(w) for w in line.split())
    for line in _LATIN_TITLES.strip().splitlines()
    if len(line.split()) > 1
) | frozenset(
    (fold_latin(w),)
    for line in _LATIN_TITLES.strip().splitlines()
    if len(line.split()) == 1 or len(line.split()) > 3
    for w in line.split()
)
# Words listed alone on a line that holds several words are single-word titles;
# lines of two or three words are phrases. Longest phrases are tried first.
MAX_TITLE_WORDS = 3

KHMER_HEADS = (
    "សម្តេច", "ឯកឧត្តម", "លោកជំទាវ", "លោកស្រី", "លោក", "អ្នកឧកញ៉ា", "ឧកញ៉ា",
    "អ្នកស្រី", "អ្នកនាង", "អ្នក", "ព្រះករុណា", "ព្រះបាទ", "ព្រះអង្គ", "ព្រះ",
    "ឧត្តមសេនីយ៍", "បណ្ឌិត", "ស្តេច", "ក្សត្រ", "ក្សត្រី",
)
KHMER_HONORIFICS = (
    "អគ្គ", "មហា", "សេនាបតី", "តេជោ", "បវរ", "ធិបតី", "កិត្តិ", "ព្រឹទ្ធ", "បណ្ឌិត",
    "ក្រឡាហោម", "ធម្ម", "ពោធិ៍សាល", "ពញា", "ចក្រី", "សេដ្ឋា", "ពិជ័យ", "សេនា", "ព្រះ",
    "ករុណា", "បាទ", "បរមនាថ", "ក្រុម", "មហេស្សរា", "ឯក", "ឧត្តម", "ជំទាវ", "ឧកញ៉ា",
    "ទី", "ឯកឧត្តម",
)
LAO_HEADS = (
    "ທ່ານນາງ", "ທ່ານ", "ນາງ", "ທ້າວ", "ສະຫາຍ", "ເຈົ້າ", "ພົນເອກ", "ພົນໂທ", "ພົນຕີ",
    "ພັນເອກ", "ພັນໂທ", "ພັນຕີ", "ຮ້ອຍເອກ", "ຮ້ອຍໂທ", "ຮ້ອຍຕີ", "ອາຈານ",
    "ສົມເດັດ", "ເຈົ້າຟ້າ", "ຍາທ່ານ", "ສາສະດາຈານ",
)
# Abbreviations that are titles only as a word of their own, never as a prefix.
LAO_WHOLE_WORD = frozenset({"ປອ", "ດຣ", "ພະ"})
LAO_HONORIFICS = ("ເຈົ້າ", "ຟ້າ", "ມະຫາ", "ອຸປະລາດ", "ເອກ", "ໂທ", "ຕີ")


def strip_native_prefix(token: str, script: str, in_title: bool) -> tuple[str, bool]:
    """Strip a native-script title from the start of ``token``.

    Returns the rest of the token (possibly empty: the token was all title) and
    whether a title run is still open, so that the honorific words that follow a
    head in the next token (``សម្តេចអគ្គមហាសេនាបតី តេជោ``) are dropped too.
    """
    heads, honorifics = (
        (KHMER_HEADS, KHMER_HONORIFICS) if script == "khmer" else (LAO_HEADS, LAO_HONORIFICS)
    )
    if script == "lao" and token in LAO_WHOLE_WORD:
        return "", True
    rest = token
    head = _longest_prefix(rest, heads)
    if head:
        rest, in_title = rest[len(head):], True
    while in_title and rest:
        word = _longest_prefix(rest, honorifics + heads)
        if not word:
            break
        rest = rest[len(word):]
    return rest, bool(in_title and not rest)


def _longest_prefix(text: str, words: tuple[str, ...]) -> str:
    best = ""
    for w in words:
        if text.startswith(w) and len(w) > len(best):
            best = w
    return best


def latin_title_length(folded_words: list[str], start: int) -> int:
    """How many words from ``start`` form a Latin-script title (0 if none)."""
    for n in range(MAX_TITLE_WORDS, 0, -1):
        if start + n <= len(folded_words) and tuple(folded_words[start:start + n]) in LATIN_TITLES:
            return n
    return 0
