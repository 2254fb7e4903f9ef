"""Joint cases between two and three real nodes: nothing of a case reaches a country before its unit accepts;
shared items cross, private ones never leave their node (no envelope, no copy, no count, no graph edge);
a declined invitation gets nothing; every step of the case reaches each participant; tasks cross both ways."""

from __future__ import annotations

import datetime
import json

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation

PRIVATE_PHONE, SHARED_PHONE = "+84912000111", "+85512000222"
PRIVATE_ACCOUNT = "KHPRIVATE0099"
WALLET = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"


def call(node: Node, user: str, method: str, path: str, body=None, expect=200):
    status, answer = node.api(user, method, path, body)
    assert status == expect, (status, answer)
    return answer


def start_case(vn: Node, invite: list[str]) -> str:
    case = call(vn, "vn.officer", "POST", "/cases", {"title": "Bavet online fraud ring (test)", "offence": "fraud",
                                                     "legal_basis": "VN–KH cooperation plan 2026", "handling_code": "H2",
                                                     "units": [vn.unit_id(u) for u in invite], "message": "Join the case"},
                expect=201)
    cid = case["id"]
    call(vn, "vn.officer", "POST", f"/cases/{cid}/entities", {"kind": "phone", "value": SHARED_PHONE, "shared": True}, expect=201)
    call(vn, "vn.officer", "POST", f"/cases/{cid}/entities", {"kind": "phone", "value": PRIVATE_PHONE}, expect=201)
    call(vn, "vn.officer", "POST", f"/cases/{cid}/steps/proposed", {})
    call(vn, "vn.supervisor", "POST", f"/cases/{cid}/steps/approved", {})
    return cid


def invitation(node: Node, user: str, cid_reference: str) -> str:
    def found():
        return [i for i in call(node, user, "GET", "/cases")["invitations"] if i["reference"] == cid_reference]

    return wait_for(found, 60, f"the invitation on {node.name}")[0]["id"]


def outbox_holds(node: Node, text: str) -> int:
    return sum(text in json.dumps(row[0]) if not isinstance(row[0], str) else text in row[0]
               for row in node.query("SELECT payload FROM federation_outboxenvelope"))


