"""Small SVG drawn on the server for the dashboard: a bar of progress against the target, and the trend by
month. No script, no style attribute (the pages' Content-Security-Policy); the labels are escaped."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GOOD, BAD, NEUTRAL, TRACK = "#1b6e2a", "#a11b1b", "#6b7a90", "#e4e9f0"


def progress_bar(value: Decimal | None, target: Decimal | None, on_track: bool | None, label: str) -> SafeString:
    """A 160×14 bar: the share of the target reached (full at or past the target)."""
    share = 0.0
    if value is not None and target:
        share = float(min(value / target, Decimal(1)))
    elif value is not None and target == 0:
        share = 1.0
    colour = GOOD if on_track else BAD if on_track is False else NEUTRAL
    return mark_safe(  # noqa: S308 (numbers and escaped labels only)
        f'<svg class="bar" width="160" height="14" viewBox="0 0 160 14" role="img" aria-label="{escape(label)}">'
        f'<rect width="160" height="14" fill="{TRACK}"/><rect width="{160 * share:.1f}" height="14" fill="{colour}"/></svg>')


def trend(points: list[tuple[str, Decimal | None]], label: str) -> SafeString:
    """Twelve bars, one a month, scaled to the largest value; a month without a value has no bar."""
    values = [float(v) for _m, v in points if v is not None]
    top = max(values) if values else 0.0
    bars = []
    for i, (month, value) in enumerate(points):
        height = 0.0 if value is None or top == 0 else 22 * float(value) / top
        bars.append(f'<rect x="{i * 10 + 1}" y="{24 - height:.1f}" width="8" height="{height:.1f}" fill="{NEUTRAL}">'
                    f'<title>{escape(month)}: {escape("—" if value is None else value.normalize())}</title></rect>')
    return mark_safe(f'<svg class="trend" width="120" height="24" viewBox="0 0 120 24" role="img" '  # noqa: S308
                     f'aria-label="{escape(label)}">{"".join(bars)}</svg>')
