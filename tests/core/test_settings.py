from __future__ import annotations

import os
import subprocess
import sys

import pytest

from borderlink.env import ConfigError, Env


@pytest.mark.parametrize(
    "method, args, environ, message",
    [
        ("bool", ("FLAG", False), {"FLAG": "maybe"}, "FLAG must be one of"),
        ("int", ("N", 5), {"N": "five"}, "N must be a whole number"),
        ("int", ("N", 5, 10), {"N": "3"}, "N must be at least 10"),
        ("list", ("HOSTS", []), {"HOSTS": "a,,b"}, "without empty items"),
        ("choice", ("C", "VN", ["VN", "LA"]), {"C": "TH"}, "C must be one of VN, LA"),
        ("str", ("KEY",), {}, "KEY must be set"),
        ("database", ("DATABASE_URL", "sqlite:////tmp/x.db"), {"DATABASE_URL": "mysql://u@h/db"}, "sqlite:// or postgres://"),
        ("database", ("DATABASE_URL", "sqlite:////tmp/x.db"), {"DATABASE_URL": "sqlite:///relative.db"}, "must be absolute"),
        ("database", ("DATABASE_URL", "sqlite:////tmp/x.db"), {"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(method, args, environ, message):
    with pytest.raises(ConfigError, match=message):
        getattr(Env(environ), method)(*args)


def test_good_values_parse():
    env = Env({"FLAG": "yes", "N": "12", "HOSTS": "a.example, b.example", "DATABASE_URL": "postgres://u@127.0.0.1:5432/db"})
    assert env.bool("FLAG", False) is True
    assert env.int("N", 1) == 12
    assert env.list("HOSTS", []) == ["a.example", "b.example"]
    assert env.database("DATABASE_URL", "")["ENGINE"] == "django.db.backends.postgresql"


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret-from-file\n")
    assert Env({"KEY_FILE": str(secret)}).str("KEY") == "s3cret-from-file"
    with pytest.raises(ConfigError, match="cannot read"):
        Env({"KEY_FILE": str(tmp_path / "missing")}).str("KEY")


def _start(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BORDERLINK_") and k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "borderlink.settings", **extra})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )


def test_start_up_stops_on_a_bad_value_with_a_clear_message():
    result = _start({"BORDERLINK_SECRET_KEY": "x" * 40, "BORDERLINK_SESSION_IDLE_SECONDS": "soon"})
    assert result.returncode != 0
    assert "Borderlink configuration error: BORDERLINK_SESSION_IDLE_SECONDS must be a whole number" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({})
    assert result.returncode != 0 and "BORDERLINK_SECRET_KEY must be set" in result.stderr
    result = _start({"BORDERLINK_SECRET_KEY": "short"})
    assert "at least 32 characters" in result.stderr


def test_production_starts_with_good_values(tmp_path):
    result = _start({"BORDERLINK_SECRET_KEY": "x" * 40, "BORDERLINK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
