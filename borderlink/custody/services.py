"""Recording a foreign national in custody, and what each side does with the notification.

Each step checks access, runs in a transaction, adds a `CustodyEvent`, writes
the audit event and sends the step to the other side's node.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.audit.services import record
from borderlink.core import bounds, clock, csv_export
from borderlink.core.inputs import MONTH_PATTERN
from borderlink.core.models import Country
from borderlink.core.page_query import CountedPaginator, Later
from borderlink.core.prepared import Prepared
from borderlink.custody import access
from borderlink.custody.models import CustodyAction, CustodyKind, CustodyRecord
from borderlink.custody.workflow import CUSTODY, DETAINING, NEEDS_TEXT, STEPS, TEXT_MAX  # noqa: F401 (STEPS and NEEDS_TEXT read by pages)
from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence
from borderlink.persons.services import PersonInput, before_birth, create_validated, validate_person


@dataclass
class CustodyInput:
    nationality: str
    kind: str
    detained_at: datetime.datetime | None
    place_held: str
    offence: str
    facts: str = ""
    consular_access_requested: bool = False
    handling_code: str = HandlingCode.H0


def _require(user: Any) -> None:
    if not access.may_use_custody(user):
        raise Http404("No access.")


def _validate(user: Any, data: CustodyInput, now: datetime.datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    members = set(Country.objects.values_list("code", flat=True))
    if data.nationality not in members:
        errors.setdefault("nationality", []).append(_("Choose the person's country from the member countries."))
    elif data.nationality == user.unit.country_id:
        errors.setdefault("nationality", []).append(_("Record here only nationals of another member country."))
    if data.kind not in CustodyKind.values:
        errors.setdefault("kind", []).append(_("Choose a value from the list."))
    if data.detained_at is None:
        errors.setdefault("detained_at", []).append(_("Give the date and time."))
    elif data.detained_at > now:
        errors.setdefault("detained_at", []).append(_("This cannot be in the future."))
    elif (message := bounds.PAST_EVENT.error(data.detained_at, now)) is not None:
        errors.setdefault("detained_at", []).append(message)
    place = (data.place_held or "").strip()
    if not place:
        errors.setdefault("place_held", []).append(_("Say where the person is held."))
    elif len(place) > 200:
        errors.setdefault("place_held", []).append(_("At most %(n)d characters.") % {"n": 200})
    if data.offence not in Offence.values:
        errors.setdefault("offence", []).append(_("Choose the offence from the list of ordinary-law crimes."))
    if len(data.facts or "") > TEXT_MAX:
        errors.setdefault("facts", []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX})
    if data.handling_code not in HandlingCode.values:
        errors.setdefault("handling_code", []).append(_("Choose a handling code from the list."))
    return errors


def _reference(user: Any, now: datetime.datetime) -> str:
    count = CustodyRecord.objects.filter(detaining_unit_id=user.unit_id, created_at__year=now.year).count() + 1
    return f"{user.unit.code}/C/{now.year}/{count:04d}"


def record_custody(user: Any, person: PersonInput, data: CustodyInput, http_request: HttpRequest | None = None,
                   now: datetime.datetime | None = None) -> CustodyRecord:
    """Record the arrest or detention of a national of another member country; their node is told at once,
    and the person is checked against the notices that country shares with ours (hits go to the notice owner)."""
    _require(user)
    at = now or clock.now()
    if data.nationality and data.nationality not in person.nationalities:
        person.nationalities = [*person.nationalities, data.nationality]
    errors = _validate(user, data, at)
    if before_birth(data.detained_at, person):
        errors.setdefault("detained_at", []).append(_("The arrest cannot be before the person's birth."))
    try:
        validate_person(person)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    from borderlink.victims.guard import refusal

    if victim := refusal(person, "custody"):
        errors.setdefault("__all__", []).append(victim)
    if errors:
        raise ValidationError(errors)
    from borderlink.custody.federation import queue_notified

    if data.detained_at is None:  # checked by _validate; this narrows the type
        raise ValidationError({"detained_at": [_("Give the date and time.")]})
    with transaction.atomic():
        subject = create_validated(user, person, http_request)
        item = CustodyRecord.objects.create(
            reference=_reference(user, at), detaining_unit_id=user.unit_id, nationality_id=data.nationality, person=subject,
            person_name=str(person.names[0].name).strip()[:200], kind=data.kind, detained_at=data.detained_at,
            place_held=data.place_held.strip(), offence=data.offence, facts=(data.facts or "").strip(),
            consular_access_requested=data.consular_access_requested, handling_code=data.handling_code, created_by=user,
        )
        workflow.add_event(CUSTODY, item, CustodyAction.RECORDED, DETAINING, actor=user, at=at)
        record(user, "custody.record.created", object_type="custody", object_id=item.pk,
               data={"nationality": data.nationality, "person": str(subject.pk)}, request=http_request)
        queue_notified(item)
    return item


def take_step(user: Any, record_id: Any, action: str, text: str = "", http_request: HttpRequest | None = None,
              now: datetime.datetime | None = None) -> CustodyRecord:
    """One step by the side whose step it is: acknowledge, ask for consular access or facts, give facts, release.
    Raises ValidationError for an unknown step, one the record's state does not allow, or a missing or too
    long text; Http404 when it is not the user's side's step."""
    _require(user)
    item = access.get_record_for_user(user, record_id, http_request)
    if action not in STEPS:
        raise ValidationError(_("Unknown step."))
    workflow.take(CUSTODY, user, item, action, workflow.Facts(text=text), http_request=http_request, now=now)
    return CustodyRecord.objects.get(pk=item.pk)


def view_record(user: Any, record_id: Any, http_request: HttpRequest | None = None) -> CustodyRecord:
    _require(user)
    item = access.get_record_for_user(user, record_id, http_request)
    record(user, "custody.record.viewed", object_type="custody", object_id=item.pk, request=http_request)
    return item


def month_bounds(month: str) -> tuple[datetime.datetime, datetime.datetime]:
    """'2026-11' -> the first instant of that month and of the next (local time)."""
    if not isinstance(month, str) or not re.fullmatch(MONTH_PATTERN, month):
        raise ValidationError({"month": [_("Give the month as YYYY-MM.")]})
    first = datetime.datetime.strptime(month, "%Y-%m")
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return timezone.make_aware(first), timezone.make_aware(following)


def monthly(user: Any, country: str, month: str) -> QuerySet[CustodyRecord]:
    """The month's records between the user's country and `country`, both ways: its nationals held by us,
    and our nationals held by it."""
    start, end = month_bounds(month)
    return _monthly_between(user, country, start, end)


def _monthly_between(user: Any, country: str, start: datetime.datetime, end: datetime.datetime) -> QuerySet[CustodyRecord]:
    mine = user.unit.country_id
    # the nationality's name, which the list page alone draws, comes from the process's kept countries (issue 19:
    # a join and a Country row per record); the CSV and the API give its code
    return visible_records_between(user, mine, country).filter(detained_at__gte=start, detained_at__lt=end).select_related(
        "detaining_unit").order_by("detained_at")


def opening_list(user: Any, today: datetime.date | None = None) -> tuple[str | None, str]:
    """Which (other country code, "YYYY-MM" month) the custody list opens on: the country of the
    user's latest visible record this month, else of the latest record at all (and its month), else
    the first other country and this month. Code None when there is no other country."""
    today = today or timezone.localdate()
    mine = user.unit.country_id
    found = _LATEST.values(user)
    latest = found[0] if found else None
    if latest is None:
        return Country.objects.exclude(code=mine).values_list("code", flat=True).first(), today.strftime("%Y-%m")
    other = latest["detaining_unit__country_id"] if latest["nationality_id"] == mine else latest["nationality_id"]
    this_month = today.strftime("%Y-%m")
    # The latest record is the latest of those between the user's country and `other`: there is one this month
    # (or later) exactly when it is one of them; no second query (issue 19).
    if latest["detained_at"] >= month_bounds(this_month)[0]:
        return other, this_month
    return other, timezone.localtime(latest["detained_at"]).strftime("%Y-%m")


def _latest(reader: Any) -> QuerySet:
    """The reader's latest visible record between their country and another (`values()`: both countries, when)."""
    mine = reader.unit.country_id
    return access.visible_records(reader).filter(
        Q(nationality_id=mine) ^ Q(detaining_unit__country_id=mine)).order_by("-detained_at").values(
        "nationality_id", "detaining_unit__country_id", "detained_at")[:1]


