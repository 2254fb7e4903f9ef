"""What the review keeps: the statistics each peer sent (aggregates only) and the reports built here."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeerStatistics(models.Model):
    """A peer's own figures for a year, as its last signed envelope carried them (counts only, already
    checked against `review.federation.StatisticsPayload`). One row per peer country and year."""

    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    year = models.PositiveSmallIntegerField(_("year"))
    computed_at = models.DateTimeField()
    received_at = models.DateTimeField()
    figures = models.JSONField(default=dict)
    medians = models.JSONField(default=list)
    envelope_id = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("statistics from a peer")
        verbose_name_plural = _("statistics from peers")
        constraints = [models.UniqueConstraint(fields=["country", "year"], name="review_peer_statistics_unique")]


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReviewReport(models.Model):
    """One year-end review file: asked for on a page, through the API or the command, built by the worker,
    kept under `BORDERLINK_DATA_DIR/reviews/` for download."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    country = models.CharField(_("other country"), max_length=2, blank=True)
    plan_id = models.UUIDField(_("plan"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    state = models.CharField(_("state"), max_length=8, choices=ReportState.choices, default=ReportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    storage_name = models.CharField(max_length=80, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("year-end review")
        verbose_name_plural = _("year-end reviews")
