"""Statistics without identities: every published cell keeps at least 10 persons or is suppressed, and a
suppressed cell cannot be derived from a published total. The HTCDS export carries no names or documents."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from borderlink.persons.models import IdentityDocument, Person, PersonName
from borderlink.victims import statistics
from borderlink.victims.models import VictimCase
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


def cases(org, n, *, exploitation="forced_criminality", sex="F", age_band="adult", home="LA", **extra):
    for i in range(n):
        person = Person.objects.create(recorded_by_unit=org.kh_unit, sex=sex, is_trafficking_victim=True)
        PersonName.objects.create(person=person, name=f"Secret Name {i}", script="latin")
        IdentityDocument.objects.create(person=person, doc_type="passport", number=f"=SECRET{i}",
                                        number_normalised=f"SECRET{i}", issuing_country_id=home)
        VictimCase.objects.create(reference=f"R{exploitation}{sex}{age_band}{i}", person=person, finding_unit=org.kh_unit,
                                  finding_country=org.kh, home_country_id=home, exploitation=exploitation,
                                  found_on=DAY, found_place="Compound", found_by="Police", age_band=age_band, sex=sex,
                                  review_on=DAY, **extra)


def test_cells_under_ten_are_suppressed_with_their_complement(org):
    planner = make_user("kh.planner", org.kh_unit, "planner")
    cases(org, 14)                        # published
    cases(org, 11, sex="M")               # published, but the smallest other cell of the row: suppressed as complement
    cases(org, 3, age_band="child")       # suppressed: 3 < 10
    result = statistics.figures(planner, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    [row] = result["metrics"]["identified"]["rows"]
    counts = {(c["sex"], c["age_band"]): c["count"] for c in row["cells"]}
    assert counts == {("F", "adult"): 14, ("M", "adult"): None, ("F", "child"): None}
    assert row["total"] == 28  # 28 - 14 leaves the two suppressed cells together, not either one
    assert result["metrics"]["returned"]["rows"] == [] and result["metrics"]["returned"]["total"] is None


def test_medians_are_published_only_with_their_cell(org):
    planner = make_user("kh.planner", org.kh_unit, "planner")
    cases(org, 10, verified_on=DAY + datetime.timedelta(days=6), returned_on=DAY + datetime.timedelta(days=20))
    cases(org, 4, exploitation="sexual", verified_on=DAY + datetime.timedelta(days=19))
    result = statistics.figures(planner, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    [row] = result["metrics"]["verified"]["rows"]
    cells = {c["exploitation"]: (c["count"], c["median_days"]) for c in row["cells"]}
    assert cells["forced_criminality"] == (None, None)  # the complement of the suppressed 4
    assert cells["sexual"] == (None, None)
    assert row["total"] == 14
    [returned] = result["metrics"]["returned"]["rows"]
    assert returned["cells"][0]["count"] == 10 and returned["cells"][0]["median_days"] == 20


def test_row_totals_are_suppressed_against_the_grand_total(org):
    planner = make_user("kh.planner", org.kh_unit, "planner")
    cases(org, 12)
    cases(org, 2, home="VN")
    table = statistics.figures(planner, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))["metrics"]["identified"]
    assert table["total"] == 14
    assert [r["total"] for r in table["rows"]] == [None, None]


def test_statistics_and_export_refused_to_others(org, officer):
    with pytest.raises(Http404):
        statistics.figures(officer, DAY, DAY)
    with pytest.raises(Http404):
        statistics.export_htcds(officer, 2026)


def test_htcds_export_has_no_names_or_documents_and_is_formula_safe(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    cases(org, 2, age_band="unknown_minor", returned_on=DAY + datetime.timedelta(days=9))
    text = statistics.export_htcds(protector, 2026)
    lines = text.strip().splitlines()
    assert lines[0].split(",") == statistics.HTCDS_FIELDS and len(lines) == 3
    assert "Secret" not in text and "SECRET" not in text and "R" + "forced" not in text
    row = dict(zip(statistics.HTCDS_FIELDS, lines[1].split(","), strict=True))
    assert row["majorityStatus"] == "Minor" and row["returned"] == "1" and row["daysToReturn"] == "9"
    assert statistics.safe_cell("=1+2") == "'=1+2" and statistics.safe_cell("-3") == "'-3"
