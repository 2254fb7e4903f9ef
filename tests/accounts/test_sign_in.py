from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import User
from borderlink.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def password_step(client: Client, username: str = "officer", password: str = "correct horse battery"):
    return client.post("/login/", {"username": username, "password": password})


def test_password_then_totp_signs_in(officer, client):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    # the password alone does not sign in
    assert client.get("/messages/").status_code == 302
    response = client.post("/login/code/", {"token": current_code(officer)})
    assert response.status_code == 302 and response["Location"] == "/messages/"
    assert client.get("/messages/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login", actor_username="officer").count() == 1


def test_wrong_code_is_refused(officer, client):
    password_step(client)
    good = current_code(officer)
    bad = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post("/login/code/", {"token": bad})
    assert response.status_code == 200
    assert "code is not correct" in response.content.decode()
    assert client.get("/messages/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(officer, client):
    response = password_step(client, password="wrong")
    assert response.status_code == 200
    assert "user name or password is not correct" in response.content.decode()
    response = password_step(client, username="nobody", password="wrong")
    assert "user name or password is not correct" in response.content.decode()


def test_repeated_failures_lock_the_account(officer, client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        password_step(client, password="wrong")
    officer.refresh_from_db()
    assert officer.is_locked()
    # even the right password is refused while locked
    response = password_step(client)
    assert response.status_code == 200 and "locked" in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.locked", actor_username="officer").count() == 1


def test_lock_expires(officer, client, settings):
    officer.locked_until = timezone.now() - datetime.timedelta(seconds=1)
    officer.save()
    assert password_step(client).status_code == 302


def test_wrong_codes_count_towards_the_lock(officer, client, settings):
    settings.LOGIN_MAX_FAILURES = 2
    password_step(client)
    client.post("/login/code/", {"token": "000000" if current_code(officer) != "000000" else "111111"})
    client.post("/login/code/", {"token": "abcdef"})
    officer.refresh_from_db()
    assert officer.is_locked()


def test_idle_session_expires(officer, login, settings):
    client = login(officer)
    assert client.get("/messages/").status_code == 200
    from django.contrib.sessions.models import Session

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/messages/").status_code == 302


def test_session_age_is_the_idle_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS


def test_activity_keeps_the_session_alive(officer, login, monkeypatch):
    import time as real_time

    from django.contrib.sessions.models import Session

    client = login(officer)
    client.get("/messages/")
    first = Session.objects.get().expire_date
    client.get("/messages/")
    assert Session.objects.get().expire_date == first  # not written again within a minute
    later = real_time.time() + 120
    monkeypatch.setattr("borderlink.accounts.middleware.time.time", lambda: later)
    client.get("/messages/")
    assert Session.objects.get().expire_date > first


def test_passwords_are_hashed_with_argon2_in_production():
    from borderlink import settings as production

    assert production.PASSWORD_HASHERS  # tests swap in a fast hasher; production lists argon2 first
    import importlib
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "borderlink.settings", "BORDERLINK_DEBUG": "1"},
        check=True,
    )
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert importlib.util.find_spec("argon2") is not None


def test_user_without_device_enrols_with_a_code(org, client):
    user = User.objects.create_user("newcomer", password="correct horse battery", unit=org.vn_unit, is_officer=True)
    response = password_step(client, "newcomer")
    assert response["Location"] == "/login/enrol/"
    page = client.get("/login/enrol/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    response = client.post("/login/enrol/", {"token": code})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed


def test_next_parameter_is_kept_but_not_to_other_hosts(officer, client):
    client.post("/login/", {"username": "officer", "password": "correct horse battery", "next": "/messages/outbox/"})
    response = client.post("/login/code/", {"token": current_code(officer)})
    assert response["Location"] == "/messages/outbox/"
    other = Client()
    other.post("/login/", {"username": "officer", "password": "correct horse battery", "next": "https://evil.example/"})
    officer.refresh_from_db()
    # a code can be used once only; wait for the next step by moving the device's last step back
    TOTPDevice.objects.filter(user=officer).update(last_t=-1)
    response = other.post("/login/code/", {"token": current_code(officer)})
    assert response["Location"] == "/messages/"


@pytest.mark.parametrize(("capabilities", "start"), [
    (("officer",), "/messages/"),
    (("victim_protection",), "/victims/"),
    (("planner",), "/plans/"),
    (("auditor",), "/audit/"),
    (("officer", "victim_protection"), "/messages/"),  # one who also exchanges messages starts at the inbox
    (("planner", "supervisor"), "/plans/"),  # the leadership: plans, approved by a planner who is a supervisor
    (("supervisor",), "/messages/"),  # approvals
    ((), "/account/"),
])
def test_each_role_lands_on_its_own_start_page_after_sign_in(org, client, capabilities, start):
    from tests.conftest import make_user

    user = make_user("starter", org.kh_unit, *capabilities)
    password_step(client, "starter")
    response = client.post("/login/code/", {"token": current_code(user)})
    assert response.status_code == 302 and response["Location"] == start
    assert client.get(start).status_code == 200  # a page the role may use, not a 404
    assert client.get("/")["Location"] == start  # the home address leads there too


def test_sign_out(officer, login):
    client = login(officer)
    client.post("/logout/")
    assert client.get("/messages/").status_code == 302


def test_user_chooses_language(officer, login):
    client = login(officer)
    response = client.post("/account/", {"action": "language", "language": "km"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.language == "km"
    page = client.get("/messages/")
    assert page["Content-Language"] == "km"


def test_unknown_language_is_refused(officer, login):
    client = login(officer)
    response = client.post("/account/", {"action": "language", "language": "xx"})
    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.language == "en"
