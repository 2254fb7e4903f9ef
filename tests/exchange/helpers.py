from __future__ import annotations

from typing import Any

from borderlink.exchange import services
from borderlink.exchange.attachments import check_file
from borderlink.exchange.models import Message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def send(user: Any, *units: Any, **overrides: Any) -> Message:
    fields: dict[str, Any] = {
        "recipient_unit_ids": [u.pk for u in units],
        "subject": "Verification of a vehicle",
        "body": "Please check the vehicle that crossed yesterday.",
        "priority": "routine",
        "handling_code": "H0",
    }
    fields.update(overrides)
    return services.send_message(user, services.Draft(**fields))


def pdf(name: str = "report.pdf") -> Any:
    return check_file(name, PDF)
