"""Operations between two real nodes (issue 11): key rotation without a phone call, audit
checkpoints witnessed by the peer (audit_verify --peers), and deletions that reach every copy."""

from __future__ import annotations

import datetime
import json
import sqlite3

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("operations"), ["VN", "LA"])
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def execute(node: Node, sql: str, *params) -> None:
    """Write to the node's database directly (as a person with database access would)."""
    if node.database_url:
        import psycopg

        with psycopg.connect(node.database_url, autocommit=True) as connection:
            connection.execute(sql.replace("?", "%s"), params)
        return
    connection = sqlite3.connect(node.data_dir / "borderlink.sqlite3", timeout=30)
    try:
        connection.execute(sql, params)
        connection.commit()
    finally:
        connection.close()


def key_of(node: Node) -> str:
    return json.loads(node.manage("node_card", "export"))["card"]["public_key"]


def send(node: Node, author: str, approver: str, to: str, subject: str) -> str:
    status, message = node.api(author, "POST", "/messages", {
        "recipients": [node.unit_id(to)], "subject": subject, "body": "Drill.", "priority": "routine"})
    assert status == 201, message
    assert node.api(approver, "POST", f"/messages/{message['id']}/approve", {})[0] == 200
    return message["id"]


def delivered(node: Node, message_id: str) -> bool:
    return node.query("SELECT state FROM federation_outboxenvelope WHERE object_id = ? AND kind = 'message.released'",
                      message_id)[:1] == [("delivered",)]


def test_key_rotation_reaches_the_peer_without_a_phone_call_and_checkpoints_stay_witnessed(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    old_key = key_of(vn)
    send(vn, "vn.officer", "vn.supervisor", "LA-SVK.PP", "Before the rotation")
    assert "checkpoint signed" in vn.manage("audit_checkpoint")  # signed with the old key

    out = vn.manage("node_keygen", "--rotate", "--grace-days", "2")
    assert "key rotated" in out
    new_key = key_of(vn)
    assert new_key != old_key
    wait_for(lambda: la.query("SELECT public_key, previous_public_key FROM federation_peer WHERE node_id = 'test-vn'")
             == [(new_key, old_key)], 60, "Laos to accept Viet Nam's new key")
    # both ways work with the new key: messages, and receipts signed by the rotated node
    after = send(vn, "vn.officer", "vn.supervisor", "LA-SVK.PP", "After the rotation")
    wait_for(lambda: delivered(vn, after), 60, "the message signed with the new key, receipted")
    back = send(la, "la.officer", "la.supervisor", "VN-QT.PP", "Answer after the rotation")
    wait_for(lambda: delivered(la, back), 60, "Laos's message receipted by Viet Nam's new key")
    assert vn.query("SELECT COUNT(*) FROM federation_quarantinedenvelope")[0][0] == 0
    assert la.query("SELECT COUNT(*) FROM federation_quarantinedenvelope")[0][0] == 0
    assert vn.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'federation.key.rotated'")[0][0] == 1
    assert la.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'federation.peer.key_rotated' "
                    "AND object_id = 'test-vn'")[0][0] == 1

    assert "checkpoint signed" in vn.manage("audit_checkpoint")  # signed with the new key
    wait_for(lambda: la.query("SELECT COUNT(*) FROM audit_witnessedcheckpoint WHERE peer_node = 'test-vn'")[0][0] >= 2,
             60, "Laos to witness both checkpoints")
    out = vn.manage("audit_verify", "--peers")
    assert "audit chain OK" in out and "test-la:" in out and "witnessed checkpoints match" in out

    # someone with database access on the Viet Nam node cuts its chain and moves the head back
    last = vn.query("SELECT MAX(seq) FROM audit_auditevent")[0][0]
    keep = last - 3
    head_hash = vn.query("SELECT hash FROM audit_auditevent WHERE seq = ?", keep)[0][0]
    execute(vn, "DELETE FROM audit_auditevent WHERE seq > ?", keep)
    execute(vn, "UPDATE audit_audithead SET last_seq = ?, last_hash = ? WHERE id = 1", keep, head_hash)
    # ... and, having the key, rewrites the checkpoint file too: the peer's witness still tells
    (vn.data_dir / "audit_checkpoints.jsonl").write_text("")
    with pytest.raises(RuntimeError, match=r"test-la witnessed: audit chain BROKEN .*checkpoint #\d+ .*no longer matches: the chain ends"):
        vn.manage("audit_verify", "--peers")


def publish_shared_notice(vn: Node, name: str) -> dict:
    review = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    status, notice = vn.api("vn.officer", "POST", "/notices", {
        "kind": "wanted_locate", "offence": "fraud", "summary": "Lừa đảo trực tuyến (diễn tập).", "review_date": review,
        "warrant_number": "T-9", "issuing_authority": "Test authority", "warrant_date": datetime.date.today().isoformat(),
        "shared_with": ["LA"], "subject": {"names": [{"name": name}]}})
    assert status == 201, notice
    vn.api("vn.officer", "POST", f"/notices/{notice['id']}/submit", {})
    status, published = vn.api("vn.supervisor", "POST", f"/notices/{notice['id']}/approve", {"justification": ""})
    assert status == 200 and published["state"] == "published", published
    return notice


def test_purge_by_the_owner_removes_every_copy_audited_on_both_sides(nodes):
    vn, la = nodes["VN"], nodes["LA"]
    notice = publish_shared_notice(vn, "Xổm-phết Vông-xa-kết")
    notice_id = notice["id"] if la.database_url else notice["id"].replace("-", "")
    subject_id = vn.query("SELECT subject_id FROM notices_notice WHERE id = ?", notice_id)[0][0]
    wait_for(lambda: la.query("SELECT COUNT(*) FROM notices_notice WHERE id = ?", notice_id)[0][0] == 1, 60,
             "the copy in Laos")
    assert la.query("SELECT COUNT(*) FROM persons_person WHERE id = ?", subject_id)[0][0] == 1
    vn.api("vn.officer", "POST", f"/notices/{notice['id']}/cancel", {"reason": "Warrant withdrawn."})
    wait_for(lambda: la.query("SELECT state FROM notices_notice WHERE id = ?", notice_id) == [("cancelled",)], 60,
             "the cancellation in Laos")
    execute(vn, "UPDATE notices_notice SET updated_at = ? WHERE id = ?",
            (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400)).isoformat(sep=" ") if not vn.database_url
            else datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400), notice_id)
    assert "purged 1 notices" in vn.manage("purge_notices", "--days", "365")
    wait_for(lambda: la.query("SELECT COUNT(*) FROM notices_notice WHERE id = ?", notice_id)[0][0] == 0, 60,
             "the copy in Laos to go")
    assert la.query("SELECT COUNT(*) FROM persons_person WHERE id = ?", subject_id)[0][0] == 0
    assert vn.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'notices.notice.purged' AND object_id = ?",
                    notice["id"])[0][0] == 1
    assert la.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'notices.notice.purged' AND object_id = ?",
                    notice["id"])[0][0] == 1
    assert la.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'persons.person.purged'")[0][0] == 1
