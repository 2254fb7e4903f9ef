"""The victims app's safeguard as joint cases call it (DESIGN.md safeguard 3): a person identified as a trafficking
victim here is never made a suspect in a case, whether the officer writes the same passport under another name or
the person arrives from a peer's node; as a victim in the case (private to this node) the person may be recorded."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from borderlink.cases import federation, items, services
from borderlink.cases.items import EntityInput
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from tests.conftest import make_user

from .conftest import identify

pytestmark = pytest.mark.django_db


def _case(org):
    lead, supervisor = make_user("kh.lead", org.kh_unit, "officer"), make_user("kh.lead.sup", org.kh_unit, "officer", "supervisor")
    la = make_user("la.partner", org.la_unit, "officer")
    case = services.create_case(lead, services.CaseInput(title="Compound in Sihanoukville", offence="trafficking_in_persons",
                                                         legal_basis="KH–LA plan 2026", units=[org.la_unit.pk]))
    services.propose_case(lead, case.pk)
    services.approve_case(supervisor, case.pk)
    services.answer_invitation(la, case.participants.get(unit=org.la_unit).pk, True)
    return lead, case


def _person(name):
    return PersonInput(names=[NameInput(name)], sex="F", birth_year=1998, documents=[DocumentInput("passport", "P 001-2345", "LA")])


def test_identified_victim_is_never_a_suspect_in_a_case(kh_node, protector, org):
    identify(protector)  # Souk Phommavong, passport P0012345 (LA), identified as a victim on this node
    lead, case = _case(org)
    with pytest.raises(ValidationError) as exc:
        items.add_entity(lead, case.pk, EntityInput(kind="person", role="suspect", shared=True, person=_person("S. Phommavong")))
    assert "never a suspect" in " ".join(exc.value.message_dict["role"])
    assert not case.entities.exists()
    entity = items.add_entity(lead, case.pk, EntityInput(kind="person", role="witness", person=_person("S. Phommavong")))
    assert entity.role == "witness"


def test_a_peer_cannot_make_an_identified_victim_a_suspect_here(kh_node, protector, org):
    identify(protector)
    _lead, case = _case(org)
    item = federation.ItemPayload.model_validate_json(json.dumps({"type": "entity", "entity": {
        "id": str(uuid.uuid4()), "unit": org.la_unit.code, "created_at": timezone.now().isoformat(), "kind": "person",
        "label": "Souk P.", "role": "suspect", "person": {
            "id": str(uuid.uuid4()), "names": [{"name": "Souk P.", "kind": "primary"}], "sex": "F",
            "documents": [{"doc_type": "passport", "number": "P0012345", "issuing_country": "LA"}]}}}))
    with pytest.raises(ValidationError, match="never a suspect"):
        federation.apply_item_data(case, item, kh_node)
    assert not case.entities.exists()
