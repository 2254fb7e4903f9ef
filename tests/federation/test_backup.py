"""Backup and restore of a real node (issue 11, operations): back up while running, destroy, restore;
then the audit chain verifies, every attachment matches its hash, and federation resumes: what the
peer delivered after the backup is delivered again and applied once."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import uuid

import pytest

from .harness import Node, drop_databases, start_nodes, wait_for

pytestmark = pytest.mark.federation

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    started = start_nodes(tmp_path_factory.mktemp("backup"), ["VN", "LA"])
    yield {n.country: n for n in started}
    for node in started:
        node.stop()
    drop_databases(started)


def send(node: Node, author: str, approver: str, to: str, subject: str, attachment: bytes | None = None) -> str:
    body = {"recipients": [node.unit_id(to)], "subject": subject, "body": "Backup drill.", "priority": "routine"}
    if attachment is not None:
        body["attachments"] = [{"filename": "note.txt", "content_base64": base64.b64encode(attachment).decode()}]
    status, message = node.api(author, "POST", "/messages", body)
    assert status == 201, message
    status, approved = node.api(approver, "POST", f"/messages/{message['id']}/approve", {})
    assert status == 200, approved
    return message["id"]


def hex_id(node: Node, value: str) -> str:
    return value if node.database_url else value.replace("-", "")


def destroy(node: Node) -> None:
    """Lose everything on the node's disk: database, attachments, checkpoints, key."""
    node.stop()
    if node.database_url:
        import psycopg

        admin = node.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{node.database_url.rsplit("/", 1)[1]}" WITH (FORCE)')
    for name in ("borderlink.sqlite3", "borderlink.sqlite3-wal", "borderlink.sqlite3-shm", "audit_checkpoints.jsonl",
                 "node_key.pem"):
        (node.data_dir / name).unlink(missing_ok=True)
    shutil.rmtree(node.data_dir / "attachments", ignore_errors=True)


def test_backup_destroy_restore_and_federation_resumes(nodes, tmp_path):
    vn, la = nodes["VN"], nodes["LA"]
    content = "Biên bản sao lưu — ບົດບັນທຶກ".encode()
    before_id = send(vn, "vn.officer", "vn.supervisor", "LA-SVK.PP", "Before the backup", content)
    wait_for(lambda: la.query("SELECT COUNT(*) FROM exchange_message WHERE id = ?", hex_id(la, before_id))[0][0], 60,
             "the first message in Laos")
    vn.manage("audit_checkpoint")
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text(PASSPHRASE)
    backup_dir, key_file = tmp_path / "backup", tmp_path / "vault" / "node_key.pem.enc"
    out = vn.manage("backup", str(backup_dir), "--passphrase-file", str(passphrase_file), "--key-to", str(key_file))
    assert "backup written" in out and key_file.exists() and b"ENCRYPTED" in key_file.read_bytes()
    assert os.stat(key_file).st_mode & 0o077 == 0

    after_id = send(la, "la.officer", "la.supervisor", "VN-QT.PP", "After the backup")
    wait_for(lambda: la.query("SELECT state FROM federation_outboxenvelope WHERE object_id = ? AND kind = 'message.released'",
                              after_id)[:1] == [("delivered",)], 60, "Laos to see its message delivered to Viet Nam")
    envelope_id = la.query("SELECT id FROM federation_outboxenvelope WHERE object_id = ? AND kind = 'message.released'",
                           after_id)[0][0]

    destroy(vn)
    out = vn.manage("restore", str(backup_dir), "--passphrase-file", str(passphrase_file), "--key-from", str(key_file))
    assert "every attachment matches its hash" in out and "1 peers asked to deliver again" in out
    assert "audit chain OK" in vn.manage("audit_verify")
    assert vn.query("SELECT COUNT(*) FROM exchange_message WHERE id = ?", hex_id(vn, after_id))[0][0] == 0  # lost, for now

    vn.start_web()
    vn.start_worker()
    wait_for(lambda: vn.query("SELECT COUNT(*) FROM exchange_message WHERE id = ?", hex_id(vn, after_id))[0][0], 90,
             "the message delivered after the backup to be delivered again")
    wait_for(lambda: la.query("SELECT COUNT(*) FROM federation_outboxenvelope WHERE state != 'delivered'")[0][0] == 0, 60,
             "Laos to finish delivering again")
    assert la.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'federation.resend.applied'")[0][0] == 1
    applied = vn.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'federation.envelope.applied' AND object_id = ?",
                       str(uuid.UUID(str(envelope_id))))
    assert applied == [(1,)]  # applied once on the restored node
    assert vn.query("SELECT COUNT(*) FROM federation_inboxenvelope")[0][0] == len(
        {r[0] for r in vn.query("SELECT id FROM federation_inboxenvelope")})
    # the attachment written before the backup is there, with its hash
    stored = vn.query("SELECT sha256, storage_name FROM exchange_attachment")
    assert stored and all(hashlib.sha256((vn.data_dir / "attachments" / name).read_bytes()).hexdigest() == digest
                          for digest, name in stored)
    assert hashlib.sha256(content).hexdigest() in {digest for digest, _name in stored}
    assert "audit chain OK" in vn.manage("audit_verify")
    assert vn.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'core.backup.restored'")[0][0] == 1
