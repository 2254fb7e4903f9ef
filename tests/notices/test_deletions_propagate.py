"""Deletions and corrections by the owner reach every copy (issue 11, operations)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.federation.models import OutboxEnvelope, Peer
from borderlink.notices import services
from borderlink.notices.federation import PurgePayload, apply_purge
from borderlink.notices.models import Notice
from borderlink.persons import services as person_services
from borderlink.persons.models import Person
from borderlink.persons.services import NameInput, PersonInput

from .helpers import person, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def la_peer(org):
    return Peer.objects.create(node_id="test-la", country=org.la, base_url="http://127.0.0.1:9", public_key="x", fingerprint="f")


def test_purge_tells_every_node_holding_a_copy(officer, supervisor, la_peer):
    gone = published(officer, supervisor, person(officer, "Phạm Văn Quý"))
    services.cancel_notice(officer, gone.pk, "Withdrawn by the court.")
    Notice.objects.filter(pk=gone.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    services.purge_expired(365)
    envelope = OutboxEnvelope.objects.get(kind="notice.purged")
    assert envelope.peer == la_peer and envelope.payload == {"id": str(gone.pk), "subject": str(gone.subject_id),
                                                             "reason": "retention"}
    assert AuditEvent.objects.get(action="notices.notice.purged").data["copies_told"] == 1


def test_correction_by_the_owner_sends_a_fresh_snapshot(officer, supervisor, la_peer):
    subject = person(officer, "Phạm Văn Quý")
    notice = published(officer, supervisor, subject)
    before = OutboxEnvelope.objects.filter(kind="notice.snapshot").count()
    person_services.update_person(officer, subject.pk, PersonInput(names=[NameInput("Phạm Văn Quí")]))
    latest = OutboxEnvelope.objects.filter(kind="notice.snapshot").order_by("-created_at").first()
    assert OutboxEnvelope.objects.filter(kind="notice.snapshot").count() == before + 1
    assert latest.object_id == str(notice.pk) and latest.payload["subject"]["names"][0]["name"] == "Phạm Văn Quí"


def _as_copy_of(notice, node_id):
    Notice.objects.filter(pk=notice.pk).update(origin_node=node_id)
    Person.objects.filter(pk=notice.subject_id).update(origin_node=node_id)


def test_purge_from_the_owner_removes_the_copy_and_its_subject_audited(officer, supervisor, la_peer):
    copy = published(officer, supervisor, person(officer, "Phạm Văn Quý"))
    _as_copy_of(copy, "test-la")
    apply_purge(PurgePayload(id=copy.pk, subject=copy.subject_id, reason="retention"), la_peer, {})
    assert not Notice.objects.filter(pk=copy.pk).exists() and not Person.objects.filter(pk=copy.subject_id).exists()
    event = AuditEvent.objects.get(action="notices.notice.purged", object_id=str(copy.pk))
    assert event.data == {"from_node": "test-la", "reason": "retention", "copy": True}
    assert AuditEvent.objects.filter(action="persons.person.purged", object_id=str(copy.subject_id)).exists()
    apply_purge(PurgePayload(id=copy.pk, subject=copy.subject_id, reason="retention"), la_peer, {})  # again: nothing


def test_a_node_cannot_purge_what_another_node_owns(officer, supervisor, la_peer):
    own = published(officer, supervisor, person(officer, "Phạm Văn Quý"))
    with pytest.raises(ValidationError):
        apply_purge(PurgePayload(id=own.pk, subject=own.subject_id, reason="retention"), la_peer, {})
    assert Notice.objects.filter(pk=own.pk).exists()
