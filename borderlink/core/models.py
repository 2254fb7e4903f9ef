"""Countries, ministries, units, provinces and border gates.

Reference rows are data, not code: administrative units change (Viet Nam
merged its provinces on 1 July 2025), so they carry valid-from and valid-to.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TranslatedNameMixin(models.Model):
    """Names in the four interface languages; English is the fallback."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200, blank=True)
    name_lo = models.CharField(_("name (Lao)"), max_length=200, blank=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en


class Country(TranslatedNameMixin):
    code = models.CharField(_("code"), max_length=2, primary_key=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]


# The language a member country writes its own names in.
OWN_LANGUAGE = {"VN": "vi", "LA": "lo", "KH": "km"}


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date | None = None) -> ValidityQuerySet:
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class Ministry(TranslatedNameMixin):
    code = models.CharField(_("code"), max_length=40, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="ministries")
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("ministry")
        verbose_name_plural = _("ministries")
        ordering = ["country", "code"]


class Province(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="provinces")
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_local = models.CharField(_("name (local)"), max_length=120)
    # The name as the other member countries' readers write it (reference/province_names.csv);
    # the province's own language is name_local.
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120, blank=True)
    name_lo = models.CharField(_("name (Lao)"), max_length=120, blank=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=120, blank=True)
    borders = models.CharField(_("borders"), max_length=20, blank=True, help_text=_("Country codes separated by ;"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("border province")
        verbose_name_plural = _("border provinces")
        ordering = ["country", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name_en", "valid_from"], name="province_unique_period"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language: the local name for a reader of the province's own
        language, else the name in the reader's language, else the English name."""
        language = (get_language() or "en")[:2]
        if language == OWN_LANGUAGE.get(self.country_id):
            return self.name_local or self.name_en
        return getattr(self, f"name_{language}", "") or self.name_en


class BorderGate(models.Model):
    LEVELS = [("international", _("international")), ("main", _("main")), ("secondary", _("secondary"))]

    side_a_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    side_a_name = models.CharField(_("name (side A)"), max_length=120)
    side_a_province = models.CharField(_("province (side A)"), max_length=120)
    side_b_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    side_b_name = models.CharField(_("name (side B)"), max_length=120)
    side_b_province = models.CharField(_("province (side B)"), max_length=120)
    level = models.CharField(_("level"), max_length=20, choices=LEVELS)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("border gate pair")
        verbose_name_plural = _("border gate pairs")
        ordering = ["side_a_country", "side_a_name"]
        constraints = [
            models.UniqueConstraint(fields=["side_a_country", "side_a_name", "side_b_country"], name="gate_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.side_a_name} – {self.side_b_name}"


class Unit(TranslatedNameMixin):
    """A ministry, a department or provincial police, or a unit inside one: a tree."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        DEPARTMENT = "department", _("department")
        PROVINCIAL = "provincial", _("provincial police")
        UNIT = "unit", _("unit")

    code = models.CharField(_("code"), max_length=60, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="units")
    ministry = models.ForeignKey(Ministry, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="units")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["country", "code"]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent is not None:
            if self.parent.country_id != self.country_id:
                raise ValidationError({"parent": _("A unit's parent must be in the same country.")})
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A unit cannot be its own ancestor.")})
                ancestor = ancestor.parent  # type: ignore[assignment]
        elif self.kind != self.Kind.MINISTRY:
            raise ValidationError({"parent": _("Only a ministry can be at the top of the tree.")})
        if self.ministry_id and self.ministry.country_id != self.country_id:
            raise ValidationError({"ministry": _("The ministry must be of the unit's country.")})

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country_id})"


class WorkerHeartbeat(models.Model):
    """A running worker process: it beats every third of BORDERLINK_WORKER_LEASE_SECONDS. The tasks
    of a worker whose beat is older than the lease go back to the queue (see core.worker)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
