"""The border app across nodes.

* `border.incident`: a snapshot of a shared incident, sent by the reporting node to the node across the border
  each time its version changes. Persons named in the incident never leave; the counts, the goods, the outcome
  and whether someone asked for asylum do. The receiving node re-validates every fact as it would local input
  (the pair and gate exist and face each other, dates, counts, choice lists, the non-refoulement rule) and keeps
  a read-only copy.
* The border-pass check (`POST /federation/v1/pass-check`): an officer at a gate asks the issuing node about a
  pass number, signed; that node answers, signed, valid / expired / revoked / unknown (and not yet valid, or
  not valid at this gate), with the holder's name and photo only when valid. Both nodes audit the query. This
  is the hit/no-hit pattern of federation/search.py.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction
from django.utils import timezone
from pydantic import Field

from borderlink.audit.services import record
from borderlink.border.models import (
    REMOVALS,
    BorderIncident,
    IncidentKind,
    Outcome,
    PassStatus,
    ProvincePair,
    SeizedGoods,
    Sharing,
)
from borderlink.core import clock
from borderlink.core.models import BorderGate, Country, Unit
from borderlink.federation import crypto, outbox
from borderlink.federation.delivery import post_json
from borderlink.federation.models import Peer
from borderlink.federation.node import hosts_country, now_iso, private_key
from borderlink.federation.registry import register
from borderlink.federation.schema import Moment, Strict

PHOTO_MAX_BYTES = 512 * 1024


class GateKey(Strict):
    side_a_country: str = Field(max_length=2)
    side_a_name: str = Field(max_length=120)
    side_b_country: str = Field(max_length=2)


class GoodsPayload(Strict):
    goods_type: str = Field(max_length=20)
    quantity: str = Field(max_length=20)
    unit: str = Field(max_length=10)
    description: str = Field(default="", max_length=200)


class IncidentPayload(Strict):
    id: uuid.UUID
    version: int = Field(ge=1, le=1_000_000)
    reference: str = Field(max_length=40)
    reporting_unit: str = Field(max_length=60)
    pair: str = Field(max_length=40)
    gate: GateKey | None = None
    place: str = Field(default="", max_length=200)
    occurred_at: Moment
    kind: str = Field(max_length=30)
    persons_count: int = Field(ge=0, le=10_000)
    children_count: int = Field(ge=0, le=10_000)
    asylum_sought: bool = False
    asylum_country: str | None = Field(default=None, max_length=2)
    description: str = Field(default="", max_length=10_000)
    handling: str = Field(default="", max_length=10_000)
    outcome: str = Field(max_length=20)
    refused_outcome: str = Field(default="", max_length=20)
    goods: list[GoodsPayload] = Field(default_factory=list, max_length=20)


def gate_key(gate: BorderGate) -> dict[str, str]:
    return {"side_a_country": gate.side_a_country_id, "side_a_name": gate.side_a_name, "side_b_country": gate.side_b_country_id}


def find_gate(key: GateKey | dict[str, Any] | None) -> BorderGate | None:
    if key is None:
        return None
    data = key.model_dump() if isinstance(key, GateKey) else key
    try:
        return BorderGate.objects.filter(side_a_country_id=str(data["side_a_country"])[:2], side_a_name=str(data["side_a_name"])[:120],
                                         side_b_country_id=str(data["side_b_country"])[:2]).first()
    except (KeyError, TypeError):
        return None


def snapshot(item: BorderIncident) -> dict[str, Any]:
    return {
        "id": str(item.pk), "version": item.version, "reference": item.reference, "reporting_unit": item.reporting_unit.code,
        "pair": item.pair.code, "gate": gate_key(item.gate) if item.gate else None, "place": item.place,
        "occurred_at": item.occurred_at.isoformat(), "kind": item.kind, "persons_count": item.persons_count,
        "children_count": item.children_count, "asylum_sought": item.asylum_sought, "asylum_country": item.asylum_country_id,
        "description": item.description, "handling": item.handling, "outcome": item.outcome,
        "refused_outcome": item.refused_outcome,
        "goods": [{"goods_type": g.goods_type, "quantity": str(g.quantity), "unit": g.unit, "description": g.description}
                  for g in item.goods.all()],
    }


def queue_snapshot(item: BorderIncident) -> bool:
    """Send the shared incident's current version to the node across the border (none when it is hosted here)."""
    other = item.pair.other_country(item.reporting_unit.country_id)
    if hosts_country(other):
        return False
    return outbox.enqueue(other, "border.incident", item.pk, snapshot(item), version=item.version) is not None


