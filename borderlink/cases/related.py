"""Cases next to requests for assistance, notices and custody records (issue 15, "cross-referencing": the
correlation shows on both objects).

- A request is linked to a case by an officer who may see both (`link_request`, `unlink_request`; this node's
  own record, audited). A request's free-text "identifier to trace" is read as each identifier kind it parses
  as (`identifiers.readings`) and kept in `RequestValue` by the worker (`index_request`, per request, after it
  is saved), so that a case's entities and the requests meet on the index of values, both ways.
- A notice's subject or a custody record's person meets a case through its identity documents (a document
  entity, or a person entity holding the same document number) and through the same-person candidates the
  name engine found for a case's person entities.

Need to know: a user is shown a case only if their unit takes part in it, and of it only the items they may
see (`access.visible_entities`: shared items and their own country's private ones, no victim outside victim
protection); a request only if `assistance.access.visible_requests` lets them. Nothing else is shown or
counted. Every list is bounded (LIMIT).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.cases import access, identifiers
from borderlink.cases.models import (
    IDENTIFIER_KINDS,
    Case,
    CaseRequest,
    Entity,
    EntityKind,
    RequestPerson,
    RequestValue,
    SamePerson,
    SamePersonState,
)
from borderlink.core import clock
from borderlink.core.prepared import Prepared

LIMIT = 50


@dataclass(frozen=True)
class CaseMatch:
    """A case the user may see, and why it is shown: "linked" (an officer linked it), "identifier" (the same
    phone, account, plate or wallet), "document" (the same identity document number), "person" (a same-person
    candidate or confirmation). `entity` is the case's entity that matched (None for a link)."""

    case: Case
    reason: str
    entity: Entity | None = None
    state: str = ""


@dataclass(frozen=True)
class RequestMatch:
    """A request the user may see next to a case: "linked", "identifier" with the case's entity that matched, or
    "person" (the name engine matched the person the request names with a person entity: `match_id` and its
    `state`, candidate or confirmed)."""

    request: Any
    reason: str
    entity: Entity | None = None
    link_id: int | None = None
    match_id: int | None = None
    state: str = ""


def _visible_entities(user: Any) -> Any:
    """Entities of every case the user's unit takes part in, as the user may see them."""
    return access.entities_in_visible_cases(user)


def _visible_requests(user: Any) -> Any:
    from borderlink.assistance.access import visible_requests

    return visible_requests(user)


# --- requests ------------------------------------------------------------------------------------------------------


def index_request(request_id: Any) -> int:
    """The worker's step after a request is saved: its identifier's readings replace the request's rows in
    `RequestValue` (a changed identifier drops the old ones). Returns the number of rows kept."""
    from borderlink.assistance.models import Request

    req = Request.objects.select_related("requesting_unit").filter(pk=request_id).first()
    if req is None:
        return 0
    readings = identifiers.readings(req.identifier, req.requesting_unit.country_id)
    with transaction.atomic():
        RequestValue.objects.filter(request=req).exclude(
            pk__in=[row.pk for row in RequestValue.objects.filter(request=req) if (row.kind, row.value) in readings]).delete()
        for kind, value in readings:
            RequestValue.objects.get_or_create(request=req, kind=kind, value=value)
    return len(readings)


def link_request(user: Any, case_id: Any, reference: str, http_request: HttpRequest | None = None,
                 now: datetime.datetime | None = None) -> CaseRequest:
    """Link a request the user may see (given by its reference) to a case their unit takes part in; audited.
    Raises Http404 for a case outside the user's reach, ValidationError on `reference` for a request the user
    may not see, an unknown reference, or one already linked."""
    case = access.get_case_for_user(user, case_id, http_request)
    if access.side_of(user, case) is None:
        raise Http404("No access.")
    reference = (reference or "").strip()[:40]
    req = _visible_requests(user).filter(reference=reference).first() if reference else None
    if req is None:
        raise ValidationError({"reference": [_("No request you may see has this reference.")]})
    if CaseRequest.objects.filter(case=case, request=req).exists():
        raise ValidationError({"reference": [_("This request is already linked to the case.")]})
    with transaction.atomic():
        link = CaseRequest.objects.create(case=case, request=req, linked_by=user, linked_at=now or clock.now())
        record(user, "cases.request.linked", object_type="case", object_id=case.pk, data={"request": str(req.pk)},
               request=http_request)
    return link


def unlink_request(user: Any, case_id: Any, link_id: Any, http_request: HttpRequest | None = None) -> None:
    """Undo a link (audited); Http404 for a link the user may not see."""
    case = access.get_case_for_user(user, case_id, http_request)
    if access.side_of(user, case) is None:
        raise Http404("No access.")
    link = CaseRequest.objects.filter(case=case, pk=int(link_id) if str(link_id).isdigit() else -1,
                                      request__in=_visible_requests(user)).first()
    if link is None:
        raise Http404("No such link.")
    with transaction.atomic():
        link.delete()
        record(user, "cases.request.unlinked", object_type="case", object_id=case.pk, data={"request": str(link.request_id)},
               request=http_request)


