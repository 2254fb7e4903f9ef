"""The review's PDF shapes Khmer and Lao: the glyphs WeasyPrint draws for a Khmer word with a subscript
(ខ្មែរ) and a Lao word with stacked marks (ເຈົ້າໜ້າທີ່) are those HarfBuzz (uharfbuzz) gives for the same
text and the same bundled font, not one glyph per character. And the review's pages in Khmer and Lao
render to images (pdftoppm)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from borderlink.core import clock
from borderlink.review import render

KHMER = "ខ្មែរ"
LAO = "ເຈົ້າໜ້າທີ່"
FONTS = {"Khmer": "noto-sans-khmer-khmer-400-normal.woff2", "Lao": "noto-sans-lao-lao-400-normal.woff2"}


def _font_bytes(name: str) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(str(render.FONTS_DIR / name))
    font.flavor = None  # WOFF2 -> the plain OpenType font HarfBuzz reads
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def harfbuzz_glyphs(text: str, font_file: str) -> list[int]:
    import uharfbuzz as hb

    font = hb.Font(hb.Face(_font_bytes(font_file)))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return [info.codepoint for info in buf.glyph_infos]


def cmap_glyphs(text: str, font_file: str) -> list[int]:
    """What a renderer that does not shape would draw: each character's own glyph, in typed order."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes(font_file)))
    cmap, order = font.getBestCmap(), font.getGlyphOrder()
    return [order.index(cmap[ord(ch)]) for ch in text if ord(ch) in cmap]


def pdf_glyphs(pdf: bytes) -> dict[str, list[int]]:
    """The glyph ids each font of the PDF draws, in drawing order, by the font's name (subset prefix
    removed). WeasyPrint embeds CID fonts with Identity-H: two bytes per glyph, CID = glyph id, since it
    subsets keeping the glyph ids (a CIDToGIDMap stream, if any, is applied)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    drawn: dict[str, list[int]] = {}
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        maps: dict[str, list[int] | None] = {}
        names: dict[str, str] = {}
        for key, ref in fonts.items():
            font = ref.get_object()
            names[key] = str(font["/BaseFont"]).split("+", 1)[-1]
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else None
            mapping = descendant.get("/CIDToGIDMap") if descendant is not None else None
            if mapping is not None and not isinstance(mapping.get_object(), str) and hasattr(mapping.get_object(), "get_data"):
                data = mapping.get_object().get_data()
                maps[key] = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]
            else:
                maps[key] = None
        current = ""
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = str(operands[0])
            elif operator in (b"Tj", b"TJ"):
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                for part in parts:
                    if isinstance(part, (int, float)) or (not hasattr(part, "original_bytes") and not isinstance(part, bytes)):
                        continue
                    raw = part.original_bytes if hasattr(part, "original_bytes") else bytes(part)
                    cids = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2)]
                    table = maps.get(current)
                    gids = [table[c] if table and c < len(table) else c for c in cids]
                    drawn.setdefault(names.get(current, current), []).extend(gids)
    return drawn


def _contains(haystack: list[int], needle: list[int]) -> bool:
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def test_pdf_glyphs_are_harfbuzz_shaped():
    html = (f"<!doctype html><html><head><meta charset='utf-8'><style>{render.font_css()}"
            f"body{{font-family:{render.FONT_STACK};font-size:14pt}}</style></head>"
            f"<body><p lang='km'>{KHMER}</p><p lang='lo'>{LAO}</p></body></html>")
    drawn = pdf_glyphs(render.document_pdf(html))
    for script, word in (("Khmer", KHMER), ("Lao", LAO)):
        expected = harfbuzz_glyphs(word, FONTS[script])
        naive = cmap_glyphs(word, FONTS[script])
        assert expected != naive, f"{script}: shaping changes nothing, the test would prove nothing"
        font = next((name for name in drawn if script in name), None)
        assert font is not None, (script, list(drawn))
        assert _contains(drawn[font], expected), (script, drawn[font], expected)
        assert not _contains(drawn[font], naive)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["km", "lo"])
def test_review_pages_in_khmer_and_lao_render(demo, tmp_path, language):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    out = tmp_path / f"review-{language}.pdf"
    call_command("review_report", "--year", str(clock.year()), "--country", "KH" if language == "km" else "LA",
                 "--language", language, "--format", "pdf", "-o", str(out), stdout=io.StringIO())
    drawn = pdf_glyphs(out.read_bytes())
    script = "Khmer" if language == "km" else "Lao"
    assert any(script in name and glyphs for name, glyphs in drawn.items()), list(drawn)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(out), str(tmp_path / language)], check=True,
                   timeout=120)
    pages = sorted(Path(tmp_path).glob(f"{language}-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 10_000 for p in pages)
    keep = Path(__file__).resolve().parents[1] / "browser" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for page in pages:
        shutil.copy(page, keep / f"review-{page.name}")
