"""The signed-in user of a page request in one query: the user, their unit and whether the second-factor device
named in the session is theirs and confirmed (issue 19: three queries per request before: user, unit, device).

`UserBackend.get_user` is what Django's `auth.get_user` calls with the session's user id; it keeps Django's
checks (the account must exist and be active, `ModelBackend.user_can_authenticate`; the session's hash is
checked by `auth.get_user` itself). `VerifiedUserMiddleware` (accounts.middleware) sets `CHECK_DEVICE` to the
device id of the session while the user is loaded, so that the same query also answers django-otp's question,
on every request: a removed, unconfirmed or someone else's device is refused on the next request as before.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Model
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import User

# The TOTP device id the session names (None: none, or not a TOTP device), while VerifiedUserMiddleware loads the user.
CHECK_DEVICE: ContextVar[int | None] = ContextVar("borderlink_check_device", default=None)

# Set on the loaded user: (device id, True when that device exists, is the user's and is confirmed).
CHECKED_ATTRIBUTE = "_borderlink_device_checked"


def _concrete_fields(model: type[Model]) -> list[Any]:
    """The model's fields that are columns of its table, in the order `Model.from_db` expects them."""
    return list(model._meta.concrete_fields)  # type: ignore[attr-defined]  # not in django-stubs


class _UserQuery:
    """The statement of `UserBackend.get_user` for one database connection, written once per process from the
    models' fields (issue 19: building the same query with the ORM on every request cost about 0.8 ms of CPU, more
    than running it).

    `SELECT <user's columns>, <unit's columns>[, EXISTS(<the session's device: id, user, confirmed>)] FROM user
    LEFT JOIN unit WHERE user.id = %s`: the user and unit as `select_related("unit")` would load them (each value
    through the converters the ORM applies, so SQLite's booleans, dates and JSON come back as with the ORM)."""

    def __init__(self, alias: str) -> None:
        connection = connections[alias]
        qn = connection.ops.quote_name
        unit_field = User._meta.get_field("unit")
        self.unit_field = unit_field
        self.unit_model: type[Model] = unit_field.related_model  # type: ignore[assignment]
        self.user_fields = _concrete_fields(User)
        self.unit_fields = _concrete_fields(self.unit_model)
        user_table, unit_table = qn(User._meta.db_table), qn(self.unit_model._meta.db_table)
        columns = [f"{user_table}.{qn(f.column)}" for f in self.user_fields]
        columns += [f"{unit_table}.{qn(f.column)}" for f in self.unit_fields]
        device = TOTPDevice._meta
        self.base = (f"SELECT {', '.join(columns)}{{device}} FROM {user_table} LEFT OUTER JOIN {unit_table} ON "  # noqa: S608 (quoted names from the models; values are parameters)
                     f"({user_table}.{qn(unit_field.column)} = {unit_table}.{qn(self.unit_model._meta.pk.column)}) "
                     f"WHERE {user_table}.{qn(User._meta.pk.column)} = %s")
        self.with_device = self.base.format(device=(
            f", EXISTS(SELECT 1 AS {qn('a')} FROM {qn(device.db_table)} WHERE ({qn(device.db_table)}.{qn(device.pk.column)} = %s"  # noqa: S608 (as above)
            f" AND {qn(device.db_table)}.{qn(device.get_field('user').column)} = {user_table}.{qn(User._meta.pk.column)}"
            f" AND {qn(device.db_table)}.{qn(device.get_field('confirmed').column)} = %s)) AS {qn('device_ok')}"))
        self.without_device = self.base.format(device="")
        self.user_names = [f.attname for f in self.user_fields]
        self.unit_names = [f.attname for f in self.unit_fields]
        self.converters: list[tuple[int, list[Any], Any]] = []
        for i, (field, table) in enumerate([(f, User._meta.db_table) for f in self.user_fields]
                                           + [(f, self.unit_model._meta.db_table) for f in self.unit_fields]):
            col = field.get_col(table)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((i, found, col))

    def load(self, alias: str, user_id: Any, device_id: int | None) -> tuple[User, bool] | None:
        """(user with `unit` cached, whether the device checks out) or None when no user has this id."""
        connection = connections[alias]
        pk = User._meta.get_field("id")
        try:
            key = pk.get_db_prep_value(pk.to_python(user_id), connection)
        except (TypeError, ValueError, ValidationError):  # not a user id: nobody
            return None
        with connection.cursor() as cursor:
            if device_id is None:
                cursor.execute(self.without_device, [key])
            else:
                cursor.execute(self.with_device, [device_id, True, key])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for i, found, col in self.converters:
            for converter in found:
                values[i] = converter(values[i], col, connection)
        n = len(self.user_fields)
        user = User.from_db(alias, self.user_names, values[:n])
        unit = None
        if values[n + self.unit_names.index(self.unit_model._meta.pk.attname)] is not None:
            unit = self.unit_model.from_db(alias, self.unit_names, values[n:n + len(self.unit_fields)])
        self.unit_field.set_cached_value(user, unit)
        return user, bool(values[n + len(self.unit_fields)]) if device_id is not None else False


_queries: dict[tuple[str, str], _UserQuery] = {}


class UserBackend(ModelBackend):
    """ModelBackend (passwords, permissions) whose `get_user` also loads the unit and, when CHECK_DEVICE is set,
    checks the session's device in the same query."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        """The active user with this id (None when missing or inactive), unit loaded; with CHECK_DEVICE set, the
        device check as the attribute CHECKED_ATTRIBUTE: (device id, True when that device exists, is this user's
        and is confirmed). One statement, written once per process and database (_UserQuery)."""
        device_id = CHECK_DEVICE.get()
        alias = router.db_for_read(User)
        key = (alias, connections[alias].vendor)
        query = _queries.get(key)
        if query is None:
            query = _queries[key] = _UserQuery(alias)
        loaded = query.load(alias, user_id, device_id)
        if loaded is None:
            return None
        user, device_ok = loaded
        if device_id is not None:
            setattr(user, CHECKED_ATTRIBUTE, (device_id, device_ok))
        return user if self.user_can_authenticate(user) else None
