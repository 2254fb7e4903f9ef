from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from borderlink.notices import services
from borderlink.persons import services as person_services
from borderlink.persons.services import DocumentInput, NameInput, PersonInput

# Invented people; none of them exists.
LAO_NAME = "ສົມພອນ ແກ້ວມະນີ"
LAO_NAME_VI = "Xổm-phon Kẹo-ma-ni"
LAO_NAME_LATIN = "SOMPHONE KEOMANY"


def person(user: Any, *names: str, **fields: Any) -> Any:
    data = PersonInput(names=[NameInput(n) for n in (names or (LAO_NAME_VI,))], **fields)
    return person_services.record_person(user, data)


def wanted(user: Any, subject: Any, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "kind": "wanted_arrest",
        "subject_id": subject.pk,
        "summary": "Đối tượng tổ chức vận chuyển trái phép 12 kg ma túy tổng hợp qua cửa khẩu Lao Bảo.",
        "review_date": timezone.localdate() + datetime.timedelta(days=365),
        "offence": "drug_trafficking",
        "warrant_number": "15/QĐ-CSĐT",
        "issuing_authority": "Cơ quan CSĐT Công an tỉnh Quảng Trị",
        "warrant_date": timezone.localdate() - datetime.timedelta(days=30),
        "max_penalty_years": 20,
        "shared_with": ["LA"],
    }
    fields.update(overrides)
    return services.create_notice(user, services.NoticeInput(**fields))


def published(author: Any, supervisor: Any, subject: Any, **overrides: Any) -> Any:
    notice = wanted(author, subject, **overrides)
    services.submit_notice(author, notice.pk)
    return services.approve_notice(supervisor, notice.pk)


__all__ = ["LAO_NAME", "LAO_NAME_LATIN", "LAO_NAME_VI", "DocumentInput", "person", "published", "wanted"]
