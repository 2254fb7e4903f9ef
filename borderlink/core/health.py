"""``/healthz``: the node's health for load balancers and monitoring.

Built on django-health-check's checks and exceptions (its ``Database`` check, and
checks of our own on its ``HealthCheck`` base). They run in the request's own thread
(django-health-check's view runs them in an executor, which would open a database
connection per check thread on every probe). Shown, as JSON:

- ``database``: a ``SELECT 1``;
- ``worker``: the newest worker heartbeat, and whether it is within the lease
  (``BORDERLINK_WORKER_LEASE_SECONDS``);
- ``outbox:<peer>``: per active peer, the number of undelivered envelopes and the age
  of the oldest (a warning beyond ``BORDERLINK_HEALTH_MAX_OUTBOX_AGE_SECONDS``);
- ``quarantine``: the number of quarantined envelopes.

The answer is 503 when the database or the worker fails (the node cannot do its
work), 200 otherwise; a warning about a peer does not take this node out of a load
balancer. Only the addresses in ``BORDERLINK_HEALTH_ALLOWED_IPS`` (loopback by
default) get an answer; anyone else gets 404, as for any page they may not see.
Behind the TLS proxy (``BORDERLINK_BEHIND_TLS_PROXY``) the client is the address
the proxy appended to ``X-Forwarded-For``.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import HealthCheckException, ServiceUnavailable, ServiceWarning


@dataclasses.dataclass
class WorkerHeartbeatCheck(HealthCheck):
    figures: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)

    def run(self) -> None:
        from borderlink.core.models import WorkerHeartbeat

        newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
        lease = settings.WORKER_LEASE_SECONDS
        cutoff = timezone.now() - datetime.timedelta(seconds=lease)
        self.figures["workers_alive"] = WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).count()
        if newest is None:
            raise ServiceUnavailable("no worker has ever beaten")
        age = max(0.0, (timezone.now() - newest).total_seconds())
        self.figures["last_heartbeat_seconds_ago"] = round(age, 1)
        if age > lease:
            raise ServiceUnavailable(f"no worker heartbeat for {int(age)} s (lease {lease} s)")


@dataclasses.dataclass
class OutboxCheck(HealthCheck):
    peer: str = ""
    figures: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)

    def run(self) -> None:
        from borderlink.federation.models import DeliveryState, OutboxEnvelope

        pending = OutboxEnvelope.objects.filter(peer__node_id=self.peer, state__in=(DeliveryState.QUEUED, DeliveryState.FAILING))
        summary = pending.aggregate(oldest=Min("created_at"))
        self.figures["undelivered"] = pending.count()
        oldest = summary["oldest"]
        age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0
        self.figures["oldest_undelivered_seconds"] = round(age, 1)
        if age > settings.HEALTH_MAX_OUTBOX_AGE_SECONDS:
            raise ServiceWarning(f"an envelope has waited {int(age)} s for delivery")


@dataclasses.dataclass
class QuarantineCheck(HealthCheck):
    figures: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)

    def run(self) -> None:
        from borderlink.federation.models import QuarantinedEnvelope

        self.figures["count"] = QuarantinedEnvelope.objects.count()


def client_address(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_TLS_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def allowed(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in settings.HEALTH_ALLOWED_IPS)


def checks() -> list[tuple[str, HealthCheck, bool]]:
    """(name, check, critical) for this node now: one outbox check per active peer."""
    from borderlink.federation.models import Peer

    found: list[tuple[str, HealthCheck, bool]] = [("database", Database(), True), ("worker", WorkerHeartbeatCheck(), True)]
    for node_id in Peer.objects.filter(is_active=True).order_by("node_id").values_list("node_id", flat=True):
        found.append((f"outbox:{node_id}", OutboxCheck(peer=node_id), False))
    found.append(("quarantine", QuarantineCheck(), False))
    return found


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    if not allowed(request):
        raise Http404
    results: dict[str, dict[str, Any]] = {}
    failing = False
    try:
        found = checks()
    except Exception:
        found = [("database", Database(), True)]
    for name, check, critical in found:
        entry: dict[str, Any] = {"status": "ok"}
        try:
            check.run()  # type: ignore[unused-coroutine]
        except ServiceWarning as exc:
            entry = {"status": "warning", "detail": exc.message}
        except HealthCheckException as exc:
            entry = {"status": "fail", "detail": exc.message}
            failing = failing or critical
        except Exception as exc:
            entry = {"status": "fail", "detail": type(exc).__name__}
            failing = failing or critical
        entry.update(getattr(check, "figures", {}))
        results[name] = entry
    return JsonResponse({"status": "fail" if failing else "ok", "node": settings.NODE_NAME, "checks": results},
                        status=503 if failing else 200)
