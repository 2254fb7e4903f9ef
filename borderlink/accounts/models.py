"""Users, their capabilities and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Capability(models.TextChoices):
    """What a user may do. Every capability defaults to off."""

    OFFICER = "officer", _("officer")
    SUPERVISOR = "supervisor", _("supervisor")
    LIAISON = "liaison", _("liaison officer")
    VICTIM_PROTECTION = "victim_protection", _("victim-protection officer")
    PLANNER = "planner", _("planner")
    AUDITOR = "auditor", _("auditor")
    NODE_ADMIN = "node_admin", _("node administrator")


class User(AbstractUser):
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("unit")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    is_officer = models.BooleanField(_("officer"), default=False)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    is_liaison = models.BooleanField(_("liaison officer"), default=False)
    is_victim_protection = models.BooleanField(_("victim-protection officer"), default=False)
    is_planner = models.BooleanField(_("planner"), default=False)
    is_auditor = models.BooleanField(_("auditor"), default=False)
    is_node_admin = models.BooleanField(_("node administrator"), default=False)
    failed_logins = models.PositiveIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    if TYPE_CHECKING:
        def is_verified(self) -> bool:  # added by django-otp's middleware
            ...

    def has_capability(self, capability: str) -> bool:
        if not self.is_active:
            return False
        return bool(getattr(self, f"is_{capability}", False))

    @property
    def capabilities(self) -> list[str]:
        return [value for value in Capability.values if self.has_capability(value)]

    @property
    def capability_labels(self) -> list[str]:
        return [str(label) for value, label in Capability.choices if self.has_capability(value)]

    @property
    def can_exchange(self) -> bool:
        """May read and write its unit's messages."""
        return self.unit_id is not None and any(
            self.has_capability(c) for c in (Capability.OFFICER, Capability.LIAISON, Capability.SUPERVISOR)
        )

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class APIToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored."""

    PREFIX = "blk_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    hint = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return _digest(secret)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