def never_left(vn: Node, others: list[Node], value: str) -> None:
    assert outbox_holds(vn, value) == 0
    for node in others:
        assert node.query("SELECT count(*) FROM cases_entity WHERE value = ?", value)[0][0] == 0
        assert node.query("SELECT count(*) FROM cases_identifiervalue WHERE value = ?", value)[0][0] == 0


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("case-nodes-2"), ["VN", "KH"])
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def test_two_nodes_share_and_keep_private(two):
    vn, kh = two["VN"], two["KH"]
    cid = start_case(vn, ["KH-SVR.PP"])
    reference = call(vn, "vn.officer", "GET", f"/cases/{cid}")["reference"]
    inv = invitation(kh, "kh.officer", reference)
    # nothing of the case before the unit accepts: the invitation only
    assert kh.query("SELECT count(*) FROM cases_case")[0][0] == 0
    assert kh.query("SELECT count(*) FROM cases_entity")[0][0] == 0
    assert kh.api("kh.officer", "GET", f"/cases/{cid}")[0] == 404
    call(kh, "kh.officer", "POST", f"/cases/invitations/{inv}", {"accept": True, "text": ""})
    wait_for(lambda: kh.api("kh.officer", "GET", f"/cases/{cid}")[0] == 200, 60, "the case on the Cambodian node")
    seen = call(kh, "kh.officer", "GET", f"/cases/{cid}")
    assert seen["state"] == "open" and [e["value"] for e in seen["entities"]] == [SHARED_PHONE]
    assert call(vn, "vn.officer", "GET", f"/cases/{cid}")["state"] == "open"

    # Cambodia writes: a shared wallet and a private account; Viet Nam sees only the wallet
    call(kh, "kh.officer", "POST", f"/cases/{cid}/entities",
         {"kind": "wallet", "qualifier": "ethereum", "value": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "shared": True}, expect=201)
    call(kh, "kh.officer", "POST", f"/cases/{cid}/entities", {"kind": "account", "qualifier": "ABA", "value": PRIVATE_ACCOUNT},
         expect=201)
    wait_for(lambda: WALLET in [e["value"] for e in call(vn, "vn.officer", "GET", f"/cases/{cid}")["entities"]], 60,
             "Cambodia's wallet on the Viet Nam node")
    on_vn = call(vn, "vn.officer", "GET", f"/cases/{cid}")
    assert PRIVATE_ACCOUNT not in [e["value"] for e in on_vn["entities"]]
    wallet = next(e for e in on_vn["entities"] if e["value"] == WALLET)
    phone = next(e for e in on_vn["entities"] if e["value"] == SHARED_PHONE)
    call(vn, "vn.officer", "POST", f"/cases/{cid}/links", {"kind": "owns", "source": phone["id"], "target": wallet["id"],
                                                            "information_source": "Exchange reply", "shared": True}, expect=201)
    wait_for(lambda: len(call(kh, "kh.officer", "GET", f"/cases/{cid}")["links"]) == 1, 60, "the link on the Cambodian node")

    # a private item never in an envelope, a copy, a count or a graph
    never_left(vn, [kh], PRIVATE_PHONE)
    never_left(kh, [vn], PRIVATE_ACCOUNT)
    graph = kh.api("kh.officer", "GET", f"/cases/{cid}/graph.json")
    assert graph[0] == 200 and PRIVATE_PHONE not in json.dumps(graph[1]) and len(graph[1]["nodes"]) == 3  # phone, wallet, KH account
    assert PRIVATE_ACCOUNT not in json.dumps(vn.api("vn.officer", "GET", f"/cases/{cid}/graph.json")[1])

    # a task crosses, is done on the other side, and its step comes back
    due = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)).isoformat()
    task = call(vn, "vn.officer", "POST", f"/cases/{cid}/tasks", {"assigned_unit": vn.unit_id("KH-SVR.PP"),
                                                                  "title": "Who rents the SIM cards?", "deadline": due}, expect=201)
    wait_for(lambda: call(kh, "kh.officer", "GET", f"/cases/{cid}")["tasks"], 60, "the task on the Cambodian node")
    call(kh, "kh.officer", "POST", f"/cases/tasks/{task['id']}/done", {"text": "A shop in Bavet"})
    wait_for(lambda: call(vn, "vn.officer", "GET", f"/cases/{cid}")["tasks"][0]["state"] == "done", 60, "the task done on VN")

    # hit/no-hit for identifiers: Cambodia asks Viet Nam's node; a private phone is never a hit
    asked = call(kh, "kh.officer", "GET", f"/cases/identifiers/peers?kind=phone&value={SHARED_PHONE.replace('+', '%2B')}")
    assert [(p["status"], [h["reference"] for h in p["hits"]]) for p in asked["peers"]] == [("ok", [reference])]
    private = call(kh, "kh.officer", "GET", f"/cases/identifiers/peers?kind=phone&value={PRIVATE_PHONE.replace('+', '%2B')}")
    assert private["peers"][0]["status"] == "ok" and private["peers"][0]["hits"] == []
    assert kh.api("kh.officer", "GET", "/cases/identifiers/peers?kind=wallet&chain=bitcoin&value=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3")[0] == 400
    drafted = call(kh, "kh.officer", "POST", "/cases/identifiers/draft-request", {"lead_unit": "VN-QT.PP", "kind": "phone",
                                                                                 "value": SHARED_PHONE, "reference": reference}, expect=201)
    assert drafted["state"] == "draft"
    assert vn.query("SELECT count(*) FROM audit_auditevent WHERE action = 'federation.search.answered'")[0][0] == 2

    # every step of the case reaches the participant: one timeline
    call(vn, "vn.officer", "POST", f"/cases/{cid}/steps/suspended", {"text": "Waiting for the bank"})
    wait_for(lambda: call(kh, "kh.officer", "GET", f"/cases/{cid}")["state"] == "suspended", 60, "the suspension on KH")
    call(vn, "vn.officer", "POST", f"/cases/{cid}/steps/resumed", {})
    call(vn, "vn.officer", "POST", f"/cases/{cid}/steps/closed", {"outcome": "arrests", "text": "Four arrested"})
    wait_for(lambda: call(kh, "kh.officer", "GET", f"/cases/{cid}")["outcome"] == "arrests", 60, "the closing on KH")
    shared_steps = ["opened", "suspended", "resumed", "closed"]
    assert [e["action"] for e in call(kh, "kh.officer", "GET", f"/cases/{cid}")["events"]] == shared_steps
    assert [e["action"] for e in call(vn, "vn.officer", "GET", f"/cases/{cid}")["events"] if e["action"] in shared_steps] == shared_steps
    for node in (vn, kh):
        assert node.query("SELECT count(*) FROM federation_quarantinedenvelope")[0][0] == 0


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("case-nodes-3"), ["VN", "LA", "KH"])
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def test_three_nodes_a_declined_invitation_gets_nothing(three):
    vn, la, kh = three["VN"], three["LA"], three["KH"]
    cid = start_case(vn, ["LA-SVK.PP", "KH-SVR.PP"])
    reference = call(vn, "vn.officer", "GET", f"/cases/{cid}")["reference"]
    la_inv, kh_inv = invitation(la, "la.officer", reference), invitation(kh, "kh.officer", reference)
    assert la.api("la.officer", "POST", f"/cases/invitations/{la_inv}", {"accept": False, "text": ""})[0] == 400
    call(la, "la.officer", "POST", f"/cases/invitations/{la_inv}", {"accept": False, "text": "No unit free this month"})
    call(kh, "kh.officer", "POST", f"/cases/invitations/{kh_inv}", {"accept": True, "text": ""})
    wait_for(lambda: kh.api("kh.officer", "GET", f"/cases/{cid}")[0] == 200, 60, "the case on KH")
    wait_for(lambda: {p["unit"]: p["state"] for p in call(vn, "vn.officer", "GET", f"/cases/{cid}")["participants"]}
             .get("LA-SVK.PP") == "declined", 60, "Laos's decline on VN")
    call(kh, "kh.officer", "POST", f"/cases/{cid}/entities", {"kind": "vehicle", "qualifier": "KH", "value": "2A-7777", "shared": True},
         expect=201)
    wait_for(lambda: "2A7777" in [e["value"] for e in call(vn, "vn.officer", "GET", f"/cases/{cid}")["entities"]], 60,
             "Cambodia's vehicle on VN")
    # Laos declined: nothing of the case, from either node
    assert la.query("SELECT count(*) FROM cases_case")[0][0] == 0
    assert la.query("SELECT count(*) FROM cases_entity")[0][0] == 0
    assert la.api("la.officer", "GET", f"/cases/{cid}")[0] == 404
    never_left(vn, [la, kh], PRIVATE_PHONE)
    # Laos takes no part: Viet Nam's node answers no hit for the case's shared phone
    asked = call(la, "la.officer", "GET", f"/cases/identifiers/peers?kind=phone&value={SHARED_PHONE.replace('+', '%2B')}")
    assert {p["country"]: p["hits"] for p in asked["peers"]}["VN"] == []
    assert all(row[0] != "case.opened" for row in vn.query(
        "SELECT o.kind FROM federation_outboxenvelope o JOIN federation_peer p ON p.id = o.peer_id WHERE p.country_id = 'LA'"))


