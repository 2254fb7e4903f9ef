"""Small pieces for drawing a list page's rows in Python instead of through the template engine (issue 19).

A list drawn through the template engine costs a variable lookup, a filter call and a lazy-string translation per
cell and a `{% url %}` per row: on the incidents, meetings and cases lists that was most of the page's CPU time. The
row renderers that use these helpers (border/templatetags/border_rows.py, cases/templatetags/case_page.py,
plans/templatetags/plan_page.py) write the HTML the templates wrote; the tests next to them compare the two in more
than one language. Every value is escaped as the template escaped it (`html.escape`, which Django's `escape` calls,
on plain text).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from html import escape
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format, get_format, localize
from django.utils.translation import get_language

_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def text(value: Any) -> str:
    """`{{ value }}` of plain text or a number: localized as the template localizes it, then escaped; None -> "None"
    as the template writes it (callers test for None where the template did)."""
    if isinstance(value, str):
        return escape(value)
    return escape(str(localize(value)))


def url_prefix(name: str, **kwargs: Any) -> tuple[str, str]:
    """The parts before and after an object's key in the URL named `name` (one `reverse` per page, not per row):
    `url_prefix("border:detail")` -> ("/border/", "/"); the key goes in between. The URL's single argument is
    reversed with a placeholder UUID."""
    url = reverse(name, args=[_PLACEHOLDER], **kwargs)
    before, _sep, after = url.partition(_PLACEHOLDER)
    return escape(before), escape(after)


def url_prefix_int(name: str) -> tuple[str, str]:
    """`url_prefix` for a URL whose single argument is an integer key (`<int:...>`)."""
    placeholder = "987654321987654321"
    before, _sep, after = reverse(name, args=[int(placeholder)]).partition(placeholder)
    return escape(before), escape(after)


def local(value: datetime.datetime) -> datetime.datetime:
    """An aware time in the current time zone, as the template engine gives it to a `date` filter."""
    if settings.USE_TZ and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def short_datetime(value: datetime.datetime | None) -> str:
    """`{{ value|date:"SHORT_DATETIME_FORMAT" }}`, escaped; "" for None."""
    return escape(date_format(local(value), "SHORT_DATETIME_FORMAT")) if value else ""


def short_date(value: datetime.datetime | datetime.date | None) -> str:
    """`{{ value|date:"SHORT_DATE_FORMAT" }}`, escaped; "" for None."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = local(value)
    return escape(date_format(value, "SHORT_DATE_FORMAT"))


def date_writer(name: str) -> Callable[[Any], str]:
    """A function writing a date or time with the active language's format `name`, escaped, the format looked up
    once (per page) instead of per value: `date_writer("DATE_FORMAT")(d)` is `text(d)` of a date (`{{ d }}`),
    `date_writer("SHORT_DATETIME_FORMAT")(t)` is `short_datetime(t)` (a time in the current time zone); "" for None
    (as `short_datetime`; `text` would write "None": callers give it a date column that is never null)."""
    fmt = get_format(name)

    def write(value: Any) -> str:
        if value is None:
            return ""
        return escape(dateformat.format(local(value) if isinstance(value, datetime.datetime) else value, fmt))

    return write


def labels(choices: Any) -> dict[Any, str]:
    """A field's choices as {value: label in the current language}: `get_FOO_display` once per page, not per row."""
    return {value: str(label) for value, label in choices}


_FIELD_LABELS: dict[tuple[Any, str, str | None], dict[Any, str]] = {}


def field_labels(model: Any, name: str) -> dict[Any, str]:
    """`labels` of a model field's choices in the active language, kept per process, model, field and language (a
    code's label does not change while the process runs; nothing of a reader or a row is kept): what
    `get_FOO_display` looks up, without building the choices' dict on every call."""
    key = (model, name, get_language())
    found = _FIELD_LABELS.get(key)
    if found is None:
        found = _FIELD_LABELS[key] = labels(model._meta.get_field(name).flatchoices)
    return found


def display(obj: Any, name: str) -> Any:
    """`obj.get_<name>_display()`: the label of the field's value in the active language, the value itself when it is
    not among the choices (`field_labels`)."""
    value = getattr(obj, name)
    return field_labels(type(obj), name).get(value, value)


def timeline_rows(events: Any, actions: dict[Any, str] | Callable[[Any], str], before_text: Any = None,
                  after_text: Any = None) -> str:
    """The <tr> of each event of a timeline table (plan, meeting, victim case), as the templates wrote them:
    `<tr><td>{{ e.at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ e.actor_name|default:"—" }}{% if e.actor_unit %}
    ({{ e.actor_unit }}){% endif %}</td><td>{{ e.get_action_display }}</td><td>{{ e.text|linebreaksbr }}</td></tr>`.
    `actions`: the action field's `labels`, or a function giving an event's label (a timeline of events of two models,
    each with its own actions: `lambda e: display(e, "action")`); `before_text(e)` / `after_text(e)`: HTML (already escaped) written
    before / after the text in the last cell. Not marked safe: the caller does, once."""
    from django.template.defaultfilters import linebreaksbr

    label = actions if callable(actions) else (lambda e: actions.get(e.action, e.action))
    out = []
    for e in events:
        by = escape(e.actor_name) if e.actor_name else "—"
        if e.actor_unit:
            by += f" ({escape(e.actor_unit)})"
        cell = linebreaksbr(e.text, autoescape=True)
        if before_text is not None:
            cell = before_text(e) + cell
        if after_text is not None:
            cell += after_text(e)
        out.append(f"<tr><td>{short_datetime(e.at)}</td><td>{by}</td><td>{escape(label(e))}</td>"
                   f"<td>{cell}</td></tr>")
    return "".join(out)
