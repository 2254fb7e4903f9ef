"""A request to verify a victim's nationality carries the victim's identity to the home country (DESIGN.md
safeguards 3 and 10): it is written for a victim case the author may see and act for, from the start, goes to
the home country only, and is written and leaves only with the victim's consent to share with the home
country (or a supervisor's override). Refused: nothing written, nothing queued, from the service, the form
and the API alike. Laos is a peer here (kh_node), so what leaves waits in the outbox."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.assistance import services as requests
from borderlink.assistance.federation import StepPayload, apply_event
from borderlink.assistance.models import Request, RequestState
from borderlink.audit.models import AuditEvent
from borderlink.federation import schema
from borderlink.federation.models import OutboxEnvelope
from borderlink.victims import services
from tests.conftest import make_user

from .conftest import consent, identify, outbox

pytestmark = pytest.mark.django_db

REFUSED = "has not consented to share data with the home country, and no supervisor"


def _input(org, case=None, unit=None, **extra):
    return requests.RequestInput(
        kind="verify_victim_nationality", requested_unit_id=(unit or org.la_unit).pk, offence="trafficking_in_persons",
        subject="Verify the nationality of a victim", details="Found in a scam compound; says she is from Champasak.",
        victim_case_id=case.pk if case is not None else None, **extra)


def _written() -> tuple[int, int, int]:
    """What a refusal must leave as it was: requests, their audit events, envelopes."""
    return (Request.objects.count(), AuditEvent.objects.filter(action="assistance.request.created").count(),
            OutboxEnvelope.objects.count())


@pytest.fixture
def boss(org):
    return make_user("kh.boss", org.kh_unit, "officer", "supervisor")


def test_refused_without_consent_nothing_written_or_queued(kh_node, org, protector):
    for consents in ([], [consent("share_home", given=False)]):
        case = identify(protector, consents=consents)
        before = _written()
        with pytest.raises(ValidationError) as exc:
            requests.create_request(protector, _input(org, case))
        assert REFUSED in " ".join(exc.value.message_dict["victim_case"])
        assert _written() == before
    # naming no case is refused too
    with pytest.raises(ValidationError) as exc:
        requests.create_request(protector, _input(org))
    assert "victim_case" in exc.value.message_dict and not Request.objects.exists()


def test_with_consent_it_is_tied_to_the_case_and_leaves_for_the_home_country(kh_node, org, protector, boss):
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    req = requests.create_request(protector, _input(org, case))
    assert req.victim_case_id == case.pk
    created = AuditEvent.objects.get(action="assistance.request.created", object_id=str(req.pk))
    assert created.data["victim_case"] == str(case.pk)
    requests.submit_request(protector, req.pk)
    assert requests.approve_request(boss, req.pk).state == RequestState.SENT
    assert [kind for kind, payload in outbox() if kind == "request.opened"] == ["request.opened"]
    assert "victim_case" not in dict(outbox())["request.opened"]  # the home country gets the request, not our case id
    assert services.link_verification(protector, case.pk, req.pk).state == "verifying"


def test_a_supervisors_override_counts_as_consent(kh_node, org, protector, kh_supervisor, boss):
    case = identify(protector, consents=[consent("share_home", given=False)])
    with pytest.raises(ValidationError):
        requests.create_request(protector, _input(org, case))
    services.override_consent(kh_supervisor, case.pk, "share_home", "law_requires",
                              "Identification before return required by the anti-trafficking law, art. 12")
    req = requests.create_request(protector, _input(org, case))
    requests.submit_request(protector, req.pk)
    assert requests.approve_request(boss, req.pk).state == RequestState.SENT
    assert "request.opened" in [kind for kind, _payload in outbox()]


def test_consent_withdrawn_before_approval_stops_it_nothing_queued(kh_node, org, protector, boss):
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    req = requests.create_request(protector, _input(org, case))
    requests.submit_request(protector, req.pk)
    services.take_step(protector, case.pk, "consent", consent("share_home", given=False))  # the news crosses
    queued = OutboxEnvelope.objects.count()
    with pytest.raises(ValidationError) as exc:
        requests.approve_request(boss, req.pk)
    assert REFUSED in " ".join(exc.value.messages)
    assert Request.objects.get(pk=req.pk).state == RequestState.SUBMITTED
    assert OutboxEnvelope.objects.count() == queued and "request.opened" not in [k for k, _p in outbox()]
    # changing the draft to a unit of another country than the home country is refused as well
    requests.return_request(boss, req.pk, "Consent withdrawn")
    services.take_step(protector, case.pk, "consent", consent("share_home"))
    with pytest.raises(ValidationError) as exc:
        requests.update_request(protector, req.pk, _input(org, case, unit=org.vn_unit))
    assert "requested_unit" in exc.value.message_dict
    assert Request.objects.get(pk=req.pk).requested_unit_id == org.la_unit.pk


def test_a_case_of_another_country_or_not_visible_is_404_and_audited(kh_node, org, protector, la_protector):
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    kh_officer = make_user("kh.officer", org.kh_unit, "officer")  # may write requests, may not see victims
    vn_protector = make_user("vn.protection", org.vn_unit, "victim_protection")
    before = _written()
    for user, unit in ((la_protector, org.kh_unit), (kh_officer, org.la_unit), (vn_protector, org.la_unit)):
        denied = AuditEvent.objects.filter(action="victims.case.access_denied").count()
        with pytest.raises(Http404):
            requests.create_request(user, _input(org, case, unit=unit))
        assert AuditEvent.objects.filter(action="victims.case.access_denied").count() == denied + 1
    with pytest.raises(Http404):
        requests.create_request(protector, requests.RequestInput(**{**_input(org).__dict__, "victim_case_id": uuid.uuid4()}))
    assert _written() == before


def test_only_to_the_victims_home_country(kh_node, org, protector):
    case = identify(protector, consents=[consent("share_home")])
    with pytest.raises(ValidationError) as exc:
        requests.create_request(protector, _input(org, case, unit=org.vn_unit))
    assert "requested_unit" in exc.value.message_dict and not Request.objects.exists()


def _peer_step(peer, req, action, text=""):
    apply_event(schema.parse_payload(StepPayload, {"request": str(req.pk), "event": {
        "id": str(uuid.uuid4()), "at": timezone.now().isoformat(), "actor_unit": "LA-SVK", "side": "requested",
        "action": action, "text": text}}), peer, {})


def test_consent_withdrawn_after_sending_stops_what_would_still_cross(kh_node, org, protector, boss):
    """As for the case's own steps (victims/consent.py): after the victim withdraws consent, the requesting
    side's steps about the victim do not cross; closing the request without a text (it carries nothing about
    the person) still does, so that the home country stops working on it."""
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    req = requests.create_request(protector, _input(org, case))
    requests.submit_request(protector, req.pk)
    requests.approve_request(boss, req.pk)
    _peer_step(kh_node, req, "received")
    _peer_step(kh_node, req, "clarification_asked", "Send a photo of the person, please.")
    services.take_step(protector, case.pk, "consent", consent("share_home", given=False))
    queued = OutboxEnvelope.objects.count()
    with pytest.raises(ValidationError) as exc:
        requests.clarify(protector, req.pk, "Photo attached: she has a scar on the left hand.")
    assert "consented to share" in " ".join(exc.value.messages)
    assert Request.objects.get(pk=req.pk).state == RequestState.CLARIFICATION
    assert OutboxEnvelope.objects.count() == queued
    requests.close_request(protector, req.pk)
    assert Request.objects.get(pk=req.pk).state == RequestState.CLOSED
    last = OutboxEnvelope.objects.order_by("created_at").last()
    assert OutboxEnvelope.objects.count() == queued + 1 and last.payload["event"]["action"] == "closed"


def test_the_form_from_the_case_page_refuses_without_consent_and_writes_for_the_case(kh_node, org, protector, login):
    client = login(protector)  # a victim-protection officer only: writes requests of this kind
    case = identify(protector, consents=[consent("share_home", given=False)])
    page = client.get(f"/victims/{case.pk}/")
    assert page.status_code == 200
    form = client.get(f"/requests/new/?victim_case={case.pk}")
    text = form.content.decode()
    assert form.status_code == 200 and f'value="{case.pk}" selected' in text
    assert 'value="verify_identity"' not in text  # only the victim's kind for this officer
    data = {"kind": "verify_victim_nationality", "requested_unit": org.la_unit.pk, "offence": "trafficking_in_persons",
            "urgency": "normal", "subject": "Verify the nationality of a victim", "details": "Says she is from Champasak.",
            "handling_code": "H0", "victim_case": str(case.pk)}
    response = client.post("/requests/new/", data)
    assert response.status_code == 200 and REFUSED in response.content.decode().replace("&#x27;", "'")
    assert not Request.objects.exists()
    services.take_step(protector, case.pk, "consent", consent("share_home"))
    response = client.post("/requests/new/", data)
    req = Request.objects.get()
    assert response.status_code == 302 and req.victim_case_id == case.pk
    # a case the officer may not see: 404, nothing written
    other = identify(make_user("kh.p2", org.kh_unit, "victim_protection"), consents=[consent("share_home")])
    outsider = login(make_user("vn.p", org.vn_unit, "victim_protection"))
    assert outsider.post("/requests/new/", {**data, "victim_case": str(other.pk)}).status_code == 404
    assert Request.objects.count() == 1


def test_the_api_refuses_without_consent_and_404_for_a_case_not_visible(kh_node, org, protector, api):
    case = identify(protector, consents=[consent("share_home", given=False)])
    body = {"kind": "verify_victim_nationality", "requested_unit_id": org.la_unit.pk, "offence": "trafficking_in_persons",
            "subject": "Verify the nationality of a victim", "details": "Says she is from Champasak.",
            "victim_case_id": str(case.pk)}
    refused = api(protector).post("/api/requests", body, content_type="application/json")
    assert refused.status_code in (400, 422) and REFUSED in refused.content.decode()
    assert not Request.objects.exists() and not OutboxEnvelope.objects.filter(kind="request.opened").exists()
    assert api(make_user("vn.p", org.vn_unit, "victim_protection")).post(
        "/api/requests", body, content_type="application/json").status_code == 404
    services.take_step(protector, case.pk, "consent", consent("share_home"))
    created = api(protector).post("/api/requests", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["victim_case_id"] == str(case.pk)


def test_a_victim_protection_officer_writes_no_other_kind_through_the_api(kh_node, org, protector, api):
    """The form offers a victim-protection officer only the victim's kind; the service holds the API to it."""
    body = {"kind": "locate", "requested_unit_id": org.la_unit.pk, "offence": "trafficking_in_persons",
            "subject": "Where is this man", "details": "Seen at the market."}
    refused = api(protector).post("/api/requests", body, content_type="application/json")
    assert refused.status_code in (400, 422) and "kind" in refused.json()["errors"]
    assert not Request.objects.exists()
