"""The node administrator's view of peers, deliveries and quarantine."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from borderlink.core.admin import NodeAdmin
from borderlink.federation.delivery import retry_now
from borderlink.federation.models import InboxTally, OutboxEnvelope, Peer, QuarantinedEnvelope


class ReadOnly(NodeAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Peer)
class PeerAdmin(NodeAdmin):
    list_display = ["node_id", "country", "base_url", "fingerprint", "is_active", "added_at"]
    readonly_fields = ["node_id", "country", "public_key", "fingerprint", "added_at"]
    fields = ["node_id", "country", "base_url", "public_key", "fingerprint", "is_active", "added_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # peers are pinned from their node card: manage.py node_card import


@admin.register(OutboxEnvelope)
class OutboxAdmin(ReadOnly):
    list_display = ["created_at", "peer", "kind", "object_id", "state", "attempts", "next_attempt_at", "delivered_at", "last_error"]
    list_filter = ["state", "peer", "kind"]
    search_fields = ["object_id", "id"]
    actions = ["retry"]

    @admin.action(description=_("Try the selected failing envelopes again now"))
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = sum(retry_now(envelope.pk) for envelope in queryset)
        messages.info(request, _("%(n)d envelopes will be tried again at once.") % {"n": count})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(QuarantinedEnvelope)
class QuarantineAdmin(ReadOnly):
    list_display = ["received_at", "claimed_sender", "kind", "reason", "envelope_id", "detail"]
    list_filter = ["reason", "claimed_sender"]
    search_fields = ["envelope_id", "detail"]


@admin.register(InboxTally)
class InboxTallyAdmin(ReadOnly):
    """Refused posts per day and reason, each peer's accepted bytes, and the limits a peer reached."""

    list_display = ["day", "sender", "reason", "count", "bytes"]
    list_filter = ["reason", "sender"]
