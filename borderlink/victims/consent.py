"""Consent per purpose, checked where it matters: when an envelope about the victim is written, when a
return is planned or carried out, and when a referral is made (DESIGN.md safeguard 10).

The latest decision for a purpose counts (for a named organisation, the latest for that organisation). A
supervisor's override is a decision with a legal ground and a written reason. This follows Primero's consent
checks, except that the check runs when the envelope is written, not when data is exported.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderlink.victims.models import Action, Consent, Purpose, VictimCase


def current(case: VictimCase, purpose: str, organisation: str = "") -> Consent | None:
    """The decision that counts for `purpose` (and `organisation`, compared case-insensitively), or None."""
    rows = Consent.objects.filter(case=case, purpose=purpose).order_by("-at", "-id")
    if purpose == Purpose.SHARE_ORGANISATION:
        wanted = organisation.strip().casefold()
        return next((c for c in rows if c.organisation.strip().casefold() == wanted), None) if wanted else None
    return rows.first()


def decisions(case: VictimCase) -> tuple[dict[str, Consent], list[Consent]]:
    """Every decision of the case in one query, for its page: ({purpose: the decision that counts, as `current`
    gives it}, the decisions for named organisations in the order they were recorded). Purposes never decided
    are absent from the first."""
    latest: dict[str, Consent] = {}
    organisations: list[Consent] = []
    for decision in Consent.objects.filter(case=case).order_by("at", "id"):
        if decision.purpose == Purpose.SHARE_ORGANISATION:
            organisations.append(decision)
        else:
            latest[decision.purpose] = decision  # the last in (at, id) order is `current`'s first in (-at, -id)
    return latest, organisations


def given(case: VictimCase, purpose: str, organisation: str = "") -> bool:
    """True when the latest decision for the purpose gives consent (or is a supervisor's override)."""
    decision = current(case, purpose, organisation)
    return decision is not None and decision.given


def require_sharing(case: VictimCase, action: str = "", data: dict | None = None) -> None:
    """Called whenever an envelope about the victim is written on the node that owns the case. Raises
    ValidationError (so the whole step rolls back and nothing is queued) unless the victim consented to
    share data with the home country. Only the news that sharing consent was withdrawn or refused may
    still cross (it carries the purpose and the decision, nothing about the person), and the owner's clock
    reminding of or escalating a deadline (it carries the deadline only) to a node that already holds the case."""
    if case.origin_node:
        return  # the home country's copy: what it sends goes back to the node that already holds the case
    if action in (Action.CONSENT, Action.OVERRIDE) and (data or {}).get("purpose") == Purpose.SHARE_HOME:
        return
    if action in (Action.REMINDER, Action.ESCALATED) and set(data or {}) <= {"deadline"}:
        return
    if not given(case, Purpose.SHARE_HOME):
        raise ValidationError(_("The victim has not consented to share data with the home country: nothing was sent."))