@register("border.incident", IncidentPayload)
def apply_incident(payload: IncidentPayload, peer: Any, envelope: dict[str, Any]) -> None:
    """A shared incident from the node across the border: validate it as local input, keep a read-only copy."""
    from borderlink.border.services import GoodsInput, check_counts, check_gate, check_goods, check_occurred_at, countries_fled
    from borderlink.notices.neutrality import screen

    existing = BorderIncident.objects.select_for_update().filter(pk=payload.id).first()
    if existing is not None:
        if existing.origin_node != peer.node_id:
            raise ValidationError("that incident belongs to another node")
        if payload.version <= existing.version:
            return  # an older or repeated version: nothing to do
    unit = Unit.objects.filter(code=payload.reporting_unit, country_id=peer.country_id).first()
    if unit is None:
        raise ValidationError(f"unknown reporting unit {payload.reporting_unit}")
    pair = ProvincePair.objects.select_related("side_a", "side_b").filter(code=payload.pair).first()
    if pair is None or peer.country_id not in pair.countries:
        raise ValidationError("unknown province pair, or not one of the sender's")
    destination = pair.other_country(peer.country_id)
    if not hosts_country(destination) or destination == peer.country_id:
        raise ValidationError("the pair's other side is not a country this node serves")
    errors: dict[str, list[str]] = {}
    gate = None
    if payload.gate is not None:
        found = find_gate(payload.gate)
        gate = check_gate(pair, found.pk if found else "x", errors)
    check_occurred_at(pair, payload.occurred_at, clock.now() + datetime.timedelta(seconds=settings.FEDERATION_CLOCK_SKEW_SECONDS),
                      errors)
    check_counts(payload.persons_count, payload.children_count, errors)
    goods = check_goods([GoodsInput(g.goods_type, g.quantity, g.unit, g.description) for g in payload.goods], errors)
    if payload.kind not in IncidentKind.values or payload.outcome not in Outcome.values:
        errors.setdefault("kind", []).append("unknown kind or outcome")
    if payload.refused_outcome not in ("", *REMOVALS) or (payload.refused_outcome and payload.outcome != Outcome.REFERRED_PROTECTION):
        errors.setdefault("refused_outcome", []).append("inconsistent refused outcome")
    if payload.asylum_country and not Country.objects.filter(code=payload.asylum_country).exists():
        errors.setdefault("asylum_country", []).append("unknown country")
    if payload.outcome in REMOVALS and destination in countries_fled(payload.asylum_sought, payload.asylum_country, [], destination):
        errors.setdefault("outcome", []).append("non-refoulement: a person who asked for asylum cannot be returned there")
    if payload.kind == IncidentKind.SMUGGLING_SEIZURE and not goods:
        errors.setdefault("goods", []).append("a seizure without goods")
    if errors:
        raise ValidationError(errors)
    fields = {
        "reference": payload.reference, "origin_node": peer.node_id, "version": payload.version, "reporting_unit": unit,
        "pair": pair, "province": pair.province_of(peer.country_id), "gate": gate, "place": payload.place,
        "occurred_at": payload.occurred_at, "kind": payload.kind, "persons_count": payload.persons_count,
        "children_count": payload.children_count, "asylum_sought": payload.asylum_sought,
        "asylum_country_id": (payload.asylum_country or destination) if payload.asylum_sought else None,
        "description": payload.description, "handling": payload.handling, "outcome": payload.outcome,
        "refused_outcome": payload.refused_outcome, "protection_referred": payload.outcome == Outcome.REFERRED_PROTECTION,
        "child_flagged": payload.children_count > 0,
        "neutrality_flags": screen(payload.description, payload.handling, payload.place, *[g[3] for g in goods]),
        "sharing": Sharing.SHARED,
    }
    with transaction.atomic():
        item, _created = BorderIncident.objects.update_or_create(id=payload.id, defaults=fields)
        item.goods.all().delete()
        SeizedGoods.objects.bulk_create([SeizedGoods(incident=item, goods_type=t, quantity=q, unit=u, description=d)
                                         for t, q, u, d in goods])
        record(None, "border.incident.received", object_type="border_incident", object_id=item.pk,
               data={"from_node": peer.node_id, "version": payload.version, "child": item.child_flagged,
                     "protection": item.protection_referred})


# --- the border-pass check ---------------------------------------------------------------------------------------

@dataclass
class PassAnswer:
    status: str  # a PassStatus value, or "unreachable" / "error"
    responder: str = ""
    holder_name: str = ""
    photo_type: str = ""
    photo_base64: str = ""
    detail: str = ""

    @property
    def photo_data_uri(self) -> str:
        return f"data:{self.photo_type};base64,{self.photo_base64}" if self.photo_base64 else ""


