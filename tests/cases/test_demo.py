"""The demo joint case loads through the services, on one node, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_case_has_shared_and_private_parts_and_a_notice_correlation():
    from borderlink.accounts.models import User
    from borderlink.cases import access, correlation
    from borderlink.cases.models import Case

    call_command("load_demo")
    call_command("load_demo")  # again: no duplicate
    case = Case.objects.get()
    assert case.state == "open" and case.participants.get(unit__code="KH-SVR.PP").state == "accepted"
    kh, vn = User.objects.get(username="kh.officer"), User.objects.get(username="vn.officer")
    seen_by_kh = set(access.visible_entities(kh, case).values_list("value", flat=True))
    assert "+84912000202" not in seen_by_kh and "+84912000202" in set(access.visible_entities(vn, case).values_list("value", flat=True))
    assert "000111222" not in set(access.visible_entities(vn, case).values_list("value", flat=True))
    document = case.entities.get(kind="document")
    assert correlation.correlations_for(vn, document).notices
