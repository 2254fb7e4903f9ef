"""Issue 13 in the demo: a subject's name in ALA-LC romanisation is found from
the name as Cambodian documents write it, and from its Khmer script."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from borderlink.notices.search import SearchFilters, search_notices

pytestmark = pytest.mark.django_db


def test_demo_subject_is_found_from_each_spelling_of_the_name() -> None:
    call_command("load_demo")
    officer = get_user_model().objects.get(username="vn.officer")
    for query in ("Sukh Ṭārʺā", "សុខ ដារ៉ា", "SOK DARA", "Deputy PM Sok Dara"):
        results = search_notices(officer, query, SearchFilters())
        assert results and results[0].notice.summary.startswith("Demo data, invented case. Suspected manager"), query
