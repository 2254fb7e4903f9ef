"""The cheaper scoring of a search (issue 19) gives the scores it gave before: names written alike scored once per
search, the alignment's per-unit values computed once, Vietnamese pairs tested in another
order. Each is checked against the form it replaced."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from borderlink.names import NameIndex, compare, parse, score
from borderlink.names import index as index_module
from borderlink.names.score import (
    _DROP_VOWELS,
    INITIAL_EVIDENCE,
    LATIN,
    ONE_SYLLABLE_APART,
    _consonants,
    _initial_of,
    _pair_evidence,
    _same_initial_across_scripts,
    _syllable_counts,
    _units,
    _vn_syllable_apart,
)

# random names over the three scripts' letters, as tests/names/test_properties.py draws them
LETTERS = (
    "abcdeghiklmnopqrstuvxyĐđăâêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ກຂຄງຈສຊຍດຕຖທນບປຜພຟມຢຣລວຫອຮະັາຳິີຶືຸູົຼຽເແໂໃໄ່້ໍ"
    "កខគឃងចឆជញដតថទធនបផពភមយរលវសហឡអាិីឹឺុូួើឿៀេែៃោៅំះ៉៊់្"
)
name = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=8), min_size=1, max_size=4).map(" ".join)

# Names of the kinds a search meets: Vietnamese with and without marks (common family and middle names, so that
# rows repeat), Lao and Khmer in script and romanised, joined and split words, initials.
SAMPLES = [
    "Nguyễn Văn Hùng", "Nguyen Van Hung", "NGUYEN VAN HUNG", "Nguyễn Thị Lan", "Trần Văn An", "Tran Van Anh",
    "Lê Thị Hồng Nhung", "Phạm Minh Chính", "Hoàng Xuân Phúc", "ង្វៀន វ៉ាន់ហ៊ុង", "ຫງວຽນ ວັນ ຮຸ່ງ", "ຫງວຽນວັນຮຸ່ງ",
    "ហ៊ុន សែន", "Hun Sen", "Hun Manet", "ប៊ុន រ៉ានី ហ៊ុន សែន", "Bun Rany", "ສຸວັນນະພູມາ", "Souvanna Phouma",
    "Souvannaphouma", "ວິໄລ ຫລ້າຄຳຟອງ", "Vilay Lakhamphong", "ບຸນ ມີ ສີ ສຸ ວັນ", "Bounmy Sisouvanh",
    "Haing S. Ngor", "Haing Somnang Ngor", "ສ. ພົມວິຫານ", "Sok Chan", "សុខ ចាន់", "Keo An Dara", "Y Lan",
]


def old_align(ta, tb, vn_pair, marks, with_joins, unmarked=False, vn_sides=(False, False)):  # type: ignore[no-untyped-def]
    """score._align as it was before issue 19's step h19t (the pair loop computing every value per pair)."""
    ua, ub = _units(ta, with_joins), _units(tb, with_joins)
    vn_names = vn_pair or any(not t.surface.isascii() for t in ta + tb if t.script == LATIN)
    cands = []
    for a, ia in ua:
        for b, ib in ub:
            if len(ia) > 1 and len(ib) > 1:
                continue
            ev, reason = _pair_evidence(
                a, b, vn_pair and len(ia) == len(ib) == 1, marks, unmarked, vn_names=vn_names,
            )
            if (len(a.text) == 1 or len(b.text) == 1) and ev < 1.0 and len(ia) == len(ib) == 1:
                if _same_initial_across_scripts(a, b):
                    ev, reason = 1.0, "the same initial in Latin and Lao script"
                elif ev < INITIAL_EVIDENCE and _initial_of(a, b) and (
                    0 < ia[0] < len(ta) - 1 if len(a.text) == 1 else 0 < ib[0] < len(tb) - 1
                ):
                    ev, reason = INITIAL_EVIDENCE, "a middle initial and a word opening with it"
            if (len(ia) > 1 or len(ib) > 1) and ev > ONE_SYLLABLE_APART and (
                not (_syllable_counts(a) & _syllable_counts(b))
                or (len(ia) > 1 and b.mono) or (len(ib) > 1 and a.mono)
            ):
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
            if ev > 0.0:
                weight = sum(ta[i].weight for i in ia) + sum(tb[j].weight for j in ib)
                cands.append((ev * weight, ev, len(ia) + len(ib), ia, ib, reason))
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


