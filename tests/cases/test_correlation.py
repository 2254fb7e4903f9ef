"""Cross-referencing: exact identifiers after normalisation, storage per value with a common cap and an
exclusion list, persons as candidates an investigator confirms, and private items never shown or counted."""

from __future__ import annotations

import pytest
from django.http import Http404

from borderlink.audit.models import AuditEvent
from borderlink.cases import correlation, items
from borderlink.cases.correlation import correlate, correlations_for
from borderlink.cases.items import EntityInput
from borderlink.cases.models import ExcludedValue, IdentifierValue, SamePerson
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from tests.cases.helpers import open_case, phone
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_same_phone_in_two_cases_is_shown_on_both(officer, supervisor, foreign_officer, org):
    one = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    two = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer], title="Second ring")
    a = phone(officer, one, "+84 912 345 678")
    b = phone(foreign_officer, two, "0084912345678")
    for e in (a, b):
        correlate(e.pk)
    assert [e.pk for e in correlations_for(officer, a).entities] == [b.pk]
    assert [e.pk for e in correlations_for(foreign_officer, b).entities] == [a.pk]
    assert IdentifierValue.objects.get(value="+84912345678").holders == 2


def test_a_private_item_is_neither_shown_nor_counted_for_another_country(officer, supervisor, foreign_officer, org):
    one = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    two = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer], title="Second ring")
    mine = phone(officer, one, "+84912345678", shared=False)
    theirs = phone(foreign_officer, two, "+84912345678")
    correlate(mine.pk)
    correlate(theirs.pk)
    assert correlations_for(foreign_officer, theirs).entities == []  # Viet Nam's private phone stays unseen
    assert correlation.correlated_entity_ids(foreign_officer, [theirs]) == set()
    assert [e.pk for e in correlations_for(officer, mine).entities] == [theirs.pk]


def test_outsiders_case_is_not_shown(officer, supervisor, foreign_officer, org):
    one = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    other_unit = make_user("tn", org.vn_other, "officer")
    other_sup = make_user("tnsup", org.vn_other, "officer", "supervisor")
    two = open_case(other_unit, other_sup, [org.kh_unit], accept_by=[make_user("kh2", org.kh_unit, "officer")])
    a, b = phone(officer, one, "+84912345678"), phone(other_unit, two, "+84912345678")
    correlate(a.pk)
    correlate(b.pk)
    assert correlations_for(officer, a).entities == []  # the Quảng Trị officer does not take part in Tây Ninh's case


def test_a_common_value_is_one_row_and_no_pairs(officer, supervisor, foreign_officer, org, settings, monkeypatch):
    monkeypatch.setattr(correlation, "COMMON_AFTER", 3)
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    made = [phone(officer, case, "+84912345678") for _ in range(5)]
    for e in made:
        correlate(e.pk)
    row = IdentifierValue.objects.get(value="+84912345678")
    assert IdentifierValue.objects.count() == 1 and row.common and row.holders == 4  # counted up to the cap only
    found = correlations_for(officer, made[0])
    assert found.common and found.entities == []


def test_excluded_values_are_not_cross_referenced(officer, supervisor, foreign_officer, org):
    ExcludedValue.objects.create(kind="phone", value="+842439393939", reason="Bank hotline")
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    a, b = phone(officer, case, "+84 24 3939 3939"), phone(foreign_officer, case, "+84 24 3939 3939")
    correlate(a.pk)
    correlate(b.pk)
    assert not IdentifierValue.objects.exists()
    assert correlations_for(officer, a).excluded


def test_a_document_correlates_with_a_notice_subject(officer, supervisor, foreign_officer, org):
    from tests.notices.helpers import person, published

    notice = published(officer, supervisor, person(officer, "Lê Văn Tám", documents=[DocumentInput("passport", "C1234567", "VN")]))
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    doc = items.add_entity(officer, case.pk, EntityInput(kind="document", value="c 123-4567", qualifier="VN", shared=True))
    correlate(doc.pk)
    assert [n.pk for n in correlations_for(officer, doc).notices] == [notice.pk]


def test_person_candidates_are_confirmed_and_undone_by_an_investigator(officer, supervisor, foreign_officer, org):
    from borderlink.persons import name_index
    from borderlink.persons.services import record_person

    other = record_person(officer, PersonInput(names=[NameInput("Trần Văn Hùng")], birth_year=1985))
    name_index.reset()
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    entity = items.add_entity(officer, case.pk, EntityInput(kind="person", role="suspect", shared=True, person=PersonInput(
        names=[NameInput("TRAN VAN HUNG")], birth_year=1985, documents=[DocumentInput("passport", "B7654321", "VN")])))
    assert correlate(entity.pk) == 1
    candidate = SamePerson.objects.get(entity=entity)
    assert candidate.person == other and candidate.state == "candidate"
    # Laos sees the shared entity, but not Viet Nam's person it matched: no candidate shown, none to decide
    assert correlation.visible_candidates(foreign_officer, [entity]).count() == 0
    assert list(correlation.visible_candidates(officer, [entity])) == [candidate]
    with pytest.raises(Http404):
        correlation.decide_same_person(foreign_officer, case.pk, candidate.pk, "confirmed")
    correlation.decide_same_person(officer, case.pk, candidate.pk, "confirmed")
    correlation.decide_same_person(officer, case.pk, candidate.pk, "candidate")
    assert SamePerson.objects.get(pk=candidate.pk).state == "candidate"
    assert AuditEvent.objects.filter(action="cases.same_person.confirmed").exists()


def test_a_document_on_a_notice_marks_the_entity(officer, supervisor, foreign_officer, org):
    from tests.notices.helpers import person, published

    published(officer, supervisor, person(officer, "Lê Văn Tám", documents=[DocumentInput("passport", "C1234567", "VN")]))
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    doc = items.add_entity(officer, case.pk, EntityInput(kind="document", value="C1234567", qualifier="VN", shared=True))
    assert correlation.correlated_entity_ids(officer, [doc]) == {doc.pk}
