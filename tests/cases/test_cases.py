"""Joint cases on one node hosting the three countries: life cycle, invitations, items, access."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.cases import access, items, services
from borderlink.cases.items import EntityInput, LinkInput
from borderlink.cases.models import CaseState, ParticipantState, Task, TaskState
from borderlink.persons.services import NameInput, PersonInput
from tests.cases.helpers import open_case, phone
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_life_cycle_with_four_eyes(officer, supervisor, foreign_officer, org):
    case = services.create_case(officer, services.CaseInput(title="Ring", offence="fraud", legal_basis="MoU", units=[org.la_unit.pk]))
    assert case.state == CaseState.DRAFT
    services.propose_case(officer, case.pk)
    with pytest.raises(Http404):  # an officer is no supervisor
        services.approve_case(officer, case.pk)
    services.approve_case(supervisor, case.pk)
    invitation = case.participants.get(unit=org.la_unit)
    assert invitation.state == ParticipantState.PENDING
    with pytest.raises(Http404):  # nothing of the case before the unit accepts
        services.view_case(foreign_officer, case.pk)
    services.answer_invitation(foreign_officer, invitation.pk, True)
    case.refresh_from_db()
    assert case.state == CaseState.OPEN
    assert services.view_case(foreign_officer, case.pk) == case
    services.suspend_case(supervisor, case.pk, "Waiting for the court")
    services.resume_case(officer, case.pk)
    with pytest.raises(ValidationError) as exc:
        services.close_case(officer, case.pk, "perhaps")
    assert "outcome" in exc.value.message_dict
    closed = services.close_case(officer, case.pk, "arrests", "Five arrested in Bavet")
    assert closed.state == CaseState.CLOSED and closed.outcome == "arrests"
    assert AuditEvent.objects.filter(action="cases.case.closed").exists()


def test_author_cannot_approve_own_proposal(supervisor, org):
    case = services.create_case(supervisor, services.CaseInput(title="Ring", offence="fraud", legal_basis="MoU", units=[org.la_unit.pk]))
    services.propose_case(supervisor, case.pk)
    with pytest.raises(ValidationError):
        services.approve_case(supervisor, case.pk)


def test_a_joint_case_needs_another_country(officer, org):
    with pytest.raises(ValidationError) as exc:
        services.create_case(officer, services.CaseInput(title="Ring", offence="fraud", legal_basis="MoU", units=[org.vn_other.pk]))
    assert "units" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_case(officer, services.CaseInput(title="", offence="politics", legal_basis="MoU", units=[org.la_unit.pk]))
    assert {"title", "offence"} <= set(exc.value.message_dict)


def test_a_unit_of_the_leads_own_country_takes_part_beside_another_countrys(officer, supervisor, foreign_officer, kh_officer,
                                                                          org):
    """Issue 15: "the lead unit, and participating units from two or three countries". The rule is on the
    countries (two or three in all: the case crosses a border, test_a_joint_case_needs_another_country), not on
    the units: another unit of the lead's own country may take part beside a foreign one, from the draft or
    invited after the approval."""
    tay_ninh = make_user("tn.officer", org.vn_other, "officer")
    case = open_case(officer, supervisor, [org.vn_other, org.la_unit], accept_by=[tay_ninh, foreign_officer])
    assert {p.unit_id: p.state for p in case.participants.all()} == {
        officer.unit_id: ParticipantState.LEAD, org.vn_other.pk: ParticipantState.ACCEPTED,
        org.la_unit.pk: ParticipantState.ACCEPTED}
    assert access.get_case_for_user(tay_ninh, case.pk) == case
    # a third country may still join: three countries in all, the lead's counted once however many of its units
    services.invite_units(officer, case.pk, [org.kh_unit.pk])
    assert case.participants.filter(unit=org.kh_unit, state=ParticipantState.INVITED).exists()


def test_declined_invitation_sees_nothing(officer, supervisor, foreign_officer, kh_officer, org):
    case = open_case(officer, supervisor, [org.la_unit, org.kh_unit], accept_by=[kh_officer])
    invitation = case.participants.get(unit=org.la_unit)
    with pytest.raises(ValidationError):  # a decline gives its reason
        services.answer_invitation(foreign_officer, invitation.pk, False, "")
    services.answer_invitation(foreign_officer, invitation.pk, False, "No unit available")
    assert case.participants.get(unit=org.la_unit).state == ParticipantState.DECLINED
    with pytest.raises(Http404):
        services.view_case(foreign_officer, case.pk)
    with pytest.raises(Http404):
        phone(foreign_officer, case, "+85512345678")


def test_outsider_gets_404(officer, supervisor, outsider, foreign_officer, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    for call in (lambda: services.view_case(outsider, case.pk), lambda: phone(outsider, case, "+84912345678"),
                 lambda: services.view_case(outsider, "not-an-id")):
        with pytest.raises(Http404):
            call()


def test_identifiers_normalised_and_bad_input_gives_field_errors(officer, supervisor, foreign_officer, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    assert phone(officer, case, "0912 345 678").value == "+84912345678"  # read in the writer's country (VN)
    assert phone(foreign_officer, case, "+84 91-234-5678").value == "+84912345678"
    with pytest.raises(ValidationError) as exc:
        phone(officer, case, "call me maybe")
    assert "value" in exc.value.message_dict
    add = lambda **kw: items.add_entity(officer, case.pk, EntityInput(**kw))  # noqa: E731
    assert add(kind="wallet", qualifier="bitcoin", value="1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").value == "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
    assert add(kind="wallet", qualifier="bitcoin", value="BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4").value == \
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    assert add(kind="wallet", qualifier="ethereum", value="0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").value == \
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    for kind, chain, address in (("wallet", "bitcoin", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"),
                                 ("wallet", "bitcoin", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"),
                                 ("wallet", "ethereum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")):
        with pytest.raises(ValidationError) as exc:
            add(kind=kind, qualifier=chain, value=address)
        assert "checksum" in " ".join(exc.value.message_dict["value"])
    assert add(kind="account", qualifier="ACB", value="1234 5678 90").value == "1234567890"
    assert add(kind="account", qualifier="Deutsche Bank", value="DE89 3704 0044 0532 0130 00").value == "DE89370400440532013000"
    assert add(kind="vehicle", qualifier="kh", value="2A-1234").value == "2A1234"


def test_bad_input_speaks_the_users_language(officer, supervisor, org):
    kh = make_user("khsup", org.kh_unit, "officer", language="km")
    case = open_case(officer, supervisor, [org.kh_unit], accept_by=[kh])
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        phone(officer, case, "abc")
    assert "số điện thoại" in " ".join(exc.value.message_dict["value"]).lower()


def test_link_to_an_entity_of_another_case_is_a_field_error(officer, supervisor, foreign_officer, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    other = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer], title="Another ring")
    a, b = phone(officer, case, "+84912345678"), phone(officer, other, "+84912345679")
    with pytest.raises(ValidationError) as exc:
        items.add_link(officer, case.pk, LinkInput(kind="called", source=a.pk, target=b.pk, information_source="Call records"))
    assert "target" in exc.value.message_dict
    c = phone(officer, case, "+84912345670", shared=False)
    with pytest.raises(ValidationError) as exc:  # a shared link never reveals a private entity
        items.add_link(officer, case.pk, LinkInput(kind="called", source=a.pk, target=c.pk, information_source="CDR", shared=True))
    assert "shared" in exc.value.message_dict
    link = items.add_link(officer, case.pk, LinkInput(kind="called", source=a.pk, target=c.pk, information_source="CDR"))
    assert not link.shared


def test_private_items_of_a_country_are_not_seen_by_another(officer, supervisor, foreign_officer, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    shared = phone(officer, case, "+84912345678")
    private = phone(officer, case, "+84912345670", shared=False)
    theirs = phone(foreign_officer, case, "+8562055555555", shared=False)
    seen_by_la = set(access.visible_entities(foreign_officer, case).values_list("pk", flat=True))
    assert seen_by_la == {shared.pk, theirs.pk}
    assert set(access.visible_entities(officer, case).values_list("pk", flat=True)) == {shared.pk, private.pk}


def test_victims_stay_protected(officer, supervisor, foreign_officer, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    victim = PersonInput(names=[NameInput("Nguyễn Thị Mai")], is_trafficking_victim=True)
    with pytest.raises(ValidationError) as exc:
        items.add_entity(officer, case.pk, EntityInput(kind="person", role="victim", person=victim, shared=True))
    assert "shared" in exc.value.message_dict
    entity = items.add_entity(officer, case.pk, EntityInput(kind="person", role="victim", person=victim))
    colleague = make_user("colleague2", org.vn_unit, "officer")
    assert not access.visible_entities(colleague, case).filter(pk=entity.pk).exists()
    protector = make_user("vp", org.vn_unit, "officer", "victim_protection")
    assert access.visible_entities(protector, case).filter(pk=entity.pk).exists()


def test_a_task_deadline_without_its_offset_is_read_in_the_nodes_time(officer, supervisor, foreign_officer, org):
    """The API takes a date and time without an offset (it was a 500: naive compared with aware)."""
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    naive = timezone.make_naive(timezone.now() + datetime.timedelta(days=4))
    task = services.add_task(officer, case.pk, services.TaskInput(org.la_unit.pk, "Trace the SIM seller", naive))
    assert Task.objects.get(pk=task.pk).deadline == timezone.make_aware(naive)
    with pytest.raises(ValidationError) as exc:
        services.add_task(officer, case.pk, services.TaskInput(org.la_unit.pk, "Trace", datetime.datetime(9999, 12, 31, 23)))
    assert "deadline" in exc.value.message_dict


def test_tasks_remind_and_escalate(officer, supervisor, foreign_officer, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.add_task(officer, case.pk, services.TaskInput(org.kh_unit.pk, "Trace", now + datetime.timedelta(days=1)))
    assert "assigned_unit" in exc.value.message_dict
    task = services.add_task(officer, case.pk, services.TaskInput(org.la_unit.pk, "Trace the SIM seller", now + datetime.timedelta(days=4)),
                             now=now)
    assert services.check_task_deadlines(now + datetime.timedelta(days=3, hours=1)) == {"reminders": 1, "escalations": 0}
    assert services.check_task_deadlines(now + datetime.timedelta(days=5)) == {"reminders": 0, "escalations": 1}
    with pytest.raises(Http404):  # the assigning unit does not mark the other's task done
        services.task_step(officer, task.pk, "done", "x")
    services.task_step(foreign_officer, task.pk, "done", "Seller found in Savannakhet")
    assert Task.objects.get(pk=task.pk).state == TaskState.DONE
