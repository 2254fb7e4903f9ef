"""Border incidents: recording, the safeguards from both sides of the border, access, sharing, counts and CSV."""

from __future__ import annotations

import datetime
import types

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from borderlink.audit.models import AuditEvent
from borderlink.border import access, services, stats
from borderlink.border.federation import IncidentPayload, apply_incident, snapshot
from borderlink.border.models import BorderIncident, Outcome, Sharing
from borderlink.federation.schema import parse_payload
from borderlink.persons.services import NameInput, PersonInput
from tests.border.helpers import gate, incident, pair_code, seizure
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_an_incident_is_recorded_with_its_goods(border, officer):
    item = services.record_incident(officer, seizure())
    assert item.reference.startswith("VN-QT/B/") and item.province.name_en == "Quang Tri"
    assert item.pair.code == "VN-QT25/LA-SV" and item.gate.side_b_name == "Dansavan"
    goods = item.goods.get()
    assert (goods.goods_type, goods.quantity, goods.unit) == ("cigarettes", 120, "carton")
    assert AuditEvent.objects.filter(action="border.incident.recorded", object_id=str(item.pk)).exists()


@pytest.mark.parametrize("overrides, field, english", [
    ({"occurred_at": timezone.now() + datetime.timedelta(days=1)}, "occurred_at", "This cannot be in the future."),
    ({"gate_id": None}, "gate_id", "This gate is not on the border between these two provinces."),  # set below: Mộc Bài
    ({"persons_count": 2, "children_count": 3}, "children_count",
     "The number of children cannot be above the number of persons."),
    ({"pair": None}, "pair", "Choose one of your province pairs."),  # set below: Tây Ninh – Svay Rieng
    ({"occurred_at": datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)}, "pair",
     "These provinces did not face each other under these names on that date; choose the pair valid then."),
    ({"kind": "smuggling_seizure"}, "goods", "Record the goods seized."),
    ({"outcome": "returned", "gate_id": None, "place": "forest path"}, "gate_id", "A return goes through a gate: choose the gate."),
])
def test_bad_input_gives_a_field_error_in_the_users_language(border, officer, overrides, field, english):
    if field == "gate_id" and "outcome" not in overrides:
        overrides = {"gate_id": gate("Mộc Bài").pk}
    if field == "pair" and overrides.get("pair", "x") is None:
        overrides = {"pair": pair_code("Tay Ninh", "Svay Rieng")}
    with translation.override("vi"):
        expected = translation.gettext(english)
        with pytest.raises(ValidationError) as caught:
            services.record_incident(officer, incident(**overrides))
    assert expected != english, "the Vietnamese catalog lacks this message"
    assert expected in caught.value.message_dict[field]
    assert not BorderIncident.objects.exists()


def test_a_return_to_the_country_an_asylum_seeker_fled_is_refused_vietnamese_side(border, officer):
    refused = services.record_incident(officer, incident(persons_count=2, asylum_sought=True, outcome=Outcome.RETURNED))
    assert refused.outcome == Outcome.REFERRED_PROTECTION and refused.refused_outcome == Outcome.RETURNED
    assert refused.protection_referred and refused.asylum_country_id == "LA"
    assert AuditEvent.objects.filter(action="border.incident.refoulement_blocked", object_id=str(refused.pk)).exists()
    allowed = services.record_incident(officer, incident(persons_count=2, outcome=Outcome.RETURNED))
    assert allowed.outcome == Outcome.RETURNED and not allowed.protection_referred


