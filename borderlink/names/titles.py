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

import re

from . import lao
from .normalise import clean, fold_latin
from .vietnamese import is_monosyllable, is_vietnamese_syllable

# Latin-script titles (English, romanised Khmer/Lao, Vietnamese), folded to ASCII.
# Multi-word titles are written with spaces; hyphenated forms match joined.
_LATIN_TITLES = """
mr mrs ms miss mister madam madame mme mlle dr doctor prof professor he excellency
his her their majesty royal highness hrh king queen father mother queenmother
kingfather prince princess general gen lieutenant lt ltgen colonel col major maj
brigadegeneral generalmajor generalleutnant sr sra
el sr
la sra
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
ngai
chi
assoc
associate
holiness ajan ajahn ajarn
most venerable
most ven
ajan yai
"""

# Words that are titles before a name and names elsewhere (Setha, Oudom, Pichey
# are Khmer given names, Pol (police) a Khmer family name; Thái, Việt, Bá, Cù, Thân Vietnamese ones; "The" is
# the Vietnamese Thế typed without marks). A run of titles holding one of these
# is dropped only when two or more words of name remain after it, or when a
# title that is no name follows the word (Pol General), and the scorer also
# reads the name with these words kept (:func:`latin_title_run`).
# Issue 13, branch h13nc (the audit of every title word): Thao is Lao ທ້າວ
# (Mr) and the Hmong clan Thao (Thoj). Words that are names and titles only in
# a language whose writers rarely romanise them before a name (Sao, Lao ສາວ
# Miss, and the Khmer family name Sao; Khun, Thai/Lao Khun, and the Khmer
# family name Khun; Pha and Phra, the Lao monk's ພະ/ພຣະ, as the fifth round's
# tests keep them) are not titles at all: dropping them before two words would
# let Khun Sok Heng meet another Sok Heng.
_ALSO_NAMES = """
setha oudom udom ek pichey pichei moha thamma chakrei ponhea sena bat krom pol
the thai viet lao ba cu than thao chao nang phon vua pho dai chi
"""
# English possessives that open a title (Her Excellency, Her Majesty, Her
# Royal Highness) and are a family name: Her is the Hmong clan Her (Hawj). A
# title only before another title word; English writes no "Her" alone before
# a name, so before a name it is a name word, and is not also read as a title.
OPENERS = frozenset({"her"})
# Titles that are also a Vietnamese family name (Ông, Mr, and the family name
# Ông): names only before a name of Vietnamese syllables (Ông Văn Tùng); before
# other names (Ong Kommadam, the Lao ອົງ) or before titles alone (Ông Bà) they
# are titles. Before a Vietnamese name they are dropped and also kept, as
# :data:`ALSO_NAMES` are, whether typed with marks or not.
VIETNAMESE_NAME_TITLES = frozenset({"ong"})

