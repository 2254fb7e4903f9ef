"""A Cambodian social worker on a phone (360 px wide, in Khmer) opens a demo victim's case and records a
consent: the pages fit the screen without sideways scrolling, and the case reads in Khmer. An investigator of
the same unit sees only the exploitation facts the victim consented to share."""

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
        assert translation.gettext("Next step due") in page.inner_text("main")  # the follow-up year runs
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "31-victim-case-phone-km.png"), full_page=True)
    context.close()

    # an investigator of the same unit: sent to the facts the victims consented to share, without identity
    context = browser.new_context(locale="km", viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "kh.officer")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/login/code/")
    page.fill("input[name=token]", code_for("kh.officer"))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/victims/")
    assert page.url == f"{base}/victims/facts/"
    page.click("main table a")
    page.wait_for_load_state()
    text = page.inner_text("main")
    with translation.override("km"):
        assert translation.gettext("forced criminality (such as online scams)") in text
    assert not [n for n in ("Keomany", "Sisavath", "ແກ້ວມະນີ", "LA-DEMO") if n in text]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "32-victim-facts-investigator-phone-km.png"), full_page=True)
    assert page.goto(f"{base}/victims/{returned.pk}/").status == 404  # never the case itself
    context.close()
