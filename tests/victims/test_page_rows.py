"""A victim case's page at the cost of a few queries (issue 19): its timeline drawn in Python is what the template
wrote, in several languages; its consents are read in one query and are what `consent.current` decides; the page's
queries do not grow with the case's decisions and steps."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from borderlink.victims import consent as consents
from borderlink.victims import services
from borderlink.victims.models import Purpose, VictimEvent

from .conftest import consent, identify

OLD = """{% load i18n %}{% for e in events %}<tr><td>{{ e.at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ e.actor_name|default:"—" }}{% if e.actor_unit %} ({{ e.actor_unit }}){% endif %}</td><td>{{ e.get_action_display }}</td><td>{% if e.data.answer %}{% translate "Set by the answer to the nationality verification request." %} {% endif %}{{ e.text|linebreaksbr }}</td></tr>{% endfor %}"""
NEW = """{% load victim_page %}{% victim_event_rows %}"""


@pytest.mark.parametrize("language", ["en", "vi", "km", "lo"])
def test_timeline_is_what_the_template_wrote(language):
    at = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)  # 1 December in Phnom Penh
    events = [VictimEvent(pk=uuid.uuid4(), at=at, actor_name="", actor_unit="", action="identified", text="", data={}),
              VictimEvent(pk=uuid.uuid4(), at=at, actor_name='Ms <Vanh> & "co"', actor_unit="KH-<AT>", action="verified",
                          text="Line one\nline <two> & 'three'\r\nfour", data={"answer": "confirmed"}),
              VictimEvent(pk=uuid.uuid4(), at=at, actor_name="B", actor_unit="", action="no_such_action", text="t",
                          data={"answer": ""}),
              VictimEvent(pk=uuid.uuid4(), at=at, actor_name="C", actor_unit="U", action="consent", text="", data=["x"])]
    with translation.override(language):
        old = Template(OLD).render(Context({"events": events}))
        new = Template(NEW).render(Context({"events": events}))
    assert new == old
    assert new.count("<tr>") == 4 and "&lt;two&gt;" in new and new.count("<br>") == 2


@pytest.mark.django_db
def test_decisions_are_what_current_decides(protector):
    case = identify(protector, consents=[consent("share_home", given=False), consent("return"),
                                         consent("share_organisation", organisation="IOM")])
    for step in (consent("share_home"), consent("return", given=False), consent("share_organisation", organisation="Hagar", given=False),
                 consent("share_home", given=False), consent("share_organisation", organisation="IOM", given=False)):
        services.take_step(protector, case.pk, "consent", step)
    latest, organisations = consents.decisions(case)
    for value, _label in Purpose.choices:
        if value != Purpose.SHARE_ORGANISATION:
            assert latest.get(value) == consents.current(case, value), value
    assert latest[Purpose.SHARE_HOME].given is False and latest[Purpose.RETURN].given is False
    assert [c.pk for c in organisations] == list(case.consents.filter(purpose=Purpose.SHARE_ORGANISATION).values_list("pk", flat=True))
    assert [(c.organisation, c.given) for c in organisations] == [("IOM", True), ("Hagar", False), ("IOM", False)]


@pytest.mark.django_db
def test_a_case_page_reads_its_decisions_and_countries_once(protector, login):
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    client = login(protector)
    path = f"/victims/{case.pk}/"

    def drawn() -> tuple[int, list[str]]:
        client.get(path)  # warm: the process's countries, the session's refresh
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200
        return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]

    few, sql = drawn()
    assert len([s for s in sql if "victims_consent" in s]) == 1
    assert not [s for s in sql if '"core_country"' in s and "victims_victimcase" not in s]
    for step in (consent("assistance"), consent("investigation"), consent("share_organisation", organisation="IOM"),
                 consent("return", given=False)):
        services.take_step(protector, case.pk, "consent", step)
    more, _sql = drawn()
    assert more == few
    page = client.get(path).content.decode()
    assert "IOM" in page and case.finding_country.name in page and case.home_country.name in page
