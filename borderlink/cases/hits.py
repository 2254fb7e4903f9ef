"""Hit or no hit for identifiers across borders (as the name search, in the Prüm model).

The asking node normalises the identifier as it would store it and sends a signed query to each peer
(`federation.search.search_peers`, scope "identifiers"); each peer answers from its own items shared with a
case in which the asking country takes part (never a private item, never another country's item it holds a
copy of), with references only: the case, its reference and lead unit. Both nodes audit the query. From a hit,
one click drafts a request to the lead unit (`draft_request`) or opens a new case's form with that unit invited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from borderlink.cases import access, identifiers
from borderlink.cases.models import IDENTIFIER_KINDS, Entity, EntityKind, Participant
from borderlink.core.models import Unit
from borderlink.federation.registry import SEARCH

# identifier kind -> the request kind that traces it
TRACE: dict[str, str] = {EntityKind.PHONE: "trace_phone", EntityKind.ACCOUNT: "trace_bank", EntityKind.VEHICLE: "trace_vehicle",
         EntityKind.WALLET: "trace_wallet", EntityKind.DOCUMENT: "verify_identity", EntityKind.ONLINE: "obtain_evidence"}


def answer_identifiers(peer: Any, kind: str, value: str, limit: int) -> tuple[str, str, list[dict[str, Any]]]:
    """A peer's query: this node's own shared items with that identifier, in cases the asking country takes
    part in. Returns (kind, value as searched, references)."""
    kind, value = kind[:12], value[:120]
    if kind not in IDENTIFIER_KINDS or not value:
        return kind, value, []
    cases = Participant.objects.filter(unit__country_id=peer.country_id, state__in=access.TAKING_PART).values("case_key")
    found = Entity.objects.filter(kind=kind, value=value, shared=True, owner_country_id=settings.NODE_COUNTRY, origin_node="",
                                  case_id__in=cases).select_related("case", "case__lead_unit").order_by("case_id")
    hits: dict[str, dict[str, Any]] = {}
    for entity in found[: limit * 5]:
        hits.setdefault(str(entity.case_id), {"case": str(entity.case_id), "reference": entity.case.reference,
                                              "lead_unit": entity.case.lead_unit.code, "kind": kind})
    return kind, value, list(hits.values())[:limit]


SEARCH["identifiers"] = answer_identifiers


def normalised(user: Any, kind: str, value: str, chain: str = "") -> str:
    """The identifier as nodes store it (a wallet needs its chain); ValidationError by field, in the user's
    language."""
    if kind not in IDENTIFIER_KINDS:
        raise ValidationError({"kind": [_("Choose a value from the list.")]})
    normalisers: dict[str, Any] = {
        EntityKind.PHONE: lambda: identifiers.normalise_phone(value, user.unit.country_id),
        EntityKind.ACCOUNT: lambda: identifiers.normalise_account(value),
        EntityKind.VEHICLE: lambda: identifiers.normalise_plate(value),
        EntityKind.WALLET: lambda: identifiers.normalise_wallet(chain, value),
        EntityKind.ONLINE: lambda: identifiers.normalise_handle(value),
        EntityKind.DOCUMENT: lambda: identifiers.normalise_document(value),
    }
    try:
        return str(normalisers[kind]())
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None


def search(user: Any, kind: str, value: str, chain: str = "") -> tuple[str, list[Any]]:
    """Ask every peer whether it holds the identifier in items shared with our country; (value, answers)."""
    from borderlink.federation.search import search_peers

    if not access.may_use_cases(user):
        raise Http404("No access.")
    key = normalised(user, kind, value, chain)
    return key, search_peers(user, kind, key, scope="identifiers")


def draft_request(user: Any, lead_unit: str, kind: str, value: str, reference: str, offence: str = "fraud",
                  request: HttpRequest | None = None) -> Any:
    """From a hit: a draft request to the unit that leads the case holding the identifier, to trace it. The
    officer completes and submits it; four eyes as for any request."""
    from borderlink.assistance.services import RequestInput, create_request

    if not access.may_use_cases(user):
        raise Http404("No access.")
    unit = Unit.objects.filter(code=lead_unit[:60]).exclude(country_id=user.unit.country_id).first()
    if unit is None or kind not in TRACE:
        raise Http404("No such unit.")
    key = value[:120]  # as the peer answered it (already normalised)
    return create_request(user, RequestInput(
        kind=TRACE[kind], requested_unit_id=unit.pk, offence=offence, subject=_("Identifier found in your case %(ref)s") % {"ref": reference[:40]},
        details=_("Your node answered a hit for %(value)s in case %(ref)s. Please share what you may about it.") % {
            "value": key, "ref": reference[:40]}, identifier=key), request)


def cases_to_invite_into(user: Any, unit_code: str = "") -> list[Any]:
    """The existing cases a hit's unit may be invited into by this user: approved cases of the user's unit (the
    lead) that are proposed or open, where that unit is not already invited. Bounded."""
    from borderlink.cases.models import Case, CaseState

    if not access.may_use_cases(user):
        return []
    cases = access.visible_cases(user).filter(lead_unit_id=user.unit_id, approved_at__isnull=False,
                                              state__in=(CaseState.PROPOSED, CaseState.OPEN))
    if unit_code:
        cases = cases.exclude(pk__in=Participant.objects.filter(unit__code=unit_code[:60]).values("case_key"))
    return list(Case.objects.filter(pk__in=cases.values("pk")).order_by("-created_at").only("pk", "reference", "title")[:50])


def invite_to_case(user: Any, case_id: Any, lead_unit: str, kind: str, value: str, reference: str,
                   request: HttpRequest | None = None) -> list[Any]:
    """From a hit: invite the unit that leads the other country's case holding the identifier into an existing case
    of the user's unit, through `services.invite_units` (the lead unit only, an approved case, at most three
    countries; the invitation waits for another supervisor to send it: four eyes). Http404 for an unknown unit or
    kind, or a case outside the user's reach; ValidationError by field as `invite_units` says."""
    from borderlink.cases import services

    if not access.may_use_cases(user):
        raise Http404("No access.")
    unit = Unit.objects.filter(code=str(lead_unit)[:60], is_active=True).exclude(country_id=user.unit.country_id).first()
    if unit is None or kind not in IDENTIFIER_KINDS:
        raise Http404("No such unit.")
    message = _("Your node answered a hit for %(value)s in your case %(ref)s. We invite your unit to our joint case.") % {
        "value": str(value)[:120], "ref": str(reference)[:40]}
    return services.invite_units(user, case_id, [unit.pk], message, request)
