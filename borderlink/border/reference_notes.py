"""The reference notes of province pairs (reference/province_pairs.csv, English) in the reader's language.

A note is parts joined by "; ". Parts of a known form ("Long An merged into Tây Ninh on 2025-07-01",
"pre-merger Gia Lai", "the new An Giang absorbed Kiên Giang") are rebuilt from a translated pattern with
the provinces' names and the date as the reader writes them; any other part is a message of its own
(listed in NOTES, so the catalogs hold it). The stored note stays as the source wrote it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

NOTES = [
    gettext_noop("As VN-DL/KH-MK, post-merger Đắk Lắk"),
    gettext_noop("As VN-TTH/LA-SL: Huế took the whole territory of Thừa Thiên Huế on 2025-01-01"),
    gettext_noop(
        "Deduction from geography: Attapeu (named with Champasak as the Lao provinces adjacent to Cambodia) faces Ratanakiri"
    ),
    gettext_noop("Deduction: the new Quảng Ngãi neighbours Ratanakiri, and of its parts only Kon Tum touched Cambodia"),
    gettext_noop("Deduction: the new Quảng Ngãi neighbours Sekong, and of its parts only Kon Tum touched Laos"),
    gettext_noop("Facing provinces of the gate pair(s) listed"),
    gettext_noop("Named as a neighbour of the new Quảng Ngãi"),
    gettext_noop("Named as facing provinces (Lao News Agency item cited in SOURCES.md)"),
    gettext_noop("No gate pair in border_gates.csv"),
    gettext_noop("No gate pair in border_gates.csv (A Đớt–Tà Vàng was left out as unconfirmed)"),
    gettext_noop("No gate pair in border_gates.csv (Bu Prăng left out: counterpart unconfirmed)"),
    gettext_noop("adjacency is a deduction: Salavan borders VN and faces A Lưới district"),
    gettext_noop("deduction from geography"),
    gettext_noop("deduction: Mondulkiri borders VN and faces Đắk Lắk's western districts"),
    gettext_noop("whether Attapeu also faces Stung Treng was not checked"),
]


def _province(name: str) -> str:
    """A province named in a note by its local (Vietnamese) name, in the reader's language."""
    from borderlink.core.models import Province

    province = Province.objects.filter(name_local=name).order_by("-valid_from").first()
    return province.name if province else name


def _day(value: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(.+) merged into (.+) on (\d{4}-\d{2}-\d{2})$"),
     lambda m: _("%(old)s merged into %(new)s on %(date)s")
     % {"old": _province(m[1]), "new": _province(m[2]), "date": _day(m[3])}),
    (re.compile(r"^post-merger (.+)$"), lambda m: _("post-merger %(province)s") % {"province": _province(m[1])}),
    (re.compile(r"^pre-merger (.+)$"), lambda m: _("pre-merger %(province)s") % {"province": _province(m[1])}),
    (re.compile(r"^the new (.+) absorbed (.+)$", re.IGNORECASE),
     lambda m: _("the new %(new)s absorbed %(old)s") % {"new": _province(m[1]), "old": _province(m[2])}),
]


def _part(text: str) -> str:
    for pattern, build in PATTERNS:
        match = pattern.match(text)
        if match:
            return build(match)
    return _(text)


def translate_note(note: str) -> str:
    """`note` in the active language."""
    if not note:
        return ""
    text = "; ".join(_part(part) for part in note.split("; "))
    return text[:1].upper() + text[1:]
