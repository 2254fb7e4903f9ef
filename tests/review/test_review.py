"""The year-end review on the demo data: figures against the records, the files (HTML, PDF, XLSX) in the
four languages, the worker's file with its audited download, both sides side by side, who may see it, and
bad input everywhere."""

from __future__ import annotations

import datetime
import io
import statistics
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from borderlink.assistance.models import Request, RequestKind
from borderlink.audit.models import AuditEvent
from borderlink.border.models import BorderIncident
from borderlink.core import clock
from borderlink.exchange.models import Message
from borderlink.review import federation, figures, services
from borderlink.review.models import PeerStatistics, ReviewReport

from .conftest import signed_in, token

pytestmark = pytest.mark.django_db
YEAR = clock.year()  # the year under review: the current one by the node's clock


def _incident_years() -> list[int]:
    """The years (local time) the demo's incidents fall in: they are dated 3 to 75 days before today, so early in
    a year some fall in the previous one."""
    return sorted({timezone.localtime(i.occurred_at).year for i in BorderIncident.objects.all()})


def _sum(result: dict[str, Any], name: str, **match: str) -> int:
    return sum(c["count"] or 0 for c in result["figures"][name] if c["month"] and all(c[k] == v for k, v in match.items()))


def test_figures_match_the_records(demo):
    result = figures.compute(YEAR)
    crossing = Message.objects.filter(crosses_border=True, sent_at__year=YEAR, sender_unit__country_id="VN",
                                      recipients__unit__country_id="LA").distinct().count()
    assert crossing >= 1 and _sum(result, "messages", origin="VN", counterpart="LA") == crossing
    assert _sum(result, "incidents") == BorderIncident.objects.filter(occurred_at__year=YEAR).count()
    assert sum(_sum(figures.compute(year), "incidents") for year in _incident_years()) == BorderIncident.objects.count() == 6
    sent = Request.objects.filter(sent_at__year=YEAR).exclude(kind=RequestKind.VERIFY_VICTIM_NATIONALITY)
    assert _sum(result, "requests") == sent.count() == _sum(result, "request_outcomes")
    by_kind = {c["key"] for c in result["figures"]["requests"]}
    assert by_kind == set(sent.values_list("kind", flat=True))
    # the median of the window query is the median of the durations computed in Python
    durations = [(r.first_answer_at - r.sent_at).total_seconds() / 3600 for r in sent if r.first_answer_at]
    year_medians = [m for m in result["medians"] if m["month"] == 0]
    if durations:
        assert len(year_medians) >= 1
        pairs = {(m["origin"], m["counterpart"]): m["hours"] for m in year_medians}
        for (origin, counterpart), hours in pairs.items():
            mine = [(r.first_answer_at - r.sent_at).total_seconds() / 3600 for r in sent.filter(
                requesting_unit__country_id=origin, requested_unit__country_id=counterpart) if r.first_answer_at]
            assert hours == pytest.approx(statistics.median(mine), abs=0.05)


def test_one_pair_only(demo):
    pair = figures.compute(YEAR, ("VN", "LA"))
    for cells in pair["figures"].values():
        assert all({c["origin"], c["counterpart"]} <= {"VN", "LA", ""} for c in cells)
    assert _sum(pair, "messages") >= 1


def test_victims_are_suppressed_under_the_threshold(demo):
    from borderlink.victims.models import VictimCase

    found = VictimCase.objects.order_by("-found_on").values_list("found_on", flat=True).first()
    result = figures.compute(found.year)  # the year the demo's victims were found in (20 days ago)
    cells = result["figures"]["victims_identified"]
    assert cells and all(c["count"] is None for c in cells)  # three victims: every cell under 10
    # the rule itself, on made-up counts: under 10 hidden, and a complement when the total shows
    made = [{"month": m, "origin": "KH", "counterpart": "LA", "key": "identified", "count": n}
            for m, n in ((1, 12), (2, 3), (3, 15))]
    out = {c["month"]: c["count"] for c in figures.suppress(made)}
    assert out[2] is None and out[1] is None and out[3] == 15 and out[0] == 30