# Descriptions of an office or role written before a name in English or
# Vietnamese ("Cambodian Ambassador to Japan", "midfielder", "Bộ trưởng Bộ Công
# an Đại tướng"): dropped like titles, but only as a run at the front with two
# or more words of name after it. Lines of several words are phrases.
_DESCRIPTIONS = """
ambassador envoy consul minister secretary governor deputy vice prime president
chairman chairwoman chairperson chair director head chief commander commissioner
spokesman spokeswoman spokesperson senator lawmaker legislator mp member mayor
officer captain player midfielder striker forward defender goalkeeper keeper winger
coach manager footballer boxer fighter athlete runner swimmer sprinter cyclist
singer actor actress artist painter sculptor musician composer songwriter rapper
writer author poet novelist journalist reporter editor filmmaker producer
monk venerable abbot nun priest bishop patriarch businessman businesswoman tycoon
entrepreneur lawyer judge prosecutor investigator inspector agent diplomat
former late then acting incumbent new newly elected appointed designate
national provincial municipal district senior junior police army military
foreign affairs interior defence defense security public finance economy
commerce trade education health justice information culture sport sports tourism
ministry department office committee council assembly senate parliament party
central state government embassy team club fc star veteran champion olympic
medalist medallist gold silver bronze world cup international
king queen prince princess royal highness majesty lord
cambodian cambodia khmer laos laotian vietnamese vietnam thai thailand chinese
china japan japanese korea korean american america france french russia russian
india indian australia australian singapore singaporean malaysia malaysian
indonesia indonesian philippines filipino myanmar burmese burma asean
britain british german germany european un
united states
united nations
bo truong
thu truong
thu tuong
chinh phu
quoc hoi
chu tich
pho chu tich
tong bi thu
bi thu
uy vien
bo chinh tri
trung uong
ban chap hanh
bo cong an
bo quoc phong
bo ngoai giao
bo tu phap
bo tai chinh
bo noi vu
bo y te
bo cong thuong
bo xay dung
bo giao duc
bo ke hoach
dau tu
dao tao
cong an
ngoai giao
quoc phong
tu phap
tai chinh
noi vu
giam doc
pho giam doc
cuc truong
vu truong
truong ban
truong phong
tong cuc
chanh an
vien truong
dai bieu
uy ban
nhan dan
thanh pho
dai uy
thuong uy
trung uy
thieu uy
dai su dac menh toan quyen
dac menh toan quyen
viet nam
cong hoa
xa hoi chu nghia
nha bao
ca si
nghe si
nhac si
hoa si
nha van
cau thu
tien dao
hau ve
thu mon
tien ve
huan luyen vien
van dong vien
thuong toa
hoa thuong
dai duc
linh muc
giam muc
doanh nhan
luat su
ubnd
hdnd
uy ban nhan dan
hoi dong nhan dan
chanh van phong
chu nhiem
environment agriculture forestry fisheries labour labor industry energy mines
transport telecommunications post planning rural development land construction
water resources women veterans welfare youth religions cults tourism investment
popular famous renowned legendary beloved pop superstar legend idol icon celebrity
first second third fourth fifth petanque football soccer volleyball boxing badminton
tennis taekwondo karate wrestling kickboxer kickboxing athletics marathon campuchia
tong giam doc
pho tong giam doc
thai lan
trung quoc
lao supreme rouge leader leaders chairwoman governor cambodias laos vietnams
thailands chinas japans buddhist religious patriarch rector dean professor
khmer rouge
film movie cinema screen stage songstress vocalist crooner pianist guitarist violinist
dancer choreographer playwright dramatist architect activist dissident scholar historian
philosopher teacher educator physician healer master grandmaster martial arts top leading
acclaimed celebrated great crown heir regent emperor empress monarch founder hero
tac gia
vo su
vo si
danh y
thi hao
dai thi hao
nha tho
tuyen thu
danh thu
kien tuong
dien vien
nghe nhan
nha giao
nha su hoc
bac si
ky su
kien truc su
dao dien
bien kich
hoa hau
nha soan nhac
nha nghien cuu
hoc gia
nha khoa hoc
thien su
danh tuong
anh hung
tuong quan
hoang de
le general
le professeur
le docteur
le president
le roi
le prince
la princesse
la reine
le ministre
le maitre
le poete
la chanteuse
le chanteur
l ecrivain
professeur docteur roi reine ministre ecrivain poete chanteur chanteuse maitre
somdet somdej phaya phraya sathu achar acharya achariya sangha raja sangharaja
somdet phra
somdej phra
survivor
researcher
royalist
strongman
saint
co
gia lang
dai tieng noi
dai truyen hinh
thong tan xa
phnom penh
siem reap
luang prabang
ho chi minh city
"""

# Provinces and cities of the three countries: "Giám đốc Công an tỉnh Quảng
# Trị", "Phnom Penh Governor", "Savannakhet governor". Vietnamese ones are
# phrases after tỉnh/thành phố (Hòa Bình, Bình Định are also given names);
# Lao and Khmer ones are words of their own, too long to be a given name's
# syllable.
_VN_PROVINCES = """
an giang|ba ria vung tau|bac giang|bac kan|bac lieu|bac ninh|ben tre|binh dinh|
binh duong|binh phuoc|binh thuan|ca mau|cao bang|dak lak|dak nong|dien bien|
dong nai|dong thap|gia lai|ha giang|ha nam|ha tinh|hai duong|hau giang|hoa binh|
hung yen|khanh hoa|kien giang|kon tum|lai chau|lam dong|lang son|lao cai|long an|
nam dinh|nghe an|ninh binh|ninh thuan|phu tho|phu yen|quang binh|quang nam|
quang ngai|quang ninh|quang tri|soc trang|son la|tay ninh|thai binh|thai nguyen|
thanh hoa|thua thien hue|hue|tien giang|tra vinh|tuyen quang|vinh long|vinh phuc|
yen bai|can tho|da nang|hai phong|ha noi|ho chi minh
"""
_PROVINCE_WORDS = """
vientiane savannakhet champasak champassak attapeu bokeo bolikhamxay khammouane
oudomxay phongsaly saravane salavan sekong xayaboury xiengkhouang houaphanh
luangnamtha luangprabang battambang kampongcham kampot kandal kratie pursat
takeo svayrieng preyveng kohkong mondulkiri ratanakiri stungtreng oddarmeanchey
banteaymeanchey pailin kep sihanoukville hanoi saigon bangkok
"""
for _prov in (p.strip() for p in _VN_PROVINCES.replace("\n", "").split("|")):
    if _prov:
        _DESCRIPTIONS += f"tinh {_prov}\nthanh pho {_prov}\ntp {_prov}\n"
