"""`manage.py review_report`: the year-end review as a file (HTML, PDF or XLSX), built in this process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from borderlink.audit.services import record
from borderlink.review import services


class Command(BaseCommand):
    help = "Build the year-end review of a plan (--plan) or of a year and another country (--year, --country)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", help="a cooperation plan's id: its year and other country")
        parser.add_argument("--year", help="the year, without --plan")
        parser.add_argument("--country", default="", help="the other country (VN, LA or KH); every one when absent")
        parser.add_argument("--language", default="en", help="vi, lo, km or en")
        parser.add_argument("--format", default="html", help="html, pdf or xlsx")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] if options["language"] in services.LANGUAGES else "en"):
            try:
                inp = services.parse_input(options["year"], options["country"], options["plan"], options["language"],
                                           options["format"])
            except ValidationError as exc:
                raise CommandError(" ".join(f"--{field}: {' '.join(messages)}"
                                            for field, messages in exc.message_dict.items())) from None
        content = services.render_file(inp)
        out = Path(options["output"])
        out.write_bytes(content)
        record(None, "review.report.built", object_type="review", object_id=f"{inp.year}-{inp.country or 'all'}",
               data={"bytes": len(content), "format": inp.format, "language": inp.language, "by": "command",
                     "node": settings.NODE_COUNTRY})
        self.stdout.write(f"{out} ({len(content)} bytes)")
