"""The main navigation (core.templatetags.navigation, issue 19): its links are prepared once per process, per
language and roles, and must write what base.html wrote; the counts and the current page stay per request, and
nothing prepared for one person shows to another."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation

from borderlink.core.templatetags import navigation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# The navigation as base.html wrote it before it was prepared in Python (main at 5d1c3bb): the reference.
BEFORE = """{% load i18n %}<nav aria-label="{% translate 'Main' %}">
    {% if user.can_exchange %}
    <a href="{% url 'exchange:inbox' %}" {% if request.resolver_match.url_name == 'inbox' %}aria-current="page"{% endif %}>{% translate "Inbox" %}{% if unread_count %} <span class="count" title="{% translate 'unread' %}">{{ unread_count }}</span>{% endif %}</a>
    <a href="{% url 'exchange:outbox' %}" {% if request.resolver_match.url_name == 'outbox' %}aria-current="page"{% endif %}>{% translate "Sent" %}</a>
    {% if user.is_supervisor %}<a href="{% url 'exchange:approvals' %}" {% if request.resolver_match.url_name == 'approvals' %}aria-current="page"{% endif %}>{% translate "Approvals" %}{% if pending_count %} <span class="count">{{ pending_count }}</span>{% endif %}</a>{% endif %}
    <a href="{% url 'exchange:compose' %}" {% if request.resolver_match.url_name == 'compose' %}aria-current="page"{% endif %}>{% translate "Write" %}</a>
    {% endif %}
    {% if user.unit_id and user.can_exchange or user.unit_id and user.is_victim_protection %}
    <a href="{% url 'notices:list' %}" {% if request.resolver_match.app_name == 'notices' and request.resolver_match.url_name != 'search' %}aria-current="page"{% endif %}>{% translate "Notices" %}</a>
    <a href="{% url 'notices:search' %}" {% if request.resolver_match.url_name == 'search' %}aria-current="page"{% endif %}>{% translate "Search notices" %}</a>
    <a href="{% url 'persons:list' %}" {% if request.resolver_match.app_name == 'persons' %}aria-current="page"{% endif %}>{% translate "Persons" %}</a>
    <a href="{% url 'assistance:dashboard' %}" {% if request.resolver_match.app_name == 'assistance' %}aria-current="page"{% endif %}>{% translate "Requests" %}</a>
    {% endif %}
    {% if user.unit_id and user.can_exchange or user.unit_id and user.is_victim_protection %}<a href="{% url 'border:list' %}" {% if request.resolver_match.app_name == 'border' %}aria-current="page"{% endif %}>{% translate "Border" %}</a>{% endif %}
    {% if user.can_exchange %}<a href="{% url 'custody:list' %}" {% if request.resolver_match.app_name == 'custody' %}aria-current="page"{% endif %}>{% translate "Custody" %}</a>{% endif %}
    {% if user.can_exchange %}<a href="{% url 'cases:list' %}" {% if request.resolver_match.app_name == 'cases' %}aria-current="page"{% endif %}>{% translate "Joint cases" %}</a>{% endif %}
    {% if user.unit_id and user.is_victim_protection or user.unit_id and user.is_planner %}<a href="{% url 'victims:list' %}" {% if request.resolver_match.app_name == 'victims' %}aria-current="page"{% endif %}>{% translate "Victims" %}</a>{% endif %}
    {% if user.unit_id and user.is_planner %}<a href="{% url 'plans:list' %}" {% if request.resolver_match.app_name == 'plans' %}aria-current="page"{% endif %}>{% translate "Plans" %}</a>{% endif %}
    {% if user.unit_id and user.is_planner %}<a href="{% url 'review:page' %}" {% if request.resolver_match.app_name == 'review' %}aria-current="page"{% endif %}>{% translate "Year-end review" %}</a>{% endif %}
    {% if user.is_auditor %}<a href="{% url 'audit:log' %}">{% translate "Audit log" %}</a>{% endif %}
    {% if user.is_node_admin %}<a href="{% url 'admin:index' %}">{% translate "Administration" %}</a>{% endif %}
  </nav>"""

NOW = """{% load navigation %}{% main_nav %}"""


def normalised(html: str) -> str:
    """Whitespace between and inside tags collapsed: the markup, not its indentation."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s+>", ">", html)
    return re.sub(r">\s+<", "><", html).strip()


