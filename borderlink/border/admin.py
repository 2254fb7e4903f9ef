from django.contrib import admin

from borderlink.border.models import ProvincePair
from borderlink.core.admin import NodeAdmin


@admin.register(ProvincePair)
class ProvincePairAdmin(NodeAdmin):
    """Reference data: node administrators correct a pair or its dates; the CSV stays the source."""

    list_display = ("code", "side_a", "side_b", "valid_from", "valid_to")
    list_filter = ("side_a__country", "side_b__country")
    search_fields = ("code", "side_a__name_en", "side_b__name_en")
    filter_horizontal = ("gates",)
