"""Issue 13, "Titles": words that are titles in one place and names in another
must not be eaten (branch h13nc). "A word is a title only where it stands
before a name and what remains is still a name."

Title words that are also family or given names in the communities served:
English ``Her`` (Her Excellency) and the Hmong clan Her: a title only before
another title word, a name word otherwise. Lao ທ້າວ Thao (Mr) and the Hmong
clan Thao; Vietnamese Ông (Mr) and the family name Ông (before Vietnamese
syllables only; before a Lao name, as in Ong Kommadam, a title): dropped only
before a name of two or more words, or when another title word follows, and
the name is also read with the word kept; before a single word a name. Sao
(Lao ສາວ Miss, Khmer family name), Khun (Thai/Lao title, Khmer family name),
Pha and Phra stay name words. The mirror fault: titles that were not dropped
at all (His Holiness, Most Venerable, Ajahn).

All names are invented; no test reads a data file.
"""

from __future__ import annotations

import pytest

from borderlink.names import MATCH_THRESHOLD, NameIndex, compare, parse

SAME = [
    # the Hmong clan Her before or after the given name, in capitals or not
    ("HER Kou", "Kou Her"),
    ("Her Kou", "Kou Her"),
    ("Her Vang", "Vang Her"),
    ("Her Kou Vang", "Vang Kou Her"),
    ("Her Kou Vang", "Kou Vang Her"),
    ("Mr Her Kou", "Kou Her"),
    # the Hmong clan Thao, Khmer Sao and Khun, Lao Pha as family names
    ("Thao Xay", "Xay Thao"),
    ("Khun Bunthan", "Bunthan Khun"),
    ("Sao Sokunthea", "Sokunthea Sao"),
    ("Pha Sisouk", "Sisouk Pha"),
    # the Vietnamese family name Ông, in either order
    ("Ong Tien Dung", "Tien Dung Ong"),
    # titles before a name of two or more words still go
    ("Her Excellency Sok Chanthy", "Sok Chanthy"),
    ("Her Excellency Chanthy", "Chanthy"),
    ("Her Majesty Norodom Vichara", "Norodom Vichara"),
    ("Her Royal Highness Norodom Soriya", "Norodom Soriya"),
    ("Mrs Chanthy", "Chanthy"),
    ("Ông Trịnh Văn Khải", "Trinh Van Khai"),
    ("ông Bounheuang Sisomphou", "Bounheuang Sisomphou"),
    ("Ong Bounkhong", "Bounkhong"),
    # the mirror fault: titles that were kept as name words
    ("His Holiness Sok Vannarith", "Sok Vannarith"),
    ("Most Venerable Sok Vannarith", "Sok Vannarith"),
    ("Most Ven. Bounthan Sisavath", "Bounthan Sisavath"),
    ("Ajahn Bounthan Sisavath", "Bounthan Sisavath"),
    ("Ajan Yai Bounthan Sisavath", "Bounthan Sisavath"),
]

DIFFERENT = [
    # the clan name left alone is not a title: one word less is another person
    ("Her Kou", "Kou"),
    ("HER Vang", "Vang"),
    # English writes no Her alone before a name: another clan's Kou Vang
    ("Her Kou Vang", "Kou Vang"),
    ("Her Kou Vang", "Kou Xiong"),
    ("Thao Ma", "Ma"),
    ("Thao Xay", "Xay"),
    ("Sao Sokunthea", "Sokunthea"),
    ("Khun Bunthan", "Bunthan"),
    ("Pha Sisouk", "Sisouk"),
    ("Ong Keo", "Keo"),
    ("Ong Tam", "Tam"),
    ("Nang Sokha", "Sokha"),
    ("Chau Sokha", "Sokha"),
    # a Khmer Sao or Khun before two words is no title (another Sok Heng)
    ("Khun Sok Heng", "Sok Heng"),
    ("Sao Sok Dara", "Sok Dara"),
    ("Phra Bounthan", "Bounthan"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_person(a: str, b: str) -> None:
    assert compare(a, b) >= MATCH_THRESHOLD, (a, b, compare(a, b))
    assert compare(b, a) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_person(a: str, b: str) -> None:
    assert compare(a, b) < MATCH_THRESHOLD, (a, b, compare(a, b))
    assert compare(b, a) < MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("Her Kou", ["her", "kou"]),
        ("Her Excellency Chanthy", ["chanthy"]),
        ("Her Majesty Queen Vichara", ["vichara"]),
        ("Khun Bunthan", ["khun", "bunthan"]),
        ("Sao Sokunthea", ["sao", "sokunthea"]),
        ("Ajahn Bounthan", ["bounthan"]),
        ("Ong Van Tung", ["van", "tung"]),
        ("Ông Bà", []),
        ("His Holiness Sok Vannarith", ["sok", "vannarith"]),
        ("Ong Keo", ["ong", "keo"]),
        ("Ong Bounkhong", ["bounkhong"]),
    ],
)
def test_parsed_words(name: str, tokens: list[str]) -> None:
    assert [t.text for t in parse(name).tokens] == tokens


@pytest.mark.parametrize(
    ("name", "tokens", "alt"),
    [
        # before two or more words: dropped, and also read kept
        ("Thao Bounmy Sisavath", ["bounmy", "sisavath"], ["thao", "bounmy", "sisavath"]),
        ("Ong Van Tung", ["van", "tung"], ["ong", "van", "tung"]),
        ("Ông Văn Tùng", ["van", "tung"], ["ong", "van", "tung"]),
        # Her alone is a name word, not also a title
        ("Her Kou Vang", ["her", "kou", "vang"], []),
        # followed by another title word: a title, not also a name
        ("Her Excellency Sok Chanthy", ["sok", "chanthy"], []),
        ("Her Royal Highness Norodom Soriya", ["norodom", "soriya"], []),
    ],
)
def test_read_both_ways(name: str, tokens: list[str], alt: list[str]) -> None:
    p = parse(name)
    assert [t.text for t in p.tokens] == tokens
    assert [t.text for t in p.alt] == alt


def _index() -> NameIndex:
    index = NameIndex()
    for ref, name in [
        ("hmong-her", "Kou Her"),
        ("hmong-vang", "Kou Vang"),
        ("kou", "Kou Lee"),
        ("thao", "Ma Thao"),
        ("khun", "Bunthan Khun"),
        ("monk", "Sok Vannarith"),
        ("queen", "Norodom Vichara"),
    ]:
        index.add(ref, name)
    for k in range(200):
        index.add(f"filler{k}", f"Filler{k:03d} Person")
    return index


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("HER Kou", "hmong-her"),
        ("Her Kou", "hmong-her"),
        ("Thao Ma", "thao"),
        ("Khun Bunthan", "khun"),
        ("His Holiness Sok Vannarith", "monk"),
        ("Most Ven. Sok Vannarith", "monk"),
        ("Her Majesty Norodom Vichara", "queen"),
    ],
)
def test_index_finds_the_person(query: str, ref: str) -> None:
    hits = _index().search(query)
    assert hits and hits[0].ref == ref and hits[0].score >= MATCH_THRESHOLD, hits[:3]


@pytest.mark.parametrize("query", ["Her Kou", "HER Kou"])
def test_index_keeps_other_clans_apart(query: str) -> None:
    hits = _index().search(query)
    matched = {h.ref for h in hits if h.score >= MATCH_THRESHOLD}
    assert matched == {"hmong-her"}, hits[:3]
