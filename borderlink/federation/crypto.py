"""Node keys, canonical JSON and Ed25519 signatures. No Django models here."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def canonical(data: Any) -> bytes:
    """The bytes that are signed: JSON with sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def generate_key_file(path: Path) -> Ed25519PrivateKey:
    """Write a new private key (PEM, mode 0600). Refuses to overwrite an existing key."""
    if path.exists():
        raise FileExistsError(f"{path} exists: a node keeps its key; remove it by hand to replace it")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


_cache: dict[tuple[str, int, int], Ed25519PrivateKey] = {}


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The key in `path`, cached until the file changes (a key rotation replaces it under running processes)."""
    stat = os.stat(path)
    cache_key = (str(path), stat.st_mtime_ns, stat.st_ino)
    key = _cache.get(cache_key)
    if key is None:
        loaded = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        key = _cache[cache_key] = loaded
    return key


def write_key_file(path: Path, key: Ed25519PrivateKey) -> None:
    """Write `key` to `path` (PEM, mode 0600), replacing it atomically."""
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def public_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_key: bytes) -> str:
    """SHA-256 of the raw public key, in groups of four hex digits, for reading aloud over the phone."""
    digest = hashlib.sha256(public_key).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign(key: Ed25519PrivateKey, body: dict[str, Any]) -> str:
    return b64(key.sign(canonical(body)))


def verify(public_key: bytes, body: dict[str, Any], signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(unb64(signature), canonical(body))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
