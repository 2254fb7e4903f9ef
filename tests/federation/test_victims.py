"""A trafficking victim's path between two real nodes: Lao nationals found in Cambodia. The case crosses
only with the victim's consent to share (nothing in the outbox otherwise), the nationality is verified through
the linked request, the return is planned by Cambodia and accepted by Laos, both sides record the handover at
the gate, Laos follows up; both nodes hold one timeline. Who sees what is checked on both sides."""

from __future__ import annotations

import datetime

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation

GATE = ["LA", "Nong Nok Khiene", "KH"]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("victim-nodes"), ["KH", "LA"])
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def consent(purpose: str, given: bool = True) -> dict:
    return {"purpose": purpose, "given": given, "on": datetime.date.today().isoformat(),
            "explained": "Explained in Lao with the leaflet", "language": "Lao", "interpreter": "Ms Vanh"}


def identify(kh: Node, name: str, consents: list[dict], age_band: str = "adult") -> str:
    status, case = kh.api("kh.protection", "POST", "/victims/cases", {
        "person": {"names": [{"name": name}], "sex": "F", "birth_year": 2001, "nationalities": ["LA"]},
        "home_country": "LA", "exploitation": "forced_criminality", "indicators": ["documents_withheld", "forced_online_fraud"],
        "found_on": datetime.date.today().isoformat(), "found_place": "Online-scam compound, Sihanoukville (test)",
        "found_by": "Anti-human-trafficking police, Preah Sihanouk", "age_band": age_band, "consents": consents})
    assert status == 201, case
    return case["id"]


def ok(node: Node, user: str, path: str, body: dict | None = None, method: str = "POST") -> dict:
    status, out = node.api(user, method, path, body if method != "GET" else None)
    assert status == 200, (path, status, out)
    return out


def case_on(node: Node, user: str, case_id: str) -> dict | None:
    status, out = node.api(user, "GET", f"/victims/cases/{case_id}")
    return out if status == 200 else None


def no_consent_to_share() -> str:
    """The refusal as kh.protection reads it (the API answers in the user's language: Khmer)."""
    from django.utils import translation

    with translation.override("km"):
        return translation.gettext(
            "The victim has not consented to share data with the home country: nothing was sent.")


def envelopes_about(node: Node, case_id: str) -> int:
    return node.query("SELECT count(*) FROM federation_outboxenvelope WHERE object_id = ? OR CAST(payload AS TEXT) LIKE ?",
                      case_id, f"%{case_id}%")[0][0]


def test_return_home_across_two_nodes(nodes):
    kh, la = nodes["KH"], nodes["LA"]
    cid = identify(kh, "Noy Sisouphan (test)", [consent("share_home"), consent("return"), consent("assistance")])
    ok(kh, "kh.protection", f"/victims/cases/{cid}/share")
    wait_for(lambda: case_on(la, "la.protection", cid), 30, "the case on the Lao node")

    # who sees it: the two countries' victim-protection officers; officers of either country get 404
    assert kh.api("kh.officer", "GET", f"/victims/cases/{cid}")[0] == 404
    assert la.api("la.officer", "GET", f"/victims/cases/{cid}")[0] == 404
    assert la.api("la.supervisor", "GET", f"/victims/cases/{cid}")[0] == 404
    assert kh.api("kh.supervisor", "GET", f"/victims/cases/{cid}")[0] == 200  # approves overrides
    # investigators: no consent to share with them here, and never on the home country's copy
    assert kh.api("kh.officer", "GET", f"/victims/cases/{cid}/facts")[0] == 404
    assert la.api("la.officer", "GET", f"/victims/cases/{cid}/facts")[0] == 404

    # the nationality verification: the existing request, written for the case (the victim consented to share with
    # the home country; an officer who may not see the case gets 404), linked to it; Laos answers
    body = {"kind": "verify_victim_nationality", "requested_unit_id": kh.unit_id("LA-SVK.PP"), "offence": "trafficking_in_persons",
            "subject": "Verify the nationality of a victim (test)", "details": "Says she is from Savannakhet, born 2001.",
            "victim_case_id": cid}
    assert kh.api("kh.officer", "POST", "/requests", body)[0] == 404
    status, req = kh.api("kh.protection", "POST", "/requests", body)
    assert status == 201, req
    ok(kh, "kh.protection", f"/requests/{req['id']}/submit", {})
    ok(kh, "kh.supervisor", f"/requests/{req['id']}/approve", {"justification": ""})
    ok(kh, "kh.protection", f"/victims/cases/{cid}/verification", {"request": req["id"]})
    wait_for(lambda: la.api("la.supervisor", "GET", f"/requests/{req['id']}")[0] == 200, 30, "the request in Laos")
    ok(la, "la.supervisor", f"/requests/{req['id']}/accept", {"text": ""})
    ok(la, "la.supervisor", f"/requests/{req['id']}/answer", {
        "text": "Family register of Savannakhet", "results": [{"kind": "nationality_confirmed"}]})
    # the answer sets the case's next step by itself on the Cambodian node (audited), and that step crosses
    wait_for(lambda: case_on(kh, "kh.protection", cid)["state"] == "verified", 30, "the answer in the case")
    wait_for(lambda: case_on(la, "la.protection", cid)["state"] == "verified", 30, "the verification in Laos")
    confirmed = [e for e in case_on(kh, "kh.protection", cid)["events"] if e["action"] == "nationality_confirmed"]
    assert len(confirmed) == 1 and confirmed[0]["data"]["request"] == req["id"]
    assert kh.query("SELECT count(*) FROM audit_auditevent WHERE action = ? AND object_id = ?",
                    "victims.case.nationality_confirmed", cid)[0][0] == 1

    # the return plan: Cambodia plans, Laos accepts; the handover recorded by both sides
    plan = {"gate": GATE, "return_at": (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)).isoformat(),
            "escorts": "Two social workers of MoSVY", "receiving_unit": "Champasak social welfare office",
            "met_by": "Mr Bounmy (social worker)", "travel_document": True, "medical_certificate": True,
            "needs": ["psychological"]}
    assert ok(kh, "kh.protection", f"/victims/cases/{cid}/steps/return_planned", {"data": plan})["state"] == "planned"
    wait_for(lambda: case_on(la, "la.protection", cid)["state"] == "planned", 30, "the plan in Laos")
    # the deadline of the step Laos owes, on both nodes alike
    on_kh, on_la = case_on(kh, "kh.protection", cid), case_on(la, "la.protection", cid)
    assert on_kh["owed_by"] == on_la["owed_by"] == "home" and on_kh["deadline"] == on_la["deadline"]
    assert not on_kh["overdue"]
    ok(la, "la.protection", f"/victims/cases/{cid}/steps/plan_accepted", {"text": "We will meet her at the gate"})
    wait_for(lambda: case_on(kh, "kh.protection", cid)["state"] == "accepted", 30, "the acceptance in Cambodia")
    ok(kh, "kh.protection", f"/victims/cases/{cid}/steps/handed_over", {"data": {"handed_over_by": "Ms Sreymom Keo"}})
    wait_for(lambda: case_on(la, "la.protection", cid)["state"] == "handed_over", 30, "the handover in Laos")
    ok(la, "la.protection", f"/victims/cases/{cid}/steps/received", {"data": {"received_by": "Ms Vanh Keomany"}})
    ok(la, "la.protection", f"/victims/cases/{cid}/steps/reception", {"data": {"services": ["shelter", "medical"]}})
    ok(la, "la.protection", f"/victims/cases/{cid}/steps/follow_up",
       {"data": {"on": datetime.date.today().isoformat(), "outcome": "Back with her family, vocational training"}})
    # a step of the other side's is refused
    assert kh.api("kh.protection", "POST", f"/victims/cases/{cid}/steps/follow_up", {"data": {}})[0] == 404
    wait_for(lambda: case_on(kh, "kh.protection", cid)["state"] == "returned"
             and "follow_up" in [e["action"] for e in case_on(kh, "kh.protection", cid)["events"]], 30, "follow-up in Cambodia")
    on_kh = [(e["id"], e["action"]) for e in case_on(kh, "kh.protection", cid)["events"]]
    on_la = [(e["id"], e["action"]) for e in case_on(la, "la.protection", cid)["events"]]
    assert on_kh == on_la
    for node in (kh, la):
        assert node.query("SELECT count(*) FROM federation_quarantinedenvelope")[0][0] == 0


