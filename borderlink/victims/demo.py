"""Synthetic demo victims (invented persons): Lao nationals found in an online-scam compound in Cambodia.
One adult woman and one girl of 16 with her aunt as guardian are verified and returned through the Nong Nok
Khiene – Trapeang Kriel gate; a young man declines to return. The woman consents to share the exploitation
facts with investigators (the investigators' page shows them, without identity). `load` records them on the Cambodian node;
`advance` takes every step the node it runs on can take now, through the services (the verification
request's answer sets the case's next step by itself), so that on three nodes
the path unfolds as envelopes arrive (scripts/demo.sh runs it on Laos and Cambodia in turn), and on one node
serving every country it runs to the end at once."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.core.models import Unit
from borderlink.persons.services import DocumentInput, NameInput, PersonInput
from borderlink.victims import services
from borderlink.victims.models import CaseState, VictimCase

PLACE = "Online-scam compound, Sihanoukville (demo)"
GATE = ["LA", "Nong Nok Khiene", "KH"]
DEMO = [  # name, other script, sex, birth year, age band, consents to return, declines
    ("Keomany Sisavath", "ແກ້ວມະນີ ສີສະຫວາດ", "F", 2000, "adult", True),
    ("Noy Phetsamone", "ນ້ອຍ ເພັດສະໝອນ", "F", datetime.date.today().year - 16, "child", True),
    ("Somsak Vongphachanh", "ສົມສັກ ວົງພະຈັນ", "M", 1997, "adult", False),
]


def _consent(purpose: str, given: bool, on: datetime.date) -> dict[str, Any]:
    return {"purpose": purpose, "given": given, "on": on.isoformat(), "language": "Lao",
            "explained": "Explained in Lao by the social worker, with the IOM leaflet (demo)",
            "interpreter": "Ms Chanthala (demo interpreter)"}


def load(country: str | None) -> int:
    """Record the demo victims on the node of Cambodia (or a node serving every country); returns how many."""
    if country not in (None, "KH") or not User.objects.filter(username="kh.protection").exists():
        return 0
    if VictimCase.objects.filter(found_place=PLACE).exists():
        return 0
    officer = User.objects.get(username="kh.protection")
    found = timezone.localdate() - datetime.timedelta(days=20)
    with transaction.atomic():
        for name, local, sex, born, band, returns in DEMO:
            case = services.identify(officer, PersonInput(
                names=[NameInput(name), NameInput(local, "transcription")], sex=sex, birth_year=born,
                documents=[DocumentInput("national_id", f"LA-DEMO-{born}", "LA")]), services.IdentificationInput(
                home_country="LA", exploitation="forced_criminality", found_on=found, found_place=PLACE,
                indicators=["documents_withheld", "movement_restricted", "forced_online_fraud", "debt_bondage"]
                + (["child_under_18"] if band == "child" else []),
                found_by="Anti-human-trafficking police, Preah Sihanouk (demo)", age_band=band,
                consents=[_consent("share_home", True, found), _consent("assistance", True, found),
                          _consent("return", returns, found)]
                + ([_consent("investigation", True, found)] if sex == "F" and band == "adult" else [])))
            if band == "child":
                services.take_step(officer, case.pk, "safeguards", {
                    "guardian": "Mrs Bouavanh Phetsamone, aunt (demo)", "best_interests_on": found.isoformat(),
                    "best_interests": "Family traced in Champasak; the aunt can care for her; school place found (demo)."})
    advance()
    return len(DEMO)


def _request_for(kh_protection: Any, kh_supervisor: Any, case: VictimCase) -> Any:
    """The victim-protection officer writes the request for the case (the victim consented to share with the
    home country at identification), a supervisor of the unit approves it."""
    from borderlink.assistance import services as requests

    data = requests.RequestInput(
        kind="verify_victim_nationality", requested_unit_id=Unit.objects.get(code="LA-SVK.PP").pk,
        offence="trafficking_in_persons", subject=f"Demo: verify the nationality of victim {case.reference}",
        details="Demo data, invented case. Found in an online-scam compound; says she or he is from Savannakhet.",
        victim_case_id=case.pk)
    req = requests.create_request(kh_protection, data)
    requests.submit_request(kh_protection, req.pk)
    requests.approve_request(kh_supervisor, req.pk)
    return req


def _the(username: str) -> Any:
    return User.objects.filter(username=username).first()


def advance() -> int:
    """Take every demo step this node can take now; returns how many were taken (0: nothing to do)."""
    from borderlink.assistance import services as requests
    from borderlink.assistance.models import Request, RequestKind, RequestState

    taken = 0
    kh, la = _the("kh.protection"), _the("la.protection")
    for _round in range(10):
        before = taken
        la_boss = _the("la.supervisor")
        if la_boss is not None:
            for req in Request.objects.filter(kind=RequestKind.VERIFY_VICTIM_NATIONALITY, subject__startswith="Demo:",
                                              requested_unit__code="LA-SVK.PP",
                                              state__in=(RequestState.RECEIVED, RequestState.ACCEPTED)):
                if req.state == RequestState.RECEIVED:
                    requests.accept_request(la_boss, req.pk)
                requests.answer_request(la_boss, req.pk, requests.Answer(
                    text="Family register of Savannakhet checked (demo).",
                    results=[requests.ResultInput("nationality_confirmed")]))
                taken += 1
        for case in VictimCase.objects.filter(found_place=PLACE).order_by("created_at"):
            taken += _advance_case(case, kh, la)
        if taken == before:
            break
    return taken


def _advance_case(case: VictimCase, kh: Any, la: Any) -> int:
    when = timezone.now() + datetime.timedelta(days=2)
    declines = case.person.names.filter(name="Somsak Vongphachanh").exists()
    mine = kh is not None and not case.origin_node
    home = la is not None and (case.origin_node or (kh is not None and la.unit.country_id == case.home_country_id))
    if mine and case.state == CaseState.IDENTIFIED:
        services.share(kh, case.pk)
    elif mine and case.state == CaseState.SHARED and _the("kh.supervisor"):
        req = _request_for(kh, _the("kh.supervisor"), case)
        services.link_verification(kh, case.pk, req.pk)
    elif mine and case.state == CaseState.VERIFIED and declines:
        services.take_step(kh, case.pk, "closed", {"reason": "declined_return"},
                           "He wants to stay and work lawfully in Cambodia; assistance continues (demo).")
    elif mine and case.state == CaseState.VERIFIED:
        services.take_step(kh, case.pk, "return_planned", {
            "gate": GATE, "return_at": when.isoformat(), "escorts": "Two MoSVY social workers and a police officer (demo)",
            "receiving_unit": "Champasak provincial social welfare office (demo)", "met_by": "Mr Bounmy, social worker (demo)",
            "travel_document": True, "medical_certificate": True,
            "needs": ["psychological", "guardian"] if case.is_child else ["psychological", "medical"]})
    elif mine and case.state == CaseState.ACCEPTED:
        services.take_step(kh, case.pk, "handed_over", {"handed_over_by": "Ms Sreymom Keo, MoSVY (demo)"})
    elif home and case.state == CaseState.PLANNED:
        services.take_step(la, case.pk, "plan_accepted", text="We will meet her at the gate (demo).")
    elif home and case.state == CaseState.HANDED_OVER:
        services.take_step(la, case.pk, "received", {"received_by": "Ms Vanh Keomany (demo)"})
        services.take_step(la, case.pk, "reception", {"services": ["shelter", "medical", "family_tracing"]})
        services.take_step(la, case.pk, "follow_up", {"on": timezone.localdate().isoformat(),
                                                      "outcome": "Safe in the shelter; family contacted (demo)."})
    else:
        return 0
    return 1
