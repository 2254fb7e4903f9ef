"""The append itself (issue 19): on PostgreSQL one statement computes the hash under the head's lock;
it must be the very hash Python computes, for any content, and stay in the caller's transaction."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction

from borderlink.audit.models import AuditEvent, AuditHead
from borderlink.audit.services import _canonical_middle, record, verify_chain

pytestmark = pytest.mark.django_db

AWKWARD = [
    {"q": "ບຸນມີ ສີສະຫວັດ", "z": 1, "a": {"y": [1, 2.5, None], "b": "ស៊ុន ចាន់"}},
    {"q": 'quote " backslash \\ slash / tab \t newline \n', "emoji": "🙂", "control": "\u0001"},
    {"q": "Nguyễn Thị Ánh", "nested": {"k2": {"k1": True, "k0": False}}, "n": 10**15},
    {},
]


def test_the_database_hash_is_the_python_hash(officer):
    events = [record(officer, "notices.search", object_type="notice", object_id="x", data=data) for data in AWKWARD]
    events.append(record(None, "system.check"))
    for event in events:
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.hash == event.hash == stored.compute_hash()
        assert stored.prev_hash == event.prev_hash
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + len(events)))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (events[-1].seq, events[-1].hash)
    assert verify_chain().ok


def test_the_middle_of_the_canonical_form(officer):
    event = record(officer, "exchange.search", data={"q": "ສີ"})
    middle = _canonical_middle(event)
    assert event.canonical() == ("[" + str(event.seq) + middle + '"' + event.prev_hash + '"]').encode()


def test_an_append_rolled_back_with_its_change_leaves_no_trace(officer):
    first = record(officer, "exchange.search", data={"n": 1})
    with pytest.raises(RuntimeError), transaction.atomic():
        record(officer, "exchange.search", data={"n": 2})
        raise RuntimeError("the change fails")
    last = record(officer, "exchange.search", data={"n": 3})
    assert last.seq == first.seq + 1 and last.prev_hash == first.hash
    assert not AuditEvent.objects.filter(data__n=2).exists()
    assert verify_chain().ok


def test_a_missing_head_row_is_made_again(officer):
    AuditHead.objects.all().delete()
    event = record(officer, "exchange.search")
    assert event.seq == 1 and verify_chain().ok
