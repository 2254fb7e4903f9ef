"""Conferences, visits and training exchanges reach the other parties' nodes: the node that records one queues it
to each other party (and to no one else), and a node receiving one holds the same record under the same id, after
the strict schema and the checks a planner's input gets. A peer speaks only for a record its country is a party
to; a retried envelope changes nothing; a second conference of a year is refused."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from pydantic import ValidationError as SchemaError

from borderlink.audit.models import AuditEvent
from borderlink.federation.models import OutboxEnvelope, Peer
from borderlink.federation.schema import parse_payload
from borderlink.plans import conferences, records
from borderlink.plans.conferences import training_counts
from borderlink.plans.models import Conference, Training, Visit
from tests.plans.helpers import YEAR


@dataclass
class From:
    node_id: str
    country_id: str


KH, LA = From("test-kh", "KH"), From("test-la", "LA")


@pytest.fixture
def peers(org):
    for code in ("KH", "LA"):
        Peer.objects.create(node_id=f"test-{code.lower()}", country_id=code, base_url="http://127.0.0.1:9",
                            public_key=code.lower() * 22, fingerprint="f", is_active=True)


def test_each_record_is_queued_to_its_other_parties_only(people, peers):
    training = conferences.record_training(people.vn_planner, conferences.TrainingInput(
        title="Crypto tracing", host="VN", starts_on=datetime.date(YEAR, 5, 4), ends_on=datetime.date(YEAR, 5, 8),
        courses=["Tracing"], participants={"VN": 5, "KH": 7}))
    visit = conferences.record_visit(people.vn_planner, conferences.VisitInput(
        kind="study_visit", from_country="VN", to_country="LA", starts_on=datetime.date(YEAR, 6, 1),
        ends_on=datetime.date(YEAR, 6, 3), purpose="Border gates", members=[conferences.MemberInput(name="Col. Minh")]))
    conference = conferences.record_conference(people.vn_leader, conferences.ConferenceInput(
        year=YEAR, host=conferences.proposed_host(YEAR), place="Hà Nội", starts_on=datetime.date(YEAR, 3, 29),
        ends_on=datetime.date(YEAR, 3, 30), delegates=[conferences.MemberInput(name="Minister A", country="VN")]))
    sent = {(e.kind, e.peer.country_id, e.object_id) for e in OutboxEnvelope.objects.select_related("peer")}
    assert sent == {(records.TRAINING, "KH", str(training.uid)), (records.VISIT, "LA", str(visit.uid)),
                    (records.CONFERENCE, "KH", str(conference.uid)), (records.CONFERENCE, "LA", str(conference.uid))}
    for envelope in OutboxEnvelope.objects.all():  # what leaves passes the receiver's schema
        parse_payload({records.TRAINING: records.TrainingPayload, records.VISIT: records.VisitPayload,
                       records.CONFERENCE: records.ConferencePayload}[envelope.kind], envelope.payload)


def _training(**overrides):
    data = {"uid": str(uuid.uuid4()), "title": "Document fraud", "host": "KH", "starts_on": f"{YEAR}-07-01",
            "ends_on": f"{YEAR}-07-03", "courses": ["Passports", "Visas"], "participants": {"KH": 4, "VN": 6},
            "outcome": "Two courses held."}
    data.update(overrides)
    return parse_payload(records.TrainingPayload, data)


def test_a_peers_training_is_held_here_and_counted_alike(people):
    payload = _training()
    records.apply_training(payload, KH, {})
    records.apply_training(payload, KH, {})  # retried: nothing more
    copy = Training.objects.get(uid=payload.uid)
    assert copy.origin_node == "test-kh" and copy.participants == {"KH": 4, "VN": 6}
    assert training_counts(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)).participants == {"KH": 4, "VN": 6}
    assert AuditEvent.objects.filter(action="plans.training.received").count() == 1
    with pytest.raises(ValidationError):  # the same id from another node
        records.apply_training(payload, LA, {})


def test_a_peer_speaks_only_for_records_of_its_country(people):
    with pytest.raises(ValidationError):  # Laos is neither the host nor a participant
        records.apply_training(_training(), LA, {})
    with pytest.raises(ValidationError):  # a training that does not concern this node's country (Viet Nam)
        records.apply_training(_training(participants={"KH": 4, "LA": 2}), KH, {})
    with pytest.raises(ValidationError):
        records.apply_training(_training(starts_on=f"{YEAR}-07-05", ends_on=f"{YEAR}-07-01"), KH, {})
    with pytest.raises(ValidationError):
        records.apply_training(_training(participants={"KH": 0}), KH, {})
    visit = {"uid": str(uuid.uuid4()), "kind": "delegation", "from_country": "KH", "to_country": "LA",
             "starts_on": f"{YEAR}-02-01", "ends_on": f"{YEAR}-02-02", "purpose": "Talks", "members": [{"name": "A"}]}
    with pytest.raises(ValidationError):  # Cambodia and Laos: not Viet Nam's visit to hold
        records.apply_visit(parse_payload(records.VisitPayload, visit), KH, {})
    records.apply_visit(parse_payload(records.VisitPayload, {**visit, "to_country": "VN"}), KH, {})
    assert Visit.objects.get().from_country_id == "KH" and Training.objects.count() == 0
    for broken in ({**visit, "members": []}, {**visit, "secret": 1}, {**visit, "to_country": "FR"},
                   {**visit, "members": [{"name": "A", "passport": "X1"}]}):
        with pytest.raises(SchemaError):
            parse_payload(records.VisitPayload, broken)
    with pytest.raises(SchemaError):
        _training(participants={"KH": "4"})


def test_a_peers_conference_with_its_points_and_a_second_one_of_the_year(people):
    conference = {"uid": str(uuid.uuid4()), "year": YEAR, "host": "LA", "place": "Vientiane", "starts_on": f"{YEAR}-04-01",
                  "ends_on": f"{YEAR}-04-02", "statement_text": "Joint statement.",
                  "delegates": [{"country": "LA", "name": "Minister B", "rank": "General"}],
                  "points": [{"number": 1, "text": "Exchange training.", "items": [str(uuid.uuid4())]}]}
    records.apply_conference(parse_payload(records.ConferencePayload, conference), LA, {})
    held = Conference.objects.get(year=YEAR)
    assert held.origin_node == "test-la" and held.delegates.count() == 1 and held.points.get().items.count() == 0
    with pytest.raises(ValidationError):  # the conference of that year is recorded already
        records.apply_conference(parse_payload(records.ConferencePayload, {**conference, "uid": str(uuid.uuid4())}), KH, {})
    with pytest.raises(ValidationError):  # held in its year
        records.apply_conference(parse_payload(records.ConferencePayload, {
            **conference, "uid": str(uuid.uuid4()), "year": YEAR - 1}), KH, {})
    assert Conference.objects.count() == 1