def test_three_nodes_a_unit_invited_after_the_approval_joins(three):
    """The lead invites Laos once Cambodia has joined; another supervisor sends it; the invitation crosses alone
    (re-validated on the Lao node), and once Laos accepts the case and both countries' shared items reach it."""
    vn, la, kh = three["VN"], three["LA"], three["KH"]
    cid = start_case(vn, ["KH-SVR.PP"])
    reference = call(vn, "vn.officer", "GET", f"/cases/{cid}")["reference"]
    call(kh, "kh.officer", "POST", f"/cases/invitations/{invitation(kh, 'kh.officer', reference)}", {"accept": True, "text": ""})
    wait_for(lambda: kh.api("kh.officer", "GET", f"/cases/{cid}")[0] == 200, 60, "the case on KH")
    call(kh, "kh.officer", "POST", f"/cases/{cid}/entities", {"kind": "vehicle", "qualifier": "KH", "value": "2A-8888", "shared": True},
         expect=201)
    wait_for(lambda: "2A8888" in [e["value"] for e in call(vn, "vn.officer", "GET", f"/cases/{cid}")["entities"]], 60,
             "Cambodia's vehicle on VN")
    added = call(vn, "vn.officer", "POST", f"/cases/{cid}/invitations", {"units": [vn.unit_id("LA-SVK.PP")], "message": "Join too"},
                 expect=201)
    assert [p["state"] for p in added] == ["invited"]
    assert vn.api("vn.officer", "POST", f"/cases/{cid}/invitations/send")[0] == 404  # an officer, not a supervisor
    call(vn, "vn.supervisor", "POST", f"/cases/{cid}/invitations/send")
    la_inv = invitation(la, "la.officer", reference)
    assert la.query("SELECT count(*) FROM cases_case")[0][0] == 0  # the invitation only
    call(la, "la.officer", "POST", f"/cases/invitations/{la_inv}", {"accept": True, "text": ""})
    wait_for(lambda: la.api("la.officer", "GET", f"/cases/{cid}")[0] == 200, 60, "the case on LA")
    wait_for(lambda: {SHARED_PHONE, "2A8888"} <= {e["value"] for e in call(la, "la.officer", "GET", f"/cases/{cid}")["entities"]},
             60, "both countries' shared items on LA")
    never_left(vn, [la, kh], PRIVATE_PHONE)
    for node in (vn, la, kh):
        assert node.query("SELECT count(*) FROM federation_quarantinedenvelope")[0][0] == 0
