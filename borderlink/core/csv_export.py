"""CSV for people's spreadsheets, with formula injection neutralised.

Every export writes through `writer()`, so no cell that a person or a peer typed can
become a live formula when the file is opened in a spreadsheet. The rule is OWASP's
("CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
is prefixed with a single quote, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet will read it: text starting like a formula gets a leading `'`.

    Numbers and None pass unchanged (a negative number is a number, not a formula);
    everything else is turned into text first.
    """
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """A `csv.writer` whose rows are neutralised cell by cell."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: _Writable) -> SafeWriter:
    """The CSV writer every export uses (see the module's docstring)."""
    return SafeWriter(out)