_DESCRIPTIONS += "\n".join(_PROVINCE_WORDS.split()) + "\n"
# Vietnamese teachers and consuls (issue 13, eighth round): lecturer, teacher
# (of a woman, of a man), consul, consul general
_DESCRIPTIONS += "giang vien\ngiao vien\nco giao\nthay giao\nlanh su\ntong lanh su\n"
# Issue 13, ninth round. Vietnamese offices and roles written before the name of
# a Cambodian official or a Vietnamese athlete or artist: provincial governor
# and council (tỉnh trưởng, hội đồng tỉnh), pilot, hero of the armed forces
# (anh hùng lực lượng vũ trang nhân dân), athlete and its abbreviation VĐV,
# beauty queen, chess player, shooter, and the sports named after them (nhảy
# xa long jump, điền kinh athletics, cờ vua chess ...); Cambodian and Lao
# provinces spelt in two words, alone and after tỉnh (Prey Veng, Svay Rieng);
# French articles' role nouns of sports pages (la sauteuse en longueur, la
# reine du sprint) and French and German compound ranks (général de corps
# d'armée, Brigadegeneral); Spanish Sr./Sra.
_DESCRIPTIONS += """
tinh truong
pho tinh truong
hoi dong
hoi dong tinh
phi cong
luc luong
vu trang
vdv
nguoi dep
ky thu
xa thu
nhay xa
nhay cao
dien kinh
co vua
ban sung
boi loi
quyen anh
the duc dung cu
wushu
pencak silat
karate
judo
sprint
gymnastics
chess
shooting
grand
sauteuse sauteur sprinteuse sprinteur gymnaste lutteur lutteuse boxeur nageur nageuse coureur coureuse
championne joueur joueuse pilote longueur hauteur
la sauteuse
le sauteur
en longueur
en hauteur
darmee
general de corps
general de division
general de brigade
"""
# Issue 13, false matches at a million distractors: Vietnamese ministries
# after Bộ trưởng/Thứ trưởng (Bộ) written out whole, the fields of a
# professor or doctor (GS. toán học), and tỉnh before a province written as
# one word (tỉnh Bo-li-khăm-xay). Whole phrases only: their words alone are
# given names (Tài, Nguyên, Toàn).
_DESCRIPTIONS += """
tai nguyen va moi truong
bo tai nguyen va moi truong
nong nghiep va phat trien
phat trien nong thon
nong thon
lao dong thuong binh
thuong binh va xa hoi
giao thong van tai
khoa hoc va cong nghe
thong tin va truyen thong
van hoa the thao
the thao va du lich
ke hoach va dau tu
giao duc va dao tao
toan hoc
vat ly
hoa hoc
sinh hoc
su hoc
van hoc
y hoc
triet hoc
ngon ngu hoc
kinh te hoc
luat hoc
"""
_DESCRIPTIONS += "".join(
    f"tinh {w}\n" for w in (
        *_PROVINCE_WORDS.split(),
        # Lao provinces in Vietnamese transcription, written as one word
        "champaxac", "xavannakhet", "viengchan", "atapu", "xekong", "xalavan", "xaravan",
        "phongxaly", "phongxali", "udomxay", "khammuon", "huaphan", "xiengkhoang", "xaynhabuly",
        "luongphabang", "luongnamtha",
    )
)
_SPACED_PROVINCES = """
prey veng|svay rieng|koh kong|kampong cham|kampong thom|kampong speu|kampong chhnang|
stung treng|oddar meanchey|banteay meanchey|preah vihear|tbong khmum|mondul kiri|
ratanak kiri|preah sihanouk|luang namtha|luang prabang|xieng khouang
"""
for _prov in (p.strip() for p in _SPACED_PROVINCES.replace("\n", "").split("|")):
    if _prov:
        _DESCRIPTIONS += f"{_prov}\ntinh {_prov}\n"