@dataclass(frozen=True)
class CaseLeads:
    """What a case page's entities could show of requests, outside the visibility rules (a superset of what any
    user is shown; `requests_for_case` and `rejected_request_persons` apply the rules to it): the (kind, value)
    readings of its identifiers that some request holds and that are neither common nor excluded by an
    administrator, whether some request names one of its persons (a candidate not rejected), whether a rejected
    one does."""

    values: frozenset[tuple[str, str]]
    named: bool
    rejected: bool


def case_leads(entities: list[Entity]) -> CaseLeads:
    """The leads of a page's entities (`CaseLeads`) in one statement, each part an indexed probe driven by the page's
    values or persons (never a walk over a value's holders: a value may be held by thousands of requests): what
    five queries asked before (a value held by a request, the common and the excluded values, a request naming a
    person, a rejected one; issue 19)."""
    from django.db import connection

    from borderlink.cases.models import ExcludedValue, IdentifierValue

    pairs = sorted({(e.kind, e.value) for e in entities if e.kind in IDENTIFIER_KINDS and e.value})
    persons = [Entity._meta.pk.get_db_prep_value(e.pk, connection) for e in entities if e.kind == EntityKind.PERSON]
    if not pairs and not persons:
        return CaseLeads(frozenset(), named=False, rejected=False)
    q = connection.ops.quote_name
    value, common, excluded, person = (q(m._meta.db_table) for m in (RequestValue, IdentifierValue, ExcludedValue,
                                                                        RequestPerson))
    parts: list[str] = []
    params: list[Any] = []
    if persons:
        marks = ", ".join(["%s"] * len(persons))
        parts += [f"SELECT 'p', '', '' WHERE EXISTS (SELECT 1 FROM {person} WHERE entity_id IN ({marks}) AND state <> %s)",  # noqa: S608 (quoted table names from the models; values are parameters)
                  f"SELECT 'r', '', '' WHERE EXISTS (SELECT 1 FROM {person} WHERE entity_id IN ({marks}) AND state = %s)"]  # noqa: S608 (as above)
        params += [*persons, SamePersonState.REJECTED, *persons, SamePersonState.REJECTED]
    if pairs:
        rows = ", ".join(["(%s, %s)"] * len(pairs))
        parts.append(
            f"SELECT 'v', k.kind, k.value FROM k WHERE EXISTS (SELECT 1 FROM {value} rv WHERE rv.value = k.value AND rv.kind = k.kind)"  # noqa: S608 (as above)
            f" AND NOT EXISTS (SELECT 1 FROM {common} c WHERE c.value = k.value AND c.kind = k.kind AND c.common)"
            f" AND NOT EXISTS (SELECT 1 FROM {excluded} x WHERE x.value = k.value AND x.kind = k.kind)")
        params = [v for pair in pairs for v in pair] + params
    sql = " UNION ALL ".join(parts)
    if pairs:
        sql = f"WITH k (kind, value) AS (VALUES {rows}) {sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    tags = {row[0] for row in found}
    return CaseLeads(frozenset((kind, v) for tag, kind, v in found if tag == "v"), named="p" in tags, rejected="r" in tags)


# The requests linked to a case, compiled once per process and reader shape (core.prepared; issue 19): the
# requests' rule (`assistance.access.visible_requests`) in the statement, this user's unit bound on every call.
_LINKED: Prepared[CaseRequest] = Prepared(
    "cases.case.linked_requests", CaseRequest,
    lambda reader, case_id: CaseRequest.objects.filter(case_id=case_id, request__in=_visible_requests(reader))
    .select_related("request"),
    args=[Case._meta.pk],
)


