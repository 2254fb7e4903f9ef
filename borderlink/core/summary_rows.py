"""What the summaries kept on write share (the requests dashboard's `assistance.summary`, the incidents list's
`border.summary`): a row per key of counted columns, moved in the transaction of every change to a record.

Each summary names its key as a frozen dataclass whose fields are the summary table's key columns, in order, and
keeps a count column `n` with a unique constraint over the key columns.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.utils import timezone


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of `moment`'s month in the node's time zone, as `TruncMonth` with that zone reads it."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def net_changes(before: Iterable[Any | None], after: Iterable[Any | None]) -> dict[Any, int]:
    """{key: net change}: -1 for each key of `before` (the rows records left), +1 for each of `after` (the rows
    they joined); None stands for no record (one created, or deleted). Keys whose changes cancel stay, at 0."""
    changes: dict[Any, int] = {}
    for key in before:
        if key is not None:
            changes[key] = changes.get(key, 0) - 1
    for key in after:
        if key is not None:
            changes[key] = changes.get(key, 0) + 1
    return changes


def add_counts(model: Any, changes: Mapping[Any, int]) -> None:
    """Add each change to its key's row of `model`'s table (created at the change when missing), in the caller's
    transaction: one INSERT ... ON CONFLICT DO UPDATE per changed key, keys written in the order of their column
    values, so that two transactions moving records between the same rows never deadlock. Keys changing by 0 are
    left out. The table and column names come from the model and the key's dataclass, never from input."""
    rows = sorted((dataclasses.astuple(key) + (n,) for key, n in changes.items() if n), key=lambda row: row[:-1])
    if not rows:
        return
    names = [field.name for field in dataclasses.fields(next(iter(changes)))]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)
    placeholders = ", ".join(["%s"] * (len(names) + 1))
    sql = (f"INSERT INTO {table} ({columns}, n) VALUES ({placeholders}) "  # noqa: S608 (the model's quoted names; values are parameters)
           f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + EXCLUDED.n")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
