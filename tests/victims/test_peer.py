"""A peer is authenticated, not trusted: on the home country's node (Laos here), a victim case arrives only
from the node of the country where the victim was found, about a national of ours, with known codes; each
later step passes the same table and checks as a local step (a return plan without the victim's consent to
return is refused here too, whatever the sending node claims)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from borderlink.federation.models import Peer
from borderlink.federation.schema import parse_payload
from borderlink.victims.federation import CasePayload, StepPayload, apply_event, apply_opened
from borderlink.victims.models import CaseState, VictimCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def la_node(settings: Any, org: Any) -> Peer:
    settings.NODE_COUNTRY = "LA"
    return Peer.objects.create(node_id="test-kh", country_id="KH", base_url="http://127.0.0.1:9", public_key="k" * 43,
                               fingerprint="f")


def event(action: str, from_state: str, data: dict | None = None, side: str = "finding") -> dict:
    return {"id": str(uuid.uuid4()), "at": timezone.now().isoformat(), "actor_name": "Ms Keo", "actor_unit": "KH-SVR",
            "side": side, "action": action, "from_state": from_state, "text": "", "data": data or {}}


def _step(case_id: str, event_data: dict) -> StepPayload:
    return parse_payload(StepPayload, {"case": case_id, "event": event_data})


def consent(purpose: str, given: bool) -> dict:
    return {"purpose": purpose, "organisation": "", "given": given, "on": datetime.date.today().isoformat(),
            "explained": "Orally", "language": "Lao", "interpreter": ""}


def opened(**changes: Any) -> dict:
    payload = {
        "id": str(uuid.uuid4()), "reference": "KH-SVR/V/2026/0001", "finding_unit": "KH-SVR", "home_country": "LA",
        "person": {"id": str(uuid.uuid4()), "names": [{"name": "Souk P.", "kind": "primary"}], "sex": "F", "nationalities": ["LA"]},
        "exploitation": "forced_criminality", "indicators": ["documents_withheld"],
        "found_on": datetime.date.today().isoformat(), "found_place": "Compound", "found_by": "Police",
        "age_band": "adult", "review_on": "2028-01-01",
        "events": [event("identified", ""), event("consent", "identified", consent("share_home", True)),
                   event("consent", "identified", consent("return", False)), event("shared", "identified")],
    }
    payload.update(changes)
    return payload


def test_a_case_arrives_with_its_consents(la_node):
    payload = opened()
    apply_opened(parse_payload(CasePayload, payload), la_node, {})
    case = VictimCase.objects.get(pk=payload["id"])
    assert case.state == CaseState.SHARED and case.person.is_trafficking_victim and case.consents.count() == 2


@pytest.mark.parametrize("changes", [
    {"home_country": "VN"},                         # not a national of ours
    {"finding_unit": "LA-SVK"},                      # a unit of another country than the sender's
    {"indicators": ["made_up"]},
    {"exploitation": "anything"},
    {"events": [event("shared", "identified")]},    # no identification
])
def test_a_bad_case_is_refused_and_nothing_written(la_node, changes):
    with pytest.raises(ValidationError):
        apply_opened(parse_payload(CasePayload, opened(**changes)), la_node, {})
    assert not VictimCase.objects.exists()


def test_a_return_plan_without_consent_to_return_is_refused_here_too(la_node, org):
    from borderlink.core.models import BorderGate

    BorderGate.objects.create(side_a_country=org.la, side_a_name="Nong Nok Khiene", side_a_province="Champasak",
                              side_b_country=org.kh, side_b_name="Trapeang Kriel", side_b_province="Stung Treng",
                              level="international")
    payload = opened()
    apply_opened(parse_payload(CasePayload, payload), la_node, {})
    for action, state in (("verification_asked", "shared"), ("nationality_confirmed", "verifying")):
        data = {"request": str(uuid.uuid4())} if action == "verification_asked" else {}
        apply_event(_step(payload["id"], event(action, state, data)), la_node, {})
    plan = {"gate": ["LA", "Nong Nok Khiene", "KH"], "return_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
            "escorts": "x", "receiving_unit": "y", "met_by": "z", "travel_document": True, "medical_certificate": True,
            "needs": []}
    with pytest.raises(ValidationError):
        apply_event(_step(payload["id"], event("return_planned", "verified", plan)), la_node, {})
    assert VictimCase.objects.get(pk=payload["id"]).state == CaseState.VERIFIED
    # and the finding node cannot speak for the home side
    with pytest.raises(ValidationError):
        apply_event(_step(payload["id"], event("closed_home", "verified", {"reason": "other"},
                                                                side="home")), la_node, {})


def test_the_owners_purge_removes_the_copy_here(la_node):
    from borderlink.audit.models import AuditEvent
    from borderlink.persons.models import Person
    from borderlink.victims.federation import PurgePayload, apply_purge

    payload = opened()
    apply_opened(parse_payload(CasePayload, payload), la_node, {})
    other = Peer.objects.create(node_id="test-vn", country_id="VN", base_url="http://127.0.0.1:9", public_key="v" * 43,
                                fingerprint="g")
    with pytest.raises(ValidationError):  # only the owner may
        apply_purge(parse_payload(PurgePayload, {"id": payload["id"], "reason": "retention"}), other, {})
    apply_purge(parse_payload(PurgePayload, {"id": payload["id"], "reason": "retention"}), la_node, {})
    assert not VictimCase.objects.exists() and not Person.objects.filter(pk=payload["person"]["id"]).exists()
    assert AuditEvent.objects.filter(action="victims.case.purged", data__copy=True).exists()
