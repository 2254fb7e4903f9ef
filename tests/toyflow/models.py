"""A toy object owned by the node that asks, and its shared timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Thing(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    origin_node = models.CharField(max_length=60, blank=True)
    asker_country = models.CharField(max_length=2)
    helper_country = models.CharField(max_length=2)
    note = models.CharField(max_length=200)
    state = models.CharField(max_length=20, default="asked")
    done_at = models.DateTimeField(null=True, blank=True)


class ThingEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=40, blank=True)
    side = models.CharField(max_length=10, blank=True)
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    origin_node = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]
