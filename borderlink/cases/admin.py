from django.contrib import admin

from borderlink.cases.models import ExcludedValue


@admin.register(ExcludedValue)
class ExcludedValueAdmin(admin.ModelAdmin):
    """Values kept out of cross-referencing (a bank's hotline, a public gateway), by the node administrator."""

    list_display = ("kind", "value", "reason", "added_at")
    search_fields = ("value",)
