"""The custody list's opening and filter form (issue 19): the list opens on the country and month of the latest
record the user sees, found in one query; the filter form drawn with core.widgets writes what Django wrote."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from borderlink.custody import services as custody_services
from borderlink.custody.forms import MonthForm
from borderlink.persons.services import NameInput, PersonInput
from tests.clock import moment_in_one_month, month_of

pytestmark = pytest.mark.django_db


def hold(officer, at):
    return custody_services.record_custody(
        officer, PersonInput(names=[NameInput("Nguyễn Văn Thành")], nationalities=["VN"]),
        custody_services.CustodyInput(nationality="VN", kind="arrest", detained_at=at, place_held="Held", offence="fraud"))


def test_the_list_opens_on_the_latest_record(supervisor, foreign_officer, kh_officer):
    today = timezone.localdate()
    this_month = today.strftime("%Y-%m")
    assert custody_services.opening_list(supervisor)[1] == this_month  # nothing yet: this month
    moment = moment_in_one_month()
    long_ago = moment - datetime.timedelta(days=100)
    hold(foreign_officer, long_ago)
    assert custody_services.opening_list(supervisor) == ("LA", month_of(long_ago))
    later = moment - datetime.timedelta(days=70)
    hold(kh_officer, later)
    assert custody_services.opening_list(supervisor) == ("KH", month_of(later))
    hold(foreign_officer, moment)  # the latest, in the month of `moment`
    expected = this_month if month_of(moment) == this_month else month_of(moment)
    assert custody_services.opening_list(supervisor) == ("LA", expected)


@pytest.mark.parametrize("language", ["en", "lo"])
def test_the_filter_form_is_what_django_wrote(supervisor, org, language):
    from tests.cases.test_page_rows import _squeezed, _stock

    with translation.override(language):
        for data in ({"country": "LA", "month": "2026-11"}, {"country": "XX", "month": "2026-13"}, {"country": "", "month": "<b>"}):
            form = MonthForm(data, user=supervisor)
            form.is_valid()
            assert [value for value, _label in form.fields["country"].choices] == ["KH", "LA"]
            for field in form:
                assert _squeezed(field) == _squeezed(field.as_widget(widget=_stock(field.field.widget))), field.name
        assert MonthForm({"country": "LA", "month": "2026-11"}, user=supervisor).is_valid()
        assert not MonthForm({"country": "VN", "month": "2026-11"}, user=supervisor).is_valid()  # not the user's own


# the monthly list's rows and the waiting notifications as the template drew them from the records
ROWS = """{% load i18n %}{% for r in records %}<tr><td><a href="{% url 'custody:detail' r.pk %}">{{ r.reference }}</a></td><td>{{ r.person_name }}</td><td>{{ r.nationality.name }}</td><td>{{ r.detained_at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ r.place_held }}</td><td>{{ r.get_offence_display }}</td><td>{{ r.detaining_unit.name }}</td><td>{{ r.get_state_display }}{% if r.consular_access_requested %} · {% translate "consular access requested" %}{% endif %}</td></tr>{% endfor %}"""
WAITING = """{% for r in records %}<li><a href="{% url 'custody:detail' r.pk %}">{{ r.person_name }}</a> · {{ r.detaining_unit.name }} · {{ r.detained_at|date:"SHORT_DATETIME_FORMAT" }}</li>{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_the_rows_are_what_the_template_wrote(org, language):
    import uuid

    from django.template import Context, Template

    from borderlink.core.models import Country
    from borderlink.custody.models import CustodyRecord
    from borderlink.custody.views import _list_rows, _waiting_rows

    vn, la = Country.objects.get(code="VN"), Country.objects.get(code="LA")
    now = timezone.now()
    records = [
        CustodyRecord(pk=uuid.uuid4(), reference="CU-LA-2026-00001", person_name='Nguyễn <b>"Văn"</b> & Thành', nationality=vn,
                      detaining_unit=org.la_unit, detained_at=now, place_held="Savannakhet <jail>", offence="fraud",
                      state="notified", consular_access_requested=True),
        CustodyRecord(pk=uuid.uuid4(), reference="CU-VN-2026-00002", person_name="ສົມພອນ", nationality=la, detaining_unit=org.vn_unit,
                      detained_at=now - datetime.timedelta(days=33, hours=5), place_held="Lao Bao", offence="drug_trafficking",
                      state="acknowledged"),
    ]
    with translation.override(language):
        assert _list_rows(records) == Template(ROWS).render(Context({"records": records}))
        assert _waiting_rows(records) == Template(WAITING).render(Context({"records": records}))
    assert _list_rows([]) == "" and _waiting_rows([]) == ""


def test_the_waiting_notifications_through_the_prepared_read(supervisor, foreign_officer, officer, login, django_assert_max_num_queries):
    """The "to acknowledge" box (custody.views._WAITING, issue 19): the notifications of the reader's nationals held
    in another country not yet acknowledged, as the ORM reads them; the page in a bounded number of statements."""
    from borderlink.custody import access
    from borderlink.custody.models import CustodyState
    from borderlink.custody.views import _WAITING

    moment = moment_in_one_month()
    waiting = hold(foreign_officer, moment)
    acknowledged = hold(foreign_officer, moment - datetime.timedelta(hours=3))
    custody_services.take_step(supervisor, acknowledged.pk, "acknowledged")
    orm = access.visible_records(supervisor).filter(state=CustodyState.NOTIFIED, nationality_id="VN").exclude(
        detaining_unit__country_id="VN").select_related("detaining_unit")[:50]
    rows = _WAITING.all(supervisor)
    assert [r.pk for r in rows] == [r.pk for r in orm] == [waiting.pk]
    assert rows[0].detaining_unit.name == waiting.detaining_unit.name and rows[0].person_name == waiting.person_name
    assert _WAITING.all(foreign_officer) == []  # the detaining side has nothing to acknowledge
    client = login(supervisor)
    path = f"/custody/?country=LA&month={month_of(moment)}"
    client.get(path)  # warm
    # session, user, the month's count and page, waiting; the audit event: savepoint, head, insert, head update, release
    with django_assert_max_num_queries(10):
        page = client.get(path).content.decode()
    box = page[page.find("To acknowledge"):page.find("</ul>")]
    assert f'<a href="/custody/{waiting.pk}/">' in box and f"/custody/{acknowledged.pk}/" not in box
    assert "To acknowledge" not in login(officer).get(path).content.decode()  # not the receiving ministry
