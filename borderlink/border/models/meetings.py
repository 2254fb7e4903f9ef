"""Liaison meetings between the police of two facing border provinces.

A meeting is owned by the node of the side that proposed it; the invited side's node holds a copy, and every
step (accept, counter-propose, decline, agenda items, delegations, minutes approved, decisions, action items
and their progress) crosses as an envelope and joins one timeline on both nodes (border/meetings/workflow.py,
on the shared machinery in borderlink/workflow.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.fields import SafeDateTimeField

PROPOSING, INVITED = "proposing", "invited"
SIDES = [(PROPOSING, _("proposing side")), (INVITED, _("invited side"))]


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("regular")
    AD_HOC = "ad_hoc", _("ad hoc")


class MeetingState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    COUNTERED = "countered", _("another date proposed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    HELD = "held", _("held")


class MeetingAction(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    COUNTERED = "countered", _("another date proposed")
    DECLINED = "declined", _("declined")
    COUNTER_ACCEPTED = "counter_accepted", _("the other date accepted")
    REPROPOSED = "reproposed", _("a new date proposed")
    COUNTER_DECLINED = "counter_declined", _("declined")
    AGENDA_PROPOSING = "agenda_proposing", _("agenda item added")
    AGENDA_INVITED = "agenda_invited", _("agenda item added")
    DELEGATION_PROPOSING = "delegation_proposing", _("delegation named")
    DELEGATION_INVITED = "delegation_invited", _("delegation named")
    HELD = "held", _("meeting held")
    MINUTES_PROPOSING = "minutes_proposing", _("minutes approved")
    MINUTES_INVITED = "minutes_invited", _("minutes approved")
    CORRECTION_PROPOSING = "correction_proposing", _("minutes corrected")
    CORRECTION_INVITED = "correction_invited", _("minutes corrected")
    DECISION = "decision", _("decision recorded")
    DECISION_INVITED = "decision_invited", _("decision recorded")
    ACTION_ITEM = "action_item", _("action item recorded")
    ACTION_ITEM_INVITED = "action_item_invited", _("action item recorded")
    PROGRESS_PROPOSING = "progress_proposing", _("action item progress")
    PROGRESS_INVITED = "progress_invited", _("action item progress")
    ACTION_REMINDER = "action_reminder", _("action item overdue: owner reminded")
    ACTION_ESCALATED = "action_escalated", _("action item overdue: escalated to the supervisors")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")


MONTHS_BETWEEN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3}


class MeetingSchedule(models.Model):
    """A pair's regular schedule of liaison meetings, kept by the node of the side that proposes them.

    Meeting n (0, 1, 2, ...) falls `MONTHS_BETWEEN[frequency]` * n months after the first, at the same local
    time; the first is hosted by `first_host`, and the host alternates between the two sides. Each meeting is
    proposed `lead_days` before it (border/schedules.py), as a normal proposal the other side answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pair = models.ForeignKey("border.ProvincePair", on_delete=models.PROTECT, related_name="schedules",
                             verbose_name=_("province pair"))
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("proposing unit"))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    first_starts_at = SafeDateTimeField(_("first meeting"))
    first_host = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("host of the first meeting"))
    place_here = models.CharField(_("place when our side hosts"), max_length=200)
    place_across = models.CharField(_("place when the other side hosts"), max_length=200)
    lead_days = models.PositiveSmallIntegerField(_("proposed this many days before"), default=45)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("meeting schedule")
        verbose_name_plural = _("meeting schedules")
        ordering = ["pair__code"]
        constraints = [models.UniqueConstraint(fields=["pair", "unit"], condition=models.Q(active=True),
                                               name="one_active_schedule_per_pair_and_unit")]

    def __str__(self) -> str:
        return f"{self.pair} ({self.get_frequency_display()})"


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    pair = models.ForeignKey("border.ProvincePair", on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=_("province pair"))
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    state = models.CharField(_("state"), max_length=12, choices=MeetingState.choices, default=MeetingState.PROPOSED,
                             db_index=True)
    proposing_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("proposing unit"))
    invited_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("invited unit"))
    starts_at = SafeDateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    host_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("host"))
    reason = models.TextField(_("reason"), blank=True)
    minutes_final_at = models.DateTimeField(_("minutes final"), null=True, blank=True)
    schedule = models.ForeignKey(MeetingSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
                                 verbose_name=_("schedule"))
    occurrence = models.PositiveIntegerField(null=True, blank=True)
    # a regular meeting proposed by a schedule: its frequency, on both nodes (the schedule stays on its own node)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("liaison meeting")
        verbose_name_plural = _("liaison meetings")
        ordering = ["-starts_at"]
        constraints = [models.UniqueConstraint(fields=["schedule", "occurrence"], name="one_meeting_per_occurrence")]
        # the list's order, read a page at a time (issue 19: every meeting of the unit was joined and sorted per view)
        indexes = [models.Index(fields=["-starts_at", "id"], name="meeting_list"),
                   # a pair's open meetings, soonest first: the agenda offers on an incident's page (`upcoming_for_agenda`)
                   # read them in this order and stop after AGENDA_OFFERS, whatever the pair's held and declined ones
                   models.Index(fields=["pair", "starts_at", "id"], name="meeting_open_pair",
                                condition=models.Q(state__in=["proposed", "countered", "accepted"]))]

    def __str__(self) -> str:
        return self.reference


class MeetingEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=30, choices=MeetingAction.choices)
    side = models.CharField(max_length=10, blank=True)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]


class LinkKind(models.TextChoices):
    INCIDENT = "incident", _("border incident")
    REQUEST = "request", _("request")
    NOTICE = "notice", _("notice")
    CASE = "case", _("joint case")


class AgendaItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    side = models.CharField(max_length=10, choices=SIDES)
    title = models.CharField(_("title"), max_length=300)
    link_kind = models.CharField(_("about"), max_length=10, choices=LinkKind.choices, blank=True)
    link_id = models.CharField(max_length=64, blank=True)
    carried_over = models.BooleanField(_("open item from the last meeting"), default=False)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-carried_over", "added_at", "id"]


class Delegate(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="delegates")
    side = models.CharField(max_length=10, choices=SIDES)
    name = models.CharField(_("name"), max_length=200)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    interpreter = models.BooleanField(_("interpreter"), default=False)

    class Meta:
        ordering = ["side", "interpreter", "id"]


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for a supervisor")
    APPROVED = "approved", _("approved")


class Minutes(models.Model):
    """One side's minutes in its own language. A side's approved version is read-only; a correction after the
    minutes are final is a new version with its reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    side = models.CharField(max_length=10, choices=SIDES)
    version = models.PositiveIntegerField(default=1)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("minutes"))
    state = models.CharField(max_length=10, choices=MinutesState.choices, default=MinutesState.DRAFT)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    author_name = models.CharField(max_length=200, blank=True)
    approved_by_name = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["side", "-version"]
        constraints = [models.UniqueConstraint(fields=["meeting", "side", "version"], name="minutes_one_version")]


class Decision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    side = models.CharField(max_length=10, choices=SIDES, default=PROPOSING)
    outcome = models.TextField(_("outcome statement"))
    review_date = models.DateField(_("review date"))

    class Meta:
        ordering = ["review_date", "id"]
        # the meetings list's "review due" box: the earliest 50 in this order (issue 19)
        indexes = [models.Index(fields=["review_date", "id"], name="decision_review")]


class ActionState(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class ActionItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    side = models.CharField(max_length=10, choices=SIDES, default=PROPOSING)
    text = models.TextField(_("action"))
    owner_side = models.CharField(max_length=10, choices=SIDES)
    owner_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner unit"))
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=12, choices=ActionState.choices, default=ActionState.OPEN)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        # the meetings list's "overdue action items" box: the open items by due date, the earliest 50 (issue 19)
        indexes = [models.Index(fields=["due_date", "id"], name="action_item_open_due",
                                condition=models.Q(state__in=["open", "in_progress"]))]


class ActionNote(models.Model):
    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=ActionState.choices)
    text = models.TextField()
    author_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
