"""The nationality verification uses the existing request (borderlink/assistance), linked to the case; its
answer sets the next step. Both countries are hosted on this node here (no peer), so the request crosses at
once; between two real nodes see tests/federation/test_victims.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from borderlink import assistance
from borderlink.assistance import services as requests
from borderlink.victims import services
from borderlink.victims.models import CaseState
from tests.conftest import make_user

from .conftest import consent, identify

pytestmark = pytest.mark.django_db


def _request(org, kind="verify_victim_nationality", unit=None):
    author = make_user("kh.author", org.kh_unit, "officer", "victim_protection")
    boss = make_user("kh.boss", org.kh_unit, "officer", "supervisor")
    req = requests.create_request(author, requests.RequestInput(
        kind=kind, requested_unit_id=(unit or org.la_unit).pk, offence="trafficking_in_persons",
        subject="Verify the nationality of a victim", details="Found in a scam compound; says she is from Champasak."))
    requests.submit_request(author, req.pk)
    requests.approve_request(boss, req.pk)
    return author, req


@pytest.mark.parametrize(("results", "state"), [
    (["nationality_confirmed"], CaseState.VERIFIED),
    (["nationality_not_confirmed"], CaseState.NOT_CONFIRMED),
    (["address"], CaseState.VERIFYING),
])
def test_the_answer_sets_the_next_step(org, results, state):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    services.share(protector, case.pk)
    author, req = _request(org)
    assert services.link_verification(author, case.pk, req.pk).state == CaseState.VERIFYING
    with pytest.raises(ValidationError, match="no answer yet"):
        services.record_verification(protector, case.pk)
    la = make_user("la.answer", org.la_unit, "officer", "victim_protection", "supervisor")
    requests.accept_request(la, req.pk)
    requests.answer_request(la, req.pk, assistance.services.Answer(
        text="Checked in the family register", results=[assistance.services.ResultInput(k, "x") for k in results]))
    case = services.record_verification(protector, case.pk)
    assert case.state == state
    assert [e.action for e in case.events.all()][-1] in ("nationality_confirmed", "nationality_not_confirmed", "more_needed")


def test_only_a_victim_nationality_request_to_the_home_country_links(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    author, req = _request(org, kind="verify_identity")
    with pytest.raises(ValidationError) as exc:
        services.link_verification(author, case.pk, req.pk)
    assert "request" in exc.value.message_dict
    assert case.events.filter(action="verification_asked").count() == 0