# compiled once per process and reader shape (core.prepared; issue 19), the rule bound with this reader's values
_LATEST: Prepared[CustodyRecord] = Prepared("custody.latest", CustodyRecord, _latest, args=[])


MONTHLY_PAGE_SIZE = 50


def view_monthly(user: Any, country: str, month: str, http_request: HttpRequest | None = None, page: int | str | None = 1,
                 page_size: int | None = None) -> Page:
    """One page of the monthly list (in order of detention), for reading on a page or through the API; the
    view is audited with the page and the month's total. A month may hold thousands of rows: the page and
    the API show them a page at a time, the CSV export (`export_csv`) gives the whole month."""
    _require(user)
    start, end = month_bounds(month)
    size = page_size or MONTHLY_PAGE_SIZE
    # The month's count and its first pages through statements compiled once per process (core.prepared; issue 19);
    # the same rows as Paginator(monthly(...)).get_page(page).
    paginator = CountedPaginator(Later(lambda: monthly(user, country, month)), size,
                                 count=_MONTHLY.count(user, country, start, end))
    shown = paginator.get_page(page)
    if shown.number <= PREPARED_PAGES and size == MONTHLY_PAGE_SIZE and paginator.count:
        # a whole page's window (one statement per page number), cut where the paginator's page ends
        bottom = (shown.number - 1) * size
        rows = _MONTHLY.all(user, country, start, end, window=(bottom, bottom + size))
        shown.object_list = rows[:shown.end_index() - bottom]
    record(user, "custody.monthly.viewed", object_type="custody", object_id=f"{country}/{month}",
           data={"rows": len(shown.object_list), "total": shown.paginator.count, "page": shown.number}, request=http_request)
    return shown


