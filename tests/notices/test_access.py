"""Who sees which notice: issuing unit, shared countries once published, liaison of the issuing
country; victims only for victim-protection roles and named officers; everyone else 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from borderlink.audit.models import AuditEvent
from borderlink.notices import access, services

from ..conftest import make_user
from .helpers import person, published, wanted

pytestmark = pytest.mark.django_db


def sees(user, notice) -> bool:
    try:
        access.get_notice_for_user(user, notice.pk)
        return True
    except Http404:
        return False


def test_draft_is_visible_to_the_issuing_unit_only(officer, colleague, foreign_officer, outsider):
    notice = wanted(officer, person(officer))
    assert sees(officer, notice) and sees(colleague, notice)
    assert not sees(foreign_officer, notice) and not sees(outsider, notice)
    assert AuditEvent.objects.filter(action="notices.notice.access_denied").count() == 2


def test_published_notice_reaches_shared_countries_only(officer, supervisor, foreign_officer, kh_officer, outsider):
    notice = published(officer, supervisor, person(officer), shared_with=["LA"])
    assert sees(foreign_officer, notice)
    assert not sees(kh_officer, notice)
    assert not sees(outsider, notice)  # same country, other unit, no liaison role


def test_liaison_officer_of_the_issuing_country_sees_published_notices(officer, supervisor, org):
    liaison = make_user("liaison", org.vn_other, "liaison")
    notice = wanted(officer, person(officer))
    assert not sees(liaison, notice)
    services.submit_notice(officer, notice.pk)
    services.approve_notice(supervisor, notice.pk)
    assert sees(liaison, notice)


def test_suspended_notice_leaves_the_shared_countries(officer, supervisor, foreign_officer):
    notice = published(officer, supervisor, person(officer))
    services.suspend_notice(officer, notice.pk, "checking")
    assert not sees(foreign_officer, notice)
    assert sees(officer, notice)


def test_victim_notice_only_for_victim_protection_and_named_officers(officer, supervisor, org):
    protector = make_user("protector", org.vn_unit, "victim_protection")
    protector_la = make_user("protector_la", org.la_unit, "victim_protection")
    foreign = make_user("foreign2", org.la_unit, "officer")
    supervisor.is_victim_protection = True
    supervisor.save()
    subject = person(officer, is_trafficking_victim=True)
    notice = wanted(officer, subject, kind="victim", offence="", warrant_number="", issuing_authority="", warrant_date=None,
                    max_penalty_years=None, summary="Identified victim.", shared_with=["LA"])
    services.submit_notice(officer, notice.pk)
    services.approve_notice(supervisor, notice.pk)
    assert sees(officer, notice)  # the officer who recorded the victim is named
    assert sees(protector, notice) and sees(protector_la, notice)
    assert not sees(foreign, notice)
    other = make_user("other_vn", org.vn_unit, "officer")
    assert not sees(other, notice)


def test_user_without_capabilities_sees_nothing(officer, supervisor, no_capabilities):
    notice = published(officer, supervisor, person(officer))
    assert not sees(no_capabilities, notice)


@pytest.mark.parametrize("path", ["/notices/", "/notices/search/", "/notices/hits/", "/notices/new/", "/persons/"])
def test_pages_need_a_unit_capability(path, no_capabilities, officer, login):
    assert login(no_capabilities).get(path).status_code == 404
    assert login(officer).get(path).status_code == 200


def test_notice_pages_404_for_outsiders_and_work_for_the_shared_country(officer, supervisor, foreign_officer, kh_officer, login, api):
    notice = published(officer, supervisor, person(officer), shared_with=["LA"])
    for path in (f"/notices/{notice.pk}/", f"/notices/{notice.pk}/print/"):
        assert login(foreign_officer).get(path).status_code == 200
        assert login(kh_officer).get(path).status_code == 404
    assert api(foreign_officer).get(f"/api/notices/{notice.pk}").status_code == 200
    assert api(kh_officer).get(f"/api/notices/{notice.pk}").status_code == 404
    # only the owner acts on it
    assert login(foreign_officer).post(f"/notices/{notice.pk}/suspend/", {"reason": "x"}).status_code == 404


def test_foreign_reader_sees_no_history_or_flags(officer, supervisor, foreign_officer, api):
    notice = published(officer, supervisor, person(officer), shared_with=["LA"])
    body = api(foreign_officer).get(f"/api/notices/{notice.pk}").json()
    assert body["history"] == [] and body["neutrality_flags"] == []
    assert api(officer).get(f"/api/notices/{notice.pk}").json()["history"]
