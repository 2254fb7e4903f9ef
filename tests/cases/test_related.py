"""Issue 15, the parts finished last: a person's role (a recorded trafficking victim never a suspect), units
invited after the approval (four eyes), requests for assistance linked to and cross-referenced with cases,
and notices and custody records showing the cases they meet (need to know)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.cases import items, related, services
from borderlink.cases.items import EntityInput
from borderlink.cases.models import CaseRequest, Participant, ParticipantState, RequestValue
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from tests.cases.helpers import open_case, phone
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def suspect(name="Trần Văn Tâm", document=None, victim=False, role="suspect", shared=True):
    documents = [DocumentInput("passport", document, "VN")] if document else []
    return EntityInput(kind="person", role=role, shared=shared and not victim,
                       person=PersonInput(names=[NameInput(name)], birth_year=1990, documents=documents, is_trafficking_victim=victim))


# --- roles: never a suspect ------------------------------------------------------------------------------------------


def test_person_needs_a_role_and_a_recorded_victim_is_never_a_suspect(officer, supervisor, foreign_officer, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    with pytest.raises(ValidationError) as exc:
        items.add_entity(officer, case.pk, suspect(role=""))
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        items.add_entity(officer, case.pk, suspect(role="boss"))
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a phone has no role
        items.add_entity(officer, case.pk, EntityInput(kind="phone", value="+855 12 345 678", role="suspect"))
    assert "role" in exc.value.message_dict
    # flagged as a trafficking victim: a victim in the case (private), never a suspect
    with pytest.raises(ValidationError) as exc:
        items.add_entity(officer, case.pk, suspect(victim=True, shared=False))
    assert "never a suspect" in " ".join(exc.value.message_dict["role"])
    assert items.add_entity(officer, case.pk, suspect(victim=True, role="victim", shared=False)).role == "victim"
    # the same passport as a recorded victim: refused as a suspect, even without the flag
    items.add_entity(officer, case.pk, suspect(name="Lê Thị Hoa", document="V1234567", victim=True, role="victim", shared=False))
    with pytest.raises(ValidationError) as exc:
        items.add_entity(officer, case.pk, suspect(name="Le Hoa", document="v 1234567"))
    assert "never a suspect" in " ".join(exc.value.message_dict["role"])
    entity = items.add_entity(officer, case.pk, suspect(document="C7654321"))
    assert entity.role == "suspect"


def test_role_refusal_on_the_page_and_api_in_the_users_language(officer, supervisor, foreign_officer, org, login, api):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    items.add_entity(officer, case.pk, suspect(name="Lê Thị Hoa", document="V1234567", victim=True, role="victim", shared=False))
    page = login(officer).post(f"/cases/{case.pk}/entities/", {"kind": "person", "name": "Le Hoa", "role": "suspect",
                                                               "document_type": "passport", "document_number": "V1234567",
                                                               "document_country": "VN"})
    assert page.status_code == 400 and "never a suspect" in page.content.decode()
    bad = api(officer).post(f"/api/cases/{case.pk}/entities", {"kind": "person", "role": "chief", "person": {
        "names": [{"name": "Le Hoa"}]}}, content_type="application/json")
    assert bad.status_code == 422
    refused = api(foreign_officer).post(f"/api/cases/{case.pk}/entities", {"kind": "person", "role": "suspect", "person": {
        "names": [{"name": "Nguyễn Thị Mai"}], "is_trafficking_victim": True}}, content_type="application/json")
    assert refused.status_code == 400 and "role" in refused.json()["errors"]
    assert "never a suspect" not in str(refused.json())  # in Lao, the foreign officer's language
    ok = api(officer).post(f"/api/cases/{case.pk}/entities", {"kind": "person", "role": "witness", "shared": True, "person": {
        "names": [{"name": "Phạm Văn Đức"}]}}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["role"] == "witness"


def test_a_peer_suspect_who_is_a_victim_here_is_refused(officer, supervisor, foreign_officer, org, settings):
    """A person entity from a peer is re-validated here: a person this node records as a victim is never a suspect."""
    from borderlink.cases import federation
    from borderlink.federation.models import Peer

    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    items.add_entity(officer, case.pk, suspect(name="Lê Thị Hoa", document="V1234567", victim=True, role="victim", shared=False))
    peer = Peer.objects.create(node_id="test-la", country_id="LA", base_url="http://127.0.0.1:9", public_key="x" * 43,
                               fingerprint="f")
    import json
    import uuid

    def payload(role):
        return federation.ItemPayload.model_validate_json(json.dumps({"type": "entity", "entity": {
            "id": str(uuid.uuid4()), "unit": org.la_unit.code, "created_at": timezone.now().isoformat(), "kind": "person",
            "label": "Le Hoa", "role": role, "person": {"id": str(uuid.uuid4()), "names": [{"name": "Le Hoa", "kind": "primary"}],
                                                        "sex": "F", "documents": [{"doc_type": "passport", "number": "V1234567",
                                                                                   "issuing_country": "VN"}]}}}))

    with pytest.raises(ValidationError, match="never a suspect"):
        federation.apply_item_data(case, payload("suspect"), peer)
    with pytest.raises(ValidationError):
        federation.apply_item_data(case, payload(""), peer)
    federation.apply_item_data(case, payload("witness"), peer)
    assert case.entities.filter(role="witness", owner_country_id="LA").count() == 1


# --- invitations after the approval ----------------------------------------------------------------------------------


def test_units_invited_after_the_approval_need_another_supervisor(officer, supervisor, foreign_officer, kh_officer, org, login):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    with pytest.raises(Http404):
        services.invite_units(foreign_officer, case.pk, [org.kh_unit.pk])  # only the lead unit invites
    with pytest.raises(ValidationError) as exc:
        services.invite_units(officer, case.pk, [org.la_unit.pk])
    assert "already invited" in " ".join(exc.value.message_dict["units"])
    with pytest.raises(ValidationError) as exc:
        services.invite_units(officer, case.pk, [987654])
    assert "units" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.invite_units(officer, case.pk, [org.kh_unit.pk], message="x" * 2001)
    added = services.invite_units(supervisor, case.pk, [org.kh_unit.pk], message="Your compound suspects call our victims")
    assert [p.state for p in added] == [ParticipantState.INVITED]
    assert not Participant.objects.filter(unit=org.kh_unit, state=ParticipantState.PENDING).exists()  # nothing sent yet
    with pytest.raises(ValidationError, match="another supervisor"):
        services.send_invitations(supervisor, case.pk)  # four eyes: not who added them
    with pytest.raises(Http404):
        services.send_invitations(officer, case.pk)  # not a supervisor
    second = make_user("supervisor2", org.vn_unit, "officer", "supervisor")
    sent = services.send_invitations(second, case.pk)
    assert [p.unit_id for p in sent] == [org.kh_unit.pk]
    invitation = Participant.objects.get(unit=org.kh_unit)
    assert invitation.state == ParticipantState.PENDING and invitation.events.get().action == "invited"
    with pytest.raises(ValidationError):
        services.send_invitations(second, case.pk)  # nothing waits any more
    services.answer_invitation(kh_officer, invitation.pk, True)
    assert services.view_case(kh_officer, case.pk) == case
    # a fourth country would be one too many
    from borderlink.core.models import Country, Unit

    th = Country.objects.create(code="TH", name_en="Thailand")
    unit = Unit.objects.create(code="TH-X", country=th, ministry=org.vn_unit.ministry, kind="provincial", name_en="TH unit")
    with pytest.raises(ValidationError) as exc:
        services.invite_units(officer, case.pk, [unit.pk])
    assert "at most 3 countries" in " ".join(exc.value.message_dict["units"])


def test_invitations_before_approval_and_on_the_page(officer, supervisor, foreign_officer, org, login, api):
    draft = services.create_case(officer, services.CaseInput(title="Draft ring", offence="fraud", legal_basis="MoU",
                                                             units=[org.la_unit.pk]))
    with pytest.raises(ValidationError):
        services.invite_units(officer, draft.pk, [org.kh_unit.pk])  # the approval invites the first units
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    vn = login(officer)
    assert "Invite more units" in vn.get(f"/cases/{case.pk}/").content.decode()
    assert "Invite more units" not in login(foreign_officer).get(f"/cases/{case.pk}/").content.decode()
    bad = vn.post(f"/cases/{case.pk}/invite/", {"units": ["not-a-number"]})
    assert bad.status_code == 400
    assert vn.post(f"/cases/{case.pk}/invite/", {"units": [org.kh_unit.pk], "message": "Join"}).status_code == 302
    assert "Invitations waiting to be sent" in login(supervisor).get(f"/cases/{case.pk}/").content.decode()
    assert login(supervisor).post(f"/cases/{case.pk}/invite/send/").status_code == 302
    assert Participant.objects.get(unit=org.kh_unit).state == ParticipantState.PENDING
    assert api(officer).post(f"/api/cases/{case.pk}/invitations", {"units": []}, content_type="application/json").status_code == 422
    assert api(foreign_officer).post(f"/api/cases/{case.pk}/invitations/send").status_code == 404


# --- requests for assistance -----------------------------------------------------------------------------------------


def _request(user, unit, identifier="", subject="Trace the caller"):
    from borderlink.assistance.services import RequestInput, create_request

    return create_request(user, RequestInput(kind="trace_phone" if identifier else "obtain_evidence", requested_unit_id=unit.pk, offence="fraud", subject=subject,
                                             details="Calls to victims in Tây Ninh.", identifier=identifier))


def test_requests_linked_and_cross_referenced_both_ways(officer, supervisor, foreign_officer, outsider, org, login, api,
                                                        django_capture_on_commit_callbacks):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    caller = phone(officer, case, "+855 12 345 678")
    private = phone(officer, case, "+855 99 888 777", shared=False)
    with django_capture_on_commit_callbacks(execute=True):  # the worker reads the request's identifier after the commit
        traced = _request(officer, org.la_unit, identifier="012 345 678", subject="Who holds this number")
    assert RequestValue.objects.filter(request=traced).exists()
    assert ("phone", "+85512345678") not in set(RequestValue.objects.filter(request=traced).values_list("kind", "value"))
    # read in Viet Nam (the requesting unit's country) the local number is not the Cambodian one; written in full it is
    traced.identifier = "+855 12-345-678"
    with django_capture_on_commit_callbacks(execute=True):
        traced.save()
    assert ("phone", "+85512345678") in set(RequestValue.objects.filter(request=traced).values_list("kind", "value"))
    matches = related.requests_for_case(officer, case)
    assert [(m.request, m.reason, m.entity) for m in matches] == [(traced, "identifier", caller)]
    assert [(m.case, m.reason) for m in related.cases_for_request(officer, traced)] == [(case, "identifier")]
    # link another request by its reference; bad references are field errors
    other = _request(officer, org.la_unit, subject="Bank records")
    with pytest.raises(ValidationError) as exc:
        related.link_request(officer, case.pk, "VN-QT/NOPE")
    assert "reference" in exc.value.message_dict
    link = related.link_request(officer, case.pk, other.reference)
    with pytest.raises(ValidationError):
        related.link_request(officer, case.pk, other.reference)  # once
    outsiders_request = _request(outsider, org.la_unit, subject="Not yours")
    with pytest.raises(ValidationError):
        related.link_request(officer, case.pk, outsiders_request.reference)  # a request the officer may not see
    with pytest.raises(Http404):
        related.link_request(outsider, case.pk, outsiders_request.reference)  # a case the outsider is not in
    assert {m.reason for m in related.requests_for_case(officer, case)} == {"linked", "identifier"}
    # on the pages: the case shows the requests, the request shows the case
    case_page = login(officer).get(f"/cases/{case.pk}/").content.decode()
    assert other.reference in case_page and traced.reference in case_page
    request_page = login(officer).get(f"/requests/{other.pk}/").content.decode()
    assert case.reference in request_page
    # Laos takes part in the case, but sees neither request (drafts of Viet Nam): nothing shown or counted
    assert other.reference not in login(foreign_officer).get(f"/cases/{case.pk}/").content.decode()
    assert related.requests_for_case(foreign_officer, case) == []
    # an identifier held only in a private entity shows only to its own country
    with django_capture_on_commit_callbacks(execute=True):
        hidden = _request(officer, org.la_unit, identifier="+855 99 888 777", subject="Private number")
    assert any(m.entity == private for m in related.requests_for_case(officer, case))
    assert [m.reason for m in related.cases_for_request(officer, hidden)] == ["identifier"]
    # API: link and read
    answer = api(officer).post(f"/api/cases/{case.pk}/requests", {"reference": "nothing"}, content_type="application/json")
    assert answer.status_code == 400 and "reference" in answer.json()["errors"]
    read = api(officer).get(f"/api/cases/{case.pk}").json()
    assert {r["reference"] for r in read["requests"]} >= {other.reference, traced.reference}
    # unlinking is audited and reversible, on the page and over the API
    assert api(outsider).delete(f"/api/cases/{case.pk}/requests/{link.pk}").status_code == 404
    assert login(officer).post(f"/cases/{case.pk}/requests/{link.pk}/unlink/").status_code == 302
    assert not CaseRequest.objects.exists()
    again = related.link_request(officer, case.pk, other.reference)
    assert api(officer).delete(f"/api/cases/{case.pk}/requests/{again.pk}").json() == {"link": again.pk, "linked": False}
    assert not CaseRequest.objects.exists()
    from borderlink.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="cases.request.unlinked").count() == 2
    assert login(outsider).post(f"/cases/{case.pk}/requests/{link.pk}/unlink/").status_code == 404
    bad = login(officer).post(f"/cases/{case.pk}/requests/", {"reference": ""})
    assert bad.status_code == 400


def test_request_identifier_readings():
    from borderlink.cases.identifiers import readings

    assert ("phone", "+85512345678") in readings("+855 12 345 678", "VN")
    assert ("wallet", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") in readings("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "VN")
    assert ("account", "0071000012345") in readings("0071 0000 12345", "VN")
    assert readings("", "VN") == [] and readings("no digits here", "VN") == []


# --- notices and custody records -------------------------------------------------------------------------------------


def test_notice_and_custody_pages_show_the_cases_they_meet(officer, supervisor, foreign_officer, outsider, org, login):
    from borderlink.custody import services as custody
    from tests.notices.helpers import person, wanted

    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    items.add_entity(officer, case.pk, EntityInput(kind="document", value="C 123 4567", qualifier="VN", shared=True))
    items.add_entity(officer, case.pk, suspect(name="Bùi Văn Kiên", document="K7777777", shared=False))
    notice = wanted(officer, person(officer, "Bui Van Kien", birth_year=1990,
                                    documents=[DocumentInput("passport", "K7777777", "VN")]))
    found = related.cases_for_person(officer, notice.subject)
    assert [(m.case, m.reason) for m in found] == [(case, "document")]
    page = login(officer).get(f"/notices/{notice.pk}/").content.decode()
    assert case.reference in page and "the same identity document" in page
    # Laos takes part in the case but not in Viet Nam's private person entity: nothing of it
    assert related.cases_for_person(foreign_officer, notice.subject) == []
    # an officer outside the case never sees it
    assert related.cases_for_person(outsider, notice.subject) == []
    record = custody.record_custody(officer, PersonInput(names=[NameInput("Somchai Keo")], birth_year=1985, documents=[
        DocumentInput("passport", "C1234567", "VN")]), custody.CustodyInput(
        nationality="LA", kind="arrest", detained_at=timezone.now(), place_held="Station", offence="fraud"))
    assert [(m.case, m.reason) for m in related.cases_for_person(foreign_officer, record.person)] == [(case, "document")]
    page = login(officer).get(f"/custody/{record.pk}/").content.decode()
    assert case.reference in page
    assert login(outsider).get(f"/custody/{record.pk}/").status_code == 404


def test_buttons_on_the_case_page_share_and_refuse_through_the_services(officer, supervisor, foreign_officer, outsider, org, login):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    private = phone(officer, case, "+855 99 888 777", shared=False)
    vn = login(officer)
    assert login(outsider).post(f"/cases/{case.pk}/share/entity/{private.pk}/").status_code == 404
    assert login(foreign_officer).post(f"/cases/{case.pk}/share/entity/{private.pk}/").status_code == 404  # not Laos's item
    assert vn.post(f"/cases/{case.pk}/share/entity/{private.pk}/").status_code == 302
    private.refresh_from_db()
    assert private.shared
    assert vn.post(f"/cases/{case.pk}/same-person/999/confirmed/").status_code == 404  # no such candidate
    # a refusal is said on the case page: nothing waits to be sent
    response = login(supervisor).post(f"/cases/{case.pk}/invite/send/", follow=True)
    assert response.status_code == 200 and "No invitation is waiting to be sent." in response.content.decode()


def test_cases_on_a_request_as_each_viewer_may_see_them(officer, supervisor, foreign_officer, kh_officer, outsider, org,
                                                         django_capture_on_commit_callbacks, django_assert_num_queries):
    """Need to know on a request's joint-cases block: the lead unit, an invited unit (accepted), a unit of a third
    country in another case, an officer in no case; shared and private entities, a link, a named person, a value
    an administrator excluded, and a request holding no value any case holds."""
    from borderlink.cases.correlation import correlate
    from borderlink.cases.models import ExcludedValue
    from tests.cases.test_person_match import person_entity, request_naming

    joint = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer], title="Joint with Laos")
    other = open_case(officer, supervisor, [org.kh_unit], accept_by=[kh_officer], title="Joint with Cambodia")
    shared = phone(officer, joint, "+855 12 345 678")
    also = phone(kh_officer, other, "+855 12 345 678")
    vn_private = phone(officer, joint, "+855 99 888 777", shared=False)
    la_private = phone(foreign_officer, joint, "+855 77 666 555", shared=False)
    phone(officer, joint, "+855 11 222 333")
    ExcludedValue.objects.create(kind="phone", value="+85511222333")
    named = person_entity(officer, joint, "Trần Văn Hùng")
    correlate(named.pk)
    with django_capture_on_commit_callbacks(execute=True):
        both = _request(officer, org.la_unit, identifier="+855 12 345 678", subject="Shared number")
        vn_only = _request(officer, org.la_unit, identifier="+855 99 888 777", subject="Viet Nam's private number")
        la_only = _request(officer, org.la_unit, identifier="+855 77 666 555", subject="Laos' private number")
        excluded = _request(officer, org.la_unit, identifier="+855 11 222 333", subject="Excluded number")
        nothing = _request(officer, org.la_unit, identifier="+855 10 101 010", subject="A number no case holds")
        naming = request_naming(officer, org.la_unit, "TRAN VAN HUNG")
    related.link_request(officer, other.pk, nothing.reference)

    def seen(user, req):
        return [(m.case, m.reason, m.entity, m.state) for m in related.cases_for_request(user, req)]

    assert seen(officer, both) == [(joint, "identifier", shared, ""), (other, "identifier", also, "")]
    assert seen(foreign_officer, both) == [(joint, "identifier", shared, "")]
    assert seen(kh_officer, both) == [(other, "identifier", also, "")]
    assert seen(outsider, both) == []
    # a private entity: only its own country sees the case through it
    assert seen(officer, vn_only) == [(joint, "identifier", vn_private, "")]
    assert seen(foreign_officer, vn_only) == [] and seen(kh_officer, vn_only) == []
    assert seen(foreign_officer, la_only) == [(joint, "identifier", la_private, "")]
    assert seen(officer, la_only) == [] and seen(kh_officer, la_only) == []
    assert all(seen(user, excluded) == [] for user in (officer, foreign_officer, kh_officer, outsider))
    # no value any case holds: only the link, to the units taking part in the linked case
    assert seen(officer, nothing) == [(other, "linked", None, "")]
    assert seen(kh_officer, nothing) == [(other, "linked", None, "")]
    assert seen(foreign_officer, nothing) == [] and seen(outsider, nothing) == []
    # the name engine's candidate: shown with the case's person entity to those who may see it
    assert seen(officer, naming) == [(joint, "person", named, "candidate")]
    assert seen(foreign_officer, naming) == [(joint, "person", named, "candidate")]
    assert seen(kh_officer, naming) == [] and seen(outsider, naming) == []
    # a request meeting no case at all (most of them) costs one indexed query, for any viewer
    with django_capture_on_commit_callbacks(execute=True):
        alone = _request(officer, org.la_unit, identifier="+855 10 101 010", subject="The same number, not linked")
    for user in (officer, foreign_officer):
        with django_assert_num_queries(1):
            assert related.cases_for_request(user, alone) == []
