"""Indicators computed from real records on this node: each kind counts the records between the plan's
countries in the period, and `evaluate` compares with the target (on track pro rata, late after the due date);
victims figures under 10 are suppressed; the sources page lists the records behind a value."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from borderlink.assistance.models import Handover, Request
from borderlink.custody.models import CustodyRecord
from borderlink.notices.models import Notice
from borderlink.persons.models import Person
from borderlink.plans import indicators, services
from borderlink.plans.conferences import TrainingInput, record_training, training_counts
from borderlink.victims.models import VictimCase
from tests.conftest import verified_client
from tests.plans.helpers import YEAR, item, propose, sign

TODAY = datetime.date(YEAR, 7, 1)  # half way through the plan's year


def at(month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, 9, 0, tzinfo=datetime.UTC)


def request(org, n: int, **fields):
    data = {"reference": f"R{n}", "kind": "verify_identity", "offence": "drug_trafficking", "subject": "Verify",
            "details": "Synthetic.", "requesting_unit": org.vn_unit, "requested_unit": org.kh_unit, "state": "answered",
            "sent_at": at(2), "deadline": at(2, 20)}
    data.update(fields)
    return Request.objects.create(**data)


def one(people, **overrides):
    plan = propose(people, items=[item(**overrides)])
    sign(people, plan)
    return plan.items.get()


def test_verification_requests_answered_on_time(people, org):
    it = one(people, indicator="verification_on_time", target="90")
    request(org, 1, first_answer_at=at(2, 12))                      # on time
    request(org, 2, first_answer_at=at(2, 25))                      # late
    request(org, 3, requesting_unit=org.la_unit, first_answer_at=at(2, 12))  # Laos: not this plan's pair
    request(org, 4, kind="locate", first_answer_at=at(2, 12))       # not a verification
    result = indicators.evaluate(it, today=TODAY)
    assert result.value == Decimal("50.00") and result.records == 2 and result.on_track is False
    assert result.target == 90 and not result.late and result.source_url.endswith(f"/plans/items/{it.pk}/sources/")


def test_fugitives_handed_over_pro_rata_and_late(people, org):
    it = one(people, indicator="fugitives_handed_over", target="4", due_date=f"{YEAR}-06-30")
    for n, month in ((1, 2), (2, 3)):
        Handover.objects.create(request=request(org, n, kind="arrest_handover"), state="handed_over",
                                handed_over_at=at(month))
    result = indicators.evaluate(it, today=TODAY)
    assert result.value == 2 and result.on_track is True  # 2 of 4 by mid-year
    assert result.late is True  # due at the end of June, not reached
    trend = dict(indicators.monthly(it))
    assert trend[f"{YEAR}-02"] == 1 and trend[f"{YEAR}-03"] == 1 and trend[f"{YEAR}-04"] == 0


def test_victims_returned_are_suppressed_below_ten(people, org):
    it = one(people, indicator="victims_returned", target="5", parameter=30)
    person = Person.objects.create(recorded_by_unit=org.kh_unit)
    for n in range(3):
        VictimCase.objects.create(reference=f"V{n}", person=person, finding_unit=org.kh_unit, finding_country=org.kh,
                                  home_country=org.vn, exploitation="forced_criminality", found_on=datetime.date(YEAR, 3, 1),
                                  found_place="Sihanoukville", found_by="Police", age_band="adult", sex="F",
                                  returned_on=datetime.date(YEAR, 3, 20), review_on=datetime.date(YEAR + 5, 1, 1))
    result = indicators.evaluate(it, today=TODAY)
    assert result.suppressed and result.value is None and result.records == 0 and result.on_track is None


def _returned(org, n: int, found: datetime.date, returned: datetime.date) -> None:
    person = Person.objects.create(recorded_by_unit=org.kh_unit)
    VictimCase.objects.create(reference=f"V{n}", person=person, finding_unit=org.kh_unit, finding_country=org.kh,
                              home_country=org.vn, exploitation="forced_criminality", found_on=found,
                              found_place="Sihanoukville", found_by="Police", age_band="adult", sex="F",
                              returned_on=returned, review_on=datetime.date(YEAR + 5, 1, 1))


def test_the_monthly_trend_hides_a_second_month_so_a_small_one_cannot_be_worked_out(people, org):
    """10 victims returned in March and 3 in April: the year (13) is shown, April is hidden, and so is March, or April
    would be 13 - 10 (complementary suppression, as the victims statistics do)."""
    it = one(people, indicator="victims_returned", target="5", parameter=30)
    for n in range(10):
        _returned(org, n, datetime.date(YEAR, 3, 1), datetime.date(YEAR, 3, 20))
    for n in range(10, 13):
        _returned(org, n, datetime.date(YEAR, 4, 1), datetime.date(YEAR, 4, 20))
    assert indicators.evaluate(it, today=TODAY).value == 13
    trend = dict(indicators.monthly(it))
    assert trend[f"{YEAR}-04"] is None and trend[f"{YEAR}-03"] is None and trend[f"{YEAR}-05"] == 0
    page = verified_client(people.vn_planner).get(f"/plans/{it.plan_id}/dashboard/")
    assert page.status_code == 200


def test_the_sources_page_shows_no_count_of_victims_under_ten(people, org):
    """None returned within the item's 30 days (value 0, shown), while 3 were returned later: the sources page lists
    the counted cases only, so the 3 appear nowhere."""
    it = one(people, indicator="victims_returned", target="5", parameter=30)
    for n in range(3):
        _returned(org, n, datetime.date(YEAR, 1, 5), datetime.date(YEAR, 3, 20))  # 74 days: not within 30
    assert indicators.evaluate(it, today=TODAY).value == 0
    page = verified_client(people.vn_planner).get(f"/plans/items/{it.pk}/sources/").content.decode()
    assert "Nạn nhân mua bán người · 0</h2>" in page and "victim_case" not in page  # (the planner reads Vietnamese)
    assert "V0" not in page and " 3<" not in page


def test_custody_notices_and_training(people, org):
    person = Person.objects.create(recorded_by_unit=org.kh_unit)
    custody = one(people, indicator="custody_notifications", target="1")
    CustodyRecord.objects.create(reference="C1", detaining_unit=org.kh_unit, nationality=org.vn, person=person,
                                 person_name="Synthetic", kind="arrest", detained_at=at(4), place_held="Bavet",
                                 offence="drug_trafficking")
    assert indicators.evaluate(custody, today=TODAY).value == 1
    notices = one(people, indicator="notices_published", target="2")
    shared = Notice.objects.create(kind="wanted_arrest", subject=person, issuing_unit=org.vn_unit, summary="x",
                                   review_date=datetime.date(YEAR + 1, 1, 1), state="published", published_at=at(5))
    shared.shared_with.set([org.kh])
    Notice.objects.create(kind="wanted_arrest", subject=person, issuing_unit=org.vn_unit, summary="x",
                          review_date=datetime.date(YEAR + 1, 1, 1), state="published", published_at=at(5))  # not shared
    assert indicators.evaluate(notices, today=TODAY).value == 1
    training = one(people, indicator="training_exchanges", target="1", area="training")
    record_training(people.vn_planner, TrainingInput(title="Cyber fraud investigation", host="VN",
                                                     starts_on=datetime.date(YEAR, 5, 4), ends_on=datetime.date(YEAR, 5, 8),
                                                     courses=["Scam compounds", "Crypto tracing"],
                                                     participants={"VN": 12, "KH": 10}))
    assert indicators.evaluate(training, today=TODAY).on_track is True
    counts = training_counts(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    assert counts.exchanges == 1 and counts.courses == 2 and counts.participants == {"KH": 10, "VN": 12}


def test_reported_indicator_with_a_text_target(people):
    plan = propose(people)
    sign(people, plan)
    drugs = plan.items.get(indicator="reported")
    assert indicators.evaluate(drugs, today=TODAY).on_track is False
    services.report_progress(people.kh_planner, drugs.pk, services.ProgressInput(status="in_progress", note="Started"))
    drugs.refresh_from_db()
    result = indicators.evaluate(drugs, today=TODAY)
    assert result.measure == "text" and result.on_track is True and not result.late
    assert indicators.evaluate(drugs, today=datetime.date(YEAR, 12, 31)).late is True


def test_sources_page_lists_only_what_the_reader_may_open(people, org, officer):
    it = one(people, indicator="fugitives_handed_over", target="4")
    Handover.objects.create(request=request(org, 1, kind="arrest_handover", created_at=timezone.now(), reference="VN-TEST/2026/7731"),
                            state="handed_over", handed_over_at=at(2))
    page = verified_client(people.vn_planner).get(f"/plans/items/{it.pk}/sources/")
    # a planner is not party to the request (a reference no CSRF token or id can hold by chance)
    assert page.status_code == 200 and "VN-TEST/2026/7731" not in page.content.decode()
    assert "1" in page.content.decode()
    assert verified_client(officer).get(f"/plans/items/{it.pk}/sources/").status_code == 404


def test_requests_answered_leave_out_a_victims_nationality_and_other_pairs(people, org):
    it = one(people, indicator="requests_answered", target="3")
    request(org, 1, first_answer_at=at(3))
    request(org, 2, kind="locate_person", first_answer_at=at(4))
    request(org, 3, kind="verify_victim_nationality", first_answer_at=at(4))  # protected: never counted here
    request(org, 4, requesting_unit=org.la_unit, first_answer_at=at(4))       # Laos: not this plan's pair
    request(org, 5, first_answer_at=None)                                      # not answered
    assert indicators.evaluate(it).value == 2


def test_joint_cases_opened_and_closed_with_an_outcome(people, org, officer, supervisor, kh_officer):
    from borderlink.cases import services as case_services
    from tests.cases.helpers import open_case

    opened = one(people, indicator="cases_opened", target="2")
    closed = one(people, indicator="cases_closed", target="1")
    first = open_case(officer, supervisor, [org.kh_unit], accept_by=[kh_officer], title="Fraud ring A")
    second = open_case(officer, supervisor, [org.kh_unit], accept_by=[kh_officer], title="Fraud ring B")
    open_case(officer, supervisor, [org.kh_unit], title="Fraud ring C")  # Cambodia never accepted: not joint
    case_services.close_case(officer, first.pk, "arrests", "Three arrested in Bavet.")
    case_services.close_case(officer, second.pk, "no_result", "No lead.")
    assert indicators.evaluate(opened).value == 2
    assert indicators.evaluate(closed).value == 1  # closing with no result is not an outcome
