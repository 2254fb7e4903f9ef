"""Shared pieces of the joint-case tests on one node (all three countries hosted here)."""

from __future__ import annotations

from borderlink.cases import items, services
from borderlink.cases.items import EntityInput


def open_case(author, supervisor, units, accept_by=(), title="Online fraud ring Bavet–Tây Ninh"):
    """A case proposed by `author`, approved by `supervisor`, and accepted by each user in `accept_by`."""
    case = services.create_case(author, services.CaseInput(title=title, offence="fraud", legal_basis="Plan 2026, art. 4",
                                                           units=[u.pk for u in units], summary="Calls from Bavet to victims."))
    services.propose_case(author, case.pk)
    services.approve_case(supervisor, case.pk)
    for user in accept_by:
        invitation = case.participants.get(unit_id=user.unit_id)
        services.answer_invitation(user, invitation.pk, True)
    case.refresh_from_db()
    return case


def phone(user, case, number, shared=True):
    return items.add_entity(user, case.pk, EntityInput(kind="phone", value=number, shared=shared))
