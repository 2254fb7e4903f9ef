"""The node administrator sets the answer times agreed between each pair of countries."""

from __future__ import annotations

from django.contrib import admin

from borderlink.assistance.models import DeadlinePolicy
from borderlink.core.admin import NodeAdmin


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(NodeAdmin):
    list_display = ["requesting_country", "requested_country", "urgent_direct_hours", "urgent_hours", "normal_hours"]
    list_filter = ["requesting_country", "requested_country"]