def rendered(source: str, user: Any, path: str, **counts: Any) -> str:
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    request.user = user
    return engines["django"].from_string(source).render({"user": user, **counts}, request)


USERS = [  # (username, unit attribute of org or None, capabilities)
    ("n_officer", "vn_unit", ("officer",)), ("n_supervisor", "vn_unit", ("officer", "supervisor")),
    ("n_liaison", "la_unit", ("liaison",)), ("n_protection", "kh_unit", ("victim_protection",)),
    ("n_planner", "vn_unit", ("planner",)), ("n_planner_nounit", None, ("planner",)),
    ("n_protection_nounit", None, ("victim_protection",)), ("n_auditor", "vn_other", ("auditor",)),
    ("n_admin", None, ("node_admin",)), ("n_all", "vn_unit", ("officer", "supervisor", "victim_protection",
                                                              "planner", "auditor", "node_admin")),
    ("n_none", "vn_unit", ()),
]
PATHS = ["/messages/", "/messages/sent/", "/notices/", "/notices/search/", "/persons/", "/requests/", "/border/",
         "/custody/", "/cases/", "/victims/", "/plans/", "/account/"]


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_the_navigation_writes_what_the_template_wrote(org, language):
    users = [make_user(name, getattr(org, unit) if unit else None, *caps) for name, unit, caps in USERS]
    with translation.override(language):
        for user in users:
            for path in PATHS:
                for counts in ({}, {"unread_count": 3, "pending_count": 1234}, {"unread_count": 0, "pending_count": 0}):
                    before, now = rendered(BEFORE, user, path, **counts), rendered(NOW, user, path, **counts)
                    assert normalised(now) == normalised(before), (user.username, path, counts)


def test_prepared_links_hold_no_persons_data(org):
    """What is kept between requests is per language and roles: two officers of different units, one with unread
    messages, share the prepared links but each sees their own count and no one else's name."""
    navigation._prepared.clear()
    mine = make_user("n_mine", org.vn_unit, "officer")
    theirs = make_user("n_theirs", org.la_unit, "officer")
    page_mine = rendered(NOW, mine, "/messages/", unread_count=7)
    page_theirs = rendered(NOW, theirs, "/messages/", unread_count=0)
    assert '<span class="count" title="unread">7</span>' in page_mine
    assert '<span class="count"' not in page_theirs
    assert len(navigation._prepared) == 1
    kept = repr(navigation._prepared)
    for value in ("n_mine", "n_theirs", str(org.vn_unit.name), str(org.la_unit.name), ">7<"):
        assert value not in kept, value


def test_the_links_follow_a_role_change_on_the_next_request(org, login):
    """Roles are read from the user loaded on each request: a supervisor's role taken away removes the
    approvals link at once (the prepared links are keyed by the roles, not by the person)."""
    supervisor = make_user("n_sup", org.vn_unit, "officer", "supervisor")
    client = login(supervisor)
    assert 'href="/messages/approvals/"' in client.get("/messages/").content.decode()
    type(supervisor).objects.filter(pk=supervisor.pk).update(is_supervisor=False)
    assert 'href="/messages/approvals/"' not in client.get("/messages/").content.decode()


def test_a_new_unread_message_shows_in_the_navigation(org, login, foreign_officer):
    """The unread count of the navigation (kept per user and process for COUNTS_SECONDS, forgotten when a message
    is saved in this process) shows a message received in this process on the next page, for its reader only."""
    from borderlink.exchange.models import Message, MessageRecipient

    officer = make_user("n_reader", org.vn_unit, "officer")
    other = make_user("n_other_unit", org.kh_unit, "officer")
    reader, bystander = login(officer), login(other)
    assert '<span class="count"' not in reader.get("/messages/sent/").content.decode()
    assert '<span class="count"' not in bystander.get("/messages/sent/").content.decode()
    m = Message.objects.create(origin_node="test", sender_unit=foreign_officer.unit, author=foreign_officer, subject="s",
                               body="b", priority="routine", priority_rank=2, handling_code="H0", state="sent",
                               sent_at=timezone.now())
    MessageRecipient.objects.create(message=m, unit=officer.unit, delivered_at=m.sent_at, sent_at=m.sent_at, priority_rank=2)
    assert '<span class="count" title="unread">1</span>' in reader.get("/messages/sent/").content.decode()
    assert '<span class="count"' not in bystander.get("/messages/sent/").content.decode()