def requests_for_case(user: Any, case: Case, entities: list[Entity] | None = None,
                      leads: CaseLeads | None = None) -> list[RequestMatch]:
    """The requests shown on a case: those linked to it, then those whose identifier is one of the case's
    entities the user may see (`entities`, else all of them, bounded). Only requests the user may see.
    `leads`: `case_leads(entities)` when the caller has it (the case page reads it once for this and
    `rejected_request_persons`)."""
    out: list[RequestMatch] = []
    seen: set[Any] = set()
    for link in _LINKED.all(user, case.pk, window=(0, LIMIT)):  # the case's links to requests the user may see
        seen.add(link.request_id)
        out.append(RequestMatch(link.request, "linked", link_id=link.pk))
    if entities is None:
        entities = list(access.visible_entities(user, case).filter(
            (Q(kind__in=IDENTIFIER_KINDS) & ~Q(value="")) | Q(kind=EntityKind.PERSON))[:2000])
    if leads is None:
        leads = case_leads(entities)
    # the values some request holds, neither common nor excluded (one statement outside the rules; most pages find
    # none), and only then which requests holding them the user may see
    keyed = {(e.kind, e.value): e for e in entities if (e.kind, e.value) in leads.values}
    if keyed:
        rows = (RequestValue.objects.filter(value__in=sorted({v for _k, v in keyed}), request__in=_visible_requests(user))
                .exclude(request_id__in=seen).select_related("request").order_by("request_id")[: LIMIT * 4])
        for row in rows:
            entity = keyed.get((row.kind, row.value))
            if entity is not None and row.request_id not in seen and len(out) < LIMIT:
                seen.add(row.request_id)
                out.append(RequestMatch(row.request, "identifier", entity))
    persons = [e.pk for e in entities if e.kind == EntityKind.PERSON]
    # the requests' visibility rules only when a request names one of the persons (an indexed probe first)
    if persons and len(out) < LIMIT and leads.named:
        named = (RequestPerson.objects.filter(entity_id__in=persons, request__in=_visible_requests(user)).exclude(state=SamePersonState.REJECTED)
                 .select_related("request", "entity").order_by("-score", "pk")[:LIMIT])
        for match in named:
            if len(out) < LIMIT:
                out.append(RequestMatch(match.request, "person", match.entity, match_id=match.pk, state=match.state))
    return out


def rejected_request_persons(user: Any, entities: list[Entity], leads: CaseLeads | None = None) -> list[RequestMatch]:
    """The request candidates an investigator rejected for the person entities among `entities` (those of a case
    page), to reopen (`decide_request_person` back to candidate): only requests the user may see, at most LIMIT.
    `entities` must be entities the user may see (`access.visible_entities`); `leads`: `case_leads(entities)` if read."""
    persons = [e.pk for e in entities if e.kind == EntityKind.PERSON]
    # the requests' visibility rules only when there is such a candidate at all (a probe first)
    if not persons or not (leads or case_leads(entities)).rejected:
        return []
    rows = (RequestPerson.objects.filter(entity_id__in=persons, request__in=_visible_requests(user), state=SamePersonState.REJECTED)
            .select_related("request", "entity").order_by("-score", "pk")[:LIMIT])
    return [RequestMatch(m.request, "person", m.entity, match_id=m.pk, state=m.state) for m in rows]


def _request_leads(req: Any) -> tuple[bool, list[tuple[str, str]], bool]:
    """Whether a request could show any case at all, in one indexed query outside the visibility rules (an
    early-out: most requests meet no case): (linked to some case, the request's (kind, value) readings that some
    case's entity holds and that are neither common nor excluded by an administrator, a name engine's candidate
    not rejected). A superset of what any user may be shown; `cases_for_request` applies the rules to it."""
    from django.db import connection

    from borderlink.cases.models import ExcludedValue, IdentifierValue

    q = connection.ops.quote_name
    link, value, entity = (q(m._meta.db_table) for m in (CaseRequest, RequestValue, Entity))
    common, excluded, person = (q(m._meta.db_table) for m in (IdentifierValue, ExcludedValue, RequestPerson))
    sql = (f"SELECT 'l', '', '' WHERE EXISTS (SELECT 1 FROM {link} WHERE request_id = %s)"  # noqa: S608 (quoted table names from the models; values are parameters)
           f" UNION ALL SELECT 'p', '', '' WHERE EXISTS (SELECT 1 FROM {person} WHERE request_id = %s AND state <> %s)"
           f" UNION ALL SELECT 'v', rv.kind, rv.value FROM {value} rv WHERE rv.request_id = %s"
           f" AND EXISTS (SELECT 1 FROM {entity} e WHERE e.value = rv.value AND e.kind = rv.kind)"
           f" AND NOT EXISTS (SELECT 1 FROM {common} c WHERE c.value = rv.value AND c.kind = rv.kind AND c.common)"
           f" AND NOT EXISTS (SELECT 1 FROM {excluded} x WHERE x.value = rv.value AND x.kind = rv.kind)")
    request_id = req._meta.pk.get_db_prep_value(req.pk, connection)  # a UUID, as this database stores it
    with connection.cursor() as cursor:
        cursor.execute(sql, [request_id, request_id, SamePersonState.REJECTED, request_id])
        rows = cursor.fetchall()
    tags = {row[0] for row in rows}
    return "l" in tags, sorted((kind, value) for tag, kind, value in rows if tag == "v"), "p" in tags


