"""Border passes: issued by a border province to its residents, checked at the gates of the other side.

A pass and its holder stay on the issuing node. The gate check asks that node (border/federation.py) and gets a
signed status; only a valid pass brings the holder's name and photo, and nothing else about the holder crosses.
Validity is read on the issuing node's deadline clock (core/clock.py), so drills and tests can move it.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.border import access
from borderlink.border.federation import PHOTO_MAX_BYTES, PassAnswer, ask_issuing_node
from borderlink.border.models import BorderPass, PassStatus, ProvincePair
from borderlink.core import clock
from borderlink.core.models import BorderGate, Country
from borderlink.exchange.attachments import storage_path
from borderlink.federation.node import hosts_country, peer_for_country
from borderlink.persons import access as person_access
from borderlink.persons.models import Person, normalise_document_number
from borderlink.persons.services import PersonInput, create_validated, validate_person

NUMBER_MAX = 40
LONGEST_VALIDITY = datetime.timedelta(days=5 * 366)


class TooManyChecks(Exception):
    """More pass checks by one officer than settings.PASS_CHECK_RATE allows: answered 429 on the page and API."""

    def __init__(self) -> None:
        super().__init__(_("Too many pass checks in a short time. Wait a minute, then check again."))


def _limit_checks(user: Any, http_request: HttpRequest) -> None:
    """Count the officer's check (django-ratelimit, per user, on every node process's cache; rate
    settings.PASS_CHECK_RATE); TooManyChecks past the rate, after auditing the refusal."""
    from django.conf import settings
    from django_ratelimit.core import is_ratelimited

    if is_ratelimited(http_request, group="border-pass-check", key=lambda _group, _request: str(user.pk),
                      rate=settings.PASS_CHECK_RATE, increment=True):
        record(user, "border.pass.check_limited", object_type="border_pass", object_id="-",
               data={"rate": settings.PASS_CHECK_RATE}, request=http_request)
        raise TooManyChecks()


@dataclass
class PassInput:
    number: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    area: str
    gate_ids: list[int] = field(default_factory=list)
    holder_id: str | None = None
    holder: PersonInput | None = None


def pass_gates(user: Any) -> QuerySet[BorderGate]:
    """The gates of the user's province pairs, valid today: those a pass of the province may name, and those
    an officer of the province stands at."""
    today = clock.today()
    pairs = access.user_pairs(user).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today),
                                           Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return BorderGate.objects.valid_on(today).filter(province_pairs__in=pairs).distinct()


def _validate(user: Any, data: PassInput) -> tuple[list[BorderGate], Person | None]:
    errors: dict[str, list[str]] = {}
    number = normalise_document_number(data.number or "")
    if not number or len(data.number or "") > NUMBER_MAX:
        errors.setdefault("number", []).append(_("Give the pass number (at most %(n)d characters).") % {"n": NUMBER_MAX})
    elif BorderPass.objects.filter(number_normalised=number).exists():
        errors.setdefault("number", []).append(_("A pass with this number exists already."))
    if data.valid_from is None:
        errors.setdefault("valid_from", []).append(_("Give the date."))
    if data.valid_to is None:
        errors.setdefault("valid_to", []).append(_("Give the date."))
    if data.valid_from and data.valid_to:
        if data.valid_to < data.valid_from:
            errors.setdefault("valid_to", []).append(_("The end of validity must come after its start."))
        elif data.valid_to - data.valid_from > LONGEST_VALIDITY:
            errors.setdefault("valid_to", []).append(_("A pass is valid for at most five years."))
        elif data.valid_to < clock.today():
            errors.setdefault("valid_to", []).append(_("This cannot be in the past."))
    area = (data.area or "").strip()
    if not area or len(area) > 200:
        errors.setdefault("area", []).append(_("Say where the pass is valid (at most %(n)d characters).") % {"n": 200})
    allowed = {g.pk: g for g in pass_gates(user)}
    gates = []
    for gate_id in data.gate_ids[:30]:
        gate = allowed.get(gate_id) if isinstance(gate_id, int) else None
        if gate is None:
            errors.setdefault("gate_ids", []).append(_("This gate is not on the border of your province."))
        else:
            gates.append(gate)
    if not data.gate_ids:
        errors.setdefault("gate_ids", []).append(_("Choose at least one gate."))
    holder = None
    if data.holder_id:
        try:
            holder = person_access.visible_persons(user).filter(pk=data.holder_id).first()
        except (ValueError, ValidationError):
            holder = None
        if holder is None:
            errors.setdefault("holder_id", []).append(_("Unknown person."))
    elif data.holder is None:
        errors.setdefault("holder_id", []).append(_("Name the holder."))
    else:
        try:
            validate_person(data.holder)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault("holder_name" if key == "names" else f"holder_{key}", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return gates, holder


def issue_pass(user: Any, data: PassInput, http_request: HttpRequest | None = None) -> BorderPass:
    """Record a pass issued by the user's province: its number (unique on this node), holder (an existing person
    of the unit, or a new one through the persons app, with a photo), validity, area and gates. Audited."""
    if not access.may_issue_passes(user):
        raise Http404("No access.")
    gates, holder = _validate(user, data)
    if data.valid_from is None or data.valid_to is None:  # _validate reported it; this narrows the types
        raise ValidationError({"valid_to": [_("Give the date.")]})
    try:
        with transaction.atomic():
            if holder is None:
                if data.holder is None:
                    raise ValidationError({"holder_id": [_("Name the holder.")]})
                holder = create_validated(user, data.holder, http_request)
            item = BorderPass.objects.create(
                number=data.number.strip(), number_normalised=normalise_document_number(data.number),
                issuing_unit_id=user.unit_id, province_id=user.unit.province_id, holder=holder,
                holder_name=holder.primary_name[:200], photo=holder.photos.order_by("-uploaded_at").first(),
                valid_from=data.valid_from, valid_to=data.valid_to, area=data.area.strip(), created_by=user,
            )
            item.gates.set(gates)
            record(user, "border.pass.issued", object_type="border_pass", object_id=item.pk,
                   data={"number": item.number, "valid_to": str(item.valid_to)}, request=http_request)
    except IntegrityError:  # the same number issued at the same moment by someone else
        raise ValidationError({"number": [_("A pass with this number exists already.")]}) from None
    return item


def revoke_pass(user: Any, pass_id: Any, reason: str, http_request: HttpRequest | None = None) -> BorderPass:
    """Revoke a pass of the user's unit, with the reason; from then on the gate check answers "revoked"."""
    item = access.get_pass_for_user(user, pass_id, http_request)
    reason = (reason or "").strip()
    if not reason or len(reason) > 2000:
        raise ValidationError({"reason": [_("Give the reason (at most %(n)d characters).") % {"n": 2000}]})
    with transaction.atomic():
        if not BorderPass.objects.filter(pk=item.pk, revoked_at__isnull=True).update(revoked_at=clock.now(), revoked_reason=reason):
            raise ValidationError(_("This pass is revoked already."))
        record(user, "border.pass.revoked", object_type="border_pass", object_id=item.pk, data={"reason": reason},
               request=http_request)
    item.refresh_from_db()
    return item


