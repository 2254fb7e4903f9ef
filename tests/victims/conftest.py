"""Victim-protection callers on the node of the country where victims are found (Cambodia here) and on the
home country's side (Laos), a gate between them, and a peer for Laos so that envelopes wait in the outbox."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from borderlink.core.models import BorderGate
from borderlink.federation.models import OutboxEnvelope, Peer
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from borderlink.victims import services
from tests.conftest import make_user


@pytest.fixture
def kh_node(settings: Any, org: Any) -> Any:
    settings.NODE_COUNTRY = "KH"
    return Peer.objects.create(node_id="test-la", country_id="LA", base_url="http://127.0.0.1:9", public_key="x" * 43,
                               fingerprint="f")


@pytest.fixture
def protector(org: Any) -> Any:
    return make_user("kh.protection", org.kh_unit, "victim_protection")


@pytest.fixture
def kh_supervisor(org: Any) -> Any:
    return make_user("kh.sup", org.kh_unit, "officer", "supervisor")


@pytest.fixture
def la_protector(org: Any) -> Any:
    return make_user("la.protection", org.la_unit, "victim_protection")


@pytest.fixture
def investigator(org: Any) -> Any:
    return make_user("kh.investigator", org.kh_unit, "officer")


@pytest.fixture
def gate(org: Any) -> BorderGate:
    return BorderGate.objects.create(side_a_country=org.la, side_a_name="Nong Nokkhiene", side_a_province="Champasak",
                                     side_b_country=org.kh, side_b_name="Trapeang Kriel", side_b_province="Stung Treng",
                                     level="international")


def consent(purpose: str, given: bool = True, **extra: Any) -> dict[str, Any]:
    return {"purpose": purpose, "given": given, "on": datetime.date.today().isoformat(),
            "explained": "Explained orally with a leaflet", "language": "Lao", "interpreter": "Ms Vanh (interpreter)",
            **extra}


def identify(user: Any, *, age_band: str = "adult", consents: list[dict] | None = None, birth_year: int = 1998,
             refugee_from: str | None = None) -> Any:
    person = PersonInput(names=[NameInput("Souk Phommavong")], sex="F", birth_year=birth_year, nationalities=["LA"],
                         documents=[DocumentInput("passport", "P0012345", "LA")],
                         is_refugee=refugee_from is not None, refugee_from=refugee_from)
    data = services.IdentificationInput(
        home_country="LA", exploitation="forced_criminality", indicators=["documents_withheld", "forced_online_fraud"],
        found_on=datetime.date.today() - datetime.timedelta(days=3), found_place="Scam compound, Sihanoukville",
        found_by="Anti-trafficking police, raid", age_band=age_band, consents=consents or [])
    return services.identify(user, person, data)


def outbox() -> list[tuple[str, dict]]:
    return [(e.kind, e.payload) for e in OutboxEnvelope.objects.order_by("created_at")]
