from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from borderlink.notices.models import Notice
from borderlink.persons.models import Person

from ..exchange.helpers import PDF, PNG
from .helpers import LAO_NAME_VI, person, published

pytestmark = pytest.mark.django_db


def formsets(names=(), docs=()):
    data = {"names-TOTAL_FORMS": "3", "names-INITIAL_FORMS": "0", "docs-TOTAL_FORMS": "2", "docs-INITIAL_FORMS": "0"}
    for i, (name, kind) in enumerate(names):
        data[f"names-{i}-name"], data[f"names-{i}-kind"] = name, kind
    for i in range(len(names), 3):
        data[f"names-{i}-kind"] = "primary"
    for i, (doc_type, number, country) in enumerate(docs):
        data[f"docs-{i}-doc_type"], data[f"docs-{i}-number"], data[f"docs-{i}-issuing_country"] = doc_type, number, country
    return data


def notice_fields(**overrides):
    fields = {
        "kind": "wanted_arrest", "offence": "drug_trafficking", "summary": "Vận chuyển 12 kg ma túy qua cửa khẩu Lao Bảo.",
        "warrant_number": "15/QĐ", "issuing_authority": "Cơ quan CSĐT Công an tỉnh Quảng Trị",
        "warrant_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(), "max_penalty_years": "20",
        "shared_with": ["LA"], "handling_code": "H0", "review_date": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
        "sex": "M", "birth_year": "1985",
    }
    fields.update(overrides)
    return fields


def test_write_a_notice_with_its_subject_and_photo_on_one_page(officer, login, org):
    data = {**notice_fields(), **formsets([(LAO_NAME_VI, "primary"), ("SOMPHONE KEOMANY", "transcription")],
                                          [("passport", "P 123 456", "LA")])}
    data["photo"] = SimpleUploadedFile("face.png", PNG, content_type="image/png")
    response = login(officer).post("/notices/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get()
    assert notice.state == "draft" and notice.subject.names.count() == 2
    assert notice.subject.documents.get().number_normalised == "P123456"
    page = login(officer).get(f"/notices/{notice.pk}/").content.decode()
    assert LAO_NAME_VI in page and "photos" in page
    photo = notice.subject.photos.get()
    assert login(officer).get(f"/notices/{notice.pk}/photos/{photo.pk}/").status_code == 200


def test_bad_notice_page_input_writes_nothing(officer, login):
    data = {**notice_fields(summary="", birth_year="1700", review_date="2000-01-01"), **formsets([])}
    data["photo"] = SimpleUploadedFile("face.png", PDF, content_type="image/png")
    response = login(officer).post("/notices/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page or "Write a summary" in page
    assert Notice.objects.count() == 0 and Person.objects.count() == 0


def test_service_level_errors_come_back_on_the_page(officer, login):
    data = {**notice_fields(), **formsets([])}  # no name at all
    response = login(officer).post("/notices/new/", data)
    assert "Give at least one name." in response.content.decode()
    assert Notice.objects.count() == 0 and Person.objects.count() == 0


def test_submit_and_approve_through_pages(officer, supervisor, login):
    data = {**notice_fields(), **formsets([(LAO_NAME_VI, "primary")])}
    login(officer).post("/notices/new/", data)
    notice = Notice.objects.get()
    login(officer).post(f"/notices/{notice.pk}/submit/")
    page = login(supervisor).get(f"/notices/{notice.pk}/").content.decode()
    assert "Approve and publish" in page
    login(supervisor).post(f"/notices/{notice.pk}/approve/", {"justification": ""})
    notice.refresh_from_db()
    assert notice.state == "published"


def test_refusal_is_shown_to_the_supervisor(officer, supervisor, login):
    data = {**notice_fields(warrant_number=""), **formsets([(LAO_NAME_VI, "primary")])}
    login(officer).post("/notices/new/", data)
    notice = Notice.objects.get()
    login(officer).post(f"/notices/{notice.pk}/submit/")
    client = login(supervisor)
    assert "legal basis" in client.get(f"/notices/{notice.pk}/").content.decode()
    response = client.post(f"/notices/{notice.pk}/approve/", follow=True)
    assert "legal basis" in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == "draft"


def test_record_person_page_and_edit(officer, login):
    data = {"sex": "F", "birth_year": "1990", "birth_month": "2", "birth_day": "30", **formsets([("Trần Thị Mai", "primary")])}
    response = login(officer).post("/persons/new/", data)
    assert "This date does not exist." in response.content.decode()
    data["birth_day"] = "28"
    response = login(officer).post("/persons/new/", data)
    subject = Person.objects.get()
    assert response["Location"] == f"/persons/{subject.pk}/" and subject.birth_display == "1990-02-28"
    edit = login(officer).get(f"/persons/{subject.pk}/edit/").content.decode()
    assert "Trần Thị Mai" in edit


def test_printable_notice_in_the_readers_language(officer, supervisor, foreign_officer, login):
    notice = published(officer, supervisor, person(officer), shared_with=["LA"])
    page = login(foreign_officer).get(f"/notices/{notice.pk}/print/").content.decode()
    assert 'lang="lo"' in page and "borderlink/print.css" in page and LAO_NAME_VI in page  # print.css has the @media print rules
