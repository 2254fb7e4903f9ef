"""The name search's rows in one prepared statement (issue 19, branch h19p): the same results as the ORM's form for
every kind of reader, the shown fields read without further queries, the candidates padded to a fixed shape."""

from __future__ import annotations

import uuid

import pytest

from borderlink.names import score
from borderlink.names.tokens import parse
from borderlink.notices import search
from borderlink.notices.search import SearchFilters, search_notices
from tests.conftest import make_user

from .helpers import LAO_NAME, LAO_NAME_LATIN, LAO_NAME_VI, person, published, wanted

pytestmark = pytest.mark.django_db


def _shown(results):
    return [(r.notice.pk, r.notice.kind, r.notice.offence, r.notice.state, r.notice.subject_id, r.notice.issuing_unit.code,
             r.notice.issuing_unit.name, r.notice.issuing_unit.country_id, r.notice.subject.birth_display, r.score,
             r.matched_name, r.subject_name, r.explanation, r.birth_agrees, r.document_agrees) for r in results]


@pytest.fixture
def notices(officer, supervisor, foreign_officer, org):
    """Published notices shared with Laos (three subjects, one born 1985), one shared with Cambodia only, a draft and
    a draft of the Lao unit's own."""
    shared = [published(officer, supervisor, person(officer, LAO_NAME_VI, birth_year=1985)),
              published(officer, supervisor, person(officer, "Xổm-phon Kẹo-ma-ny")),
              published(officer, supervisor, person(officer, LAO_NAME_VI), offence="fraud")]
    unshared = published(officer, supervisor, person(officer, LAO_NAME_VI), shared_with=["KH"])
    draft = wanted(officer, person(officer, LAO_NAME_VI))
    own = wanted(foreign_officer, person(foreign_officer, LAO_NAME), shared_with=[])
    return {"shared": shared, "unshared": unshared, "draft": draft, "own": own}


def test_prepared_rows_equal_the_orm_form_for_every_reader(notices, officer, supervisor, foreign_officer, kh_officer, org,
                                                          monkeypatch):
    liaison = make_user("la.liaison", org.la_unit, "officer", "liaison")
    protection = make_user("vn.protection", org.vn_unit, "victim_protection")
    readers = [officer, supervisor, foreign_officer, kh_officer, liaison, protection]
    queries = [LAO_NAME, LAO_NAME_LATIN, "Somphone Keomany", "Xổm-phon Kẹo-ma-ny", "Nguyễn Văn Bình"]
    prepared = {(r.pk, q): _shown(search_notices(r, q, SearchFilters(), birth_year=1985, limit=20)) for r in readers for q in queries}
    # the same search with the rows read through the ORM's query (what the prepared statement is compiled from)
    monkeypatch.setattr(search._NAME_ROWS, "values", lambda user, ids: list(search._rows(user, *ids)))
    orm = {(r.pk, q): _shown(search_notices(r, q, SearchFilters(), birth_year=1985, limit=20)) for r in readers for q in queries}
    assert prepared == orm
    found = {r.pk: {row[0] for q in queries for row in prepared[(r.pk, q)]} for r in readers}
    shared = {n.pk for n in notices["shared"]}
    assert found[foreign_officer.pk] == found[liaison.pk] == shared | {notices["own"].pk}  # not the unshared nor the draft
    assert found[kh_officer.pk] == {notices["unshared"].pk}
    assert found[officer.pk] == found[protection.pk] == shared | {notices["unshared"].pk, notices["draft"].pk}
    assert {row[13] for q in queries for row in prepared[(foreign_officer.pk, q)]} >= {True, None}  # born 1985 / unknown


def test_filters_and_documents_take_the_orm_form_with_the_same_fields(notices, foreign_officer):
    everything = search_notices(foreign_officer, LAO_NAME, SearchFilters(), limit=20)
    fraud = search_notices(foreign_officer, LAO_NAME, SearchFilters(offence="fraud"), limit=20)
    assert [r.notice.pk for r in fraud] == [notices["shared"][2].pk]
    assert _shown(fraud) == [row for row in _shown(everything) if row[2] == "fraud"]


def test_shown_fields_need_no_more_queries(notices, foreign_officer, django_assert_num_queries):
    results = search_notices(foreign_officer, LAO_NAME_LATIN, SearchFilters(), limit=20)
    assert len(results) == 4
    with django_assert_num_queries(0):
        _shown(results)


def test_the_candidates_are_padded_with_ids_no_person_has(notices, foreign_officer, django_assert_max_num_queries):
    fillers = search._NAME_ROWS.fillers
    assert len(set(fillers)) == search.NAME_CANDIDATES
    assert all(f.version is None and f.int < 2**16 for f in fillers)  # not a uuid4: never a person's id
    assert list(search._NAME_ROWS.by_size) == [search.NAME_CANDIDATES]  # one size: one shape of statement
    assert search._NAME_ROWS.values(foreign_officer, fillers) == []
    assert search._NAME_ROWS.values(foreign_officer, []) == []
    first = notices["shared"][0]
    rows = search._NAME_ROWS.values(foreign_officer, [first.subject_id])
    assert rows is not None and [r["pk"] for r in rows] == [first.pk]
    too_many = [first.subject_id, *fillers]  # more than NAME_CANDIDATES: not this statement (the ORM's form)
    assert search._NAME_ROWS.values(foreign_officer, too_many) is None


def test_an_empty_search_reads_nothing(notices, foreign_officer, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search_notices(foreign_officer, "  ", SearchFilters(), document=" - ") == []
    assert uuid.UUID(int=1) in search._NAME_ROWS.fillers


@pytest.mark.parametrize("pair", [
    ("Somphone Keomany", "Xổm-phon Kẹo-ma-ni"), (LAO_NAME, LAO_NAME_VI), ("Nguyễn Văn Hùng", "ຫງວຽນວັນຮຸ່ງ"),
    ("ບຸນ ມີ ສີ ສຸ ວັນ", "Bounmy Sisouvanh"), ("Professor Nguyen Anh Tri", "Nguyễn Anh Trí"), ("", "Sok Dara"),
    ("Sok Dara", "Dara Sok"), ("Trần Thị Hùng", "Trần Văn Hùng"),
])
def test_best_readings_without_a_choice_score_nothing_and_give_the_same(pair):
    """explain's choice of readings: with one way to read each name it returns them without scoring; the result is
    the one the loop over every reading gives."""
    pa, pb = parse(pair[0]), parse(pair[1])
    best = (-1.0, pa, pb, [])
    for ra, na in score._readings(pa, pb):
        for rb, nb in score._readings(pb, pa):
            x, y = (rb, ra) if score._order_key(ra) > score._order_key(rb) else (ra, rb)
            s = score._score(x, y, None)
            if s > best[0]:
                best = (s, ra, rb, [n for n in (na, nb) if n])
    assert score._best_readings(pa, pb) == best[1:]