def test_victims_cannot_be_counted_through_their_verification_requests(demo):
    """One verification request goes out per victim: counted or listed, they would give away the suppressed
    victims' figures (3 here, under the threshold of 10)."""
    verifications = Request.objects.filter(sent_at__year=YEAR, kind=RequestKind.VERIFY_VICTIM_NATIONALITY)
    assert verifications.exists()
    result = figures.compute(YEAR)
    assert not [c for c in result["figures"]["requests"] if c["key"] == RequestKind.VERIFY_VICTIM_NATIONALITY]
    assert _sum(result, "requests") == Request.objects.filter(sent_at__year=YEAR).count() - verifications.count()
    first = verifications.select_related("requesting_unit", "requested_unit").first()
    rows = figures.records(figures.SPECS["requests"], YEAR, None, first.requesting_unit.country_id,
                           first.requested_unit.country_id, RequestKind.VERIFY_VICTIM_NATIONALITY)
    assert rows == []


def test_review_files_in_every_language(demo, tmp_path):
    for language in ("vi", "lo", "km", "en"):
        for fmt in ("html", "pdf", "xlsx"):
            out = tmp_path / f"review-{language}.{fmt}"
            call_command("review_report", "--year", str(YEAR), "--country", "LA", "--language", language, "--format", fmt,
                         "-o", str(out), stdout=io.StringIO())
            content = out.read_bytes()
            assert content.startswith({"html": b"<!doctype html>", "pdf": b"%PDF", "xlsx": b"PK"}[fmt]), (language, fmt)
    html = (tmp_path / "review-lo.html").read_text()
    with translation.override("lo"):
        assert translation.gettext("Year-end review %(year)d") % {"year": YEAR} in html
    assert AuditEvent.objects.filter(action="review.report.built").count() == 12


def test_xlsx_reads_back_with_its_values_and_native_charts(demo, tmp_path):
    import openpyxl

    out = tmp_path / "review.xlsx"
    year = _incident_years()[-1]  # this year, or the last one early in January
    call_command("review_report", "--year", str(year), "--language", "km", "--format", "xlsx", "-o", str(out),
                 stdout=io.StringIO())
    book = openpyxl.load_workbook(out)
    with translation.override("km"):
        border_title = str(figures.SECTIONS["incidents"])[:31]
        requests_title = str(figures.SECTIONS["requests"])[:31]
        kind_label = translation.gettext("Kind")
    assert border_title in book.sheetnames and requests_title in book.sheetnames
    sheet = book[border_title]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == kind_label)
    total_col = len(header) - 3
    totals = [r[total_col] for r in rows if r and isinstance(r[total_col], (int, float)) and r[1] and "→" in str(r[1])]
    assert sum(totals) == BorderIncident.objects.filter(occurred_at__year=year).count() >= 1
    result = figures.compute(year)
    assert sum(totals) == _sum(result, "incidents")
    # native charts: XlsxWriter writes chart parts that openpyxl does not load back, so look in the package
    import zipfile

    with zipfile.ZipFile(out) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
    # a chart for each figure with rows in the year (early in January the demo's records span two years)
    assert len(charts) == sum(1 for cells in result["figures"].values() if cells) >= 4


