"""Issue 15, persons cross-referenced through the name engine, incremental, both ways: a person entering a case
meets the requests naming them and the persons of notices, custody records and other cases; a request, notice
or custody record written later meets the case's person entities. Candidates until an investigator decides
(audited, reversible); nothing shown to whoever may not see both sides."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.cases import correlation, items, person_match, related
from borderlink.cases.correlation import correlate
from borderlink.cases.items import EntityInput
from borderlink.cases.models import RequestName, RequestPerson, SamePerson
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from tests.cases.helpers import open_case

pytestmark = pytest.mark.django_db


def person_entity(user, case, name, birth=(1990, None, None), document=None, shared=True, role="suspect", victim=False):
    year, month, day = birth
    documents = [DocumentInput("passport", document, "VN")] if document else []
    return items.add_entity(user, case.pk, EntityInput(kind="person", role=role, shared=shared, person=PersonInput(
        names=[NameInput(name)], birth_year=year, birth_month=month, birth_day=day, documents=documents,
        is_trafficking_victim=victim)))


def request_naming(user, unit, name, subject="Locate the person"):
    from borderlink.assistance.services import RequestInput, create_request

    return create_request(user, RequestInput(kind="locate", requested_unit_id=unit.pk, offence="fraud", subject=subject,
                                             details="Seen at the Mộc Bài gate.", person_name=name))


def test_a_request_naming_the_person_meets_the_case_in_either_order(officer, supervisor, foreign_officer, org,
                                                                    django_capture_on_commit_callbacks):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    with django_capture_on_commit_callbacks(execute=True):  # the worker reads the request's name after the commit
        earlier = request_naming(officer, org.la_unit, "TRAN VAN HUNG")
        unrelated = request_naming(officer, org.la_unit, "Phạm Thị Lan", subject="Another person")
    assert RequestName.objects.get(request=earlier).name == "TRAN VAN HUNG"
    entity = person_entity(officer, case, "Trần Văn Hùng")
    correlate(entity.pk)  # the worker, after the entity's commit
    assert list(RequestPerson.objects.filter(entity=entity).values_list("request_id", flat=True)) == [earlier.pk]
    # a request written after the person entered the case meets it too (the other direction)
    with django_capture_on_commit_callbacks(execute=True):
        later = request_naming(officer, org.la_unit, "Tran Van Hung", subject="Later")
    assert RequestPerson.objects.filter(entity=entity, request=later, state="candidate").exists()
    found = related.requests_for_case(officer, case)
    assert {(m.request.pk, m.reason) for m in found} == {(earlier.pk, "person"), (later.pk, "person")}
    assert [(m.case, m.reason, m.state) for m in related.cases_for_request(officer, later)] == [(case, "person", "candidate")]
    assert related.cases_for_request(officer, unrelated) == []
    # a changed name drops the undecided candidate; a decided one stays
    match = RequestPerson.objects.get(request=earlier)
    related.decide_request_person(officer, case.pk, match.pk, "confirmed")
    later.person_name = "Phạm Thị Lan"
    with django_capture_on_commit_callbacks(execute=True):
        later.save()
    assert not RequestPerson.objects.filter(request=later).exists()
    assert RequestPerson.objects.get(request=earlier).state == "confirmed"
    # the index follows the change: the new name no longer matches, the old name is gone from it
    assert str(later.pk) not in {ref for ref, _score in person_match.search_request_names("Trần Văn Hùng")}


def test_deciding_a_request_candidate_is_audited_reversible_and_needs_to_know(officer, supervisor, foreign_officer, outsider,
                                                                            org, login, api, django_capture_on_commit_callbacks):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    with django_capture_on_commit_callbacks(execute=True):
        req = request_naming(officer, org.la_unit, "Trần Văn Hùng")
    entity = person_entity(officer, case, "TRAN VAN HUNG")
    correlate(entity.pk)
    match = RequestPerson.objects.get(entity=entity)
    page = login(officer).get(f"/cases/{case.pk}/").content.decode()
    assert req.reference in page and "possibly the same person" in page
    # Laos takes part in the case and sees the shared entity, but not Viet Nam's draft request: nothing shown
    assert all(m.reason != "person" for m in related.requests_for_case(foreign_officer, case))
    with pytest.raises(Http404):
        related.decide_request_person(foreign_officer, case.pk, match.pk, "confirmed")
    with pytest.raises(Http404):
        related.decide_request_person(outsider, case.pk, match.pk, "confirmed")
    assert api(outsider).post(f"/api/cases/{case.pk}/request-person/{match.pk}/confirmed").status_code == 404
    # bad input: a state outside the list, an unknown candidate
    with pytest.raises(ValidationError) as exc:
        related.decide_request_person(officer, case.pk, match.pk, "maybe")
    assert "state" in exc.value.message_dict
    assert api(officer).post(f"/api/cases/{case.pk}/request-person/{match.pk}/maybe").status_code == 400
    assert api(officer).post(f"/api/cases/{case.pk}/request-person/999999/confirmed").status_code == 404
    # confirm on the page, undo over the API, reject on the page: each audited
    assert login(officer).post(f"/cases/{case.pk}/request-person/{match.pk}/confirmed/").status_code == 302
    assert RequestPerson.objects.get(pk=match.pk).state == "confirmed"
    read = api(officer).get(f"/api/cases/{case.pk}").json()
    assert [(r["reason"], r["person_match"], r["person_state"]) for r in read["requests"]] == [("person", match.pk, "confirmed")]
    assert api(officer).post(f"/api/cases/{case.pk}/request-person/{match.pk}/candidate").json() == {"id": match.pk,
                                                                                                      "state": "candidate"}
    assert login(officer).post(f"/cases/{case.pk}/request-person/{match.pk}/rejected/").status_code == 302
    assert related.cases_for_request(officer, req) == []  # a rejected candidate is not shown
    actions = set(AuditEvent.objects.filter(action__startswith="cases.request_person.").values_list("action", flat=True))
    assert actions == {"cases.request_person.confirmed", "cases.request_person.candidate", "cases.request_person.rejected"}


def test_a_custody_record_written_later_meets_the_case_person(officer, supervisor, foreign_officer, outsider, org,
                                                              django_capture_on_commit_callbacks):
    from borderlink.custody import services as custody

    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    entity = person_entity(officer, case, "Bùi Văn Kiên", birth=(1990, 5, 17))
    private = person_entity(officer, case, "Bùi Văn Kiên", birth=(1990, 5, 17), shared=False)
    correlate(entity.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the worker matches the record's person after the commit
        record = custody.record_custody(officer, PersonInput(names=[NameInput("BUI VAN KIEN")], birth_year=1990, birth_month=5,
                                                             birth_day=17), custody.CustodyInput(
            nationality="LA", kind="arrest", detained_at=timezone.now(), place_held="Station", offence="fraud"))
    assert set(SamePerson.objects.filter(person=record.person).values_list("entity_id", flat=True)) == {entity.pk, private.pk}
    found = related.cases_for_person(officer, record.person)
    assert [(m.case, m.reason) for m in found] == [(case, "person")] and found[0].entity in (entity, private)
    # the candidates are on the case page's list for Viet Nam; Laos sees the shared entity but not Viet Nam's custody
    # record's person, and never the private entity: nothing of either
    assert {c.entity_id for c in correlation.visible_candidates(officer, [entity, private])} >= {entity.pk, private.pk}
    assert correlation.visible_candidates(foreign_officer, [entity]).filter(person=record.person).count() == 0
    assert related.cases_for_person(outsider, record.person) == []


def test_dates_of_birth_and_documents_decide_and_victims_are_never_offered(officer, supervisor, foreign_officer, org,
                                                                           django_capture_on_commit_callbacks):
    from borderlink.persons.services import record_person

    born_1970 = record_person(officer, PersonInput(names=[NameInput("Nguyễn Văn Nam")], birth_year=1970))
    other_day = record_person(officer, PersonInput(names=[NameInput("Nguyen Van Nam")], birth_year=1990, birth_month=1, birth_day=2))
    same_doc = record_person(officer, PersonInput(names=[NameInput("Nguyễn Nam")], birth_year=1960,
                                                  documents=[DocumentInput("passport", "N1112223", "VN")]))
    victim = record_person(officer, PersonInput(names=[NameInput("Nguyễn Văn Nam")], birth_year=1990, is_trafficking_victim=True))
    agreeing = record_person(officer, PersonInput(names=[NameInput("NGUYEN VAN NAM")], birth_year=1991))
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    entity = person_entity(officer, case, "Nguyễn Văn Nam", birth=(1990, 3, 4), document="N 111 2223")
    correlate(entity.pk)
    matched = dict(SamePerson.objects.filter(entity=entity).values_list("person_id", "reasons"))
    assert set(matched) == {same_doc.pk, agreeing.pk}
    assert matched[same_doc.pk] == ["document"] and matched[agreeing.pk] == ["name"]
    assert born_1970.pk not in matched and other_day.pk not in matched and victim.pk not in matched
    # a victim entity is never offered to another object as a candidate, nor matched with requests
    with django_capture_on_commit_callbacks(execute=True):
        request_naming(officer, org.la_unit, "Nguyen Van Nam")
    protected = person_entity(officer, case, "Nguyễn Văn Nam", birth=(1990, 3, 4), shared=False, role="victim", victim=True)
    correlate(protected.pk)
    assert not RequestPerson.objects.filter(entity=protected).exists()
    assert not SamePerson.objects.filter(person=protected.person).exists()


def test_two_cases_meet_on_a_person_both_ways(officer, supervisor, foreign_officer, kh_officer, org):
    first = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    second = open_case(officer, supervisor, [org.kh_unit], accept_by=[kh_officer], title="Compound in Bavet")
    a = person_entity(officer, first, "Lò Văn Thắng")
    correlate(a.pk)
    b = person_entity(officer, second, "LO VAN THANG")
    correlate(b.pk)
    assert SamePerson.objects.filter(entity=b, person=a.person).exists()
    assert SamePerson.objects.filter(entity=a, person=b.person).exists()  # shown on the first case as well
    # Laos takes part in the first case only: Viet Nam's entity of the second case is not its to see
    assert correlation.visible_candidates(foreign_officer, [a]).count() == 0
    assert correlation.visible_candidates(officer, [a]).count() == 1


def test_a_candidate_held_by_a_person_entity_is_shown_only_where_that_entity_may_be_seen(officer, supervisor, foreign_officer,
                                                                                        kh_officer, org):
    """The fourth rule of `visible_candidates` (a person entity of a case the user's unit takes part in, shared or
    of the user's country), asked by value for the candidates' persons: the same answers as one EXISTS per candidate."""
    from borderlink.persons.services import record_person

    first = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    second = open_case(officer, supervisor, [org.la_unit, org.kh_unit], accept_by=[foreign_officer, kh_officer],
                       title="Compound in Bavet")
    a = person_entity(officer, first, "Lò Văn Thắng")
    shared = person_entity(officer, second, "LO VAN THANG")
    private = person_entity(officer, second, "Lò Văn Thắng", shared=False)
    nobody = record_person(kh_officer, PersonInput(names=[NameInput("Lò Thắng")], birth_year=1990))  # Cambodia's record
    for held in (shared, private):
        SamePerson.objects.get_or_create(entity=a, person=held.person, defaults={"score": 0.9})
    SamePerson.objects.get_or_create(entity=a, person=nobody, defaults={"score": 0.8})
    seen = {c.person_id for c in correlation.visible_candidates(officer, [a])}
    assert {shared.person_id, private.person_id} <= seen and nobody.pk not in seen  # Viet Nam's own private entity too
    # Laos takes part in both cases: the shared entity's person, not Viet Nam's private one, nor Cambodia's record
    assert {c.person_id for c in correlation.visible_candidates(foreign_officer, [a])} == {shared.person_id}
    # Cambodia takes part in the second case: its shared entity's person, and the person its own unit recorded
    assert {c.person_id for c in correlation.visible_candidates(kh_officer, [a])} == {shared.person_id, nobody.pk}
    assert correlation.visible_candidates(officer, []).count() == 0
    # the case page's fixed-shape form (issue 19) gives the same rows, with the entity's label and the primary name
    for reader in (officer, foreign_officer, kh_officer, supervisor):
        expect_page_candidates_as_visible(reader, [a, shared, private])


def expect_page_candidates_as_visible(reader, entities, limit=100):
    """`correlation.page_candidates` is `visible_candidates(...)[:limit]` by id, with labels and primary names."""
    from borderlink.persons.models import Person

    page = correlation.page_candidates(reader, entities, limit=limit)
    orm = list(correlation.visible_candidates(reader, entities).order_by("pk")[:limit])
    assert [(c.pk, c.entity_id, c.person_id, c.score, c.state) for c in page] == [
        (c.pk, c.entity_id, c.person_id, c.score, c.state) for c in orm]
    labels = {e.pk: e.label for e in entities}
    assert [(c.label, c.name) for c in page] == [(labels[c.entity_id], Person.objects.get(pk=c.person_id).primary_name)
                                                 for c in orm]
    return page


def test_page_candidates_are_the_visible_ones_whatever_their_number(officer, supervisor, foreign_officer, kh_officer,
                                                                     outsider, org):
    """The padded statements of `page_candidates` at each size (1 to past the largest: the ORM then), for readers
    who may see all, some or none of the candidates' persons; a limit; entities that are not persons; no entity."""
    from borderlink.persons.services import record_person

    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    a = person_entity(officer, case, "Lò Văn Thắng")
    b = person_entity(officer, case, "Lò Văn Nam", shared=False)
    for n, (entity, recorder) in enumerate([(a, officer)] * 3 + [(b, kh_officer)] * 17 + [(a, officer)] * 70):
        person = record_person(recorder, PersonInput(names=[NameInput(f"Lò Văn Thắng {n}")], birth_year=1990))
        SamePerson.objects.create(entity=entity, person=person, score=0.5 + n / 1000)
    for reader in (officer, foreign_officer, kh_officer, outsider):
        for entities in ([a], [b], [a, b]):
            expect_page_candidates_as_visible(reader, entities)
            expect_page_candidates_as_visible(reader, entities, limit=5)
    assert len(correlation.page_candidates(officer, [a, b])) == 73  # VN's own records; KH's unseen by VN
    assert len(correlation.page_candidates(kh_officer, [a, b])) == 17
    assert correlation.page_candidates(officer, []) == []
    phone = items.add_entity(officer, case.pk, EntityInput(kind="phone", value="+84912300001", shared=True))
    assert correlation.page_candidates(officer, [phone]) == []
    # past the largest size of persons (256): the ORM's form, the same answer
    for n in range(190):
        person = record_person(officer, PersonInput(names=[NameInput(f"Lò Thắng {n}")], birth_year=1991))
        SamePerson.objects.create(entity=b, person=person, score=0.4)
    assert len(expect_page_candidates_as_visible(officer, [a, b], limit=300)) == 263
    expect_page_candidates_as_visible(kh_officer, [a, b])


def test_births_agree():
    from types import SimpleNamespace as P

    assert person_match.births_agree(P(birth_year=None, birth_month=None, birth_day=None), P(birth_year=1990, birth_month=1, birth_day=1))
    assert person_match.births_agree(P(birth_year=1990, birth_month=None, birth_day=None), P(birth_year=1991, birth_month=2, birth_day=3))
    assert not person_match.births_agree(P(birth_year=1990, birth_month=None, birth_day=None),
                                         P(birth_year=1992, birth_month=None, birth_day=None))
    assert not person_match.births_agree(P(birth_year=1990, birth_month=5, birth_day=17), P(birth_year=1990, birth_month=5, birth_day=18))


def test_a_rejected_request_candidate_is_reopened_on_the_page(officer, supervisor, foreign_officer, outsider, org, login,
                                                              django_capture_on_commit_callbacks):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    with django_capture_on_commit_callbacks(execute=True):
        req = request_naming(officer, org.la_unit, "Trần Văn Hùng")
    entity = person_entity(officer, case, "TRAN VAN HUNG")
    correlate(entity.pk)
    match = RequestPerson.objects.get(entity=entity)
    client = login(officer)
    undo = f"/cases/{case.pk}/request-person/{match.pk}/candidate/"
    assert undo not in client.get(f"/cases/{case.pk}/").content.decode()  # a candidate: nothing to reopen
    assert client.post(f"/cases/{case.pk}/request-person/{match.pk}/rejected/").status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    # no longer among the requests shown, but listed apart with the button that reopens it
    assert "Rejected: not the same person" in page and undo in page and req.reference in page
    assert f"/cases/{case.pk}/request-person/{match.pk}/confirmed/" not in page
    assert related.rejected_request_persons(foreign_officer, [entity]) == []  # Laos may not see Viet Nam's draft request
    assert login(foreign_officer).post(undo).status_code == 404
    assert login(outsider).post(undo).status_code == 404
    assert RequestPerson.objects.get(pk=match.pk).state == "rejected"
    assert client.post(undo).status_code == 302
    assert RequestPerson.objects.get(pk=match.pk).state == "candidate"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Rejected: not the same person" not in page
    assert f"/cases/{case.pk}/request-person/{match.pk}/confirmed/" in page  # back among the candidates
    assert [m.reason for m in related.cases_for_request(officer, req)] == ["person"]
    assert AuditEvent.objects.filter(action="cases.request_person.candidate", actor_id=officer.pk, object_id=str(case.pk)).count() == 1


def test_deciding_a_same_person_candidate_decides_its_mirror_in_the_other_case(officer, supervisor, foreign_officer, kh_officer,
                                                                              org, login, api):
    first = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    second = open_case(officer, supervisor, [org.kh_unit], accept_by=[kh_officer], title="Compound in Bavet")
    a = person_entity(officer, first, "Lò Văn Thắng")
    correlate(a.pk)
    b = person_entity(officer, second, "LO VAN THANG")
    correlate(b.pk)
    seen_in_second = SamePerson.objects.get(entity=b, person=a.person)
    seen_in_first = SamePerson.objects.get(entity=a, person=b.person)
    client = login(officer)

    def states() -> tuple[str, str]:
        return SamePerson.objects.get(pk=seen_in_second.pk).state, SamePerson.objects.get(pk=seen_in_first.pk).state

    # confirmed on the second case's page: the first case's candidate (B matched with A) follows
    assert client.post(f"/cases/{second.pk}/same-person/{seen_in_second.pk}/confirmed/").status_code == 302
    assert states() == ("confirmed", "confirmed")
    for case, candidate in ((first, seen_in_first), (second, seen_in_second)):
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "confirmed: same person" in page
        assert f"/cases/{case.pk}/same-person/{candidate.pk}/confirmed/" not in page  # already decided
        assert f"/cases/{case.pk}/same-person/{candidate.pk}/candidate/" in page  # and can be undone
    events = AuditEvent.objects.filter(action="cases.same_person.confirmed").order_by("pk")
    assert [(e.object_id, e.data.get("mirror_of")) for e in events] == [(str(second.pk), None),
                                                                         (str(first.pk), seen_in_second.pk)]
    # rejected over the API from the first case, then set back to candidate on its page: both follow each time
    answer = api(officer).post(f"/api/cases/{first.pk}/same-person/{seen_in_first.pk}/rejected")
    assert answer.status_code == 200 and answer.json() == {"id": seen_in_first.pk, "state": "rejected"}
    assert states() == ("rejected", "rejected")
    assert client.post(f"/cases/{first.pk}/same-person/{seen_in_first.pk}/candidate/").status_code == 302
    assert states() == ("candidate", "candidate")
    assert AuditEvent.objects.filter(action="cases.same_person.candidate").count() == 2
    # Cambodia takes part in the second case only: it sees neither candidate and changes neither
    assert login(kh_officer).post(f"/cases/{second.pk}/same-person/{seen_in_second.pk}/confirmed/").status_code == 404
    assert states() == ("candidate", "candidate")
    # a bad state changes nothing on either side
    with pytest.raises(ValidationError):
        correlation.decide_same_person(officer, second.pk, seen_in_second.pk, "maybe")
    assert states() == ("candidate", "candidate")