def view_pass(user: Any, pass_id: Any, http_request: HttpRequest | None = None) -> BorderPass:
    item = access.get_pass_for_user(user, pass_id, http_request)
    record(user, "border.pass.viewed", object_type="border_pass", object_id=item.pk, request=http_request)
    return item


def status_of(item: BorderPass | None, gate: BorderGate, today: datetime.date) -> str:
    """The answer for a pass at a gate on a day: revoked before expired before not yet valid before wrong gate."""
    if item is None:
        return PassStatus.UNKNOWN
    if item.revoked_at is not None:
        return PassStatus.REVOKED
    if today > item.valid_to:
        return PassStatus.EXPIRED
    if today < item.valid_from:
        return PassStatus.NOT_YET_VALID
    if not item.gates.filter(pk=gate.pk).exists():
        return PassStatus.WRONG_GATE
    return PassStatus.VALID


def _photo(item: BorderPass) -> tuple[str, str]:
    if item.photo is None:
        return "", ""
    try:
        content = storage_path(item.photo.storage_name).read_bytes()
    except OSError:
        return "", ""
    if len(content) > PHOTO_MAX_BYTES:
        return "", ""
    return item.photo.content_type, base64.b64encode(content).decode("ascii")


def local_answer(number: str, gate: BorderGate, issuing_country: str) -> PassAnswer:
    """What this node answers about a pass its units of `issuing_country` issued: the status, and the holder's
    name and photo when valid."""
    from django.conf import settings

    normalised = normalise_document_number(number)[:NUMBER_MAX]
    found = BorderPass.objects.select_related("photo").filter(number_normalised=normalised,
                                                              issuing_unit__country_id=issuing_country)
    item = found.first() if normalised else None
    status = status_of(item, gate, timezone.localtime(clock.now()).date())
    if status != PassStatus.VALID or item is None:
        return PassAnswer(status, settings.NODE_NAME)
    photo_type, photo = _photo(item)
    return PassAnswer(status, settings.NODE_NAME, holder_name=item.holder_name, photo_type=photo_type, photo_base64=photo)


