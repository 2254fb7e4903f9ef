"""The node administrator's pages for reference data and users (Django admin).

Only users with the node-administrator capability, signed in with their second
factor, reach it; every change is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from borderlink.audit.services import record
from borderlink.core.admin_site import is_node_admin as _is_node_admin
from borderlink.core.models import BorderGate, Country, Ministry, Province, Unit


class NodeAdmin(admin.ModelAdmin):
    """Capability checks and audit for every admin change."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_node_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_node_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_node_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_node_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_node_admin(request)

    def _audit(self, request: HttpRequest, obj: Model, verb: str, data: dict | None = None) -> None:
        record(
            request.user,
            f"admin.{obj._meta.model_name}.{verb}",
            object_type=obj._meta.model_name or "",
            object_id=obj.pk,
            data=data or {},
            request=request,
        )

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "changed" if change else "added", {"fields": sorted(form.changed_data)})

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self._audit(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self._audit(request, obj, "deleted")
        super().delete_queryset(request, queryset)


@admin.register(Country)
class CountryAdmin(NodeAdmin):
    list_display = ["code", "name_en", "name_vi", "name_lo", "name_km"]


@admin.register(Ministry)
class MinistryAdmin(NodeAdmin):
    list_display = ["code", "country", "name_en", "name_vi"]
    list_filter = ["country"]


@admin.register(Province)
class ProvinceAdmin(NodeAdmin):
    list_display = ["name_en", "name_local", "country", "borders", "valid_from", "valid_to"]
    list_filter = ["country"]
    search_fields = ["name_en", "name_local"]


@admin.register(BorderGate)
class BorderGateAdmin(NodeAdmin):
    list_display = ["side_a_name", "side_a_province", "side_b_name", "side_b_province", "level", "valid_from", "valid_to"]
    list_filter = ["side_a_country", "side_b_country", "level"]
    search_fields = ["side_a_name", "side_b_name"]


@admin.register(Unit)
class UnitAdmin(NodeAdmin):
    list_display = ["code", "name_en", "country", "kind", "parent", "is_active"]
    list_filter = ["country", "kind", "is_active"]
    search_fields = ["code", "name_en", "name_vi", "name_lo", "name_km"]
    autocomplete_fields = ["parent"]
