"""Regular liaison meetings on one node: a pair's stored schedule proposes its next meetings within the lead
time, the host alternating between the sides; reruns propose nothing new; bad input is a field error in the
user's language; only the province's supervisors keep schedules. Between two real nodes:
tests/federation/test_border_meetings.py::test_the_schedule_proposes_across_the_border."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from borderlink.audit.models import AuditEvent
from borderlink.border import meetings, schedules
from borderlink.border.models import Meeting, MeetingAction, MeetingKind, MeetingSchedule, MeetingState
from tests.border.helpers import pair_code

pytestmark = pytest.mark.django_db


def schedule_input(**overrides):
    data = {"pair": pair_code(), "frequency": "quarterly", "first_starts_at": timezone.now() + datetime.timedelta(days=10),
            "first_host": "VN", "place_here": "Lao Bảo border post", "place_across": "Dansavan border post", "lead_days": 45}
    data.update(overrides)
    return schedules.ScheduleInput(**data)


def test_the_schedule_proposes_the_next_meetings_hosts_alternating_once(border, supervisor, foreign_officer):
    now = timezone.now()
    schedule = schedules.create_schedule(supervisor, schedule_input(), now=now)
    first = Meeting.objects.get(schedule=schedule)  # within the lead time: proposed at once
    assert (first.occurrence, first.kind, first.frequency, first.state) == (0, MeetingKind.REGULAR, "quarterly", MeetingState.PROPOSED)
    assert first.host_country_id == "VN" and first.place == "Lao Bảo border post"
    assert first.invited_unit == foreign_officer.unit and first.created_by is None
    assert [e.action for e in first.events.all()] == [MeetingAction.PROPOSED]
    assert schedules.propose_due(now) == {"proposed": 0, "skipped": 0}  # a rerun proposes nothing new
    assert schedules.propose_due(now + datetime.timedelta(days=30)) == {"proposed": 0, "skipped": 0}  # next is 3 months on
    later = now + datetime.timedelta(days=60)
    assert schedules.propose_due(later) == {"proposed": 1, "skipped": 0}
    assert schedules.propose_due(later) == {"proposed": 0, "skipped": 0}
    second = Meeting.objects.get(schedule=schedule, occurrence=1)
    assert second.host_country_id == "LA" and second.place == "Dansavan border post"  # the host alternates
    assert timezone.localtime(second.starts_at).time() == timezone.localtime(first.starts_at).time()
    assert (timezone.localtime(second.starts_at).month - timezone.localtime(first.starts_at).month) % 12 == 3
    assert AuditEvent.objects.filter(action="border.schedule.proposed").count() == 2
    assert AuditEvent.objects.filter(action="border.meeting.proposed", object_id=str(second.pk)).exists()
    # a normal proposal: the invited side answers it
    accepted = meetings.answer(foreign_officer, second.pk, MeetingAction.ACCEPTED, now=later)
    assert accepted.state == MeetingState.ACCEPTED


def test_a_stopped_schedule_proposes_nothing_more(border, supervisor, foreign_officer):
    now = timezone.now()
    schedule = schedules.create_schedule(supervisor, schedule_input(frequency="monthly"), now=now)
    assert Meeting.objects.filter(schedule=schedule).count() == 2  # the 10th and the 40th day, within 45 days
    schedules.stop_schedule(supervisor, schedule.pk, now=now)
    assert schedules.propose_due(now + datetime.timedelta(days=60)) == {"proposed": 0, "skipped": 0}
    with pytest.raises(ValidationError):
        schedules.stop_schedule(supervisor, schedule.pk)
    again = schedules.create_schedule(supervisor, schedule_input(), now=now)  # a new one may follow
    assert again.active and Meeting.objects.filter(schedule=again).count() == 1


def test_months_keep_the_day_or_take_the_months_last():
    tz = timezone.get_current_timezone()
    start = datetime.datetime(2027, 1, 31, 9, 30, tzinfo=tz)
    assert schedules.add_months(start, 1).date() == datetime.date(2027, 2, 28)
    assert schedules.add_months(start, 3).date() == datetime.date(2027, 4, 30)
    assert schedules.add_months(start, 12).date() == datetime.date(2028, 1, 31)
    assert timezone.localtime(schedules.add_months(start, 13)).time() == datetime.time(9, 30)


@pytest.mark.parametrize("english, field, overrides", [
    ("A meeting cannot be in the past.", "first_starts_at", {"first_starts_at": timezone.now() - datetime.timedelta(days=1)}),
    ("Choose a value from the list.", "frequency", {"frequency": "weekly"}),
    ("The host is one of the two sides.", "first_host", {"first_host": "KH"}),
    ("Say where (at most %(n)d characters).", "place_across", {"place_across": "  "}),
    ("Say where (at most %(n)d characters).", "place_here", {"place_here": "x" * 201}),
    ("Give a number of days between %(low)d and %(high)d.", "lead_days", {"lead_days": 3}),
    ("Choose one of your province pairs.", "pair", {"pair": "VN-XX/KH-YY"}),
])
def test_bad_input_is_a_field_error_in_the_users_language(border, supervisor, english, field, overrides):
    with translation.override("km"):
        translated = translation.gettext(english)
        with pytest.raises(ValidationError) as caught:
            schedules.create_schedule(supervisor, schedule_input(**overrides))
    prefix = translated.split("%")[0]
    assert translated != english and prefix
    assert any(m.startswith(prefix) for m in caught.value.message_dict[field]), caught.value.message_dict
    assert not MeetingSchedule.objects.exists() and not Meeting.objects.exists()


def test_one_active_schedule_per_pair(border, supervisor):
    schedules.create_schedule(supervisor, schedule_input())
    with pytest.raises(ValidationError) as caught:
        schedules.create_schedule(supervisor, schedule_input(frequency="monthly"))
    assert "pair" in caught.value.message_dict


def test_only_the_provinces_supervisors_keep_schedules(border, supervisor, officer, outsider, foreign_supervisor):
    for user in (officer, outsider):
        with pytest.raises(Http404):
            schedules.create_schedule(user, schedule_input())
    schedule = schedules.create_schedule(supervisor, schedule_input())
    with pytest.raises(Http404):
        schedules.stop_schedule(foreign_supervisor, schedule.pk)  # the other side's node does not keep it
    with pytest.raises(Http404):
        schedules.get_schedule_for_user(outsider, schedule.pk)
    assert schedules.visible_schedules(officer).count() == 1  # the unit's officers see it
    assert AuditEvent.objects.filter(action="border.schedule.access_denied").exists()


def test_a_pair_that_no_longer_holds_is_skipped(border, supervisor):
    schedule = schedules.create_schedule(supervisor, schedule_input(lead_days=7, first_starts_at=timezone.now()
                                                                    + datetime.timedelta(days=20)))
    pair = schedule.pair
    pair.valid_to = timezone.localdate() + datetime.timedelta(days=25)
    pair.save()
    assert schedules.propose_due(timezone.now() + datetime.timedelta(days=15)) == {"proposed": 1, "skipped": 0}
    in_three_months = timezone.now() + datetime.timedelta(days=105)
    assert schedules.propose_due(in_three_months) == {"proposed": 0, "skipped": 1}
    assert AuditEvent.objects.filter(action="border.schedule.skipped").count() == 1


def test_api_stores_lists_and_stops_a_schedule_with_field_errors(border, supervisor, officer, api):
    client = api(supervisor)
    body = {"pair": pair_code(), "frequency": "quarterly",
            "first_starts_at": (timezone.now() + datetime.timedelta(days=10)).isoformat(), "first_host": "LA",
            "place_here": "Lao Bảo border post", "place_across": "Dansavan border post"}
    created = client.post("/api/border/meeting-schedules", body, content_type="application/json")
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["frequency"] == "quarterly" and answer["lead_days"] == 45
    first, second = answer["next"][:2]
    assert (first["host"], first["place"], second["host"], second["place"]) == (
        "LA", "Dansavan border post", "VN", "Lao Bảo border post")
    assert first["meeting_id"] and second["meeting_id"] is None
    meeting = api(officer).get(f"/api/border/meetings/{first['meeting_id']}").json()
    assert meeting["kind"] == "regular" and meeting["frequency"] == "quarterly" and meeting["host"] == "LA"
    assert [s["id"] for s in api(officer).get("/api/border/meeting-schedules").json()] == [answer["id"]]
    assert api(officer).post(f"/api/border/meeting-schedules/{answer['id']}/stop").status_code == 404  # not a supervisor
    # bad input: out of bounds (422) and refused by a rule (400), both naming the field
    assert client.post("/api/border/meeting-schedules", {**body, "frequency": "weekly"},
                       content_type="application/json").status_code == 422
    assert "lead_days" in client.post("/api/border/meeting-schedules", {**body, "lead_days": 500},
                                      content_type="application/json").json()["errors"]
    again = client.post("/api/border/meeting-schedules", body, content_type="application/json")
    assert again.status_code == 400 and "pair" in again.json()["errors"]
    stopped = client.post(f"/api/border/meeting-schedules/{answer['id']}/stop")
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    assert client.post(f"/api/border/meeting-schedules/{answer['id']}/stop").status_code == 400
    assert client.post("/api/border/meeting-schedules/not-a-uuid/stop").status_code == 404


def test_pages_store_show_and_stop_a_schedule(border, supervisor, officer, login):
    client = login(supervisor)
    assert client.get("/border/meetings/schedules/new/").status_code == 200
    bad = client.post("/border/meetings/schedules/new/", {
        "pair": pair_code(), "frequency": "monthly", "first_starts_at": "2020-01-01T09:00", "first_host": "VN",
        "place_here": "Lao Bảo", "place_across": "Dansavan", "lead_days": 30})
    assert bad.status_code == 400 and "A meeting cannot be in the past." in bad.content.decode()
    first = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    done = client.post("/border/meetings/schedules/new/", {
        "pair": pair_code(), "frequency": "monthly", "first_starts_at": first, "first_host": "VN",
        "place_here": "Lao Bảo", "place_across": "Dansavan", "lead_days": 30})
    assert done.status_code == 302
    page = login(officer).get("/border/meetings/").content.decode()
    assert "Regular schedules" in page and "monthly" in page and "Stop the schedule" not in page  # officers read
    assert login(officer).get("/border/meetings/schedules/new/").status_code == 404
    schedule = MeetingSchedule.objects.get()
    assert client.post(f"/border/meetings/schedules/{schedule.pk}/stop/").status_code == 302
    schedule.refresh_from_db()
    assert not schedule.active
