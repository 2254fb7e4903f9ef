from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from borderlink.audit.models import AuditEvent
from borderlink.exchange import access, queries, services
from borderlink.exchange.attachments import storage_path
from borderlink.exchange.models import Attachment, Message, MessageRecipient, MessageState

from .helpers import pdf, send

pytestmark = pytest.mark.django_db


def inbox_ids(user):
    return set(queries.inbox(user, queries.MessageFilter()).values_list("id", flat=True))


def test_domestic_message_is_sent_at_once_and_delivered(officer, outsider, org):
    message = send(officer, org.vn_other)
    assert message.state == MessageState.SENT
    assert message.pk in inbox_ids(outsider)
    row = message.recipients.get()
    assert row.delivered_at is not None and row.status == "delivered"


def test_foreign_message_waits_for_approval_and_is_invisible_until_then(officer, supervisor, foreign_officer, org):
    message = send(officer, org.la_unit)
    assert message.state == MessageState.PENDING_APPROVAL
    assert message.pk not in inbox_ids(foreign_officer)
    with pytest.raises(Http404):
        access.get_message_for_user(foreign_officer, message.pk)
    services.approve_message(supervisor, message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.decided_by == supervisor
    assert message.pk in inbox_ids(foreign_officer)
    assert access.get_message_for_user(foreign_officer, message.pk) == message


def test_rejected_message_never_reaches_the_recipient(officer, supervisor, foreign_officer, org):
    message = send(officer, org.la_unit)
    services.reject_message(supervisor, message.pk, "Not enough grounds for the request.")
    message.refresh_from_db()
    assert message.state == MessageState.REJECTED
    assert message.decision_reason == "Not enough grounds for the request."
    assert message.pk not in inbox_ids(foreign_officer)
    with pytest.raises(Http404):
        access.get_message_for_user(foreign_officer, message.pk)
    # the author still sees it with the reason
    assert access.get_message_for_user(officer, message.pk).decision_reason


def test_rejection_needs_a_reason_and_changes_nothing_without(officer, supervisor, org):
    message = send(officer, org.la_unit)
    with pytest.raises(ValidationError) as err:
        services.reject_message(supervisor, message.pk, "   ")
    assert "reason" in err.value.message_dict
    message.refresh_from_db()
    assert message.state == MessageState.PENDING_APPROVAL


def test_author_cannot_approve_their_own_message(supervisor, org):
    message = send(supervisor, org.la_unit)
    with pytest.raises(ValidationError):
        services.approve_message(supervisor, message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.PENDING_APPROVAL


def test_officer_without_supervisor_capability_cannot_approve(officer, colleague, org):
    message = send(officer, org.la_unit)
    with pytest.raises(Http404):
        services.approve_message(colleague, message.pk)


def test_supervisor_of_another_unit_gets_404(officer, outsider, org):
    message = send(officer, org.la_unit)
    with pytest.raises(Http404):
        services.approve_message(outsider, message.pk)
    assert AuditEvent.objects.filter(action="exchange.message.access_denied", actor_username="outsider").exists()


def test_approving_twice_is_refused(officer, supervisor, org):
    message = send(officer, org.la_unit)
    services.approve_message(supervisor, message.pk)
    with pytest.raises(ValidationError):
        services.approve_message(supervisor, message.pk)


def test_read_and_acknowledge_are_recorded_per_recipient(officer, outsider, foreign_officer, supervisor, org):
    message = send(officer, org.vn_other, org.la_unit)
    services.approve_message(supervisor, message.pk)
    services.mark_read(outsider, message.pk)
    services.acknowledge(foreign_officer, message.pk)
    rows = {r.unit_id: r for r in MessageRecipient.objects.filter(message=message)}
    assert rows[org.vn_other.pk].status == "read" and rows[org.vn_other.pk].read_by == outsider
    assert rows[org.la_unit.pk].status == "acknowledged"
    assert rows[org.la_unit.pk].read_at is not None  # acknowledging implies reading
    # repeating changes nothing
    first = rows[org.la_unit.pk].acknowledged_at
    services.acknowledge(foreign_officer, message.pk)
    assert MessageRecipient.objects.get(pk=rows[org.la_unit.pk].pk).acknowledged_at == first


def test_sender_cannot_acknowledge_own_message(officer, org):
    message = send(officer, org.vn_other)
    with pytest.raises(ValidationError):
        services.acknowledge(officer, message.pk)


def test_reply_threads_and_goes_back(officer, outsider, org):
    message = send(officer, org.vn_other)
    reply = send(outsider, org.vn_unit, subject="Re: Verification", in_reply_to_id=message.pk)
    assert reply.in_reply_to == message
    assert reply.pk in inbox_ids(officer)
    thread = queries.thread(reply, access.visible_messages(officer))
    assert [m.pk for m in thread] == [message.pk, reply.pk]


def test_cannot_reply_to_an_invisible_message(officer, outsider, kh_officer, org):
    message = send(officer, org.vn_other)
    with pytest.raises(ValidationError) as err:
        send(kh_officer, org.vn_unit, in_reply_to_id=message.pk)
    assert "in_reply_to" in err.value.message_dict


def test_h2_message_cannot_be_forwarded(officer, outsider, org):
    message = send(officer, org.vn_other, handling_code="H2")
    before = Message.objects.count()
    with pytest.raises(ValidationError) as err:
        services.forward_message(outsider, message.pk, [org.kh_unit.pk])
    assert "H2" in " ".join(err.value.messages)
    assert Message.objects.count() == before


def test_forward_keeps_handling_code_attachments_and_link(officer, outsider, org):
    message = send(officer, org.vn_other, handling_code="H1", attachments=[pdf()])
    forwarded = services.forward_message(outsider, message.pk, [org.kh_unit.pk], "For your information.")
    assert forwarded.forwarded_from == message
    assert forwarded.handling_code == "H1"
    assert forwarded.state == MessageState.PENDING_APPROVAL  # crosses a border
    assert forwarded.attachments.get().sha256 == message.attachments.get().sha256


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"body": "  "}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"priority": "whenever"}, "priority"),
        ({"handling_code": "H9"}, "handling_code"),
        ({"classification": "top"}, "classification"),
        ({"recipient_unit_ids": []}, "recipients"),
        ({"recipient_unit_ids": [999999]}, "recipients"),
        ({"recipient_unit_ids": ["abc"]}, "recipients"),
        ({"in_reply_to_id": "not-a-uuid"}, "in_reply_to"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(officer, org, overrides, field):
    fields = {"recipient_unit_ids": [org.vn_other.pk], **overrides}
    with pytest.raises(ValidationError) as err:
        services.send_message(
            officer,
            services.Draft(
                recipient_unit_ids=fields.pop("recipient_unit_ids"),
                subject=fields.pop("subject", "A subject"),
                body=fields.pop("body", "A body"),
                **fields,
            ),
        )
    assert field in err.value.message_dict
    assert Message.objects.count() == 0
    assert MessageRecipient.objects.count() == 0


def test_own_unit_cannot_be_a_recipient(officer, org):
    with pytest.raises(ValidationError):
        send(officer, org.vn_unit)


def test_inactive_unit_cannot_be_a_recipient(officer, org):
    org.kh_unit.is_active = False
    org.kh_unit.save()
    with pytest.raises(ValidationError):
        send(officer, org.kh_unit)


def test_user_without_capabilities_cannot_send(no_capabilities, org):
    with pytest.raises(Http404):
        send(no_capabilities, org.vn_other)


def test_attachment_is_stored_outside_web_root_by_content_hash(officer, org, settings):
    message = send(officer, org.vn_other, attachments=[pdf("scan.pdf")])
    attachment = message.attachments.get()
    path = storage_path(attachment.storage_name)
    assert path.is_file() and str(path).startswith(str(settings.ATTACHMENT_DIR))
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    assert attachment.content_type == "application/pdf" and attachment.filename == "scan.pdf"


def test_download_is_audited_and_outsider_gets_404(officer, outsider, kh_officer, org):
    message = send(officer, org.vn_other, attachments=[pdf()])
    attachment = message.attachments.get()
    assert services.download_attachment(outsider, message.pk, attachment.pk) == attachment
    assert AuditEvent.objects.filter(action="exchange.attachment.downloaded", actor_username="outsider").count() == 1
    with pytest.raises(Http404):
        services.download_attachment(kh_officer, message.pk, attachment.pk)
    assert AuditEvent.objects.filter(action="exchange.message.access_denied", actor_username="khofficer").count() == 1
    assert Attachment.objects.count() == 1


def test_every_change_is_audited(officer, supervisor, foreign_officer, org):
    message = send(officer, org.la_unit)
    services.approve_message(supervisor, message.pk)
    services.open_message(foreign_officer, message.pk)
    services.acknowledge(foreign_officer, message.pk)
    actions = list(AuditEvent.objects.filter(object_id=str(message.pk)).order_by("seq").values_list("action", flat=True))
    assert actions == [
        "exchange.message.created",
        "exchange.message.submitted",
        "exchange.message.approved",
        "exchange.message.released",
        "exchange.message.viewed",
        "exchange.message.acknowledged",
    ]


def test_recipient_rows_carry_the_inbox_sort_keys_from_release(officer, supervisor, foreign_officer, org):
    """The inbox reads its order from the recipient row (issue 19): the keys are set when the message leaves."""
    message = send(officer, org.la_unit, priority="urgent")
    row = message.recipients.get()
    assert (row.sent_at, row.priority_rank, row.pin) == (None, 1, 0)  # not in any inbox while it waits
    services.approve_message(supervisor, message.pk)
    message.refresh_from_db()
    row.refresh_from_db()
    assert (row.sent_at, row.priority_rank, row.pin) == (message.sent_at, 1, 0)
    services.mark_read(foreign_officer, message.pk)
    row.refresh_from_db()
    assert row.pin == 1  # read: no longer pinned on top
    rejected = send(officer, org.la_unit, priority="immediate")
    services.reject_message(supervisor, rejected.pk, "Not for this unit.")
    assert rejected.recipients.get().sent_at is None and rejected.pk not in inbox_ids(foreign_officer)


def test_a_message_from_a_peer_is_in_the_inbox_in_order(officer, outsider, org):
    """A copy received from another node gets the sort keys too, with the peer's sending time."""
    import datetime
    import json
    import uuid

    from django.utils import timezone

    from borderlink.exchange import federation
    from borderlink.federation.models import Peer

    peer = Peer.objects.create(node_id="test-la", country_id="LA", base_url="http://127.0.0.1:9", public_key="x" * 43,
                               fingerprint="f")
    local = send(outsider, org.vn_unit, priority="routine")  # sent here (another unit of this node), now
    sent_at = timezone.now() - datetime.timedelta(hours=2)
    payloads = [federation.MessagePayload.model_validate_json(json.dumps({
        "id": str(uuid.uuid4()), "sender_unit": org.la_unit.code, "recipients": [org.vn_unit.code],
        "subject": f"From Laos {priority}", "body": "Check a truck.", "priority": priority, "handling_code": "H0",
        "classification": "restricted", "sent_at": sent_at.isoformat()})) for priority in ("routine", "immediate")]
    for payload in payloads:
        federation.apply_message(payload, peer, {})
    rows = MessageRecipient.objects.filter(message_id__in=[p.id for p in payloads])
    assert {(r.sent_at, r.priority_rank, r.pin) for r in rows} == {(sent_at, 2, 1), (sent_at, 0, 0)}
    order = list(queries.inbox(officer, queries.MessageFilter()).values_list("id", flat=True))
    # unread immediate first; then the routine ones, newest first
    assert order == [payloads[1].id, local.pk, payloads[0].id]


@pytest.mark.parametrize("state", ["", "unread", "read", "acknowledged", "unacknowledged"])
def test_inbox_count_is_the_number_of_rows_listed(officer, supervisor, foreign_officer, org, state):
    for n, priority in enumerate(("routine", "urgent", "immediate", "routine")):
        message = send(officer, org.la_unit, priority=priority)
        services.approve_message(supervisor, message.pk)
        if n % 2:
            services.mark_read(foreign_officer, message.pk)
        if n == 3:
            services.acknowledge(foreign_officer, message.pk)
    send(officer, org.la_unit)  # waiting for approval: in no inbox
    for filters in (queries.MessageFilter(state=state), queries.MessageFilter(state=state, priority="routine"),
                    queries.MessageFilter(state=state, q="vehicle")):
        paginator = queries.InboxPaginator(foreign_officer, filters, 2)
        assert paginator.count == queries.inbox(foreign_officer, filters).count() == len(list(queries.inbox(foreign_officer, filters)))


def test_inbox_page_counts_a_bounded_number_and_its_pages_run_on(officer, supervisor, foreign_officer, org, monkeypatch):
    """The inbox page counts at most so many messages (issue 19: the whole inbox was counted on every view), says
    "more than" beyond, and every message stays reachable page by page; the API's count stays exact."""
    from borderlink.exchange import views
    from tests.conftest import make_user, verified_client

    reader = make_user("la.reader", org.la_unit, "officer")  # reads English
    for _ in range(9):
        services.approve_message(supervisor, send(officer, org.la_unit).pk)
    monkeypatch.setattr(queries.InboxPaginator, "COUNT_LIMIT", 4)
    monkeypatch.setattr(queries.InboxPaginator, "PAGES_AHEAD", 1)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    bounded = queries.InboxPaginator(reader, queries.MessageFilter(), 2, page=1)
    assert (bounded.count, bounded.more, bounded.pages_label) == (5, True, "3+")
    assert queries.InboxPaginator(reader, queries.MessageFilter(), 2).count == 9
    client = verified_client(reader)
    first = client.get("/messages/").content.decode()
    assert "More than 4 messages shown" in first and "Page 1 of 3+" in first and "page=2" in first
    later = client.get("/messages/?page=4").content.decode()  # counted further when asked for: exact again
    assert "9 messages shown" in later and "Page 4 of 5" in later
    oldest = queries.inbox(reader, queries.MessageFilter()).last()
    assert str(oldest.pk) in client.get("/messages/?page=5").content.decode()