def _checked_photo(photo: Any) -> tuple[str, str]:
    """A photo from a peer's answer, only if it decodes, is small and is a PNG or JPEG by content."""
    from borderlink.exchange.attachments import check_file

    if not isinstance(photo, dict):
        return "", ""
    try:
        content = base64.b64decode(str(photo.get("content_base64", ""))[: PHOTO_MAX_BYTES * 2], validate=True)
        if len(content) > PHOTO_MAX_BYTES:
            return "", ""
        checked = check_file("photo." + ("png" if photo.get("content_type") == "image/png" else "jpg"), content)
    except (binascii.Error, ValueError, ValidationError):
        return "", ""
    if checked.content_type not in ("image/png", "image/jpeg"):
        return "", ""
    return checked.content_type, base64.b64encode(checked.content).decode("ascii")


def ask_issuing_node(peer: Peer, user: Any, number: str, gate: BorderGate) -> PassAnswer:
    """Send the signed check to the issuing country's node and verify its signed answer."""
    query = {
        "id": str(uuid.uuid4()), "sender": settings.NODE_NAME, "recipient": peer.node_id, "asking_country": settings.NODE_COUNTRY,
        "asking_user": user.get_username(), "asking_unit": user.unit.code, "number": number[:40], "gate": gate_key(gate),
        "sent_at": now_iso(),
    }
    signed = {"query": query, "signature": crypto.sign(private_key(), query)}
    try:
        status, answer = post_json(f"{peer.base_url}/federation/v1/pass-check", signed, timeout=settings.FEDERATION_TIMEOUT_SECONDS)
    except OSError as exc:  # refused, timed out: the issuing node is unreachable
        return PassAnswer("unreachable", peer.node_id, detail=str(exc)[:200])
    finally:
        close_old_connections()
    content, signature = answer.get("answer"), answer.get("signature")
    if status != 200 or not isinstance(content, dict):
        return PassAnswer("error", peer.node_id, detail=f"HTTP {status}: {str(answer.get('error', ''))[:100]}")
    if not crypto.verify(crypto.unb64(peer.public_key), content, str(signature)) or content.get("query_id") != query["id"]:
        return PassAnswer("error", peer.node_id, detail="the answer's signature does not verify")
    result = str(content.get("status", ""))
    if result not in PassStatus.values:
        return PassAnswer("error", peer.node_id, detail="unknown status")
    if result != PassStatus.VALID:
        return PassAnswer(result, peer.node_id)
    photo_type, photo = _checked_photo(content.get("photo"))
    return PassAnswer(result, peer.node_id, holder_name=str(content.get("holder_name", ""))[:200], photo_type=photo_type,
                      photo_base64=photo)


def answer_check(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A peer's signed pass check: answer, signed, from this node's passes; audited here."""
    from borderlink.border.passes import local_answer

    query, signature = raw.get("query"), raw.get("signature")
    if not isinstance(query, dict) or not isinstance(signature, str):
        return 400, {"error": "malformed"}
    peer = Peer.objects.filter(node_id=str(query.get("sender", ""))[:60], is_active=True).first()
    if peer is None:
        return 403, {"error": "unknown_sender"}
    if not crypto.verify(crypto.unb64(peer.public_key), query, signature) or query.get("recipient") != settings.NODE_NAME:
        return 403, {"error": "bad_signature"}
    try:
        sent_at = datetime.datetime.fromisoformat(str(query.get("sent_at")))
        if abs((timezone.now() - sent_at).total_seconds()) > settings.FEDERATION_CLOCK_SKEW_SECONDS:
            return 400, {"error": "stale"}
    except (ValueError, TypeError):
        return 400, {"error": "malformed"}
    if query.get("asking_country") != peer.country_id:
        return 403, {"error": "wrong_country"}
    gate = find_gate(query.get("gate") if isinstance(query.get("gate"), dict) else None)
    if gate is None or {gate.side_a_country_id, gate.side_b_country_id} != {peer.country_id, settings.NODE_COUNTRY}:
        return 400, {"error": "unknown_gate"}
    number = str(query.get("number", ""))[:40]
    answer = local_answer(number, gate, settings.NODE_COUNTRY)
    record(None, "border.pass.check_answered", object_type="peer", object_id=peer.node_id,
           data={"query": str(query.get("id", ""))[:64], "asking_user": str(query.get("asking_user", ""))[:150],
                 "asking_unit": str(query.get("asking_unit", ""))[:60], "number": number, "gate": str(gate),
                 "status": answer.status})
    body: dict[str, Any] = {"query_id": str(query.get("id", ""))[:64], "responder": settings.NODE_NAME, "number": number,
                            "status": answer.status, "at": now_iso()}
    if answer.status == PassStatus.VALID:
        body["holder_name"] = answer.holder_name
        if answer.photo_base64:
            body["photo"] = {"content_type": answer.photo_type, "content_base64": answer.photo_base64}
    return 200, {"answer": body, "signature": crypto.sign(private_key(), body)}