PREPARED_PAGES = 3


_DETAINED_AT = CustodyRecord._meta.get_field("detained_at")
_MONTHLY: Prepared[CustodyRecord] = Prepared("custody.monthly", CustodyRecord, _monthly_between,
                                             args=[Country._meta.pk, _DETAINED_AT, _DETAINED_AT])


def visible_records_between(user: Any, mine: str, other: str) -> QuerySet[CustodyRecord]:
    return access.visible_records(user).filter(
        Q(nationality_id=other, detaining_unit__country_id=mine) | Q(nationality_id=mine, detaining_unit__country_id=other))


def export_csv(user: Any, country: str, month: str, http_request: HttpRequest | None = None) -> str:
    """The monthly list as CSV; the export is audited."""
    _require(user)
    rows = monthly(user, country, month)
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow([_("Reference"), _("Name"), _("Nationality"), _("Arrest or detention"), _("When"), _("Where held"),
                     _("Offence"), _("Detaining unit"), _("Consular access requested"), _("State")])
    count = 0
    for item in rows:
        writer.writerow([item.reference, item.person_name, item.nationality_id, item.get_kind_display(),
                         timezone.localtime(item.detained_at).strftime("%Y-%m-%d %H:%M"), item.place_held,
                         item.get_offence_display(), item.detaining_unit.code,
                         _("yes") if item.consular_access_requested else _("no"), item.get_state_display()])
        count += 1
    record(user, "custody.monthly.exported", object_type="custody", object_id=f"{country}/{month}",
           data={"rows": count}, request=http_request)
    return out.getvalue()
