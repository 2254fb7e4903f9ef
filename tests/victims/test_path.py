"""The victim's path on the node of the country where they were found: consent checked when each envelope is
written (nothing sent without it), the child rule, non-refoulement, overrides, who sees what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from borderlink.audit.models import AuditEvent
from borderlink.persons.services import NameInput, PersonInput
from borderlink.victims import services
from borderlink.victims.models import CaseState, VictimCase
from tests.conftest import make_user

from .conftest import consent, identify, outbox

pytestmark = pytest.mark.django_db


def plan(gate, **extra):
    return {"gate": [gate.side_a_country_id, gate.side_a_name, gate.side_b_country_id],
            "return_at": (timezone.now() + datetime.timedelta(days=5)).isoformat(), "escorts": "Two social workers",
            "receiving_unit": "Champasak social welfare office", "met_by": "Mr Bounmy (social worker)",
            "travel_document": True, "medical_certificate": True, "needs": ["psychological"], **extra}


def verified(case, user):
    """Move a shared case to verified through the table (the linked request is exercised in its own test)."""
    from borderlink import workflow
    from borderlink.victims.workflow import VICTIM

    workflow.take(VICTIM, user, case, "verification_asked", workflow.Facts(data={"request": "7f0c6a53-4c3c-4a43-9f3c-1f2a3b4c5d6e"}))
    workflow.take(VICTIM, user, VictimCase.objects.get(pk=case.pk), "nationality_confirmed")
    return VictimCase.objects.get(pk=case.pk)


def test_identified_victim_is_protected_and_nothing_leaves_before_sharing(kh_node, protector):
    case = identify(protector, consents=[consent("share_home", given=False)])
    assert case.person.is_trafficking_victim and case.state == CaseState.IDENTIFIED
    assert outbox() == []


def test_no_consent_to_share_nothing_is_sent(kh_node, protector):
    case = identify(protector, consents=[consent("share_home", given=False), consent("return")])
    with pytest.raises(ValidationError, match="not consented to share"):
        services.share(protector, case.pk)
    assert outbox() == []
    assert VictimCase.objects.get(pk=case.pk).state == CaseState.IDENTIFIED


def test_sharing_with_consent_sends_the_case_with_its_consents(kh_node, protector):
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    services.share(protector, case.pk)
    [(kind, payload)] = outbox()
    assert kind == "victim.opened"
    assert [e["action"] for e in payload["events"]] == ["identified", "consent", "consent", "shared"]


def test_consent_withdrawn_later_stops_every_step_envelope(kh_node, protector, gate):
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    services.share(protector, case.pk)
    case = verified(VictimCase.objects.get(pk=case.pk), protector)
    sent = len(outbox())
    services.take_step(protector, case.pk, "consent", consent("share_home", given=False))
    assert len(outbox()) == sent + 1  # only the news of the withdrawal, without anything about the person
    assert set(outbox()[-1][1]["event"]["data"]) == {"purpose", "organisation", "given", "on", "explained", "language",
                                                      "interpreter"}
    for action, data in (("return_planned", plan(gate)), ("safeguards", {"guardian": "x", "best_interests_on":
                         datetime.date.today().isoformat(), "best_interests": "ok"}), ("closed", {"reason": "other"})):
        with pytest.raises(ValidationError, match="not consented to share"):
            services.take_step(protector, case.pk, action, data)
        assert len(outbox()) == sent + 1
        assert VictimCase.objects.get(pk=case.pk).state == CaseState.VERIFIED


def test_no_consent_to_return_no_return_plan(kh_node, protector, gate):
    case = identify(protector, consents=[consent("share_home"), consent("return", given=False)])
    services.share(protector, case.pk)
    case = verified(VictimCase.objects.get(pk=case.pk), protector)
    sent = len(outbox())
    with pytest.raises(ValidationError, match="not consented to return"):
        services.take_step(protector, case.pk, "return_planned", plan(gate))
    assert len(outbox()) == sent
    assert VictimCase.objects.get(pk=case.pk).state == CaseState.VERIFIED


def test_child_needs_guardian_and_best_interests_before_a_return(kh_node, protector, gate):
    case = identify(protector, age_band="unknown_minor", consents=[consent("share_home"), consent("return")])
    services.share(protector, case.pk)
    case = verified(VictimCase.objects.get(pk=case.pk), protector)
    with pytest.raises(ValidationError, match="guardian and a best-interests"):
        services.take_step(protector, case.pk, "return_planned", plan(gate, needs=["guardian"]))
    services.take_step(protector, case.pk, "safeguards", {"guardian": "Aunt, Mrs Kham", "best_interests":
                       "Family traced, safe to return", "best_interests_on": datetime.date.today().isoformat()})
    with pytest.raises(ValidationError) as exc:
        services.take_step(protector, case.pk, "return_planned", plan(gate))
    assert "needs" in exc.value.message_dict
    case = services.take_step(protector, case.pk, "return_planned", plan(gate, needs=["guardian"]))
    assert case.state == CaseState.PLANNED and case.gate == gate


def test_year_of_birth_of_a_child_cannot_be_recorded_as_adult(kh_node, protector):
    with pytest.raises(ValidationError) as exc:
        identify(protector, birth_year=datetime.date.today().year - 15)
    assert "age_band" in exc.value.message_dict
    assert not VictimCase.objects.exists()


def test_no_return_to_the_country_a_refugee_fled(kh_node, protector, gate, kh_supervisor):
    case = identify(protector, consents=[consent("share_home"), consent("return")], refugee_from="LA")
    services.share(protector, case.pk)
    case = verified(VictimCase.objects.get(pk=case.pk), protector)
    with pytest.raises(ValidationError, match="refugee"):
        services.take_step(protector, case.pk, "return_planned", plan(gate))
    services.override_consent(kh_supervisor, case.pk, "return", "law_requires", "Return ordered under the statute")
    with pytest.raises(ValidationError, match="refugee"):  # no override opens a return to the country fled
        services.take_step(protector, case.pk, "return_planned", plan(gate))


def test_supervisor_override_needs_ground_and_reason_and_is_audited(kh_node, protector, kh_supervisor, gate):
    case = identify(protector, consents=[consent("share_home"), consent("return", given=False)])
    services.share(protector, case.pk)
    verified(VictimCase.objects.get(pk=case.pk), protector)
    with pytest.raises(ValidationError) as exc:
        services.override_consent(kh_supervisor, case.pk, "return", "whim", "")
    assert set(exc.value.message_dict) == {"ground", "text"}
    with pytest.raises(ValidationError) as exc:  # the guardian's decision is a ground only for a child
        services.override_consent(kh_supervisor, case.pk, "return", "child_guardian", "The guardian decided")
    assert "ground" in exc.value.message_dict
    with pytest.raises(Http404):
        services.override_consent(protector, case.pk, "return", "court_order", "Court order 12/2026")
    services.override_consent(kh_supervisor, case.pk, "return", "court_order", "Court order 12/2026")
    event = AuditEvent.objects.filter(action="victims.case.override").get()
    assert event.data["reason"] == "Court order 12/2026" and event.data["ground"] == "court_order"
    assert services.take_step(protector, case.pk, "return_planned", plan(gate)).state == CaseState.PLANNED


def test_bad_plan_gives_field_errors_and_writes_nothing(kh_node, protector, gate, org):
    from borderlink.core.models import BorderGate

    other = BorderGate.objects.create(side_a_country=org.vn, side_a_name="Moc Bai", side_a_province="Tay Ninh",
                                      side_b_country=org.kh, side_b_name="Bavet", side_b_province="Svay Rieng",
                                      level="international")
    case = identify(protector, consents=[consent("share_home"), consent("return")])
    services.share(protector, case.pk)
    case = verified(VictimCase.objects.get(pk=case.pk), protector)
    events, sent = case.events.count(), len(outbox())
    bad = plan(other, return_at="2020-01-01T10:00", escorts="", needs=["unicorn"], travel_document="yes")
    with pytest.raises(ValidationError) as exc:
        services.take_step(protector, case.pk, "return_planned", bad)
    assert set(exc.value.message_dict) >= {"gate", "return_at", "escorts", "needs", "travel_document"}
    assert case.events.count() == events and len(outbox()) == sent


def test_bad_identification_field_errors_in_the_users_language(kh_node, protector):
    from django.utils import translation

    from borderlink.persons.services import PersonInput

    data = services.IdentificationInput(home_country="KH", exploitation="slavery", indicators=["made_up"], found_on=None,
                                        found_place="", found_by="x" * 300, age_band="old")
    with translation.override("lo"), pytest.raises(ValidationError) as exc:
        services.identify(protector, PersonInput(names=[]), data)
    errors = exc.value.message_dict
    assert set(errors) >= {"home_country", "exploitation", "indicators", "found_on", "found_place", "found_by",
                           "age_band", "names"}
    assert any(any("\u0e80" <= ch <= "\u0eff" for ch in m) for m in errors["found_place"])
    assert not VictimCase.objects.exists()


def test_who_sees_the_case(kh_node, protector, kh_supervisor, la_protector, investigator, outsider, officer):
    case = identify(protector, consents=[consent("share_home")])
    assert services.view_case(protector, case.pk) == case
    assert services.view_case(kh_supervisor, case.pk) == case
    for user in (investigator, outsider, officer):
        with pytest.raises(Http404):
            services.view_case(user, case.pk)
    with pytest.raises(Http404):  # the investigator reads facts only with the victim's consent for that
        services.investigation_facts(investigator, case.pk)
    services.take_step(protector, case.pk, "consent", consent("investigation"))
    facts = services.investigation_facts(investigator, case.pk)
    assert facts["exploitation"] == "forced_criminality" and "Souk" not in str(facts) and "P0012345" not in str(facts)
    # the home country's victim-protection officer sees the case on their node's copy (tested between nodes);
    # here, a Lao officer is not of the finding unit's country and has no copy: the case is visible only by country
    assert services.view_case(la_protector, case.pk) == case


def test_victim_is_refused_as_a_wanted_notice_subject_and_in_custody(kh_node, protector, org):
    from borderlink.custody import services as custody
    from borderlink.persons.services import DocumentInput, NameInput, PersonInput
    from borderlink.victims.guard import refusal

    case = identify(protector)
    assert "trafficking victim" in refusal(case.person, "notice")
    with pytest.raises(ValidationError, match="trafficking victim"):
        custody.record_custody(
            _custody_officer(org), PersonInput(names=[NameInput("S. Phommavong")], documents=[
                DocumentInput("passport", "p 001-2345", "LA")]),
            custody.CustodyInput(nationality="LA", kind="arrest", detained_at=timezone.now(), place_held="Station",
                                 offence="fraud"))


def _custody_officer(org):
    from tests.conftest import make_user

    return make_user("kh.officer2", org.kh_unit, "officer")


def test_purge_after_review_is_audited(kh_node, protector):
    case = identify(protector)
    with pytest.raises(ValidationError):
        services.purge(protector, case.pk, "Reviewed")
    services.purge(protector, case.pk, "Reviewed: closed two years ago", today=case.review_on)
    assert not VictimCase.objects.exists()
    event = AuditEvent.objects.get(action="victims.case.purged")
    assert event.data["reference"] == case.reference and "Souk" not in str(event.data)


def test_a_victim_offered_as_a_wanted_notice_subject_is_refused(kh_node, protector, org):
    from borderlink.notices import services as notices
    from borderlink.notices.models import Notice, NoticeState
    from borderlink.persons.models import Person
    from borderlink.persons.services import DocumentInput, NameInput, PersonInput
    from tests.conftest import make_user

    identify(protector)
    author = make_user("kh.inv", org.kh_unit, "officer")
    boss = make_user("kh.boss", org.kh_unit, "officer", "supervisor", "victim_protection")  # others get 404
    wanted = notices.NoticeInput(kind="wanted_arrest", subject_id=None, summary="Scam caller", offence="fraud",
                                 review_date=datetime.date.today() + datetime.timedelta(days=200), warrant_number="W-1",
                                 issuing_authority="Court", warrant_date=datetime.date.today(), max_penalty_years=12)
    same_passport = PersonInput(names=[NameInput("Souk P.")], documents=[DocumentInput("passport", "P 001 2345", "LA")])
    persons = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        notices.create_notice_with_new_subject(author, same_passport, wanted)
    assert "trafficking victim" in " ".join(exc.value.message_dict["subject"])
    assert Person.objects.count() == persons and not Notice.objects.exists()

    # a person recorded before being identified as a victim: the draft exists, publication is refused
    notice = notices.create_notice_with_new_subject(author, PersonInput(names=[NameInput("Bounmy K.")]), wanted)
    notices.submit_notice(author, notice.pk)
    Person.objects.filter(pk=notice.subject_id).update(is_trafficking_victim=True)
    with pytest.raises(ValidationError, match="trafficking victim"):
        notices.approve_notice(boss, notice.pk)
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.DRAFT


def test_the_owners_purge_of_a_shared_case_tells_the_home_country(kh_node, protector):
    case = identify(protector, consents=[consent("share_home")])
    services.share(protector, case.pk)
    services.purge(protector, case.pk, "Reviewed", today=case.review_on)
    kind, payload = outbox()[-1]
    assert kind == "victim.purged" and payload == {"id": str(case.pk), "reason": "retention"}


def test_a_victim_never_becomes_a_hit_on_a_wanted_notice(org, django_capture_on_commit_callbacks):
    """Recording a victim whose name matches a wanted notice, or publishing a notice whose subject's name
    matches a recorded victim, raises no hit: nothing reaches the notice's owner."""
    from borderlink.notices.models import Hit
    from tests.notices.helpers import LAO_NAME, LAO_NAME_VI, person, published

    vn_officer = make_user("vn.o", org.vn_unit, "officer")
    vn_boss = make_user("vn.s", org.vn_unit, "officer", "supervisor")
    la_protector = make_user("la.p", org.la_unit, "victim_protection")
    with django_capture_on_commit_callbacks(execute=True):
        published(vn_officer, vn_boss, person(vn_officer, LAO_NAME_VI, birth_year=1985), shared_with=["LA"])
    with django_capture_on_commit_callbacks(execute=True):
        victim = services.identify(la_protector, PersonInput(names=[NameInput(LAO_NAME)], birth_year=1985, sex="M"),
                          services.IdentificationInput(
                              home_country="VN", exploitation="forced_labour", indicators=["wages_withheld"],
                              found_on=datetime.date.today(), found_place="Plantation", found_by="Police", age_band="adult"))
    with django_capture_on_commit_callbacks(execute=True):
        published(vn_officer, vn_boss, person(vn_officer, LAO_NAME_VI, birth_year=1985), shared_with=["LA"])
    assert not Hit.objects.filter(person=victim.person).exists()
