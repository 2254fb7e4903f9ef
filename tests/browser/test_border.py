"""Border pages in a real browser: the gate check on a phone-sized screen, and the incidents with their chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from .test_message_flow import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_gate_check_on_a_phone(browser, live_server, screenshot_dir: Path):
    call_command("load_demo")
    base = live_server.url
    context = browser.new_context(locale="vi", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    sign_in(page, base, "vn.officer")  # an officer of Quảng Trị at Lao Bảo, reading Vietnamese
    page.goto(f"{base}/border/passes/check/")
    page.fill("input[name=number]", "SVK-2026-0001")
    page.select_option("select[name=country]", "LA")
    page.select_option("select[name=gate]", label="Lao Bảo – Dansavan")
    page.click(".check form button[type=submit]")
    verdict = page.locator(".verdict.valid")
    assert verdict.is_visible() and "CÒN HIỆU LỰC" in verdict.inner_text()
    assert page.locator(".holder .name").inner_text() == "ບົວພັນ ສີວົງ"
    assert page.locator(".holder img").evaluate("img => img.naturalWidth") == 48
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    assert page.locator(".check form button[type=submit]").bounding_box()["height"] >= 40  # big enough for a thumb
    page.screenshot(path=str(screenshot_dir / "border-check-phone-vi.png"), full_page=True)
    page.fill("input[name=number]", "SVK-2026-0002")
    page.click(".check form button[type=submit]")
    assert page.locator(".verdict.revoked").is_visible() and page.locator(".holder").count() == 0
    context.close()


def test_incident_list_with_its_chart(browser, live_server, screenshot_dir: Path):
    call_command("load_demo")
    base = live_server.url
    context = browser.new_context(locale="lo", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "la.officer")
    page.goto(f"{base}/border/")
    assert page.locator("svg.chart rect").count() >= 3
    assert page.locator("table caption").count() == 4
    page.screenshot(path=str(screenshot_dir / "border-incidents-lo.png"), full_page=True)
    context.close()


def test_meeting_and_its_bilingual_minutes(browser, live_server, screenshot_dir: Path):
    from borderlink.border.models import Meeting

    call_command("load_demo")
    held = Meeting.objects.get(kind="regular", frequency="")  # the held one (the schedule's two are accepted)
    base = live_server.url
    context = browser.new_context(locale="vi", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "vn.officer")
    page.goto(f"{base}/border/meetings/")
    assert page.locator("text=Việc quá hạn").count() == 1  # the Lao side's overdue item
    assert page.locator("text=Lịch họp định kỳ").count() == 1  # the quarterly schedule with its next meetings
    assert page.locator("text=hằng quý").count() >= 1
    page.screenshot(path=str(screenshot_dir / "border-meetings-vi.png"), full_page=True)
    page.goto(f"{base}/border/meetings/{held.pk}/")
    assert page.locator(".body").count() >= 2
    page.screenshot(path=str(screenshot_dir / "border-meeting-vi.png"), full_page=True)
    page.goto(f"{base}/border/meetings/{held.pk}/print/")
    assert page.locator("section[lang=vi]").count() == 1 and page.locator("section[lang=lo]").count() == 1
    # on screen the minutes keep a margin of their own (the page has no header or layout around it)
    text_left = "() => Math.min(...[...document.body.children].map(e => e.getBoundingClientRect().left))"
    assert page.evaluate(text_left) >= 24
    page.screenshot(path=str(screenshot_dir / "border-minutes-screen-vi.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: a smaller margin, nothing wider than the screen
    assert page.evaluate(text_left) >= 12 and page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    assert page.evaluate(text_left) == 0  # on paper the page's own margins (@page) frame the text
    page.screenshot(path=str(screenshot_dir / "border-minutes-print.png"), full_page=True)
    context.close()
