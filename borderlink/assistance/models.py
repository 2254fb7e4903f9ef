"""Cross-border requests with deadlines, and the handover of fugitives that follows an
accepted arrest-and-handover request.

A request lives on both nodes under the same id: the requesting node holds the
original, the requested node a copy. Every step is a `RequestEvent`, made by
the side whose turn it is and sent to the other side, so both show one
timeline.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from borderlink.core.fields import SafeDateTimeField
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence


class RequestKind(models.TextChoices):
    VERIFY_IDENTITY = "verify_identity", _("verify identity")
    VERIFY_RECORD = "verify_record", _("verify criminal record")
    LOCATE = "locate", _("locate a person")
    TRACE_PHONE = "trace_phone", _("trace a phone number")
    TRACE_BANK = "trace_bank", _("trace a bank account")
    TRACE_VEHICLE = "trace_vehicle", _("trace a vehicle")
    TRACE_WALLET = "trace_wallet", _("trace a crypto wallet")
    OBTAIN_EVIDENCE = "obtain_evidence", _("obtain documents or evidence")
    ARREST_HANDOVER = "arrest_handover", _("arrest and hand over")
    VERIFY_VICTIM_NATIONALITY = "verify_victim_nationality", _("verify the nationality of a victim before return")


# Kinds that trace an identifier: the identifier is required.
TRACE_KINDS = {RequestKind.TRACE_PHONE, RequestKind.TRACE_BANK, RequestKind.TRACE_VEHICLE, RequestKind.TRACE_WALLET}


class Urgency(models.TextChoices):
    URGENT = "urgent", _("urgent")
    NORMAL = "normal", _("normal")


class RequestState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting approval")
    APPROVED = "approved", _("approved")
    SENT = "sent", _("sent")
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    CLARIFICATION = "clarification", _("clarification asked")
    DECLINED = "declined", _("declined")
    PARTLY_ANSWERED = "partly_answered", _("partly answered")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


# States in which the requested side still owes an answer: the deadline runs.
OPEN_STATES = (RequestState.SENT, RequestState.RECEIVED, RequestState.ACCEPTED, RequestState.CLARIFICATION,
               RequestState.PARTLY_ANSWERED)
# States not yet sent: only the requesting unit knows the request.
UNSENT_STATES = (RequestState.DRAFT, RequestState.SUBMITTED, RequestState.APPROVED)


class DeclineReason(models.TextChoices):
    NOT_COMPETENT = "not_competent", _("outside our competence")
    INSUFFICIENT = "insufficient", _("not enough information to act")
    NO_LEGAL_BASIS = "no_legal_basis", _("no legal basis in our law")
    NOT_FOUND = "not_found", _("nothing found in our records")
    NEUTRALITY = "neutrality", _("political, religious, ethnic or military character")
    PROTECTED_PERSON = "protected_person", _("the person is protected (refugee, victim or minor)")
    OTHER = "other", _("other reason")


class Side(models.TextChoices):
    REQUESTING = "requesting", _("requesting side")
    REQUESTED = "requested", _("requested side")
    SYSTEM = "system", _("the system")


class Action(models.TextChoices):
    CREATED = "created", _("drafted")
    SUBMITTED = "submitted", _("submitted for approval")
    RETURNED = "returned", _("returned to the author")
    APPROVED = "approved", _("approved")
    SENT = "sent", _("sent")
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    CLARIFICATION_ASKED = "clarification_asked", _("clarification asked")
    CLARIFICATION_GIVEN = "clarification_given", _("clarification given")
    DECLINED = "declined", _("declined")
    PARTLY_ANSWERED = "partly_answered", _("partly answered")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    REMINDER = "reminder", _("deadline reminder")
    ESCALATED = "escalated", _("overdue: escalated to the supervisors")
    LOCATED = "located", pgettext_lazy("handover step", "located")
    ARRESTED = "arrested", pgettext_lazy("handover step", "arrested")
    HANDOVER_PLANNED = "handover_planned", _("handover planned")
    HANDED_OVER = "handed_over", _("handed over")
    HANDOVER_CLOSED = "handover_closed", _("handover closed")


class Result(models.TextChoices):
    """Structured findings an answer may carry, one per line of the answer."""

    IDENTITY_CONFIRMED = "identity_confirmed", _("identity confirmed")
    IDENTITY_NOT_CONFIRMED = "identity_not_confirmed", _("identity not confirmed")
    RECORD_FOUND = "record_found", _("criminal record found")
    NO_RECORD = "no_record", _("no criminal record")
    LOCATED = "located", pgettext_lazy("finding", "person located")
    NOT_LOCATED = "not_located", _("person not located")
    HOLDER_IDENTIFIED = "holder_identified", _("holder identified")
    NATIONALITY_CONFIRMED = "nationality_confirmed", _("nationality confirmed")
    NATIONALITY_NOT_CONFIRMED = "nationality_not_confirmed", _("nationality not confirmed")
    DOCUMENT_NUMBER = "document_number", _("document number")
    ADDRESS = "address", _("address")
    OTHER = "other", _("other finding")


class DeadlinePolicy(models.Model):
    """Default answer times between a pair of countries; where no row exists the defaults apply."""

    requesting_country = models.ForeignKey("core.Country", on_delete=models.CASCADE, related_name="+",
                                           verbose_name=_("requesting country"))
    requested_country = models.ForeignKey("core.Country", on_delete=models.CASCADE, related_name="+",
                                          verbose_name=_("requested country"))
    urgent_direct_hours = models.PositiveIntegerField(_("urgent, data held directly (hours)"), default=8)
    urgent_hours = models.PositiveIntegerField(_("urgent, otherwise (hours)"), default=72)
    normal_hours = models.PositiveIntegerField(_("normal (hours)"), default=168)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [models.UniqueConstraint(fields=["requesting_country", "requested_country"], name="deadline_policy_pair")]

    def __str__(self) -> str:
        return f"{self.requesting_country_id} → {self.requested_country_id}"


class RequestQuerySet(models.QuerySet):
    """Requests; `update` and `delete` keep the summary (`assistance.summary`) in step, as `Request.save` does."""

    def update(self, **kwargs: Any) -> int:
        from borderlink.assistance import summary

        if not set(kwargs) & {*summary.FIELDS, *(f.removesuffix("_id") for f in summary.FIELDS)}:
            return super().update(**kwargs)
        with transaction.atomic():
            rows = list(self.all().select_for_update().order_by("pk").values("pk", *summary.FIELDS))
            n = super().update(**kwargs)
            after = list(self.model._base_manager.filter(pk__in=[r["pk"] for r in rows]).order_by("pk").values(
                "pk", "answer_hour", *summary.FIELDS))
            for row in after:
                hour = summary.answer_hour(row["sent_at"], row["first_answer_at"])
                if hour != row["answer_hour"]:
                    self.model._base_manager.filter(pk=row["pk"]).update(answer_hour=hour)
            summary.moved([summary.key_of(r) for r in rows], [summary.key_of(r) for r in after])
        return n

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        from borderlink.assistance import summary

        with transaction.atomic():
            rows = list(self.all().select_for_update().order_by("pk").values("pk", *summary.FIELDS))
            out = super().delete()
            summary.moved([summary.key_of(r) for r in rows], [])
        return out

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class Request(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    kind = models.CharField(_("kind"), max_length=30, choices=RequestKind.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    data_held_directly = models.BooleanField(_("the requested side holds the data directly"), default=False)
    offence = models.CharField(_("offence"), max_length=40, choices=Offence.choices)
    subject = models.CharField(_("subject"), max_length=200)
    details = models.TextField(_("details"))
    person_name = models.CharField(_("name of the person concerned"), max_length=200, blank=True)
    identifier = models.CharField(_("identifier to trace"), max_length=200, blank=True,
                                  help_text=_("phone number, bank account, vehicle plate or wallet address"))
    notice = models.ForeignKey("notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="requests",
                               verbose_name=_("wanted notice"))
    # a request to verify a victim's nationality names, from its draft on, the victim case (of the requesting node)
    # it is written for; it leaves only with that victim's consent to share with the home country (victims/consent.py)
    victim_case = models.ForeignKey("victims.VictimCase", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="verification_requests", verbose_name=_("victim case"))
    requesting_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="requests_made",
                                        verbose_name=_("requesting unit"))
    requested_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="requests_received",
                                       verbose_name=_("requested unit"))
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0)
    state = models.CharField(_("state"), max_length=20, choices=RequestState.choices, default=RequestState.DRAFT, db_index=True)
    requested_deadline = SafeDateTimeField(_("answer wanted by"), null=True, blank=True)
    deadline = SafeDateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    neutrality_flags = models.JSONField(default=list, blank=True, editable=False)
    neutrality_justification = models.TextField(_("justification for the neutrality flag"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    first_answer_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # whole hours from sending to the first answer (`summary.answer_hour`), kept by `save`: the dashboard's
    # median reads only the requests of the hour that holds it (issue 19)
    answer_hour = models.IntegerField(null=True, blank=True, editable=False)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requesting_unit", "state"]), models.Index(fields=["requested_unit", "state"]),
            models.Index(fields=["requesting_unit", "answer_hour"], name="request_out_answer_hour",
                         condition=models.Q(answer_hour__isnull=False)),
            models.Index(fields=["requested_unit", "answer_hour"], name="request_in_answer_hour",
                         condition=models.Q(answer_hour__isnull=False)),
            # the dashboard's open requests by deadline, and its overdue count: the open ones alone
            models.Index(fields=["requesting_unit", "deadline"], name="request_out_open_deadline",
                         condition=models.Q(state__in=OPEN_STATES)),
            models.Index(fields=["requested_unit", "deadline"], name="request_in_open_deadline",
                         condition=models.Q(state__in=OPEN_STATES)),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, and move the request between the summary's rows (`assistance.summary`) in the same transaction."""
        from borderlink.assistance import summary

        fields = kwargs.get("update_fields")
        if fields is not None and not {*fields} & {*summary.FIELDS, *(f.removesuffix("_id") for f in summary.FIELDS)}:
            super().save(*args, **kwargs)
            return
        self.answer_hour = summary.answer_hour(self.sent_at, self.first_answer_at)
        if fields is not None:
            kwargs["update_fields"] = {*fields, "answer_hour"}
        with transaction.atomic():
            old = None
            if not self._state.adding:
                old = type(self)._base_manager.select_for_update().filter(pk=self.pk).values(*summary.FIELDS).first()
            super().save(*args, **kwargs)
            summary.moved([summary.key_of(old) if old else None], [summary.key_of_request(self)])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from borderlink.assistance import summary

        with transaction.atomic():
            old = type(self)._base_manager.select_for_update().filter(pk=self.pk).values(*summary.FIELDS).first()
            out = super().delete(*args, **kwargs)
            summary.moved([summary.key_of(old) if old else None], [])
        return out