def test_a_handover_of_a_recorded_refugee_is_refused_lao_side(border, foreign_officer):
    refugee = PersonInput(names=[NameInput("Hoàng Văn Nam")], is_refugee=True, refugee_from="VN")
    data = incident(pair=pair_code(), persons_count=1, outcome=Outcome.HANDED_OVER, new_persons=[refugee])
    refused = services.record_incident(foreign_officer, data)
    assert refused.outcome == Outcome.REFERRED_PROTECTION and refused.refused_outcome == Outcome.HANDED_OVER
    assert refused.province.name_en == "Savannakhet"
    # a refugee from a third country may be handed over to Viet Nam: the rule is about the country fled
    other = PersonInput(names=[NameInput("Sok Vanna")], is_refugee=True, refugee_from="KH")
    allowed = services.record_incident(foreign_officer, incident(persons_count=1, outcome=Outcome.HANDED_OVER,
                                                                 new_persons=[other]))
    assert allowed.outcome == Outcome.HANDED_OVER


def test_settling_later_meets_the_same_rule(border, officer):
    item = services.record_incident(officer, incident(asylum_sought=True))
    settled = services.settle_incident(officer, item.pk, services.SettleInput(Outcome.RETURNED, "Escorted to the gate."))
    assert settled.outcome == Outcome.REFERRED_PROTECTION and settled.refused_outcome == Outcome.RETURNED


def test_a_child_flags_the_incident_to_victim_protection_on_both_sides(border, officer, foreign_officer, org):
    vn_protector = make_user("vn.vp", org.vn_other, "victim_protection")
    la_protector = make_user("la.vp", org.la_unit, "victim_protection")
    vn_child = services.record_incident(officer, incident(persons_count=2, children_count=1))
    la_child = services.record_incident(foreign_officer, incident(persons_count=1, new_persons=[
        PersonInput(names=[NameInput("ນ້ອຍ ແກ້ວມະນີ")], is_minor=True)], children_count=1))
    adults = services.record_incident(officer, incident())
    assert vn_child.child_flagged and la_child.child_flagged and not adults.child_flagged
    assert access.get_incident_for_user(vn_protector, vn_child.pk) == vn_child
    assert access.get_incident_for_user(la_protector, la_child.pk) == la_child
    for protector, other in ((vn_protector, la_child), (la_protector, vn_child), (vn_protector, adults)):
        with pytest.raises(Http404):
            access.get_incident_for_user(protector, other.pk)


def test_fewer_children_counted_than_named_is_an_error(border, foreign_officer):
    child = PersonInput(names=[NameInput("ນ້ອຍ ແກ້ວມະນີ")], is_minor=True)
    with pytest.raises(ValidationError) as caught:
        services.record_incident(foreign_officer, incident(persons_count=1, children_count=0, new_persons=[child]))
    assert "children_count" in caught.value.message_dict


def test_outsiders_get_404(border, officer, outsider, kh_officer, no_capabilities, foreign_officer):
    item = services.record_incident(officer, incident())
    for user in (outsider, kh_officer, no_capabilities, foreign_officer):  # not shared: Laos does not see it either
        with pytest.raises(Http404):
            services.view_incident(user, item.pk)
    with pytest.raises(Http404):
        services.record_incident(outsider, incident())
    assert AuditEvent.objects.filter(action="border.incident.access_denied").count() >= 3


def test_sharing_needs_another_supervisor_and_a_justification_for_flagged_text(border, officer, supervisor, foreign_officer):
    item = services.record_incident(officer, incident(share=True, description="Said to be a political activist."))
    assert item.sharing == Sharing.AWAITING and item.neutrality_flags
    with pytest.raises(Http404):
        services.approve_sharing(officer, item.pk)  # the author, and not a supervisor
    with pytest.raises(ValidationError) as caught:
        services.approve_sharing(supervisor, item.pk)
    assert "justification" in caught.value.message_dict
    with pytest.raises(Http404):
        services.view_incident(foreign_officer, item.pk)
    shared = services.approve_sharing(supervisor, item.pk, "The words describe the person's job, not a motive.")
    assert shared.sharing == Sharing.SHARED
    assert services.view_incident(foreign_officer, item.pk) == shared  # the other side's pair now sees it
    assert AuditEvent.objects.filter(action="border.incident.neutrality_override").exists()


