"""Cooperation plans and their items, the agreement's versions and timeline, progress updates; the annual
ministerial conference, delegations and study visits, training exchanges.

A plan is owned by the node of the country that proposed it (`origin_node == ""` there); the partner's node
(and a trilateral plan's third country's) holds a copy under the same id. Both nodes hold every version of the plan's content (`PlanVersion.items`, JSON
checked by `plans.workflow.validate`), and the items in force (`Item`: the last signed version, or the latest
proposal before the first signature). Conferences, visits and training exchanges are recorded by one node and
copied to the other parties' nodes (`plans.records`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PROPOSING, PARTNER, THIRD = "proposing", "partner", "third"
SIDES = [(PROPOSING, _("proposing side")), (PARTNER, _("partner side")), (THIRD, _("third country's side"))]

# The trilateral conference's rotation (joint statement of 29 March 2024, point 8: 2024 Viet Nam, 2025
# Cambodia, then Laos), repeated.
ROTATION = ("VN", "KH", "LA")


class PlanKind(models.TextChoices):
    BILATERAL = "bilateral", _("bilateral")
    TRILATERAL = "trilateral", _("trilateral")


class PlanState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    COUNTERED = "countered", _("counter-proposed")
    SIGNED = "signed", _("signed")


class PlanAction(models.TextChoices):
    PROPOSED = "proposed", _("proposed the plan")
    COMMENT_PROPOSING = "comment_proposing", _("commented")
    COMMENT_PARTNER = "comment_partner", _("commented")
    COUNTERED = "countered", _("counter-proposed")
    REPROPOSED = "reproposed", _("proposed a new version")
    APPROVED_PROPOSING = "approved_proposing", _("approved")
    APPROVED_PARTNER = "approved_partner", _("approved")
    AMEND_PROPOSING = "amend_proposing", _("proposed an amendment")
    AMEND_PARTNER = "amend_partner", _("proposed an amendment")
    PROGRESS_PROPOSING = "progress_proposing", _("reported progress")
    PROGRESS_PARTNER = "progress_partner", _("reported progress")
    # a trilateral plan's third country: a party like the partner (comments, counter-proposals, approval with
    # four eyes, amendments, progress on the items it owns)
    COMMENT_THIRD = "comment_third", _("commented")
    COUNTERED_THIRD = "countered_third", _("counter-proposed")
    APPROVED_THIRD = "approved_third", _("approved")
    AMEND_THIRD = "amend_third", _("proposed an amendment")
    PROGRESS_THIRD = "progress_third", _("reported progress")


class Area(models.TextChoices):
    NATIONAL_SECURITY = "national_security", _("national security")
    DRUGS = "drugs", _("drugs")
    TRAFFICKING = "trafficking", _("trafficking in persons")
    CYBER_FRAUD = "cyber_fraud", _("cyber crime and fraud")
    FUGITIVES = "fugitives", _("fugitives")
    BORDER_PROVINCES = "border_provinces", _("border provinces")
    TRAINING = "training", _("training")
    CONFERENCES = "conferences", _("conferences")


class IndicatorKind(models.TextChoices):
    """What an item is measured by. Every kind but REPORTED is computed from this node's records by
    `plans.indicators`; REPORTED is reported by hand by the side that owns the item, with evidence."""

    VERIFICATION_ON_TIME = "verification_on_time", _("verification requests answered within the deadline (%)")
    REQUESTS_ANSWERED = "requests_answered", _("requests answered")
    LIAISON_MEETINGS = "liaison_meetings", _("liaison meetings held per province pair")
    FUGITIVES_HANDED_OVER = "fugitives_handed_over", _("fugitives handed over")
    VICTIMS_RETURNED = "victims_returned", _("victims returned within N days of identification")
    NOTICES_PUBLISHED = "notices_published", _("notices published")
    HITS_CONFIRMED = "hits_confirmed", _("hits on notices confirmed")
    CUSTODY_NOTIFICATIONS = "custody_notifications", _("custody notifications")
    CASES_OPENED = "cases_opened", _("joint cases opened")
    CASES_CLOSED = "cases_closed", _("joint cases closed with an outcome")
    TRAINING_EXCHANGES = "training_exchanges", _("training exchanges held")
    REPORTED = "reported", _("reported by hand")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class Plan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices, default=PlanKind.BILATERAL)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    proposing_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("proposing unit"))
    partner_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("partner unit"))
    third_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("third country"))
    state = models.CharField(_("state"), max_length=12, choices=PlanState.choices, default=PlanState.PROPOSED,
                             db_index=True)
    current_version = models.ForeignKey("PlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_version = models.ForeignKey("PlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signatories = models.JSONField(_("signatories"), default=list, blank=True)  # [{side, name, title}]
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation plan")
        verbose_name_plural = _("cooperation plans")
        ordering = ["-year", "reference"]

    def __str__(self) -> str:
        return self.reference

    @property
    def sides(self) -> tuple[str, ...]:
        """The parties' sides: the proposing side and the partner, and a trilateral plan's third country."""
        return (PROPOSING, PARTNER, THIRD) if self.third_country_id else (PROPOSING, PARTNER)

    @property
    def countries(self) -> list[str]:
        found = [self.proposing_unit.country_id, self.partner_unit.country_id]
        if self.third_country_id:
            found.append(self.third_country_id)
        return found


class PlanVersion(models.Model):
    """One version of the plan's content: the first proposal, each counter-proposal, each amendment. Versions
    are never changed or removed; an amendment after signing adds a version and keeps the signed one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    side = models.CharField(max_length=10, choices=SIDES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    author_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    items = models.JSONField(default=list)
    at = models.DateTimeField()
    # each side's approval of this version (four eyes on each side), with the signatory it names
    approved_proposing_at = models.DateTimeField(null=True, blank=True)
    approved_partner_at = models.DateTimeField(null=True, blank=True)
    approved_third_at = models.DateTimeField(null=True, blank=True)  # a trilateral plan's third country
    signatories = models.JSONField(default=list, blank=True)  # [{side, name, title, approved_by}]
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number", "at"]


class PlanEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=30, choices=PlanAction.choices)
    side = models.CharField(max_length=10, blank=True)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]


