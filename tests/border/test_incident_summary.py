"""The incidents summary (issue 19): the list's counts come from counts kept on write, and stay exactly what the
incidents a user may see give, through every way an incident is written: recorded, settled, shared, received
from a peer, deleted; and `incident_summary` checks and rebuilds it."""

from __future__ import annotations

import datetime
import types

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from borderlink.border import services, stats, summary
from borderlink.border.federation import IncidentPayload, apply_incident, snapshot
from borderlink.border.models import BorderIncident, IncidentCount
from borderlink.border.services import SettleInput
from borderlink.federation.schema import parse_payload
from tests.border.helpers import gate, incident, pair_code
from tests.conftest import make_user


def live_counts(user, filters) -> dict:
    """The counts as the incidents the user may see give them, counted here one by one (the rule the summary must
    keep): total, per kind, per month and kind, per pair id, per gate id."""
    out: dict = {"total": 0, "kinds": {}, "months": {}, "pairs": {}, "gates": {}}
    for item in stats.filtered(user, filters):
        out["total"] += 1
        out["kinds"][item.kind] = out["kinds"].get(item.kind, 0) + 1
        month = f"{timezone.localtime(item.occurred_at):%Y-%m}"
        out["months"][(month, item.kind)] = out["months"].get((month, item.kind), 0) + 1
        out["pairs"][str(item.pair)] = out["pairs"].get(str(item.pair), 0) + 1
        if item.gate_id:
            out["gates"][str(item.gate)] = out["gates"].get(str(item.gate), 0) + 1
    return out


def summary_counts(user, filters) -> dict:
    counts = stats.counts(user, filters)
    return {"total": counts["total"], "kinds": {k["kind"]: k["n"] for k in counts["kinds"] if k["n"]},
            "months": {(m["month"], kind): n for m in counts["months"] for kind, n in m["kinds"].items() if n},
            "pairs": {p["pair"]: p["n"] for p in counts["pairs"]}, "gates": {g["gate"]: g["n"] for g in counts["gates"]}}


def assert_exact(*users, data=None) -> None:
    assert summary.differences() == []
    for user in users:
        try:
            filters = stats.parse_filters(user, data or {"from": f"{timezone.localtime() - datetime.timedelta(days=700):%Y-%m}"})
        except ValidationError:  # a pair or gate not the user's: the page answers 400, nothing is counted
            continue
        assert summary_counts(user, filters) == live_counts(user, filters), user.username


@pytest.fixture
def users(border, org, officer, supervisor, foreign_officer):
    protection = make_user("protection", org.vn_unit, "victim_protection")
    liaison = make_user("liaison", org.vn_other, "liaison")
    tay_ninh = make_user("tn", org.kh_unit, "officer")
    return [officer, supervisor, foreign_officer, protection, liaison, tay_ninh]


def test_recording_and_settling_keep_the_counts_exact_for_every_reader(border, officer, users):
    now = timezone.now()
    items = [services.record_incident(officer, incident(occurred_at=now - datetime.timedelta(days=35 * n),
                                                        kind=kind, gate_id=gate("Lao Bảo").pk if n % 2 else None,
                                                        place="" if n % 2 else "Forest path north of the gate",
                                                        children_count=1 if n == 3 else 0))
             for n, kind in enumerate(["illegal_crossing", "boundary", "illegal_crossing", "other", "boundary"])]
    assert IncidentCount.objects.exclude(n=0).count() == 5
    assert_exact(*users)
    # a settlement that refers to protection changes a visibility column (the protection officer now counts it)
    services.settle_incident(officer, items[0].pk, SettleInput("referred_protection", "Sent to the protection unit.",
                                                                gate("Lao Bảo").pk))
    assert_exact(*users)
    assert_exact(*users, data={"from": f"{timezone.localtime() - datetime.timedelta(days=700):%Y-%m}", "gate": gate("Lao Bảo").pk})
    assert_exact(*users, data={"from": f"{timezone.localtime() - datetime.timedelta(days=700):%Y-%m}", "kind": "boundary",
                               "pair": pair_code()})


def test_sharing_moves_the_incident_into_the_other_sides_counts(border, officer, supervisor, foreign_officer, users):
    item = services.record_incident(officer, incident(share=True))
    assert summary_counts(foreign_officer, stats.parse_filters(foreign_officer, {}))["total"] == 0
    services.approve_sharing(supervisor, item.pk)
    assert summary_counts(foreign_officer, stats.parse_filters(foreign_officer, {}))["total"] == 1
    assert_exact(*users)


def test_an_incident_received_from_a_peer_is_counted(border, foreign_officer, officer, settings, users):
    settings.NODE_COUNTRY = "VN"
    item = services.record_incident(foreign_officer, incident(persons_count=2, children_count=1))
    good = snapshot(item)
    BorderIncident.objects.all().delete()  # the queryset's delete keeps the summary
    assert IncidentCount.objects.exclude(n=0).count() == 0
    peer = types.SimpleNamespace(node_id="test-la", country_id="LA")
    apply_incident(parse_payload(IncidentPayload, good), peer, {})
    assert_exact(*users)
    assert summary_counts(officer, stats.parse_filters(officer, {}))["total"] == 1
    # a new version from the peer: another kind and month
    moved = (timezone.now() - datetime.timedelta(days=40)).isoformat()
    apply_incident(parse_payload(IncidentPayload, {**good, "version": 2, "kind": "boundary", "occurred_at": moved}), peer, {})
    assert BorderIncident.objects.get().kind == "boundary"
    assert_exact(*users)


def test_deleting_an_incident_counts_it_out(border, officer, users):
    first = services.record_incident(officer, incident())
    services.record_incident(officer, incident(kind="boundary"))
    first.delete()
    assert_exact(*users)
    BorderIncident.objects.filter(kind="boundary").delete()
    assert_exact(*users)
    assert sum(summary.stored().values()) == 0


def test_the_command_finds_a_summary_out_of_step_and_rebuilds_it(border, officer, capsys):
    services.record_incident(officer, incident())
    call_command("incident_summary")
    assert "matches the incidents: 1 rows, 1 incidents" in capsys.readouterr().out
    # written behind the models' back (as a loader's SQL would): the summary no longer matches
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {BorderIncident._meta.db_table} SET kind = 'boundary'")
    with pytest.raises(CommandError, match="differs from the incidents in 2 rows"):
        call_command("incident_summary", "--check")
    call_command("incident_summary", "--rebuild")
    assert "rebuilt: 1 rows counting 1 incidents" in capsys.readouterr().out
    assert summary.differences() == []


def test_an_update_that_moves_no_summary_column_leaves_the_summary_alone(border, officer, django_assert_num_queries):
    item = services.record_incident(officer, incident())
    with django_assert_num_queries(1):
        BorderIncident.objects.filter(pk=item.pk).update(handling="Noted.")
    BorderIncident.objects.filter(pk=item.pk).update(kind="other")
    assert summary.differences() == []
