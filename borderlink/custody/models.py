"""Foreign nationals in custody: when a unit arrests or detains a national of another member country, that
country's node is told at once; its ministry acknowledges, and may ask for consular access or more facts.
The record lives on both nodes under one id, with one timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.fields import SafeDateTimeField
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence


class CustodyKind(models.TextChoices):
    ARREST = "arrest", _("arrest")
    DETENTION = "detention", _("detention")


class CustodyState(models.TextChoices):
    NOTIFIED = "notified", _("notified")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RELEASED = "released", _("released or transferred")


class CustodyAction(models.TextChoices):
    RECORDED = "recorded", _("recorded and notified")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    CONSULAR_ACCESS_ASKED = "consular_access_asked", _("consular access asked")
    FACTS_ASKED = "facts_asked", _("more facts asked")
    FACTS_GIVEN = "facts_given", _("facts given")
    RELEASED = "released", _("released or transferred")


class CustodyRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    detaining_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="custody_records",
                                       verbose_name=_("detaining unit"))
    nationality = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("nationality"))
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="custody_records")
    person_name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("arrest or detention"), max_length=10, choices=CustodyKind.choices)
    detained_at = SafeDateTimeField(_("when"))
    place_held = models.CharField(_("where held"), max_length=200)
    offence = models.CharField(_("offence"), max_length=40, choices=Offence.choices)
    facts = models.TextField(_("facts"), blank=True)
    consular_access_requested = models.BooleanField(_("the person asked for consular access"), default=False)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0)
    state = models.CharField(_("state"), max_length=12, choices=CustodyState.choices, default=CustodyState.NOTIFIED, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("custody notification")
        verbose_name_plural = _("custody notifications")
        ordering = ["-detained_at"]
        indexes = [
            models.Index(fields=["nationality", "detained_at"]),
            models.Index(fields=["detaining_unit", "detained_at"]),
            # the list opens on the latest record the user sees (opening_list): read backwards, it stops at the first
            # (a sort of every visible record per view before, issue 19)
            models.Index(fields=["detained_at"], name="custody_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.person_name}"


class CustodyEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(CustodyRecord, on_delete=models.CASCADE, related_name="events")
    at = SafeDateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=30, choices=CustodyAction.choices)
    from_state = models.CharField(max_length=12, choices=CustodyState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=CustodyState.choices, blank=True)
    text = models.TextField(blank=True)
    origin_node = models.CharField(max_length=60, blank=True)
    # A step from a peer: `at` is when this node received it (its own clock); the time the peer gave is its claim.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
