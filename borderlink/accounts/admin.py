from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from borderlink.accounts.models import APIToken, User
from borderlink.core.admin import NodeAdmin

admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(NodeAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "unit", "is_active", "is_officer", "is_supervisor", "is_auditor", "is_node_admin"]
    list_filter = ["is_active", "unit__country", "is_officer", "is_supervisor", "is_liaison", "is_auditor", "is_node_admin"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["last_login", "date_joined", "locked_until", "failed_logins"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "unit", "language")}),
        (
            _("Capabilities"),
            {"fields": ("is_active", "is_officer", "is_supervisor", "is_liaison", "is_victim_protection", "is_planner", "is_auditor", "is_node_admin")},
        ),
        (_("Sign-in"), {"fields": ("last_login", "date_joined", "failed_logins", "locked_until")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "unit", "password1", "password2")}),
    )


@admin.register(APIToken)
class APITokenAdmin(NodeAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request, *args) -> bool:
        return False
