from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from borderlink.audit.models import AuditEvent
from borderlink.exchange.models import Message

from .helpers import PDF, send

pytestmark = pytest.mark.django_db


def test_compose_with_attachment_to_foreign_unit_waits_for_approval(officer, login, org):
    client = login(officer)
    response = client.post("/messages/compose/", {
        "recipients": [org.la_unit.pk],
        "subject": "Vehicle check",
        "body": "Please verify the vehicle.",
        "priority": "urgent",
        "handling_code": "H1",
        "classification": "restricted",
        "attachments": [SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")],
    })
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messages/{message.pk}/"
    assert message.state == "pending_approval" and message.attachments.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Awaiting approval" in page and "scan.pdf" in page


def test_compose_errors_are_shown_and_nothing_saved(officer, login, org, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client = login(officer)
    response = client.post("/messages/compose/", {
        "recipients": [org.la_unit.pk],
        "subject": "",
        "body": "text",
        "priority": "routine",
        "handling_code": "H0",
        "classification": "restricted",
        "attachments": [
            SimpleUploadedFile("big.pdf", PDF + b"0" * 2048),
            SimpleUploadedFile("evil.pdf", b"MZ\x90\x00" + b"\x00" * 50),
        ],
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "big.pdf" in page and "evil.pdf" in page
    assert Message.objects.count() == 0


def test_reject_from_page_shows_reason_to_author(officer, supervisor, login, org):
    message = send(officer, org.la_unit)
    login(supervisor).post(f"/messages/{message.pk}/reject/", {"reason": "Wrong addressee."})
    page = login(officer).get(f"/messages/{message.pk}/").content.decode()
    assert "Rejected" in page and "Wrong addressee." in page


def test_reject_without_reason_is_refused(officer, supervisor, login, org):
    message = send(officer, org.la_unit)
    login(supervisor).post(f"/messages/{message.pk}/reject/", {"reason": ""})
    message.refresh_from_db()
    assert message.state == "pending_approval"


def test_opening_marks_read_and_counts_drop(officer, outsider, login, org):
    message = send(officer, org.vn_other)
    client = login(outsider)
    assert '<span class="count"' in client.get("/messages/").content.decode()
    client.get(f"/messages/{message.pk}/")
    assert message.recipients.get().read_by == outsider
    assert '<span class="count"' not in client.get("/messages/").content.decode()


def test_inbox_puts_unread_urgent_first_and_paginates(officer, outsider, login, org):
    for n in range(30):
        send(officer, org.vn_other, subject=f"routine {n:02d}")
    send(officer, org.vn_other, subject="IMMEDIATE ONE", priority="immediate")
    client = login(outsider)
    page = client.get("/messages/").content.decode()
    assert page.index("IMMEDIATE ONE") < page.index("routine 29")
    assert "Page 1 of 2" in page
    second = client.get("/messages/", {"page": 2}).content.decode()
    assert "routine 00" in second


def test_inbox_filters_are_audited(officer, outsider, login, org):
    send(officer, org.vn_other, subject="Bavet crossing")
    send(officer, org.vn_other, subject="Other")
    page = login(outsider).get("/messages/", {"q": "bavet"}).content.decode()
    assert "Bavet crossing" in page and ">Other<" not in page
    event = AuditEvent.objects.get(action="exchange.search")
    assert event.data["q"] == "bavet" and event.data["box"] == "inbox"


def test_filters_by_date_unit_state(officer, outsider, login, org, kh_officer):
    send(officer, org.vn_other, subject="from VN")
    send(kh_officer, org.vn_other, subject="from KH")
    client = login(outsider)
    page = client.get("/messages/", {"unit": org.vn_unit.pk}).content.decode()
    assert "from VN" in page and "from KH" not in page
    page = client.get("/messages/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content.decode()
    assert "No message matches these filters." in page
    page = client.get("/messages/", {"date_from": "2030-01-02", "date_to": "2030-01-01"}).content.decode()
    assert "start date is after the end date" in page
    page = client.get("/messages/", {"state": "acknowledged"}).content.decode()
    assert "No message matches" in page


def test_outbox_shows_per_recipient_states(officer, outsider, kh_officer, supervisor, login, org):
    message = send(officer, org.vn_other, org.kh_unit)
    from borderlink.exchange import services

    services.approve_message(supervisor, message.pk)
    services.acknowledge(kh_officer, message.pk)
    page = login(officer).get(f"/messages/{message.pk}/").content.decode()
    assert "delivered" in page and "acknowledged" in page


def test_empty_states(officer, login):
    client = login(officer)
    assert "inbox is empty" in client.get("/messages/").content.decode()
    assert "not written any message" in client.get("/messages/outbox/").content.decode()


def test_h2_message_shows_no_forward_button(officer, outsider, login, org):
    message = send(officer, org.vn_other, handling_code="H2")
    page = login(outsider).get(f"/messages/{message.pk}/").content.decode()
    assert f"/messages/{message.pk}/forward/" not in page
    response = login(outsider).get(f"/messages/{message.pk}/forward/")
    assert response.status_code == 302


def test_reading_another_units_message_is_404_and_audited(officer, kh_officer, login, org):
    message = send(officer, org.vn_other)
    assert login(kh_officer).get(f"/messages/{message.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="exchange.message.access_denied", object_id=str(message.pk)).exists()
    assert login(kh_officer).get("/messages/not-a-uuid/").status_code == 404


def test_nav_counts_are_kept_briefly_and_forgotten_when_a_message_changes(officer, outsider, org, rf, django_assert_num_queries):
    from borderlink.exchange.context_processors import counts
    from borderlink.exchange.models import MessageRecipient

    message = send(officer, org.vn_other)
    request = rf.get("/")
    request.user = outsider
    assert counts(request)["unread_count"] == 1
    with django_assert_num_queries(0):
        assert counts(request)["unread_count"] == 1
    row = MessageRecipient.objects.get(message=message)
    row.read_at, row.read_by = message.sent_at, outsider
    row.save(update_fields=["read_at", "read_by"])
    assert counts(request)["unread_count"] == 0


def test_inbox_filter_form_keeps_the_choices_made(officer, login, org):
    """The filter form is drawn in Python (issue 19): the same options, the chosen ones selected."""
    page = login(officer).get(f"/messages/?unit={org.la_unit.pk}&priority=urgent&state=unread&q=truck").content.decode()
    assert f'<option value="{org.la_unit.pk}" selected>LA · {org.la_unit.name_en}</option>' in page
    assert f'<option value="{org.kh_unit.pk}">KH · {org.kh_unit.name_en}</option>' in page
    assert f'<option value="{org.vn_unit.pk}"' not in page  # not the reader's own unit
    assert '<option value="urgent" selected>' in page and '<option value="unread" selected>' in page
    assert '<input type="text" name="q" value="truck"' in page


def test_nav_counts_of_other_units_are_kept_when_a_message_changes(officer, outsider, kh_officer, org, rf,
                                                                    django_assert_num_queries):
    """A recipient row saved forgets its unit's counts only (issue 19): another unit's kept counts stay; the
    message's own unit and the recipient's unit count again."""
    from borderlink.exchange.context_processors import counts
    from borderlink.exchange.models import MessageRecipient

    message = send(officer, org.vn_other)
    requests = {}
    for user in (outsider, kh_officer, officer):
        requests[user.username] = request = rf.get("/")
        request.user = user
        counts(request)
    row = MessageRecipient.objects.get(message=message)
    row.read_at, row.read_by = message.sent_at, outsider
    row.save(update_fields=["read_at", "read_by"])
    with django_assert_num_queries(0):
        counts(requests[kh_officer.username])  # another unit: kept
    with django_assert_num_queries(2):  # (a supervisor: unread and awaiting approval)
        assert counts(requests[outsider.username])["unread_count"] == 0  # the recipient's unit: counted again
