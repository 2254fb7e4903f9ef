"""The joint case's state changes: creating, proposing, approving (four eyes; the invitations leave), answering
an invitation, suspending, resuming, closing; tasks. Steps go through `borderlink.workflow` (the tables are in
`cases/workflow.py`); items are in `cases/items.py`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.cases import access
from borderlink.cases.models import (
    Case,
    CaseAction,
    CaseState,
    Participant,
    ParticipantAction,
    ParticipantState,
    Task,
    TaskAction,
)
from borderlink.cases.workflow import CASE, INVITATION, LEAD, TASK, TEXT_MAX
from borderlink.core import clock
from borderlink.core.models import Unit
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence
from borderlink.notices.neutrality import screen


@dataclass
class CaseInput:
    title: str
    offence: str
    legal_basis: str
    units: list[int] = field(default_factory=list)
    summary: str = ""
    handling_code: str = HandlingCode.H0
    message: str = ""


def _require(user: Any) -> None:
    if not access.may_use_cases(user):
        raise Http404("No access.")


def _errors(user: Any, data: CaseInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def text(key: str, value: str, limit: int, required: bool) -> None:
        value = (value or "").strip()
        if required and not value:
            errors.setdefault(key, []).append(_("This field is required."))
        elif len(value) > limit:
            errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": limit})

    text("title", data.title, 200, True)
    text("legal_basis", data.legal_basis, 300, True)
    text("summary", data.summary, TEXT_MAX, False)
    text("message", data.message, 2000, False)
    if data.offence not in Offence.values:
        errors.setdefault("offence", []).append(_("Choose the offence from the list of ordinary-law crimes."))
    if data.handling_code not in HandlingCode.values:
        errors.setdefault("handling_code", []).append(_("Choose a handling code from the list."))
    unit_errors = _unit_errors(user, None, list(data.units))
    countries = set(Unit.objects.filter(pk__in=data.units).values_list("country_id", flat=True)) | {user.unit.country_id}
    if unit_errors:
        errors.update(unit_errors)
    elif len(countries) < 2:
        errors.setdefault("units", []).append(_("Invite at least one unit of another country: a joint case crosses a border."))
    return errors


def _reference(user: Any, at: datetime.datetime) -> str:
    count = Case.objects.filter(lead_unit_id=user.unit_id, created_at__year=at.year).count() + 1
    return f"{user.unit.code}/JC/{at.year}/{count:04d}"


def create_case(user: Any, data: CaseInput, request: HttpRequest | None = None, now: datetime.datetime | None = None) -> Case:
    """A draft case led by the user's unit, with the units to invite (two or three countries in all).
    Nothing leaves the node until a supervisor approves the proposal. Raises ValidationError by field."""
    _require(user)
    errors = _errors(user, data)
    if errors:
        raise ValidationError(errors)
    at = now or clock.now()
    with transaction.atomic():
        case = Case.objects.create(
            reference=_reference(user, at), title=data.title.strip(), offence=data.offence, legal_basis=data.legal_basis.strip(),
            handling_code=data.handling_code, summary=(data.summary or "").strip(), lead_unit_id=user.unit_id, created_by=user,
            neutrality_flags=screen(data.title, data.summary),
        )
        common = {"case_key": case.pk, "case": case, "lead_unit_id": user.unit_id, "reference": case.reference,
                  "offence": case.offence, "handling_code": case.handling_code}
        Participant.objects.create(unit_id=user.unit_id, state=ParticipantState.LEAD, **common)
        for unit_id in sorted(set(data.units)):
            Participant.objects.create(unit_id=unit_id, state=ParticipantState.INVITED, message=(data.message or "").strip(), **common)
        workflow.add_event(CASE, case, CaseAction.CREATED, LEAD, actor=user, at=at)
        record(user, "cases.case.created", object_type="case", object_id=case.pk,
               data={"units": sorted(set(data.units)), "offence": case.offence}, request=request)
    return case


def view_case(user: Any, case_id: Any, request: HttpRequest | None = None) -> Case:
    """The case for reading (audited); Http404 for anyone whose unit does not take part."""
    _require(user)
    case = access.get_case_for_user(user, case_id, request)
    record(user, "cases.case.viewed", object_type="case", object_id=case.pk, request=request)
    return case


def _lead_case(user: Any, case_id: Any, request: HttpRequest | None) -> Case:
    _require(user)
    case = access.get_case_for_user(user, case_id, request)
    if access.side_of(user, case) != LEAD:
        raise Http404("No access.")
    return case


def propose_case(user: Any, case_id: Any, request: HttpRequest | None = None, now: datetime.datetime | None = None) -> Case:
    """The lead unit proposes its draft for a supervisor's approval (the step stays on this node)."""
    case = _lead_case(user, case_id, request)
    with transaction.atomic():
        workflow.take(CASE, user, case, CaseAction.PROPOSED, http_request=request, now=now)
        Case.objects.filter(pk=case.pk).update(proposed_by=user)
    return Case.objects.get(pk=case.pk)


