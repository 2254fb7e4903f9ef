"""Border pages and API: the same services, errors in the user's language, 404 for outsiders."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from borderlink.border import services
from borderlink.border.models import BorderIncident, IncidentCount
from tests.border.helpers import gate, incident, pair_code
from tests.clock import moment_in_one_month, month_of

pytestmark = pytest.mark.django_db


def page_fields(**overrides):
    data = {"pair": pair_code(), "kind": "illegal_crossing",
            "occurred_at": moment_in_one_month().strftime("%Y-%m-%dT%H:%M"),
            "gate_id": str(gate("Lao Bảo").pk), "place": "", "persons_count": "2", "children_count": "1",
            "description": "Two persons crossed at night.", "handling": "", "outcome": "pending", "goods_unit": "kg"}
    data.update(overrides)
    return data


def test_record_on_a_page_then_list_chart_and_csv(border, officer, login):
    client = login(officer)
    assert client.get("/border/new/").status_code == 200
    response = client.post("/border/new/", page_fields())
    item = BorderIncident.objects.get()
    assert response.status_code == 302 and item.child_flagged and item.children_count == 1
    listing = client.get("/border/").content.decode()
    assert "<svg" in listing and item.reference in listing
    csv = client.get(f"/border/export.csv?from={month_of(item.occurred_at)}")
    assert csv.status_code == 200 and item.reference in csv.content.decode("utf-8-sig")
    detail = client.get(f"/border/{item.pk}/")
    assert detail.status_code == 200 and "Two persons crossed at night." in detail.content.decode()


def test_a_page_in_vietnamese_shows_field_errors_in_vietnamese(border, officer, login):
    officer.language = "vi"
    officer.save()
    client = login(officer)
    response = client.post("/border/new/", page_fields(persons_count="1", children_count="2"))
    with translation.override("vi"):
        expected = translation.gettext("The number of children cannot be above the number of persons.")
    assert response.status_code == 400 and expected in response.content.decode()
    response = client.post("/border/new/", page_fields(
        occurred_at=(timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")))
    with translation.override("vi"):
        assert translation.gettext("This cannot be in the future.") in response.content.decode()
    assert not BorderIncident.objects.exists()


def test_a_page_refuses_a_return_of_an_asylum_seeker(border, foreign_officer, login):
    client = login(foreign_officer)
    response = client.post("/border/new/", page_fields(asylum_sought="on", outcome="returned", children_count="0"), follow=True)
    item = BorderIncident.objects.get()
    assert item.outcome == "referred_protection" and item.refused_outcome == "returned"
    assert response.status_code == 200


def test_outsiders_get_404_on_pages_and_api(border, officer, outsider, kh_officer, login, api):
    item = services.record_incident(officer, incident())
    for user in (outsider, kh_officer):
        assert login(user).get(f"/border/{item.pk}/").status_code == 404
        assert login(user).post(f"/border/{item.pk}/settle/", {"outcome": "released"}).status_code == 404
        assert api(user).get(f"/api/border/incidents/{item.pk}").status_code == 404
    assert login(outsider).get("/border/new/").status_code == 404
    assert login(officer).get("/border/not-a-uuid/").status_code == 404


def test_api_records_lists_settles_and_answers_in_the_users_language(border, officer, supervisor, api):
    client = api(officer)
    body = {"pair": pair_code(), "kind": "smuggling_seizure", "occurred_at": (when := moment_in_one_month()).isoformat(),
            "gate_id": gate("Lao Bảo").pk, "persons_count": 1,
            "goods": [{"goods_type": "wildlife", "quantity": "12.5", "unit": "kg", "description": "pangolin scales"}],
            "share": True}
    created = client.post("/api/border/incidents", body, content_type="application/json")
    assert created.status_code == 201, created.content
    iid = created.json()["id"]
    listed = client.get(f"/api/border/incidents?from={month_of(when)}").json()
    assert listed["counts"]["total"] == 1 and listed["results"][0]["goods"][0]["quantity"] == "12.500"
    settled = client.post(f"/api/border/incidents/{iid}/settle", {"outcome": "released", "handling": "Fined."},
                          content_type="application/json")
    assert settled.json()["outcome"] == "released"
    approved = api(supervisor).post(f"/api/border/incidents/{iid}/approve", {}, content_type="application/json")
    assert approved.json()["sharing"] == "shared"
    officer.language = "vi"
    officer.save()
    bad = api(officer).post("/api/border/incidents", {**body, "gate_id": gate("Mộc Bài").pk}, content_type="application/json")
    with translation.override("vi"):
        expected = translation.gettext("This gate is not on the border between these two provinces.")
    assert bad.status_code == 400 and expected in bad.json()["errors"]["gate_id"]
    assert api(officer).get("/api/border/incidents?from=2026-13").status_code == 400
    assert api(officer).post("/api/border/incidents", {**body, "persons_count": -1},
                             content_type="application/json").status_code == 422
    pairs = api(officer).get("/api/border/pairs").json()
    assert {p["code"] for p in pairs} >= {"VN-QT25/LA-SV", "VN-QT25/LA-KH"}


def test_the_persons_of_an_incident_are_listed_only_for_the_reporting_side(border, officer, foreign_officer, supervisor, api):
    from borderlink.border import services as border_services
    from tests.border.helpers import incident

    item = border_services.record_incident(officer, incident(share=True))
    border_services.approve_sharing(supervisor, item.pk, "")
    mine = api(officer).get(f"/api/border/incidents/{item.pk}").json()
    assert mine["person_ids"] == [] and mine["gate_id"] is not None and mine["refused_outcome"] is None
    theirs = api(foreign_officer).get(f"/api/border/incidents/{item.pk}")
    assert theirs.status_code == 200 and "person_ids" not in theirs.json()
    assert all("person_ids" not in row for row in api(foreign_officer).get("/api/border/incidents").json()["results"])


def test_incident_list_a_page_at_a_time_with_constant_queries(border, officer, login, monkeypatch):
    """The list is paginated and its queries do not grow with the incidents (issue 19)."""
    from borderlink.border import views
    from tests.core.test_page_queries import queries

    client = login(officer)
    moment = moment_in_one_month()
    services.record_incident(officer, incident(occurred_at=moment))
    path = f"/border/?from={month_of(moment)}"
    few = queries(client, path)
    for n in range(1, 5):
        services.record_incident(officer, incident(occurred_at=moment - datetime.timedelta(minutes=n)))
    assert queries(client, path) == few
    monkeypatch.setattr(views, "LIST_PAGE", 2)
    page = client.get(path + "&page=3").content.decode()
    table = page[page.rindex("<tbody>") : page.rindex("</tbody>")]  # the list (the counts' table comes first)
    oldest, newest = BorderIncident.objects.order_by("occurred_at")[0], BorderIncident.objects.order_by("-occurred_at")[0]
    assert "Page 3 of 3" in page and oldest.reference in table and newest.reference not in table


@pytest.mark.parametrize("language", ["lo", "km"])
def test_djangos_own_bound_messages_are_in_the_readers_language(border, foreign_officer, login, language):
    """Try-out defect 2: MinValueValidator's and MaxValueValidator's messages were in English in Lao and Khmer."""
    foreign_officer.language = language
    foreign_officer.save()
    client = login(foreign_officer)
    for value, english in (("-5", "Ensure this value is greater than or equal to"),
                           ("100000", "Ensure this value is less than or equal to")):
        page = client.post("/border/new/", page_fields(persons_count=value, children_count="0")).content.decode()
        with translation.override(language):
            expected = translation.gettext(english + " %(limit_value)s.").split("%")[0].strip()
        assert english not in page and expected in page
    assert not BorderIncident.objects.exists()


def test_the_incident_form_offers_current_pairs_first_with_a_blank_choice_and_localised_dates(border, foreign_officer, login):
    """Try-out defect 10: the first, preselected pair was the one that ended on 30 June 2025 (before Viet Nam's
    merger), with no blank choice, and its dates were ISO."""
    import re

    from borderlink.border.models import ProvincePair

    foreign_officer.language = "vi"
    foreign_officer.save()
    page = login(foreign_officer).get("/border/new/").content.decode()
    select = re.search(r'<select name="pair".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert options[0][0] == ""  # a blank first choice
    today = datetime.date.today()
    pairs = {p.code: p for p in ProvincePair.objects.all()}
    current = [code for code, _sel, _label in options if code and pairs[code].valid_on(today)]
    expired = [code for code, _sel, _label in options if code and not pairs[code].valid_on(today)]
    assert current and expired
    positions = [code for code, _sel, _label in options if code]
    assert max(positions.index(c) for c in current) < min(positions.index(c) for c in expired)
    assert "<optgroup" in select and select.index("<optgroup") < select.index(f'value="{expired[0]}"')
    selected = [code for code, sel, _label in options if sel]
    assert all(pairs[code].valid_on(today) for code in selected)
    assert "2025-06-30" not in select and "30/06/2025" in select and "01/07/2025" in select


def test_incident_counts_are_one_read_of_the_incidents_and_add_up(border, officer, supervisor, login):
    """The counts per pair, gate, kind and month are one read of the incidents summary (issue 19), they add up to
    what the list holds, and the list's pages take their total from them (no COUNT of their own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from borderlink.border import stats

    moment = moment_in_one_month()
    for n, kind in enumerate(["illegal_crossing", "boundary", "illegal_crossing", "other", "boundary"]):
        services.record_incident(officer, incident(occurred_at=moment - datetime.timedelta(days=40 * n), kind=kind,
                                                   gate_id=gate("Lao Bảo").pk if n % 2 else None,
                                                   place="" if n % 2 else "Forest path north of the gate"))
    filters = stats.parse_filters(officer, {"from": month_of(moment - datetime.timedelta(days=200)), "to": month_of(moment)})
    counts = stats.counts(officer, filters)
    rows = list(stats.filtered(officer, filters))
    assert counts["total"] == len(rows) == 5
    assert {k["kind"]: k["n"] for k in counts["kinds"] if k["n"]} == {"illegal_crossing": 2, "boundary": 2, "other": 1}
    assert sum(g["n"] for g in counts["gates"]) == sum(1 for r in rows if r.gate_id)
    assert sum(m["n"] for m in counts["months"]) == sum(p["n"] for p in counts["pairs"]) == 5
    table = connection.ops.quote_name(BorderIncident._meta.db_table)
    for user in (officer, supervisor):
        client = login(user)
        path = f"/border/?from={month_of(moment - datetime.timedelta(days=200))}&to={month_of(moment)}"
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        reads = [q["sql"] for q in ctx.captured_queries if f"FROM {table}" in q["sql"]]
        # the page's rows, and for a supervisor the sharing box (bounded); the counts from the summary, not the incidents
        assert len(reads) == (2 if user is supervisor else 1), reads
        assert not [sql for sql in reads if "GROUP BY" in sql]
        summary_table = connection.ops.quote_name(IncidentCount._meta.db_table)
        assert len([q for q in ctx.captured_queries if f"FROM {summary_table}" in q["sql"] and "GROUP BY" in q["sql"]]) == 1


def test_an_incident_page_names_the_country_fled_without_reading_it(border, officer, login):
    """The country fled comes from the process's kept countries, not a join in the incident's query (whose planning
    it tripled at scale, issue 19); the page still names it, in the reader's language."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = services.record_incident(officer, incident(asylum_sought=True, asylum_country="KH", outcome="pending"))
    client = login(officer)
    client.get(f"/border/{item.pk}/")  # warm: the kept countries
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"/border/{item.pk}/").content.decode()
    assert "country fled: Cambodia" in page
    incident_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "border_borderincident"' in q["sql"]]
    assert len(incident_reads) == 1 and '"core_country"' not in incident_reads[0]
    assert not [q["sql"] for q in ctx.captured_queries if 'FROM "core_country"' in q["sql"]]
