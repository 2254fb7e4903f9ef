"""A message with an attachment goes from Viet Nam to Laos: written, approved,
received, opened and acknowledged, each step by a person in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.core.demo_data import DEMO_PASSWORD
from borderlink.exchange.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def code_for(username: str) -> str:
    # A code is accepted once per time step; a user signing in twice within
    # 30 seconds would be refused, so move the device's memory of it back.
    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
    device = TOTPDevice.objects.get(user__username=username)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/login/code/")
    page.fill("input[name=token]", code_for(username))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/messages/")


def new_page(browser, language: str = "en"):
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
    return context, context.new_page()


def test_message_crosses_with_four_eyes_in_the_browser(browser, live_server, screenshot_dir: Path, tmp_path: Path):
    call_command("load_demo")
    base = live_server.url
    attachment = tmp_path / "vehicle-report.pdf"
    attachment.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # 1. The officer signs in with password and TOTP and writes to Savannakhet.
    context, page = new_page(browser)
    sign_in(page, base, "vn.officer")
    page.click("a[href='/messages/compose/']")
    page.select_option("select[name=recipients]", label=page.locator("select[name=recipients] optgroup option").filter(has_text="Savannakhet").first.inner_text())
    page.fill("input[name=subject]", "Browser test: truck at Lao Bảo")
    page.fill("textarea[name=body]", "Please verify the truck that crossed at Lao Bảo this morning.")
    page.select_option("select[name=priority]", "urgent")
    page.set_input_files("input[name=attachments]", str(attachment))
    page.screenshot(path=str(screenshot_dir / "01-compose.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".state-pending_approval")
    message = Message.objects.get(subject="Browser test: truck at Lao Bảo")
    assert message.state == "pending_approval"
    context.close()

    # 2. The recipient does not see it yet.
    context, page = new_page(browser)
    sign_in(page, base, "la.officer")
    assert "Browser test: truck" not in page.content()
    context.close()

    # 3. The supervisor approves it.
    context, page = new_page(browser)
    sign_in(page, base, "vn.supervisor")
    page.goto(f"{base}/messages/approvals/")
    page.click("text=Browser test: truck at Lao Bảo")
    page.screenshot(path=str(screenshot_dir / "02-approve.png"), full_page=True)
    page.click(f"form[action='/messages/{message.pk}/approve/'] button")
    page.wait_for_selector(".messages .success")
    message.refresh_from_db()
    assert message.state == "sent"
    context.close()

    # 4. The recipient finds it in the inbox, opens it, downloads the attachment and acknowledges it.
    context, page = new_page(browser)
    sign_in(page, base, "la.officer")
    page.screenshot(path=str(screenshot_dir / "03-inbox-lo.png"), full_page=True)
    row = page.locator("tr.unread", has_text="Browser test: truck")
    assert row.count() == 1
    row.locator("a").click()
    page.wait_for_selector(".body")
    assert "Lao Bảo this morning" in page.inner_text(".body")
    with page.expect_download() as download:
        page.click("text=vehicle-report.pdf")
    assert download.value.suggested_filename == "vehicle-report.pdf"
    page.click(f"form[action='/messages/{message.pk}/acknowledge/'] button")
    page.wait_for_selector(".messages .success")
    page.screenshot(path=str(screenshot_dir / "04-acknowledged-lo.png"), full_page=True)
    row = message.recipients.get()
    assert row.acknowledged_at is not None and row.acknowledged_by.username == "la.officer"
    context.close()

    # 5. The sender sees the recipient's state.
    context, page = new_page(browser)
    sign_in(page, base, "vn.officer")
    page.goto(f"{base}/messages/{message.pk}/")
    assert "Savannakhet" in page.content()
    page.screenshot(path=str(screenshot_dir / "05-sender-states-vi.png"), full_page=True)
    context.close()


LAO = range(0x0E80, 0x0F00)
KHMER = range(0x1780, 0x1800)


@pytest.mark.parametrize("language, block, username", [("lo", LAO, "la.officer"), ("km", KHMER, "kh.officer")])
def test_switch_interface_language(browser, live_server, screenshot_dir: Path, language, block, username):
    call_command("load_demo")
    base = live_server.url
    context, page = new_page(browser)
    sign_in(page, base, username)
    page.goto(f"{base}/account/")
    page.select_option("select[name=language]", language)
    page.click("main form:has(select[name=language]) button[type=submit]")
    page.wait_for_url(f"{base}/account/")
    page.goto(f"{base}/messages/")
    assert page.get_attribute("html", "lang") == language
    nav = page.inner_text("header nav")  # interface strings only, no unit names
    assert sum(1 for ch in nav if ord(ch) in block) > 0, nav
    # the bundled font is the one that draws the script
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Noto Sans Lao" in family and "Noto Sans Khmer" in family
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
    expected = "Noto Sans Lao" if language == "lo" else "Noto Sans Khmer"
    assert any(expected in name for name in loaded), loaded
    page.screenshot(path=str(screenshot_dir / f"inbox-{language}.png"), full_page=True)
    context.close()