# Small words that join the parts of a description ("Ambassador to Japan",
# "Minister of Foreign Affairs", "Bộ Kế hoạch và Đầu tư"): part of a run only
# between two of its words.
CONNECTORS = frozenset({
    "to", "of", "for", "and", "in", "at", "from", "the", "on", "va", "cua", "tai",
    # French (la reine du sprint, le champion des jeux): ninth round
    "du", "de", "des",
})

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


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    lines = [line.split() for line in text.strip().splitlines()]
    return frozenset(
        tuple(fold_latin(w) for w in words) for words in lines if 1 < len(words) <= 3
    ) | frozenset(
        (fold_latin(w),) for words in lines if len(words) == 1 or len(words) > 3 for w in words
    )


ALSO_NAMES = frozenset(_ALSO_NAMES.split())
DESCRIPTIONS = frozenset(
    tuple(fold_latin(w) for w in line.split())
    for line in _DESCRIPTIONS.strip().splitlines() if 1 < len(line.split()) <= 6
) | frozenset(
    (fold_latin(w),) for line in _DESCRIPTIONS.strip().splitlines()
    if len(line.split()) == 1 or len(line.split()) > 6 for w in line.split()
)
# Every run word given twice a name's length is worth trying; phrases are short.
MAX_TITLE_WORDS = 6

