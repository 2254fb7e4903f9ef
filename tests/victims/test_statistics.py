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


def _export(protector, year=2026):
    import csv
    import io

    text = statistics.export_htcds(protector, year)
    rows = list(csv.reader(io.StringIO(text)))
    return text, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_htcds_export_has_no_names_or_documents_and_is_formula_safe(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    cases(org, 10, age_band="unknown_minor", returned_on=DAY + datetime.timedelta(days=9))
    text, header, rows = _export(protector)
    assert header == statistics.HTCDS_FIELDS and len(rows) == 10
    assert "Secret" not in text and "SECRET" not in text and "R" + "forced" not in text
    assert rows[0]["majorityStatus"] == "Minor" and rows[0]["returned"] == "1" and rows[0]["daysToReturn"] == "0-30"
    assert [r["caseId"] for r in rows] == [str(i) for i in range(1, 11)]  # a row number, no link to the case
    assert statistics.safe_cell("=1+2") == "'=1+2" and statistics.safe_cell("-3") == "'-3"


def _groups(rows):
    from collections import Counter

    return Counter(tuple(r[f] for f in statistics.QUASI_IDENTIFIERS) for r in rows)


def test_htcds_export_releases_no_record_that_fewer_than_k_share(org):
    """10 alike are released as recorded; 9 who differ from them only in the means of control are released
    with the means blanked, together with 1 who also differs there; 6 men and 5 women returned alike are
    released once their sex is blanked; 2 of another country pair never reach 10 and are suppressed."""
    from borderlink.audit.models import AuditEvent

    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    cases(org, 10)
    cases(org, 9, indicators=["debt_bondage"])
    cases(org, 1, indicators=["violence"])
    returned = DAY + datetime.timedelta(days=40)
    cases(org, 6, sex="M", returned_on=returned)
    cases(org, 5, returned_on=returned)
    cases(org, 2, home="VN")
    _text, _header, rows = _export(protector)
    counts = _groups(rows)
    assert counts and min(counts.values()) >= statistics.K
    assert len(rows) == 10 + 10 + 11 and not [r for r in rows if r["citizenship"] == "VN"]
    assert sum(1 for r in rows if r["gender"] == "") == 11  # the returned: sex suppressed to make 11
    assert sum(1 for r in rows if r["meansOfControlDebtBondage"] == "") == 10 + 11
    assert {r["daysToReturn"] for r in rows} == {""}  # the returned lost their (banded) duration on the way
    audit = AuditEvent.objects.get(action="victims.export.htcds")
    assert audit.data == {"rows": 31, "suppressed": 2, "k": statistics.K}


def test_htcds_export_under_k_in_all_releases_nothing(org):
    protector = make_user("kh.p", org.kh_unit, "victim_protection")
    cases(org, 9)
    _text, header, rows = _export(protector)
    assert header == statistics.HTCDS_FIELDS and rows == []


@pytest.mark.parametrize("k", [2, 5, 10])
def test_k_anonymise_keeps_every_released_group_at_k_or_more(k):
    import random

    rng = random.Random(k)
    base = dict.fromkeys(statistics.QUASI_IDENTIFIERS, "") | {"Datasource": "Case Management"}
    records = [{**base, **{f: rng.choice("01") for f in statistics.QUASI_IDENTIFIERS}} for _ in range(200)]
    released, suppressed = statistics.k_anonymise(records, k)
    assert len(released) + suppressed == 200
    assert min(_groups(released).values()) >= k


def test_months_are_the_nodes_months_not_utc(org):
    """A return declined at 00:30 on 1 April in the node's time zone (17:30 UTC on 31 March) counts in April:
    the statistics' months are the node's (settings.TIME_ZONE, Asia/Ho_Chi_Minh), as its pages show them."""
    from borderlink.victims.models import Closure

    planner = make_user("kh.planner", org.kh_unit, "planner")
    cases(org, 10, closure=Closure.DECLINED_RETURN, closed_at=datetime.datetime(2026, 3, 31, 17, 30, tzinfo=datetime.UTC))
    [row] = statistics.figures(planner, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))["metrics"]["declined_return"]["rows"]
    assert row["month"] == "2026-04" and row["total"] == 10
