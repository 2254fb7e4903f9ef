"""Handover of a fugitive after an accepted arrest-and-handover request."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.assistance import services
from borderlink.assistance.models import Handover, HandoverState, RequestState
from borderlink.assistance.services import HandoverInput
from borderlink.persons.services import DocumentInput
from tests.notices.helpers import person, published

from .helpers import gate, sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(officer, supervisor, foreign_officer, org):
    subject = person(officer, "Nguyễn Hữu Phước", documents=[DocumentInput("passport", "C7654321", "VN")])
    notice = published(officer, supervisor, subject)
    req = sent(officer, supervisor, org.la_unit, kind="arrest_handover", notice_id=notice.pk, offence="drug_trafficking",
               subject="Truy bắt và chuyển giao đối tượng truy nã")
    services.accept_request(foreign_officer, req.pk)
    return req


def step(user, req, action, **facts):
    return services.handover_step(user, req.pk, action, HandoverInput(**facts))


def test_full_handover(accepted, officer, foreign_officer, org):
    now = timezone.now()
    lao_bao = gate()
    step(foreign_officer, accepted, "located", at=now - datetime.timedelta(days=2), place="Ban Dong, Savannakhet")
    step(foreign_officer, accepted, "arrested", at=now - datetime.timedelta(days=1), place="Savannakhet provincial detention")
    step(foreign_officer, accepted, "handover_planned", at=now + datetime.timedelta(days=3), gate_id=lao_bao.pk,
         escort_requesting_unit_id=org.vn_unit.pk, escort_requested_unit_id=org.la_unit.pk)
    # the planning step was recorded after `now`: the handover is recorded after it (not before the step that planned it)
    handover = step(foreign_officer, accepted, "handed_over", at=timezone.now(), documents="Arrest record, passport C7654321",
                    handed_by="Capt. Kham S.", received_by="Maj. Lê Quang Minh")
    assert handover.state == HandoverState.HANDED_OVER
    assert accepted.__class__.objects.get(pk=accepted.pk).state == RequestState.ANSWERED
    with pytest.raises(ValidationError):  # the request closes through the handover
        services.close_request(officer, accepted.pk)
    handover = step(officer, accepted, "handover_closed")
    assert handover.state == HandoverState.CLOSED
    req = accepted.__class__.objects.get(pk=accepted.pk)
    assert req.state == RequestState.CLOSED
    assert [e.action for e in req.events.all()][-5:] == ["located", "arrested", "handover_planned", "handed_over", "handover_closed"]
    planned = req.events.get(action="handover_planned").data["handover"]
    assert planned["gate"]["side_a_name"] == "Lao Bao" and planned["escort_requesting_unit"] == "VN-QT"


def test_only_the_side_that_did_it_records_a_step(accepted, officer, outsider):
    with pytest.raises(Http404):
        step(officer, accepted, "arrested", at=timezone.now(), place="x")
    with pytest.raises(Http404):
        step(outsider, accepted, "arrested", at=timezone.now(), place="x")
    assert not Handover.objects.exists()


def test_bad_handover_input(accepted, foreign_officer, org):
    now = timezone.now()
    lao_bao = gate()
    cambodian = gate("VN", "KH", "Moc Bai")
    with pytest.raises(ValidationError):  # planning before any arrest
        step(foreign_officer, accepted, "handover_planned", at=now + datetime.timedelta(days=1), gate_id=lao_bao.pk,
             escort_requesting_unit_id=org.vn_unit.pk, escort_requested_unit_id=org.la_unit.pk)
    with pytest.raises(ValidationError) as caught:
        step(foreign_officer, accepted, "arrested", at=now + datetime.timedelta(hours=2), place="x")
    assert "at" in caught.value.message_dict
    step(foreign_officer, accepted, "arrested", at=now - datetime.timedelta(hours=5), place="Savannakhet")
    cases = [
        ({"gate_id": 999999}, "gate"),
        ({"gate_id": cambodian.pk}, "gate"),  # a gate on another border
        ({"gate_id": "Lao Bao"}, "gate"),
        ({"at": now - datetime.timedelta(hours=6)}, "at"),  # before the arrest
        ({"escort_requested_unit_id": org.vn_unit.pk}, "escort_requested_unit"),
    ]
    for override, field in cases:
        facts = {"at": now + datetime.timedelta(days=1), "gate_id": lao_bao.pk, "escort_requesting_unit_id": org.vn_unit.pk,
                 "escort_requested_unit_id": org.la_unit.pk, **override}
        with pytest.raises(ValidationError) as caught:
            step(foreign_officer, accepted, "handover_planned", **facts)
        assert field in caught.value.message_dict, override
    assert Handover.objects.get().state == HandoverState.ARRESTED


def test_no_handover_planned_for_a_refugee_from_the_requesting_country(accepted, foreign_officer, org):
    # the Lao node recorded the same person (same passport) as an asylum seeker from Viet Nam
    person(foreign_officer, "Nguyen Huu Phuoc", documents=[DocumentInput("passport", "C 765 4321", "VN")],
           is_refugee=True, refugee_from="VN")
    now = timezone.now()
    step(foreign_officer, accepted, "arrested", at=now - datetime.timedelta(hours=1), place="Savannakhet")
    with pytest.raises(ValidationError, match="refugee"):
        step(foreign_officer, accepted, "handover_planned", at=now + datetime.timedelta(days=1), gate_id=gate().pk,
             escort_requesting_unit_id=org.vn_unit.pk, escort_requested_unit_id=org.la_unit.pk)
    assert Handover.objects.get().state == HandoverState.ARRESTED


def test_arrest_request_needs_own_shared_wanted_notice(officer, supervisor, org):
    subject = person(officer, "Trần Văn Bình")
    notice = published(officer, supervisor, subject, shared_with=[])
    req = services.create_request(officer, services.RequestInput(
        kind="arrest_handover", requested_unit_id=org.la_unit.pk, offence="drug_trafficking", subject="Arrest", details="x",
        notice_id=notice.pk))
    services.submit_request(officer, req.pk)
    with pytest.raises(ValidationError, match="not shared"):
        services.approve_request(supervisor, req.pk)


def test_no_handover_before_the_step_that_planned_it(accepted, foreign_officer, org):
    """Tryout defect 8: arrested yesterday, the handover planned now for ten days ahead, then recorded as done
    15 hours ago (before it was planned): refused, and nothing is written."""
    now = timezone.now()
    step(foreign_officer, accepted, "arrested", at=now - datetime.timedelta(days=1), place="Savannakhet")
    step(foreign_officer, accepted, "handover_planned", at=now + datetime.timedelta(days=10), gate_id=gate().pk,
         escort_requesting_unit_id=org.vn_unit.pk, escort_requested_unit_id=org.la_unit.pk)
    with pytest.raises(ValidationError) as caught:
        step(foreign_officer, accepted, "handed_over", at=now - datetime.timedelta(hours=15), documents="d",
             handed_by="a", received_by="b")
    assert caught.value.message_dict["at"] == ["The handover cannot be before the step that planned it."]
    assert Handover.objects.get(request=accepted).handed_over_at is None
    assert not accepted.events.filter(action="handed_over").exists()


def test_no_handover_step_before_the_subjects_birth(officer, supervisor, foreign_officer, org):
    """Tryout defect 1's kind on handovers: a step about the notice's subject before the subject's birth."""
    today = timezone.localdate()
    born = today - datetime.timedelta(days=2)
    subject = person(officer, "Nguyễn Hữu Phước", birth_year=born.year, birth_month=born.month, birth_day=born.day)
    notice = published(officer, supervisor, subject, warrant_date=born)
    req = sent(officer, supervisor, org.la_unit, kind="arrest_handover", notice_id=notice.pk, offence="drug_trafficking",
               subject="Truy bắt")
    services.accept_request(foreign_officer, req.pk)
    with pytest.raises(ValidationError) as caught:
        step(foreign_officer, req, "located", at=timezone.now() - datetime.timedelta(days=4), place="x")
    assert caught.value.message_dict["at"] == ["This cannot be before the person's birth."]