def return_case(user: Any, case_id: Any, reason: str, request: HttpRequest | None = None,
                now: datetime.datetime | None = None) -> Case:
    """A supervisor returns a proposal to its author with a reason."""
    case = _lead_case(user, case_id, request)
    if not user.has_capability("supervisor"):
        raise Http404("No access.")
    workflow.take(CASE, user, case, CaseAction.RETURNED, workflow.Facts(text=reason), http_request=request, now=now)
    return Case.objects.get(pk=case.pk)


def approve_case(user: Any, case_id: Any, justification: str = "", request: HttpRequest | None = None,
                 now: datetime.datetime | None = None) -> Case:
    """Four eyes: a supervisor of the lead unit who did not propose the case approves it; the invitations leave
    at once, each carrying only the invitation (reference, offence, lead unit, message, handling code).
    Text that suggests a political, religious, ethnic or military purpose needs a written justification."""
    case = _lead_case(user, case_id, request)
    if not user.has_capability("supervisor"):
        raise Http404("No access.")
    if case.state == CaseState.PROPOSED and user.pk in (case.proposed_by_id, case.created_by_id):
        raise ValidationError(_("You cannot approve your own proposal: another supervisor must."))
    justification = (justification or "").strip()
    if case.neutrality_flags and not justification:
        terms = ", ".join(f["term"] for f in case.neutrality_flags)
        raise ValidationError({"justification": [
            _("The text suggests a political, religious, ethnic or military purpose (%(terms)s). Approve only with a written justification.")
            % {"terms": terms}]})
    at = now or clock.now()
    from borderlink.cases.federation import queue_invitation

    with transaction.atomic():
        workflow.take(CASE, user, case, CaseAction.APPROVED, workflow.Facts(text=justification), http_request=request, now=at)
        Case.objects.filter(pk=case.pk).update(approved_by=user, neutrality_justification=justification)
        for participant in Participant.objects.select_for_update().filter(case_key=case.pk, state=ParticipantState.INVITED):
            workflow.record_step(INVITATION, participant, ParticipantAction.INVITED, LEAD,
                                 workflow.Checked(text=participant.message), at, actor=user, http_request=request, send=False)
            queue_invitation(participant)
    return Case.objects.get(pk=case.pk)


MAX_COUNTRIES = 3  # "participating units from two or three countries" (issue 15)


def _unit_errors(user: Any, case: Case | None, unit_ids: list[int]) -> dict[str, list[str]]:
    """Units to invite: active, not the user's own, not already in the case, and with the case at most
    MAX_COUNTRIES countries in all (a declined unit's country no longer counts)."""
    errors: dict[str, list[str]] = {}
    wanted = set(unit_ids)
    units = list(Unit.objects.filter(pk__in=wanted, is_active=True).exclude(pk=user.unit_id))
    countries = {user.unit.country_id}
    if case is not None:
        countries |= set(Participant.objects.filter(case_key=case.pk).exclude(state=ParticipantState.DECLINED)
                         .values_list("unit__country_id", flat=True))
    if not wanted or len(units) != len(wanted - {user.unit_id}) or user.unit_id in wanted:
        errors.setdefault("units", []).append(_("Choose active units other than your own."))
    elif case is not None and Participant.objects.filter(case_key=case.pk, unit_id__in=wanted).exists():
        errors.setdefault("units", []).append(_("A unit you chose is already invited to the case."))
    elif len(countries | {u.country_id for u in units}) > MAX_COUNTRIES:
        errors.setdefault("units", []).append(
            _("A joint case brings together units of at most %(n)d countries.") % {"n": MAX_COUNTRIES})
    return errors


