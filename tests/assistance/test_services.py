"""Requests on one node hosting both countries: life cycle, four eyes, deadlines, bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.assistance import services
from borderlink.assistance.models import Action, Alert, DeadlinePolicy, Request, RequestState
from borderlink.audit.models import AuditEvent
from borderlink.exchange.attachments import check_file

from .helpers import draft, sent, soon

pytestmark = pytest.mark.django_db


def actions(req: Request) -> list[str]:
    return list(req.events.values_list("action", flat=True))


def test_full_life_one_timeline(officer, supervisor, foreign_officer, org):
    req = sent(officer, supervisor, org.la_unit)
    assert req.state == RequestState.RECEIVED  # the requested unit is on this node: received at once
    assert req.deadline - req.sent_at == datetime.timedelta(hours=168)
    services.accept_request(foreign_officer, req.pk, "ເຮົາຈະກວດສອບ")
    services.clarify(foreign_officer, req.pk, "Which passport issuing office?")  # the requested side asks
    req = services.clarify(officer, req.pk, "Vientiane passport office.")  # the requesting side answers
    assert req.state == RequestState.ACCEPTED  # back where it was before the question
    pdf = check_file("result.txt", b"Identity confirmed: P1234567")
    req = services.answer_request(foreign_officer, req.pk, services.Answer(
        "Identity confirmed.", results=[services.ResultInput("identity_confirmed"), services.ResultInput("address", "Ban Naxay")],
        attachments=[pdf]))
    assert req.state == RequestState.ANSWERED and req.first_answer_at and req.answered_at
    req = services.close_request(officer, req.pk, "Thank you.")
    assert req.state == RequestState.CLOSED
    assert actions(req) == ["created", "submitted", "approved", "sent", "received", "accepted", "clarification_asked",
                            "clarification_given", "answered", "closed"]
    answer = req.events.get(action=Action.ANSWERED)
    assert answer.result_rows()[1][1] == "Ban Naxay" and answer.attachments.get().filename == "result.txt"
    assert AuditEvent.objects.filter(action="assistance.request.answered", object_id=str(req.pk)).exists()
    assert Alert.objects.filter(unit=org.la_unit, kind="request_received").exists()
    assert Alert.objects.filter(unit=org.vn_unit, kind="answered").exists()


def test_four_eyes(officer, supervisor, org):
    req = draft(officer, org.la_unit)
    with pytest.raises(ValidationError):  # not submitted
        services.approve_request(supervisor, req.pk)
    services.submit_request(officer, req.pk)
    with pytest.raises(Http404):  # an officer without the supervisor capability
        services.approve_request(officer, req.pk)
    supervisor_author = draft(supervisor, org.la_unit)
    services.submit_request(supervisor, supervisor_author.pk)
    with pytest.raises(ValidationError, match="another supervisor"):
        services.approve_request(supervisor, supervisor_author.pk)
    returned = services.return_request(supervisor, req.pk, "Add the passport number.")
    assert returned.state == RequestState.DRAFT and returned.deadline is None


def test_requested_side_cannot_see_a_draft_and_outsiders_get_404(officer, supervisor, foreign_officer, outsider, kh_officer, org):
    req = draft(officer, org.la_unit)
    for user in (foreign_officer, outsider, kh_officer):
        with pytest.raises(Http404):
            services.read_request(user, req.pk)
    services.submit_request(officer, req.pk)
    services.approve_request(supervisor, req.pk)
    services.read_request(foreign_officer, req.pk)
    for user in (outsider, kh_officer):
        with pytest.raises(Http404):
            services.read_request(user, req.pk)
        with pytest.raises(Http404):
            services.accept_request(user, req.pk)


def test_only_the_requested_side_answers(officer, supervisor, foreign_officer, org):
    req = sent(officer, supervisor, org.la_unit)
    with pytest.raises(Http404):  # the requesting side cannot answer its own request
        services.answer_request(officer, req.pk, services.Answer("done"))
    with pytest.raises(Http404):
        services.accept_request(officer, req.pk)
    with pytest.raises(ValidationError):  # not accepted yet
        services.answer_request(foreign_officer, req.pk, services.Answer("done"))
    assert Request.objects.get(pk=req.pk).state == RequestState.RECEIVED


@pytest.mark.parametrize("field, overrides", [
    ("kind", {"kind": "political_surveillance"}),
    ("offence", {"offence": "opposition_membership"}),
    ("subject", {"subject": "  "}),
    ("details", {"details": ""}),
    ("identifier", {"kind": "trace_phone", "identifier": ""}),
    ("requested_deadline", {"requested_deadline": timezone.now() - datetime.timedelta(hours=1)}),
    ("requested_unit", {"requested_unit_id": 999999}),
    ("notice", {"kind": "arrest_handover"}),
    ("handling_code", {"handling_code": "H9"}),
])
def test_bad_input_is_refused_and_nothing_written(officer, org, field, overrides):
    with pytest.raises(ValidationError) as caught:
        draft(officer, org.la_unit, **overrides)
    assert field in caught.value.message_dict
    assert not Request.objects.exists()


def test_request_to_own_country_is_refused(officer, org):
    with pytest.raises(ValidationError) as caught:
        draft(officer, org.vn_other)
    assert "requested_unit" in caught.value.message_dict


def test_decline_needs_a_reason_from_the_list(officer, supervisor, foreign_officer, org):
    req = sent(officer, supervisor, org.la_unit)
    with pytest.raises(ValidationError):
        services.decline_request(foreign_officer, req.pk, "because", "")
    with pytest.raises(ValidationError):  # "other" needs the text
        services.decline_request(foreign_officer, req.pk, "other", "")
    req = services.decline_request(foreign_officer, req.pk, "not_found", "")
    assert req.state == RequestState.DECLINED
    assert req.events.get(action="declined").data == {"reason": "not_found"}


def test_bad_answer_writes_nothing(officer, supervisor, foreign_officer, org):
    req = sent(officer, supervisor, org.la_unit)
    services.accept_request(foreign_officer, req.pk)
    for answer in (services.Answer(""), services.Answer("x", results=[services.ResultInput("guess")]),
                   services.Answer("x", results=[services.ResultInput("address", "")])):
        with pytest.raises(ValidationError):
            services.answer_request(foreign_officer, req.pk, answer)
    req.refresh_from_db()
    assert req.state == RequestState.ACCEPTED and not req.events.filter(action__in=["answered", "partly_answered"]).exists()


def test_deadlines_by_urgency_and_policy(officer, supervisor, org):
    urgent_direct = sent(officer, supervisor, org.la_unit, urgency="urgent", data_held_directly=True)
    urgent = sent(officer, supervisor, org.la_unit, urgency="urgent")
    assert urgent_direct.deadline - urgent_direct.sent_at == datetime.timedelta(hours=8)
    assert urgent.deadline - urgent.sent_at == datetime.timedelta(days=3)
    DeadlinePolicy.objects.create(requesting_country_id="VN", requested_country_id="LA", normal_hours=240)
    normal = sent(officer, supervisor, org.la_unit)
    assert normal.deadline - normal.sent_at == datetime.timedelta(days=10)
    wanted_by = soon(30)
    asked = sent(officer, supervisor, org.la_unit, requested_deadline=wanted_by)
    assert asked.deadline == wanted_by


def test_deadline_passed_before_approval_is_refused(officer, supervisor, org):
    req = draft(officer, org.la_unit, requested_deadline=soon(2))
    services.submit_request(officer, req.pk)
    with pytest.raises(ValidationError, match="passed"):
        services.approve_request(supervisor, req.pk, now=timezone.now() + datetime.timedelta(hours=3))
    assert Request.objects.get(pk=req.pk).state == RequestState.SUBMITTED


def test_reminder_then_escalation_then_late_answer(officer, supervisor, foreign_officer, foreign_supervisor, org):
    start = timezone.now()
    req = sent(officer, supervisor, org.la_unit, now=start, urgency="urgent", data_held_directly=True)  # 8 hours
    assert services.check_deadlines(start + datetime.timedelta(hours=5)) == {"reminders": 0, "escalations": 0}
    assert services.check_deadlines(start + datetime.timedelta(hours=6, minutes=1)) == {"reminders": 1, "escalations": 0}
    assert services.check_deadlines(start + datetime.timedelta(hours=7)) == {"reminders": 0, "escalations": 0}  # once
    assert Alert.objects.filter(unit=org.la_unit, kind="reminder").count() == 1
    late = start + datetime.timedelta(hours=9)
    assert services.check_deadlines(late) == {"reminders": 0, "escalations": 1}
    assert services.check_deadlines(late) == {"reminders": 0, "escalations": 0}
    escalations = Alert.objects.filter(kind="escalated", supervisors_only=True)
    assert set(escalations.values_list("unit__code", flat=True)) == {"VN-QT", "LA-SVK"}
    assert list(services.alerts_for(foreign_officer).filter(kind="escalated")) == []  # supervisors only
    assert services.alerts_for(foreign_supervisor).filter(kind="escalated").exists()
    services.accept_request(foreign_officer, req.pk, now=late)
    req = services.answer_request(foreign_officer, req.pk, services.Answer("Found him."), now=late + datetime.timedelta(hours=1))
    assert req.events.get(action="answered").data["late"] is True
    assert [a for a in actions(req) if a in ("reminder", "escalated")] == ["reminder", "escalated"]


def test_statistics_per_country_and_month(officer, supervisor, foreign_officer, org):
    first = sent(officer, supervisor, org.la_unit)
    sent(officer, supervisor, org.kh_unit)
    services.accept_request(foreign_officer, first.pk, now=first.sent_at + datetime.timedelta(hours=1))
    services.answer_request(foreign_officer, first.pk, services.Answer("ok"), now=first.sent_at + datetime.timedelta(hours=5))
    stats = services.statistics(officer)
    month = timezone.localtime(first.sent_at).strftime("%Y-%m")
    assert {(r["month"], r["country"], r["sent"]) for r in stats["table"]} == {(month, "LA", 1), (month, "KH", 1)}
    assert stats["median_hours_sent"] == pytest.approx(5, abs=0.01)
    assert services.statistics(foreign_officer)["table"] == [{"month": month, "country": "VN", "sent": 0, "received": 1}]


def test_neutrality_flag_needs_justification(officer, supervisor, org):
    req = draft(officer, org.la_unit, details="Theo dõi hoạt động chính trị của nhóm biểu tình.")
    services.submit_request(officer, req.pk)
    with pytest.raises(ValidationError) as caught:
        services.approve_request(supervisor, req.pk)
    assert "justification" in caught.value.message_dict
    req = services.approve_request(supervisor, req.pk, justification="The group runs a scam centre; words quoted from a victim.")
    assert req.state == RequestState.RECEIVED
    assert AuditEvent.objects.filter(action="assistance.request.neutrality_override").exists()


def test_victim_nationality_request_only_for_victim_protection(officer, colleague, supervisor, foreign_officer, org):
    from tests.conftest import make_user
    from tests.victims.conftest import consent, identify

    author = make_user("vn.protector", org.vn_unit, "officer", "victim_protection")
    case = identify(author, consents=[consent("share_home")])  # found in Viet Nam, a national of Laos
    protector = make_user("protector", org.la_unit, "officer", "victim_protection")
    req = sent(author, supervisor, org.la_unit, kind="verify_victim_nationality", offence="trafficking_in_persons",
               victim_case_id=case.pk)
    services.read_request(protector, req.pk)
    services.read_request(author, req.pk)  # the author
    for user in (foreign_officer, colleague, officer):
        with pytest.raises(Http404):
            services.read_request(user, req.pk)
    # an officer who may not see victim cases cannot write one (the case: 404), nor without naming a case
    with pytest.raises(Http404):
        draft(officer, org.la_unit, kind="verify_victim_nationality", offence="trafficking_in_persons", victim_case_id=case.pk)
    with pytest.raises(ValidationError) as refused:
        draft(officer, org.la_unit, kind="verify_victim_nationality", offence="trafficking_in_persons")
    assert "victim_case" in refused.value.message_dict
