from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from borderlink.exchange.attachments import check_file

from .helpers import PDF, PNG


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("notes.txt", "Biên bản giao ban — ບົດບັນທຶກ — កំណត់ហេតុ\n".encode(), "text/plain"),
        ("list.csv", b"name,number\nA,1\n", "text/csv"),
    ],
)
def test_allowed_types_are_accepted_by_content(name, content, expected):
    assert check_file(name, content).content_type == expected


@pytest.mark.parametrize(
    "name, content",
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a Windows executable named .pdf
        ("photo.png", PDF),  # content and name disagree
        ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("notes.txt", b"\x00\x01\x02binary"),
        ("noextension", PDF),
    ],
)
def test_wrong_types_are_refused(name, content):
    with pytest.raises(ValidationError) as err:
        check_file(name, content)
    assert err.value.code in ("attachment_type", "attachment_name")


def test_oversized_file_is_refused_with_sizes_in_the_message(settings):
    from django.utils import translation

    settings.ATTACHMENT_MAX_BYTES = 2048
    with translation.override("en"), pytest.raises(ValidationError) as err:
        check_file("big.pdf", PDF + b"0" * 4096)
    assert err.value.code == "attachment_too_large"
    assert "2.0" in err.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        check_file("empty.pdf", b"")


def test_path_in_file_name_is_stripped():
    assert check_file("../../etc/report.pdf", PDF).filename == "report.pdf"
