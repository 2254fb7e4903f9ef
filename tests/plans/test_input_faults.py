"""Input faults on the plans' pages and API: each rule error is a 400 with a message of its own, in the reader's
language (the Vietnamese planner reads Vietnamese, the Cambodian one Khmer), never Django's generic bound or
"Enter a number"; a body out of its schema stays a 422. Nothing is written on a refusal."""

from __future__ import annotations

from django.utils import translation

from borderlink.plans.models import Conference, Item, Plan, Training
from tests.plans.helpers import YEAR, item, propose, sign


def _vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def test_a_reversed_period_on_the_training_counts_is_refused(people, api):
    vn = api(people.vn_planner)
    answer = vn.get(f"/api/plans/training/counts?start={YEAR}-12-31&end={YEAR}-01-01")
    assert answer.status_code == 400, answer.content
    assert list(answer.json()["errors"]) == ["end"]
    assert "trước" in answer.json()["detail"]  # "before", in Vietnamese
    assert vn.get(f"/api/plans/training/counts?start={YEAR}-01-01&end={YEAR}-01-01").status_code == 200
    assert vn.get("/api/plans/training/counts?start=soon&end=later").status_code == 422  # the schema's own


def test_a_negative_progress_value_says_so(people, login, api):
    plan = propose(people)
    sign(people, plan)
    reported = Item.objects.get(plan=plan, indicator="reported")  # the partner's item, reported by hand
    page = login(people.kh_planner).post(f"/plans/items/{reported.pk}/progress/", {"status": "in_progress", "value": "-3"})
    body = page.content.decode()
    assert page.status_code == 400
    with translation.override("km"):
        negative = translation.gettext("The value cannot be negative: report what was done, 0 or more.")
        generic = translation.gettext("Enter a number.")
    assert negative != "The value cannot be negative: report what was done, 0 or more."  # translated
    assert negative in body and generic not in body
    words = api(people.kh_planner).post(f"/api/plans/items/{reported.pk}/progress", {"status": "in_progress", "value": "seven"},
                                        content_type="application/json")
    assert words.status_code == 400 and "seven" in words.json()["errors"]["value"][0]
    reported.refresh_from_db()
    assert reported.reported_value is None and reported.status == "not_started"


def test_a_plan_year_out_of_its_window_is_named(people, api, login):
    vn = api(people.vn_planner)
    ahead = vn.post("/api/plans", {"year": YEAR + 9, "title": "P", "partner_unit": "KH-SVR",
                                   "items": [item(due_date=f"{YEAR + 9}-06-01")]}, content_type="application/json")
    assert ahead.status_code == 400
    message = ahead.json()["errors"]["year"][0]
    assert str(YEAR + 9) in message and str(YEAR + 5) in message and message != _vi("This field is required.")
    assert message.startswith(_vi("A plan for %(year)d is too far ahead: a plan is drawn up at most %(n)d years ahead (up to "
                                  "%(last)d).").split("%")[0])
    old = vn.post("/api/plans", {"year": YEAR - 3, "title": "P", "partner_unit": "KH-SVR",
                                 "items": [item(due_date=f"{YEAR - 3}-06-01")]}, content_type="application/json")
    assert old.status_code == 400 and str(YEAR - 1) in old.json()["errors"]["year"][0]
    # the page says the same rule, not Django's "less than or equal to 2100"
    page = login(people.vn_planner).post("/plans/new/", {
        "year": "2200", "title": "P", "kind": "bilateral", "partner_unit": "KH-SVR", "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0", "items-0-area": "fugitives", "items-0-activity": "Hand over.",
        "items-0-lead_proposing": "VN-QT", "items-0-lead_partner": "KH-SVR", "items-0-owner_side": "proposing",
        "items-0-indicator": "fugitives_handed_over", "items-0-target": "4", "items-0-due_date": "2200-06-01"})
    assert page.status_code == 400
    assert "2200" in page.content.decode() and str(YEAR + 5) in page.content.decode()
    assert not Plan.objects.exists()


def test_a_negative_or_wordy_target_is_named(people, api):
    vn = api(people.vn_planner)
    negative = vn.post("/api/plans", {"year": YEAR, "title": "P", "partner_unit": "KH-SVR", "items": [item(target="-4")]},
                       content_type="application/json")
    assert negative.status_code == 400
    assert negative.json()["errors"]["items"] == [_vi("Item %(n)d: ") % {"n": 1} + _vi("The target cannot be negative.")]
    assert not Plan.objects.exists()


def test_a_conference_too_far_ahead_and_negative_participants(people, api, login):
    vn = api(people.vn_leader)
    far = vn.post("/api/plans/conferences", {"year": YEAR + 7, "host": "VN", "place": "Hà Nội", "starts_on": f"{YEAR}-03-01",
                                             "ends_on": f"{YEAR}-03-02"}, content_type="application/json")
    assert far.status_code == 400 and str(YEAR + 2) in far.json()["errors"]["year"][0]
    assert not Conference.objects.exists()
    page = login(people.vn_planner).post("/plans/training/", {
        "title": "Crypto tracing", "host": "VN", "starts_on": f"{YEAR}-05-04", "ends_on": f"{YEAR}-05-08",
        "courses": "Tracing", "participants_vn": "-5", "participants_kh": "3"})
    assert page.status_code == 400
    assert _vi("The number of participants cannot be negative.") in page.content.decode()
    assert not Training.objects.exists()