def check_pass(user: Any, number: str, issuing_country: str, gate_id: Any, http_request: HttpRequest | None = None) -> PassAnswer:
    """Check a pass at a gate where the user serves: ask the node of the issuing country (this node, if it hosts
    that country). Raises ValidationError per field on bad input; the check and its answer are audited.
    A person's check (with `http_request`: the page or the API) counts towards the officer's rate,
    settings.PASS_CHECK_RATE; past it, TooManyChecks (429) and nothing is asked."""
    if not access.may_check_passes(user):
        raise Http404("No access.")
    if http_request is not None:
        _limit_checks(user, http_request)
    errors: dict[str, list[str]] = {}
    number = (number or "").strip()
    if not normalise_document_number(number) or len(number) > NUMBER_MAX:
        errors.setdefault("number", []).append(_("Give the pass number (at most %(n)d characters).") % {"n": NUMBER_MAX})
    mine = user.unit.country_id
    if issuing_country == mine or not Country.objects.filter(code=issuing_country).exists():
        errors.setdefault("country", []).append(_("Choose the country across the border that issued the pass."))
    gate = pass_gates(user).filter(pk=gate_id).first() if str(gate_id).isdigit() else None
    if gate is None:
        errors.setdefault("gate", []).append(_("Choose a gate of your province."))
    elif issuing_country not in (gate.side_a_country_id, gate.side_b_country_id):
        errors.setdefault("gate", []).append(_("This gate is not on the border with that country."))
    if errors:
        raise ValidationError(errors)
    if gate is None:  # reported above; narrows the type
        raise ValidationError({"gate": [_("Choose a gate of your province.")]})
    if hosts_country(issuing_country):
        answer = local_answer(number, gate, issuing_country)
    else:
        peer = peer_for_country(issuing_country)
        if peer is None:  # hosts_country is False only when a peer serves that country
            raise ValidationError({"country": [_("Choose the country across the border that issued the pass.")]})
        answer = ask_issuing_node(peer, user, number, gate)
    record(user, "border.pass.checked", object_type="border_pass", object_id=normalise_document_number(number),
           data={"country": issuing_country, "gate": str(gate), "status": answer.status, "responder": answer.responder},
           request=http_request)
    return answer


def pairs_for_select(user: Any) -> QuerySet[ProvincePair]:
    return access.user_pairs(user).select_related("side_a", "side_b")
