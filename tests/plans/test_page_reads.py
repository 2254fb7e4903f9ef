"""The plan page's reads through prepared statements (issue 19, branch h19r): the plan as `get_plan_for_user`
finds it, its items in force with their progress reports, its versions, its timeline with each event's
attachments. Each must give what the ORM queries they replace gave (under tests `PREPARED_CHECK` also compares
every statement with the ORM's), and the page's statements stay few."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from borderlink.exchange.attachments import read_upload
from borderlink.plans import access, services
from borderlink.plans import views as plan_views
from tests.exchange.helpers import PDF
from tests.plans.helpers import item, people, propose, sign  # noqa: F401 (people: a fixture)

pytestmark = pytest.mark.django_db


def _signed_with_reports(people):  # noqa: F811
    plan = propose(people, items=[item(activity=f"Activity {k}") for k in range(3)]
                   + [item(area="drugs", activity="Partner's item", owner_side="partner")])
    sign(people, plan)
    items = list(plan.items.order_by("position"))
    for n, it in enumerate(items[:2]):
        for k in range(n + 2):  # several reports per item, in time order
            files = [read_upload(SimpleUploadedFile(f"evidence-{n}-{k}.pdf", PDF, content_type="application/pdf"))] if k else []
            services.report_progress(people.vn_planner, it.pk, services.ProgressInput(
                status="in_progress", note=f"Report {k} on {n}", files=files))
    services.comment(people.kh_planner, plan.pk, "Agreed <b>in principle</b>.")
    return plan


def test_the_page_reads_what_the_orm_read(people):  # noqa: F811
    plan = _signed_with_reports(people)
    unrelated = propose(people, title="Another plan")  # its rows must not appear on the first plan's page
    for user in (people.vn_planner, people.kh_leader, people.vn_leader):
        found = access.get_plan_for_user(user, str(plan.pk))
        orm = access.visible_plans(user).select_related("proposing_unit", "partner_unit", "third_country", "current_version",
                                                        "signed_version").filter(pk=plan.pk).first()
        assert found.pk == orm.pk and found.signed_version == orm.signed_version
        assert found.current_version == orm.current_version and found.proposing_unit == orm.proposing_unit
        items = plan_views._page_items(user, found)
        expected = list(plan.items.filter(in_force=True).select_related("lead_proposing", "lead_partner", "lead_third")
                        .prefetch_related("progress"))
        assert [i.pk for i in items] == [i.pk for i in expected]
        assert [[p.pk for p in i.progress.all()] for i in items] == [[p.pk for p in i.progress.all()] for i in expected]
        assert sum(len(i.progress.all()) for i in items) == 5
        assert [i.lead_partner.name for i in items] == [i.lead_partner.name for i in expected]
        events = plan_views._page_events(user, found)
        timeline = services.timeline(plan)
        assert [e.pk for e in events] == [e.pk for e in timeline]
        assert [[a.pk for a in e.attachments.all()] for e in events] == [[a.pk for a in e.attachments.all()] for e in timeline]
        assert sum(len(e.attachments.all()) for e in events) == 3
        assert [v.pk for v in plan_views._VERSIONS.all(user, plan.pk)] == [v.pk for v in plan.versions.order_by("number")]
    assert plan_views._page_items(people.vn_planner, unrelated) and not any(
        i.plan_id == plan.pk for i in plan_views._page_items(people.vn_planner, unrelated))


def test_a_plan_outside_the_readers_country_or_a_bad_key_is_404(people):  # noqa: F811
    plan = propose(people)
    for key in (str(plan.pk), "not-a-key", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(Http404):
            access.get_plan_for_user(people.la_planner, key)  # Laos is not a party to the plan
    assert access.get_plan_for_user(people.kh_planner, str(plan.pk)).pk == plan.pk


def test_the_plan_page_shows_the_reports_and_evidence_in_few_queries(people, login, django_assert_max_num_queries):  # noqa: F811
    plan = _signed_with_reports(people)
    client = login(people.vn_planner)
    client.get(f"/plans/{plan.pk}/")  # warm: the per-process statements, the session
    # session, user, plan, items, progress, versions, events, attachments
    with django_assert_max_num_queries(8):
        page = client.get(f"/plans/{plan.pk}/").content.decode()
    for n in range(2):
        for k in range(n + 2):
            assert f"Report {k} on {n}" in page
            if k:
                assert f"evidence-{n}-{k}.pdf</a>" in page
    assert "Agreed &lt;b&gt;in principle&lt;/b&gt;." in page and page.count("/progress/") == 3  # the proposing side's items
