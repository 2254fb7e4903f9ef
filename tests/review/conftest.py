"""The review's tests run on the demo data of one node hosting every country (`manage.py load_demo`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import User


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    call_command("load_demo", verbosity=0)


def signed_in(username: str) -> Client:
    """A browser signed in with both factors as a demo user."""
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def token(username: str) -> dict[str, str]:
    from borderlink.accounts.services import create_token

    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(User.objects.get(username=username), 'tests')[1]}"}
