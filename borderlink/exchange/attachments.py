"""Checking attachments by their content and storing them outside the web root.

Files are stored by the SHA-256 of their content under ATTACHMENT_DIR, which
is never served directly: a download goes through an access check.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Detected kind -> (content type, accepted file-name endings)
ALLOWED_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpg": ("image/jpeg", (".jpg", ".jpeg")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    "txt": ("text/plain", (".txt",)),
    "csv": ("text/csv", (".csv",)),
}
ALLOWED_ENDINGS = sorted({ending for _, endings in ALLOWED_KINDS.values() for ending in endings})
_TEXT_CONTROL_OK = {9, 10, 12, 13}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _is_plain_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 32 and ord(ch) not in _TEXT_CONTROL_OK for ch in text)


def _clean_filename(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/|?*')
    return base[:200]


def check_file(filename: str, content: bytes) -> CheckedFile:
    """Accept a file only if its content is of an allowed kind matching its name and under the size limit."""
    name = _clean_filename(filename)
    if not name or name.startswith("."):
        raise ValidationError(_("The file has no usable name."), code="attachment_name")
    if len(content) == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="attachment_empty")
    if len(content) > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(len(content)),
                "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
            code="attachment_too_large",
        )
    ending = os.path.splitext(name)[1].lower()
    kind = filetype.guess(content)
    detected = kind.extension if kind is not None else None
    if detected == "jpeg":
        detected = "jpg"
    if detected is None and ending in (".txt", ".csv") and _is_plain_text(content):
        detected = ending[1:]
    allowed = ALLOWED_KINDS.get(detected or "")
    if allowed is None or ending not in allowed[1]:
        raise ValidationError(
            _("“%(name)s” is not an allowed type. Allowed: %(types)s, checked by content.")
            % {"name": name, "types": ", ".join(ALLOWED_ENDINGS)},
            code="attachment_type",
        )
    return CheckedFile(name, content, allowed[0], hashlib.sha256(content).hexdigest())


def read_upload(upload: UploadedFile) -> CheckedFile:
    """Read an uploaded file without holding more than the limit (plus one byte) in memory."""
    chunks: list[bytes] = []
    total = 0
    for chunk in upload.chunks():
        chunks.append(chunk)
        total += len(chunk)
        if total > settings.ATTACHMENT_MAX_BYTES:
            break
    return check_file(upload.name or "", b"".join(chunks))


def storage_path(storage_name: str) -> Path:
    return Path(settings.ATTACHMENT_DIR) / storage_name


def store(checked: CheckedFile) -> str:
    """Write the content once (content-addressed); return its storage name."""
    storage_name = f"{checked.sha256[:2]}/{checked.sha256[2:4]}/{checked.sha256}"
    path = storage_path(storage_name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(checked.content)
        os.replace(tmp, path)
    return storage_name


def decode_files(items: Any, field: str) -> list[CheckedFile]:
    """Files sent in JSON (`filename`, `content_base64`), each decoded and checked; every problem is
    reported, under `field`, before anything is written."""
    checked, errors = [], []
    for item in items:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            errors.append(_("“%(name)s” is not valid base64.") % {"name": item.filename[:80]})
            continue
        try:
            checked.append(check_file(item.filename, content))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({field: errors})
    return checked
