"""What officers read in lists and records, in Lao, Khmer and Vietnamese: the
custody list opens where the records are and a record shows every field entered;
the compose form lists every unit; countries, dates of birth and months as the
language writes them; names stored without invisible characters."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from borderlink.core.models import Country, Unit
from borderlink.custody.models import CustodyRecord
from borderlink.persons.models import Person, PersonName

from .helpers import open_session

pytestmark = pytest.mark.django_db(transaction=True)
LANGS = ["lo", "km", "vi"]


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", LANGS)
def test_custody_list_opens_on_the_country_with_records_and_the_record_shows_every_field(browser, live_server, language):
    call_command("load_demo")
    base = live_server.url
    record = CustodyRecord.objects.get()  # held in Savannakhet: a Vietnamese national
    Country.objects.create(code="TH", name_en="Thailand", name_lo="ໄທ", name_km="ថៃ", name_vi="Thái Lan")  # first in the list, no records
    session = open_session(browser, base, "la.officer", language)
    page = session.page
    try:
        page.goto(f"{base}/custody/")
        assert page.locator("main table tbody tr").count() == 1, page.inner_text("main")
        assert record.reference in page.inner_text("main table")
        with translation.override(language):
            viet_nam = Country.objects.get(code="VN").name
            month = formats.date_format(timezone.localtime(record.detained_at).date().replace(day=1), "YEAR_MONTH_FORMAT")
        assert page.input_value("select[name=country]") == "VN"
        assert f"{viet_nam} · {month}" in page.inner_text("main h2")  # the month as the language writes it
        assert "-" not in page.inner_text("main h2")

        page.goto(f"{base}/custody/{record.pk}/")
        facts = page.inner_text("table.facts")
        assert "1993" in facts  # birth year
        assert "C0000000" in facts  # passport number
        assert in_language(language, "male") in facts or in_language(language, "Male") in facts  # sex
        assert "TRINH VAN KIEN" in facts  # the other spelling
        assert "(VN)" not in facts and viet_nam in facts  # countries by name
    finally:
        session.close()


@pytest.mark.parametrize("language", LANGS)
def test_compose_lists_every_unit_under_its_country_and_nothing_is_cut_off(browser, live_server, language):
    call_command("load_demo")
    base = live_server.url
    session = open_session(browser, base, "la.officer", language)
    page = session.page
    try:
        page.goto(f"{base}/messages/compose/")
        select = page.locator("select[name=recipients]")
        units = Unit.objects.filter(is_active=True).exclude(code="LA-SVK.PP").count()
        assert select.locator("option").count() == units
        # Every option lies inside the list's visible box: none is cut off.
        hidden = select.evaluate("""s => { const box = s.getBoundingClientRect();
            return Array.from(s.options).filter(o => { const r = o.getBoundingClientRect();
                return r.bottom > box.bottom + 1 || r.height === 0; }).map(o => o.text); }""")
        assert hidden == [], hidden
        with translation.override(language):
            names = sorted(c.name for c in Country.objects.all())
        groups = sorted(select.locator("optgroup").evaluate_all("gs => gs.map(g => g.label)"))
        assert groups == names  # countries by name, not LA/VN/KH

        # The "also ask the other countries' nodes" checkbox sits on the line of its label.
        page.goto(f"{base}/notices/search/")
        box = page.locator("input[name=peers]").bounding_box()
        label = page.locator("label:has(input[name=peers])").bounding_box()
        assert box and label and abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 8
    finally:
        session.close()


@pytest.mark.parametrize("language", LANGS)
def test_dates_of_birth_as_the_language_writes_them_and_names_stored_clean(browser, live_server, language):
    call_command("load_demo")
    base = live_server.url
    session = open_session(browser, base, "la.officer", language)
    page = session.page
    try:
        page.goto(f"{base}/persons/new/")
        page.fill("input[name=names-0-name]", "ບຸນ\u200bມີ  ສີ\u200dສຸວັນ")  # zero-width space and joiner pasted in
        page.fill("input[name=names-1-name]", "Nguye\u0302\u0303n Va\u0306n A")  # decomposed Vietnamese (not NFC)
        page.select_option("select[name=names-1-kind]", "alias")
        page.fill("input[name=birth_year]", "1988")
        page.fill("input[name=birth_month]", "5")
        page.fill("input[name=birth_day]", "12")
        page.click("main form button[type=submit]")
        page.wait_for_selector("table.facts")
        person = Person.objects.order_by("-created_at").first()
        stored = set(PersonName.objects.filter(person=person).values_list("name", flat=True))
        assert stored == {"ບຸນມີ ສີສຸວັນ", "Nguyễn Văn A"}
        with translation.override(language):
            born = formats.date_format(datetime.date(1988, 5, 12), "DATE_FORMAT")
        assert born in page.inner_text("table.facts") and "1988-05-12" not in page.content()
        page.goto(f"{base}/persons/")
        assert born in page.inner_text("main table")
        if language != "vi":
            assert "/05/" not in born  # written with the month's name
    finally:
        session.close()
