"""Border passes checked at a gate, and shared border incidents, between two real nodes (Viet Nam and Laos).

The Lao node issues passes; an officer of Quảng Trị checks them at Lao Bảo and gets the Lao node's signed
answer. Expiry is reached by moving the Lao node's deadline clock (BORDERLINK_CLOCK_FILE), never by sleeping."""

from __future__ import annotations

import base64
import datetime
import struct
import zlib
from pathlib import Path

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation


def png() -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x00\x00\x80\xff" * 1
    image = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
             + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return base64.b64encode(image).decode("ascii")


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    base = tmp_path_factory.mktemp("border-nodes")
    clocks = {c: base / f"clock-{c.lower()}" for c in ("VN", "LA")}
    for path in clocks.values():
        path.write_text("0")
    started = start_nodes(base, ["VN", "LA"], extra_env={c: {"BORDERLINK_CLOCK_FILE": str(p)} for c, p in clocks.items()})
    by_country = {n.country: n for n in started}
    for country, node in by_country.items():
        node.clock = clocks[country]  # type: ignore[attr-defined]
    yield by_country
    for node in started:
        node.stop()
    drop_databases(started)


def gate_id(node: Node, name: str) -> int:
    return node.query("SELECT id FROM core_bordergate WHERE side_a_name = ?", name)[0][0]


def audit_count(node: Node, action: str) -> int:
    return node.query("SELECT count(*) FROM audit_auditevent WHERE action = ?", action)[0][0]


def issue(la: Node, number: str, days: int = 2) -> dict:
    today = datetime.date.today()
    status, body = la.api("la.officer", "POST", "/border/passes", {
        "number": number, "valid_from": (today - datetime.timedelta(days=30)).isoformat(),
        "valid_to": (today + datetime.timedelta(days=days)).isoformat(), "area": "Xepon and Sepon districts",
        "gate_ids": [gate_id(la, "Lao Bảo")],
        "holder": {"names": [{"name": "ສົມພອນ ແກ້ວດາລາ"}], "photos": [{"filename": "holder.png", "content_base64": png()}]}})
    assert status == 201, body
    return body


def check(vn: Node, number: str, gate: str = "Lao Bảo") -> dict:
    status, body = vn.api("vn.officer", "GET", f"/border/passes/check?number={number}&country=LA&gate={gate_id(vn, gate)}")
    assert status == 200, body
    return body


def test_a_pass_check_is_answered_valid_expired_revoked_and_unknown(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    Path(la.clock).write_text("0")  # type: ignore[attr-defined]
    issue(la, "SVK-B-001")
    revoked = issue(la, "SVK-B-002")
    status, _body = la.api("la.supervisor", "POST", f"/border/passes/{revoked['id']}/revoke", {"reason": "Reported stolen."})
    assert status == 200

    valid = check(vn, "svk-b-001")
    assert valid["status"] == "valid" and valid["holder_name"] == "ສົມພອນ ແກ້ວດາລາ" and valid["responder"] == "test-la"
    assert valid["photo"]["content_type"] == "image/png" and base64.b64decode(valid["photo"]["content_base64"]).startswith(b"\x89PNG")
    assert check(vn, "SVK-B-002") == {"status": "revoked", "responder": "test-la"}
    assert check(vn, "SVK-B-404") == {"status": "unknown", "responder": "test-la"}
    assert check(vn, "SVK-B-001", gate="La Lay") == {"status": "wrong_gate", "responder": "test-la"}
    Path(la.clock).write_text(str(5 * 86400))  # type: ignore[attr-defined]  # the Lao node is five days on
    try:
        assert check(vn, "SVK-B-001") == {"status": "expired", "responder": "test-la"}
    finally:
        Path(la.clock).write_text("0")  # type: ignore[attr-defined]

    # audited on both nodes; nothing about the holder is stored on the asking node
    assert audit_count(vn, "border.pass.checked") == 5
    assert audit_count(la, "border.pass.check_answered") == 5
    assert vn.query("SELECT count(*) FROM border_borderpass")[0][0] == 0
    assert not vn.query("SELECT count(*) FROM persons_personname WHERE name = ?", "ສົມພອນ ແກ້ວດາລາ")[0][0]


def test_bad_checks_are_field_errors_and_unsigned_queries_are_refused(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    status, body = vn.api("vn.officer", "GET", f"/border/passes/check?number=X1&country=LA&gate={gate_id(vn, 'Mộc Bài')}")
    assert status == 400 and "gate" in body["errors"]
    import json
    import urllib.error
    import urllib.request

    forged = {"query": {"id": "1", "sender": "test-vn", "recipient": "test-la", "asking_country": "VN", "number": "SVK-B-001",
                        "gate": {"side_a_country": "VN", "side_a_name": "Lao Bảo", "side_b_country": "LA"},
                        "sent_at": datetime.datetime.now(datetime.UTC).isoformat()}, "signature": "AAAA"}
    request = urllib.request.Request(f"{la.url}/federation/v1/pass-check", data=json.dumps(forged).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_shared_incidents_cross_with_their_safeguards(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    pair = "VN-QT25/LA-SV"
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    # Viet Nam's side: an asylum seeker cannot be returned to Laos; the incident goes to protection
    status, vn_item = vn.api("vn.officer", "POST", "/border/incidents", {
        "pair": pair, "kind": "illegal_crossing", "occurred_at": now.isoformat(), "gate_id": gate_id(vn, "Lao Bảo"),
        "persons_count": 1, "asylum_sought": True, "outcome": "returned", "share": True,
        "description": "One adult crossed without papers and asked for protection."})
    assert status == 201 and vn_item["outcome"] == "referred_protection" and vn_item["refused_outcome"] == "returned"
    status, approved = vn.api("vn.supervisor", "POST", f"/border/incidents/{vn_item['id']}/approve", {})
    assert status == 200 and approved["sharing"] == "shared"
    # Laos's side: a child flags the incident to victim protection, on both nodes
    status, la_item = la.api("la.officer", "POST", "/border/incidents", {
        "pair": pair, "kind": "unauthorised_migration", "occurred_at": now.isoformat(), "gate_id": gate_id(la, "Lao Bảo"),
        "persons_count": 3, "children_count": 1, "share": True, "description": "A family of three crossed on foot."})
    assert status == 201 and la_item["child_flagged"]
    status, _ = la.api("la.supervisor", "POST", f"/border/incidents/{la_item['id']}/approve", {})
    assert status == 200

    wait_for(lambda: la.query("SELECT count(*) FROM border_borderincident WHERE origin_node = 'test-vn'")[0][0] == 1, 30,
             "the Vietnamese incident on the Lao node")
    wait_for(lambda: vn.query("SELECT count(*) FROM border_borderincident WHERE origin_node = 'test-la'")[0][0] == 1, 30,
             "the Lao incident on the Vietnamese node")
    status, copy = la.api("la.officer", "GET", f"/border/incidents/{vn_item['id']}")
    assert status == 200 and copy["outcome"] == "referred_protection" and copy["received_from"] == "test-vn"
    assert copy["protection_referred"] and "person_ids" not in copy
    status, copy = vn.api("vn.officer", "GET", f"/border/incidents/{la_item['id']}")
    assert status == 200 and copy["child_flagged"] and copy["children_count"] == 1
    # the copy is read-only: the receiving side cannot settle it
    status, _ = vn.api("vn.officer", "POST", f"/border/incidents/{la_item['id']}/settle", {"outcome": "released"})
    assert status == 404