def test_no_ethnicity_religion_or_political_field_exists():
    from borderlink.border.api import IncidentIn

    names = {f.name for f in BorderIncident._meta.get_fields()} | set(IncidentIn.model_fields)
    for word in ("ethnic", "religio", "politic", "race", "tribe", "faith", "party"):
        assert not [n for n in names if word in n], word


def test_counts_chart_and_csv(border, officer):
    services.record_incident(officer, seizure())
    services.record_incident(officer, incident(occurred_at=timezone.now() - datetime.timedelta(days=40)))
    filters = stats.parse_filters(officer, {})
    counts = stats.counts(officer, filters)
    assert counts["total"] == 2 and sum(m["n"] for m in counts["months"]) == 2
    assert {k["kind"]: k["n"] for k in counts["kinds"]}["smuggling_seizure"] == 1
    assert counts["gates"][0]["n"] == 2 and counts["pairs"][0]["n"] == 2
    svg = stats.chart_svg(counts, "<b>title</b>")
    assert svg.startswith("<svg") and "<b>" not in svg and svg.count("<rect") >= 2
    services.record_incident(officer, incident(gate_id=None, place="=cmd|' /C calc'!A0"))
    body = stats.export_csv(officer, filters)
    assert ",'=cmd|" in body and ",=cmd" not in body
    assert stats.safe_cell("+1") == "'+1" and stats.safe_cell("@x") == "'@x" and stats.safe_cell(3) == 3


@pytest.mark.parametrize("data, field", [
    ({"from": "2026-13"}, "from"), ({"from": "2020-01", "to": "2026-01"}, "to"), ({"kind": "ethnic"}, "kind"),
    ({"gate": "99999"}, "gate"), ({"pair": "nope"}, "pair"),
])
def test_bad_filters_are_field_errors(border, officer, data, field):
    with pytest.raises(ValidationError) as caught:
        stats.parse_filters(officer, data)
    assert field in caught.value.message_dict


def _peer() -> types.SimpleNamespace:
    return types.SimpleNamespace(node_id="test-la", country_id="LA")


def test_a_peer_envelope_is_validated_as_local_input(border, foreign_officer, settings):
    settings.NODE_COUNTRY = "VN"
    item = services.record_incident(foreign_officer, incident(persons_count=2, children_count=1))
    good = snapshot(item)
    BorderIncident.objects.all().delete()
    apply_incident(parse_payload(IncidentPayload, good), _peer(), {})
    copy = BorderIncident.objects.get()
    assert copy.origin_node == "test-la" and copy.child_flagged and copy.sharing == Sharing.SHARED
    bad_cases = [
        {"outcome": "returned", "asylum_sought": True},  # refoulement, whatever the peer says
        {"gate": {"side_a_country": "VN", "side_a_name": "Mộc Bài", "side_b_country": "KH"}},
        {"children_count": 5},
        {"occurred_at": (timezone.now() + datetime.timedelta(days=2)).isoformat()},
        {"pair": "VN-TN25/KH-SR"},
    ]
    for change in bad_cases:
        with pytest.raises(ValidationError):
            apply_incident(parse_payload(IncidentPayload, {**good, "version": 9, **change}), _peer(), {})
    copy.refresh_from_db()
    assert copy.version == 1 and copy.outcome == Outcome.PENDING


def test_a_liaison_officer_sees_every_pair_of_the_country_a_province_officer_only_its_own(border, officer, org):
    liaison = make_user("liaison", org.vn_other, "liaison")
    tay_ninh = make_user("tn", org.kh_unit, "officer")  # Svay Rieng: faces Tây Ninh, not Quảng Trị
    item = services.record_incident(officer, incident())
    assert services.view_incident(liaison, item.pk) == item
    assert access.user_pairs(liaison).filter(code="VN-TN25/KH-SR").exists()
    assert not access.user_pairs(officer).filter(code="VN-TN25/KH-SR").exists()
    with pytest.raises(Http404):
        services.view_incident(tay_ninh, item.pk)
