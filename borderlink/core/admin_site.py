"""The admin site of a node: node administrators only, second factor required."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse


def is_node_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.is_verified() and user.has_capability("node_admin"))


class NodeAdminSite(admin.AdminSite):
    """Django admin for node administrators only; others signed in get 404, like everywhere else."""

    site_header = "Borderlink"
    site_title = "Borderlink"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_node_admin(request)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404("No access.")
            return inner(request, *args, **kwargs)

        return wrapper

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or "/admin/")


