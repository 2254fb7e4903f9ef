"""What every page request pays before its view (issue 19), and that the checks stay per request.

The signed-in user, their unit and the session's second-factor device are read in one query (three before);
a plain GET does not write the session (it is refreshed at most once a minute, test_sign_in); and a removed,
unconfirmed or someone else's device, or a deactivated account, is still refused on the very next request.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PAGE = "/messages/"


def captured(client: Any, path: str = PAGE) -> list[str]:
    client.get(path)  # warm: per-process caches (navigation counts), the session's once-a-minute refresh
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in ctx.captured_queries]


def test_session_user_unit_and_device_in_two_queries(officer, login):
    statements = captured(login(officer))
    sessions = [sql for sql in statements if '"django_session"' in sql]
    users = [sql for sql in statements if 'FROM "accounts_user"' in sql]
    devices = [sql for sql in statements if '"otp_totp_totpdevice"' in sql]
    assert len(sessions) == 1 and sessions[0].lstrip().startswith("SELECT"), sessions
    assert len(users) == 1, users
    assert devices == users  # the device is checked inside the user's query, not in one of its own
    assert '"core_unit"' in users[0]  # the unit comes with the user (the navigation shows its name)
    unit_alone = [sql for sql in statements if sql.lstrip().startswith('SELECT "core_unit"') and
                  f'WHERE "core_unit"."id" = {officer.unit_id} ' in sql + " "]
    assert unit_alone == [], unit_alone


def test_plain_get_does_not_write_the_session(officer, login):
    statements = captured(login(officer))
    writes = [sql for sql in statements if '"django_session"' in sql and not sql.lstrip().startswith("SELECT")]
    assert writes == []


def refused(client: Any) -> bool:
    response = client.get(PAGE)
    return response.status_code == 302 and response["Location"].startswith("/login/")


def test_removed_device_is_refused_on_the_next_request(officer, login):
    client = login(officer)
    assert not refused(client)
    TOTPDevice.objects.filter(user=officer).delete()
    assert refused(client)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_unconfirmed_device_is_refused(officer, login):
    client = login(officer)
    assert not refused(client)
    TOTPDevice.objects.filter(user=officer).update(confirmed=False)
    assert refused(client)


def test_someone_elses_device_is_refused(officer, supervisor, login):
    client = login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=supervisor).persistent_id
    session.save()
    assert refused(client)
    assert DEVICE_ID_SESSION_KEY not in client.session
    # and the supervisor's own session with that device still works
    assert not refused(login(supervisor))


def test_a_device_id_that_is_not_a_number_is_refused(officer, login):
    client = login(officer)
    for bad in ("otp_totp.totpdevice/x1", "otp_totp.totpdevice/", "nothing", "a.b/1"):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = bad
        session.save()
        assert refused(client), bad


def test_deactivated_user_is_refused_on_the_next_request(officer, login):
    client = login(officer)
    assert not refused(client)
    type(officer).objects.filter(pk=officer.pk).update(is_active=False)
    assert refused(client)


def test_the_verified_user_is_the_sessions_user(officer, foreign_officer, login):
    """Two sessions served one after the other in one process each see their own user and unit."""
    mine, theirs = login(officer), login(foreign_officer)
    for _ in range(2):
        assert f'<a href="/account/">officer · {officer.unit.name}</a>' in mine.get(PAGE).content.decode()
        page = theirs.get(PAGE).content.decode()
        assert f'<a href="/account/">foreign · {foreign_officer.unit.name}</a>' in page


def test_country_names_are_not_read_on_every_page(officer, foreign_officer, login, org):
    """`{% country %}` (the message page draws the sender's country) reads the countries once per process and
    COUNTRIES_SECONDS; a name changed in this process shows on the next page."""
    from django.utils import timezone

    from borderlink.core.templatetags import display
    from borderlink.exchange.models import Message, MessageRecipient

    m = Message.objects.create(origin_node="test", sender_unit=foreign_officer.unit, author=foreign_officer, subject="s",
                               body="b", priority="routine", priority_rank=2, handling_code="H0", state="sent",
                               sent_at=timezone.now())
    MessageRecipient.objects.create(message=m, unit=officer.unit, delivered_at=m.sent_at, sent_at=m.sent_at, priority_rank=2)
    client = login(officer)
    path = f"/messages/{m.pk}/"
    assert "Laos" in client.get(path).content.decode()
    statements = captured(client, path)
    assert [sql for sql in statements if 'FROM "core_country"' in sql] == []
    org.la.name_en = "Lao PDR"
    org.la.save()
    assert "Lao PDR" in client.get(path).content.decode()
    assert display.countries()["LA"].name_en == "Lao PDR"


def test_expired_or_deleted_session_is_refused_on_the_next_request(officer, login):
    """The session is read with a statement written once per process (accounts.sessions): an expired row, or a
    row deleted (signed out elsewhere), is no session, as with Django's store."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = login(officer)
    assert not refused(client)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert refused(client)
    client = login(officer)
    assert not refused(client)
    Session.objects.filter(pk=client.session.session_key).delete()
    assert refused(client)


@pytest.mark.parametrize("who", ["officer", "node_admin"])
def test_the_user_loaded_per_request_is_the_orms(who, request):
    """UserBackend.get_user writes its statement from the models' fields: every field comes back with the value and
    type the ORM gives (SQLite's booleans and dates through the same converters), the unit (or none) cached."""
    from borderlink.accounts.backends import CHECK_DEVICE, CHECKED_ATTRIBUTE, UserBackend

    user = request.getfixturevalue(who)
    expected = type(user).objects.select_related("unit").get(pk=user.pk)
    device = TOTPDevice.objects.get(user=user)
    token = CHECK_DEVICE.set(device.pk)
    try:
        loaded = UserBackend().get_user(str(user.pk))  # as the session holds it
    finally:
        CHECK_DEVICE.reset(token)
    assert loaded is not None
    for field in type(user)._meta.concrete_fields:
        got, want = getattr(loaded, field.attname), getattr(expected, field.attname)
        assert got == want and type(got) is type(want), (field.name, got, want)
    assert getattr(loaded, CHECKED_ATTRIBUTE) == (device.pk, True)
    with CaptureQueriesContext(connection) as ctx:
        unit = loaded.unit
    assert ctx.captured_queries == []
    assert (unit is None) == (expected.unit is None)
    if unit is not None:
        assert all(getattr(unit, f.attname) == getattr(expected.unit, f.attname) for f in type(unit)._meta.concrete_fields)
    assert UserBackend().get_user("not a number") is None
    assert UserBackend().get_user(10**9) is None
