"""/healthz: database, worker heartbeat, undelivered envelopes per peer, quarantine; monitoring addresses only."""

from __future__ import annotations

import datetime
import ipaddress

import pytest
from django.test import Client
from django.utils import timezone

from borderlink.core.models import WorkerHeartbeat
from borderlink.federation.models import DeliveryState, OutboxEnvelope, Peer, QuarantinedEnvelope

pytestmark = pytest.mark.django_db


def beat(seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id="w1", defaults={
        "hostname": "h", "pid": 1, "started_at": now, "beat_at": now - datetime.timedelta(seconds=seconds_ago)})


@pytest.fixture
def peers(org):
    la = Peer.objects.create(node_id="test-la", country=org.la, base_url="http://127.0.0.1:9", public_key="x", fingerprint="f")
    kh = Peer.objects.create(node_id="test-kh", country=org.kh, base_url="http://127.0.0.1:9", public_key="y", fingerprint="f")
    return la, kh


def test_health_shows_database_worker_outbox_per_peer_and_quarantine(peers, settings):
    la, _kh = peers
    beat(2)
    old = OutboxEnvelope.objects.create(peer=la, kind="message.released", object_id="1", payload={},
                                        next_attempt_at=timezone.now(), state=DeliveryState.FAILING)
    OutboxEnvelope.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=7200))
    OutboxEnvelope.objects.create(peer=la, kind="message.released", object_id="2", payload={}, next_attempt_at=timezone.now())
    QuarantinedEnvelope.objects.create(reason="bad_signature", body="{}")
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    checks = body["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["worker"]["status"] == "ok" and checks["worker"]["workers_alive"] == 1
    assert checks["outbox:test-la"]["undelivered"] == 2
    assert checks["outbox:test-la"]["oldest_undelivered_seconds"] >= 7200
    assert checks["outbox:test-la"]["status"] == "warning"  # beyond an hour: a warning, not a failure
    assert checks["outbox:test-kh"] == {"status": "ok", "undelivered": 0, "oldest_undelivered_seconds": 0.0}
    assert checks["quarantine"]["count"] == 1
    assert response["Cache-Control"].startswith("max-age=0")


def test_dead_worker_makes_the_node_unhealthy(db, settings):
    settings.WORKER_LEASE_SECONDS = 60
    assert Client().get("/healthz").status_code == 503  # no worker ever
    beat(120)
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["worker"]["status"] == "fail"
    beat(1)
    assert Client().get("/healthz").status_code == 200


def test_health_is_404_to_any_other_address(db, settings):
    beat(1)
    assert Client(REMOTE_ADDR="203.0.113.7").get("/healthz").status_code == 404
    settings.HEALTH_ALLOWED_IPS = [ipaddress.ip_network("10.1.0.0/16")]
    assert Client(REMOTE_ADDR="10.1.2.3").get("/healthz").status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/healthz").status_code == 404


def test_behind_the_proxy_the_forwarded_address_counts(db, settings):
    beat(1)
    settings.BEHIND_TLS_PROXY = True
    # The world reaches the proxy, which connects from loopback and appends the real client.
    assert Client(HTTP_X_FORWARDED_FOR="203.0.113.7").get("/healthz").status_code == 404
    assert Client(HTTP_X_FORWARDED_FOR="203.0.113.7, 127.0.0.1").get("/healthz").status_code == 200


def test_bad_health_address_setting_stops_start_up():
    from borderlink.env import ConfigError, Env

    with pytest.raises(ConfigError, match="BORDERLINK_HEALTH_ALLOWED_IPS"):
        Env({"BORDERLINK_HEALTH_ALLOWED_IPS": "10.0.0.1, monitoring"}).networks("BORDERLINK_HEALTH_ALLOWED_IPS", [])
