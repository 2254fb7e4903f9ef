"""Notices (wanted, missing, unidentified, victim, warning), their life cycle and hits.

Every notice names an offence from a fixed list of ordinary-law crimes
(neutrality, as INTERPOL's Constitution Article 3): there is no category for
political opinion, religion, ethnicity or membership of a lawful group, and
the list is code, not data, so none can be added through the interface.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from borderlink.core.fields import SafeDateTimeField
from borderlink.exchange.models import HandlingCode


class Offence(models.TextChoices):
    DRUG_TRAFFICKING = "drug_trafficking", _("drug trafficking")
    TRAFFICKING_IN_PERSONS = "trafficking_in_persons", _("trafficking in persons")
    MIGRANT_SMUGGLING = "migrant_smuggling", _("migrant smuggling")
    FRAUD = "fraud", _("fraud and online scams")
    CYBERCRIME = "cybercrime", _("cybercrime")
    MONEY_LAUNDERING = "money_laundering", _("money laundering")
    TERRORISM = "terrorism", _("terrorism")
    HOMICIDE = "homicide", _("homicide")
    ROBBERY = "robbery", _("robbery")
    KIDNAPPING = "kidnapping", _("kidnapping")
    SMUGGLING_OF_GOODS = "smuggling_of_goods", _("smuggling of goods")
    WILDLIFE_TRAFFICKING = "wildlife_trafficking", _("wildlife trafficking")
    ARMS_TRAFFICKING = "arms_trafficking", _("arms trafficking")
    COUNTERFEITING = "counterfeiting", _("counterfeiting")
    CORRUPTION = "corruption", _("corruption")
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation", _("child sexual exploitation")
    ASSAULT = "assault", _("serious assault")
    THEFT = "theft", _("theft")
    RAPE = "rape", _("rape and sexual assault")


class NoticeKind(models.TextChoices):
    WANTED_ARREST = "wanted_arrest", _("wanted for arrest and handover")
    WANTED_LOCATE = "wanted_locate", _("wanted to locate (information)")
    MISSING = "missing", _("missing person")
    UNIDENTIFIED = "unidentified", _("unidentified person or body")
    VICTIM = "victim", _("identified trafficking victim")
    WARNING = "warning", _("warning")


WANTED_KINDS = {NoticeKind.WANTED_ARREST, NoticeKind.WANTED_LOCATE}
# Kinds that name no offence: they are about protecting or finding a person.
NO_OFFENCE_KINDS = {NoticeKind.MISSING, NoticeKind.UNIDENTIFIED, NoticeKind.VICTIM}


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    PUBLISHED = "published", _("published")
    SUSPENDED = "suspended", _("suspended")
    CANCELLED = "cancelled", _("cancelled")
    RESOLVED = "resolved", _("resolved")


class Resolution(models.TextChoices):
    LOCATED = "located", _("located")
    ARRESTED = "arrested", _("arrested")
    FOUND = "found", _("found")


class Notice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    subject = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="notices", verbose_name=pgettext_lazy("person a notice is about", "Subject"))
    offence = models.CharField(_("offence"), max_length=40, choices=Offence.choices, blank=True)
    warrant_number = models.CharField(_("warrant or decision number"), max_length=80, blank=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=200, blank=True)
    warrant_date = models.DateField(_("date of the warrant or decision"), null=True, blank=True)
    max_penalty_years = models.PositiveSmallIntegerField(_("maximum penalty (years)"), null=True, blank=True)
    summary = models.TextField(_("summary of facts"))
    issuing_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="notices", verbose_name=_("issuing unit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    version = models.PositiveIntegerField(default=1)
    shared_with = models.ManyToManyField("core.Country", blank=True, related_name="+", verbose_name=_("shared with"))
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0)
    review_date = models.DateField(_("review date"))
    state = models.CharField(_("state"), max_length=12, choices=NoticeState.choices, default=NoticeState.DRAFT, db_index=True)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices, blank=True)
    neutrality_flags = models.JSONField(default=list, blank=True, editable=False)
    neutrality_justification = models.TextField(_("justification for the neutrality flag"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = SafeDateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["issuing_unit", "state"]), models.Index(fields=["state", "review_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_victim_notice(self) -> bool:
        return self.kind == NoticeKind.VICTIM


class NoticeEvent(models.Model):
    """One step of a notice's life: who moved it, from what, to what, and why."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_state = models.CharField(max_length=12, choices=NoticeState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=NoticeState.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class HitState(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class HitRoute(models.TextChoices):
    """Who decides on a hit. A hit on another node's notice stays on this node, with the unit that recorded the
    person, until a person there decides to share it; a protected person matching a missing-person notice of
    another node goes to this node's victim-protection officers and never crosses the border."""

    OWNER = "owner", _("the notice's owner")
    HOLDER = "holder", _("the unit that recorded the person (share or not)")
    PROTECTION = "protection", _("victim protection")


class Hit(models.Model):
    """A recorded person who may be the subject of a published notice; a person decides."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="hits")
    person = models.ForeignKey("persons.Person", on_delete=models.CASCADE, related_name="hits")
    score = models.FloatField()
    matched_name = models.CharField(max_length=200)
    notice_name = models.CharField(max_length=200)
    explanation = models.JSONField(default=dict)
    birth_agrees = models.BooleanField(null=True)
    document_agrees = models.BooleanField(null=True)
    state = models.CharField(max_length=10, choices=HitState.choices, default=HitState.CANDIDATE, db_index=True)
    raised_by_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = SafeDateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    route = models.CharField(max_length=10, choices=HitRoute.choices, default=HitRoute.OWNER, db_index=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hit")
        verbose_name_plural = _("hits")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["notice", "person"], name="hit_unique_pair")]


class DailyRun(models.Model):
    """The last day a daily job ran; claimed with a conditional update so it runs once."""

    job = models.CharField(max_length=60, unique=True)
    last_day = models.DateField(null=True)
