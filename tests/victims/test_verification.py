"""The nationality verification uses the existing request (borderlink/assistance), linked to the case; its
answer sets the next step. Both countries are hosted on this node here (no peer), so the request crosses at
once; between two real nodes see tests/federation/test_victims.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from borderlink import assistance
from borderlink.assistance import services as requests
from borderlink.audit.models import AuditEvent
from borderlink.victims import services
from borderlink.victims.models import CaseState, VictimCase
from tests.conftest import make_user

from .conftest import consent, identify

pytestmark = pytest.mark.django_db


def _request(org, case, kind="verify_victim_nationality", unit=None):
    """A request written for `case` by a victim-protection officer of the finding country, approved and sent."""
    author = make_user("kh.author", org.kh_unit, "officer", "victim_protection")
    boss = make_user("kh.boss", org.kh_unit, "officer", "supervisor")
    req = requests.create_request(author, requests.RequestInput(
        kind=kind, requested_unit_id=(unit or org.la_unit).pk, offence="trafficking_in_persons",
        subject="Verify the nationality of a victim", details="Found in a scam compound; says she is from Champasak.",
        victim_case_id=case.pk))
    requests.submit_request(author, req.pk)
    requests.approve_request(boss, req.pk)
    return author, req


def _answer(org, req, results):
    la = make_user("la.answer", org.la_unit, "officer", "victim_protection", "supervisor")
    requests.accept_request(la, req.pk)
    requests.answer_request(la, req.pk, assistance.services.Answer(
        text="Checked in the family register", results=[assistance.services.ResultInput(k, "x") for k in results]))
    return la


@pytest.mark.parametrize(("results", "state", "action"), [
    (["nationality_confirmed"], CaseState.VERIFIED, "nationality_confirmed"),
    (["nationality_not_confirmed"], CaseState.NOT_CONFIRMED, "nationality_not_confirmed"),
    (["address"], CaseState.VERIFYING, "more_needed"),
])
def test_the_answer_sets_the_next_step_by_itself_audited(org, results, state, action):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    services.share(protector, case.pk)
    author, req = _request(org, case)
    assert services.link_verification(author, case.pk, req.pk).state == CaseState.VERIFYING
    with pytest.raises(ValidationError, match="no answer yet"):
        services.record_verification(protector, case.pk)
    _answer(org, req, results)
    case = VictimCase.objects.get(pk=case.pk)
    assert case.state == state
    last = case.events.order_by("at").last()
    assert last.action == action and last.actor is None and last.data["request"] == str(req.pk)
    assert last.data["answer"] == str(req.events.get(action="answered").pk)
    audit = AuditEvent.objects.get(action=f"victims.case.{action}", object_id=str(case.pk))
    assert audit.data["automatic"] is True and audit.data["request"] == str(req.pk)
    # the answer is followed once: by hand it is refused now, and a second look changes nothing
    with pytest.raises(ValidationError, match=r"already recorded|not possible"):
        services.record_verification(protector, case.pk)
    assert services.follow_verification(req.pk) == 0
    assert case.events.filter(action=action).count() == 1


def test_a_clarification_asked_is_followed_as_more_needed(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    author, req = _request(org, case)
    services.link_verification(author, case.pk, req.pk)
    la = make_user("la.answer", org.la_unit, "officer", "victim_protection", "supervisor")
    requests.accept_request(la, req.pk)
    requests.clarify(la, req.pk, "Send a photo of the person, please.")
    case = VictimCase.objects.get(pk=case.pk)
    assert case.state == CaseState.VERIFYING and case.events.filter(action="more_needed").count() == 1


def test_an_answer_to_a_request_linked_later_is_followed_when_linked(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    author, req = _request(org, case)
    _answer(org, req, ["nationality_confirmed"])
    assert services.link_verification(author, case.pk, req.pk).state == CaseState.VERIFIED


def test_an_answer_the_case_may_not_send_is_not_followed_and_the_refusal_is_audited(org):
    """The victim withdrew consent to share: the nationality step would cross to the home country, so it is
    not taken; the request's own answer stands; the answer can be recorded by hand once consent is back."""
    from borderlink.assistance.models import Request, RequestState

    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    author, req = _request(org, case)
    services.link_verification(author, case.pk, req.pk)
    services.take_step(protector, case.pk, "consent", consent("share_home", given=False))
    _answer(org, req, ["nationality_confirmed"])
    assert Request.objects.get(pk=req.pk).state == RequestState.ANSWERED
    case = VictimCase.objects.get(pk=case.pk)
    assert case.state == CaseState.VERIFYING
    refusal = AuditEvent.objects.get(action="victims.case.verification_not_followed")
    assert "consented to share" in refusal.data["reason"]
    services.take_step(protector, case.pk, "consent", consent("share_home"))
    assert services.record_verification(protector, case.pk).state == CaseState.VERIFIED


def test_only_a_victim_nationality_request_to_the_home_country_links(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    author, req = _request(org, case, kind="verify_identity")
    with pytest.raises(ValidationError) as exc:
        services.link_verification(author, case.pk, req.pk)
    assert "request" in exc.value.message_dict
    assert case.events.filter(action="verification_asked").count() == 0


def test_a_request_written_for_another_case_does_not_link(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home")])
    other = identify(protector, consents=[consent("share_home")])
    for c in (case, other):
        services.share(protector, c.pk)
    author, req = _request(org, other)
    with pytest.raises(ValidationError) as exc:
        services.link_verification(author, case.pk, req.pk)
    assert "request" in exc.value.message_dict
    assert services.link_verification(author, other.pk, req.pk).state == CaseState.VERIFYING
