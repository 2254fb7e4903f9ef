"""Trafficking victims: identification, consent per purpose, the return home across the border, reception
and follow-up. A victim case is owned by the node of the country where the victim was found (the finding
side); once the victim consents to share with their home country, the home country's node holds a copy under
the same id, with one timeline (`VictimEvent`).

Indicators follow the UNODC "Human trafficking indicators" and the IOM Handbook on Direct Assistance for
Victims of Trafficking (general, labour, sexual exploitation, children); forms of exploitation follow the
ASEAN Convention against Trafficking in Persons (Art. 2) and IOM's Human Trafficking Case Data Standard.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.fields import SafeDateTimeField


class Exploitation(models.TextChoices):
    FORCED_LABOUR = "forced_labour", _("forced labour")
    FORCED_CRIMINALITY = "forced_criminality", _("forced criminality (such as online scams)")
    SEXUAL = "sexual", _("sexual exploitation")
    FORCED_MARRIAGE = "forced_marriage", _("forced marriage")
    OTHER = "other", _("other exploitation")


class Indicator(models.TextChoices):
    """A fixed list based on the UNODC and IOM indicators; it cannot be extended through the UI."""

    DOCUMENTS_WITHHELD = "documents_withheld", _("identity or travel documents withheld by others")
    MOVEMENT_RESTRICTED = "movement_restricted", _("not free to leave the place of work or living")
    DECEPTION = "deception", _("deceived about the nature or conditions of the work")
    DEBT_BONDAGE = "debt_bondage", _("debt bondage or a debt that cannot be paid off")
    WAGES_WITHHELD = "wages_withheld", _("little or no pay, or wages withheld")
    VIOLENCE = "violence", _("physical or sexual violence, or threats of it")
    THREATS_TO_FAMILY = "threats_to_family", _("threats against the person's family")
    ISOLATION = "isolation", _("isolated, no contact with family or others")
    EXCESSIVE_HOURS = "excessive_hours", _("excessive working hours, no days off")
    FORCED_ONLINE_FRAUD = "forced_online_fraud", _("forced to commit online fraud under quotas")
    FEAR_OF_AUTHORITIES = "fear_of_authorities", _("afraid of the authorities, told they are an offender")
    RECRUITMENT_FEE = "recruitment_fee", _("paid recruitment or transport fees to a broker")
    CHILD_UNDER_18 = "child_under_18", _("a child under 18 recruited or transported for exploitation")


class AgeBand(models.TextChoices):
    CHILD = "child", _("child (under 18)")
    ADULT = "adult", _("adult")
    UNKNOWN_MINOR = "unknown_minor", _("age unknown, possibly a minor")
    UNKNOWN_ADULT = "unknown_adult", _("age unknown, apparently an adult")


CHILD_BANDS = (AgeBand.CHILD, AgeBand.UNKNOWN_MINOR)


class Purpose(models.TextChoices):
    SHARE_HOME = "share_home", _("share data with the home country")
    ASSISTANCE = "assistance", _("assistance")
    RETURN = "return", _("return home")
    SHARE_ORGANISATION = "share_organisation", _("share with a named organisation")
    INVESTIGATION = "investigation", _("share the exploitation facts (without identity) with investigators")


class LegalGround(models.TextChoices):
    CHILD_GUARDIAN = "child_guardian", _("a child: the guardian's decision in the child's best interests")
    COURT_ORDER = "court_order", _("a court order")
    LAW_REQUIRES = "law_requires", _("the law requires it (statute named in the reason)")


class CaseState(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    SHARED = "shared", _("shared with the home country")
    VERIFYING = "verifying", _("nationality being verified")
    VERIFIED = "verified", _("nationality confirmed")
    NOT_CONFIRMED = "not_confirmed", _("nationality not confirmed")
    PLANNED = "planned", _("return planned")
    ACCEPTED = "accepted", _("return plan accepted")
    HANDED_OVER = "handed_over", _("handed over at the gate")
    RETURNED = "returned", _("received home")
    CLOSED = "closed", _("closed")


class Action(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    CONSENT = "consent", _("consent recorded")
    CONSENT_HOME = "consent_home", _("consent recorded by the home country")
    OVERRIDE = "override", _("consent overridden by a supervisor")
    SAFEGUARDS = "safeguards", _("guardian and best-interests assessment recorded")
    SHARED = "shared", _("shared with the home country")
    VERIFICATION_ASKED = "verification_asked", _("nationality verification asked")
    NATIONALITY_CONFIRMED = "nationality_confirmed", _("nationality confirmed")
    NATIONALITY_NOT_CONFIRMED = "nationality_not_confirmed", _("nationality not confirmed")
    MORE_NEEDED = "more_needed", _("more information needed for the verification")
    RETURN_PLANNED = "return_planned", _("return planned")
    PLAN_ACCEPTED = "plan_accepted", _("return plan accepted")
    PLAN_DECLINED = "plan_declined", _("return plan declined")
    HANDED_OVER = "handed_over", _("handed over at the gate")
    RECEIVED = "received", _("received at the gate")
    RECEPTION = "reception", _("reception services recorded")
    FOLLOW_UP = "follow_up", _("follow-up contact")
    REFERRAL = "referral", _("referred to an organisation")
    CLOSED = "closed", _("closed")
    CLOSED_HOME = "closed_home", _("closed by the home country")
    REMINDER = "reminder", _("deadline reminder")
    ESCALATED = "escalated", _("overdue: escalated to the supervisors")


class Closure(models.TextChoices):
    REINTEGRATED = "reintegrated", _("returned and reintegrated")
    DECLINED_RETURN = "declined_return", _("declined to return")
    STAYED_LAWFULLY = "stayed_lawfully", _("stayed lawfully")
    LOST_CONTACT = "lost_contact", _("lost contact")
    OTHER = "other", _("other reason")


class Service(models.TextChoices):
    SHELTER = "shelter", _("shelter")
    MEDICAL = "medical", _("medical care")
    FAMILY_TRACING = "family_tracing", _("family tracing")
    REINTEGRATION = "reintegration", _("reintegration support")


class Need(models.TextChoices):
    MEDICAL = "medical", _("medical")
    PSYCHOLOGICAL = "psychological", _("psychological")
    INTERPRETER = "interpreter", _("interpreter")
    GUARDIAN = "guardian", _("a child's guardian")


class VictimCase(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="victim_cases")
    finding_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="victim_cases",
                                     verbose_name=_("finding unit"))
    finding_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("country where found"))
    home_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("home country"))
    exploitation = models.CharField(_("form of exploitation"), max_length=20, choices=Exploitation.choices)
    indicators = models.JSONField(_("indicators"), default=list)
    found_on = models.DateField(_("date found"))
    found_place = models.CharField(_("where found"), max_length=200)
    found_by = models.CharField(_("found by"), max_length=200)
    age_band = models.CharField(_("age band"), max_length=14, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=1)
    state = models.CharField(_("state"), max_length=14, choices=CaseState.choices, default=CaseState.IDENTIFIED,
                             db_index=True)
    guardian = models.CharField(_("guardian"), max_length=200, blank=True)
    best_interests_on = models.DateField(_("best-interests assessment date"), null=True, blank=True)
    best_interests = models.TextField(_("best-interests assessment"), blank=True)
    verification_request = models.UUIDField(_("nationality verification request"), null=True, blank=True)
    verified_on = models.DateField(_("nationality confirmed on"), null=True, blank=True)
    plan = models.JSONField(_("return plan"), default=dict, blank=True)
    gate = models.ForeignKey("core.BorderGate", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("border gate"))
    return_at = models.DateTimeField(_("return date and time"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    returned_on = models.DateField(_("received home on"), null=True, blank=True)
    closure = models.CharField(_("closure reason"), max_length=16, choices=Closure.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    review_on = models.DateField(_("retention review date"), db_index=True)
    # the deadline of the step owed in the current state (victims/deadlines.py), from when it runs, and
    # whether the owner's clock has reminded of it and escalated it
    deadline = SafeDateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    deadline_from = SafeDateTimeField(null=True, blank=True)
    reminded_at = SafeDateTimeField(null=True, blank=True)
    escalated_at = SafeDateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("victim case")
        verbose_name_plural = _("victim cases")
        ordering = ["-found_on", "-created_at"]
        indexes = [models.Index(fields=["finding_country", "home_country", "found_on"]),
                   # the list, a page at a time in this order (issue 19)
                   models.Index(fields=["-found_on", "-created_at", "id"], name="victim_case_list")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_child(self) -> bool:
        return self.age_band in CHILD_BANDS


class Consent(models.Model):
    """One consent decision for one purpose; the latest per purpose (and organisation) counts. An override
    is a consent row given by a supervisor with its legal ground and written reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    given = models.BooleanField(_("given"))
    on = models.DateField(_("date"))
    explained = models.CharField(_("how it was explained"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=60, blank=True)
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    override_ground = models.CharField(_("legal ground"), max_length=20, choices=LegalGround.choices, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    recorded_by = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class VictimEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(VictimCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=40, blank=True)
    side = models.CharField(max_length=10, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    from_state = models.CharField(max_length=14, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=14, choices=CaseState.choices, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]
