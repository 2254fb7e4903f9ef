"""Django's database session store, reading a session with one statement written once per process (issue 19).

Every request reads its session. `SessionStore._get_session_from_db` built the same
`Session.objects.get(session_key=..., expire_date__gt=now)` with the ORM on every request, which cost more CPU
than running it. The statement here is the same (the session's key, not expired), its SQL written once per
process and database from the model's fields; everything else (saving, expiry, cycling the key on sign-in,
deleting on sign-out) is Django's store unchanged. Settings: SESSION_ENGINE = "borderlink.accounts.sessions".
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

_statements: dict[tuple[str, str], str] = {}


def _statement(alias: str, model: Any) -> str:
    """SELECT session_data FROM <sessions> WHERE session_key = %s AND expire_date > %s, for this database."""
    connection = connections[alias]
    key = (alias, connection.vendor)
    sql = _statements.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        table, meta = qn(model._meta.db_table), model._meta
        sql = (f"SELECT {table}.{qn(meta.get_field('session_data').column)} FROM {table} "  # noqa: S608 (quoted names from the model; values are parameters)
               f"WHERE ({table}.{qn(meta.get_field('expire_date').column)} > %s "
               f"AND {table}.{qn(meta.get_field('session_key').column)} = %s)")
        _statements[key] = sql
    return sql


class SessionStore(DatabaseSessionStore):
    """`django.contrib.sessions.backends.db.SessionStore` whose read is one prepared statement (see the module)."""

    def _get_session_from_db(self) -> Any:
        """The session row (a Session holding only its key and data) when its key exists and has not expired,
        else None with the key forgotten, as Django's store does (a new session is then created on save)."""
        key = self.session_key
        if not key:  # Django's store: no key, no row
            self._session_key = None
            return None
        model = self.model
        alias = router.db_for_read(model, instance=None)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_statement(alias, model), [now, key])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