def invite_units(user: Any, case_id: Any, units: list[int], message: str = "", request: HttpRequest | None = None,
                 now: datetime.datetime | None = None) -> list[Participant]:
    """After the approval, the lead unit invites more units (to an approved case that is proposed or open). The
    new invitations wait on this node until another supervisor of the lead unit sends them
    (`send_invitations`): four eyes, as for the case itself. Raises ValidationError by field (units, message),
    Http404 for anyone but the lead unit's officers."""
    case = _lead_case(user, case_id, request)
    errors: dict[str, list[str]] = {}
    if case.approved_at is None or case.state not in (CaseState.PROPOSED, CaseState.OPEN):
        errors.setdefault("__all__", []).append(
            _("Units are invited this way once the case is approved and until it is closed or suspended."))
    for key, messages in _unit_errors(user, case, list(units)).items():
        errors.setdefault(key, []).extend(messages)
    message = (message or "").strip()
    if len(message) > 2000:
        errors.setdefault("message", []).append(_("At most %(n)d characters.") % {"n": 2000})
    if errors:
        raise ValidationError(errors)
    del now  # the invitations' time is their sending's (`send_invitations`)
    with transaction.atomic():
        added = [Participant.objects.create(
            case_key=case.pk, case=case, unit_id=unit_id, lead_unit_id=case.lead_unit_id, reference=case.reference,
            offence=case.offence, handling_code=case.handling_code, message=message, state=ParticipantState.INVITED,
            invited_by=user) for unit_id in sorted(set(units))]
        record(user, "cases.invitations.added", object_type="case", object_id=case.pk,
               data={"units": sorted(set(units))}, request=request)
    return added


def waiting_invitations(case: Case) -> Any:
    """Invitations added after the approval that no supervisor has sent yet."""
    if case.approved_at is None:
        return Participant.objects.none()
    return Participant.objects.filter(case_key=case.pk, state=ParticipantState.INVITED).select_related("unit", "invited_by")


def send_invitations(user: Any, case_id: Any, request: HttpRequest | None = None,
                     now: datetime.datetime | None = None) -> list[Participant]:
    """A supervisor of the lead unit sends the invitations waiting since the approval, each to its unit's node
    (`case.invited`: the invitation only, nothing of the case); not those the supervisor added (four eyes)."""
    from borderlink.cases.federation import queue_invitation

    case = _lead_case(user, case_id, request)
    if not user.has_capability("supervisor"):
        raise Http404("No access.")
    at = now or clock.now()
    with transaction.atomic():
        waiting = list(waiting_invitations(case).select_for_update(of=("self",)))
        if not waiting:
            raise ValidationError(_("No invitation is waiting to be sent."))
        mine = [p for p in waiting if p.invited_by_id == user.pk]
        if len(mine) == len(waiting):
            raise ValidationError(_("You cannot approve your own proposal: another supervisor must."))
        if case.state not in (CaseState.PROPOSED, CaseState.OPEN):
            raise ValidationError(_("Units are invited this way once the case is approved and until it is closed or suspended."))
        sent = [p for p in waiting if p.invited_by_id != user.pk]
        for participant in sent:
            workflow.record_step(INVITATION, participant, ParticipantAction.INVITED, LEAD,
                                 workflow.Checked(text=participant.message), at, actor=user, http_request=request, send=False)
            queue_invitation(participant)
        record(user, "cases.invitations.sent", object_type="case", object_id=case.pk,
               data={"units": [p.unit.code for p in sent]}, request=request)
    return sent


