"""The rows of the incidents and meetings lists drawn in Python (issue 19).

Through the template engine, the incidents list's 50 rows and the meetings list's rows and boxes (up to 25 + 50 +
50) cost most of each page's CPU time: a variable lookup and a lazy translation per cell, `get_FOO_display` and a
`{% url %}` per row. These tags write the HTML the templates wrote (tests/border/test_list_rows.py compares the two
in several languages); labels are translated once per page, every value escaped as the template escaped it.
"""

from __future__ import annotations

import unicodedata
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from borderlink.border.models import IncidentKind, Outcome
from borderlink.border.models.meetings import Frequency, MeetingAction, MeetingKind, MeetingState
from borderlink.core import rows as r

register = template.Library()


def _truncated(text: str, length: int = 120) -> str:
    """`{{ text|truncatechars:120 }}` before escaping: Truncator's result (the text in NFC, cut with "…" past
    `length` characters), without its per-character walk when the text is short enough (most outcomes and actions)."""
    whole = unicodedata.normalize("NFC", text)
    return whole if len(whole) <= length else Truncator(text).chars(length)


def _flag(label: str) -> str:
    return f'<span class="flag">{escape(gettext(label))}</span>'


@register.simple_tag(takes_context=True)
def incident_rows(context: Any) -> SafeString:
    """The <tr> of each incident of the page (`rows`): reference linking to the incident, local date and time, kind,
    province pair, gate (else the place), persons (and children), outcome (and a refused return). The pairs' and
    gates' names from `pair_names` and `gate_names` ({id: name}) when they hold them, else from the rows' own pair and
    gate."""
    pair_names, gate_names = context.get("pair_names"), context.get("gate_names")
    before, after = r.url_prefix("border:detail")
    kinds, outcomes = r.labels(IncidentKind.choices), r.labels(Outcome.choices)
    refused = f" {_flag('return refused')}"
    when = r.date_writer("SHORT_DATETIME_FORMAT")  # the format looked up once, not per row
    out = []
    for item in context["rows"]:
        persons = r.text(item.persons_count)
        if item.children_count:
            n = item.children_count
            persons += f" ({ngettext('%(n)s child', '%(n)s children', n) % {'n': r.text(n)}})"
        # (an incident recorded between the counts and the page has its names read from its own pair and gate)
        pair = (pair_names or {}).get(item.pair_id) or str(item.pair)
        gate = r.text((gate_names or {}).get(item.gate_id) or str(item.gate)) if item.gate_id else r.text(item.place)
        out.append(
            f'<tr><td><a href="{before}{item.pk}{after}">{r.text(item.reference)}</a></td>'
            f"<td>{when(item.occurred_at)}</td><td>{escape(kinds.get(item.kind, item.kind))}</td>"
            f"<td>{r.text(pair)}</td><td>{gate}</td><td>{persons}</td>"
            f"<td>{escape(outcomes.get(item.outcome, item.outcome))}{refused if item.refused_outcome else ''}</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def filter_select(form: Any, name: str) -> SafeString:
    """The incidents filter's `<select>` of field `name` with its label before it: one `<option>` per choice, the
    chosen value selected; a group of choices (the province pairs not valid today) as an `<optgroup>` of its own
    options, as Django's Select widget writes it. Every label and value escaped."""
    chosen = form.data.get(name)

    def option(value: Any, label: Any) -> str:
        return f'<option value="{r.text(value)}"{" selected" if str(value) == chosen else ""}>{r.text(str(label))}</option>'

    options = []
    for value, label in form.fields[name].choices:
        if isinstance(label, (list, tuple)):
            inner = "".join(option(v, lb) for v, lb in label)
            options.append(f'<optgroup label="{r.text(str(value))}">{inner}</optgroup>')
        else:
            options.append(option(value, label))
    return mark_safe(f'{r.text(str(form[name].label))}<select name="{escape(name)}">{"".join(options)}</select>')  # noqa: S308 (escaped)


@register.simple_tag
def count_tables(counts: dict[str, Any]) -> SafeString:
    """The four tables of counts (per kind, pair, gate and month; an empty one with a dash), one a line, as the
    template's loops wrote them; numbers written for the reader's language as `{{ n }}` wrote them."""
    from borderlink.core import display

    def table(caption: str, rows: list[tuple[Any, Any]], dash: bool) -> str:
        body = "".join(f"<tr><th>{r.text(str(label))}</th><td>{r.text(n)}</td></tr>" for label, n in rows)
        return (f"<table><caption>{escape(caption)}</caption><tbody>{body or ('<tr><td>—</td></tr>' if dash else '')}"
                "</tbody></table>")

    return mark_safe("\n".join((  # noqa: S308 (every value escaped)
        table(gettext("Per kind"), [(k["label"], k["n"]) for k in counts["kinds"]], False),
        table(gettext("Per province pair"), [(p["pair"], p["n"]) for p in counts["pairs"]], True),
        table(gettext("Per gate"), [(g["gate"], g["n"]) for g in counts["gates"]], True),
        table(gettext("Per month"), [(display.month_label(str(m["month"] or "")), m["n"]) for m in counts["months"]], False))))


@register.simple_tag
def incident_items(items: Any, flags: bool = False) -> SafeString:
    """The <li> of a box of incidents (for victim protection: with date and flags; sharing to approve: without)."""
    before, after = r.url_prefix("border:detail")
    kinds = r.labels(IncidentKind.choices)
    child, protection = f" · {_flag('child')}", f" · {_flag('protection')}"
    out = []
    for item in items:
        line = f'<li><a href="{before}{item.pk}{after}">{r.text(item.reference)}</a> · {escape(kinds.get(item.kind, item.kind))}'
        if flags:
            line += f" · {r.short_datetime(item.occurred_at)}"
            line += (child if item.child_flagged else "") + (protection if item.protection_referred else "")
        out.append(line + "</li>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def meeting_rows(context: Any) -> SafeString:
    """The <tr> of each meeting of the page (`rows`): reference linking to it, local date and time, kind (and the
    schedule's frequency), province pair, state."""
    before, after = r.url_prefix("border:meeting")
    kinds, states, frequencies = r.labels(MeetingKind.choices), r.labels(MeetingState.choices), r.labels(Frequency.choices)
    when = r.date_writer("SHORT_DATETIME_FORMAT")
    out = []
    for m in context["rows"]:
        kind = escape(kinds.get(m.kind, m.kind))
        if m.frequency:
            kind += f" ({escape(frequencies.get(m.frequency, m.frequency))})"
        out.append(f'<tr><td><a href="{before}{m.pk}{after}">{r.text(m.reference)}</a></td>'
                   f"<td>{when(m.starts_at)}</td><td>{kind}</td><td>{r.text(str(m.pair))}</td>"
                   f"<td>{escape(states.get(m.state, m.state))}</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def decision_items(decisions: Any) -> SafeString:
    """The <li> of the "review due" box: the meeting, the outcome (120 characters at most), the review date."""
    before, after = r.url_prefix("border:meeting")
    day = r.date_writer("DATE_FORMAT")  # (`{{ d.review_date }}`, the format looked up once)
    return mark_safe("".join(  # noqa: S308 (every value escaped)
        f'<li><a href="{before}{d.meeting_id}{after}">{r.text(d.meeting.reference)}</a> · '
        f"{escape(_truncated(d.outcome))} · {day(d.review_date)}</li>" for d in decisions))


@register.simple_tag
def action_items(items: Any) -> SafeString:
    """The <li> of the "overdue action items" box: the meeting, the action (120 characters at most), the owner unit,
    the due date."""
    before, after = r.url_prefix("border:meeting")
    day = r.date_writer("DATE_FORMAT")  # (`{{ i.due_date }}`, the format looked up once)
    return mark_safe("".join(  # noqa: S308 (every value escaped)
        f'<li><a href="{before}{i.meeting_id}{after}">{r.text(i.meeting.reference)}</a> · '
        f"{escape(_truncated(i.text))} · {escape(i.owner_unit.name)} · {day(i.due_date)}</li>" for i in items))


@register.simple_tag
def meeting_event_rows(events: Any) -> SafeString:
    """A meeting's timeline (`events`): time, actor, step and text (core.rows.timeline_rows; the template's loop
    before, tests/border/test_list_rows.py)."""
    return mark_safe(r.timeline_rows(events, r.labels(MeetingAction.choices)))  # noqa: S308 (escaped there)