class RequestCount(models.Model):
    """How many requests of one unit to another were sent in one month (the node's time zone; 0001-01-01: not
    sent), are in one state and one kind class, and were first answered in one whole hour after sending: the
    summary the dashboard's statistics and tab counts add up (`assistance.summary`, issue 19). Kept in the
    transaction of each change to a request; `manage.py request_summary --rebuild` recomputes it."""

    requesting_unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    requested_unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    state = models.CharField(max_length=20, choices=RequestState.choices)
    victim = models.BooleanField()  # to verify a victim's nationality: protection, supervisors and the author
    answered = models.BooleanField()
    answer_hour = models.IntegerField(default=0)  # answered: whole hours from sending to the first answer
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["requesting_unit", "requested_unit", "month", "state", "victim", "answered", "answer_hour"],
            name="request_count_key")]
        indexes = [models.Index(fields=["requested_unit", "month"], name="request_count_in")]


class RequestEvent(models.Model):
    """One step on the shared timeline; the id is the same on both nodes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    at = SafeDateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=40, blank=True)
    side = models.CharField(max_length=12, choices=Side.choices)
    action = models.CharField(max_length=30, choices=Action.choices)
    from_state = models.CharField(max_length=20, choices=RequestState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=RequestState.choices, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)
    # A step from a peer: `at` is when this node received it (its own clock); the time the peer gave is its claim.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def results(self) -> list[dict]:
        return list(self.data.get("results", []))

    @property
    def decline_reason(self) -> str:
        return str(dict(DeclineReason.choices).get(self.data.get("reason", ""), "")) if self.action == Action.DECLINED else ""

    def result_rows(self) -> list[tuple[str, str]]:
        labels = dict(Result.choices)
        return [(str(labels.get(str(r.get("kind", "")), r.get("kind", ""))), r.get("value", "")) for r in self.results]


class RequestAttachment(models.Model):
    event = models.ForeignKey(RequestEvent, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80)


class HandoverState(models.TextChoices):
    LOCATED = "located", pgettext_lazy("handover state", "located")
    ARRESTED = "arrested", pgettext_lazy("handover state", "arrested")
    PLANNED = "planned", _("handover planned")
    HANDED_OVER = "handed_over", _("handed over")
    CLOSED = "closed", pgettext_lazy("handover state", "closed")


class Handover(models.Model):
    """The handover of a fugitive, from an accepted arrest-and-handover request. Located, arrested, planned
    and handed over are recorded by the requested side (which holds the person); closed by the requesting side."""

    request = models.OneToOneField(Request, on_delete=models.CASCADE, primary_key=True, related_name="handover")
    state = models.CharField(_("state"), max_length=12, choices=HandoverState.choices)
    located_at = SafeDateTimeField(_("located at"), null=True, blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    arrested_at = SafeDateTimeField(_("arrested at"), null=True, blank=True)
    held_at = models.CharField(_("where held"), max_length=200, blank=True)
    gate = models.ForeignKey("core.BorderGate", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("border gate"))
    planned_for = SafeDateTimeField(_("handover date and time"), null=True, blank=True)
    escort_requesting_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                               verbose_name=_("escorting unit of the requesting side"))
    escort_requested_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                              verbose_name=_("escorting unit of the requested side"))
    handed_over_at = SafeDateTimeField(_("handed over at"), null=True, blank=True)
    documents = models.TextField(_("documents handed over"), blank=True)
    handed_by = models.CharField(_("officers who handed over"), max_length=300, blank=True)
    received_by = models.CharField(_("officers who received"), max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")


class Alert(models.Model):
    """Something a unit (or its supervisors) must be told: a reminder, an escalation (of a request, or of a victim
    case's deadline), a custody notification."""

    class Kind(models.TextChoices):
        REQUEST_RECEIVED = "request_received", _("a request arrived")
        REMINDER = "reminder", _("deadline near")
        ESCALATED = "escalated", _("request overdue")
        ANSWERED = "answered", _("the requested side replied")
        CUSTODY = "custody", _("a national of your country is in custody")
        VICTIM_ESCALATED = "victim_escalated", _("victim case overdue")

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="alerts")
    supervisors_only = models.BooleanField(default=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "created_at"])]
