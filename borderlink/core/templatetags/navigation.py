"""The main navigation of every page (base.html), written in Python with its links prepared once per process.

base.html built the navigation with 17 `{% url %}`, 19 `{% translate %}` and about 30 `{% if %}` on every
page: about 1 ms of CPU of the 10 ms a page may cost (issue 19, bench/README.md "Fixed cost, second step").
Which links a person sees depends only on their roles and whether they have a unit; the addresses only on
the URL configuration and the script prefix; the labels only on the language. So the links are prepared once
per (language, script prefix, roles) and kept for the life of the process: nothing in them belongs to one
person. What does (the unread and awaiting-approval counts, from `exchange.context_processors.counts`, and
which link is the current page) is added on every request. The output is the same markup the template wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as N_

register = template.Library()

# Whether a link is the current page, from the request's resolver match: (app_name, url_name) -> bool.
Current = Callable[[str, str], bool]


def _url_name(name: str) -> Current:
    return lambda app, url: url == name


def _app(name: str) -> Current:
    return lambda app, url: app == name


def _never(app: str, url: str) -> bool:
    return False


def _notices_list(app: str, url: str) -> bool:
    return app == "notices" and url != "search"


# (who sees it, URL name, label (marked for the catalogs, translated when prepared), current page, count shown after the label)
# in the order of the navigation. `who` receives the roles (see _roles).
LINKS: list[tuple[Callable[[dict[str, bool]], bool], str, str, Current, str]] = [
    (lambda r: r["exchange"], "exchange:inbox", N_("Inbox"), _url_name("inbox"), "unread_count"),
    (lambda r: r["exchange"], "exchange:outbox", N_("Sent"), _url_name("outbox"), ""),
    (lambda r: r["exchange"] and r["supervisor"], "exchange:approvals", N_("Approvals"), _url_name("approvals"),
     "pending_count"),
    (lambda r: r["exchange"], "exchange:compose", N_("Write"), _url_name("compose"), ""),
    (lambda r: r["unit"] and (r["exchange"] or r["victim_protection"]), "notices:list", N_("Notices"), _notices_list, ""),
    (lambda r: r["unit"] and (r["exchange"] or r["victim_protection"]), "notices:search", N_("Search notices"),
     _url_name("search"), ""),
    (lambda r: r["unit"] and (r["exchange"] or r["victim_protection"]), "persons:list", N_("Persons"), _app("persons"), ""),
    (lambda r: r["unit"] and (r["exchange"] or r["victim_protection"]), "assistance:dashboard", N_("Requests"),
     _app("assistance"), ""),
    (lambda r: r["unit"] and (r["exchange"] or r["victim_protection"]), "border:list", N_("Border"), _app("border"), ""),
    (lambda r: r["exchange"], "custody:list", N_("Custody"), _app("custody"), ""),
    (lambda r: r["exchange"], "cases:list", N_("Joint cases"), _app("cases"), ""),
    (lambda r: r["unit"] and (r["victim_protection"] or r["planner"]), "victims:list", N_("Victims"), _app("victims"), ""),
    (lambda r: r["unit"] and r["planner"], "plans:list", N_("Plans"), _app("plans"), ""),
    (lambda r: r["unit"] and r["planner"], "review:page", N_("Year-end review"), _app("review"), ""),
    (lambda r: r["auditor"], "audit:log", N_("Audit log"), _never, ""),
    (lambda r: r["node_admin"], "admin:index", N_("Administration"), _never, ""),
]

# (language, script prefix, roles) -> (opening tag, [(start of the link up to its closing '"', label and
# closing, current rule, count name)], closing tag, the count's opening tags by name)
_prepared: dict[tuple[Any, ...], tuple[str, list[tuple[str, str, Current, str]], dict[str, str]]] = {}
_MAX_PREPARED = 1024  # (4 languages x 2^7 role combinations at most; a bound all the same)


def _roles(user: Any) -> dict[str, bool]:
    """The roles that decide which links a user sees (the conditions base.html had), as booleans."""
    return {
        "exchange": bool(user.can_exchange), "supervisor": bool(user.is_supervisor),
        "unit": user.unit_id is not None, "victim_protection": bool(user.is_victim_protection),
        "planner": bool(user.is_planner), "auditor": bool(user.is_auditor), "node_admin": bool(user.is_node_admin),
    }


def _prepare(roles: dict[str, bool]) -> tuple[str, list[tuple[str, str, Current, str]], dict[str, str]]:
    opening = f'<nav aria-label="{escape(gettext("Main"))}">'
    links = [(f'<a href="{escape(reverse(name))}"', f">{escape(gettext(label))}", current, count)
             for who, name, label, current, count in LINKS if who(roles)]
    counts = {"unread_count": f' <span class="count" title="{escape(gettext("unread"))}">',
              "pending_count": ' <span class="count">'}
    return opening, links, counts


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """`<nav aria-label="Main">` with the links the signed-in user's roles give, the current page marked
    (`aria-current="page"`) and the counts (`unread_count`, `pending_count` from the context) after their links."""
    user = context["user"]
    roles = _roles(user)
    key = (get_language(), get_script_prefix(), *roles.values())
    prepared = _prepared.get(key)
    if prepared is None:
        if len(_prepared) >= _MAX_PREPARED:
            _prepared.clear()
        prepared = _prepared[key] = _prepare(roles)
    opening, links, counts = prepared
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    app, url = (match.app_name or "", match.url_name or "") if match is not None else ("", "")
    parts = [opening]
    for start, label, current, count in links:
        parts.append(start)
        if current(app, url):
            parts.append(' aria-current="page"')
        parts.append(label)
        if count:
            value = context.get(count)
            if value:
                parts.append(f"{counts[count]}{escape(localize(value))}</span>")  # as {{ value }} wrote it
        parts.append("</a>\n")
    parts.append("</nav>")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
