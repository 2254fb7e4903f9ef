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
from borderlink.plans.models import Area, IndicatorKind, ItemStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_item_rows(context: Any) -> SafeString:
    """The <tr> of each item in force (`items`: (item, its progress form) pairs): area, activity with its progress
    reports, lead units, indicator linking to its sources, target, due date, status and, on a signed plan for the
    side that reports on the item (`side`), the progress form."""
    plan, side = context["plan"], context["side"]
    areas, indicators, statuses = rows.labels(Area.choices), rows.labels(IndicatorKind.choices), rows.labels(ItemStatus.choices)
    sources_before, sources_after = rows.url_prefix("plans:item_sources")
    progress_before, progress_after = rows.url_prefix("plans:item_progress")
    report = escape(gettext("Report progress"))
    csrf = _csrf(context)
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
            status += (f'\n<details{" open" if form.errors else ""}><summary>{report}</summary><form method="post" '
                       f'enctype="multipart/form-data" action="{progress_before}{item.pk}{progress_after}" class="card">'
                       f"{csrf}{form.non_field_errors()}\n{widgets.form_rows(form)}"
                       f'<button class="secondary" type="submit">{report}</button></form></details>')
        out.append(f'<tr id="item-{item.pk}"><td>{escape(areas.get(item.area, item.area))}</td><td>{escape(item.activity)}'
                   f'{"".join(reports)}</td>\n<td>{leads}</td><td>{indicator}</td><td>{target}</td>'
                   f"<td>{rows.text(item.due_date)}</td>\n<td>{status}</td></tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above; the forms drawn by core.widgets)
