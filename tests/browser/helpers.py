"""What the page-by-page browser tests share: signing in as a demo user in a
chosen language, a browser that may load nothing from outside the node, the
accessibility check (axe-core) and the list of main pages."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import User
from borderlink.core.demo_data import DEMO_PASSWORD

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ["lo", "km", "vi", "en"]


def code_for(username: str) -> str:
    # A code is accepted once per time step; forget the last one so a user may sign in again at once.
    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
    device = TOTPDevice.objects.get(user__username=username)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


@dataclass
class Session:
    """A signed-in browser tab that records every request leaving the node."""

    context: object
    page: object
    base: str
    outside: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.context.close()  # type: ignore[attr-defined]


def open_session(browser: object, base: str, username: str | None, language: str) -> Session:
    """A new browser context for `username` (None: signed out), whose interface language is set to
    `language`; any request to a host other than the node's is blocked and recorded."""
    if username is not None:
        User.objects.filter(username=username).update(language=language)
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900}, bypass_csp=True)  # type: ignore[attr-defined]
    session = Session(context, context.new_page(), base)
    local = urlparse(base).netloc

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob") or parsed.netloc == local:
            route.continue_()  # type: ignore[attr-defined]
        else:
            session.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    if username is not None:
        page = session.page
        page.goto(f"{base}/login/")  # type: ignore[attr-defined]
        page.fill("input[name=username]", username)  # type: ignore[attr-defined]
        page.fill("input[name=password]", DEMO_PASSWORD)  # type: ignore[attr-defined]
        page.click("button[type=submit]")  # type: ignore[attr-defined]
        page.wait_for_url(f"{base}/login/code/")  # type: ignore[attr-defined]
        page.fill("input[name=token]", code_for(username))  # type: ignore[attr-defined]
        page.click("button[type=submit]")  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
    return session


def duplicate_ids(page: object) -> list[str]:
    return page.evaluate(  # type: ignore[attr-defined]
        """() => { const seen = {}; for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
                   return Object.keys(seen).filter(k => seen[k] > 1); }"""
    )


def axe_violations(page: object) -> list[str]:
    """Serious and critical accessibility violations on the page, as 'rule: target' lines."""
    assert AXE.exists(), f"{AXE} is missing: run `make browser-deps` (npm ci in tests/browser)"
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return [
        f"{v['id']} ({v['impact']}): {node['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


def page_problems(browser: object, base: str, pages: Iterable[tuple[str, str, str]], language: str, screenshot_dir: Path,
                  *, full_page: bool = False, expected_status: Mapping[str, int] | None = None,
                  wait_for: Mapping[str, str] | None = None, not_ours: Collection[str] = ()) -> list[str]:
    """Open each page `(name, username, path)` as that user in `language` (one signed-in session per user, all
    closed at the end) and return what is wrong, one "name: problem" line each: an HTTP status other than the
    expected one (200, or `expected_status[name]`), a selector of `wait_for[name]` not drawn within 60 s, any
    request to a host other than the node's, ids used twice and serious or critical axe-core violations (these
    two not for the pages named in `not_ours`, whose markup is a third party's). Saves a screenshot of each page
    as `page-<name>-<language>.png` in `screenshot_dir` (the whole page with `full_page`, else the viewport)."""
    sessions: dict[str, Session] = {}
    problems: list[str] = []
    try:
        for name, username, path in pages:
            if username not in sessions:
                sessions[username] = open_session(browser, base, username, language)
            session = sessions[username]
            page = session.page
            response = page.goto(base + path)  # type: ignore[attr-defined]
            page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
            status = response.status if response is not None else None
            expected = (expected_status or {}).get(name, 200)
            if status != expected:
                problems.append(f"{name}: {path} answered {status if status is not None else 'nothing'}, not {expected}")
            selector = (wait_for or {}).get(name)
            if selector:
                try:
                    page.wait_for_selector(selector, timeout=60_000)  # type: ignore[attr-defined]
                except Exception:
                    problems.append(f"{name}: {selector} was not drawn")
            page.screenshot(path=str(screenshot_dir / f"page-{name}-{language}.png"), full_page=full_page)  # type: ignore[attr-defined]
            if session.outside:
                problems.append(f"{name}: loaded from outside the node: {session.outside}")
                session.outside.clear()
            if name in not_ours:
                continue
            duplicates = duplicate_ids(page)
            if duplicates:
                problems.append(f"{name}: ids used twice: {duplicates}")
            problems.extend(f"{name}: {v}" for v in axe_violations(page))
    finally:
        for session in sessions.values():
            session.close()
    return problems


def draft_notice_dates() -> tuple[datetime.date, datetime.date]:
    """The draft notice's warrant date (59 days ago: in the past, as the service requires) and review date (300
    days ahead: in the future, and not the form's default of a year ahead), relative to today whatever the year."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=59), today + datetime.timedelta(days=300)


def draft_notice(username: str = "la.officer") -> object:
    """A draft wanted notice of `username`'s unit, with a warrant date and a review date
    (`draft_notice_dates`), on a new subject."""
    from borderlink.notices import services
    from borderlink.persons.services import NameInput, PersonInput

    author = User.objects.get(username=username)
    warrant, review = draft_notice_dates()
    return services.create_notice_with_new_subject(
        author,
        PersonInput(names=[NameInput("Bounthavy Keomany")], sex="M", birth_year=1988, birth_month=5, birth_day=12),
        services.NoticeInput(kind="wanted_arrest", subject_id=None, summary="Demo: draft for the page tests.",
                             review_date=review, offence="robbery", warrant_number="W-1",
                             issuing_authority="Savannakhet court", warrant_date=warrant,
                             max_penalty_years=10, shared_with=["VN"]),
    )
