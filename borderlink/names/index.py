"""An in-memory index of names that finds candidates without scoring every name.

Layout (sized for a million names on one node):

* a vocabulary of distinct tokens, each a :class:`~borderlink.names.tokens.Token`
  kept once and referred to by an int id;
* per token id, a posting list of name ids (``array('i')``);
* per name, its token ids in one fixed-width ``array('i')`` row, its ref id,
  its text, and an alive flag (removal is a flag, not a rebuild);
* lookup tables from phonetic key, consonant skeleton and one-deletion
  variants of the skeleton (typos) to token ids.

A search looks up each query token's neighbours in the vocabulary (same key,
one vowel changed, same consonants, one consonant off, joined with the next
word, split in two) with their similarity, takes the names near two or more
query words (one ``numpy.bincount``) and those holding the rarest word,
pre-ranks them by an idf-weighted Dice score in numpy, and scores only the
best few with :func:`~borderlink.names.score.score_parsed`. No search scores
every name.
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .keys import deletions, nasal_final_as_n
from .score import score_parsed, token_similarity
from .tokens import (
    ParsedName,
    Token,
    cross_keys,
    make_token,
    parse,
    same_vietnamese_syllable_across_scripts,
    spelling_keys,
    split_native,
)

# a syllable of a key: consonants, vowels, and the consonants that close it
_KEY_SYLLABLE = re.compile(r"[^aeiouw]*[aeiouw]+(?:[^aeiouw](?![aeiouw]))*")

# numpy imports numpy.ma on the first np.unique; pay that here, not in a search
np.unique(np.zeros(2, dtype=np.int32))

WIDTH = 8  # tokens kept per name (names longer than this are cut)
PAD = 0  # token id 0 is a placeholder with no postings
GATHER_CAP = 4_000  # the rarest query word's names are all added only up to this many
MIN_DELETION_SKELETON = 5
LOOSE_KEY_CAP = 100  # a skeleton or typo key shared by more tokens is not used
NEAR_CACHE_SIZE = 50_000  # query words whose vocabulary neighbours are remembered
WORD, JOINED, HALF = "word", "joined", "half"  # kinds of query probes
SYLLABLES = "syllables"  # a Latin word's syllables found as one-syllable Lao or Khmer words
HALF_WEIGHT = 0.8
# a query word whose best neighbour is less like it than this is too faint to
# stand alone as the rarest word whose names are all gathered: the names of the
# rarest word found better are gathered too (see NameIndex._gather)
WEAK_WORD = 0.3
RESCORE = 50  # candidates scored in full per search (at least; 5 per hit asked)
CANDIDATE_FLOOR = 500  # names near k+1 query words suffice when at least this many
GROUP_CAP = 200_000  # postings walked per query word beyond its exact spellings
SPELLING_KEYS_INDEXED = 4  # other spellings of a word kept in the look-up table


_VOWEL_CHOICES = "aeiouw"


def _vowel_variants(key: str) -> list[str]:
    """The key itself and every key with one vowel changed (Son/Sœn/San)."""
    out = [key]
    for i, c in enumerate(key):
        if c in _VOWEL_CHOICES:
            out.extend(key[:i] + v + key[i + 1:] for v in _VOWEL_CHOICES if v != c)
    return out


def _half_variants(key: str) -> list[str]:
    """:func:`_vowel_variants` plus a vowel added next to a vowel: a half of a
    word written as one (ស៊ុនហ្វុក sun-fuk) may have a diphthong in its
    own word (Xuân Phúc)."""
    out = _vowel_variants(key)
    for i, c in enumerate(key):
        if c in _VOWEL_CHOICES:
            out.extend(key[:i + 1] + v + key[i + 1:] for v in _VOWEL_CHOICES)
            out.extend(key[:i] + v + key[i:] for v in _VOWEL_CHOICES)
    return out


def _capped(ids: list[int] | None) -> list[int]:
    return ids if ids is not None and len(ids) <= LOOSE_KEY_CAP else []


@dataclass(frozen=True)
class Hit:
    """One search result: the ref, its best-scoring name and that score."""

    ref: str
    score: float
    name: str


class NameIndex:
    """Names of many refs (persons), searchable across scripts.

    ``add(ref, name)`` may be called many times for one ref (aliases, other
    scripts); ``search`` returns at most one hit per ref, its best name.
    Not thread-safe (searches share scratch arrays and caches): use one index
    per worker process, or a lock.
    """

    def __init__(self) -> None:
        self._vocab: dict[tuple[str, str, bool, str], int] = {}
        self._tokens: list[Token | None] = [None]
        self._postings: list[array] = [array("i")]
        self._df = array("i", [0])  # names per token id (not lowered by remove)
        self._by_key: dict[str, list[int]] = {}
        self._by_skel: dict[str, list[int]] = {}
        self._by_deletion: dict[str, list[int]] = {}
        # Vietnamese syllables typed with diacritics, by their Lao/Khmer spelling
        self._by_cross: dict[str, list[int]] = {}
        # words by their other spellings in use (tokens.spelling_keys): Khmer
        # words (ឃឹម by khim) and Latin words (Wutty by vutty), apart
        self._by_spelling: dict[str, dict[str, list[int]]] = {"native": {}, "latin": {}}
        self._rows = array("i")
        self._name_ref = array("i")
        self._alive = bytearray()
        # per name, how many leading words of its row may be titles or names
        # (ParsedName.alt); 0 for most names
        self._lead = bytearray()
        self._names: list[str] = []
        self._refs: list[str] = []
        self._ref_ids: dict[str, int] = {}
        self._live = 0
        self._weights = np.zeros(1024, dtype=np.float32)
        # neighbours of query words; emptied whenever a new word enters the vocabulary
        self._near_cache: dict[tuple[str, str, str, bool, str, bool, bool], dict[int, float]] = {}
        # Vocabulary look-ups and similarity computations of the last search:
        # the unit in which the cost of a search is bounded and tested.
        self.last_search_work = 0

    def __len__(self) -> int:
        """Number of names currently indexed."""
        return self._live

    # ---- building -------------------------------------------------------------

    def add(self, ref: str, name: str) -> bool:
        """Index ``name`` under ``ref``. Returns False (and indexes nothing) for
        a name that is empty or only titles."""
        parsed = parse.__wrapped__(name) if isinstance(name, str) else ParsedName((), ())
        if not parsed.tokens:
            return False
        ref_id = self._ref_ids.get(ref)
        if ref_id is None:
            ref_id = len(self._refs)
            self._ref_ids[ref] = ref_id
            self._refs.append(ref)
        name_id = len(self._names)
        self._names.append(name)
        self._name_ref.append(ref_id)
        self._alive.append(1)
        row = parsed.alt if parsed.alt else parsed.tokens
        lead = len(parsed.alt) - len(parsed.tokens) if parsed.alt else 0
        if len(row) > WIDTH and lead:
            row, lead = parsed.tokens, 0  # no room for the other reading
        self._lead.append(lead)
        ids = [self._token_id(t) for t in row[:WIDTH]]
        for tid in set(ids):
            self._postings[tid].append(name_id)
            self._df[tid] += 1
        self._rows.extend(ids + [PAD] * (WIDTH - len(ids)))
        self._live += 1
        return True

    def remove(self, ref: str) -> int:
        """Remove every name of ``ref``; returns how many were removed."""
        ref_id = self._ref_ids.pop(ref, None)
        if ref_id is None:
            return 0
        refs = np.frombuffer(self._name_ref, dtype=np.int32) if self._name_ref else None
        if refs is None:
            return 0
        removed = 0
        for name_id in np.flatnonzero(refs == ref_id).tolist():
            if self._alive[name_id]:
                self._alive[name_id] = 0
                removed += 1
        del refs
        self._live -= removed
        return removed

    def _token_id(self, tok: Token) -> int:
        ident = (tok.text, tok.vn, tok.mono, tok.script)
        tid = self._vocab.get(ident)
        if tid is not None:
            return tid
        tid = len(self._tokens)
        self._vocab[ident] = tid
        if self._near_cache:
            self._near_cache.clear()
        self._tokens.append(tok)
        self._postings.append(array("i"))
        self._df.append(0)
        self._by_key.setdefault(tok.key, []).append(tid)
        for xk in cross_keys(tok):
            self._by_cross.setdefault(xk, []).append(tid)
        if tok.script in ("khmer", "latin"):
            table = self._by_spelling["latin" if tok.script == "latin" else "native"]
            keys = spelling_keys(tok)[:SPELLING_KEYS_INDEXED]
            if tok.script == "khmer" and "uo" in tok.key:
                # Khmer ួ written ou or u (លួន Loun, Lun: keys read ou as u), which
                # the scorer weighs (COST_UO_KHMER) but no vowel change reaches
                keys += (tok.key.replace("uo", "u"),)
            for sk in keys:
                table.setdefault(sk, []).append(tid)
        skel_ids = self._by_skel.setdefault(tok.skel, [])
        skel_ids.append(tid)
        if len(skel_ids) == 1 and len(tok.skel) >= MIN_DELETION_SKELETON:
            for d in deletions(tok.skel):
                self._by_deletion.setdefault(d, []).append(tid)
        return tid

    # ---- searching ------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Best refs for ``query``, best first, one hit per ref, at most ``limit``.

        Scores are :func:`~borderlink.names.compare` scores of the query and the
        ref's best-matching name. An empty or title-only query finds nothing.
        """
        self.last_search_work = 0
        if limit <= 0 or self._live == 0:
            return []
        pq = parse(query) if isinstance(query, str) else ParsedName((), ())
        if not pq.tokens:
            return []
        groups = self._neighbours(pq)
        if not groups:
            return []
        cands = self._gather(groups)
        if cands.size == 0:
            return []
        rows = np.frombuffer(self._rows, dtype=np.int32).reshape(-1, WIDTH)
        cand_rows = rows[cands]
        del rows
        quick = self._quick_scores(groups, cand_rows)
        keep = max(RESCORE, 5 * limit)
        if cands.size > keep:
            top = np.argpartition(-quick, keep)[:keep]
            cands, cand_rows = cands[top], cand_rows[top]
        best: dict[int, tuple[float, int]] = {}
        tokens = self._tokens
        name_ref = self._name_ref
        leads = self._lead
        # A name's score depends only on its row of token ids and its lead (the
        # ParsedName below is built from nothing else): names written alike
        # (Nguyễn Văn Hùng of many persons, a family name and a common given
        # name) are scored once per search. Issue 19: about half the rescored
        # candidates of the notice search at full scale repeat a row.
        scored: dict[tuple[int, ...], float] = {}
        for name_id, row in zip(cands.tolist(), cand_rows.tolist(), strict=True):
            lead = leads[name_id]
            key = (lead, *row)
            s = scored.get(key, -1.0)
            if s < 0.0:
                toks = tuple(tokens[t] for t in row if t != PAD)
                parsed = ParsedName(toks[lead:], (), toks) if lead else ParsedName(toks, ())
                s = scored[key] = score_parsed(pq, parsed)
            if s <= 0.0:
                continue
            ref_id = name_ref[name_id]
            prev = best.get(ref_id)
            if prev is None or s > prev[0] or (s == prev[0] and name_id < prev[1]):
                best[ref_id] = (s, name_id)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[:limit]
        return [Hit(self._refs[r], s, self._names[n]) for r, (s, n) in ranked]

    def _neighbours(self, pq: ParsedName) -> list[tuple[str, dict[int, float]]]:
        """Probes of the vocabulary, each a kind and {token id: similarity}:
        per query word (WORD), per half of a query word found as two indexed
        words (HALF), per pair of query words found as one indexed word (JOINED)."""
        qtokens = pq.tokens
        # The scorer's Vietnamese syllable rules apply only between a Vietnamese-
        # style Latin name and a name of one-syllable words: a Latin word of the
        # query meets them only if the query is such a name, and any word meets
        # them with a Latin word only if the query is made of one-syllable words.
        vn_like, vn_mono = pq.vn_like, pq.vn_mono

        def consider(found: dict[int, float], q: Token, tid: int) -> None:
            self.last_search_work += 1
            tok = self._tokens[tid]
            if tok is None:
                return
            sim = token_similarity(q, tok)
            if sim < 1.0 and same_vietnamese_syllable_across_scripts(q, tok):
                sim = 1.0
            elif sim > 0.0:
                if (
                    q.mono and tok.mono and (vn_like or (vn_mono and tok.script == "latin"))
                    and (q.text != tok.text if q.script == tok.script == "latin"
                         else q.key != tok.key)
                ):
                    sim *= 0.5  # An/Anh: one key, but another Vietnamese syllable
                elif q.vn and tok.vn and q.vn != tok.vn:
                    sim *= 0.7
            if sim > found.get(tid, 0.0):
                found[tid] = sim

        def near(q: Token, found: dict[int, float]) -> None:
            cache_key = (q.key, q.text, q.vn, q.mono, q.script, vn_like, vn_mono)
            cached = self._near_cache.get(cache_key)
            if cached is not None:
                found.update(cached)
                return
            variants = _vowel_variants(q.key)
            self.last_search_work += len(variants)
            for key in variants:
                for tid in self._by_key.get(key, ()):
                    consider(found, q, tid)
            # Looser keys are skipped where they are too common to discriminate.
            for tid in _capped(self._by_skel.get(q.skel)):
                consider(found, q, tid)
            if len(q.skel) >= MIN_DELETION_SKELETON:
                for tid in _capped(self._by_deletion.get(q.skel)):
                    consider(found, q, tid)
                for d in deletions(q.skel):
                    for tid in _capped(self._by_skel.get(d)):
                        consider(found, q, tid)
                    for tid in _capped(self._by_deletion.get(d)):
                        consider(found, q, tid)
            # a Vietnamese syllable and its Lao or Khmer transcription
            xks = cross_keys(q)
            if xks:
                for xk in xks:
                    for key in (xk, xk + "g") if xk.endswith("n") else (xk,):
                        for tid in self._by_key.get(key, ()):
                            consider(found, q, tid)
            elif q.script != "latin" and q.mono:
                for key in {nasal_final_as_n(q.key), q.key}:
                    for tid in self._by_cross.get(key, ()):
                        consider(found, q, tid)
            self._spelling_neighbours(q, variants, consider, found)
            if len(self._near_cache) > NEAR_CACHE_SIZE:
                self._near_cache.clear()
            self._near_cache[cache_key] = dict(found)

        groups: list[tuple[str, dict[int, float]]] = []
        alt_only = tuple(t for t in pq.alt[: len(pq.alt) - len(qtokens)]) if pq.alt else ()
        for q in qtokens + alt_only:
            found: dict[int, float] = {}
            near(q, found)
            groups.append((WORD, found))
            # a Lao or Khmer word of several syllables may be a Vietnamese name
            # written without spaces (ຫງວຽນວັນຮຸ່ງ): each syllable is a probe
            if q.script != "latin" and not q.mono:
                for syl in split_native((q,)):
                    if syl is not q:
                        half: dict[int, float] = {}
                        for tid in self._by_key.get(syl.key, ()):
                            consider(half, syl, tid)
                        self._cross_probe(syl, half, consider)
                        groups.append((HALF, half))
            # the same word written as two indexed words (Souvannaphouma)
            # (only for a Latin word the vocabulary does not already know as one
            # word; always for a Lao or Khmer one, which may be two Vietnamese
            # syllables written together: ស៊ុនហ្វុក Xuân Phúc)
            key = q.key
            halves: tuple[dict[int, float], dict[int, float]] = ({}, {})
            if q.script == "latin" and not q.mono and max(found.values(), default=0.0) < 0.9:
                # a Lao or Khmer name typed one syllable per word (ບຸນ ມີ for a
                # Latin Bounmy): the word's syllables, each looked up as a
                # one-syllable Lao or Khmer word; a name holding two of them
                # counts twice
                sylls: dict[int, float] = {}
                for part in _KEY_SYLLABLE.findall(key):
                    self.last_search_work += 1
                    for tid in self._by_key.get(part, ()):
                        tok = self._tokens[tid]
                        if tok is not None and tok.mono and tok.script != "latin":
                            sylls[tid] = HALF_WEIGHT
                if sylls:
                    groups.append((SYLLABLES, sylls))
            if len(key) < 6 or (
                q.script == "latin" and max(found.values(), default=0.0) >= 0.9
            ):
                continue
            for k in range(3, len(key) - 2):
                self.last_search_work += 1
                left = [t for v in _half_variants(key[:k]) for t in self._by_key.get(v, ())]
                if not left:
                    continue
                right = [t for v in _half_variants(key[k:]) for t in self._by_key.get(v, ())]
                if right:
                    for half, ids in zip(halves, (left, right), strict=True):
                        half.update(dict.fromkeys(ids, HALF_WEIGHT))
            groups.extend((HALF, h) for h in halves)
        # two query words written as one indexed word (Souvanna Phouma)
        for a, b in pairwise(qtokens):
            j = make_token(a.surface + b.surface, a.script)
            if j is not None:
                found = {}
                near(j, found)
                groups.append((JOINED, found))
        # a whole name of three or more words written as one word (Nguyễn Văn
        # Hùng as ຫງວຽນວັນຮຸ່ງ): its key looked up as is
        if 3 <= len(qtokens) <= 4:
            whole = make_token("".join(t.surface for t in qtokens), qtokens[0].script)
            if whole is not None:
                found = {}
                for tid in self._by_key.get(whole.key, ()):
                    consider(found, whole, tid)
                groups.append((JOINED, found))
                groups.append((JOINED, found))
        return [(kind, g) for kind, g in groups if g]

    def _cross_probe(self, syl: Token, found: dict[int, float], consider) -> None:
        """Vietnamese syllables typed with diacritics whose Lao or Khmer
        transcription is ``syl``, one syllable of a glued Lao or Khmer word
        (ເຈິ່ນເຟືອງລຽນ: ເຈິ່ນ is Trần, ເຟືອງ Phương): as for a one-syllable
        word of the query, so that a Vietnamese name written without spaces
        finds its record by every syllable, not only by those whose Latin key
        is the transcription's (Liên). Lao writes a Vietnamese final -ng with
        ງ and -n with ນ (-nh either way): a Lao syllable's final nasal must
        agree with the Vietnamese syllable's (ວັງ is not Văn)."""
        self.last_search_work += 1
        finals: tuple[str, ...] = ()
        if syl.script == "lao" and syl.key.endswith("ng"):
            finals = ("ng", "nh")
        elif syl.script == "lao" and syl.key.endswith("n"):
            finals = ("n", "nh")
        for key in {nasal_final_as_n(syl.key), syl.key}:
            for tid in self._by_cross.get(key, ()):
                tok = self._tokens[tid]
                if finals and tok is not None and not tok.text.endswith(finals):
                    continue
                consider(found, syl, tid)

    def _spelling_neighbours(self, q: Token, variants: list[str], consider, found: dict[int, float]) -> None:
        """Words met through another spelling in use (:func:`spelling_keys`): for a
        Latin query word, Khmer words one of whose other spellings is its key or
        one vowel from it (Khim finds ឃឹម, read khem) and words whose key is one
        of its own other spellings (Wutty read vutty); for a Khmer one, Latin
        words whose key is one of its other spellings or whose other spelling
        is its key. At most a few look-ups per query word."""
        own = spelling_keys(q)
        if q.script == "latin":
            table = self._by_spelling["native"]
            self.last_search_work += len(variants) + len(own)
            for key in variants + list(own):
                for tid in _capped(table.get(key)):
                    consider(found, q, tid)
            for key in own:
                for tid in self._by_key.get(key, ()):
                    consider(found, q, tid)
        elif q.script == "khmer":
            table = self._by_spelling["latin"]
            self.last_search_work += 2 * len(own) + 1
            for key in own:
                for tid in self._by_key.get(key, ()):
                    consider(found, q, tid)
            for key in (q.key, *own):
                for tid in _capped(table.get(key)):
                    consider(found, q, tid)

    def _gather(self, groups: list[tuple[str, dict[int, float]]]) -> np.ndarray:
        """Alive names worth scoring for a query.

        Names that hold neighbours of two or more query words (counted with one
        ``bincount``, so common words like Nguyen or Van cost one vectorised
        pass, not a Python loop), plus every name holding an exact spelling of
        the rarest query word.
        """
        per_group = []
        for kind, group in groups:
            parts = []
            total = 0
            for tid, sim in sorted(group.items(), key=lambda kv: -kv[1]):
                plist = self._postings[tid]
                if not plist:
                    continue
                if sim < 0.999 and total + len(plist) > GROUP_CAP:
                    continue
                parts.append(np.frombuffer(plist, dtype=np.int32))
                total += len(plist)
            if parts:
                per_group.append((total, kind, parts, max(group.values()) < WEAK_WORD))
        if not per_group:
            return np.empty(0, dtype=np.int32)
        per_group.sort(key=lambda g: (g[1] != WORD, g[0]))
        rarest = np.concatenate(per_group[0][2])
        if per_group[0][3]:
            # the rarest query word is only faintly like its nearest indexed
            # word (a misspelt Laomuangxong near an unrelated Khmer word at
            # 0.01): the names of the rarest word found well (Monxay) are
            # gathered too
            sure = next((g for g in per_group if g[1] == WORD and not g[3]), None)
            if sure is not None:
                rarest = np.concatenate([rarest, *sure[2]])
        if len(per_group) > 1:
            arrays = []
            for _, kind, parts, _weak in per_group:
                # no dedup: a name holding two neighbours of one query word
                # (its two halves, Souvannaphouma) counts twice, as it should
                arr = np.concatenate(parts) if len(parts) > 1 else parts[0]
                arrays.append(arr)
                if kind == JOINED:
                    arrays.append(arr)  # a joined pair stands for two query words
            joined = np.concatenate(arrays)
            if joined.size * 8 < len(self._names):
                # few postings: count them by sorting, not over an array of every name
                names, counts = np.unique(joined, return_counts=True)
            else:
                counts = np.bincount(joined, minlength=len(self._names))
                names = None
            # Names near the most query words first: raise the bar while enough
            # names clear it (a query of common words must not drag in 50,000).
            per_level = np.bincount(counts)
            at_least = np.cumsum(per_level[::-1])[::-1]  # at_least[c]: names with count >= c
            bar = 2
            while bar + 1 < len(at_least) and at_least[bar + 1] >= CANDIDATE_FLOOR:
                bar += 1
            chosen = counts >= bar
            cands = (names[chosen] if names is not None else np.flatnonzero(chosen)).astype(np.int32)
            if rarest.size <= GATHER_CAP or cands.size < RESCORE:
                cands = np.union1d(cands, rarest[:GATHER_CAP])
        else:
            cands = np.unique(rarest)
        del per_group, rarest
        alive = np.frombuffer(self._alive, dtype=np.uint8)
        out = cands[alive[cands] == 1]
        del alive
        return out

    def _quick_scores(
        self, groups: list[tuple[str, dict[int, float]]], cand_rows: np.ndarray
    ) -> np.ndarray:
        """A cheap score per candidate: for each query word, its best partner in
        the name (similarity times the query word's rarity), summed, over the
        rarity of all words of both names (so extra words count against).

        A word of the name counts once: the sum over query words is capped by
        the sum over the name's words of their best query word, so that Sanh
        near both Son and Sann does not count as two words found."""
        n_names = max(len(self._names), 1)
        quick = np.zeros(cand_rows.shape[0], dtype=np.float32)
        per_word = np.zeros(cand_rows.shape, dtype=np.float32)
        weights = self._weight_array()
        query_idf = 0.0
        df_all = np.frombuffer(self._df, dtype=np.int32)
        for kind, group in groups:
            exact = sum(len(self._postings[t]) for t, sim in group.items() if sim >= 0.999)
            df = exact or sum(len(self._postings[t]) for t in group) or 1
            idf = math.log(1.0 + n_names / df)
            if kind == WORD:
                query_idf += idf
            ids = np.fromiter(group.keys(), dtype=np.int64, count=len(group))
            sims = np.fromiter(group.values(), dtype=np.float32, count=len(group))
            # the pair's weight: rarity of the query word and of the indexed word
            tok_idf = np.log1p(n_names / np.maximum(df_all[ids], 1))
            if kind == SYLLABLES:
                # the query word is its syllables: each weighs its own rarity
                query_idf += float(tok_idf.sum())
                weights[ids] = sims * tok_idf
            else:
                weights[ids] = sims * (idf + tok_idf)
            found = weights[cand_rows]
            # a word's syllables typed apart: every one of them found counts
            quick += found.sum(axis=1) if kind == SYLLABLES else found.max(axis=1)
            np.maximum(per_word, found, out=per_word)
            weights[ids] = 0.0
        quick = np.minimum(quick, per_word.sum(axis=1))
        # idf-weighted Dice: the query's words against all of the name's words
        name_idf = np.log1p(n_names / np.maximum(df_all[cand_rows], 1)).astype(np.float32)
        name_idf[cand_rows == PAD] = 0.0
        del df_all
        return quick / (query_idf + name_idf.sum(axis=1))

    def _weight_array(self) -> np.ndarray:
        if self._weights.size < len(self._tokens):
            self._weights = np.zeros(max(len(self._tokens) * 2, 1024), dtype=np.float32)
        return self._weights
