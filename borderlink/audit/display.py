"""Audit events as a reader reads them: one sentence each, in the reader's
language, naming who did what to which object; details as labelled values.

The stored event keeps its codes (action, object type and id, data), which the
filters and the export use. Like pretix's log entries, the text is made at
display time for the person reading: an object is named and linked only when
that reader may see it (the same access helpers as the pages), otherwise it is
named by its kind and a short id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderlink.audit.actions import label_for
from borderlink.audit.models import AuditEvent
from borderlink.core.display import month_label

# What each action says, with %(actor)s (a person, or "This node") and %(object)s (an object phrase).
SENTENCES = {
    "accounts.login": gettext_lazy("%(actor)s signed in"),
    "accounts.login_failed": gettext_lazy("A sign-in as %(object)s failed"),
    "accounts.locked": gettext_lazy("The account of %(object)s was locked after repeated failures"),
    "accounts.logout": gettext_lazy("%(actor)s signed out"),
    "accounts.totp_enrolled": gettext_lazy("%(actor)s set up a second factor"),
    "accounts.language_changed": gettext_lazy("%(actor)s changed the interface language"),
    "accounts.token_created": gettext_lazy("%(actor)s created %(object)s"),
    "accounts.token_revoked": gettext_lazy("%(actor)s revoked %(object)s"),
    "exchange.message.created": gettext_lazy("%(actor)s wrote %(object)s"),
    "exchange.message.submitted": gettext_lazy("%(actor)s submitted %(object)s for approval"),
    "exchange.message.approved": gettext_lazy("%(actor)s approved %(object)s"),
    "exchange.message.rejected": gettext_lazy("%(actor)s rejected %(object)s"),
    "exchange.message.released": gettext_lazy("%(actor)s sent %(object)s"),
    "exchange.message.viewed": gettext_lazy("%(actor)s opened %(object)s"),
    "exchange.message.read": gettext_lazy("%(object)s was read"),
    "exchange.message.acknowledged": gettext_lazy("%(actor)s acknowledged %(object)s"),
    "exchange.message.forwarded": gettext_lazy("%(actor)s forwarded %(object)s"),
    "exchange.message.access_denied": gettext_lazy("%(actor)s was refused access to %(object)s"),
    "exchange.message.received": gettext_lazy("%(actor)s received %(object)s from another node"),
    "exchange.message.receipt": gettext_lazy("%(actor)s received a receipt for %(object)s"),
    "exchange.attachment.downloaded": gettext_lazy("%(actor)s downloaded an attachment of %(object)s"),
    "exchange.attachment.access_denied": gettext_lazy("%(actor)s was refused an attachment of %(object)s"),
    "exchange.search": gettext_lazy("%(actor)s searched the messages"),
    "audit.viewed": gettext_lazy("%(actor)s read the audit log"),
    "persons.person.recorded": gettext_lazy("%(actor)s recorded %(object)s"),
    "persons.person.changed": gettext_lazy("%(actor)s changed %(object)s"),
    "persons.person.viewed": gettext_lazy("%(actor)s opened %(object)s"),
    "persons.person.access_denied": gettext_lazy("%(actor)s was refused access to %(object)s"),
    "persons.person.purged": gettext_lazy("%(actor)s removed %(object)s"),
    "notices.notice.created": gettext_lazy("%(actor)s wrote %(object)s"),
    "notices.notice.changed": gettext_lazy("%(actor)s changed %(object)s"),
    "notices.notice.submitted": gettext_lazy("%(actor)s submitted %(object)s for approval"),
    "notices.notice.refused": gettext_lazy("%(actor)s was refused publication of %(object)s"),
    "notices.notice.neutrality_override": gettext_lazy("%(actor)s published %(object)s despite the neutrality flag, with a justification"),
    "notices.notice.published": gettext_lazy("%(actor)s published %(object)s"),
    "notices.notice.suspended": gettext_lazy("%(actor)s suspended %(object)s"),
    "notices.notice.resumed": gettext_lazy("%(actor)s put %(object)s back in force"),
    "notices.notice.cancelled": gettext_lazy("%(actor)s cancelled %(object)s"),
    "notices.notice.resolved": gettext_lazy("%(actor)s resolved %(object)s"),
    "notices.notice.viewed": gettext_lazy("%(actor)s opened %(object)s"),
    "notices.notice.printed": gettext_lazy("%(actor)s printed %(object)s"),
    "notices.notice.access_denied": gettext_lazy("%(actor)s was refused access to %(object)s"),
    "notices.notice.review_overdue": gettext_lazy("%(actor)s suspended %(object)s: its review date had passed"),
    "notices.notice.purged": gettext_lazy("%(actor)s removed %(object)s"),
    "notices.notice.received": gettext_lazy("%(actor)s received %(object)s from another node"),
    "notices.photo.viewed": gettext_lazy("%(actor)s looked at a photo of %(object)s"),
    "notices.search": gettext_lazy("%(actor)s searched the notices"),
    "notices.hit.raised": gettext_lazy("%(actor)s raised %(object)s"),
    "notices.hit.confirmed": gettext_lazy("%(actor)s confirmed %(object)s"),
    "notices.hit.rejected": gettext_lazy("%(actor)s rejected %(object)s"),
    "notices.hit.access_denied": gettext_lazy("%(actor)s was refused access to %(object)s"),
    "assistance.request.created": gettext_lazy("%(actor)s wrote %(object)s"),
    "assistance.request.changed": gettext_lazy("%(actor)s changed %(object)s"),
    "assistance.request.submitted": gettext_lazy("%(actor)s submitted %(object)s for approval"),
    "assistance.request.returned": gettext_lazy("%(actor)s returned %(object)s to its author"),
    "assistance.request.approved": gettext_lazy("%(actor)s approved %(object)s"),
    "assistance.request.neutrality_override": gettext_lazy("%(actor)s approved %(object)s despite the neutrality flag, with a justification"),
    "assistance.request.sent": gettext_lazy("%(actor)s sent %(object)s"),
    "assistance.request.arrived": gettext_lazy("%(object)s arrived from another node"),
    "assistance.request.received": gettext_lazy("%(actor)s registered %(object)s"),
    "assistance.request.accepted": gettext_lazy("%(actor)s accepted %(object)s"),
    "assistance.request.clarification_asked": gettext_lazy("%(actor)s asked for clarification of %(object)s"),
    "assistance.request.clarification_given": gettext_lazy("%(actor)s clarified %(object)s"),
    "assistance.request.declined": gettext_lazy("%(actor)s declined %(object)s"),
    "assistance.request.partly_answered": gettext_lazy("%(actor)s partly answered %(object)s"),
    "assistance.request.answered": gettext_lazy("%(actor)s answered %(object)s"),
    "assistance.request.closed": gettext_lazy("%(actor)s closed %(object)s"),
    "assistance.request.reminder": gettext_lazy("%(actor)s sent a deadline reminder for %(object)s"),
    "assistance.request.escalated": gettext_lazy("%(actor)s escalated %(object)s: it is overdue"),
    "assistance.request.viewed": gettext_lazy("%(actor)s opened %(object)s"),
    "assistance.request.access_denied": gettext_lazy("%(actor)s was refused access to %(object)s"),
    "assistance.request.located": gettext_lazy("%(actor)s recorded that the person of %(object)s was located"),
    "assistance.request.arrested": gettext_lazy("%(actor)s recorded the arrest for %(object)s"),
    "assistance.request.handover_planned": gettext_lazy("%(actor)s planned the handover for %(object)s"),
    "assistance.request.handed_over": gettext_lazy("%(actor)s recorded the handover for %(object)s"),
    "assistance.request.handover_closed": gettext_lazy("%(actor)s closed the handover for %(object)s"),
    "assistance.handover.located": gettext_lazy("%(actor)s recorded that the person of %(object)s was located"),
    "assistance.handover.arrested": gettext_lazy("%(actor)s recorded the arrest for %(object)s"),
    "assistance.handover.handover_planned": gettext_lazy("%(actor)s planned the handover for %(object)s"),
    "assistance.handover.handed_over": gettext_lazy("%(actor)s recorded the handover for %(object)s"),
    "assistance.handover.handover_closed": gettext_lazy("%(actor)s closed the handover for %(object)s"),
    "assistance.attachment.downloaded": gettext_lazy("%(actor)s downloaded an attachment of %(object)s"),
    "assistance.dashboard.viewed": gettext_lazy("%(actor)s opened the requests dashboard"),
    "assistance.list.viewed": gettext_lazy("%(actor)s listed the requests"),
    "custody.record.created": gettext_lazy("%(actor)s recorded %(object)s and notified the person's country"),
    "custody.record.received": gettext_lazy("%(actor)s received %(object)s from another node"),
    "custody.record.viewed": gettext_lazy("%(actor)s opened %(object)s"),
    "custody.record.access_denied": gettext_lazy("%(actor)s was refused access to %(object)s"),
    "custody.record.acknowledged": gettext_lazy("%(actor)s acknowledged %(object)s"),
    "custody.record.consular_access_asked": gettext_lazy("%(actor)s asked for consular access in %(object)s"),
    "custody.record.facts_asked": gettext_lazy("%(actor)s asked for more facts in %(object)s"),
    "custody.record.facts_given": gettext_lazy("%(actor)s gave facts in %(object)s"),
    "custody.record.released": gettext_lazy("%(actor)s recorded the release or transfer in %(object)s"),
    "custody.monthly.viewed": gettext_lazy("%(actor)s read %(object)s"),
    "custody.monthly.exported": gettext_lazy("%(actor)s exported %(object)s"),
    "federation.peer.pinned": gettext_lazy("%(actor)s pinned the key of %(object)s"),
    "federation.envelope.applied": gettext_lazy("%(actor)s applied %(object)s"),
    "federation.envelope.quarantined": gettext_lazy("%(actor)s quarantined %(object)s"),
    "federation.search.sent": gettext_lazy("%(actor)s sent a name search to %(object)s"),
    "federation.search.answered": gettext_lazy("%(actor)s answered a name search from %(object)s"),
    "federation.key.rotated": gettext_lazy("%(actor)s rotated the node's key"),
    "federation.key.previous_destroyed": gettext_lazy("%(actor)s destroyed the node's previous key at the end of its grace period"),
    "federation.peer.key_rotated": gettext_lazy("%(actor)s accepted the new key of %(object)s"),
    "federation.peer.previous_key_expired": gettext_lazy("%(actor)s stopped accepting the previous key of %(object)s"),
    "federation.resend.applied": gettext_lazy("%(actor)s queued again what was delivered to %(object)s since its backup"),
    "audit.checkpoint.witnessed": gettext_lazy("%(actor)s witnessed an audit checkpoint of %(object)s"),
    "audit.checkpoint.contradicted": gettext_lazy("%(actor)s found an audit checkpoint of %(object)s that contradicts an earlier one"),
    "audit.checkpoint.witness_asked": gettext_lazy("%(object)s asked for the audit checkpoints this node witnessed"),
    "core.backup.made": gettext_lazy("%(actor)s made a backup of the node"),
    "core.backup.restored": gettext_lazy("%(actor)s restored the node from a backup"),
    "core.task.requeued": gettext_lazy("%(actor)s put a stopped worker's task back in the queue"),
}

# Labels of the keys events carry in their details.
DETAIL_LABELS = {
    "kind": gettext_lazy("Kind"), "to": gettext_lazy("To"), "from": gettext_lazy("From"), "from_node": gettext_lazy("From node"),
    "deadline": gettext_lazy("Deadline"), "reason": gettext_lazy("Reason"), "reasons": gettext_lazy("Reasons"),
    "state": gettext_lazy("State"), "results": gettext_lazy("Results"), "person": gettext_lazy("Person"),
    "notice": gettext_lazy("Notice"), "flags": gettext_lazy("Flags"), "unit": gettext_lazy("Unit"),
    "sender": gettext_lazy("Sender"), "score": gettext_lazy("Score"), "rows": gettext_lazy("Rows"),
    "q": gettext_lazy("Name searched"), "justification": gettext_lazy("Justification"), "document": gettext_lazy("Document"),
    "box": gettext_lazy("Box"), "version": gettext_lazy("Version"), "tab": gettext_lazy("Tab"), "step": gettext_lazy("Step"),
    "review_date": gettext_lazy("Review date"), "recipients": gettext_lazy("Recipients"), "read_by": gettext_lazy("Read by"),
    "object": gettext_lazy("Object"), "nationality": gettext_lazy("Nationality"), "name": gettext_lazy("Name"),
    "message": gettext_lazy("Message"), "language": gettext_lazy("Language"), "handover": gettext_lazy("Handover"),
    "fingerprint": gettext_lazy("Fingerprint"), "filename": gettext_lazy("File"), "fields": gettext_lazy("Fields"),
    "direction": gettext_lazy("Direction"), "days": gettext_lazy("Days"), "country": gettext_lazy("Country"),
    "base_url": gettext_lazy("Address"), "attachment": gettext_lazy("Attachment"), "as": gettext_lazy("As"),
    "after": gettext_lazy("After"), "acknowledged_by": gettext_lazy("Acknowledged by"), "text": gettext_lazy("Text"),
    "priority": gettext_lazy("Priority"), "handling_code": gettext_lazy("Handling code"), "actor": gettext_lazy("User"),
    "action": gettext_lazy("Action"), "object_id": gettext_lazy("Object id"), "date_from": gettext_lazy("From date"),
    "date_to": gettext_lazy("To date"), "month": gettext_lazy("Month"),
}

# Field names that events list ("fields": ["read_at", ...]), as readers know them.
FIELD_LABELS = {
    "read_at": gettext_lazy("time read"), "read_by_name": gettext_lazy("read by"),
    "acknowledged_at": gettext_lazy("time acknowledged"), "acknowledged_by_name": gettext_lazy("acknowledged by"),
    "delivered_at": gettext_lazy("time delivered"), "state": gettext_lazy("state"),
}


@dataclass
class EventView:
    """One event for one reader: the stored event, its sentence (safe HTML, links included) and its details."""

    event: AuditEvent
    sentence: SafeString
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Named:
    text: str
    url: str = ""


def describe(events: Iterable[AuditEvent], reader: Any) -> list[EventView]:
    """The events as `reader` reads them, in the active language. Reads the people, units and objects
    the events name with one query per kind of thing (not per event); names and links only what the
    reader may see."""
    events = list(events)
    names = _Names(events, reader)
    views = []
    for event in events:
        actor = names.actor(event)
        target = names.target(event)
        phrase = SENTENCES.get(event.action)
        obj = format_html('<a href="{}">{}</a>', target.url, target.text) if target.url else format_html("{}", target.text)
        if phrase is None:
            sentence = format_html("{}: {} {}", actor, label_for(event.action), obj)
        else:
            sentence = format_html(str(phrase).replace("%(actor)s", "{actor}").replace("%(object)s", "{object}"),
                                   actor=actor, object=obj)
        views.append(EventView(event, sentence, names.details(event)))
    return views


class _Names:
    """Everything the events refer to, read in one batch for the reader."""

    def __init__(self, events: list[AuditEvent], reader: Any) -> None:
        from borderlink.accounts.models import User
        from borderlink.core.models import Unit

        self.reader = reader
        ids_by_type: dict[str, set[str]] = {}
        unit_codes: set[str] = set()
        for e in events:
            if e.object_type and e.object_id:
                ids_by_type.setdefault(e.object_type, set()).add(e.object_id)
            for key in ("to", "from", "unit", "sender", "recipients"):
                value = e.data.get(key) if isinstance(e.data, dict) else None
                unit_codes.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
        actor_ids = {e.actor_id for e in events if e.actor_id} | {
            int(i) for i in ids_by_type.get("user", set()) if i.isdigit()}
        self.users = {u.pk: u for u in User.objects.filter(pk__in=actor_ids)}
        self.units = {u.code: u.name for u in Unit.objects.filter(code__in=unit_codes)}
        self.objects = {kind: self._load(kind, ids) for kind, ids in ids_by_type.items()}
        self.kinds, self.states = _kind_labels(), _state_labels()

    def _load(self, kind: str, ids: set[str]) -> dict[str, _Named]:
        """Names and links of the objects of one kind the reader may see (others are left out)."""
        uuids = [i for i in ids if _is_uuid(i)]
        found: dict[str, _Named] = {}
        if kind == "message" and uuids and getattr(self.reader, "can_exchange", False):
            from borderlink.exchange.access import visible_messages

            for m in visible_messages(self.reader).filter(pk__in=uuids).only("id", "subject"):
                found[str(m.pk)] = _Named(_("the message “%(subject)s”") % {"subject": m.subject}, reverse("exchange:detail", args=[m.pk]))
        elif kind == "notice" and uuids and self._may("notices.access", "may_use_notices"):
            from borderlink.notices.access import visible_notices

            for n in visible_notices(self.reader).filter(pk__in=uuids).select_related("subject"):
                found[str(n.pk)] = _Named(_("the notice %(notice)s") % {"notice": n}, reverse("notices:detail", args=[n.pk]))
        elif kind == "request" and uuids and self._may("assistance.access", "may_use_requests"):
            from borderlink.assistance.access import visible_requests

            for r in visible_requests(self.reader).filter(pk__in=uuids).only("id", "reference"):
                found[str(r.pk)] = _Named(_("the request %(reference)s") % {"reference": r.reference}, reverse("assistance:detail", args=[r.pk]))
        elif kind == "custody" and uuids and self._may("custody.access", "may_use_custody"):
            from borderlink.custody.access import visible_records

            for c in visible_records(self.reader).filter(pk__in=uuids).only("id", "reference"):
                found[str(c.pk)] = _Named(_("the custody notification %(reference)s") % {"reference": c.reference},
                                          reverse("custody:detail", args=[c.pk]))
        elif kind == "person" and uuids and self._may("notices.access", "may_use_notices"):
            from borderlink.persons.access import visible_persons
            from borderlink.persons.models import primary_names

            visible = list(visible_persons(self.reader).filter(pk__in=uuids).values_list("pk", flat=True))
            for pk, name in primary_names(visible).items():
                found[str(pk)] = _Named(_("the person %(name)s") % {"name": name}, reverse("persons:detail", args=[pk]))
        elif kind == "user":
            for i in ids:
                user = self.users.get(int(i)) if i.isdigit() else None
                if user is not None:
                    found[i] = _Named(_person_name(user))
        elif kind == "api_token":
            from borderlink.accounts.models import APIToken

            for t in APIToken.objects.filter(pk__in=[i for i in ids if i.isdigit()]).only("id", "name"):
                found[str(t.pk)] = _Named(_("the API token “%(name)s”") % {"name": t.name})
        elif kind == "peer":
            from borderlink.federation.models import Peer

            for p in Peer.objects.filter(node_id__in=ids).select_related("country"):
                found[p.node_id] = _Named(_("the node of %(country)s (%(node)s)") % {"country": p.country.name, "node": p.node_id})
        return found

    def _may(self, module: str, function: str) -> bool:
        import importlib

        return bool(getattr(importlib.import_module(f"borderlink.{module}"), function)(self.reader))

    def actor(self, event: AuditEvent) -> str:
        user = self.users.get(event.actor_id) if event.actor_id else None
        if user is not None:
            return _person_name(user)
        if event.actor_username:
            return event.actor_username
        node = event.data.get("from_node") if isinstance(event.data, dict) else None
        return _("The node %(node)s") % {"node": node} if node else _("This node")

    def target(self, event: AuditEvent) -> _Named:
        if not event.object_type:
            return _Named("")
        named = self.objects.get(event.object_type, {}).get(event.object_id)
        if named is not None:
            return named
        if event.object_type == "custody" and "/" in event.object_id:  # a monthly list: "KH/2026-11"
            code, _slash, month = event.object_id.partition("/")
            from borderlink.core.models import Country

            country = Country.objects.filter(code=code).first()
            return _Named(_("the custody list with %(country)s for %(month)s") % {
                "country": country.name if country else code, "month": month_label(month)})
        noun = OBJECT_NOUNS.get(event.object_type)
        short = event.object_id[:8]
        return _Named(f"{noun} {short}" if noun else f"{event.object_type} {short}")

    def details(self, event: AuditEvent) -> list[tuple[str, str]]:
        if not isinstance(event.data, dict):
            return []
        rows = []
        for key, value in event.data.items():
            if value in ("", None, [], {}):
                continue
            rows.append((str(DETAIL_LABELS.get(key, key)), self._value(key, value)))
        return rows

    def _value(self, key: str, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(self._value(key, v) for v in value)
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        text = str(value)
        if key in ("to", "from", "unit", "sender", "recipients") and text in self.units:
            return f"{self.units[text]} ({text})"
        if key == "fields":
            return str(FIELD_LABELS.get(text, text.replace("_", " ")))
        if key == "kind" and text in self.kinds:
            return str(self.kinds[text])
        if key == "state" and text in self.states:
            return str(self.states[text])
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return text


OBJECT_NOUNS = {
    "message": gettext_lazy("a message"), "notice": gettext_lazy("a notice"), "request": gettext_lazy("a request"),
    "custody": gettext_lazy("a custody notification"), "person": gettext_lazy("a person"), "user": gettext_lazy("a user"),
    "api_token": gettext_lazy("an API token"), "hit": gettext_lazy("a hit"), "attachment": gettext_lazy("an attachment"),
    "envelope": gettext_lazy("an envelope"), "peer": gettext_lazy("a peer node"),
}


def _kind_labels() -> dict[str, Any]:
    from borderlink.assistance.models import RequestKind
    from borderlink.notices.models import NoticeKind

    return {**dict(NoticeKind.choices), **dict(RequestKind.choices)}


def _state_labels() -> dict[str, Any]:
    from borderlink.assistance.models import RequestState
    from borderlink.notices.models import NoticeState

    return {**dict(NoticeState.choices), **dict(RequestState.choices)}


def _person_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
