"""A list counted up to a bound (core.page_query.BoundedPaginator, issue 19): exact below the bound, "more" above it,
its pages running on as the reader goes; the cases and meetings lists use it."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from borderlink.core.models import Unit
from borderlink.core.page_query import BoundedPaginator, bounded_page

pytestmark = pytest.mark.django_db


def test_exact_below_the_bound_more_above_it(org, monkeypatch):
    units = Unit.objects.order_by("pk")
    n = units.count()
    assert n >= 5
    assert BoundedPaginator(units, 2, page=1).count == n and not BoundedPaginator(units, 2, page=1).more
    monkeypatch.setattr(BoundedPaginator, "COUNT_LIMIT", 2)
    monkeypatch.setattr(BoundedPaginator, "PAGES_AHEAD", 0)
    first = BoundedPaginator(units, 1, page=1)
    assert first.count == 3 and first.more and first.pages_label == "3+"  # the bound plus one: there are more
    page = first.get_page(1)
    assert page.has_next() and list(page) == [units[0]]
    # asked for a later page, it counts that far: the pages run on
    third = BoundedPaginator(units, 1, page=3)
    assert third.count == 4 and third.more and third.get_page(3).has_next()
    last = BoundedPaginator(units, 1, page=n)
    assert last.count == n and not last.more and last.pages_label == str(n) and not last.get_page(n).has_next()


def test_bounded_page_reads_the_page_number_as_get_page_does(org):
    factory = RequestFactory()
    units = Unit.objects.order_by("pk")
    n = units.count()
    assert bounded_page(factory.get("/", {"page": "2"}), units, 2).number == 2
    assert bounded_page(factory.get("/", {"page": "abc"}), units, 2).number == 1
    assert bounded_page(factory.get("/", {"page": "99999"}), units, 2).number == -(-n // 2)  # past the last: the last
