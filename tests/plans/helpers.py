"""Plans test setup: planners and leadership of Viet Nam and Cambodia on the shared organisation, and items."""

from __future__ import annotations

from typing import Any

import pytest

from borderlink.core import clock
from borderlink.plans import services
from tests.conftest import make_user

YEAR = clock.year()  # the plans' year: the current one by the node's clock, never a fixed calendar year


def item(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "area": "fugitives", "activity": "Trace, arrest and hand over fugitives who fled across the border.",
        "lead_proposing": "VN-QT", "lead_partner": "KH-SVR", "owner_side": "proposing",
        "indicator": "fugitives_handed_over", "target": "4", "due_date": f"{YEAR}-12-15",
    }
    data.update(overrides)
    return data


class People:
    def __init__(self, org: Any) -> None:
        self.org = org
        self.vn_planner = make_user("vn.planner", org.vn_unit, "planner", language="vi")
        self.vn_leader = make_user("vn.leader", org.vn_unit, "planner", "supervisor", language="vi")
        self.kh_planner = make_user("kh.planner", org.kh_unit, "planner", language="km")
        self.kh_leader = make_user("kh.leader", org.kh_unit, "planner", "supervisor", language="km")
        self.la_planner = make_user("la.planner", org.la_unit, "planner", language="lo")


@pytest.fixture
def people(org: Any) -> People:
    return People(org)


def propose(people: People, items: list[dict[str, Any]] | None = None, **overrides: Any) -> Any:
    data = {"year": YEAR, "title": f"Cooperation plan {YEAR}", "partner_unit": "KH-SVR",
            "items": items or [item(), item(area="drugs", activity="Exchange information on drug routes.",
                                             indicator="reported", target="", target_text="Monthly exchange",
                                             owner_side="partner")]}
    data.update(overrides)
    return services.propose_plan(people.vn_planner, services.PlanInput(**data))


def sign(people: People, plan: Any) -> Any:
    services.approve(people.vn_leader, plan.pk, "Minister of Public Security", "General")
    return services.approve(people.kh_leader, plan.pk, "Minister of Interior", "Samdech")
