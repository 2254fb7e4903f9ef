"""The demo's regular liaison meetings between Quảng Trị (Viet Nam) and Savannakhet (Laos), on three nodes.

`advance` takes every step the node it runs on can take now, through the services, so that the meetings unfold
as envelopes arrive (scripts/demo.sh runs `manage.py demo_meetings` on Viet Nam and Laos in turn):

1. Viet Nam's supervisor stores a quarterly schedule; its first meeting starts a few seconds later and is hosted
   by Viet Nam, the next (three months on, within the lead time) by Laos: both are proposed at once.
2. Laos accepts both.
3. Once the first has started, Viet Nam names its delegation, records it held, writes and approves (four eyes)
   its minutes, records a decision and an action item for Laos.
4. Laos names its delegation, writes and approves its minutes, records its own decision and an action item for
   Viet Nam, and starts on Viet Nam's item; Viet Nam completes the Lao item for it.

Every text is invented. Returns the number of steps taken; 0 when nothing is left for this node now.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.border import meetings, schedules
from borderlink.border.models import (
    INVITED,
    PROPOSING,
    ActionState,
    Meeting,
    MeetingAction,
    MeetingSchedule,
    MeetingState,
    MinutesState,
    ProvincePair,
)
from borderlink.core import clock
from borderlink.federation.node import hosts_country

PLACE_VN, PLACE_LA = "Lao Bảo border post (demo)", "Dansavan border post (demo)"
STARTS_IN = datetime.timedelta(seconds=15)


def _user(name: str) -> User | None:
    return User.objects.filter(username=name, is_active=True).first()


def _pair(today: datetime.date) -> ProvincePair | None:
    return ProvincePair.objects.valid_on(today).filter(side_a__name_en="Quang Tri", side_b__name_en="Savannakhet").first()


def _schedule(vn_sup: User, now: datetime.datetime) -> int:
    pair = _pair(timezone.localdate(now))
    if pair is None or vn_sup.unit_id is None or MeetingSchedule.objects.filter(pair=pair, unit_id=vn_sup.unit_id).exists():
        return 0
    schedules.create_schedule(vn_sup, schedules.ScheduleInput(
        pair.code, "quarterly", now + STARTS_IN, "VN", PLACE_VN, PLACE_LA, schedules.LEAD_DAYS_MAX), now=now)
    return 1


def _vietnam(now: datetime.datetime) -> int:
    vn, vn_sup = _user("vn.officer"), _user("vn.supervisor")
    if vn is None or vn_sup is None or vn.unit_id is None:
        return 0
    steps = _schedule(vn_sup, now)
    first = Meeting.objects.filter(origin_node="", schedule__unit_id=vn.unit_id, occurrence=0,
                                   place=PLACE_VN).select_related("pair").first()
    if first is None:
        return steps
    if first.state == MeetingState.ACCEPTED and first.starts_at <= now:
        meetings.name_delegation(vn, first.pk, [
            {"name": "Lê Quang Minh", "rank": "Major", "role": "head of delegation"},
            {"name": "Vũ Thu Lan", "role": "interpreter", "interpreter": True}], now=now)
        meetings.record_held(vn, first.pk, now=now)
        meetings.write_minutes(vn, first.pk, "vi", "Dữ liệu minh họa. Hai bên thống nhất trao đổi danh sách các lối mòn "
                               "qua biên giới và tuần tra chung hằng tháng.")
        meetings.approve_minutes(vn_sup, first.pk, now=now)
        meetings.record_decision(vn, first.pk, "Demo data: joint patrols on the first Monday of each month.",
                                 timezone.localdate(now) + datetime.timedelta(days=60), now=now)
        meetings.record_action_item(vn, first.pk, "Demo data: share the list of night crossing points.", INVITED,
                                    first.invited_unit.code, timezone.localdate(now) + datetime.timedelta(days=21), now=now)
        steps += 6
    if first.state == MeetingState.HELD or Meeting.objects.filter(pk=first.pk, state=MeetingState.HELD).exists():
        for item in first.action_items.filter(side=INVITED, owner_side=PROPOSING, state=ActionState.OPEN):
            meetings.progress(vn, item.pk, ActionState.DONE, "Demo data: calendar sent by liaison letter.", now=now)
            steps += 1
    return steps


def _laos(now: datetime.datetime) -> int:
    la, la_sup = _user("la.officer"), _user("la.supervisor")
    if la is None or la_sup is None:
        return 0
    steps = 0
    mine = Meeting.objects.filter(invited_unit_id=la.unit_id).exclude(frequency="")
    for meeting in mine.filter(state=MeetingState.PROPOSED, place__in=(PLACE_VN, PLACE_LA)):
        meetings.answer(la, meeting.pk, MeetingAction.ACCEPTED, "Demo data: we confirm.", now=now)
        steps += 1
    held = mine.filter(state=MeetingState.HELD, place=PLACE_VN).select_related("proposing_unit").first()
    if held is None:
        return steps
    if not held.minutes.filter(side=INVITED).exists():
        meetings.name_delegation(la, held.pk, [{"name": "Kham Sivongxay", "rank": "Lt. Colonel", "role": "head"},
                                               {"name": "Noy Phommachanh", "role": "interpreter", "interpreter": True}],
                                 now=now)
        meetings.write_minutes(la, held.pk, "lo", "ຂໍ້ມູນສາທິດ. ສອງຝ່າຍຕົກລົງແລກປ່ຽນລາຍຊື່ທາງຂ້າມແດນ ແລະ ລາດຕະເວນຮ່ວມທຸກເດືອນ.")
        meetings.approve_minutes(la_sup, held.pk, now=now)
        meetings.record_decision(la, held.pk, "ຂໍ້ມູນສາທິດ: ທົບທວນການລາດຕະເວນຮ່ວມໃນກອງປະຊຸມຄັ້ງຕໍ່ໄປ.",
                                 timezone.localdate(now) + datetime.timedelta(days=90), now=now)
        meetings.record_action_item(la, held.pk, "Demo data: send the joint patrol calendar.", PROPOSING,
                                    held.proposing_unit.code, timezone.localdate(now) + datetime.timedelta(days=14), now=now)
        steps += 5
    for item in held.action_items.filter(side=PROPOSING, owner_side=INVITED, state=ActionState.OPEN):
        meetings.progress(la, item.pk, ActionState.IN_PROGRESS, "ຂໍ້ມູນສາທິດ: ກຳລັງລວບລວມລາຍຊື່.", now=now)
        steps += 1
    return steps


def advance(now: datetime.datetime | None = None) -> int:
    """Take the demo meetings' steps this node can take now (both countries' on a node serving both)."""
    at = now or clock.now()
    steps = 0
    if hosts_country("VN"):
        steps += _vietnam(at)
    if hosts_country("LA"):
        steps += _laos(at)
    return steps


def summary() -> dict[str, Any]:
    """What the demo meetings look like on this node (for `demo_meetings` and tests)."""
    regular = Meeting.objects.exclude(frequency="").filter(place__in=(PLACE_VN, PLACE_LA))
    return {"scheduled": regular.count(), "held": regular.filter(state=MeetingState.HELD).count(),
            "approved_minutes": sum(m.minutes.filter(state=MinutesState.APPROVED).count() for m in regular),
            "decisions_by_side": sorted({d for m in regular for d in m.decisions.values_list("side", flat=True)}),
            "items_by_side": sorted({i for m in regular for i in m.action_items.values_list("side", flat=True)})}
