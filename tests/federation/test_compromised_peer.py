"""A compromised peer against a real node (issue #10, and the peer-facing parts of #11).

The Viet Nam node here is the real one (the envelope endpoint, the inbox, the apps' services, the database);
"Laos" is pinned with `node_card import` from a card signed by a key this test holds, so every envelope below
is built and signed exactly as a real node builds and signs it (`delivery.signed_body`), and the node accepts
the signature. The ministry behind that key has been compromised: each test checks that nothing leaks,
nothing changes that Laos does not own, the node stays up (no 500), and each bad envelope is quarantined with
its reason, while posts that are not from Laos at all are refused without being stored.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from borderlink.assistance.models import Handover, HandoverState, Request, RequestEvent, RequestState
from borderlink.assistance.workflow import REQUEST
from borderlink.audit.models import AuditEvent
from borderlink.exchange.models import Message
from borderlink.federation import crypto
from borderlink.federation.models import InboxTally, OutboxEnvelope, Peer, QuarantinedEnvelope
from borderlink.federation.node import import_card
from borderlink.notices import hits
from borderlink.notices.models import Hit, HitRoute, Notice
from borderlink.persons.services import DocumentInput
from tests.assistance.helpers import gate, sent
from tests.conftest import make_user
from tests.notices.helpers import person, published

pytestmark = pytest.mark.django_db

VN, LA = "test-vn", "test-la"
ENVELOPES = "/federation/v1/envelopes"
SEARCH = "/federation/v1/search"


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


@dataclass
class CompromisedPeer:
    """The Lao node's pinned key in the wrong hands."""

    key: Ed25519PrivateKey
    client: Client
    node_id: str = LA

    def signed(self, kind: str, object_id: Any, payload: Any, *, sent_at: datetime.datetime | None = None,
               envelope_id: str | None = None) -> dict[str, Any]:
        body = {
            "id": envelope_id or str(uuid.uuid4()), "sender": self.node_id, "recipient": VN, "kind": kind,
            "object_id": str(object_id), "version": 1, "payload": payload,
            "created_at": iso(timezone.now()), "sent_at": iso(sent_at or timezone.now()),
        }
        return {"envelope": body, "signature": crypto.sign(self.key, body)}

    def post(self, body: Any, path: str = ENVELOPES) -> tuple[int, dict[str, Any]]:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        response = self.client.post(path, data=raw, content_type="application/json")
        assert response.status_code < 500, response.content[:300]
        return response.status_code, response.json()

    def send(self, kind: str, object_id: Any, payload: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        return self.post(self.signed(kind, object_id, payload, **kwargs))

    def step(self, req: Request, action: str, *, side: str = "requested", at: datetime.datetime | None = None,
             data: dict[str, Any] | None = None, text: str = "", attachments: list | None = None) -> tuple[int, dict]:
        event = {"id": str(uuid.uuid4()), "at": iso(at or timezone.now()), "actor_name": "Capt. Kham S.",
                 "actor_unit": "LA-SVK", "side": side, "action": action, "from_state": "", "to_state": "",
                 "text": text, "data": data or {}, "attachments": attachments or []}
        return self.send("request.event", event["id"], {"request": str(req.pk), "event": event})


@pytest.fixture
def node(settings: Any, tmp_path: Path, org: Any) -> Any:
    """This node: Viet Nam's, with its own key."""
    settings.NODE_NAME, settings.NODE_COUNTRY = VN, "VN"
    settings.NODE_KEY_FILE = tmp_path / "node_key.pem"
    crypto.generate_key_file(settings.NODE_KEY_FILE)
    cache.clear()  # the rate limits count in the cache
    yield settings
    cache.clear()


def card(key: Ed25519PrivateKey, node_id: str = LA, country: str = "LA") -> dict[str, Any]:
    body = {"node_id": node_id, "country": country, "base_url": "http://127.0.0.1:9",
            "public_key": crypto.b64(crypto.public_bytes(key)), "issued_at": iso(timezone.now())}
    return {"card": body, "signature": crypto.sign(key, body), "fingerprint": crypto.fingerprint(crypto.public_bytes(key))}


@pytest.fixture
def laos(node: Any) -> CompromisedPeer:
    key = Ed25519PrivateKey.generate()
    pinned = card(key)
    import_card(pinned, pinned["fingerprint"])
    return CompromisedPeer(key, Client(REMOTE_ADDR="192.0.2.7"))


def quarantined(reason: str) -> list[QuarantinedEnvelope]:
    return list(QuarantinedEnvelope.objects.filter(reason=reason))


# --- a request from Viet Nam to Laos, accepted there: the handover is Laos's to record -----------------------------


@pytest.fixture
def victim(officer: Any) -> Any:
    return person(officer, "Phạm Thị Lan", is_trafficking_victim=True,
                  documents=[DocumentInput("passport", "C1112223", "VN")])


@pytest.fixture
def accepted(laos: CompromisedPeer, officer: Any, supervisor: Any, org: Any, victim: Any) -> Request:
    subject = person(officer, "Nguyễn Hữu Phước", documents=[DocumentInput("passport", "C7654321", "VN")])
    notice = published(officer, supervisor, subject)
    req = sent(officer, supervisor, org.la_unit, kind="arrest_handover", notice_id=notice.pk, offence="drug_trafficking",
               subject="Truy bắt và chuyển giao đối tượng truy nã")
    assert OutboxEnvelope.objects.filter(kind="request.opened", object_id=str(req.pk)).exists()
    assert laos.step(req, "received")[0] == 200
    assert laos.step(req, "accepted")[0] == 200
    return Request.objects.get(pk=req.pk)


def arrested(laos: CompromisedPeer, req: Request) -> None:
    status, answer = laos.step(req, "arrested", data={"handover": {
        "arrested_at": iso(timezone.now() - datetime.timedelta(days=1)), "held_at": "Savannakhet provincial detention"}})
    assert status == 200, answer


# --- 1. nothing a peer sends becomes a query lookup -------------------------------------------------------------


@pytest.mark.parametrize("lookup", [
    {"side_a_country__units__recorded_persons__is_trafficking_victim": True},
    {"side_a_country__units__recorded_persons__names__name__gte": "P"},
    {"side_a_country__units__users__totp_secret__startswith": "A"},
    {"pk__gt": 0},
])
def test_gate_lookups_are_refused_alike_whatever_the_database_holds(laos, accepted, lookup):
    arrested(laos, accepted)
    lao_bao = gate()
    facts = {"planned_for": iso(timezone.now() + datetime.timedelta(days=3)), "escort_requesting_unit": "VN-QT",
             "escort_requested_unit": "LA-SVK"}
    answers = []
    for probe in ({**lookup}, {k: (not v if isinstance(v, bool) else v + "zzz" if isinstance(v, str) else -1)
                              for k, v in lookup.items()}):
        status, answer = laos.step(accepted, "handover_planned", data={"handover": {**facts, "gate": probe}, "zzz": 1})
        answers.append((status, answer["error"]))
    assert answers[0] == answers[1] == (422, "invalid_payload")  # no yes/no oracle
    assert Handover.objects.get(request=accepted).state == HandoverState.ARRESTED
    assert len(quarantined("invalid_payload")) == 2
    # the real gate, named by its key, still works
    status, answer = laos.step(accepted, "handover_planned", data={"handover": {**facts, "gate": {
        "side_a_country": "VN", "side_a_name": lao_bao.side_a_name, "side_b_country": "LA"}}})
    assert status == 200, answer


@pytest.mark.parametrize("extra", [{"gate__pk": 1}, {"zzz": 1}, {"state": "closed"}, {"request_id": "x"}])
def test_unknown_fields_anywhere_are_refused(laos, accepted, extra):
    status, answer = laos.step(accepted, "arrested", data={"handover": {
        "arrested_at": iso(timezone.now()), "held_at": "Savannakhet", **extra}})
    assert (status, answer["error"]) == (422, "invalid_payload")
    assert not Handover.objects.filter(request=accepted).exists()


# --- 2. hits stay at home; protected persons are never matched against wanted notices -----------------------------


def lao_notice_payload(kind: str, names: list[str], **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    wanted = kind in ("wanted_arrest", "wanted_locate")
    payload = {
        "id": str(uuid.uuid4()), "version": 2, "kind": kind, "state": "published", "resolution": "",
        "offence": "drug_trafficking" if wanted else "", "warrant_number": "12/QĐ" if wanted else "",
        "issuing_authority": "Savannakhet court" if wanted else "",
        "warrant_date": (today - datetime.timedelta(days=20)).isoformat() if wanted else None,
        "max_penalty_years": 20 if wanted else None, "summary": "Invented facts for a test.", "issuing_unit": "LA-SVK",
        "shared_with": ["VN"], "handling_code": "H0", "review_date": (today + datetime.timedelta(days=200)).isoformat(),
        "published_at": iso(timezone.now() - datetime.timedelta(hours=1)),
        "subject": {"id": str(uuid.uuid4()), "names": [{"name": n, "kind": "primary"} for n in names], "sex": "U",
                    "nationalities": [], "documents": [], "photos": []},
    }
    payload.update(overrides)
    return payload


def test_a_wanted_notice_naming_our_victim_raises_nothing_and_sends_nothing(laos, officer, victim, django_capture_on_commit_callbacks):
    suspect = person(officer, "Trần Văn Bình", birth_year=1980)
    minor = person(officer, "Lê Văn Cường", is_minor=True)
    payload = lao_notice_payload("wanted_arrest", ["Phạm Thị Lan", "Trần Văn Bình", "Lê Văn Cường"])
    with django_capture_on_commit_callbacks(execute=False):
        assert laos.send("notice.snapshot", payload["id"], payload)[0] == 200
    hits.check_notice(payload["id"])  # what the worker does next
    assert not Hit.objects.filter(person__in=[victim, minor]).exists()
    hit = Hit.objects.get(person=suspect)
    assert hit.route == HitRoute.HOLDER and hit.shared_at is None
    assert not OutboxEnvelope.objects.filter(kind="hit.raised").exists()  # nobody here has decided yet
    # the recording unit sees it and decides; what crosses is the minimum
    assert hit in hits.hits_held(officer)
    hits.share_hit(officer, hit.pk, "Same name and year of birth; the notice's owner should ask through a request.")
    sent_payload = OutboxEnvelope.objects.get(kind="hit.raised").payload
    assert set(sent_payload) == {"notice", "person", "raised_by_unit", "score", "matched_name", "notice_name",
                                 "birth_agrees", "document_agrees"}
    assert "1980" not in json.dumps(sent_payload)
    assert AuditEvent.objects.filter(action="notices.hit.shared").count() == 1


def test_a_protected_person_on_a_missing_notice_goes_to_victim_protection_not_across(laos, officer, org, victim):
    payload = lao_notice_payload("missing", ["Phạm Thị Lan"])
    assert laos.send("notice.snapshot", payload["id"], payload)[0] == 200
    hits.check_notice(payload["id"])
    hit = Hit.objects.get(person=victim)
    assert hit.route == HitRoute.PROTECTION
    protector = make_user("protector", org.vn_other, "victim_protection")
    assert hit in hits.hits_held(protector) and hit not in hits.hits_held(officer)
    with pytest.raises(Http404):  # never shared, whoever asks
        hits.share_hit(protector, hit.pk, "share")
    assert not OutboxEnvelope.objects.filter(kind="hit.raised").exists()


def test_a_person_recorded_after_the_notice_is_held_too(laos, officer):
    payload = lao_notice_payload("wanted_locate", ["Đỗ Minh Khoa"])
    assert laos.send("notice.snapshot", payload["id"], payload)[0] == 200
    local = person(officer, "Đỗ Minh Khoa")
    hits.check_person(local.pk)
    assert Hit.objects.get(person=local).route == HitRoute.HOLDER
    assert not OutboxEnvelope.objects.filter(kind="hit.raised").exists()


# --- 3. every list is bounded by the domain -----------------------------------------------------------------------


@pytest.mark.parametrize("field,value", [
    ("shared_with", ["VN"] + ["LA"] * 5000),
    ("shared_with", ["VN", "XX"]),
    ("subject", {"id": str(uuid.uuid4()), "names": [{"name": "A", "kind": "primary"}] * 500, "sex": "U"}),
    ("subject", {"id": str(uuid.uuid4()), "names": [{"name": "A", "kind": "primary"}], "sex": "U",
                 "documents": [{"doc_type": "passport", "number": str(i), "issuing_country": "VN"} for i in range(500)]}),
])
def test_oversized_lists_are_refused_before_any_query(laos, field, value, django_assert_max_num_queries):
    payload = lao_notice_payload("wanted_arrest", ["Somchai"], **{field: value})
    with django_assert_max_num_queries(20):
        status, answer = laos.send("notice.snapshot", payload["id"], payload)
    assert (status, answer["error"]) == (422, "invalid_payload")
    assert not Notice.objects.filter(pk=payload["id"]).exists()


# --- 4. the node keeps its own clock --------------------------------------------------------------------------------


def test_a_step_stamped_in_2099_or_before_the_step_it_follows_is_refused(laos, accepted):
    before = list(RequestEvent.objects.filter(request=accepted).values_list("pk", flat=True))
    answer = {"results": [{"kind": "identity_confirmed", "value": ""}]}
    status, body = laos.step(accepted, "answered", text="Done.", data=answer, at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    assert (status, body["error"]) == (422, "rejected_by_rules")
    status, body = laos.step(accepted, "answered", text="Done.", data=answer, at=timezone.now() - datetime.timedelta(days=30))
    assert (status, body["error"]) == (422, "rejected_by_rules") and "before the step it follows" in body["detail"]
    assert list(RequestEvent.objects.filter(request=accepted).values_list("pk", flat=True)) == before
    assert Request.objects.get(pk=accepted.pk).state == RequestState.ACCEPTED


def test_lateness_and_answer_times_are_judged_on_this_nodes_clock(laos, accepted, settings, tmp_path):
    deadline = accepted.deadline
    clock = tmp_path / "clock"
    settings.CLOCK_FILE = str(clock)
    clock.write_text(str((deadline - timezone.now()).total_seconds() + 3600))  # this node is an hour past the deadline
    claim = deadline - datetime.timedelta(hours=2)  # the peer claims it answered in time
    status, body = laos.step(accepted, "answered", text="Identity confirmed.", at=claim,
                             data={"results": [{"kind": "identity_confirmed", "value": ""}], "late": False})
    assert status == 200, body
    event = RequestEvent.objects.get(request=accepted, action="answered")
    assert event.data["late"] is True
    assert event.claimed_at == claim and event.at > deadline
    req = Request.objects.get(pk=accepted.pk)
    assert req.first_answer_at == event.at and req.answered_at == event.at


# --- 5 and #11.1. anyone can post; nothing is stored unless a pinned peer signed it ----------------------------------


def test_unsigned_and_forged_posts_are_counted_not_stored(laos, node):
    before = AuditEvent.objects.count()
    junk = os.urandom(70 * 1024)
    for _ in range(30):
        assert laos.post(junk)[0] == 400
    forged = laos.signed("message.released", uuid.uuid4(), {"x": "y" * 60000})
    forged["signature"] = crypto.sign(Ed25519PrivateKey.generate(), forged["envelope"])
    assert laos.post(forged)[1]["error"] == "bad_signature"
    stranger = laos.signed("message.released", uuid.uuid4(), {})
    stranger["envelope"]["sender"] = "test-kh"
    assert laos.post(stranger)[1]["error"] == "unknown_sender"
    assert laos.post({"envelope": {}, "signature": "x", "padding": "z" * 60000})[1]["error"] == "malformed"
    assert QuarantinedEnvelope.objects.count() == 0
    assert AuditEvent.objects.count() == before
    tallies = dict(InboxTally.objects.filter(sender="").values_list("reason", "count"))
    assert tallies == {"malformed": 31, "bad_signature": 1, "unknown_sender": 1}


@pytest.mark.parametrize("path", [ENVELOPES, SEARCH])
def test_deep_nesting_is_400_never_500(laos, path):
    status, answer = laos.post(b"[" * 20000 + b"]" * 20000, path)
    assert (status, answer["error"]) == (400, "too_deep")
    status, answer = laos.post(b'{"a":' * 200 + b"1" + b"}" * 200, path)
    assert (status, answer["error"]) == (400, "too_deep")
    assert QuarantinedEnvelope.objects.count() == 0


def test_deep_nesting_on_the_checkpoint_door_is_400_never_500(laos):
    status, answer = laos.post(b"[" * 2000 + b"]" * 2000, "/federation/v1/checkpoints")
    assert (status, answer["error"]) == (400, "too_deep")


def test_deep_nesting_inside_a_signed_payload_is_400(laos):
    nested: Any = 1
    for _ in range(200):
        nested = [nested]
    status, answer = laos.send("message.released", uuid.uuid4(), {"body": nested})
    assert (status, answer["error"]) == (400, "too_deep")


def test_posts_are_rate_limited_per_address(laos, node):
    node.FEDERATION_RATE_PER_ADDRESS = "5/m"
    statuses = [laos.post(b"{}")[0] for _ in range(7)]
    assert statuses[:5] == [400] * 5 and statuses[5:] == [429, 429]
    other = CompromisedPeer(laos.key, Client(REMOTE_ADDR="192.0.2.99"))
    assert other.post(b"{}")[0] == 400  # another address has its own budget
    assert InboxTally.objects.get(sender="", reason="rate_limited").count == 2


def test_a_peer_past_its_rate_is_refused_and_administrators_see_it(laos, node, org):
    node.FEDERATION_RATE_PER_PEER = "3/m"
    answers = [laos.send("message.receipt", uuid.uuid4(), {"message": str(uuid.uuid4()), "unit": "LA-SVK"}) for _ in range(5)]
    assert [a[1]["error"] for a in answers] == ["rejected_by_rules"] * 3 + ["limit_rate"] * 2
    assert AuditEvent.objects.filter(action="federation.limit.reached").count() == 1  # once a day
    assert InboxTally.objects.get(sender=LA, reason="limit:rate").count == 2


def test_a_peers_bytes_a_day_are_bounded(laos, node):
    node.FEDERATION_PEER_BYTES_PER_DAY = 4096
    message = valid_message()
    message["body"] = "x" * 3000
    assert laos.send("message.released", message["id"], message)[0] == 200
    second = valid_message()
    second["body"] = "x" * 3000
    assert laos.send("message.released", second["id"], second)[1]["error"] == "limit_bytes_per_day"
    assert not Message.objects.filter(pk=second["id"]).exists()


def test_the_quarantine_is_capped_and_pruning_is_audited(laos, node):
    node.FEDERATION_QUARANTINE_MAX_ROWS = 10
    for _ in range(15):
        assert laos.send("no.such.kind", uuid.uuid4(), {})[1]["error"] == "unknown_kind"
    assert QuarantinedEnvelope.objects.count() == 10
    assert AuditEvent.objects.filter(action="federation.quarantine.pruned").count() == 5


def test_a_node_without_its_key_answers_503(laos, node):
    Path(node.NODE_KEY_FILE).unlink()
    crypto._cache.clear()
    message = valid_message()
    for path, body in ((ENVELOPES, laos.signed("message.released", message["id"], message)), (SEARCH, {"query": {}})):
        response = laos.client.post(path, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 503 and response.json()["error"] == "no_node_key"
    assert not Message.objects.filter(pk=message["id"]).exists()


# --- 6. facts of every step are checked as local input is ---------------------------------------------------------


def test_a_handover_on_another_border_before_the_arrest_with_a_cambodian_escort_is_refused(laos, accepted, org):
    arrested(laos, accepted)
    gate()
    moc_bai = gate("VN", "KH", "Moc Bai")
    good = {"gate": {"side_a_country": "VN", "side_a_name": "Lao Bao", "side_b_country": "LA"},
            "planned_for": iso(timezone.now() + datetime.timedelta(days=3)),
            "escort_requesting_unit": "VN-QT", "escort_requested_unit": "LA-SVK"}
    wrong = [
        {"gate": {"side_a_country": "VN", "side_a_name": moc_bai.side_a_name, "side_b_country": "KH"}},
        {"planned_for": iso(timezone.now() - datetime.timedelta(days=30))},
        {"escort_requested_unit": "KH-SVR"},
        {"escort_requesting_unit": "LA-SVK"},
        {"planned_for": iso(timezone.now() + datetime.timedelta(days=3000))},
    ]
    for change in wrong:
        status, answer = laos.step(accepted, "handover_planned", data={"handover": {**good, **change}})
        assert (status, answer["error"]) == (422, "rejected_by_rules"), change
    assert Handover.objects.get(request=accepted).state == HandoverState.ARRESTED
    assert len(quarantined("rejected_by_rules")) == len(wrong)
    assert laos.step(accepted, "handover_planned", data={"handover": good})[0] == 200


@pytest.mark.parametrize("action,data,text", [
    ("answered", {"results": [{"kind": "address", "value": ""}]}, "An address without its value."),
    ("answered", {"results": []}, ""),
    ("declined", {}, "No reason from the list."),
    ("declined", {"reason": "other"}, ""),
    ("clarification_asked", {}, ""),
    ("accepted", {"results": [{"kind": "identity_confirmed", "value": ""}]}, ""),
    ("answered", {"results": [{"kind": "no_such_finding", "value": ""}]}, "x"),
])
def test_steps_are_checked_as_a_local_users_are(laos, accepted, action, data, text):
    status, answer = laos.step(accepted, action, data=data, text=text)
    assert status == 422 and answer["error"] in ("rejected_by_rules", "invalid_payload"), answer
    assert Request.objects.get(pk=accepted.pk).state == RequestState.ACCEPTED


def test_a_peer_cannot_take_the_other_sides_step_nor_touch_this_nodes_notice(laos, accepted, officer, supervisor):
    status, answer = laos.step(accepted, "closed", side="requesting")
    assert (status, answer["error"]) == (422, "rejected_by_rules")
    ours = Notice.objects.get(pk=accepted.notice_id)
    payload = lao_notice_payload("wanted_arrest", ["Somchai"], id=str(ours.pk), version=99)
    assert laos.send("notice.snapshot", ours.pk, payload)[1]["error"] == "rejected_by_rules"
    assert Notice.objects.get(pk=ours.pk).summary == ours.summary


# --- 7. volume over time --------------------------------------------------------------------------------------------


def valid_message(**overrides: Any) -> dict[str, Any]:
    payload = {"id": str(uuid.uuid4()), "sender_unit": "LA-SVK", "author": "Somchai", "recipients": ["VN-QT"],
               "subject": "Truck at Lao Bao", "body": "Please check the truck.", "priority": "urgent",
               "handling_code": "H0", "classification": "restricted", "in_reply_to": None, "forwarded_from": None,
               "sent_at": iso(timezone.now()), "approved_by": "la.supervisor", "attachments": []}
    payload.update(overrides)
    return payload


def test_a_message_with_more_attachments_than_the_local_limit_is_refused(laos, settings):
    note = {"filename": "note.txt", "content_base64": base64.b64encode(b"a note").decode()}
    payload = valid_message(attachments=[note] * (settings.ATTACHMENT_MAX_COUNT + 1))
    assert laos.send("message.released", payload["id"], payload)[1]["error"] == "invalid_payload"
    assert not Message.objects.filter(pk=payload["id"]).exists()


def test_steps_on_one_request_are_bounded_and_administrators_see_it(laos, accepted, monkeypatch):
    monkeypatch.setattr(REQUEST, "steps_max", accepted.events.count() + 3)
    arrested(laos, accepted)
    gate()
    plan = {"gate": {"side_a_country": "VN", "side_a_name": "Lao Bao", "side_b_country": "LA"},
            "escort_requesting_unit": "VN-QT", "escort_requested_unit": "LA-SVK"}
    errors = []
    for day in range(2, 7):
        facts = {**plan, "planned_for": iso(timezone.now() + datetime.timedelta(days=day))}
        errors.append(laos.step(accepted, "handover_planned", data={"handover": facts})[1].get("error"))
    assert errors == [None, None, "limit_steps_per_request", "limit_steps_per_request", "limit_steps_per_request"]
    assert AuditEvent.objects.filter(action="federation.limit.reached").count() == 1
    assert len(quarantined("limit_steps_per_request")) == 3


# --- 8. an error inside one envelope does not take the node or the batch down ----------------------------------------


def test_a_bad_envelope_in_a_batch_is_quarantined_and_the_rest_goes_on(laos, accepted):
    first, last = valid_message(), valid_message()
    batch = [
        laos.signed("message.released", first["id"], first),
        laos.signed("message.released", uuid.uuid4(), valid_message(sent_at="not-a-date")),
        laos.signed("request.event", uuid.uuid4(), {"request": str(accepted.pk), "event": {"id": str(uuid.uuid4())}}),
        laos.signed("notice.snapshot", uuid.uuid4(), lao_notice_payload("wanted_arrest", ["A"], review_date="9999-12-31")),
        laos.signed("message.released", last["id"], last),
    ]
    status, answer = laos.post({"batch": batch})
    assert status == 200
    errors = [r.get("error") for r in answer["receipts"]]
    assert errors == [None, "invalid_payload", "invalid_payload", "rejected_by_rules", None]
    assert Message.objects.filter(pk__in=[first["id"], last["id"]]).count() == 2
    assert QuarantinedEnvelope.objects.count() == 3


def test_an_unexpected_error_while_applying_is_quarantined_not_500(laos, accepted, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("something nobody foresaw")

    from borderlink.assistance.workflow import REQUEST

    monkeypatch.setattr(REQUEST, "notify", broken)
    status, answer = laos.step(accepted, "clarification_asked", text="Which passport?")
    assert (status, answer["error"]) == (422, "apply_error")
    assert Request.objects.get(pk=accepted.pk).state == RequestState.ACCEPTED
    assert len(quarantined("apply_error")) == 1


# --- #11.4 and #11.5: dates in windows, fields within the model's choices and lengths --------------------------------


def lao_request(**overrides: Any) -> dict[str, Any]:
    now = timezone.now()
    payload = {"id": str(uuid.uuid4()), "reference": "LA-SVK/2026/0001", "kind": "verify_identity", "urgency": "normal",
               "data_held_directly": False, "offence": "fraud", "subject": "Verify a passport holder",
               "details": "Passport P1234567.", "person_name": "", "identifier": "", "notice": None,
               "requesting_unit": "LA-SVK", "requested_unit": "VN-QT", "handling_code": "H0",
               "deadline": iso(now + datetime.timedelta(days=7)), "sent_at": iso(now), "events": []}
    payload.update(overrides)
    return payload


@pytest.mark.parametrize("overrides,error", [
    ({"deadline": "9999-12-31T23:59:59+00:00"}, "rejected_by_rules"),
    ({"deadline": iso(timezone.now() + datetime.timedelta(days=400))}, "rejected_by_rules"),
    ({"deadline": iso(timezone.now() - datetime.timedelta(days=1))}, "rejected_by_rules"),
    ({"sent_at": "2099-01-01T00:00:00+00:00"}, "rejected_by_rules"),
    ({"deadline": "2026-12-31T23:59:59"}, "invalid_payload"),  # no time zone
    ({"kind": "x" * 200}, "invalid_payload"),
    ({"handling_code": "H9"}, "invalid_payload"),
    ({"reference": "R" * 41}, "invalid_payload"),
    ({"urgency": 1}, "invalid_payload"),
    ({"kind": "trace_phone"}, "rejected_by_rules"),  # a trace names its identifier
])
def test_a_request_outside_the_rules_is_quarantined_with_its_reason(laos, org, overrides, error):
    payload = lao_request(**overrides)
    status, answer = laos.send("request.opened", payload["id"], payload)
    assert (status, answer["error"]) == (422, error)
    assert not Request.objects.filter(pk=payload["id"]).exists()
    assert QuarantinedEnvelope.objects.get().reason == error


def test_a_good_request_still_arrives(laos, org):
    payload = lao_request()
    assert laos.send("request.opened", payload["id"], payload)[0] == 200
    assert Request.objects.get(pk=payload["id"]).state == RequestState.RECEIVED


@pytest.mark.parametrize("overrides", [
    {"classification": "c" * 200}, {"priority": "flash"}, {"subject": "s" * 201}, {"recipients": ["VN-QT"] * 51},
    {"author": 7}, {"body": ""}, {"sent_at": "2099-01-01T00:00:00+00:00"},
])
def test_a_message_outside_the_models_choices_and_lengths_is_refused(laos, org, overrides):
    payload = valid_message(**overrides)
    status, answer = laos.send("message.released", payload["id"], payload)
    assert status == 422 and answer["error"] in ("invalid_payload", "rejected_by_rules")
    assert not Message.objects.filter(pk=payload["id"]).exists()


@pytest.mark.parametrize("subject", [
    {"birth_year": 1700}, {"birth_month": 2, "birth_year": 1990, "birth_day": 31}, {"sex": "Z"},
    {"nationalities": ["VN", "VN"]}, {"refugee_from": "FR"}, {"place_of_birth": "p" * 201},
])
def test_a_notice_subject_outside_the_person_rules_is_refused(laos, subject):
    payload = lao_notice_payload("wanted_locate", ["Somchai"])
    payload["subject"] = {**payload["subject"], **subject}
    status, answer = laos.send("notice.snapshot", payload["id"], payload)
    assert status == 422 and answer["error"] in ("invalid_payload", "rejected_by_rules")
    assert not Notice.objects.filter(pk=payload["id"]).exists()


def test_a_warrant_before_the_subjects_birth_is_refused(laos):
    """Tryout defect 1's kind from a peer: the warrant (20 days ago) is before the subject's birth (10 days ago),
    with the same year and month of birth as far as they are given."""
    payload = lao_notice_payload("wanted_arrest", ["Somchai"])
    born = timezone.localdate() - datetime.timedelta(days=10)
    payload["subject"] = {**payload["subject"], "birth_year": born.year, "birth_month": born.month, "birth_day": born.day}
    status, answer = laos.send("notice.snapshot", payload["id"], payload)
    assert status == 422 and answer["error"] == "rejected_by_rules"
    assert not Notice.objects.filter(pk=payload["id"]).exists()


def test_bidi_controls_in_a_peers_notice_are_removed(laos):
    payload = lao_notice_payload("missing", ["Som\u202echai"], summary="Invoice \u202egpj.exe\u202c seen")
    assert laos.send("notice.snapshot", payload["id"], payload)[0] == 200
    notice = Notice.objects.get(pk=payload["id"])
    assert notice.summary == "Invoice gpj.exe seen"
    assert [n.name for n in notice.subject.names.all()] == ["Somchai"]


def test_a_wanted_notice_about_a_victim_is_refused(laos):
    payload = lao_notice_payload("wanted_arrest", ["Somchai"])
    payload["subject"] = {**payload["subject"], "is_trafficking_victim": True}
    assert laos.send("notice.snapshot", payload["id"], payload)[1]["error"] == "rejected_by_rules"


# --- 9. search: the asking user is the peer's claim; the answer's time does not depend on the result -------------------


def query(laos: CompromisedPeer, q: str) -> dict[str, Any]:
    body = {"id": str(uuid.uuid4()), "sender": LA, "recipient": VN, "asking_country": "LA", "asking_user": "vn.admin",
            "asking_unit": "VN-QT", "q": q, "document": "", "sent_at": iso(timezone.now())}
    return {"query": body, "signature": crypto.sign(laos.key, body)}


def test_search_records_the_asking_user_as_a_claim_and_answers_in_fixed_time(laos, officer, supervisor, monkeypatch):
    from borderlink.federation import search

    published(officer, supervisor, person(officer, "Vũ Đức Thắng"), shared_with=["LA"])
    waits: list[float] = []
    monkeypatch.setattr(search, "MIN_ANSWER_SECONDS", 30.0)
    monkeypatch.setattr(search.time, "sleep", waits.append)
    status, hit = laos.post(query(laos, "Vu Duc Thang"), SEARCH)
    status2, miss = laos.post(query(laos, "Somebody Else Entirely"), SEARCH)
    assert status == status2 == 200 and len(hit["answer"]["hits"]) == 1 and miss["answer"]["hits"] == []
    assert len(waits) == 2 and all(w > 29 for w in waits)  # both padded to the same minimum
    audit = AuditEvent.objects.filter(action="federation.search.answered").latest("id")
    assert "asking_user" not in audit.data and audit.data["claimed_by_peer"]["asking_user"] == "vn.admin"


def test_a_query_with_unknown_fields_or_wrong_types_is_refused(laos):
    body = query(laos, "x")
    body["query"]["q"] = ["x"] * 10
    body["signature"] = crypto.sign(laos.key, body["query"])
    assert laos.post(body, SEARCH)[0] == 400


# --- 10. pinning ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("node_id", ["", " ", "a b", "x" * 61, "../etc", VN])
def test_node_card_import_refuses_bad_or_own_ids(node, org, node_id):
    key = Ed25519PrivateKey.generate()
    pinned = card(key, node_id=node_id)
    with pytest.raises(ValidationError):
        import_card(pinned, pinned["fingerprint"])
    assert not Peer.objects.exists()


def test_node_card_import_refuses_a_pinned_id_with_another_key(laos):
    original = Peer.objects.get(node_id=LA).public_key
    other = card(Ed25519PrivateKey.generate())
    with pytest.raises(ValidationError):
        import_card(other, other["fingerprint"])
    assert Peer.objects.get(node_id=LA).public_key == original
    again = card(laos.key)
    import_card(again, again["fingerprint"])  # the same card again is fine


@pytest.mark.parametrize("hits_answer", [
    [{"notice": "not-a-uuid", "kind": "wanted_arrest", "issuing_unit": "LA-SVK", "score": 0.9}],
    [{"notice": str(uuid.uuid4()), "kind": "wanted_arrest", "issuing_unit": "LA-SVK", "score": 0.9, "name": "leak"}],
    [{"notice": str(uuid.uuid4()), "kind": "wanted_arrest", "issuing_unit": "LA-SVK", "score": 0.9}] * 500,
])
def test_a_peers_search_answer_outside_its_schema_is_an_error_not_a_crash(laos, officer, monkeypatch, hits_answer):
    from borderlink.federation import search

    def answer_from_laos(url: str, body: dict, timeout: float) -> tuple[int, dict]:
        content = {"query_id": body["query"]["id"], "responder": LA, "hits": hits_answer, "at": iso(timezone.now())}
        return 200, {"answer": content, "signature": crypto.sign(laos.key, content)}

    monkeypatch.setattr(search, "post_json", answer_from_laos)  # the network between the two nodes
    answers = search.search_peers(officer, "Somchai")
    assert [(a.status, a.hits) for a in answers] == [("error", [])]


def test_the_hit_page_shows_held_hits_and_only_the_recording_unit_shares(laos, officer, outsider, login):
    local = person(officer, "Đỗ Minh Khoa")
    payload = lao_notice_payload("wanted_locate", ["Đỗ Minh Khoa"])
    assert laos.send("notice.snapshot", payload["id"], payload)[0] == 200
    hits.check_notice(payload["id"])
    hit = Hit.objects.get(person=local)
    page = login(officer).get("/notices/hits/")
    assert page.status_code == 200 and f"/notices/hits/{hit.pk}/share/" in page.content.decode()
    assert f"/notices/hits/{hit.pk}/share/" not in login(outsider).get("/notices/hits/").content.decode()
    assert login(outsider).post(f"/notices/hits/{hit.pk}/share/", {"reason": "x"}).status_code == 404
    assert not OutboxEnvelope.objects.filter(kind="hit.raised").exists()
    assert login(officer).post(f"/notices/hits/{hit.pk}/share/", {"reason": "Same name."}).status_code == 302
    assert OutboxEnvelope.objects.filter(kind="hit.raised").count() == 1
