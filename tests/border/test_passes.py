"""Border passes on one node (all countries hosted here): issuing, revoking, and the gate check's answers.
The check between two real nodes is in tests/federation/test_border.py."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from borderlink.audit.models import AuditEvent
from borderlink.border import passes
from borderlink.border.models import PassStatus
from borderlink.exchange.attachments import check_file
from borderlink.persons.services import NameInput, PersonInput
from tests.border.helpers import gate, png

pytestmark = pytest.mark.django_db


def issue(user, number="LA-SVK-0001", **overrides):
    today = datetime.date.today()
    data = {"number": number, "valid_from": today - datetime.timedelta(days=10), "valid_to": today + datetime.timedelta(days=2),
            "area": "Districts along Road 9", "gate_ids": [gate("Lao Bảo").pk],
            "holder": PersonInput(names=[NameInput("ສົມພອນ ແກ້ວດາລາ")], photos=[check_file("holder.png", png())])}
    data.update(overrides)
    return passes.issue_pass(user, passes.PassInput(**data))


def test_the_gate_check_answers_valid_expired_revoked_unknown(border, officer, foreign_officer, foreign_supervisor, settings,
                                                              tmp_path):
    valid = issue(foreign_officer)
    revoked = issue(foreign_officer, "LA-SVK-0002")
    passes.revoke_pass(foreign_supervisor, revoked.pk, "Reported lost.")
    lao_bao = gate("Lao Bảo").pk
    answer = passes.check_pass(officer, " la svk 0001 ", "LA", lao_bao)
    assert answer.status == PassStatus.VALID and answer.holder_name == "ສົມພອນ ແກ້ວດາລາ"
    assert answer.photo_type == "image/png" and answer.photo_data_uri.startswith("data:image/png;base64,")
    assert passes.check_pass(officer, "LA-SVK-0002", "LA", lao_bao).status == PassStatus.REVOKED
    unknown = passes.check_pass(officer, "LA-SVK-9999", "LA", lao_bao)
    assert unknown.status == PassStatus.UNKNOWN and not unknown.holder_name and not unknown.photo_base64
    assert passes.check_pass(officer, "LA-SVK-0001", "LA", gate("La Lay").pk).status == PassStatus.WRONG_GATE
    clock = tmp_path / "clock"
    clock.write_text(str(5 * 86400))  # five days on: past the pass's last day
    settings.CLOCK_FILE = str(clock)
    expired = passes.check_pass(officer, "LA-SVK-0001", "LA", lao_bao)
    assert expired.status == PassStatus.EXPIRED and not expired.holder_name and not expired.photo_base64
    checks = AuditEvent.objects.filter(action="border.pass.checked")
    assert checks.count() == 5 and {e.data["status"] for e in checks} >= {"valid", "revoked", "unknown", "expired"}
    assert valid.holder.recorded_by_unit_id == foreign_officer.unit_id


def test_the_check_refuses_a_gate_on_another_border_in_the_users_language(border, officer):
    officer.language = "vi"
    with translation.override("vi"):
        expected = translation.gettext("Choose a gate of your province.")
        with pytest.raises(ValidationError) as caught:
            passes.check_pass(officer, "X1", "LA", gate("Mộc Bài").pk)
        assert expected != "Choose a gate of your province."
        assert expected in caught.value.message_dict["gate"]
        with pytest.raises(ValidationError) as caught:
            passes.check_pass(officer, "", "VN", gate("Lao Bảo").pk)
    assert set(caught.value.message_dict) == {"number", "country"}


def test_issuing_checks_every_field(border, foreign_officer):
    today = datetime.date.today()
    with pytest.raises(ValidationError) as caught:
        issue(foreign_officer, "", valid_to=today - datetime.timedelta(days=20), gate_ids=[gate("Mộc Bài").pk], area="")
    assert set(caught.value.message_dict) >= {"number", "valid_to", "gate_ids", "area"}
    issue(foreign_officer)
    with pytest.raises(ValidationError) as caught:
        issue(foreign_officer, "la-svk 0001")
    assert "number" in caught.value.message_dict


def test_passes_are_seen_only_by_their_unit(border, foreign_officer, officer, outsider, login):
    item = issue(foreign_officer)
    for user in (officer, outsider):
        with pytest.raises(Http404):
            passes.view_pass(user, item.pk)
        assert login(user).get(f"/border/passes/{item.pk}/").status_code == 404
    with pytest.raises(Http404):
        passes.check_pass(outsider, "LA-SVK-0001", "LA", gate("Lao Bảo").pk)


def test_the_check_page_fits_a_phone_and_shows_name_and_photo_only_when_valid(border, foreign_officer, officer, login):
    issue(foreign_officer)
    client = login(officer)
    page = client.get("/border/passes/check/").content.decode()
    assert 'name="viewport" content="width=device-width' in page and 'class="check"' in page
    valid = client.post("/border/passes/check/", {"number": "LA-SVK-0001", "country": "LA", "gate": gate("Lao Bảo").pk})
    text = valid.content.decode()
    assert valid.status_code == 200 and "ສົມພອນ ແກ້ວດາລາ" in text and "data:image/png;base64," in text
    unknown = client.post("/border/passes/check/", {"number": "NOPE-1", "country": "LA", "gate": gate("Lao Bảo").pk})
    assert "ສົມພອນ" not in unknown.content.decode() and "data:image" not in unknown.content.decode()


def test_api_issue_check_and_revoke(border, foreign_officer, foreign_supervisor, officer, api):
    from tests.border.helpers import png_base64

    today = datetime.date.today()
    body = {"number": "SVK-77", "valid_from": today.isoformat(), "valid_to": (today + datetime.timedelta(days=90)).isoformat(),
            "area": "Xepon district", "gate_ids": [gate("Lao Bảo").pk],
            "holder": {"names": [{"name": "ບົວພັນ ສີວົງ"}], "photos": [{"filename": "p.png", "content_base64": png_base64()}]}}
    created = api(foreign_officer).post("/api/border/passes", body, content_type="application/json")
    assert created.status_code == 201, created.content
    checked = api(officer).get(f"/api/border/passes/check?number=SVK-77&country=LA&gate={gate('Lao Bảo').pk}").json()
    assert checked["status"] == "valid" and checked["holder_name"] == "ບົວພັນ ສີວົງ" and checked["photo"]
    revoked = api(foreign_supervisor).post(f"/api/border/passes/{created.json()['id']}/revoke", {"reason": "Moved away."},
                                           content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    checked = api(officer).get(f"/api/border/passes/check?number=SVK-77&country=LA&gate={gate('Lao Bảo').pk}").json()
    assert checked == {"status": "revoked", "responder": checked["responder"]}


def test_the_gate_check_is_rate_limited_per_officer_with_a_429_in_the_users_language(border, foreign_officer, officer,
                                                                                      colleague, settings, api, login):
    from django.utils import translation

    from borderlink.audit.models import AuditEvent

    settings.PASS_CHECK_RATE = "3/m"
    issue(foreign_officer)
    officer.language = "lo"
    officer.save()
    url = f"/api/border/passes/check?number=LA-SVK-0001&country=LA&gate={gate('Lao Bảo').pk}"
    client = api(officer)
    for _ in range(3):
        assert client.get(url).json()["status"] == "valid"
    refused = client.get(url)
    with translation.override("lo"):
        expected = translation.gettext("Too many pass checks in a short time. Wait a minute, then check again.")
    assert expected != "Too many pass checks in a short time. Wait a minute, then check again."
    assert refused.status_code == 429 and refused.json()["detail"] == expected
    assert "holder_name" not in refused.json()
    # the page counts the same officer's checks, and answers 429 on the form
    page = login(officer).post("/border/passes/check/", {"number": "LA-SVK-0001", "country": "LA", "gate": gate("Lao Bảo").pk})
    assert page.status_code == 429 and "ສົມພອນ" not in page.content.decode()
    # bad input counts too (someone trying numbers), and is still refused once past the rate
    assert client.get(f"/api/border/passes/check?number=&country=LA&gate={gate('Lao Bảo').pk}").status_code == 429
    # another officer is not held up
    assert api(colleague).get(url).json()["status"] == "valid"
    checked = AuditEvent.objects.filter(action="border.pass.checked", actor_id=officer.pk).count()
    assert checked == 3 and AuditEvent.objects.filter(action="border.pass.check_limited").count() >= 2


def test_a_pass_cannot_end_on_a_day_already_past_in_the_nodes_time_zone(border, foreign_officer, settings, tmp_path):
    """At 01:00 on 2 April in the node's time zone (18:00 UTC on 1 April) a pass ending on 1 April ends in the
    past: the node's dates are in its time zone (settings.TIME_ZONE), not in UTC."""
    from django.utils import timezone

    moment = datetime.datetime(2030, 4, 1, 18, 0, tzinfo=datetime.UTC)
    clock = tmp_path / "clock"
    clock.write_text(str((moment - timezone.now()).total_seconds()))
    settings.CLOCK_FILE = str(clock)
    with pytest.raises(ValidationError) as caught:
        issue(foreign_officer, valid_from=datetime.date(2030, 3, 1), valid_to=datetime.date(2030, 4, 1))
    assert set(caught.value.message_dict) == {"valid_to"}
    assert issue(foreign_officer, valid_from=datetime.date(2030, 3, 1), valid_to=datetime.date(2030, 4, 2)).pk