def _same_alignments(a: str, b: str) -> None:
    pa, pb = parse(a), parse(b)
    for ta in {pa.tokens, pa.alt} - {()}:
        for tb in {pb.tokens, pb.alt} - {()}:
            for vn_pair in (False, True):
                for marks in (False, True, score.MARKS_PARTLY):
                    for with_joins in (False, True):
                        for unmarked in (False, True):
                            for sides in ((False, False), (True, False), (False, True)):
                                args = (ta, tb, vn_pair, marks, with_joins, unmarked, sides)
                                assert score._align(*args) == old_align(*args), (a, b, args)


def test_alignment_as_before_on_names_of_every_kind() -> None:
    for a in SAMPLES:
        for b in SAMPLES:
            _same_alignments(a, b)


@settings(max_examples=200, deadline=None)
@given(name, name)
def test_alignment_as_before_on_any_names(a: str, b: str) -> None:
    _same_alignments(a, b)


@settings(max_examples=200, deadline=None)
@given(name, name)
def test_vietnamese_pair_test_in_its_new_order_is_the_same(a: str, b: str) -> None:
    # _score tests pa.vn_mono and pb.vn_mono and (pa.vn_like or pb.vn_like): the old expression's value
    pa, pb = parse(a), parse(b)
    old = (pa.vn_like and pb.vn_mono) or (pb.vn_like and pa.vn_mono)
    assert (pa.vn_mono and pb.vn_mono and (pa.vn_like or pb.vn_like)) == old
    assert not pa.vn_like or pa.vn_mono  # the implication the new order rests on


def test_names_written_alike_are_scored_once_per_search(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ix = NameIndex()
    for i in range(40):
        ix.add(f"hung{i:02d}", "Nguyễn Văn Hùng")  # one row of token ids, forty persons
    for i in range(10):
        ix.add(f"hung-ascii{i}", "NGUYEN VAN HUNG")  # another row (no marks: other tokens)
    ix.add("hong", "Nguyễn Văn Hồng")
    ix.add("lan", "Nguyễn Thị Lan")
    calls: list[str] = []
    real = index_module.score_parsed

    def counting(a, b):  # type: ignore[no-untyped-def]
        calls.append(" ".join(t.surface for t in b.tokens))
        return real(a, b)

    monkeypatch.setattr(index_module, "score_parsed", counting)
    hits = ix.search("Nguyen Van Hung", limit=60)
    assert len(calls) == len(set(calls)) <= 4  # each distinct row once
    # the same hits as scoring every name: every person of the shared row, each with compare's score, in name order
    by_ref = {h.ref: h for h in hits}
    assert {f"hung{i:02d}" for i in range(40)} | {f"hung-ascii{i}" for i in range(10)} <= set(by_ref)
    for h in hits:
        assert h.score == compare("Nguyen Van Hung", h.name)
    expected = sorted(hits, key=lambda h: (-h.score, list(ix._refs).index(h.ref)))
    assert hits == expected


def test_a_row_shared_with_another_lead_is_scored_apart() -> None:
    # the same words read with and without a leading title word (ParsedName.alt) are two readings: not one row
    ix = NameIndex()
    ix.add("a", "The Hung Nguyen")
    ix.add("b", "Hung Nguyen")
    for h in ix.search("Nguyễn Thế Hùng", limit=10):
        assert h.score == compare("Nguyễn Thế Hùng", h.name)


def _row_score(ix: NameIndex, query: str, name_id: int) -> float:
    """The score a search gives name `name_id`, computed alone: its ParsedName built from its row as the search
    builds it (which may differ from compare's on parsing the text: a name cut at WIDTH words, a lead)."""
    row = [t for t in ix._rows[name_id * index_module.WIDTH:(name_id + 1) * index_module.WIDTH] if t != index_module.PAD]
    toks = tuple(ix._tokens[t] for t in row)
    lead = ix._lead[name_id]
    parsed = index_module.ParsedName(toks[lead:], (), toks) if lead else index_module.ParsedName(toks, ())
    return index_module.score_parsed(parse(query), parsed)


@settings(max_examples=60, deadline=None)
@given(st.lists(name, min_size=1, max_size=12), name)
def test_search_scores_are_each_names_own_with_repeated_names(names: list[str], query: str) -> None:
    ix = NameIndex()
    for i, text in enumerate(names + names):  # every name twice, under two refs
        ix.add(f"r{i}", text)
    hits = ix.search(query, limit=60)
    for h in hits:
        ids = [n for n, ref in enumerate(ix._name_ref) if ix._refs[ref] == h.ref]
        assert h.score == max(_row_score(ix, query, n) for n in ids)
    # both copies of a name scored alike: together in the hits or both absent
    scores = {h.ref: h.score for h in hits}
    for i in range(len(names)):
        assert scores.get(f"r{i}") == scores.get(f"r{i + len(names)}")
