"""The long parts of a case page drawn in Python: the rows of its entities and links (up to `views.PAGE` each), the
entities as the link form's <option>s (drawn once, used twice) and the rows of its forms.

Drawn through the template engine they cost half of the page's CPU time (bench/cases.py, a case of 2,000 entities:
a tag or a variable lookup per cell, a template per widget, label and empty error list). The HTML is what the
template wrote; tests/cases/test_page_rows.py compares the two. Every value is escaped as the template escaped it
(`html.escape`, which Django's `escape` calls, on plain text: no lazy-string or SafeString work per cell), numbers
and dates are written for the reader's language as the template wrote them (`localize`).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from borderlink.cases.models import CaseState, SamePersonState
from borderlink.core import rows, widgets
from borderlink.notices.models import Offence

register = template.Library()


def _csrf(context: Any) -> SafeString:
    """What {% csrf_token %} writes (django.template.defaulttags.CsrfTokenNode)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 (Django's marker of no token, not a secret)
        return mark_safe("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def entity_rows(context: Any) -> SafeString:
    """The <tr> of each entity of the page (`entities`, each with `kind_label` and `role_label` as text): kind and role,
    the label linking to the entity's page, the owner country, shared or private (with the form that shares a private
    item of the reader's country) and whether it is found elsewhere (`marked`)."""
    marked, country = context["marked"], context["country"]
    entity_base, share_base = escape(context["entity_base"]), escape(context["share_base"])
    shared, private = escape(gettext("shared")), escape(gettext("private"))
    found = f"<strong>{escape(gettext('found elsewhere'))}</strong>"
    button = f'{_csrf(context)}<button class="secondary" type="submit">{escape(gettext("Share"))}</button></form>'
    rows = []
    for e in context["entities"]:
        pk = str(e.pk)
        kind = f"{escape(e.kind_label)} · {escape(e.role_label)}" if e.role else escape(e.kind_label)
        owner = escape(e.owner_country_id)
        if e.shared:
            sharing = shared
        elif e.owner_country_id == country:
            sharing = f'{private}<form method="post" action="{share_base}{pk}/">{button}'
        else:
            sharing = private
        rows.append(f'<tr><td>{kind}</td><td><a href="{entity_base}{pk}/">{escape(e.label)}</a><br><small>{pk}</small></td>'
                    f'<td>{owner}</td>\n<td>{sharing}</td>\n<td>{found if e.pk in marked else ""}</td></tr>')
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def candidate_items(context: Any) -> SafeString:
    """The <li> of each same-person candidate (`candidates`: `correlation.PageCandidate`s): the entity's label, the
    person's primary name, the score (two decimals, the reader's language, as `floatformat:2`), the state, and the
    forms that set each state it is not in (confirm, reject, undo), as the template wrote them."""
    case_pk = context["case"].pk
    states = {k: escape(str(v)) for k, v in SamePersonState.choices}
    score_label = escape(gettext("Score"))
    csrf = _csrf(context)
    buttons = (("confirmed", f'<button type="submit">{escape(gettext("Same person"))}</button>'),
               ("rejected", f'<button class="secondary" type="submit">{escape(gettext("Not the same person"))}</button>'),
               ("candidate", f'<button class="secondary" type="submit">{escape(gettext("Undo"))}</button>'))
    items = []
    for c in context["candidates"]:
        forms = "\n".join(
            "" if c.state == state else
            f'<form method="post" action="{escape(reverse("cases:same_person", args=[case_pk, c.pk, state]))}">'
            f"{csrf}{button}</form>" for state, button in buttons)
        items.append(f"<li>{escape(c.label)} ↔ {escape(c.name)} · {score_label} {floatformat(c.score, 2)} · "
                     f"{states.get(c.state, escape(c.state))}\n{forms}</li>")
    return mark_safe("".join(items))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def case_timeline(context: Any) -> SafeString:
    """The <tr> of each step of the timeline (`events`: the case's steps and its invitations' answers, each labelled
    by its own model's actions), as the template's loop wrote them (core.rows.timeline_rows)."""
    return mark_safe(rows.timeline_rows(context["events"], lambda e: rows.display(e, "action")))  # noqa: S308 (escaped there)


@register.simple_tag(takes_context=True)
def link_rows(context: Any) -> SafeString:
    """The <tr> of each link of the page (`links`, each with `kind_label` as text; `labels`: the page's entities' labels
    by id, since a link of the page is between two of its entities): ends, kind, dates, amount, source, shared."""
    labels = context["labels"]
    shared, private = escape(gettext("shared")), escape(gettext("private"))
    rows = []
    for link in context["links"]:
        dates = escape(localize(link.first_date)) if link.first_date else ""
        if link.last_date:
            dates = f"{dates} – {escape(localize(link.last_date))}"
        amount = f"{escape(localize(link.amount))} {escape(link.currency)}" if link.amount else ""
        rows.append(f"<tr><td>{escape(labels.get(link.source_id, ''))}</td><td>{escape(link.kind_label)}</td>"
                    f"<td>{escape(labels.get(link.target_id, ''))}</td><td>{dates}</td><td>{amount}</td>"
                    f"<td>{escape(link.information_source)}</td><td>{shared if link.shared else private}</td></tr>")
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def entity_options(context: Any) -> SafeString:
    """The page's entities as <option>s ("kind: label") for the two ends of a new link."""
    return mark_safe("".join(f'<option value="{e.pk}">{escape(e.kind_label)}: {escape(e.label)}</option>'  # noqa: S308 (escaped)
                             for e in context["entities"]))


@register.simple_tag
def form_rows(form: Any, skip: str = "", only: str = "") -> SafeString:
    """`{% form_rows form "a,b" %}`: the form's fields but a and b (`only="c"`: field c alone), each in its
    `<div class="form-row">` with label, widget and errors (core.widgets.form_rows)."""
    if only:
        skip = ",".join(name for name in form.fields if name not in only.split(","))
    return widgets.form_rows(form, tuple(name for name in skip.split(",") if name))


@register.simple_tag
def field_label(field: Any) -> SafeString:
    """`{% field_label form.name %}`: what `{{ form.name.label_tag }}` writes (core.widgets.label_tag; a blank form's
    field through core.widgets.blank_label, kept per language)."""
    if isinstance(field, widgets.BlankField):
        return widgets.blank_label(field)
    return widgets.label_tag(field)


@register.simple_tag
def case_rows(cases: Any) -> SafeString:
    """The <tr> of each case of the list's page: reference linking to the case, title, offence, lead unit (and its
    country), state (what cases/list.html's loop wrote; tests/cases/test_page_rows.py compares the two)."""
    before, after = rows.url_prefix("cases:detail")
    offences, states = rows.labels(Offence.choices), rows.labels(CaseState.choices)
    return mark_safe("".join(  # noqa: S308 (every value escaped)
        f'<tr><td><a href="{before}{c.pk}{after}">{escape(c.reference)}</a></td><td>{escape(c.title)}</td>'
        f"<td>{escape(offences.get(c.offence, c.offence))}</td><td>{escape(c.lead_unit.name)} ({escape(c.lead_unit.country_id)})</td>"
        f"<td>{escape(states.get(c.state, c.state))}</td></tr>" for c in cases))


@register.simple_tag
def invitation_items(invitations: Any) -> SafeString:
    """The <li> of each invitation to answer: reference linking to it, offence, lead unit (and its country)."""
    before, after = rows.url_prefix("cases:invitation")
    offences = rows.labels(Offence.choices)
    return mark_safe("".join(  # noqa: S308 (every value escaped)
        f'<li><a href="{before}{i.pk}{after}">{escape(i.reference)}</a> · {escape(offences.get(i.offence, i.offence))} · '
        f"{escape(i.lead_unit.name)} ({escape(i.lead_unit.country_id)})</li>" for i in invitations))
