"""Plans pages and API: the same services; typed answers; 404 for anyone without access; bad input as field
errors (400 on a page or for a refused rule, 422 for a body out of bounds), in the reader's language."""

from __future__ import annotations

import datetime

from django.utils import timezone

from borderlink.plans.models import Conference, Plan, PlanState, Training
from tests.plans.helpers import YEAR, item, propose, sign


def _management(prefix: str, total: int) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "60"}


def test_propose_on_the_page_and_see_the_plan(people, login):
    client = login(people.vn_planner)
    assert client.get("/plans/new/").status_code == 200
    data = {"year": str(YEAR), "title": f"Kế hoạch hợp tác {YEAR}", "kind": "bilateral", "partner_unit": "KH-SVR",
            **_management("items", 2)}
    row = item()
    data.update({f"items-0-{k}": v for k, v in row.items()})
    response = client.post("/plans/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get()
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f"Kế hoạch hợp tác {YEAR}" in page
    assert client.get(f"/plans/{plan.pk}/dashboard/").status_code == 200


def test_page_bad_input_is_a_form_error_in_the_users_language(people, login):
    client = login(people.vn_planner)
    data = {"year": str(YEAR), "title": "Plan", "kind": "bilateral", "partner_unit": "KH-SVR", **_management("items", 1)}
    data.update({f"items-0-{k}": v for k, v in item(due_date=f"{YEAR + 1}-02-01").items()})
    response = client.post("/plans/new/", data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert str(YEAR) in response.content.decode() and not Plan.objects.exists()


def test_the_agreement_flow_on_the_pages(people, login):
    plan = propose(people)
    kh = login(people.kh_planner)
    assert kh.post(f"/plans/{plan.pk}/step/comment/", {"text": "Đồng ý phần lớn."}).status_code == 302
    assert kh.post(f"/plans/{plan.pk}/step/comment/", {"text": ""}).status_code == 400
    leader = login(people.vn_leader)
    assert leader.post(f"/plans/{plan.pk}/step/approve/", {"signatory": "Bộ trưởng"}).status_code == 302
    assert login(people.kh_leader).post(f"/plans/{plan.pk}/step/approve/", {"signatory": "Minister"}).status_code == 302
    assert Plan.objects.get().state == PlanState.SIGNED
    fugitives = plan.items.get(owner_side="proposing")
    response = login(people.vn_planner).post(f"/plans/items/{fugitives.pk}/progress/", {"status": "in_progress",
                                                                                         "note": "Two located"})
    assert response.status_code == 302


def test_outsiders_get_404_on_pages_and_api(people, login, api, officer):
    plan = propose(people)
    for user in (officer, people.la_planner):
        client = login(user)
        assert client.get(f"/plans/{plan.pk}/").status_code == 404
        assert client.get(f"/plans/{plan.pk}/dashboard/").status_code == 404
        assert api(user).get(f"/api/plans/{plan.pk}").status_code == 404
    assert login(officer).get("/plans/").status_code == 404
    assert api(officer).get("/api/plans/conferences").status_code == 404


def test_api_round_trip_typed(people, api):
    vn = api(people.vn_planner)
    body = {"year": YEAR, "title": f"Plan {YEAR}", "partner_unit": "KH-SVR", "items": [item()]}
    created = vn.post("/api/plans", body, content_type="application/json")
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["state"] == "proposed" and plan["items"][0]["target"] == "4.00" and plan["side"] == "proposing"
    counter = api(people.kh_planner).post(f"/api/plans/{plan['id']}/versions", {
        "items": [{**item(), "id": plan["items"][0]["id"], "target": "5"}]}, content_type="application/json")
    assert counter.status_code == 201 and counter.json()["state"] == "countered"
    assert api(people.kh_leader).post(f"/api/plans/{plan['id']}/approve", {"signatory": "Minister"},
                                      content_type="application/json").status_code == 200
    signed = api(people.vn_leader).post(f"/api/plans/{plan['id']}/approve", {"signatory": "Minister"},
                                        content_type="application/json").json()
    assert signed["state"] == "signed" and signed["signed_version"] == 2
    dashboard = vn.get(f"/api/plans/{plan['id']}/dashboard").json()
    assert len(dashboard["items"]) == 1 and len(dashboard["items"][0]["trend"]) == 12


def test_api_bad_inputs(people, api):
    vn = api(people.vn_planner)
    out_of_year = vn.post("/api/plans", {"year": YEAR, "title": "P", "partner_unit": "KH-SVR",
                                         "items": [item(due_date=f"{YEAR - 1}-12-31")]}, content_type="application/json")
    assert out_of_year.status_code == 400 and "items" in out_of_year.json()["errors"]
    words = vn.post("/api/plans", {"year": YEAR, "title": "P", "partner_unit": "KH-SVR",
                                   "items": [item(target="many")]}, content_type="application/json")
    assert words.status_code == 400 and "con số" in words.json()["detail"]  # in the token owner's language
    schema = vn.post("/api/plans", {"year": "soon", "title": "P", "partner_unit": "KH-SVR", "items": []},
                     content_type="application/json")
    assert schema.status_code == 422
    assert vn.get("/api/plans/not-a-plan").status_code == 404


def test_conference_rotation_and_host_out_of_turn(people, api, login):
    vn = api(people.vn_leader)
    base = {"place": "Đà Nẵng", "delegates": [{"country": "VN", "name": "Minister A", "rank": "General"}]}
    assert vn.post("/api/plans/conferences", {**base, "year": YEAR - 2, "host": "VN", "starts_on": f"{YEAR - 2}-03-29",
                                              "ends_on": f"{YEAR - 2}-03-29"}, content_type="application/json").status_code == 201
    assert vn.get(f"/api/plans/conferences/next-host?year={YEAR - 1}").json()["host"] == "KH"
    out_of_turn = vn.post("/api/plans/conferences", {**base, "year": YEAR - 1, "host": "LA", "starts_on": f"{YEAR - 1}-04-01",
                                                     "ends_on": f"{YEAR - 1}-04-02"}, content_type="application/json")
    assert out_of_turn.status_code == 400 and "out_of_turn_reason" in out_of_turn.json()["errors"]
    assert Conference.objects.count() == 1
    with_reason = vn.post("/api/plans/conferences", {**base, "year": YEAR - 1, "host": "LA", "starts_on": f"{YEAR - 1}-04-01",
                                                     "ends_on": f"{YEAR - 1}-04-02", "out_of_turn_reason": "Cambodia asked to swap."},
                          content_type="application/json")
    assert with_reason.status_code == 201
    page = login(people.vn_planner).post("/plans/conferences/", {"year": str(YEAR), "host": "KH", "place": "Hà Nội",
                                                                  "starts_on": f"{YEAR}-03-01", "ends_on": f"{YEAR}-03-02"})
    assert page.status_code == 400 and "luân phiên" in page.content.decode()  # the planner reads Vietnamese


def test_training_and_visits_through_the_api(people, api):
    vn = api(people.vn_planner)
    made = vn.post("/api/plans/training", {"title": "Crypto tracing", "host": "VN", "starts_on": f"{YEAR}-05-04",
                                           "ends_on": f"{YEAR}-05-08", "courses": ["Tracing"], "participants": {"VN": 5, "KH": 7}},
                   content_type="application/json")
    assert made.status_code == 201 and Training.objects.count() == 1
    bad = vn.post("/api/plans/training", {"title": "X", "host": "VN", "starts_on": f"{YEAR}-05-04", "ends_on": f"{YEAR}-05-01",
                                          "courses": ["T"], "participants": {"FR": 5}}, content_type="application/json")
    assert bad.status_code == 400 and {"ends_on", "participants"} <= set(bad.json()["errors"])
    counts = vn.get(f"/api/plans/training/counts?start={YEAR}-01-01&end={YEAR}-12-31").json()
    assert counts == {"exchanges": 1, "courses": 1, "participants": {"KH": 7, "VN": 5}, "by_host": {"VN": 1}}
    visit = vn.post("/api/plans/visits", {"kind": "study_visit", "from_country": "KH", "to_country": "VN",
                                          "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR}-06-05", "purpose": "Border gate management",
                                          "members": [{"name": "Col. Dara", "rank": "Colonel"}]}, content_type="application/json")
    assert visit.status_code == 201
    assert datetime.date.fromisoformat(visit.json()["starts_on"]).month == 6


def test_signed_plan_dashboard_page_shows_late(people, login, settings, tmp_path):
    # Late depends on the day: the node's clock is set to 1 December of the plan's year, after the due date.
    clock_file = tmp_path / "clock"
    day = datetime.datetime(YEAR, 12, 1, 12, tzinfo=timezone.get_current_timezone())
    clock_file.write_text(str((day - timezone.now()).total_seconds()))
    settings.CLOCK_FILE = str(clock_file)
    plan = propose(people, items=[item(due_date=f"{YEAR}-01-31")])
    sign(people, plan)
    page = login(people.vn_planner).get(f"/plans/{plan.pk}/dashboard/").content.decode()
    assert page.count('<span class="flag">') == 1 and "trễ hạn" in page  # one late item, in Vietnamese


def test_plan_list_a_page_at_a_time_with_constant_queries(people, login, monkeypatch):
    """The list is paginated and its queries do not grow with the plans (issue 19)."""
    from borderlink.plans import views
    from tests.core.test_page_queries import queries

    client = login(people.vn_planner)
    propose(people, title="Plan A")
    few = queries(client, "/plans/")
    for title in ("Plan B", "Plan C"):
        propose(people, title=title)
    assert queries(client, "/plans/") == few
    monkeypatch.setattr(views, "LIST_PAGE", 2)
    page = client.get("/plans/?page=2").content.decode()  # (the planner reads Vietnamese)
    assert 'href="?page=1"' in page and 'href="?page=3"' not in page and page.count("/dashboard/") == 1


def test_a_count_target_reads_as_a_whole_number(people, login):
    """Try-out defect 13: the plan page showed "4,00" where the dashboard showed "4"; "100" read as "1E+2"."""
    plan = propose(people)
    plan.items.update(target=100)
    people.vn_planner.language = "km"
    people.vn_planner.save()
    client = login(people.vn_planner)
    for path in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/dashboard/"):
        page = client.get(path).content.decode()
        assert ">100<" in page or ">100 " in page, path
        assert "100,00" not in page and "100.00" not in page and "1E+2" not in page, path


def test_plan_page_queries_do_not_grow_with_items_and_reports(people, login):
    """The plan page's items (drawn in Python, plans/templatetags/plan_page.py) with their progress reports and
    forms: the page's queries do not grow with them (issue 19), and each reporting side gets its own items' forms."""
    from borderlink.plans import services
    from tests.core.test_page_queries import queries

    def signed_plan(title, n):
        plan = propose(people, title=title, items=[item(activity=f"Activity {k} <{title}>") for k in range(n)])
        sign(people, plan)
        for it in plan.items.all():
            services.report_progress(people.vn_planner, it.pk, services.ProgressInput(status="in_progress", note=f"Note {it.pk}"))
        return plan

    small, large = signed_plan("Small", 1), signed_plan("Large", 4)
    client = login(people.vn_planner)
    assert queries(client, f"/plans/{small.pk}/") == queries(client, f"/plans/{large.pk}/")
    page = client.get(f"/plans/{large.pk}/").content.decode()
    assert page.count("/progress/") == 4 and page.count("Activity 3 &lt;Large&gt;") == 1 and page.count('<div class="meta">') >= 4
    partner = login(people.kh_planner).get(f"/plans/{large.pk}/").content.decode()
    assert "/progress/" not in partner and "Activity 0 &lt;Large&gt;" in partner  # the items are the proposing side's