KHMER_HEADS: tuple[str, ...] = (
    "សម្តេច", "ឯកឧត្តម", "លោកជំទាវ", "លោកស្រី", "លោក", "អ្នកឧកញ៉ា", "ឧកញ៉ា",
    "អ្នកស្រី", "អ្នកនាង", "អ្នក", "ព្រះករុណា", "ព្រះបាទ", "ព្រះអង្គ", "ព្រះ",
    "ឧត្តមសេនីយ៍", "បណ្ឌិត", "ស្តេច", "ក្សត្រ", "ក្សត្រី",
    # offices, royal and religious titles
    "នាយករដ្ឋមន្ត្រី", "ឧបនាយករដ្ឋមន្ត្រី", "រដ្ឋមន្ត្រី", "រដ្ឋលេខាធិការ", "អភិបាល",
    "ឯកអគ្គរាជទូត", "អគ្គរាជទូត", "អនុប្រធាន", "ប្រធាន", "អគ្គនាយក", "នាយឧត្តមសេនីយ៍",
    "វរសេនីយ៍", "ព្រះតេជគុណ", "ព្រះសង្ឃរាជ", "ព្រះមហា", "ព្រះគ្រូ", "ភិក្ខុ", "ភិក្ខុនី",
    "ព្រះអង្គម្ចាស់", "អ្នកអង្គម្ចាស់", "អ្នកម្នាង", "ព្រះមហាក្សត្រ", "ព្រះមហាក្សត្រី",
    "ព្រះរាជ", "ព្រះចៅ", "ព្រះនាង", "សម្តេចព្រះ",
    # professions and roles written before a name (singer, writer, poet, athlete ...)
    "តារាចម្រៀង", "តារាសម្តែង", "តារាភាពយន្ត", "អ្នកចម្រៀង", "អ្នកនិពន្ធ", "មហាកវី",
    "កីឡាករ", "កីឡាការិនី", "អ្នកកាសែត", "តន្ត្រីករ", "វិចិត្រករ", "អ្នកប្រដាល់",
    "គ្រូប្រដាល់", "លោកតា", "អាចារ្យ", "ព្រះអាចារ្យ",
    # Miss, champion, former (អតីតទណ្ឌិត former prisoner, អតីតរដ្ឋមន្ត្រី)
    "កញ្ញា", "ជើងខ្លាំង", "អតីត",
)
KHMER_HONORIFICS: tuple[str, ...] = (
    "អគ្គ", "មហា", "សេនាបតី", "តេជោ", "បវរ", "ធិបតី", "កិត្តិ", "ព្រឹទ្ធ", "បណ្ឌិត",
    "ក្រឡាហោម", "ធម្ម", "ពោធិ៍សាល", "ពញា", "ចក្រី", "សេដ្ឋា", "ពិជ័យ", "សេនា", "ព្រះ",
    "ករុណា", "បាទ", "បរមនាថ", "ក្រុម", "មហេស្សរា", "ឯក", "ឧត្តម", "ជំទាវ", "ឧកញ៉ា",
    "ទី", "ឯកឧត្តម", "តេជគុណ", "សង្ឃរាជ", "គ្រូ", "អង្គម្ចាស់", "ម្ចាស់", "រាជ",
    "មហាក្សត្រ", "មហាក្សត្រី", "ក្សត្រ", "ក្សត្រី", "ទោ", "ត្រី", "សម្តេច", "នាង", "ចៅ",
    "អគ្គមហាសេនាបតី", "រាជបុត្រ", "រាជបុត្រី", "វង្ស", "បរម",
)
LAO_HEADS: tuple[str, ...] = (
    "ທ່ານນາງ", "ທ່ານ", "ນາງ", "ທ້າວ", "ສະຫາຍ", "ເຈົ້າ", "ພົນເອກ", "ພົນໂທ", "ພົນຕີ",
    "ພັນເອກ", "ພັນໂທ", "ພັນຕີ", "ຮ້ອຍເອກ", "ຮ້ອຍໂທ", "ຮ້ອຍຕີ", "ອາຈານ",
    "ສົມເດັດ", "ເຈົ້າຟ້າ", "ຍາທ່ານ", "ສາສະດາຈານ",
    # offices, royal and religious titles
    "ນາຍົກລັດຖະມົນຕີ", "ຮອງນາຍົກລັດຖະມົນຕີ", "ລັດຖະມົນຕີ", "ຮອງລັດຖະມົນຕີ",
    "ປະທານປະເທດ", "ຮອງປະທານປະເທດ", "ປະທານສະພາແຫ່ງຊາດ", "ປະທານ", "ຮອງປະທານ",
    "ເລຂາທິການໃຫຍ່", "ເລຂາທິການ", "ເອກອັກຄະລັດຖະທູດ", "ເຈົ້າແຂວງ", "ຫົວໜ້າ",
    "ພະເຈົ້າ", "ພະບາດ", "ພຣະ", "ພະມະຫາ", "ພະອາຈານ", "ຍາຄູ", "ສາທຸ", "ມະຫາ",
    "ເຈົ້າມະຫາຊີວິດ", "ເຈົ້າຊີວິດ", "ເຈົ້າອຸປະລາດ", "ພະລາຊາ", "ເຈົ້າຍິງ", "ເຈົ້ານາງ",
    "ພົນຈັດຕະວາ", "ພັນຕີ", "ນາງສາວ",
    # professions and roles written before a name (writer, singer, boxing master ...)
    "ນັກປະພັນ", "ນັກຂຽນ", "ນັກຮ້ອງ", "ນັກສະແດງ", "ນັກກິລາ", "ນັກດົນຕີ", "ນັກແຕ່ງເພງ",
    "ນັກກະວີ", "ນັກຂ່າວ", "ນັກເຕະ", "ນັກມວຍ", "ອາຈານມວຍ", "ນັກປະຫວັດສາດ", "ທ່ານໝໍ",
    "ຍານາງ", "ສະເດັດ", "ພຣະບາທ", "ສົມເດັຈ",
    # Excellency (ambassadors), and academic degrees written before a name
    # (master's, doctor's, bachelor's)
    "ພະນະທ່ານ", "ພະນະທ່ານນາງ", "ປະລິນຍາໂທ", "ປະລິນຍາເອກ", "ປະລິນຍາຕີ",
)
# Abbreviations that are titles only as a word of their own, never as a prefix.
LAO_WHOLE_WORD = frozenset({"ປອ", "ດຣ", "ພະ"})
LAO_HONORIFICS: tuple[str, ...] = (
    "ເຈົ້າ", "ຟ້າ", "ມະຫາ", "ອຸປະລາດ", "ເອກ", "ໂທ", "ຕີ", "ພະ", "ພຣະ", "ບາດ", "ລາຊາ",
    "ຊີວິດ", "ສັງຄະລາດ", "ສົມເດັດ", "ຍາ", "ອົງ", "ຈັດຕະວາ",
    # older spellings of royal titles (ສົມເດັຈ, ພຣະບາທ, ມະຫາຊີວິຕ) and the crown prince
    "ສົມເດັຈ", "ບາທ", "ຊີວິຕ", "ມົງກຸດຣາຊະກຸມາຣ", "ເຈົ້າ",
)
# Spell the lists as clean() spells text (Khmer order, subscript ដ as ត, ໜ as ຫນ).
KHMER_HEADS = tuple(clean(w) for w in KHMER_HEADS)
KHMER_HONORIFICS = tuple(clean(w) for w in KHMER_HONORIFICS)
LAO_HEADS = tuple(clean(w) for w in LAO_HEADS)
LAO_HONORIFICS = tuple(clean(w) for w in LAO_HONORIFICS)


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


_LAO_VOWEL_SIGNS = frozenset(
    "\u0eb0\u0eb1\u0eb2\u0eb3\u0eb4\u0eb5\u0eb6\u0eb7\u0eb8\u0eb9\u0ebb\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4\u0ecd"
)


