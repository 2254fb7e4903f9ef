"""Issue 15, one click from a cross-border identifier hit: an invitation into an EXISTING case of the user's unit,
through the same service as every invitation after the approval (four eyes), on the page and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from borderlink.audit.models import AuditEvent
from borderlink.cases import hits, services
from borderlink.cases.models import Participant, ParticipantState
from tests.cases.helpers import open_case

pytestmark = pytest.mark.django_db

HIT = {"kind": "phone", "value": "+85512345678", "reference": "KH-SVR/JC/2026/0007"}


def test_a_hit_invites_its_unit_into_an_existing_case(officer, supervisor, foreign_officer, outsider, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    assert [c.pk for c in hits.cases_to_invite_into(officer, org.kh_unit.code)] == [case.pk]
    assert hits.cases_to_invite_into(foreign_officer, org.kh_unit.code) == []  # not the lead unit
    added = hits.invite_to_case(officer, case.pk, org.kh_unit.code, HIT["kind"], HIT["value"], HIT["reference"])
    invitation = Participant.objects.get(case_key=case.pk, unit=org.kh_unit)
    assert [p.pk for p in added] == [invitation.pk] and invitation.state == ParticipantState.INVITED
    assert HIT["reference"] in invitation.message and HIT["value"] in invitation.message
    assert AuditEvent.objects.filter(action="cases.invitations.added", object_id=str(case.pk)).exists()
    # already invited: the case is no longer offered, and a second click is a clear refusal
    assert hits.cases_to_invite_into(officer, org.kh_unit.code) == []
    with pytest.raises(ValidationError) as exc:
        hits.invite_to_case(officer, case.pk, org.kh_unit.code, HIT["kind"], HIT["value"], HIT["reference"])
    assert "units" in exc.value.message_dict
    # four eyes: the one who added it does not send it; another supervisor does
    services.send_invitations(supervisor, case.pk)
    assert Participant.objects.get(pk=invitation.pk).state == ParticipantState.PENDING


def test_bad_hits_and_cases_are_refused(officer, supervisor, foreign_officer, outsider, org):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    for unit, kind in (("NO-SUCH.UNIT", "phone"), (org.vn_other.code, "phone"), (org.kh_unit.code, "person"),
                       (org.kh_unit.code, "x" * 500)):
        with pytest.raises(Http404):  # an unknown unit, a unit of one's own country, not an identifier
            hits.invite_to_case(officer, case.pk, unit, kind, HIT["value"], HIT["reference"])
    with pytest.raises(Http404):  # a case of another unit
        hits.invite_to_case(outsider, case.pk, org.kh_unit.code, HIT["kind"], HIT["value"], HIT["reference"])
    with pytest.raises(Http404):  # a participant that does not lead the case
        hits.invite_to_case(foreign_officer, case.pk, org.kh_unit.code, HIT["kind"], HIT["value"], HIT["reference"])
    with pytest.raises(Http404):
        hits.invite_to_case(officer, "not-a-case", org.kh_unit.code, HIT["kind"], HIT["value"], HIT["reference"])
    draft = services.create_case(officer, services.CaseInput(title="Draft ring", offence="fraud", legal_basis="MoU",
                                                             units=[org.la_unit.pk]))
    assert draft.pk not in {c.pk for c in hits.cases_to_invite_into(officer, org.kh_unit.code)}
    with pytest.raises(ValidationError):  # not approved yet: its units are chosen in the draft
        hits.invite_to_case(officer, draft.pk, org.kh_unit.code, HIT["kind"], HIT["value"], HIT["reference"])
    assert not Participant.objects.filter(unit=org.kh_unit).exists()


def test_invite_from_a_hit_on_the_page_and_the_api(officer, supervisor, foreign_officer, outsider, org, login, api):
    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    body = {**HIT, "lead_unit": org.kh_unit.code, "case": str(case.pk)}
    assert login(outsider).post("/cases/identifiers/invite/", body).status_code == 404
    assert api(outsider).post("/api/cases/identifiers/invite", body, content_type="application/json").status_code == 404
    bad = api(officer).post("/api/cases/identifiers/invite", {**body, "kind": "spaceship"}, content_type="application/json")
    assert bad.status_code == 422
    page = login(officer).post("/cases/identifiers/invite/", body)
    assert page.status_code == 302 and page["Location"] == f"/cases/{case.pk}/"
    assert Participant.objects.get(case_key=case.pk, unit=org.kh_unit).state == ParticipantState.INVITED
    # a second click: the refusal is said on the case page, nothing added
    again = login(officer).post("/cases/identifiers/invite/", body, follow=True)
    assert again.status_code == 200 and "already invited" in again.content.decode()
    assert api(officer).post("/api/cases/identifiers/invite", body, content_type="application/json").status_code == 400
    assert Participant.objects.filter(case_key=case.pk, unit=org.kh_unit).count() == 1
    # over the API into a second case
    second = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer], title="Second ring")
    answer = api(officer).post("/api/cases/identifiers/invite", {**body, "case": str(second.pk)}, content_type="application/json")
    assert answer.status_code == 201 and answer.json() == [{"unit": org.kh_unit.code, "state": "invited",
                                                            "invitation": answer.json()[0]["invitation"]}]


def test_the_hit_offers_the_cases_to_invite_into(officer, supervisor, foreign_officer, org, rf):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    hit = {**HIT, "lead_unit": org.kh_unit.code, "unit_id": org.kh_unit.pk,
           "own_cases": hits.cases_to_invite_into(officer, org.kh_unit.code)}
    answer = SimpleNamespace(peer=SimpleNamespace(country=org.kh), status="ok", hits=[hit])
    request = rf.get("/cases/identifiers/")
    request.user = officer
    html = render_to_string("cases/identifiers.html", {"form": None, "answers": [answer], "key": HIT["value"]}, request=request)
    assert 'action="/cases/identifiers/invite/"' in html and f'value="{case.pk}"' in html and case.reference in html