class PlanAttachment(models.Model):
    """Evidence attached to a progress report (checked as message attachments, stored by SHA-256)."""

    event = models.ForeignKey(PlanEvent, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80)


class Item(models.Model):
    """An item in force. Its id stays the same across versions, so progress follows it through amendments."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    activity = models.TextField(_("activity"))
    lead_proposing = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("lead unit (proposing side)"))
    lead_partner = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("lead unit (partner side)"))
    lead_third = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                   verbose_name=_("lead unit (third country)"))
    owner_side = models.CharField(_("reported by"), max_length=10, choices=SIDES)
    indicator = models.CharField(_("indicator"), max_length=30, choices=IndicatorKind.choices)
    parameter = models.PositiveSmallIntegerField(_("days (for returns)"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(_("target as agreed"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    reported_value = models.DecimalField(_("reported value"), max_digits=12, decimal_places=2, null=True, blank=True)
    in_force = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.activity[:80]


class Progress(models.Model):
    """A progress report on an item, by the side that owns it; both nodes hold it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="progress")
    event = models.ForeignKey(PlanEvent, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=10, choices=SIDES)
    at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["item", "at"]


# --- the annual conference, visits, training --------------------------------------------------------------


class Conference(models.Model):
    # the same record on every party's node: the node that records it writes it (`origin_node` ""), the other
    # parties' nodes hold a copy under the same `uid` (`plans.records`)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin_node = models.CharField(max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    host = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("host country"))
    out_of_turn_reason = models.TextField(_("reason for a host out of turn"), blank=True)
    place = models.CharField(_("place"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    statement_text = models.TextField(_("joint statement"), blank=True)
    statement_filename = models.CharField(max_length=200, blank=True)
    statement_content_type = models.CharField(max_length=100, blank=True)
    statement_storage = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ministerial conference")
        verbose_name_plural = _("ministerial conferences")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.place}"


class Delegate(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="delegates")
    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    name = models.CharField(_("name"), max_length=200)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        ordering = ["conference", "country", "id"]


class StatementPoint(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField(_("point"))
    text = models.TextField(_("text"))
    items = models.ManyToManyField(Item, blank=True, related_name="statement_points", verbose_name=_("plan items"))

    class Meta:
        ordering = ["conference", "number"]
        constraints = [models.UniqueConstraint(fields=["conference", "number"], name="plans_point_number_unique")]


class VisitKind(models.TextChoices):
    DELEGATION = "delegation", _("delegation")
    STUDY_VISIT = "study_visit", _("study visit")


class Visit(models.Model):
    # the same record on every party's node: the node that records it writes it (`origin_node` ""), the other
    # parties' nodes hold a copy under the same `uid` (`plans.records`)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin_node = models.CharField(max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    from_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("visiting country"))
    to_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("host country"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    purpose = models.TextField(_("purpose"))
    report = models.TextField(_("report"), blank=True)
    members = models.JSONField(_("members"), default=list)  # [{name, rank, role}]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delegation or study visit")
        verbose_name_plural = _("delegations and study visits")
        ordering = ["-starts_on"]


class Training(models.Model):
    # the same record on every party's node: the node that records it writes it (`origin_node` ""), the other
    # parties' nodes hold a copy under the same `uid` (`plans.records`)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin_node = models.CharField(max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    host = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("hosting side"))
    courses = models.JSONField(_("courses"), default=list)  # [course title]
    participants = models.JSONField(_("participants per country"), default=dict)  # {country code: count}
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training exchange")
        verbose_name_plural = _("training exchanges")
        ordering = ["-starts_on"]
