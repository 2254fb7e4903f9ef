"""Four eyes and the safeguards that refuse publication, each from both sides."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from borderlink.audit.models import AuditEvent
from borderlink.notices import services
from borderlink.notices.models import NoticeState
from borderlink.notices.neutrality import screen

from .helpers import person, published, wanted

pytestmark = pytest.mark.django_db


def submit_and_approve(author, supervisor, notice, justification=""):
    services.submit_notice(author, notice.pk)
    return services.approve_notice(supervisor, notice.pk, justification)


def test_wanted_notice_with_legal_basis_is_published(officer, supervisor):
    notice = published(officer, supervisor, person(officer))
    assert notice.state == NoticeState.PUBLISHED and notice.approved_by == supervisor
    assert [e.to_state for e in notice.events.all()] == ["draft", "submitted", "published"]


@pytest.mark.parametrize("missing", ["warrant_number", "issuing_authority", "warrant_date"])
def test_wanted_notice_without_legal_basis_is_refused(officer, supervisor, missing):
    notice = wanted(officer, person(officer), **{missing: None if missing == "warrant_date" else ""})
    with pytest.raises(ValidationError) as err:
        submit_and_approve(officer, supervisor, notice)
    assert "legal basis" in " ".join(err.value.messages)
    notice.refresh_from_db()
    assert notice.state == NoticeState.DRAFT
    assert "legal basis" in notice.events.last().reason
    assert AuditEvent.objects.filter(action="notices.notice.refused", object_id=str(notice.pk)).exists()


@pytest.mark.parametrize("years, ok", [(1, False), (None, False), (2, True), (5, True)])
def test_arrest_notice_needs_a_penalty_of_two_years(officer, supervisor, years, ok):
    notice = wanted(officer, person(officer), max_penalty_years=years)
    if ok:
        assert submit_and_approve(officer, supervisor, notice).state == NoticeState.PUBLISHED
    else:
        with pytest.raises(ValidationError, match="at least 2 years"):
            submit_and_approve(officer, supervisor, notice)


def test_locate_notice_needs_no_minimum_penalty(officer, supervisor):
    notice = wanted(officer, person(officer), kind="wanted_locate", max_penalty_years=None)
    assert submit_and_approve(officer, supervisor, notice).state == NoticeState.PUBLISHED


def test_refugee_from_the_issuing_country_cannot_be_wanted_by_it(officer, supervisor):
    subject = person(officer, is_refugee=True, refugee_from="VN")
    with pytest.raises(ValidationError, match="refugee"):
        submit_and_approve(officer, supervisor, wanted(officer, subject))


def test_refugee_from_another_country_can_be_wanted(officer, supervisor):
    subject = person(officer, is_refugee=True, refugee_from="KH")
    assert submit_and_approve(officer, supervisor, wanted(officer, subject)).state == NoticeState.PUBLISHED


def _victim_protection(user):
    user.is_victim_protection = True
    user.save()
    return user


def test_trafficking_victim_is_never_the_subject_of_a_wanted_notice(officer, supervisor):
    _victim_protection(supervisor)
    subject = person(officer, is_trafficking_victim=True)
    with pytest.raises(ValidationError, match="trafficking victim"):
        submit_and_approve(officer, supervisor, wanted(officer, subject))


def test_trafficking_victim_can_have_a_victim_notice(officer, supervisor):
    _victim_protection(supervisor)
    subject = person(officer, is_trafficking_victim=True)
    notice = wanted(officer, subject, kind="victim", offence="", warrant_number="", issuing_authority="", warrant_date=None,
                    max_penalty_years=None, summary="Identified victim, to be protected and returned home.")
    assert submit_and_approve(officer, supervisor, notice).state == NoticeState.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Wanted for organising a political protest against the regime.",
        "Đối tượng là tín đồ tôn giáo, tham gia biểu tình.",
        "ບຸກຄົນນີ້ເຄື່ອນໄຫວທາງການເມືອງ",
        "ជនសង្ស័យជាសកម្មជននយោបាយ",
        "Deserter from the army.",
    ],
)
def test_flagged_text_needs_a_written_justification(officer, supervisor, text):
    notice = wanted(officer, person(officer), summary=text)
    with pytest.raises(ValidationError) as err:
        submit_and_approve(officer, supervisor, notice)
    assert "justification" in err.value.message_dict
    notice.refresh_from_db()
    assert notice.state == NoticeState.SUBMITTED and notice.neutrality_flags
    notice = services.approve_notice(supervisor, notice.pk, "The protest blocked the border gate; the offence is the drug shipment.")
    assert notice.state == NoticeState.PUBLISHED
    event = AuditEvent.objects.get(action="notices.notice.neutrality_override", object_id=str(notice.pk))
    assert "drug shipment" in event.data["justification"]


@pytest.mark.parametrize("text", ["Vận chuyển ma túy qua biên giới.", "Online scam compound in Bavet.", "ລັກລອບຂົນຢາເສບຕິດ"])
def test_ordinary_crime_text_is_not_flagged(text):
    assert screen(text) == []


def test_author_cannot_approve_own_notice(supervisor, officer):
    notice = wanted(supervisor, person(supervisor))
    services.submit_notice(supervisor, notice.pk)
    with pytest.raises(ValidationError, match="own notice"):
        services.approve_notice(supervisor, notice.pk)


def test_officer_without_supervisor_capability_cannot_approve(officer, colleague):
    notice = wanted(officer, person(officer))
    services.submit_notice(officer, notice.pk)
    with pytest.raises(Http404):
        services.approve_notice(colleague, notice.pk)


def test_supervisor_of_another_unit_gets_404(officer, outsider):
    notice = wanted(officer, person(officer))
    services.submit_notice(officer, notice.pk)
    with pytest.raises(Http404):
        services.approve_notice(outsider, notice.pk)


def test_no_offence_outside_the_fixed_list(officer):
    with pytest.raises(ValidationError) as err:
        wanted(officer, person(officer), offence="political_activity")
    assert "offence" in err.value.message_dict


def test_missing_person_notice_names_no_offence(officer):
    with pytest.raises(ValidationError):
        wanted(officer, person(officer), kind="missing", offence="fraud")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"summary": " "}, "summary"),
        ({"review_date": None}, "review_date"),
        ({"kind": "bounty"}, "kind"),
        ({"shared_with": ["TH"]}, "shared_with"),
        ({"max_penalty_years": 500}, "max_penalty_years"),
        ({"handling_code": "H7"}, "handling_code"),
    ],
)
def test_bad_notice_input_writes_nothing(officer, overrides, field):
    from borderlink.notices.models import Notice

    subject = person(officer)
    with pytest.raises(ValidationError) as err:
        wanted(officer, subject, **overrides)
    assert field in err.value.message_dict
    assert Notice.objects.count() == 0


def test_lifecycle_records_who_and_why(officer, supervisor):
    notice = published(officer, supervisor, person(officer))
    services.suspend_notice(officer, notice.pk, "Subject reported dead; checking.")
    with pytest.raises(ValidationError):
        services.suspend_notice(officer, notice.pk, "again")
    import datetime

    from django.utils import timezone

    services.resume_notice(supervisor, notice.pk, "Report was wrong.", timezone.localdate() + datetime.timedelta(days=90))
    services.resolve_notice(officer, notice.pk, "arrested", "Arrested at Dansavan.")
    events = list(notice.events.values_list("to_state", "reason"))
    assert events[-3:] == [("suspended", "Subject reported dead; checking."), ("published", "Report was wrong."),
                           ("resolved", "Arrested at Dansavan.")]
    with pytest.raises(ValidationError):
        services.cancel_notice(officer, notice.pk, "too late")


def test_supervisor_without_victim_role_does_not_see_a_victims_notice(officer, supervisor):
    subject = person(officer, is_trafficking_victim=True)
    notice = wanted(officer, subject, kind="victim", offence="", warrant_number="", issuing_authority="", warrant_date=None,
                    max_penalty_years=None, summary="Identified victim.")
    services.submit_notice(officer, notice.pk)
    with pytest.raises(Http404):
        services.approve_notice(supervisor, notice.pk)


@pytest.mark.parametrize(("shared_with", "message"), [
    (["VN"], "A notice is not shared with its own issuing country."),
    (["LA", "VN"], "A notice is not shared with its own issuing country."),
    (["LA", "LA"], "Name each country once."),
])
def test_shared_with_refuses_the_issuing_country_and_duplicates(officer, shared_with, message, api):
    """Tryout defect 12: a notice is shared with other countries, each once; through the service, the API
    (in the token owner's language) and the form, which does not offer the own country."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from borderlink.notices.models import Notice

    from .helpers import person, wanted

    subject = person(officer)
    with pytest.raises(ValidationError) as caught:
        wanted(officer, subject, shared_with=shared_with)
    assert caught.value.message_dict["shared_with"] == [message]
    officer.language = "vi"
    officer.save()
    body = {"subject_id": str(subject.pk), "kind": "wanted_arrest", "offence": "drug_trafficking", "summary": "s",
            "warrant_number": "1", "issuing_authority": "a", "max_penalty_years": 5, "shared_with": shared_with,
            "review_date": str(datetime.date.today() + datetime.timedelta(days=100)),
            "warrant_date": str(datetime.date.today() - datetime.timedelta(days=10))}
    response = api(officer).post("/api/notices", body, content_type="application/json")
    assert response.status_code == 400
    with translation.override("vi"):
        assert response.json()["errors"]["shared_with"] == [translation.gettext(message)]
    assert not Notice.objects.exists()


def test_the_form_does_not_offer_the_own_country(officer):
    from borderlink.notices.forms import NoticeForm

    codes = {c.code for c in NoticeForm(own_country="VN").fields["shared_with"].queryset}
    assert "VN" not in codes and {"LA", "KH"} <= codes
