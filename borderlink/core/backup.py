"""Backing up and restoring a node: database, attachments, audit checkpoints; the node key apart.

A backup directory holds:

- ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or ``database.sqlite3``
  (SQLite, copied with SQLite's online backup API, so the node may keep running);
- ``attachments/``: the content-addressed files (``BORDERLINK_DATA_DIR/attachments``);
- ``audit_checkpoints.jsonl``: the signed checkpoint file, and ``node_key.pem.retired``
  (public keys the node rotated away from), when they exist;
- ``manifest.json``: node, time, database engine, the audit head at the backup, and
  the SHA-256 of every file, checked before anything is restored.

The node's private key is written only when a passphrase is given, encrypted with it
(PKCS#8, ``BestAvailableEncryption``), by default to a separate file the operator keeps
apart from the rest (``--key-to``).

Order matters: a checkpoint is signed, the checkpoint file copied, then the database
dumped, then the attachments copied. So every checkpoint in the backup covers events
the dump holds, and every file a dumped row names is in the backup.

Restoring (web server and worker stopped) checks the manifest, loads the database,
adds the attachments, puts the backup's checkpoint file in place (the current one is
kept aside), optionally the key, and asks every peer to deliver again what it
delivered since the backup (``federation.resend``): those envelopes are applied once
(the inbox applies an envelope id once).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_args(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres")]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=6 * 3600)  # noqa: S603 (our own tool and paths, no shell)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _copy_tree(source: Path, target: Path) -> int:
    count = 0
    if not source.exists():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.endswith(".part"):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not destination.exists():
                shutil.copy2(path, destination)
            count += 1
    return count


def write_encrypted_key(path: Path, passphrase: bytes) -> None:
    """The node's private key, encrypted with `passphrase` (PKCS#8 PEM), mode 0600."""
    from cryptography.hazmat.primitives import serialization

    from borderlink.federation.node import private_key

    if len(passphrase) < 12:
        raise BackupError("the key passphrase must be at least 12 characters")
    pem = private_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.BestAvailableEncryption(passphrase))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def backup(target: Path, passphrase: bytes | None = None, key_to: Path | None = None) -> dict[str, Any]:
    """Write a backup of this node to the empty or new directory `target`; return the manifest.

    Raises BackupError when `target` is not empty or a tool fails."""
    from borderlink.audit import checkpoints
    from borderlink.audit.models import AuditHead
    from borderlink.audit.services import record
    from borderlink.federation.node import has_key, retired_keys_file

    target = target.resolve()
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    created_at = datetime.datetime.now(datetime.UTC).isoformat()
    record(None, "core.backup.made", object_type="backup", object_id=target.name[:64], data={"created_at": created_at})
    checkpoints.sign()
    if settings.AUDIT_CHECKPOINT_FILE.exists():
        shutil.copy2(settings.AUDIT_CHECKPOINT_FILE, target / "audit_checkpoints.jsonl")
    if retired_keys_file().exists():
        shutil.copy2(retired_keys_file(), target / "node_key.pem.retired")
    head = AuditHead.objects.filter(pk=1).first()
    db = settings.DATABASES["default"]
    if _engine() == "postgresql":
        args, env = _pg_args(db)
        _run(["pg_dump", *args, "--format=custom", "--file", str(target / "database.dump"), str(db["NAME"])], env)
    else:
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(str(target / "database.sqlite3"))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    attachments = _copy_tree(Path(settings.ATTACHMENT_DIR), target / "attachments")
    if passphrase is not None and has_key():
        write_encrypted_key(key_to or target / "node_key.pem.enc", passphrase)
    files = {str(p.relative_to(target)): _sha256(p) for p in sorted(target.rglob("*"))
             if p.is_file() and p.name not in (MANIFEST, "node_key.pem.enc")}
    manifest = {
        "format": FORMAT, "node": settings.NODE_NAME, "created_at": created_at, "engine": _engine(),
        "audit_head": {"seq": head.last_seq if head else 0, "hash": head.last_hash if head else ""},
        "attachments": attachments, "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest, after checking every file it lists against its SHA-256."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable {MANIFEST} in {source}: {exc}") from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError("not a Borderlink backup of a known format")
    for name, digest in manifest["files"].items():
        path = (source / name).resolve()
        if source.resolve() not in path.parents or not path.is_file():
            raise BackupError(f"{name} is missing from the backup")
        if _sha256(path) != digest:
            raise BackupError(f"{name} does not match the manifest: the backup was changed or damaged")
    return manifest


def _restore_postgres(source: Path, db: dict[str, Any]) -> None:
    import psycopg
    from psycopg import sql

    args, env = _pg_args(db)
    connections.close_all()
    params: dict[str, Any] = {"host": db.get("HOST") or "localhost", "port": db.get("PORT") or 5432, "user": db.get("USER") or "postgres",
              "password": db.get("PASSWORD") or None, "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(db["NAME"]))))
    _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--dbname", str(db["NAME"]), str(source / "database.dump")], env)


def _restore_sqlite(source: Path, db: dict[str, Any]) -> None:
    connections.close_all()
    target = Path(str(db["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():  # a write-ahead log left by a lost database file must not be replayed into the new one
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    backup_copy = sqlite3.connect(f"file:{source / 'database.sqlite3'}?mode=ro", uri=True)
    live = sqlite3.connect(str(target))
    try:
        backup_copy.backup(live)
    finally:
        live.close()
        backup_copy.close()


def restore(source: Path, passphrase: bytes | None = None, key_from: Path | None = None) -> dict[str, Any]:
    """Restore this node from the backup in `source` (web server and worker stopped); return a summary.

    Raises BackupError when the backup is damaged, is another node's, or of another database engine."""
    from borderlink.federation.node import retired_keys_file

    source = source.resolve()
    manifest = read_manifest(source)
    if manifest.get("node") != settings.NODE_NAME:
        raise BackupError(f"the backup is of node {manifest.get('node')}, this node is {settings.NODE_NAME}")
    if manifest.get("engine") != _engine():
        raise BackupError(f"the backup holds a {manifest.get('engine')} database, this node uses {_engine()}")
    summary: dict[str, Any] = {"created_at": manifest["created_at"], "audit_head": manifest["audit_head"]}
    if key_from is not None or (passphrase is not None and (source / "node_key.pem.enc").exists()):
        summary["key"] = _restore_key(key_from or source / "node_key.pem.enc", passphrase)
    db = settings.DATABASES["default"]
    if _engine() == "postgresql":
        _restore_postgres(source, db)
    else:
        _restore_sqlite(source, db)
    summary["attachments"] = _copy_tree(source / "attachments", Path(settings.ATTACHMENT_DIR))
    checkpoint_file: Path = settings.AUDIT_CHECKPOINT_FILE
    if checkpoint_file.exists():
        aside = checkpoint_file.with_name(f"{checkpoint_file.name}.before-restore-{datetime.datetime.now():%Y%m%d%H%M%S}")
        os.replace(checkpoint_file, aside)
        summary["checkpoints_kept_aside"] = str(aside)
    if (source / "audit_checkpoints.jsonl").exists():
        checkpoint_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "audit_checkpoints.jsonl", checkpoint_file)
    if (source / "node_key.pem.retired").exists() and not retired_keys_file().exists():
        shutil.copy2(source / "node_key.pem.retired", retired_keys_file())
    summary["resend_asked"] = _after_restore(manifest)
    return summary


def _restore_key(path: Path, passphrase: bytes | None) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from borderlink.federation import crypto

    if passphrase is None:
        raise BackupError("the key passphrase is needed to restore the node key")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase)
    except (OSError, ValueError, TypeError) as exc:
        raise BackupError(f"cannot decrypt the node key ({type(exc).__name__}): wrong passphrase or damaged file") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BackupError("the backed-up key is not an Ed25519 key")
    fingerprint = crypto.fingerprint(crypto.public_bytes(key))
    target: Path = settings.NODE_KEY_FILE
    if target.exists():
        current = crypto.fingerprint(crypto.public_bytes(crypto.load_private_key(target)))
        if current != fingerprint:
            raise BackupError(f"{target} holds another key ({current}); move it away to restore {fingerprint}")
        return fingerprint
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return fingerprint


def _after_restore(manifest: dict[str, Any]) -> int:
    """Audit the restore and ask every peer to deliver again what it delivered since the backup."""
    from django.db import transaction

    from borderlink.audit.services import record
    from borderlink.federation.models import Peer
    from borderlink.federation.outbox import enqueue

    connections.close_all()
    peers = list(Peer.objects.filter(is_active=True))
    with transaction.atomic():
        record(None, "core.backup.restored", object_type="backup", data={
            "created_at": manifest["created_at"], "audit_head": manifest["audit_head"],
            "peers_asked": [p.node_id for p in peers]})
        for peer in peers:
            enqueue(peer.country_id, "federation.resend", manifest["created_at"][:32], {"since": manifest["created_at"]})
    return len(peers)


def check_attachments() -> list[str]:
    """Every stored file that a row names, checked against the row's SHA-256; returns the problems."""
    from django.apps import apps

    problems = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if not {"sha256", "storage_name"} <= names:
            continue
        for pk, digest, storage_name in model._default_manager.values_list("pk", "sha256", "storage_name").iterator():
            path = Path(settings.ATTACHMENT_DIR) / storage_name
            if not path.is_file():
                problems.append(f"{model._meta.label} {pk}: {storage_name} is missing")
            elif _sha256(path) != digest:
                problems.append(f"{model._meta.label} {pk}: {storage_name} does not match its hash")
    return problems