# Lao religious titles written glued to a monk's given name (ພຣະສິດ, ພະສິດ:
# the Venerable Sith), the older spelling with ຣ and the modern one.
LAO_GLUED_RELIGIOUS = (clean("ພຣະ"), clean("ພະ"))


def glued_lao_religious_title(token: str) -> int:
    """The length of a Lao religious title ພຣະ or ພະ glued to the start of
    ``token``, 0 when there is none or when what remains is not a name (issue
    #13: "A word is a title only where it stands before a name and what
    remains is still a name"). What remains must be a word of its own: it
    opens with a consonant that starts a syllable (not a vowel sign, tone mark
    or final that the title's syllable would take), it reads as the same
    syllables it has inside the whole word, and it is neither empty nor itself
    a title (ພະເຈົ້າ is the title ພະເຈົ້າ, not ພະ + ເຈົ້າ). Twelfth round."""
    for title in LAO_GLUED_RELIGIOUS:
        if not token.startswith(title) or len(token) <= len(title):
            continue
        rest = token[len(title):]
        if _longest_prefix(token, LAO_HEADS) not in ("", title):
            return 0  # a longer title (ພະເຈົ້າ, ພະບາດ, ພຣະບາທ ...)
        if _longest_prefix(rest, LAO_HEADS + LAO_HONORIFICS) or rest in LAO_WHOLE_WORD:
            return 0
        first = rest[0]
        if not (lao.is_lao_consonant(first) or first in "ເແໂໄໃ"):
            return 0
        whole = lao.romanize_syllables(token)
        own = lao.romanize_syllables(rest)
        head = lao.romanize_syllables(title)
        if not own or whole != head + own:
            return 0
        return len(title)
    return 0


def native_title_word(token: str, rest: str, script: str) -> bool:
    """True when the whole of a leading Lao or Khmer ``token`` reads as a title
    although only its start is in the lists: it opens with a title head
    (``សម្តេច`` + ``វិបុលបញ្ញា``, ``លោក`` + ``តា``), or it is a Lao
    abbreviation: two or three letters without a vowel, which no Lao syllable
    is (``ຮສ`` in ``ທ່ານ ຮສ.ປອ``).
    ``rest`` is what :func:`strip_native_prefix` left of it. The caller drops
    it only when a name of two or more words follows."""
    heads = KHMER_HEADS if script == "khmer" else LAO_HEADS
    if rest != token and _longest_prefix(token, heads):
        return True
    return (
        script == "lao" and rest == token and 1 < len(token) <= 3
        and not any(c in _LAO_VOWEL_SIGNS for c in token)
    )


def _longest_prefix(text: str, words: tuple[str, ...]) -> str:
    best = ""
    for w in words:
        if text.startswith(w) and len(w) > len(best):
            best = w
    return best


