"""Command line: ``python -m borderlink.names compare "A" "B"`` and ``romanize "..."``."""

from __future__ import annotations

import argparse
import json
import sys

from .score import MATCH_THRESHOLD, explain
from .tokens import parse


def romanize(text: str) -> str:
    """Readable Latin form of a name: titles dropped, Lao and Khmer romanised."""
    parsed = parse(text)
    return " ".join(t.text.capitalize() for t in parsed.tokens)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status.

    ``compare`` exits 0 when the names match (score at or above the threshold)
    and 1 when they do not, so scripts can test the verdict.
    """
    ap = argparse.ArgumentParser(prog="python -m borderlink.names")
    sub = ap.add_subparsers(dest="command", required=True)
    cmp_ = sub.add_parser("compare", help="score two names and explain the score")
    cmp_.add_argument("a")
    cmp_.add_argument("b")
    cmp_.add_argument("--json", action="store_true", help="machine-readable output")
    rom = sub.add_parser("romanize", help="write a name in Latin letters")
    rom.add_argument("text")
    rom.add_argument("--keys", action="store_true", help="also print the phonetic keys")
    args = ap.parse_args(argv)

    if args.command == "compare":
        exp = explain(args.a, args.b)
        if args.json:
            print(json.dumps(exp.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(exp)
        return 0 if exp.score >= MATCH_THRESHOLD else 1
    parsed = parse(args.text)
    print(romanize(args.text))
    if args.keys:
        print(" ".join(t.key for t in parsed.tokens))
    if parsed.titles:
        print(f"titles dropped: {', '.join(parsed.titles)}", file=sys.stderr)
    return 0
