"""Strict parsing of configuration from the environment.

A bad value stops start-up with a message that names the variable and what
it expects; nothing here writes files or creates folders.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """Raised when an environment variable holds a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    """Reads typed settings from a mapping (os.environ by default)."""

    def __init__(self, environ: Mapping[builtins.str, builtins.str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: builtins.str) -> builtins.str | None:
        file_name = self.environ.get(f"{name}_FILE")
        if file_name:
            try:
                return Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"{name}_FILE: cannot read {file_name!r}: {exc.strerror}") from None
        return self.environ.get(name)

    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str:
        value = self._raw(name)
        if value is None or value == "":
            if default is None:
                raise ConfigError(f"{name} must be set")
            return default
        return value

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        folded = value.strip().lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise ConfigError(f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}")

    def int(self, name: builtins.str, default: builtins.int, minimum: builtins.int = 0, maximum: builtins.int | None = None) -> builtins.int:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
        if number < minimum or (maximum is not None and number > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise ConfigError(f"{name} must be at least {minimum}{upper}, not {number}")
        return number

    def list(self, name: builtins.str, default: builtins.list[builtins.str]) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None:
            return default
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise ConfigError(f"{name} must be a comma-separated list without empty items, not {value!r}")
        return items

    def networks(self, name: builtins.str, default: builtins.list[builtins.str]) -> builtins.list[Any]:
        """A comma-separated list of IP addresses or networks (``10.0.0.5``, ``10.1.0.0/16``)."""
        import ipaddress

        result = []
        for item in self.list(name, default):
            try:
                result.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ConfigError(f"{name} must list IP addresses or networks, not {item!r}") from None
        return result

    def choice(self, name: builtins.str, default: builtins.str, choices: builtins.list[builtins.str]) -> builtins.str:
        value = self.str(name, default)
        if value not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return value

    def path(self, name: builtins.str, default: Path) -> Path:
        value = self._raw(name)
        if value is None or value == "":
            return default
        path = Path(value)
        if not path.is_absolute():
            raise ConfigError(f"{name} must be an absolute path, not {value!r}")
        return path

    def database(self, name: builtins.str, default: builtins.str) -> dict[builtins.str, Any]:
        import dj_database_url

        url = self.str(name, default)
        try:
            config = dj_database_url.parse(url, conn_max_age=self.int("BORDERLINK_DB_CONN_MAX_AGE", 60), conn_health_checks=True)
        except (ValueError, KeyError) as exc:
            raise ConfigError(f"{name} is not a database URL this node understands ({exc})") from None
        engine = config.get("ENGINE", "")
        if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
            raise ConfigError(f"{name} must be a sqlite:// or postgres:// URL, not {url!r}")
        if engine.endswith("sqlite3"):
            name_value = str(config.get("NAME") or "")
            if name_value not in (":memory:",) and not name_value.startswith("/"):
                raise ConfigError(f"{name}: a SQLite path must be absolute (sqlite:////abs/path.db)")
            # IMMEDIATE avoids "database is locked" when a reader upgrades to a writer.
            # WAL lets readers work while one process writes, and makes commits cheap.
            config["OPTIONS"] = {
                "transaction_mode": "IMMEDIATE",
                "timeout": self.int("BORDERLINK_SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1, maximum=600),
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            }
        return dict(config)
