"""The requests dashboard in Khmer: a Cambodian officer sees a Vietnamese request ranked by time left,
accepts and answers it; the dashboard and the timeline read in Khmer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from borderlink.assistance.models import Request

from .test_message_flow import new_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def khmer(text: str) -> str:
    with translation.override("km"):
        translated = gettext(text)
    assert translated != text, f"no Khmer translation for {text!r}"
    return translated


def test_requests_dashboard_in_khmer(browser, live_server, screenshot_dir: Path):
    call_command("load_demo")
    base = live_server.url
    urgent = Request.objects.get(requested_unit__code="KH-SVR.PP", urgency="urgent")  # the demo holds others too

    context, page = new_page(browser, "km")
    sign_in(page, base, "kh.officer")  # the demo officer reads Khmer
    page.click("header nav a[href='/requests/']")
    page.wait_for_selector("main table")
    assert page.inner_text("main h1") == khmer("Cross-border requests")
    first = page.locator("main table tbody tr").first
    assert urgent.reference in first.inner_text()  # the urgent request comes first: least time left
    assert khmer("urgent") in first.inner_text()
    page.screenshot(path=str(screenshot_dir / "20-requests-dashboard-km.png"), full_page=True)

    first.locator("a").first.click()
    page.wait_for_selector("form[action$='/accept/']")
    page.click("form[action$='/accept/'] button")
    page.wait_for_selector(".messages .success")
    page.fill("form[action$='/answer/'] textarea[name=text]", "លេខទូរស័ព្ទនេះចុះឈ្មោះលើអត្តសញ្ញាណប័ណ្ណ (demo).")
    page.select_option("select[name=result_0]", "holder_identified")
    page.select_option("select[name=result_1]", "address")
    page.fill("input[name=value_1]", "ភូមិបាវិត ខេត្តស្វាយរៀង (demo)")
    page.click("form[action$='/answer/'] button[type=submit]")
    page.wait_for_selector(".messages .success")
    timeline = page.inner_text("main table:last-of-type")
    assert khmer("answered") in timeline and "ភូមិបាវិត" in timeline
    assert khmer("approved") not in timeline  # Viet Nam's internal approval step is not shown to Cambodia
    page.screenshot(path=str(screenshot_dir / "21-request-answered-km.png"), full_page=True)
    context.close()

    urgent.refresh_from_db()
    assert urgent.state == "answered"
    context, page = new_page(browser)
    sign_in(page, base, "vn.officer")
    page.goto(f"{base}/requests/?tab=closed")
    assert urgent.reference in page.inner_text("main table")
    page.goto(f"{base}/requests/{urgent.pk}/")
    assert "ភូមិបាវិត" in page.inner_text("main")  # the Cambodian finding, read in Viet Nam
    page.screenshot(path=str(screenshot_dir / "22-request-answer-seen-vi.png"), full_page=True)
    context.close()

    context, page = new_page(browser)
    sign_in(page, base, "vn.supervisor")
    page.goto(f"{base}/custody/?country=LA")
    assert "Trịnh Văn Kiên" in page.inner_text("main")  # the demo notification from Savannakhet, to acknowledge
    page.screenshot(path=str(screenshot_dir / "23-custody-vi.png"), full_page=True)
    context.close()
