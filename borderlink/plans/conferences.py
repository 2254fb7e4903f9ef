"""The annual ministerial conference (host by rotation), delegations and study visits, training exchanges.

A planner of any party records one: each function checks the planner's access, runs in a transaction, writes the
audit event and queues the record to the other parties' nodes (`plans.records`), which hold a copy. `training_counts` gives the review its training figures.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from borderlink.audit.services import record
from borderlink.core import clock
from borderlink.core.models import Country
from borderlink.core.text import clean_text
from borderlink.plans import access, records
from borderlink.plans.models import ROTATION, Conference, Delegate, Item, StatementPoint, Training, Visit, VisitKind

MEMBERS_MAX = 60
POINTS_MAX = 40
COURSES_MAX = 30
PARTICIPANTS_MAX = 10_000
YEARS_WINDOW = 10  # a record's dates within ten years of today


@dataclass
class MemberInput:
    name: str
    rank: str = ""
    role: str = ""
    country: str = ""


@dataclass
class PointInput:
    text: str
    items: list[str] = field(default_factory=list)  # plan item ids


@dataclass
class ConferenceInput:
    year: int | None
    host: str
    place: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    out_of_turn_reason: str = ""
    statement_text: str = ""
    delegates: list[MemberInput] = field(default_factory=list)
    points: list[PointInput] = field(default_factory=list)
    statement_file: Any = None  # a checked file (exchange.attachments.CheckedFile)


@dataclass
class VisitInput:
    kind: str
    from_country: str
    to_country: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    purpose: str
    report: str = ""
    members: list[MemberInput] = field(default_factory=list)


@dataclass
class TrainingInput:
    title: str
    host: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    courses: list[str] = field(default_factory=list)
    participants: dict[str, int] = field(default_factory=dict)
    outcome: str = ""


@dataclass(frozen=True)
class TrainingCounts:
    """Training exchanges starting in a period: how many, how many courses, participants per country, and
    exchanges per hosting country."""

    exchanges: int
    courses: int
    participants: dict[str, int]
    by_host: dict[str, int]


def proposed_host(year: int) -> str:
    """The host the rotation proposes for `year`: the one after the last conference's host before that year
    (ROTATION: Viet Nam, Cambodia, Laos, as the 2024 joint statement set it), Viet Nam when none is recorded."""
    last = Conference.objects.filter(year__lt=year).order_by("-year").values_list("host_id", flat=True).first()
    if last not in ROTATION:
        return ROTATION[0]
    return ROTATION[(ROTATION.index(last) + 1) % len(ROTATION)]


def _text(value: str | None, key: str, limit: int, errors: dict[str, list[str]], required: bool = True) -> str:
    text = clean_text(value or "").strip()
    if required and not text:
        errors.setdefault(key, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": limit})
    return text


def _dates(starts: datetime.date | None, ends: datetime.date | None, errors: dict[str, list[str]]) -> None:
    today = clock.today()
    for key, value in (("starts_on", starts), ("ends_on", ends)):
        if value is None:
            errors.setdefault(key, []).append(_("Give the date."))
        elif abs((value - today).days) > 366 * YEARS_WINDOW:
            errors.setdefault(key, []).append(_("Give a date within ten years of today."))
    if starts and ends and ends < starts:
        errors.setdefault("ends_on", []).append(_("The end cannot be before the start."))


def _members(members: list[MemberInput], errors: dict[str, list[str]], need_country: bool) -> list[dict[str, str]]:
    if len(members) > MEMBERS_MAX:
        errors.setdefault("members", []).append(_("At most %(n)d persons.") % {"n": MEMBERS_MAX})
        return []
    out = []
    for member in members:
        name = clean_text(member.name or "").strip()
        rank, role = clean_text(member.rank or "").strip(), clean_text(member.role or "").strip()
        if not name or len(name) > 200 or len(rank) > 100 or len(role) > 100:
            errors.setdefault("members", []).append(_("Each person needs a name (at most 200 characters)."))
            continue
        if need_country and member.country not in ROTATION:
            errors.setdefault("members", []).append(_("Choose each person's country."))
            continue
        out.append({"name": name, "rank": rank, "role": role, "country": member.country})
    return out


def record_conference(user: Any, data: ConferenceInput, http_request: HttpRequest | None = None) -> Conference:
    """Record a year's ministerial conference. Field errors: a year already recorded or out of range, a host that
    is not a member country, a host other than the one the rotation proposes without a reason, missing place or
    dates, dates outside the conference's year, delegates without a name or country, statement points linked to
    items of plans the user cannot see."""
    access.require_planner(user, http_request, "conference")
    errors: dict[str, list[str]] = {}
    year = data.year
    this_year = clock.year()
    if not isinstance(year, int) or isinstance(year, bool):
        errors["year"] = [_("Give the year as a whole number.")]
    elif year < this_year - YEARS_WINDOW:
        errors["year"] = [_("A conference of %(year)d is too old to record: give %(first)d or later.")
                          % {"year": year, "first": this_year - YEARS_WINDOW}]
    elif year > this_year + 2:
        errors["year"] = [_("A conference of %(year)d is too far ahead: record one at most two years ahead (up to "
                            "%(last)d).") % {"year": year, "last": this_year + 2}]
    elif Conference.objects.filter(year=year).exists():
        errors["year"] = [_("The conference of this year is already recorded.")]
    reason = _text(data.out_of_turn_reason, "out_of_turn_reason", 2000, errors, required=False)
    if data.host not in ROTATION:
        errors["host"] = [_("Choose a value from the list.")]
    elif isinstance(year, int) and data.host != proposed_host(year) and not reason:
        errors["out_of_turn_reason"] = [_("By rotation the host is %(country)s; give the reason for another host.")
                                        % {"country": Country.objects.get(pk=proposed_host(year)).name}]
    place = _text(data.place, "place", 200, errors)
    _dates(data.starts_on, data.ends_on, errors)
    if isinstance(year, int) and data.starts_on and data.starts_on.year != year:
        errors.setdefault("starts_on", []).append(_("The conference is held in its year."))
    statement = _text(data.statement_text, "statement_text", 50_000, errors, required=False)
    delegates = _members(data.delegates, errors, need_country=True)
    if len(data.points) > POINTS_MAX:
        errors["points"] = [_("At most %(n)d points.") % {"n": POINTS_MAX}]
    visible_items = Item.objects.filter(plan__in=access.visible_plans(user))
    points = []
    for number, point in enumerate(data.points[:POINTS_MAX], start=1):
        text = clean_text(point.text or "").strip()
        if not text or len(text) > 5000:
            errors.setdefault("points", []).append(_("Point %(n)d: give its text.") % {"n": number})
            continue
        ids = [str(i) for i in point.items][:50]
        try:
            found = list(visible_items.filter(pk__in=ids))
        except ValidationError:
            found = []
        if len(found) != len(set(ids)):
            errors.setdefault("points", []).append(_("Point %(n)d: unknown plan item.") % {"n": number})
            continue
        points.append((number, text, found))
    if errors:
        raise ValidationError(errors)
    if not (isinstance(year, int) and data.starts_on and data.ends_on):  # reported above; narrows the types
        raise ValidationError({"year": [_("This field is required.")]})
    with transaction.atomic():
        conference = Conference.objects.create(year=year, host_id=data.host, out_of_turn_reason=reason, place=place,
                                               starts_on=data.starts_on, ends_on=data.ends_on, statement_text=statement,
                                               created_by=user)
        if data.statement_file is not None:
            from borderlink.exchange.attachments import store

            checked = data.statement_file
            conference.statement_filename, conference.statement_content_type = checked.filename, checked.content_type
            conference.statement_storage = store(checked)
            conference.save(update_fields=["statement_filename", "statement_content_type", "statement_storage"])
        Delegate.objects.bulk_create([Delegate(conference=conference, country_id=d["country"], name=d["name"],
                                               rank=d["rank"], role=d["role"]) for d in delegates])
        for number, text, found in points:
            row = StatementPoint.objects.create(conference=conference, number=number, text=text)
            row.items.set(found)
        sent = records.send_conference(conference)
        record(user, "plans.conference.recorded", object_type="conference", object_id=conference.pk,
               data={"year": year, "host": data.host, "out_of_turn": bool(reason), "sent_to": sent}, request=http_request)
    return conference


def record_visit(user: Any, data: VisitInput, http_request: HttpRequest | None = None) -> Visit:
    """Record a delegation or study visit between two member countries (dates, members, purpose, report)."""
    access.require_planner(user, http_request, "visit")
    errors: dict[str, list[str]] = {}
    if data.kind not in VisitKind.values:
        errors["kind"] = [_("Choose a value from the list.")]
    if data.from_country not in ROTATION:
        errors["from_country"] = [_("Choose a value from the list.")]
    if data.to_country not in ROTATION or data.to_country == data.from_country:
        errors["to_country"] = [_("Choose another member country.")]
    _dates(data.starts_on, data.ends_on, errors)
    purpose = _text(data.purpose, "purpose", 5000, errors)
    report = _text(data.report, "report", 50_000, errors, required=False)
    members = _members(data.members, errors, need_country=False)
    if not members and "members" not in errors:
        errors["members"] = [_("Name at least one member.")]
    if errors or data.starts_on is None or data.ends_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(kind=data.kind, from_country_id=data.from_country, to_country_id=data.to_country,
                                     starts_on=data.starts_on, ends_on=data.ends_on, purpose=purpose, report=report,
                                     members=[{k: m[k] for k in ("name", "rank", "role")} for m in members],
                                     created_by=user)
        sent = records.send_visit(visit)
        record(user, "plans.visit.recorded", object_type="visit", object_id=visit.pk, data={"sent_to": sent},
               request=http_request)
    return visit


def record_training(user: Any, data: TrainingInput, http_request: HttpRequest | None = None) -> Training:
    """Record a training exchange: title, courses, hosting country, participants per country, dates, outcome."""
    access.require_planner(user, http_request, "training")
    errors: dict[str, list[str]] = {}
    title = _text(data.title, "title", 300, errors)
    if data.host not in ROTATION:
        errors["host"] = [_("Choose a value from the list.")]
    _dates(data.starts_on, data.ends_on, errors)
    courses = [clean_text(c or "").strip() for c in data.courses]
    if not courses or len(courses) > COURSES_MAX or any(not c or len(c) > 300 for c in courses):
        errors["courses"] = [_("Name between 1 and %(n)d courses.") % {"n": COURSES_MAX}]
    participants: dict[str, int] = {}
    for country, count in (data.participants or {}).items():
        if country not in ROTATION or not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= PARTICIPANTS_MAX:
            errors["participants"] = [_("Give each member country's participants as a number from 0 to %(n)d.")
                                      % {"n": PARTICIPANTS_MAX}]
            break
        participants[country] = count
    if not errors.get("participants") and not any(participants.values()):
        errors["participants"] = [_("Give the number of participants.")]
    outcome = _text(data.outcome, "outcome", 20_000, errors, required=False)
    if errors or data.starts_on is None or data.ends_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        training = Training.objects.create(title=title, host_id=data.host, courses=courses, participants=participants,
                                           starts_on=data.starts_on, ends_on=data.ends_on, outcome=outcome,
                                           created_by=user)
        sent = records.send_training(training)
        record(user, "plans.training.recorded", object_type="training", object_id=training.pk, data={"sent_to": sent},
               request=http_request)
    return training


def training_counts(start: datetime.date, end: datetime.date) -> TrainingCounts:
    """Training exchanges whose start date falls in [start, end] (this node's records): how many, the courses
    they held, participants per country, and exchanges per hosting country. Carries no names. ValidationError
    for a period that ends before it starts."""
    if end < start:
        raise ValidationError({"end": [_("The end of the period (%(end)s) is before its start (%(start)s).")
                                       % {"end": end.isoformat(), "start": start.isoformat()}]})
    rows = list(Training.objects.filter(starts_on__gte=start, starts_on__lte=end).values_list("host_id", "courses",
                                                                                                "participants"))
    participants: Counter[str] = Counter()
    for _host, _courses, counts in rows:
        participants.update({c: int(n) for c, n in counts.items()})
    return TrainingCounts(exchanges=len(rows), courses=sum(len(c) for _h, c, _p in rows),
                          participants=dict(sorted(participants.items())),
                          by_host=dict(sorted(Counter(h for h, _c, _p in rows).items())))
