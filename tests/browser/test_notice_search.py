"""A wanted notice written in Vietnamese is published by a supervisor and found
by a Lao officer who types the name in Lao script."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from borderlink.notices.models import Notice

from .test_message_flow import new_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NAME_VI = "Xổm-phon Kẹo-ma-ni"  # an invented person
NAME_LO = "ສົມພອນ ແກ້ວມະນີ"


def test_vietnamese_notice_found_in_lao_script(browser, live_server, screenshot_dir: Path):
    call_command("load_demo")
    base = live_server.url

    context, page = new_page(browser)
    sign_in(page, base, "vn.officer")
    page.goto(f"{base}/notices/new/")
    page.fill("input[name='names-0-name']", NAME_VI)
    page.select_option("select[name=sex]", "M")
    page.fill("input[name=birth_year]", "1986")
    page.check("input[name=nationalities][value=LA]")
    page.select_option("select[name=kind]", "wanted_arrest")
    page.select_option("select[name=offence]", "drug_trafficking")
    page.fill("textarea[name=summary]", "Đối tượng tổ chức vận chuyển 12 kg ma túy tổng hợp qua cửa khẩu Lao Bảo ngày 02/11.")
    page.fill("input[name=warrant_number]", "27/QĐ-CSĐT")
    page.fill("input[name=issuing_authority]", "Cơ quan Cảnh sát điều tra Công an tỉnh Quảng Trị")
    page.fill("input[name=warrant_date]", (timezone.localdate() - datetime.timedelta(days=10)).isoformat())
    page.fill("input[name=max_penalty_years]", "20")
    page.check("input[name=shared_with][value=LA]")
    page.screenshot(path=str(screenshot_dir / "10-notice-form-vi.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector("form[action$='/submit/']")
    page.click("form[action$='/submit/'] button")
    page.wait_for_selector(".messages .success")
    notice = Notice.objects.get(subject__names__name=NAME_VI)
    assert notice.state == "submitted"
    context.close()

    context, page = new_page(browser)
    sign_in(page, base, "vn.supervisor")
    page.goto(f"{base}/notices/{notice.pk}/")
    page.click("form[action$='/approve/'] button")
    page.wait_for_selector(".messages .success")
    notice.refresh_from_db()
    assert notice.state == "published"
    context.close()

    context, page = new_page(browser)
    sign_in(page, base, "la.officer")
    page.goto(f"{base}/notices/search/")
    page.fill("input[name=q]", NAME_LO)
    page.click("main form button[type=submit]")
    page.wait_for_selector("tr.result")
    first = page.locator("tr.result").first
    assert NAME_VI in first.inner_text()
    page.screenshot(path=str(screenshot_dir / "11-search-lao-script.png"), full_page=True)
    first.locator("a").first.click()
    page.wait_for_selector(".body")
    assert "Lao Bảo" in page.inner_text(".body")
    page.screenshot(path=str(screenshot_dir / "12-notice-lo.png"), full_page=True)
    context.close()
