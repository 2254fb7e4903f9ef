"""The review drawn in the active language: as a page, as a standalone HTML file, as a PDF (WeasyPrint,
with the bundled Noto Sans Khmer and Lao fonts) and as an XLSX workbook (XlsxWriter, one sheet per section,
native charts).

Charts are HTML/CSS bars (width and height classes in steps of one per cent), so WeasyPrint shapes every
label as HTML text: it does not shape SVG `<text>`, where Khmer and Lao would come out one character at a
time (DESIGN.md, reports).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from borderlink.core.models import Country
from borderlink.core.text import shorten
from borderlink.review import figures

FONTS_DIR = Path(settings.BASE_DIR) / "borderlink" / "static" / "borderlink" / "fonts"
FONT_FILES = {
    ("Borderlink Khmer", 400): "noto-sans-khmer-khmer-400-normal.woff2",
    ("Borderlink Khmer", 700): "noto-sans-khmer-khmer-700-normal.woff2",
    ("Borderlink Lao", 400): "noto-sans-lao-lao-400-normal.woff2",
    ("Borderlink Lao", 700): "noto-sans-lao-lao-700-normal.woff2",
}


FONT_STACK = '"Noto Sans","Borderlink Khmer","Borderlink Lao","DejaVu Sans",sans-serif'


def _country_names() -> dict[str, str]:
    return {c.code: c.name for c in Country.objects.all()}


def _pair_label(names: dict[str, str], origin: str, counterpart: str) -> str:
    if not counterpart:
        return _("%(country)s (not shared)") % {"country": names.get(origin, origin)}
    return f"{names.get(origin, origin)} → {names.get(counterpart, counterpart)}"


def _number(value: int | float | None) -> str:
    if value is None:
        return _("suppressed")
    return formats.number_format(value, force_grouping=True)


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The review's content in the active language, ready for the templates and the workbook."""
    inp = data["input"]
    names = _country_names()
    home = settings.NODE_COUNTRY
    peer_totals: dict[tuple[str, str, str, str], tuple[str, int | None]] = {}
    for row in data["comparison"]:
        peer_totals[(row["figure"], row["key"], row["origin"], row["counterpart"])] = (row["peer"], row["theirs"])
    sections = []
    for section_id, section_title in figures.SECTIONS.items():
        items = []
        for name, spec in figures.SPECS.items():
            if spec.section != section_id:
                continue
            labels = {k: str(v) for k, v in spec.keys().items()}
            rows: dict[tuple[str, str, str], dict[str, Any]] = {}
            for cell in data["mine"]["figures"][name]:
                ident = (cell["key"], cell["origin"], cell["counterpart"])
                row = rows.setdefault(ident, {"key": cell["key"], "label": labels.get(cell["key"], cell["key"]),
                                              "origin": cell["origin"], "counterpart": cell["counterpart"],
                                              "pair": _pair_label(names, cell["origin"], cell["counterpart"]),
                                              "months": [0] * 12, "total": 0})
                if cell["month"] == 0:
                    row["total"] = cell["count"]
                else:
                    row["months"][cell["month"] - 1] = cell["count"]
                    if not spec.suppressed:
                        row["total"] += cell["count"] or 0
            for figure, key, origin, counterpart in peer_totals:
                if figure == name and (key, origin, counterpart) not in rows:
                    rows[(key, origin, counterpart)] = {
                        "key": key, "label": labels.get(key, key), "origin": origin, "counterpart": counterpart,
                        "pair": _pair_label(names, origin, counterpart), "months": [0] * 12, "total": 0}
            ordered = sorted(rows.values(), key=lambda r: (r["origin"], r["counterpart"], r["label"]))
            top = max([r["total"] or 0 for r in ordered] + [1])
            for row in ordered:
                found = peer_totals.get((name, row["key"], row["origin"], row["counterpart"]))
                peer_country, peer_total = found if found is not None else ("", None)
                row["peer"] = names.get(peer_country, peer_country)
                row["peer_total"] = peer_total
                row["has_peer"] = found is not None
                row["differs"] = found is not None and peer_total is not None and row["total"] is not None \
                    and peer_total != row["total"]
                row["width"] = round(100 * (row["total"] or 0) / top)
                row["months_text"] = [_number(v) if v is not None else _("suppressed") for v in row["months"]]
                row["total_text"] = _number(row["total"])
                row["peer_text"] = _number(peer_total) if found is not None else "—"
                row["links"] = not spec.suppressed
            monthly = [sum((r["months"][m] or 0) for r in ordered) for m in range(12)]
            peak = max(monthly + [1])
            items.append({"name": name, "title": str(spec.title), "rows": ordered, "suppressed": spec.suppressed,
                          "monthly": [{"month": m + 1, "count": v, "height": round(100 * v / peak)}
                                      for m, v in enumerate(monthly)]})
        sections.append({"id": section_id, "title": str(section_title), "figures": items})
    medians = []
    for m in sorted(data["mine"]["medians"], key=lambda m: (m["origin"], m["counterpart"], m["month"])):
        medians.append({**m, "pair": _pair_label(names, m["origin"], m["counterpart"]),
                        "month_text": str(m["month"]) if m["month"] else _("the year"),
                        "hours_text": formats.number_format(m["hours"], 1)})
    comparison = []
    for row in data["comparison"]:
        spec = figures.SPECS[row["figure"]]
        labels = {k: str(v) for k, v in spec.keys().items()}
        comparison.append({
            **row, "figure_title": str(spec.title), "label": labels.get(row["key"], row["key"]),
            "pair": _pair_label(names, row["origin"], row["counterpart"]),
            "sentence": _("%(home)s counts %(mine)s, %(peer)s counts %(theirs)s") % {
                "home": names.get(home, home), "mine": _number(row["mine"]),
                "peer": names.get(row["peer"], row["peer"]), "theirs": _number(row["theirs"])},
            "links": not spec.suppressed})
    ex = data["exchanges"]
    exchanges = [
        {"label": _("Ministerial conference"), "count": ex["conferences"],
         "note": f'{names.get(ex["conference_host"], ex["conference_host"])}, {ex["conference_place"]}' if ex["conferences"] else ""},
        {"label": _("Delegations"), "count": ex["delegations"], "note": ""},
        {"label": _("Study visits"), "count": ex["study_visits"], "note": ""},
        {"label": _("Training exchanges"), "count": ex["training_exchanges"],
         "note": _("%(n)s courses") % {"n": _number(ex["courses"])}},
        *({"label": _("Training participants from %(country)s") % {"country": names.get(code, code)}, "count": n, "note": ""}
          for code, n in ex["participants"].items()),
    ]
    for row in exchanges:
        row["value"] = _number(row["count"])
    subject = (_("%(home)s and %(other)s") % {"home": names.get(home, home), "other": names.get(inp.country, inp.country)}
               if inp.country else names.get(home, home))
    return {
        "title": _("Year-end review %(year)d") % {"year": inp.year}, "subject": subject, "year": inp.year,
        "country": inp.country, "home_name": names.get(home, home), "sections": sections, "medians": medians,
        "comparison": comparison, "discrepancies": sum(1 for r in comparison if r["differs"]),
        "peers": [{"name": names.get(c, c), "computed_at": p.computed_at, "received_at": p.received_at}
                  for c, p in sorted(data["peers"].items())],
        "plan_items": data["plan_items"], "exchanges": exchanges, "built_at": data["built_at"], "months": list(range(1, 13)),
        "k": figures.VICTIM_K,
    }


