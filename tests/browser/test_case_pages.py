"""The joint-case pages in the browser (issue 15): the demo case VN–KH and its link graph, seen from Cambodia in
Khmer and from Viet Nam in Vietnamese: nothing loaded from outside the node, ids unique, no serious or critical
accessibility violation, the private items of the other country absent, and a full-page screenshot of each
(the ones in docs/screenshots/ come from here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from .helpers import axe_violations, duplicate_ids, open_session

pytestmark = pytest.mark.django_db(transaction=True)

# (user, language, a value of the other country's private item that must not show)
SIDES = [("kh.officer", "km", "+84912000202"), ("vn.officer", "vi", "000111222")]


@pytest.mark.parametrize(("username", "language", "private"), SIDES)
def test_case_page_and_graph(browser, live_server, screenshot_dir: Path, username: str, language: str, private: str):
    from borderlink.cases.models import Case

    call_command("load_demo")
    case = Case.objects.get()
    session = open_session(browser, live_server.url, username, language)
    problems: list[str] = []
    try:
        page = session.page  # type: ignore[attr-defined]
        for name, path in (("case", f"/cases/{case.pk}/"), ("case-graph", f"/cases/{case.pk}/graph/")):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(screenshot_dir / f"{name}-{language}.png"), full_page=True)
            html = page.content()
            if case.reference not in html:
                problems.append(f"{name}: the case's reference is not shown")
            if private in html:
                problems.append(f"{name}: the other country's private item {private} is shown")
            if name == "case-graph" and page.locator("svg.case-graph .node").count() < 3:
                problems.append("case-graph: fewer than three entities drawn")
            if session.outside:  # type: ignore[attr-defined]
                problems.append(f"{name}: loaded from outside the node: {session.outside}")  # type: ignore[attr-defined]
            duplicates = duplicate_ids(page)
            if duplicates:
                problems.append(f"{name}: ids used twice: {duplicates}")
            problems.extend(f"{name}: {v}" for v in axe_violations(page))
    finally:
        session.close()  # type: ignore[attr-defined]
    assert not problems, "\n".join(problems)