def answer_invitation(user: Any, participant_id: Any, accept: bool, text: str = "", request: HttpRequest | None = None,
                      now: datetime.datetime | None = None) -> Participant:
    """The invited unit accepts or declines (a decline gives its reason). The answer goes to the lead's node,
    which then opens the case (on the first acceptance) and sends it to the accepting country's node."""
    _require(user)
    participant = access.get_invitation_for_user(user, participant_id, request)
    action = ParticipantAction.ACCEPTED if accept else ParticipantAction.DECLINED
    with transaction.atomic():
        workflow.take(INVITATION, user, participant, action, workflow.Facts(text=text), http_request=request, now=now)
        participant = Participant.objects.select_related("unit", "lead_unit").get(pk=participant.pk)
        if not participant.origin_node:  # the lead's node: act on the answer here
            after_answer(participant, now)
    return participant


def after_answer(participant: Participant, now: datetime.datetime | None = None) -> None:
    """On the lead's node, once a unit answered: open the case at its first acceptance, send the case to the
    accepting country, and tell the other participating countries who takes part now. The caller holds the
    transaction."""
    from borderlink.cases.federation import queue_opened, queue_participants

    if participant.state != ParticipantState.ACCEPTED:
        return
    case = Case.objects.select_for_update().get(pk=participant.case_key)
    at = now or clock.now()
    if case.state == CaseState.PROPOSED:
        workflow.record_step(CASE, case, CaseAction.OPENED, workflow.SYSTEM, workflow.Checked(), at, send=False,
                             audit=("cases.case.opened", {"first": participant.unit.code}))
        case.refresh_from_db()
    country = participant.unit.country_id
    earlier = Participant.objects.filter(case_key=case.pk, state=ParticipantState.ACCEPTED, unit__country_id=country).exclude(
        pk=participant.pk).exists()
    if not earlier:
        queue_opened(case, country)
    queue_participants(case, exclude={country} if not earlier else set())


def _lead_step(user: Any, case_id: Any, action: str, facts: workflow.Facts, request: HttpRequest | None,
               now: datetime.datetime | None) -> Case:
    case = _lead_case(user, case_id, request)
    workflow.take(CASE, user, case, action, facts, http_request=request, now=now)
    return Case.objects.get(pk=case.pk)


def suspend_case(user: Any, case_id: Any, reason: str, request: HttpRequest | None = None,
                 now: datetime.datetime | None = None) -> Case:
    """The lead suspends an open case (with a reason); every participating node hears of it."""
    return _lead_step(user, case_id, CaseAction.SUSPENDED, workflow.Facts(text=reason), request, now)


def resume_case(user: Any, case_id: Any, text: str = "", request: HttpRequest | None = None,
                now: datetime.datetime | None = None) -> Case:
    return _lead_step(user, case_id, CaseAction.RESUMED, workflow.Facts(text=text), request, now)


def close_case(user: Any, case_id: Any, outcome: str, text: str = "", request: HttpRequest | None = None,
               now: datetime.datetime | None = None) -> Case:
    """The lead closes the case with an outcome (arrests, seizures, handovers, referred to prosecution, no
    result); every participating node hears of it."""
    return _lead_step(user, case_id, CaseAction.CLOSED, workflow.Facts(text=text, input=outcome), request, now)


# --- tasks -------------------------------------------------------------------------------------------------------


@dataclass
class TaskInput:
    assigned_unit: int | None
    title: str
    deadline: datetime.datetime | None
    text: str = ""