def cases_for_request(user: Any, req: Any) -> list[CaseMatch]:
    """The cases shown on a request the user may see: those linked to it, then those holding its identifier in
    an entity the user may see (a value neither common nor excluded), then those whose person entity the name
    engine matched with the person the request names (not rejected); at most LIMIT.

    One query for a request that meets no case (`_request_leads`); otherwise one more for each kind of match
    found, each through the visibility rules (`access.visible_cases`, `access.entities_in_visible_cases`).
    Reads only the columns the page draws: of a case its pk, reference and title; of an entity its pk, kind,
    label, value and case (other fields are loaded on access)."""
    linked, readings, named = _request_leads(req)
    out: list[CaseMatch] = []
    seen: set[Any] = set()
    case_fields = ("case__id", "case__reference", "case__title")
    if linked:
        links = (CaseRequest.objects.filter(request=req, case__in=access.visible_cases(user)).select_related("case")
                 .only("id", "case_id", *case_fields)[:LIMIT])
        for link in links:
            seen.add(link.case_id)
            out.append(CaseMatch(link.case, "linked"))
    if readings:
        query = Q()
        for kind, value in readings:
            query |= Q(kind=kind, value=value)
        entities = (_visible_entities(user).filter(query).exclude(case_id__in=seen).select_related("case")
                    .only("id", "kind", "label", "value", "case_id", *case_fields)[: LIMIT * 2])
        for entity in entities:
            if entity.case_id not in seen and len(out) < LIMIT:
                seen.add(entity.case_id)
                out.append(CaseMatch(entity.case, "identifier", entity))
    if named and len(out) < LIMIT:
        matches = (RequestPerson.objects.filter(request=req, entity__in=_visible_entities(user))
                   .exclude(state=SamePersonState.REJECTED).select_related("entity__case")
                   .only("id", "state", "score", "entity__id", "entity__kind", "entity__label", "entity__value",
                         "entity__case_id", "entity__case__id", "entity__case__reference", "entity__case__title")
                   .order_by("-score", "pk")[:LIMIT])
        for match in matches:
            if len(out) < LIMIT:
                out.append(CaseMatch(match.entity.case, "person", match.entity, match.state))
    return out


def decide_request_person(user: Any, case_id: Any, match_id: Any, state: str, http_request: HttpRequest | None = None) -> RequestPerson:
    """An investigator confirms that a request names the person of a case's person entity, rejects it, or sets it
    back to candidate (reversible); audited. Http404 unless the user may see the case, the entity and the
    request; ValidationError on `state` for anything but the three states."""
    case = access.get_case_for_user(user, case_id, http_request)
    if access.side_of(user, case) is None:
        raise Http404("No access.")
    entities = access.visible_entities(user, case).filter(kind=EntityKind.PERSON)
    match = RequestPerson.objects.filter(pk=int(match_id) if str(match_id).isdigit() else -1, entity__in=entities,
                                         request__in=_visible_requests(user)).first()
    if match is None:
        raise Http404("No such candidate.")
    if state not in SamePersonState.values:
        raise ValidationError({"state": [_("Choose a value from the list.")]})
    with transaction.atomic():
        RequestPerson.objects.filter(pk=match.pk).update(state=state, decided_by=user, decided_at=clock.now())
        record(user, f"cases.request_person.{state}", object_type="case", object_id=case.pk,
               data={"entity": str(match.entity_id), "request": str(match.request_id), "score": round(match.score, 3)},
               request=http_request)
    match.refresh_from_db()
    return match


# --- notices and custody records -------------------------------------------------------------------------------------


def cases_for_person(user: Any, person: Any) -> list[CaseMatch]:
    """The cases shown on a notice (its subject) or a custody record (its person), for a user who may see
    that notice or record: cases holding the person's identity document number (a document entity, or a
    person entity with the same document), and cases whose person entity the name engine matched with this
    person (a candidate, or confirmed; a rejected one is not shown). Only what the user may see of the cases."""
    if person is None:
        return []
    entities = _visible_entities(user)
    out: list[CaseMatch] = []
    seen: set[Any] = set()

    def add(entity: Entity, reason: str, state: str = "") -> None:
        if (entity.case_id, reason) not in seen and len(out) < LIMIT:
            seen.add((entity.case_id, reason))
            out.append(CaseMatch(entity.case, reason, entity, state))

    numbers = sorted(set(person.documents.values_list("number_normalised", flat=True)))[:20]
    if numbers:
        by_document = entities.filter(Q(kind=EntityKind.DOCUMENT, value__in=numbers)
                                      | Q(kind=EntityKind.PERSON, person__documents__number_normalised__in=numbers))
        for entity in by_document.exclude(person=person).select_related("case").distinct()[:LIMIT]:
            add(entity, "document")
    candidates = (SamePerson.objects.filter(person=person, entity__in=entities).exclude(state=SamePersonState.REJECTED)
                  .select_related("entity__case")[:LIMIT])
    for candidate in candidates:
        add(candidate.entity, "person", candidate.state)
    return out