def test_consent_refused_nothing_is_sent_and_a_declined_return_closes(nodes):
    kh, la = nodes["KH"], nodes["LA"]
    refused = identify(kh, "Kham Vilay (test)", [consent("share_home", given=False)])
    status, body = kh.api("kh.protection", "POST", f"/victims/cases/{refused}/share")
    assert status == 400 and body["detail"] == no_consent_to_share(), body
    assert envelopes_about(kh, refused) == 0
    assert la.query("SELECT count(*) FROM victims_victimcase WHERE id = ?", refused.replace("-", ""))[0][0] == 0

    declines = identify(kh, "Dao Phimmasone (test)", [consent("share_home"), consent("return", given=False)])
    ok(kh, "kh.protection", f"/victims/cases/{declines}/share")
    wait_for(lambda: case_on(la, "la.protection", declines), 30, "the second case in Laos")
    # she withdraws her consent to share: only that news crosses; the closing is refused, nothing sent
    ok(kh, "kh.protection", f"/victims/cases/{declines}/steps/consent", {"data": consent("share_home", given=False)})
    before = envelopes_about(kh, declines)
    status, body = kh.api("kh.protection", "POST", f"/victims/cases/{declines}/steps/closed",
                          {"data": {"reason": "declined_return"}})
    assert status == 400 and body["detail"] == no_consent_to_share(), body
    assert envelopes_about(kh, declines) == before
    # she agrees again that Laos may be told; the case closes on both nodes
    ok(kh, "kh.protection", f"/victims/cases/{declines}/steps/consent", {"data": consent("share_home")})
    ok(kh, "kh.protection", f"/victims/cases/{declines}/steps/closed", {"data": {"reason": "declined_return"}})
    wait_for(lambda: case_on(la, "la.protection", declines)["state"] == "closed", 30, "the closing in Laos")
    assert case_on(la, "la.protection", declines)["closure"] == "declined_return"



def test_demo_victims_unfold_across_the_two_nodes(nodes):
    """The demo's path (victims/demo.py) on one node per ministry: each node takes the steps it can as the
    other's envelopes arrive, as scripts/demo.sh runs it."""
    kh, la = nodes["KH"], nodes["LA"]
    assert kh.manage("shell", "-c", "from borderlink.victims import demo; print(demo.load('KH'))").strip().splitlines()[-1] == "3"

    def states() -> list[str]:
        for node in (la, kh):
            node.manage("demo_victims")
        return sorted(r[0] for r in la.query("SELECT state FROM victims_victimcase WHERE found_place LIKE '%(demo)'"))

    wait_for(lambda: states() == ["closed", "returned", "returned"], 600, "the demo victims returned in Laos")
    closures = sorted(r[0] for r in kh.query("SELECT closure FROM victims_victimcase WHERE found_place LIKE '%(demo)'"))
    assert closures == ["", "", "declined_return"]