def add_task(user: Any, case_id: Any, data: TaskInput, request: HttpRequest | None = None,
             now: datetime.datetime | None = None) -> Task:
    """Give a task to a unit taking part in the open case, with a due date in the future; it goes to that
    unit's node, and this node reminds and escalates as the due date nears and passes."""
    _require(user)
    case = access.get_case_for_user(user, case_id, request)
    if access.side_of(user, case) is None:
        raise Http404("No access.")
    at = now or clock.now()
    errors: dict[str, list[str]] = {}
    if case.state != CaseState.OPEN:
        errors.setdefault("__all__", []).append(_("Tasks are given while the case is open."))
    taking_part = Participant.objects.filter(case_key=case.pk, state__in=access.TAKING_PART, unit_id=data.assigned_unit or 0)
    if data.assigned_unit is None or not taking_part.exists():
        errors.setdefault("assigned_unit", []).append(_("Choose a unit taking part in the case."))
    title = (data.title or "").strip()
    if not title or len(title) > 200:
        errors.setdefault("title", []).append(_("This field is required.") if not title else _("At most %(n)d characters.") % {"n": 200})
    if len(data.text or "") > TEXT_MAX:
        errors.setdefault("text", []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX})
    if data.deadline is not None and timezone.is_naive(data.deadline):
        data = replace(data, deadline=timezone.make_aware(data.deadline))  # the node's time, as the form
    if data.deadline is None or data.deadline <= at:
        errors.setdefault("deadline", []).append(_("Give a due date in the future."))
    elif data.deadline > at + datetime.timedelta(days=366):
        errors.setdefault("deadline", []).append(_("Give a due date within a year."))
    if errors or data.deadline is None or data.assigned_unit is None:
        raise ValidationError(errors)
    from borderlink.cases.federation import queue_task

    with transaction.atomic():
        task = Task.objects.create(case=case, assigning_unit_id=user.unit_id, assigned_unit_id=data.assigned_unit, title=title,
                                   text=(data.text or "").strip(), sent_at=at, deadline=data.deadline, created_by=user)
        workflow.add_event(TASK, task, TaskAction.ASSIGNED, access.ASSIGNING, actor=user, at=at)
        record(user, "cases.task.assigned", object_type="case", object_id=case.pk,
               data={"task": str(task.pk), "to": task.assigned_unit.code}, request=request)
        queue_task(task)
    return task


def task_step(user: Any, task_id: Any, action: str, text: str = "", request: HttpRequest | None = None,
              now: datetime.datetime | None = None) -> Task:
    """The assigned unit marks its task done (saying what was done); the assigning unit may cancel it."""
    _require(user)
    task = access.get_task_for_user(user, task_id, request)
    if action not in (TaskAction.DONE, TaskAction.CANCELLED):
        raise Http404("No such step.")
    workflow.take(TASK, user, task, action, workflow.Facts(text=text), http_request=request, now=now)
    return Task.objects.get(pk=task.pk)


def check_task_deadlines(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind of tasks nearing their due date and escalate overdue ones (the worker runs this every minute)."""
    return workflow.check_deadlines(TASK, now)


# --- reading the graph -------------------------------------------------------------------------------------------


def view_graph(user: Any, case_id: Any, focus: str | None = None, request: HttpRequest | None = None) -> tuple[Case, Any]:
    """The case's graph as the user may see it, capped for drawing (audited as a view of the case)."""
    from borderlink.cases import graph

    _require(user)
    case = access.get_case_for_user(user, case_id, request)
    built = graph.build(user, case, focus=(focus or "")[:40] or None)
    record(user, "cases.graph.viewed", object_type="case", object_id=case.pk, data={"shown": len(built.shown)}, request=request)
    return case, built


def export_graph(user: Any, case_id: Any, fmt: str, request: HttpRequest | None = None) -> str:
    """The whole visible graph as GraphML or JSON (audited as an export). Raises Http404 for an unknown format."""
    from borderlink.cases import graph

    _require(user)
    if fmt not in ("graphml", "json"):
        raise Http404("No such format.")
    case = access.get_case_for_user(user, case_id, request)
    built = graph.build(user, case, limit=0)
    record(user, "cases.graph.exported", object_type="case", object_id=case.pk,
           data={"format": fmt, "entities": len(built.nodes), "links": len(built.edges)}, request=request)
    return graph.graphml(built) if fmt == "graphml" else graph.as_json(built)
