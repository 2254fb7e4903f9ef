"""The command line for people: compare and romanize."""

from __future__ import annotations

import json
import subprocess
import sys

from borderlink.names.cli import main


def test_compare_prints_score_and_alignment(capsys) -> None:
    assert main(["compare", "ស ខេង", "Sar Kheng"]) == 0
    out = capsys.readouterr().out
    assert "1.000" in out and "LIKELY SAME PERSON" in out


def test_compare_exit_status_says_no_match(capsys) -> None:
    assert main(["compare", "Hun Sen", "Hun Manet"]) == 1


def test_compare_json(capsys) -> None:
    main(["compare", "Nguyễn Văn An", "Nguyễn Thị An", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["match"] is False and data["notes"]


def test_romanize(capsys) -> None:
    assert main(["romanize", "ທ່ານ ວິໄລ ຫລ້າຄຳຟອງ"]) == 0
    assert capsys.readouterr().out.strip() == "Vilai Lakhamfong"


def test_module_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "borderlink.names", "romanize", "ហ៊ុន សែន"],
        capture_output=True, text=True, check=True,
    )
    assert done.stdout.strip() == "Hun Saen"