def test_the_worker_builds_the_file_and_downloads_are_audited(demo, django_capture_on_commit_callbacks):
    api = Client()
    headers = token("vn.planner")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/review/reports", {"year": YEAR, "country": "KH", "language": "km", "format": "pdf"},
                            content_type="application/json", **headers)
    assert response.status_code == 202, response.content
    report_id = response.json()["id"]
    state = api.get(f"/api/review/reports/{report_id}", **headers).json()
    assert state["state"] == "done" and state["progress"] == 100 and state["size"] > 1000
    download = api.get(f"/api/review/reports/{report_id}/file", **headers)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download.headers["Content-Disposition"].startswith("attachment;")  # a file, never a page
    assert AuditEvent.objects.filter(action="review.report.downloaded", object_id=report_id).count() == 1
    # the page lists it with a link, and the link downloads it (audited again)
    page = signed_in("vn.planner")
    listing = page.get(f"/review/?year={YEAR}")
    assert listing.status_code == 200 and f"/review/files/{report_id}/" in listing.content.decode()
    from_page = page.get(f"/review/files/{report_id}/")
    assert from_page.status_code == 200 and from_page.headers["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="review.report.downloaded", object_id=report_id).count() == 2
    # through the page's form too
    with django_capture_on_commit_callbacks(execute=True):
        posted = page.post("/review/generate/", {"year": YEAR, "country": "LA", "language": "lo", "format": "xlsx"})
    assert posted.status_code == 302
    assert ReviewReport.objects.filter(language="lo", format="xlsx", state="done").count() == 1


def test_both_sides_side_by_side_with_the_discrepancy_marked(demo):
    mine = figures.compute(YEAR, ("VN", "LA"))
    ours = _sum(mine, "messages", origin="VN", counterpart="LA")
    cells = [{"key": c["key"], "month": c["month"], "origin": c["origin"], "counterpart": c["counterpart"],
              "count": c["count"] + (1 if c["origin"] == "VN" else 0)}
             for c in mine["figures"]["messages"] if {c["origin"], c["counterpart"]} == {"VN", "LA"}]
    PeerStatistics.objects.create(country_id="LA", year=YEAR, computed_at=timezone.now(), received_at=timezone.now(),
                                  figures={"messages": cells})
    data = services.build(services.parse_input(YEAR, "LA"))
    row = next(r for r in data["comparison"] if r["figure"] == "messages" and r["origin"] == "VN")
    assert row["mine"] == ours and row["theirs"] == ours + 1 and row["differs"]
    client = signed_in("vn.planner")  # reads Vietnamese
    page = client.get(f"/review/?year={YEAR}&country=LA")
    text = page.content.decode()
    assert page.status_code == 200
    with translation.override("vi"):
        sentence = translation.gettext("%(home)s counts %(mine)s, %(peer)s counts %(theirs)s") % {
            "home": "Việt Nam", "mine": ours, "peer": "Lào", "theirs": ours + 1}
        assert sentence in text and translation.gettext("differs") in text
    # each of this node's figures links to the records behind it, which list this node's records
    link = f"/review/{YEAR}/records/messages/?key="
    assert link in text
    start = text.index(link)
    href = text[start:text.index('"', start)].replace("&amp;", "&")
    listed = client.get(href)
    assert listed.status_code == 200 and "/messages/" in listed.content.decode()
    # a planner who is no reader of the messages sees no subject, only a link that opens for their readers
    subjects = set(Message.objects.filter(sent_at__year=YEAR).values_list("subject", flat=True))
    assert subjects and not [s for s in subjects if s in listed.content.decode()]
    assert AuditEvent.objects.filter(action="review.records.viewed").exists()


def test_only_planners_see_the_review(demo):
    for username in ("vn.officer", "vn.supervisor", "auditor", "vn.protection"):
        client = signed_in(username)
        assert client.get(f"/review/?year={YEAR}").status_code == 404, username
        assert client.get(f"/review/{YEAR}/records/messages/?key=routine&origin=VN&counterpart=LA").status_code == 404
        assert client.post("/review/generate/", {"year": YEAR, "language": "en", "format": "pdf"}).status_code == 404
        assert client.post("/review/share/", {"year": YEAR}).status_code == 404
        api = Client()
        assert api.get(f"/api/review?year={YEAR}", **token(username)).status_code == 404
        assert api.post("/api/review/reports", {"year": YEAR, "language": "en", "format": "pdf"},
                        content_type="application/json", **token(username)).status_code == 404
    assert signed_in("vn.planner").get(f"/review/?year={YEAR}").status_code == 200
    report = ReviewReport.objects.create(year=YEAR, language="en", format="pdf")
    assert signed_in("vn.officer").get(f"/review/files/{report.pk}/").status_code == 404
    assert signed_in("vn.planner").get(f"/review/files/{report.pk}/").status_code == 404  # not built yet
    assert Client().get(f"/api/review/reports/{report.pk}", **token("vn.officer")).status_code == 404
    # victims' figures never list their records, not even for a planner
    assert signed_in("vn.planner").get(
        f"/review/{YEAR}/records/victims_identified/?key=identified&origin=KH&counterpart=LA").status_code == 404


def test_bad_input(demo):
    client = signed_in("vn.planner")
    for query in ("year=1999", "year=3000", f"year={YEAR + 1}", "year=abc", f"year={YEAR}&country=VN",
                  f"year={YEAR}&plan=999999", f"year={YEAR}&plan=x"):
        response = client.get(f"/review/?{query}")
        assert response.status_code == 400, query
        assert "errorlist" in response.content.decode(), query
    assert client.get(f"/review/{YEAR}/records/messages/?key=routine&origin=VN&counterpart=LA&month=13").status_code == 400
    assert client.get("/review/99999/records/messages/?key=routine&origin=VN&counterpart=LA").status_code == 400
    assert client.get(f"/review/{YEAR}/records/nothing/?key=x").status_code == 404
    assert client.get(f"/review/{YEAR}/records/messages/?key=__class__&origin=VN&counterpart=LA").status_code == 404
    assert client.post("/review/generate/", {"year": YEAR, "language": "fr", "format": "pdf"}).status_code == 400
    assert client.post("/review/generate/", {"year": YEAR, "language": "en", "format": "docx"}).status_code == 400
    api = Client()
    headers = token("vn.planner")
    # out of the schema: 422; a rule of the service (a year not begun, this node's own country): 400, as every API
    for query in ("year=1999", "year=3000", "year=abc", f"year={YEAR}&country=XX", f"year={YEAR}&plan=999999", "plan=0"):
        response = api.get(f"/api/review?{query}", **headers)
        assert response.status_code == 422, (query, response.content)
        assert response.json()["errors"], query
    for query in (f"year={YEAR + 1}", f"year={YEAR}&country=VN"):
        response = api.get(f"/api/review?{query}", **headers)
        assert response.status_code == 400, (query, response.content)
        assert response.json()["errors"], query
    ahead = api.get(f"/api/review?year={YEAR + 1}", **headers).json()["errors"]["year"][0]
    with translation.override("vi"):
        assert ahead == translation.gettext("%(year)d has not begun: a review covers a year up to this one (%(last)d).") % {
            "year": YEAR + 1, "last": YEAR}
    for body in ({"year": YEAR, "language": "fr", "format": "pdf"}, {"year": YEAR, "language": "en", "format": "doc"},
                 {"year": 1999, "language": "en", "format": "pdf"}, {"year": YEAR, "language": "en"}):
        response = api.post("/api/review/reports", body, content_type="application/json", **headers)
        assert response.status_code == 422, (body, response.content)
    assert api.get("/api/review/reports/not-a-uuid", **headers).status_code == 404
    not_begun = api.post("/api/review/statistics/share", {"year": YEAR + 1}, content_type="application/json", **headers)
    assert not_begun.status_code == 400 and not_begun.json()["errors"]["year"] == [ahead]
    assert api.post("/api/review/statistics/share", {"year": 1999}, content_type="application/json",
                    **headers).status_code == 422
    for args in (["--year", "1999"], ["--year", str(YEAR), "--language", "fr"], ["--year", str(YEAR), "--format", "docx"],
                 ["--plan", "424242"], ["--year", str(YEAR), "--country", "ZZ"]):
        with pytest.raises(CommandError):
            call_command("review_report", *args, "-o", "/dev/null", stdout=io.StringIO())
    assert not ReviewReport.objects.exists()
    with translation.override("km"), pytest.raises(ValidationError) as refused:
        services.parse_input(1999)
    assert refused.value.message_dict["year"][0] != f"Give a year from 2000 to {YEAR}."  # said in Khmer


def test_a_peer_speaks_only_for_its_pair_with_counts_only(demo):
    from borderlink.federation.schema import parse_payload

    now = timezone.now().isoformat()

    def payload(**cell: Any) -> federation.StatisticsPayload:
        base = {"figure": "messages", "key": "routine", "month": 3, "origin": "LA", "counterpart": "VN", "count": 4}
        return parse_payload(federation.StatisticsPayload, {"year": YEAR, "computed_at": now, "cells": [{**base, **cell}],
                                                           "medians": []})

    federation.check(payload(), "LA")
    for bad in ({"origin": "KH"}, {"counterpart": "KH", "origin": "LA"}, {"key": "nonsense"}, {"month": 0},
                {"count": None}, {"figure": "victims_identified", "key": "identified", "count": 3}):
        with pytest.raises(ValidationError):
            federation.check(payload(**bad), "LA")
    federation.check(payload(figure="victims_identified", key="identified", count=None), "LA")
    federation.check(payload(figure="victims_identified", key="identified", count=12), "LA")
    twice = parse_payload(federation.StatisticsPayload, {"year": YEAR, "computed_at": now, "medians": [], "cells": [
        {"figure": "messages", "key": "routine", "month": 3, "origin": "LA", "counterpart": "VN", "count": 4}] * 2})
    with pytest.raises(ValidationError):
        federation.check(twice, "LA")
    late = parse_payload(federation.StatisticsPayload, {"year": YEAR + 1, "computed_at": now, "cells": [], "medians": []})
    with pytest.raises(ValidationError):
        federation.check(late, "LA")
    from pydantic import ValidationError as SchemaError

    for broken in ({"year": YEAR, "computed_at": now, "cells": [], "medians": [], "extra": 1},
                   {"year": YEAR, "computed_at": now, "medians": [], "cells": [
                       {"figure": "messages", "key": "routine", "month": 3, "origin": "LA", "counterpart": "VN", "count": "4"}]},
                   {"year": YEAR, "computed_at": now, "medians": [], "cells": [
                       {"figure": "messages", "key": "routine", "month": 3, "origin": "LA", "counterpart": "VN", "count": 4,
                        "name": "someone"}]},
                   {"year": YEAR, "computed_at": now, "medians": [], "cells": [
                       {"figure": "persons", "key": "routine", "month": 3, "origin": "LA", "counterpart": "VN", "count": 4}]}):
        with pytest.raises(SchemaError):
            parse_payload(federation.StatisticsPayload, broken)


def test_a_plan_brings_its_items_with_their_values_and_targets(demo, tmp_path):
    from borderlink.plans import services as plans

    planner = __import__("borderlink.accounts.models", fromlist=["User"]).User.objects.get(username="vn.planner")
    plan = plans.propose_plan(planner, plans.PlanInput(
        year=YEAR, title="Cooperation plan (test)", partner_unit="KH-SVR.PP", items=[
            {"area": "fugitives", "activity": "Hand over fugitives who fled across the border.",
             "lead_proposing": "VN-QT.PP", "lead_partner": "KH-SVR.PP", "owner_side": "proposing",
             "indicator": "fugitives_handed_over", "target": "4", "due_date": f"{YEAR}-12-15"},
            {"area": "drugs", "activity": "Exchange information on drug routes.", "lead_proposing": "VN-QT.PP",
             "lead_partner": "KH-SVR.PP", "owner_side": "partner", "indicator": "reported", "target": "",
             "target_text": "Monthly exchange", "due_date": f"{YEAR}-12-15"}]))
    inp = services.parse_input(plan=str(plan.pk), user=planner)
    assert inp.year == YEAR and inp.country == "KH"
    data = services.build(inp)
    assert [i["activity"] for i in data["plan_items"]][:1] == ["Hand over fugitives who fled across the border."]
    assert data["plan_items"][0]["target_text"] == "4" and data["plan_items"][1]["target_text"] == "Monthly exchange"
    out = tmp_path / "plan.html"
    call_command("review_report", "--plan", str(plan.pk), "--language", "en", "--format", "html", "-o", str(out),
                 stdout=io.StringIO())
    assert "Hand over fugitives who fled across the border." in out.read_text()
    response = Client().get(f"/api/review?plan={plan.pk}", **token("vn.planner"))
    assert response.status_code == 200 and len(response.json()["plan_items"]) == 2
    # a planner of a country outside the plan does not find it
    assert Client().get(f"/api/review?plan={plan.pk}", **token("la.planner")).status_code == 400


def test_the_demo_plans_review_builds_as_pdf_and_xlsx(demo, tmp_path, settings):
    from borderlink.plans.models import Plan

    plan = Plan.objects.filter(year=YEAR).first()
    assert plan is not None, "the demo has this year's plan"
    # whether an item is late depends on the day: the node's clock is set to 15 December of the plan's year
    day = datetime.datetime(YEAR, 12, 15, 12, tzinfo=timezone.get_current_timezone())
    (tmp_path / "clock").write_text(str((day - timezone.now()).total_seconds()))
    settings.CLOCK_FILE = str(tmp_path / "clock")
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        out = tmp_path / f"plan.{fmt}"
        call_command("review_report", "--plan", str(plan.pk), "--language", "vi", "--format", fmt, "-o", str(out),
                     stdout=io.StringIO())
        assert out.read_bytes().startswith(magic)
    data = services.build(services.parse_input(plan=str(plan.pk)))
    items = data["plan_items"]
    assert len(items) >= 10 and any(i["late"] for i in items) and any(i["on_track"] for i in items)


def test_the_worker_shares_statistics_daily_with_plan_partners_only(demo):
    """The daily job queues this node's aggregate statistics, as the button does, but only to the countries it
    has a plan with for the year (the demo's Viet Nam–Cambodia plan: Cambodia, not Laos); once a day; audited as
    the system's. The payload is the same bounded one: counts by figure, key, month and pair, nothing else."""
    from borderlink.core.daily import run_due_jobs
    from borderlink.federation.models import OutboxEnvelope, Peer
    from borderlink.federation.schema import parse_payload

    for code in ("KH", "LA"):
        Peer.objects.create(node_id=f"test-{code.lower()}", country_id=code, base_url="http://127.0.0.1:9",
                            public_key=code.lower() * 22, fingerprint="f", is_active=True)
    today = clock.today().replace(month=7, day=1)  # mid-year: only this year is shared
    assert "review_statistics" in run_due_jobs(today)
    sent = list(OutboxEnvelope.objects.filter(kind=federation.KIND))
    assert [e.peer.country_id for e in sent] == ["KH"]
    payload = parse_payload(federation.StatisticsPayload, sent[0].payload)  # the strict schema a receiver applies
    assert payload.year == YEAR and payload.cells
    assert all({c.origin, c.counterpart} == {"VN", "KH"} for c in payload.cells)
    assert set(sent[0].payload) == {"year", "computed_at", "cells", "medians"}
    assert {k for c in sent[0].payload["cells"] for k in c} == {"figure", "key", "month", "origin", "counterpart", "count"}
    assert AuditEvent.objects.filter(action="review.statistics.scheduled", actor_id=None, object_id=str(YEAR)).count() == 1
    assert run_due_jobs(today) == []  # claimed once a day
    assert OutboxEnvelope.objects.filter(kind=federation.KIND).count() == 1
    assert "review_statistics" in run_due_jobs(today + datetime.timedelta(days=1))
    assert OutboxEnvelope.objects.filter(kind=federation.KIND).count() == 2


def test_scheduled_years_include_last_year_until_the_review_conference():
    assert services.scheduled_years(datetime.date(YEAR, 2, 10)) == [YEAR - 1, YEAR]
    assert services.scheduled_years(datetime.date(YEAR, 4, 1)) == [YEAR]
    assert services.scheduled_years(datetime.date(YEAR + 1, 6, 1)) == []  # a year not begun on the node's clock


def test_conferences_visits_and_training_are_counted_in_the_review(demo, tmp_path):
    """The year's conference, delegations, study visits and training exchanges, as every party's node holds them
    (a copy received from Cambodia's node counts as one recorded here), in the API, the page and the workbook."""
    from dataclasses import dataclass

    import openpyxl

    from borderlink.federation.schema import parse_payload
    from borderlink.plans import records
    from borderlink.plans.models import Conference, Training, Visit

    @dataclass
    class From:
        node_id: str
        country_id: str

    before = services.plans_adapter.exchanges(YEAR, "KH")
    records.apply_visit(parse_payload(records.VisitPayload, {
        "uid": "6f1c9a52-3a4e-4c1e-9a55-0c1f0a6b7d10", "kind": "delegation", "from_country": "KH", "to_country": "VN",
        "starts_on": f"{YEAR}-01-02", "ends_on": f"{YEAR}-01-03", "purpose": "Talks", "members": [{"name": "A"}]}),
        From("test-kh", "KH"), {})
    after = services.plans_adapter.exchanges(YEAR, "KH")
    assert after["delegations"] == before["delegations"] + 1
    assert services.plans_adapter.exchanges(YEAR, "LA")["delegations"] == Visit.objects.filter(
        starts_on__year=YEAR, kind="delegation", from_country_id__in=["VN", "LA"], to_country_id__in=["VN", "LA"]).count()
    assert after["conferences"] == Conference.objects.filter(year=YEAR).count()
    assert after["training_exchanges"] == sum(
        1 for t in Training.objects.filter(starts_on__year=YEAR) if {"VN", "KH"} <= {t.host_id, *t.participants})
    api = Client().get(f"/api/review?year={YEAR}&country=KH", **token("vn.planner")).json()
    assert api["exchanges"]["delegations"] == after["delegations"]
    out = tmp_path / "review.xlsx"
    call_command("review_report", "--year", str(YEAR), "--country", "KH", "--language", "en", "--format", "xlsx",
                 "-o", str(out), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(out)["Conferences, visits, training"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Delegations"] == after["delegations"] and values["Ministerial conference"] == after["conferences"]
    page = signed_in("vn.planner").get(f"/review/?year={YEAR}&country=KH").content.decode()
    assert "Hội nghị, đoàn công tác, đào tạo" in page  # the planner reads Vietnamese
