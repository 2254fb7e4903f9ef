"""A victim case's timeline drawn in Python (issue 19): through the template engine its rows (a lookup, a lazy
translation and `get_action_display` per cell) were a large part of the case page's CPU time. `victim_event_rows`
writes the HTML the template wrote (tests/victims/test_page_rows.py compares the two in several languages)."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from borderlink.core import rows
from borderlink.victims.models import Action

register = template.Library()


@register.simple_tag(takes_context=True)
def victim_event_rows(context: Any) -> SafeString:
    """The <tr> of each event of the case (`events`): time, actor, step, and the text, after a note when the step
    was set by the answer to the nationality verification request (`data.answer`)."""
    answered = escape(gettext("Set by the answer to the nationality verification request.")) + " "

    def note(e: Any) -> str:
        return answered if isinstance(e.data, dict) and e.data.get("answer") else ""

    return mark_safe(rows.timeline_rows(context["events"], rows.labels(Action.choices), before_text=note))  # noqa: S308