def latin_title_run(
    folded_words: list[str], abbreviations: frozenset[int] = frozenset()
) -> tuple[int, int]:
    """The title run at the front of a name in Latin letters.

    ``folded_words`` are the words folded to ASCII ("" for a word in another
    script). Returns ``(cut, soft_from)``: drop ``folded_words[:cut]``; when
    ``soft_from < cut`` the words from ``soft_from`` on may also be names
    (:data:`ALSO_NAMES`, :data:`DESCRIPTIONS`) and the name is also read with
    them kept. A word is a title only where it stands before a name and what
    remains is still a name: a run that holds such words needs two or more
    words after it; a run of titles alone needs one, and a name that is nothing
    but titles of that kind gives ``cut == len(folded_words)`` (an empty name).
    A word of :data:`ALSO_NAMES` followed by a title that is no name (Pol
    General) is read as that title's first word; a word of :data:`OPENERS`
    is a title only so (Her Excellency), a name word otherwise; one of
    :data:`VIETNAMESE_NAME_TITLES` may be a name only before Vietnamese
    syllables.
    ``abbreviations`` are the positions of words written as abbreviations
    (:func:`is_abbreviation`: "PM", "DPM"); in a run they are read like
    descriptions.
    """
    # the run's phrases: (start, length, soft, an ambiguous title word)
    phrases: list[tuple[int, int, bool, bool]] = []
    i = 0
    n_words = len(folded_words)
    while i < n_words:
        n, soft = _phrase_at(folded_words, i, abbreviations)
        if n == 0 and i > 0 and folded_words[i] in CONNECTORS:
            n2, soft2 = _phrase_at(folded_words, i + 1, abbreviations)
            if n2:
                n, soft = n2 + 1, soft2
        if n == 0:
            break
        word = folded_words[i]
        ambiguous = n == 1 and (word,) in LATIN_TITLES and (
            word in ALSO_NAMES or word in VIETNAMESE_NAME_TITLES
        )
        if word in VIETNAMESE_NAME_TITLES and n == 1:
            # Ông is a family name only before a Vietnamese name
            after = folded_words[i + 1:]
            soft = ambiguous = (
                all(w and is_vietnamese_syllable(w) for w in after)
                and not all((w,) in LATIN_TITLES for w in after)
            )
        if word in OPENERS and n == 1:
            # Her is a title only before another title word
            nxt, nxt_soft = _phrase_at(folded_words, i + 1, abbreviations)
            if nxt == 0 or nxt_soft:
                break
        phrases.append((i, n, soft, ambiguous))
        i += n
    # An ambiguous title word followed by a title that is no name (Her
    # Excellency, Her Royal Highness, Pol General) is a title there: it
    # stands before a title, not as the first word of a name (issue 13, h13nc).
    for k in range(len(phrases) - 2, -1, -1):
        start, n, soft, ambiguous = phrases[k]
        if ambiguous and soft and not phrases[k + 1][2]:
            phrases[k] = (start, n, False, ambiguous)
    # candidate cuts at phrase boundaries: (end, first soft word or None)
    cuts: list[tuple[int, int | None]] = []
    soft_from = None
    any_pure = False
    for start, n, soft, _ in phrases:
        if soft and soft_from is None:
            soft_from = start
        any_pure = any_pure or not soft
        cuts.append((start + n, soft_from))
    if cuts and cuts[-1][0] == n_words and any_pure:
        return n_words, n_words  # nothing but titles (Ông Bà): an empty name
    for end, soft_at in reversed(cuts):
        remaining = n_words - end
        if remaining >= (2 if soft_at is not None else 1):
            return end, end if soft_at is None else soft_at
        if remaining == 0 and soft_at is None:
            return end, end
    return 0, 0


# A word ending in -based (folded, the hyphen gone: "parisbased") says where a
# person works, as a description does.
_BASED = re.compile(r"[a-z]{3,}based")


def _phrase_at(
    words: list[str], start: int, abbreviations: frozenset[int] = frozenset()
) -> tuple[int, bool]:
    """Length of the longest title or description phrase at ``start`` (0 if
    none) and whether it may also be a name (soft)."""
    for n in range(MAX_TITLE_WORDS, 0, -1):
        if start + n > len(words):
            continue
        phrase = tuple(words[start:start + n])
        if not all(phrase):
            continue
        if phrase in LATIN_TITLES:
            return n, n == 1 and phrase[0] in ALSO_NAMES
        if phrase in DESCRIPTIONS:
            return n, True
    if start < len(words) and _BASED.fullmatch(words[start]):
        return 1, True  # "Saint Paul-based playwright", "Paris-based"
    if start in abbreviations:
        return 1, True
    return 0, False


def starts_description(folded_words: list[str], start: int) -> bool:
    """True when a title or description phrase begins at ``start``."""
    return _phrase_at(folded_words, start)[0] > 0


def ends_description(folded_words: list[str], end: int) -> bool:
    """True when a title or description phrase ends just before ``end``."""
    return any(
        _phrase_at(folded_words, start)[0] == end - start for start in range(max(0, end - MAX_TITLE_WORDS), end)
    )


def is_abbreviation(surface: str, folded: str, all_capitals: bool) -> bool:
    """True when a Latin word is written as an abbreviation of an office or body
    ("PM", "DPM", "MP", "FFC", "UNDP"): two to five capital letters in a name
    that is not written all in capitals, and not one syllable a name could have
    (a word without a vowel, or one that is no syllable: "LE", "VU", "OUK" are
    family names). Such words before a name are read like descriptions
    (:func:`latin_title_run`), so a word that could be a name is also kept."""
    if all_capitals or not (2 <= len(surface) <= 5) or not surface.isalpha() or not surface.isupper():
        return False
    return not any(c in "aeiouy" for c in folded) or not is_monosyllable(folded)


def latin_title_length(folded_words: list[str], start: int) -> int:
    """How many words from ``start`` form a Latin-script title (0 if none)."""
    for n in range(MAX_TITLE_WORDS, 0, -1):
        if start + n <= len(folded_words) and tuple(folded_words[start:start + n]) in LATIN_TITLES:
            return n
    return 0