def bar_css() -> str:
    """The width and height classes of the bars (also served as a static file for the pages)."""
    return "".join(f".w-{n}{{width:{n}%}}.h-{n}{{height:{n}%}}" for n in range(101))


def font_css() -> str:
    faces = []
    for (family, weight), filename in FONT_FILES.items():
        faces.append(f'@font-face{{font-family:"{family}";font-weight:{weight};'
                     f'src:url("{(FONTS_DIR / filename).as_uri()}") format("woff2")}}')
    return "".join(faces)


def html_document(data: dict[str, Any], for_pdf: bool = False) -> str:
    """The review as one self-contained HTML document (the HTML file, and the source of the PDF)."""
    return render_to_string("review/document.html", {
        "r": present(data), "css": bar_css(), "fonts": font_css() if for_pdf else "", "for_pdf": for_pdf,
        "font_stack": FONT_STACK, "LANGUAGE_CODE": data["input"].language})


def document_pdf(html: str) -> bytes:
    """Any HTML document as a PDF, drawn by WeasyPrint, which shapes Khmer and Lao with HarfBuzz; the
    document's @font-face rules name the bundled fonts (`font_css`)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    return bytes(HTML(string=html, base_url=str(FONTS_DIR)).write_pdf(font_config=FontConfiguration()))


def pdf(data: dict[str, Any]) -> bytes:
    """The review as a PDF, drawn by WeasyPrint from the HTML document with the bundled fonts."""
    return document_pdf(html_document(data, for_pdf=True))


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, used: set[str]) -> str:
    # Excel allows 31 characters; cut between grapheme clusters, at a space when one is near the end.
    name = shorten(_SHEET_BAD.sub(" ", title).strip(), 31, min_word=20) or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" {n}"
        name = shorten(base, 31 - len(suffix)) + suffix
        n += 1
    used.add(name.lower())
    return name


def xlsx(data: dict[str, Any]) -> bytes:
    """The review as a workbook: a summary sheet, one sheet per section (each figure a table of months and
    a native column chart), the comparison with the peers, and the plan's items when there is a plan.
    Suppressed victims' counts are empty cells marked in the note column."""
    import xlsxwriter

    r = present(data)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    diff = book.add_format({"bg_color": "#F8D7DA"})
    used: set[str] = set()
    summary = book.add_worksheet(_sheet_name(_("Summary"), used))
    summary.write(0, 0, r["title"], title)
    summary.write(1, 0, r["subject"])
    summary.write(2, 0, _("Discrepancies with the other side"), bold)
    summary.write_number(2, 1, r["discrepancies"])
    summary.set_column(0, 0, 48)
    month_headers = [str(m) for m in r["months"]]
    for section in r["sections"]:
        sheet = book.add_worksheet(_sheet_name(section["title"], used))
        sheet.write(0, 0, section["title"], title)
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1, 28)
        row = 2
        for fig in section["figures"]:
            sheet.write(row, 0, fig["title"], bold)
            row += 1
            headers = [_("Kind"), _("Countries"), *month_headers, _("Total"), _("Other side"), _("Note")]
            sheet.write_row(row, 0, headers, bold)
            first = row + 1
            for item in fig["rows"]:
                row += 1
                sheet.write(row, 0, item["label"])
                sheet.write(row, 1, item["pair"])
                for m, value in enumerate(item["months"]):
                    if value is None:
                        sheet.write_blank(row, 2 + m, None)
                    else:
                        sheet.write_number(row, 2 + m, value)
                if item["total"] is None:
                    sheet.write_blank(row, 14, None)
                else:
                    sheet.write_number(row, 14, item["total"], diff if item["differs"] else None)
                if item["has_peer"] and item["peer_total"] is not None:
                    sheet.write_number(row, 15, item["peer_total"], diff if item["differs"] else None)
                notes = []
                if item["differs"]:
                    notes.append(_("differs from the other side"))
                if fig["suppressed"] and (item["total"] is None or None in item["months"]):
                    notes.append(_("cells under %(k)d persons suppressed") % {"k": r["k"]})
                sheet.write(row, 16, "; ".join(notes))
            last = row
            if fig["rows"]:
                chart = book.add_chart({"type": "column"})
                sheet_ref = sheet.get_name()
                for n in range(first, last + 1):
                    chart.add_series({"name": [sheet_ref, n, 0], "categories": [sheet_ref, first - 1, 2, first - 1, 13],
                                      "values": [sheet_ref, n, 2, n, 13]})
                chart.set_title({"name": fig["title"]})
                chart.set_x_axis({"name": _("Month")})
                chart.set_legend({"position": "bottom"})
                chart.set_size({"width": 640, "height": 260})
                sheet.insert_chart(first - 2, 18, chart)
                row = max(row, first + 12)
            else:
                row += 1
                sheet.write(row, 0, _("Nothing in this period."))
            row += 2
        if section["id"] == "requests" and r["medians"]:
            sheet.write(row, 0, _("Median hours to a first answer"), bold)
            row += 1
            sheet.write_row(row, 0, [_("Countries"), _("Month"), _("Hours")], bold)
            for median in r["medians"]:
                row += 1
                sheet.write(row, 0, median["pair"])
                sheet.write(row, 1, median["month_text"])
                sheet.write_number(row, 2, median["hours"])
    sheet = book.add_worksheet(_sheet_name(_("Both sides"), used))
    sheet.write_row(0, 0, [_("Figure"), _("Kind"), _("Countries"), r["home_name"], _("Other side"), _("Counted by"),
                           _("Differs")], bold)
    sheet.set_column(0, 2, 30)
    for n, item in enumerate(r["comparison"], start=1):
        sheet.write_row(n, 0, [item["figure_title"], item["label"], item["pair"]])
        for col, value in ((3, item["mine"]), (4, item["theirs"])):
            if value is None:
                sheet.write(n, col, _("suppressed"))
            else:
                sheet.write_number(n, col, value, diff if item["differs"] else None)
        sheet.write(n, 5, item["sentence"])
        sheet.write(n, 6, _("yes") if item["differs"] else _("no"))
    sheet = book.add_worksheet(_sheet_name(_("Conferences, visits, training"), used))
    sheet.write_row(0, 0, [_("Kind"), _("Count"), _("Note")], bold)
    sheet.set_column(0, 0, 40)
    for n, item in enumerate(r["exchanges"], start=1):
        sheet.write(n, 0, item["label"])
        sheet.write_number(n, 1, item["count"])
        sheet.write(n, 2, item["note"])
    if r["plan_items"] is not None:
        sheet = book.add_worksheet(_sheet_name(_("Plan items"), used))
        sheet.write_row(0, 0, [_("Area"), _("Activity"), _("Indicator"), _("Value"), _("Target"), _("Due")], bold)
        sheet.set_column(0, 2, 36)
        for n, item in enumerate(r["plan_items"], start=1):
            sheet.write_row(n, 0, [item.get("area", ""), item.get("activity", ""), item.get("indicator", ""),
                                   item.get("value_text", ""), item.get("target_text", ""), item.get("due_text", "")])
    book.close()
    return out.getvalue()
