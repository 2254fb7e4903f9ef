"""Border provinces: the pairs of provinces that face each other, border incidents, and border passes.

Province pairs are reference data with validity dates (Viet Nam merged its provinces on 1 July 2025), loaded
from `reference/province_pairs.csv`. An incident is owned by the node of the unit that reported it; a shared
incident is copied, read-only, to the node across the border. A border pass stays on the node of the province
that issued it: a gate on the other side only asks that node whether a pass is valid.

No field records a person's ethnicity, religion or political opinion, and none may be added (DESIGN.md,
safeguard 1; a test checks the field names).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from borderlink.core.models import Province, ValidityQuerySet


class ProvincePair(models.Model):
    """Two border provinces that face each other, each the row valid over the pair's period."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    side_a = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province (side A)"))
    side_b = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province (side B)"))
    gates = models.ManyToManyField("core.BorderGate", blank=True, related_name="province_pairs", verbose_name=_("gates"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("province pair")
        verbose_name_plural = _("province pairs")
        ordering = ["side_a__country", "side_a__name_en", "side_b__name_en", "valid_from"]

    def __str__(self) -> str:
        return f"{self.side_a} – {self.side_b}"

    @property
    def countries(self) -> tuple[str, str]:
        return self.side_a.country_id, self.side_b.country_id

    def province_of(self, country: str) -> Province | None:
        if self.side_a.country_id == country:
            return self.side_a
        if self.side_b.country_id == country:
            return self.side_b
        return None

    def other_country(self, country: str) -> str:
        return self.side_b.country_id if self.side_a.country_id == country else self.side_a.country_id

    @property
    def note_text(self) -> str:
        """The reference note in the reader's language (the stored note stays the source's)."""
        from borderlink.border.reference_notes import translate_note

        return translate_note(self.note)

    def valid_on(self, day: object) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)  # type: ignore[operator]


class IncidentKind(models.TextChoices):
    UNAUTHORISED_MIGRATION = "unauthorised_migration", _("unauthorised migration")
    UNREGISTERED_MARRIAGE = "unregistered_marriage", _("unregistered cross-border marriage")
    ILLEGAL_CROSSING = "illegal_crossing", _("illegal entry or exit")
    SMUGGLING_SEIZURE = "smuggling_seizure", _("smuggling seizure")
    BOUNDARY = "boundary", _("border-marker or boundary incident")
    CROSS_BORDER_CRIME = "cross_border_crime", _("cross-border crime at the border")
    OTHER = "other", _("other")


class Outcome(models.TextChoices):
    PENDING = "pending", _("not settled yet")
    RETURNED = "returned", _("returned to the other side at a gate")
    HANDED_OVER = "handed_over", _("handed over to the other side")
    RELEASED = "released", _("released")
    REFERRED_REQUEST = "referred_request", _("referred to a request")
    REFERRED_PROTECTION = "referred_protection", _("referred to victim protection")


# outcomes that send people to the country across the border (non-refoulement applies)
REMOVALS = (Outcome.RETURNED, Outcome.HANDED_OVER)


class Sharing(models.TextChoices):
    LOCAL = "local", _("not shared")
    AWAITING = "awaiting_approval", _("sharing waits for a supervisor")
    SHARED = "shared", _("shared with the other side")


class GoodsType(models.TextChoices):
    DRUGS = "drugs", _("drugs")
    WILDLIFE = "wildlife", _("wildlife")
    TIMBER = "timber", _("timber")
    FUEL = "fuel", _("fuel")
    CIGARETTES = "cigarettes", _("cigarettes")
    ALCOHOL = "alcohol", _("alcohol")
    LIVESTOCK = "livestock", _("livestock")
    VEHICLES = "vehicles", _("vehicles")
    WEAPONS = "weapons", _("weapons")
    CASH = "cash", _("cash")
    CONSUMER_GOODS = "consumer_goods", _("consumer goods")
    OTHER = "other", _("other goods")


class QuantityUnit(models.TextChoices):
    KG = "kg", _("kg")
    LITRE = "litre", _("litres")
    PIECE = "piece", _("pieces")
    HEAD = "head", _("head (animals)")
    CARTON = "carton", _("cartons")


class IncidentQuerySet(models.QuerySet):
    """Incidents; `update` and `delete` keep the summary (`border.summary`) in step, as `BorderIncident.save` does."""

    def update(self, **kwargs: Any) -> int:
        from borderlink.border import summary

        if not summary.touches(kwargs):
            return super().update(**kwargs)
        with transaction.atomic():
            rows = list(self.all().select_for_update().order_by("pk").values("pk", *summary.FIELDS))
            n = super().update(**kwargs)
            after = list(self.model._base_manager.filter(pk__in=[r["pk"] for r in rows]).order_by("pk").values(*summary.FIELDS))
            summary.moved([summary.key_of(r) for r in rows], [summary.key_of(r) for r in after])
        return n

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        from borderlink.border import summary

        with transaction.atomic():
            rows = list(self.all().select_for_update().order_by("pk").values("pk", *summary.FIELDS))
            out = super().delete()
            summary.moved([summary.key_of(r) for r in rows], [])
        return out

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class BorderIncident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    version = models.PositiveIntegerField(default=1)
    reporting_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="border_incidents",
                                       verbose_name=_("reporting unit"))
    pair = models.ForeignKey(ProvincePair, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("province pair"))
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("border province"))
    gate = models.ForeignKey("core.BorderGate", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("gate"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("date and time"), db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=IncidentKind.choices, db_index=True)
    persons_count = models.PositiveIntegerField(_("number of persons"), default=0)
    children_count = models.PositiveIntegerField(_("of whom children"), default=0)
    asylum_sought = models.BooleanField(_("someone asked for asylum"), default=False)
    asylum_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("country fled"))
    description = models.TextField(_("what happened"), blank=True)
    handling = models.TextField(_("handling"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    refused_outcome = models.CharField(_("outcome refused (non-refoulement)"), max_length=20, choices=Outcome.choices,
                                       blank=True)
    protection_referred = models.BooleanField(_("sent to the protection unit"), default=False, db_index=True)
    child_flagged = models.BooleanField(_("a child is involved"), default=False, db_index=True)
    neutrality_flags = models.JSONField(default=list, blank=True)
    sharing = models.CharField(_("sharing"), max_length=20, choices=Sharing.choices, default=Sharing.LOCAL)
    share_justification = models.TextField(_("justification"), blank=True)
    sharing_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+")
    persons = models.ManyToManyField("persons.Person", blank=True, related_name="border_incidents",
                                     verbose_name=_("persons involved"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("border incident")
        verbose_name_plural = _("border incidents")
        ordering = ["-occurred_at"]
        indexes = [
            # a pair's and a unit's incidents in the list's order (newest first, then id): the list reads each branch of
            # the visibility rule in its own order and stops after a page (`stats.NewestFirst`, issue 19)
            models.Index(fields=["pair", "-occurred_at", "id"], name="incident_pair_list"),
            models.Index(fields=["reporting_unit", "-occurred_at", "id"], name="incident_unit_list"),
            # the list's order, read a page at a time (issue 19)
            models.Index(fields=["-occurred_at", "id"], name="incident_list"),
            # the list's counts per pair, gate, kind and month, and the visibility rules' columns: the period's
            # incidents counted from the index alone (an index-only scan), not from their wide rows (issue 19)
            models.Index(fields=["occurred_at", "pair", "gate", "kind", "reporting_unit", "sharing", "child_flagged",
                                 "protection_referred"], name="incident_counts"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, and move the incident between the summary's rows (`border.summary`) in the same transaction."""
        from borderlink.border import summary

        fields = kwargs.get("update_fields")
        if fields is not None and not summary.touches(fields):
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            old = None
            if not self._state.adding:
                old = type(self)._base_manager.select_for_update().filter(pk=self.pk).values(*summary.FIELDS).first()
            super().save(*args, **kwargs)
            summary.moved([summary.key_of(old) if old else None], [summary.key_of_incident(self)])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from borderlink.border import summary

        with transaction.atomic():
            old = type(self)._base_manager.select_for_update().filter(pk=self.pk).values(*summary.FIELDS).first()
            out = super().delete(*args, **kwargs)
            summary.moved([summary.key_of(old) if old else None], [])
        return out


class IncidentCount(models.Model):
    """How many incidents occurred in one month (the node's time zone) on one province pair, at one gate (0: none),
    of one kind, reported by one unit, in one sharing state and with the two protection flags: the summary the
    incident list's counts add up (`border.summary`, issue 19), with every column the visibility rules read
    (`access.incident_scope`). Kept in the transaction of each change to an incident; `manage.py incident_summary
    --rebuild` recomputes it."""

    month = models.DateField()
    pair = models.ForeignKey(ProvincePair, on_delete=models.CASCADE, related_name="+")
    gate_key = models.IntegerField(default=0)  # the gate's id, 0 for none (a key column: never NULL)
    kind = models.CharField(max_length=30, choices=IncidentKind.choices)
    reporting_unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    sharing = models.CharField(max_length=20, choices=Sharing.choices)
    child_flagged = models.BooleanField()
    protection_referred = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "pair", "gate_key", "kind", "reporting_unit", "sharing", "child_flagged", "protection_referred"],
            name="incident_count_key")]


class SeizedGoods(models.Model):
    incident = models.ForeignKey(BorderIncident, on_delete=models.CASCADE, related_name="goods")
    goods_type = models.CharField(_("type of goods"), max_length=20, choices=GoodsType.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=QuantityUnit.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("goods seized")
        verbose_name_plural = _("goods seized")
        ordering = ["id"]


class PassStatus(models.TextChoices):
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    UNKNOWN = "unknown", _("unknown")
    NOT_YET_VALID = "not_yet_valid", _("not valid yet")
    WRONG_GATE = "wrong_gate", _("not valid at this gate")


class BorderPass(models.Model):
    """A border pass issued by a province of this node to a resident."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("pass number"), max_length=40)
    number_normalised = models.CharField(max_length=40, unique=True, editable=False)
    issuing_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="border_passes",
                                     verbose_name=_("issuing unit"))
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing province"))
    holder = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="border_passes", verbose_name=_("holder"))
    holder_name = models.CharField(_("holder's name"), max_length=200)
    photo = models.ForeignKey("persons.PersonPhoto", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    area = models.CharField(_("area it is valid for"), max_length=200)
    gates = models.ManyToManyField("core.BorderGate", related_name="+", verbose_name=_("gates it is valid for"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("border pass")
        verbose_name_plural = _("border passes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