# English nouns of a role or office that end a description written before a
# name (the head of an English noun phrase comes last: "NagaWorld union
# leader", "Goldman prize winner", "radio station owner"): whatever precedes
# one of them, names of organisations and places included, is description.
ROLE_NOUNS = frozenset("""
leader winner owner director analyst representative exponent legend lawyer
spokesman spokeswoman spokesperson governor president chairman chairwoman
minister ambassador official activist researcher founder cofounder secretary
chief boxer fighter champion singer actor actress writer author poet monk
coach player footballer journalist reporter editor lawmaker senator mayor
commander general colonel officer member survivor defender advocate organizer
organiser campaigner unionist tycoon businessman businesswoman entrepreneur
star athlete pilot sprinter jumper gymnast queen grandmaster shooter wrestler
swimmer runner
""".split())
# Words of a role noun's phrase that cannot stand first in a name left after it
_ARTICLES = frozenset({"the", "a", "an"})


def role_noun_cut(folded_words: list[str]) -> int:
    """How many leading words of a Latin name are an English description that
    ends with a role noun (:data:`ROLE_NOUNS`), whatever words come before it
    (``Goldman prize winner Sok Dara``: 3); 0 when there is none. Only when
    two or more words of name follow, all in Latin letters up to the noun,
    and the noun is not the name's first word (a lone ``Leader`` could be a
    nickname)."""
    n = len(folded_words)
    for k in range(min(n - 3, 2 * MAX_TITLE_WORDS), 0, -1):
        if folded_words[k] in ROLE_NOUNS and all(folded_words[:k + 1]):
            if any(_describes(w) for w in folded_words[k + 1:]):
                # what follows is still a description (Sok Dara, deputy
                # director general of the national police): no name after it
                return 0
            return k + 1
    return 0


def _describes(word: str) -> bool:
    return word in ROLE_NOUNS or word in CONNECTORS or (word,) in DESCRIPTIONS or (word,) in LATIN_TITLES


def drop_apposition(text: str) -> str:
    """``text`` without a part set off by a comma that is an English
    description in apposition to the name: it opens with an article, or it
    opens and ends with a role noun or description word, and holds one after
    its first word (``Sok Dara, the defence lawyer``; ``the president of the
    federation, Sok Dara``; ``Sok Dara, deputy director of the police``), and
    at least two words are left.
    A comma between a family name and a given name (``Nguyen, The Hung``)
    stays: such a part holds no role word."""
    if "," not in text:
        return text
    parts = text.split(",")
    keep = []
    for part in parts:
        words = [fold_latin(w) for w in re.findall(r"[^\W\d_]+", part)]
        if (
            len(words) >= 2
            and (
                words[0] in _ARTICLES
                # a description from its first word to its last (not one
                # before a name: Hero of Labour Nguyen Van An)
                or ((words[0] in ROLE_NOUNS or (words[0],) in DESCRIPTIONS) and _describes(words[-1]))
            )
            and any(w in ROLE_NOUNS or (w,) in DESCRIPTIONS for w in words[1:])
            and not role_noun_cut(words)  # not a description followed by a name
        ):
            continue
        keep.append(part)
    if len(keep) == len(parts) or sum(len(p.split()) for p in keep) < 2:
        return text
    return ",".join(keep)


# Khmer offices that also follow a name, as a description after it (លោក … អគ្គនាយក
# នៃ …, director-general of …; … អភិបាលខេត្ត, governor of the province).
KHMER_OFFICES: tuple[str, ...] = tuple(clean(w) for w in (
    "នាយករដ្ឋមន្ត្រី", "ឧបនាយករដ្ឋមន្ត្រី", "រដ្ឋមន្ត្រី", "រដ្ឋលេខាធិការ", "អភិបាល",
    "ឯកអគ្គរាជទូត", "អគ្គរាជទូត", "អនុប្រធាន", "ប្រធាន", "អគ្គនាយក", "អនុរដ្ឋលេខាធិការ",
))


def trailing_khmer_office(token: str) -> bool:
    """True when a Khmer word opens with an office (:data:`KHMER_OFFICES`):
    written after a name, it describes the person (the caller drops it only
    after a name of two or more words)."""
    return bool(_longest_prefix(token, KHMER_OFFICES))


def glued_khmer_office_at(token: str) -> int:
    """Where an office (:data:`KHMER_OFFICES`) glued after a name begins in a
    Khmer word (``ឈិតសុខាអភិបាលខេត្ត…``: the name, then "governor of the
    province"), or 0 when there is none after at least four letters of name."""
    best = 0
    for office in KHMER_OFFICES:
        k = token.find(office, 4)
        if k > 0 and (best == 0 or k < best):
            best = k
    return best
