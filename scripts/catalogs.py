#!/usr/bin/env python
"""Catalog housekeeping: fix headers, fill the English catalog, report gaps.

    python scripts/catalogs.py            # fix headers + fill en, then report
    python scripts/catalogs.py --check    # report only; exit 1 if anything is missing or fuzzy
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "borderlink" / "locale"
PLURALS = {"en": "nplurals=2; plural=(n != 1);", "vi": "nplurals=1; plural=0;", "lo": "nplurals=1; plural=0;", "km": "nplurals=1; plural=0;"}
NAMES = {"en": "English", "vi": "Vietnamese", "lo": "Lao", "km": "Khmer"}


def problems(po: polib.POFile) -> list[str]:
    out = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            out.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.get(i) for i in range(len(entry.msgstr_plural) or 1)):
                out.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            out.append(f"untranslated: {entry.msgid!r}")
    if "fuzzy" in (po.header or "") or any("fuzzy" in getattr(po, "metadata_is_fuzzy", []) for _ in [0]):
        out.append("header is fuzzy")
    return out


def fix(language: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.metadata_is_fuzzy = []
    po.header = f"Borderlink interface strings, {NAMES[language]}."
    po.metadata.update(
        {
            "Project-Id-Version": "borderlink",
            "Language": language,
            "Language-Team": NAMES[language],
            "Plural-Forms": PLURALS[language],
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    if language == "en":
        for entry in po:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(path))
    return po


def main() -> int:
    check_only = "--check" in sys.argv
    failed = False
    for language in PLURALS:
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path)) if check_only else fix(language)
        found = problems(po)
        print(f"{language}: {len(po)} entries, {len(found)} problems")
        for line in found[:20]:
            print("   ", line)
        failed = failed or bool(found)
    return 1 if (failed and check_only) else 0


if __name__ == "__main__":
    sys.exit(main())
