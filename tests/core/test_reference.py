from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from borderlink.audit.services import verify_chain
from borderlink.core.models import BorderGate, Country, Province, Unit

pytestmark = pytest.mark.django_db


def test_reference_data_loads_and_is_idempotent(capsys):
    call_command("load_reference")
    call_command("load_reference")
    assert set(Country.objects.values_list("code", flat=True)) == {"KH", "LA", "VN"}
    assert BorderGate.objects.filter(side_a_name="Mộc Bài", side_b_name="Bavet").exists()
    assert BorderGate.objects.count() == 24
    assert "border_gates: 24" in capsys.readouterr().out


def test_provinces_carry_validity_across_the_2025_merger():
    call_command("load_reference")
    before = set(Province.objects.filter(country="VN").valid_on(datetime.date(2025, 6, 1)).values_list("name_en", flat=True))
    after = set(Province.objects.filter(country="VN").valid_on(datetime.date(2025, 7, 2)).values_list("name_en", flat=True))
    assert "Quang Binh" in before and "Quang Binh" not in after
    assert "Da Nang" in after and "Da Nang" not in before
    assert "Tay Ninh" in before and "Tay Ninh" in after


def test_unit_tree_rules(org):
    orphan = Unit(code="X", country=org.vn, ministry=org.vn_unit.ministry, kind="unit", name_en="Orphan")
    with pytest.raises(ValidationError):
        orphan.full_clean()
    foreign_child = Unit(code="Y", country=org.la, ministry=org.la_unit.ministry, parent=org.vn_unit, kind="unit", name_en="Y")
    with pytest.raises(ValidationError):
        foreign_child.full_clean()
    root = Unit.objects.get(code="VN-ROOT")
    root.parent = org.vn_unit
    with pytest.raises(ValidationError):
        root.full_clean()


def test_unit_name_follows_the_language(org):
    from django.utils import translation

    org.la_unit.name_lo = "ປ້ອງກັນຄວາມສະຫງົບ ແຂວງສະຫວັນນະເຂດ"
    with translation.override("lo"):
        assert org.la_unit.name == "ປ້ອງກັນຄວາມສະຫງົບ ແຂວງສະຫວັນນະເຂດ"
    with translation.override("km"):
        assert org.la_unit.name == "Savannakhet Police"  # falls back to English


def test_demo_data_loads_through_the_services(capsys):
    call_command("load_demo")
    call_command("load_demo")  # again: no duplicates
    from borderlink.accounts.models import User
    from borderlink.exchange.models import Message

    assert User.objects.filter(username="vn.officer", is_officer=True).exists()
    assert Message.objects.count() == 5
    assert Message.objects.filter(state="pending_approval").count() == 1
    assert verify_chain().ok
    call_command("totp_code", "vn.officer")
    assert capsys.readouterr().out.strip().splitlines()[-1].isdigit()
