"""Tryout defect 1, as a kind: an event about a person is refused when it is before the person's birth, compared
with the date of birth as far as it is known (year, month, day), not with the year alone: an arrest (custody),
a notice's warrant, a victim found, a handover step (`persons.services.before_birth` for all of them)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from borderlink.custody import services
from borderlink.custody.models import CustodyRecord
from borderlink.custody.services import CustodyInput
from borderlink.persons.models import Person
from borderlink.persons.services import NameInput, PersonInput, before_birth

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(("when", "born", "before"), [
    (datetime.date(2026, 11, 29), (2026, 11, 30), True),   # the tester's case: the day before, same year
    (datetime.date(2026, 11, 30), (2026, 11, 30), False),  # the day of birth
    (datetime.date(2026, 10, 31), (2026, 11, None), True),  # month known, day not
    (datetime.date(2026, 11, 1), (2026, 11, None), False),
    (datetime.date(2026, 1, 1), (2026, None, None), False),  # year only: any day of that year may be the birthday
    (datetime.date(2025, 12, 31), (2026, None, None), True),
    (datetime.date(2026, 1, 1), (2026, None, 15), False),  # a day without a month says nothing
    (datetime.date(2026, 2, 27), (2026, 2, 30), False),  # an impossible day: compare with the month
    (datetime.date(2026, 1, 31), (2026, 2, 30), True),
    (DAY, (None, None, None), False), (None, (2026, 1, 1), False), (DAY, (32767, 99, 99), False),
])
def test_before_birth_compares_the_partial_date(when, born, before):
    person = PersonInput(names=[NameInput("A B")], birth_year=born[0], birth_month=born[1], birth_day=born[2])
    assert before_birth(when, person) is before


def test_a_moment_is_taken_on_the_local_calendar(settings):
    person = PersonInput(names=[NameInput("A B")], birth_year=2026, birth_month=11, birth_day=30)
    # 29 Nov 18:00 UTC is 30 Nov 01:00 in Indochina time: not before the birth
    assert not before_birth(datetime.datetime(2026, 11, 29, 18, 0, tzinfo=datetime.UTC), person)
    assert before_birth(datetime.datetime(2026, 11, 29, 16, 0, tzinfo=datetime.UTC), person)


def _arrest(user, born, detained_at):
    person = PersonInput(names=[NameInput("Birth Edge")], sex="F", birth_year=born.year, birth_month=born.month,
                         birth_day=born.day, nationalities=["VN"])
    return services.record_custody(user, person, CustodyInput(
        nationality="VN", kind="arrest", detained_at=detained_at, place_held="x", offence="robbery"))


def test_an_arrest_the_day_before_the_birth_is_refused(foreign_officer):
    now = timezone.now()
    born = timezone.localdate(now) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        _arrest(foreign_officer, born, now - datetime.timedelta(days=2))
    assert caught.value.message_dict["detained_at"] == ["The arrest cannot be before the person's birth."]
    assert not CustodyRecord.objects.exists() and not Person.objects.exists()
    assert _arrest(foreign_officer, born, now - datetime.timedelta(hours=1)).pk


def test_a_warrant_before_the_subjects_birth_is_refused(officer):
    from tests.notices.helpers import person, wanted

    today = timezone.localdate()
    subject = person(officer, birth_year=today.year - 1, birth_month=today.month if today.month < 12 else 12,
                     birth_day=1)
    born = datetime.date(subject.birth_year, subject.birth_month, subject.birth_day)
    with pytest.raises(ValidationError) as caught:
        wanted(officer, subject, warrant_date=born - datetime.timedelta(days=1))
    assert caught.value.message_dict["warrant_date"] == ["The warrant cannot be before the person's birth."]
    assert wanted(officer, subject, warrant_date=born).pk


def test_a_victim_found_before_the_birth_is_refused(org):
    from borderlink.persons.services import DocumentInput
    from borderlink.victims import services as victims
    from tests.conftest import make_user

    user = make_user("kh_protect", org.kh_unit, "victim_protection")
    found = timezone.localdate() - datetime.timedelta(days=3)
    born = found + datetime.timedelta(days=1)
    person = PersonInput(names=[NameInput("Souk Phommavong")], sex="F", birth_year=born.year, birth_month=born.month,
                         birth_day=born.day, nationalities=["LA"], documents=[DocumentInput("passport", "P0012345", "LA")])
    data = victims.IdentificationInput(
        home_country="LA", exploitation="forced_criminality", indicators=["documents_withheld"], found_on=found,
        found_place="Sihanoukville", found_by="raid", age_band="child", consents=[])
    with pytest.raises(ValidationError) as caught:
        victims.identify(user, person, data)
    assert caught.value.message_dict["found_on"] == ["This cannot be before the person's birth."]
