"""Forms as people use them, in each interface language: every form with a date
comes up filled and saves unchanged; reloading after a POST repeats nothing; an
error names its field in the reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from borderlink.accounts.models import APIToken, User
from borderlink.assistance import services as assistance
from borderlink.assistance.models import Request
from borderlink.core.models import Unit

from .helpers import LANGUAGES, draft_notice, draft_notice_dates, open_session

pytestmark = pytest.mark.django_db(transaction=True)


def deadline_ahead() -> datetime.datetime:
    """The draft request's deadline: 45 days ahead at 16:30 local time."""
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=45),
                                                         datetime.time(16, 30)))


def draft_request(username: str = "la.officer") -> Request:
    author = User.objects.get(username=username)
    deadline = deadline_ahead()  # in the future whatever the year the suite runs in
    return assistance.create_request(author, assistance.RequestInput(
        kind="locate", requested_unit_id=Unit.objects.get(code="VN-QT.PP").pk, offence="robbery",
        subject="Demo: draft request for the form tests", details="Invented.", person_name="Lê Văn Demo",
        requested_deadline=deadline))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_form_with_a_date_comes_up_filled_and_saves_unchanged(browser, live_server, language: str):
    call_command("load_demo")
    notice = draft_notice()
    warrant, review = draft_notice_dates()
    req = draft_request()
    deadline = timezone.localtime(req.requested_deadline).strftime("%Y-%m-%dT%H:%M")
    base = live_server.url
    session = open_session(browser, base, "la.officer", language)
    page = session.page
    try:
        # A new notice offers its review date (a year ahead) in the picker.
        page.goto(f"{base}/notices/new/")
        default_review = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
        assert page.input_value("input[name=review_date]") == default_review

        # Editing a draft notice shows both dates; saving without a change keeps them.
        page.goto(f"{base}/notices/{notice.pk}/edit/")
        assert page.input_value("input[name=warrant_date]") == warrant.isoformat()
        assert page.input_value("input[name=review_date]") == review.isoformat()
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/notices/{notice.pk}/")
        notice.refresh_from_db()
        assert (notice.warrant_date, notice.review_date) == (warrant, review)

        # Editing a draft request shows its deadline (date and time); saving unchanged keeps it.
        page.goto(f"{base}/requests/{req.pk}/edit/")
        assert page.input_value("input[name=requested_deadline]") == deadline and deadline.endswith("T16:30")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/requests/{req.pk}/")
        req.refresh_from_db()
        assert timezone.localtime(req.requested_deadline).strftime("%Y-%m-%dT%H:%M") == deadline

        # Recording a custody notification offers the current time.
        page.goto(f"{base}/custody/new/")
        assert page.input_value("input[name=detained_at]").startswith(timezone.localdate().isoformat())

        # Date filters keep what was chosen.
        page.goto(f"{base}/messages/?date_from=2026-11-01&date_to=2026-11-30")
        assert page.input_value("input[name=date_from]") == "2026-11-01"
        assert page.input_value("input[name=date_to]") == "2026-11-30"
        page.click("main form.filters button[type=submit]")
        assert page.input_value("input[name=date_from]") == "2026-11-01"
    finally:
        session.close()

    auditor = open_session(browser, base, "auditor", language)
    try:
        auditor.page.goto(f"{base}/audit/?date_from=2026-11-01")
        assert auditor.page.input_value("input[name=date_from]") == "2026-11-01"
        auditor.page.click("main form.filters button[type=submit]")
        assert auditor.page.input_value("input[name=date_from]") == "2026-11-01"
    finally:
        auditor.close()


@pytest.mark.parametrize("language", ["lo", "km", "vi"])
def test_reloading_after_a_post_repeats_nothing(browser, live_server, language: str):
    call_command("load_demo")
    base = live_server.url
    session = open_session(browser, base, "la.officer", language)
    page = session.page
    try:
        page.goto(f"{base}/account/")
        page.fill("input[name=name]", "reporting script")
        page.click("form:has(input[value=create_token]) button[type=submit]")
        page.wait_for_selector("#new-token")
        assert page.url == f"{base}/account/"  # redirected after the POST
        page.reload()
        assert APIToken.objects.filter(user__username="la.officer").count() == 1
        assert page.locator("#new-token").count() == 0  # the secret is shown once
    finally:
        session.close()


@pytest.mark.parametrize("language", ["lo", "km", "vi"])
def test_an_error_names_its_field_in_the_readers_language(browser, live_server, language: str):
    call_command("load_demo")
    base = live_server.url
    session = open_session(browser, base, "la.officer", language)
    page = session.page
    with translation.override(language):
        name_label = gettext("Name")
        number_label = gettext("Number")
    try:
        page.goto(f"{base}/persons/new/")
        page.evaluate("document.querySelectorAll('[maxlength]').forEach(e => e.removeAttribute('maxlength'))")  # as a pasted text or an old browser
        page.fill("input[name=names-0-name]", "ບຸນມີ " * 50)  # 300 characters: over the limit
        page.select_option("select[name=docs-0-doc_type]", "passport")
        page.fill("input[name=docs-0-number]", "P" * 80)
        page.select_option("select[name=docs-0-issuing_country]", "LA")
        page.click("main form button[type=submit]")
        errors = page.inner_text("main form")
        assert f"{name_label}:" in errors and f"{number_label}:" in errors, errors
        assert "name\n" not in errors and "number\n" not in errors  # no code names of fields
    finally:
        session.close()
