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


def test_demo_case_meets_a_request_a_notice_and_invites_after_approval():
    from borderlink.accounts.models import User
    from borderlink.cases import related
    from borderlink.cases.models import Case

    call_command("load_demo")
    case = Case.objects.get()
    vn = User.objects.get(username="vn.officer")
    assert {m.reason for m in related.requests_for_case(vn, case)} == {"linked"}  # linked, and its number in the case
    traced = related.requests_for_case(vn, case)[0].request
    assert {m.reason for m in related.cases_for_request(vn, traced)} == {"linked"}
    assert case.participants.get(unit__code="LA-SVK.PP").state == "pending"  # invited after the approval, sent
    assert case.entities.get(kind="person").role == "suspect"
    document = case.entities.get(kind="document")
    from borderlink.notices.models import Notice

    notice = Notice.objects.filter(subject__documents__number_normalised=document.value).first()
    assert notice is not None and [m.case for m in related.cases_for_person(vn, notice.subject)] == [case]
