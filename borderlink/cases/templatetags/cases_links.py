"""The joint cases next to a request, a notice or a custody record, as the reader may see them (need to know:
only cases the reader's unit takes part in, only the items the reader may see of them; see cases.related).
Each tag renders "cases/_related.html"; it renders nothing for a user outside the cases."""

from __future__ import annotations

from typing import Any

from django import template

from borderlink.cases import access, related

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("cases/_related.html", takes_context=True)
def cases_of_person(context: Any, person: Any) -> dict[str, Any]:
    """On a notice (its subject) or a custody record (its person)."""
    user = _user(context)
    found = related.cases_for_person(user, person) if user is not None and access.may_use_cases(user) else []
    return {"matches": found, "shown": user is not None and access.may_use_cases(user)}


@register.inclusion_tag("cases/_related.html", takes_context=True)
def cases_of_request(context: Any, req: Any) -> dict[str, Any]:
    """On a request for assistance: the cases linked to it, and those holding its identifier."""
    user = _user(context)
    found = related.cases_for_request(user, req) if user is not None and access.may_use_cases(user) else []
    return {"matches": found, "shown": user is not None and access.may_use_cases(user)}
