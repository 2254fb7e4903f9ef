"""A Cambodian social worker on a phone (360 px wide, in Khmer) opens a demo victim's case and records a
consent: the pages fit the screen without sideways scrolling, and the case reads in Khmer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from borderlink.core.demo_data import DEMO_PASSWORD
from borderlink.victims.models import VictimCase

from .test_message_flow import code_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_case_on_a_phone_in_khmer(browser, live_server, screenshot_dir: Path):
    call_command("load_demo")
    base = live_server.url
    declined = VictimCase.objects.get(closure="declined_return")
    returned = VictimCase.objects.filter(state="returned").first()
    context = browser.new_context(locale="km", viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base}/login/")  # a victim-protection officer has no messages page: sign in, then go to the cases
    page.fill("input[name=username]", "kh.protection")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/login/code/")
    page.fill("input[name=token]", code_for("kh.protection"))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/victims/")
    assert declined.reference in page.inner_text("main")
    page.goto(f"{base}/victims/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "30-victim-identify-phone-km.png"), full_page=True)
    page.goto(f"{base}/victims/{returned.pk}/")
    with translation.override("km"):
        assert translation.gettext("received home") in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "31-victim-case-phone-km.png"), full_page=True)
    context.close()
