from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from borderlink.assistance import services
from borderlink.core.models import BorderGate

# An invented case; none of these people exists.


def draft(user: Any, to_unit: Any, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "kind": "verify_identity",
        "requested_unit_id": to_unit.pk,
        "offence": "fraud",
        "subject": "Xác minh nhân thân đối tượng lừa đảo trực tuyến",
        "details": "Đề nghị xác minh người mang hộ chiếu P1234567, khai sinh năm 1990 tại Savannakhet.",
        "person_name": "Bounmy Keovilay",
        "urgency": "normal",
    }
    fields.update(overrides)
    return services.create_request(user, services.RequestInput(**fields))


def sent(author: Any, supervisor: Any, to_unit: Any, now: datetime.datetime | None = None, **overrides: Any) -> Any:
    req = draft(author, to_unit, **overrides)
    services.submit_request(author, req.pk)
    return services.approve_request(supervisor, req.pk, now=now)


def gate(a: str = "VN", b: str = "LA", name: str = "Lao Bao") -> BorderGate:
    return BorderGate.objects.create(side_a_country_id=a, side_a_name=name, side_a_province="Quang Tri",
                                     side_b_country_id=b, side_b_name="Dansavanh", side_b_province="Savannakhet",
                                     level="international")


def soon(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)
