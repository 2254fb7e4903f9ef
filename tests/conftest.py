"""Shared fixtures: an organisation across the three countries and one
fixture per kind of caller (officer, supervisor, foreign officer, outsider,
auditor, API token)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import User
from borderlink.core.models import Country, Ministry, Unit


def _postgres_problem() -> str | None:
    """Why the configured PostgreSQL cannot be used, or None when it answers (or is not configured)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parsed = urlparse(url)
    try:
        with psycopg.connect(
            host=parsed.hostname or "localhost",
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
            password=parsed.password or None,
            dbname=(parsed.path or "/postgres").lstrip("/") or "postgres",
            connect_timeout=3,
        ):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {parsed.hostname}:{parsed.port or 5432} does not answer: {str(exc).strip()[:200]}"


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"borderlink database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    marker = pytest.mark.skip(reason=problem)
    for item in items:
        if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()) or "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(marker)


@pytest.fixture(autouse=True)
def _attachment_dir(settings: Any, tmp_path: Any) -> None:
    settings.ATTACHMENT_DIR = tmp_path / "attachments"


@pytest.fixture(autouse=True)
def _checkpoint_file(settings: Any, tmp_path: Any) -> None:
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit_checkpoints.jsonl"


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Service calls made by a test speak English, whatever language an earlier page request left active."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_name_index() -> Any:
    """Each test's database starts empty, so each test starts with an empty name index."""
    from borderlink.cases import person_match
    from borderlink.persons import name_index

    name_index.reset()
    person_match.reset()
    yield
    name_index.reset()
    person_match.reset()


@pytest.fixture(autouse=True)
def _fresh_countries() -> Any:
    """The countries kept per process for the templates (core.templatetags.display) are those of this test's database."""
    from borderlink.core.templatetags.display import forget_countries

    forget_countries()
    yield
    forget_countries()


@dataclass
class Org:
    vn: Country
    la: Country
    kh: Country
    vn_unit: Unit
    vn_other: Unit
    la_unit: Unit
    kh_unit: Unit


@pytest.fixture
def org(db: Any) -> Org:
    vn = Country.objects.create(code="VN", name_en="Viet Nam", name_vi="Việt Nam", name_lo="ຫວຽດນາມ", name_km="វៀតណាម")
    la = Country.objects.create(code="LA", name_en="Laos", name_vi="Lào", name_lo="ລາວ", name_km="ឡាវ")
    kh = Country.objects.create(code="KH", name_en="Cambodia", name_vi="Campuchia", name_lo="ກຳປູເຈຍ", name_km="កម្ពុជា")
    ministries = {
        c.code: Ministry.objects.create(code=f"{c.code}-M", country=c, name_en=f"Ministry {c.code}") for c in (vn, la, kh)
    }

    def unit(code: str, country: Country, name: str, parent: Unit | None = None, kind: str = "provincial") -> Unit:
        return Unit.objects.create(
            code=code, country=country, ministry=ministries[country.code], parent=parent, kind=kind, name_en=name
        )

    vn_root = unit("VN-ROOT", vn, "VN Ministry", kind="ministry")
    la_root = unit("LA-ROOT", la, "LA Ministry", kind="ministry")
    kh_root = unit("KH-ROOT", kh, "KH Ministry", kind="ministry")
    return Org(
        vn=vn,
        la=la,
        kh=kh,
        vn_unit=unit("VN-QT", vn, "Quang Tri Police", vn_root),
        vn_other=unit("VN-TN", vn, "Tay Ninh Police", vn_root),
        la_unit=unit("LA-SVK", la, "Savannakhet Police", la_root),
        kh_unit=unit("KH-SVR", kh, "Svay Rieng Police", kh_root),
    )


TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238 test key


def make_user(username: str, unit: Unit | None, *capabilities: str, language: str = "en") -> User:
    user = User.objects.create_user(username=username, password="correct horse battery", unit=unit, language=language)
    for capability in capabilities:
        setattr(user, f"is_{capability}", True)
    user.save()
    TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY, confirmed=True)
    return user


@pytest.fixture
def officer(org: Org) -> User:
    return make_user("officer", org.vn_unit, "officer")


@pytest.fixture
def colleague(org: Org) -> User:
    """Another officer of the officer's unit."""
    return make_user("colleague", org.vn_unit, "officer")


@pytest.fixture
def supervisor(org: Org) -> User:
    return make_user("supervisor", org.vn_unit, "officer", "supervisor")


@pytest.fixture
def foreign_officer(org: Org) -> User:
    return make_user("foreign", org.la_unit, "officer", language="lo")


@pytest.fixture
def foreign_supervisor(org: Org) -> User:
    return make_user("foreign_sup", org.la_unit, "officer", "supervisor", language="lo")


@pytest.fixture
def outsider(org: Org) -> User:
    """An officer of another unit of the same country: no need to know."""
    return make_user("outsider", org.vn_other, "officer", "supervisor")


@pytest.fixture
def kh_officer(org: Org) -> User:
    return make_user("khofficer", org.kh_unit, "officer", language="km")


@pytest.fixture
def no_capabilities(org: Org) -> User:
    """A member of the officer's unit with no capability at all."""
    return make_user("nocaps", org.vn_unit)


@pytest.fixture
def auditor(org: Org) -> User:
    return make_user("auditor", org.vn_other, "auditor")


@pytest.fixture
def node_admin(db: Any) -> User:
    return make_user("nodeadmin", None, "node_admin")


def verified_client(user: User) -> Client:
    """A client signed in with password and second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def login() -> Callable[[User], Client]:
    return verified_client


@pytest.fixture
def api() -> Callable[[User], Client]:
    """A client that sends a fresh personal API token of the user."""
    from borderlink.accounts.services import create_token

    def make(user: User) -> Client:
        _token, secret = create_token(user, "tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make
