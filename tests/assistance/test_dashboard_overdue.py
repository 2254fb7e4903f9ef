"""The dashboard's overdue count is bounded (issue 19): up to a limit it is exact, beyond it the badge says "N+",
and the overdue tab still reaches every overdue request (its paginator then counts them itself)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from borderlink.assistance import services, views
from borderlink.assistance.models import Request
from tests.assistance.helpers import sent

pytestmark = pytest.mark.django_db


def _overdue(officer, supervisor, org, n):
    made = [sent(officer, supervisor, org.la_unit, subject=f"Overdue {i}") for i in range(n)]
    for i, req in enumerate(made):
        Request.objects.filter(pk=req.pk).update(deadline=timezone.now() - datetime.timedelta(hours=i + 1))
    return made


def test_the_count_stops_after_the_limit(officer, supervisor, org):
    _overdue(officer, supervisor, org, 4)
    assert services.tab_counts(officer)["overdue"] == 4
    assert services.tab_counts(officer, overdue_limit=10)["overdue"] == 4
    assert services.tab_counts(officer, overdue_limit=4)["overdue"] == 4
    assert services.tab_counts(officer, overdue_limit=3)["overdue"] == 4  # more than 3
    assert services.tab_counts(officer, overdue_limit=2)["overdue"] == 3  # more than 2
    assert services.tab_counts(officer, overdue_limit=2)["open"] == 4  # the others exact


def test_the_badge_and_the_overdue_tab(officer, supervisor, login, org, monkeypatch):
    _overdue(officer, supervisor, org, 4)
    client = login(officer)
    page = client.get("/requests/").content.decode()
    assert '>Overdue <span class="count">4</span>' in page
    monkeypatch.setattr(views, "OVERDUE_SHOWN", 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    page = client.get("/requests/").content.decode()
    assert '>Overdue <span class="count">2+</span>' in page
    last = client.get("/requests/?tab=overdue&page=4").content.decode()  # every page reachable: 4 of them
    assert "Overdue 0" in last and "Page 4 of 4" in last
