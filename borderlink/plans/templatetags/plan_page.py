"""The items of a plan's page drawn in Python (issue 19).

Through the template engine the items table (each item's progress reports, lead units, indicator, target, and for
the side that reports on it the progress form) was most of the plan page's CPU time. `plan_item_rows` writes the
HTML the template wrote (tests/plans/test_page_rows.py compares the two in several languages): labels translated
once per page, every value escaped as the template escaped it, numbers and dates in the reader's language.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from borderlink.cases.templatetags.case_page import _csrf
from borderlink.core import display, rows, widgets
from borderlink.plans.forms import ProgressForm
from borderlink.plans.models import Area, IndicatorKind, ItemStatus, PlanAction

register = template.Library()

_ITEM = "00000000-0000-0000-0000-000000000000"


def _blank_progress_form() -> str:
    """The fields of an unbound progress form as drawn for the item whose key is `_ITEM` (core.widgets.form_rows;
    ProgressForm is `same_when_blank`, so drawn once per language and process): every item's blank form is this
    text with its own key in the ids, which is all that differs between them."""
    return str(widgets.form_rows(ProgressForm(auto_id=f"p-{_ITEM}-%s")))


@register.simple_tag(takes_context=True)
def plan_item_rows(context: Any) -> SafeString:
    """The <tr> of each item in force (`items`: (item, its progress form) pairs; None for a blank form, drawn once
    per page and given the item's key): area, activity with its progress reports, lead units, indicator linking to
    its sources, target, due date, status and, on a signed plan for the side that reports on the item (`side`),
    the progress form."""
    plan, side = context["plan"], context["side"]
    areas, indicators, statuses = rows.labels(Area.choices), rows.labels(IndicatorKind.choices), rows.labels(ItemStatus.choices)
    sources_before, sources_after = rows.url_prefix("plans:item_sources")
    progress_before, progress_after = rows.url_prefix("plans:item_progress")
    report = escape(gettext("Report progress"))
    csrf = _csrf(context)
    blank: str | None = None
    out = []
    for item, form in context["items"]:
        reports = []
        for p in item.progress.all():
            line = f'<div class="meta">{rows.short_date(p.at)} · {escape(statuses.get(p.status, p.status))}'
            if p.value is not None:
                line += f" · {rows.text(p.value)}"
            if p.note:
                line += f" · {escape(p.note)}"
            reports.append(line + "</div>")
        leads = f"{escape(item.lead_proposing.name)} · {escape(item.lead_partner.name)}"
        if item.lead_third:
            leads += f" · {escape(item.lead_third.name)}"
        indicator = (f'<a href="{sources_before}{item.pk}{sources_after}">{escape(indicators.get(item.indicator, item.indicator))}'
                     "</a>")
        if item.parameter:
            indicator += f" ({rows.text(item.parameter)})"
        target = escape(display.quantity(item.target))
        if item.target_text:
            target += f" {escape(item.target_text)}"
        status = escape(statuses.get(item.status, item.status))
        if plan.signed_version_id and item.owner_side == side:
            if form is None:
                if blank is None:
                    blank = _blank_progress_form()
                fields, is_open = "\n" + blank.replace(_ITEM, str(item.pk)), False  # no error of a blank form
            else:
                fields, is_open = f"{form.non_field_errors()}\n{widgets.form_rows(form)}", bool(form.errors)
            status += (f'\n<details{" open" if is_open else ""}><summary>{report}</summary><form method="post" '
                       f'enctype="multipart/form-data" action="{progress_before}{item.pk}{progress_after}" class="card">'
                       f"{csrf}{fields}"
                       f'<button class="secondary" type="submit">{report}</button></form></details>')
        out.append(f'<tr id="item-{item.pk}"><td>{escape(areas.get(item.area, item.area))}</td><td>{escape(item.activity)}'
                   f'{"".join(reports)}</td>\n<td>{leads}</td><td>{indicator}</td><td>{target}</td>'
                   f"<td>{rows.text(item.due_date)}</td>\n<td>{status}</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above; the forms drawn by core.widgets)


@register.simple_tag(takes_context=True)
def plan_version_rows(context: Any) -> SafeString:
    """The <tr> of each version (`versions`): number, author and their side's country code, reason, number of items,
    date signed."""
    plan = context["plan"]
    countries = {"proposing": plan.proposing_unit.country_id, "third": plan.third_country_id}
    partner = plan.partner_unit.country_id
    out = []
    for v in context["versions"]:
        signed = rows.short_date(v.signed_at) if v.signed_at else ""
        out.append(f"<tr><td>{rows.text(v.number)}</td><td>{escape(v.author_name)} · {rows.text(countries.get(v.side, partner))}"
                   f"</td><td>{escape(v.reason)}</td><td>{rows.text(len(v.items))}</td><td>{signed}</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def plan_event_rows(context: Any) -> SafeString:
    """The plan's timeline (`events`, their attachments prefetched): time, actor, step, text and a link to each
    attachment (core.rows.timeline_rows)."""
    before, after = rows.url_prefix_int("plans:evidence")

    def attachments(e: Any) -> str:
        return "".join(f' <a href="{before}{a.pk}{after}">{escape(a.filename)}</a>' for a in e.attachments.all())

    return mark_safe(rows.timeline_rows(context["events"], rows.labels(PlanAction.choices), after_text=attachments))  # noqa: S308
