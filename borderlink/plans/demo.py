"""Synthetic demo data for plans: the Viet Nam–Cambodia cooperation plan of the current year by the node's clock
(`borderlink.core.clock`; a dozen items over the demo records: half on track, one late), the trilateral conference
rotation (2024 Viet Nam, Da Nang; 2025 Cambodia; 2026 Laos; then on by the rotation up to the current year, whose
conference carries the points linked to plan items), one training exchange and one study visit. Every name, figure
and text is invented.

On one node serving every country, `load` does it all. With one node per ministry, `load` writes what the
Vietnamese node can (the conferences, training and visit are each node's records), and `advance` (run on each
node in turn by `manage.py demo_plans`, as scripts/demo.sh does) takes each side's next step once the other
node's envelopes have arrived: Viet Nam proposes and approves, Cambodia approves (the plan is signed), each
side reports progress on its own items.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from borderlink.accounts.models import User
from borderlink.core import clock
from borderlink.plans import conferences, services
from borderlink.plans.models import PARTNER, PROPOSING, Conference, Item, Plan, PlanState, Training, Visit

TITLE_PREFIX = "Demo: Viet Nam–Cambodia cooperation plan"
VN, KH = "VN-MPS.DIC", "KH-MOI.GCNP"
# The conferences held so far (demo texts): year, host, place, date, statement. Later years follow the rotation.
HISTORY = (
    (2024, "VN", "Đà Nẵng", datetime.date(2024, 3, 29), "The first trilateral conference adopted an 8-point joint "
     "statement (demo text, summarised): fight transnational crime together; regular liaison meetings of border "
     "provinces; fewer border incidents; rotate the conference."),
    (2025, "KH", "Siem Reap (demo)", datetime.date(2025, 4, 10), "Demo text: the ministers reviewed the first year."),
    (2026, "LA", "Vientiane (demo)", datetime.date(2026, 6, 18), "Demo text: the ministers agreed joint action "
     "against online-fraud compounds and on the return of victims."),
)
PLACES = {"VN": "Hà Nội (demo)", "KH": "Phnom Penh (demo)", "LA": "Vientiane (demo)"}
HOSTS = {"VN": "Viet Nam", "KH": "Cambodia", "LA": "Laos"}


def year() -> int:
    """The demo plan's year: the current year of the node's clock (`clock.year`)."""
    return clock.year()


def title(of_year: int | None = None) -> str:
    """The demo plan's title, carrying its year (default: the current year), e.g. "... cooperation plan 2027"."""
    return f"{TITLE_PREFIX} {of_year or year()}"


def rotation(until: int) -> list[tuple[int, str, str, datetime.date, str]]:
    """The demo conferences from 2024 to `until` (at least 2026): the recorded history, then each later year
    hosted by the next country of `conferences.ROTATION` after the previous host, in June, in its capital."""
    held = list(HISTORY)
    while held[-1][0] < until:
        last_year, last_host = held[-1][0], held[-1][1]
        host = conferences.ROTATION[(conferences.ROTATION.index(last_host) + 1) % len(conferences.ROTATION)]
        held.append((last_year + 1, host, PLACES[host], datetime.date(last_year + 1, 6, 18),
                     "Demo text: the ministers reviewed the joint action of the past year."))
    return held


def _host(of_year: int) -> str:
    return next(held[1] for held in rotation(of_year) if held[0] == of_year)


def _place(of_year: int) -> str:
    return next(held[2] for held in rotation(of_year) if held[0] == of_year)


def _late_due(of_year: int) -> str:
    """The late item's due date: a month ago, kept inside the plan's year."""
    day = clock.today() - datetime.timedelta(days=30)
    return max(datetime.date(of_year, 1, 31), min(day, datetime.date(of_year, 12, 31))).isoformat()


def items(of_year: int | None = None) -> list[dict[str, Any]]:
    """Twelve items of the plan of `of_year` (default: the current year): six computed from the records, six
    reported by hand (three by each side)."""
    YEAR = of_year or year()

    def it(area: str, activity: str, owner: str, indicator: str, target: str = "", text: str = "",
           due: str = f"{YEAR}-12-15", **extra: Any) -> dict[str, Any]:
        return {"area": area, "activity": activity, "lead_proposing": VN, "lead_partner": KH, "owner_side": owner,
                "indicator": indicator, "target": target, "target_text": text, "due_date": due, **extra}

    return [
        it("fugitives", "Trace, arrest and hand over fugitives who fled across the border (demo).", PROPOSING,
           "fugitives_handed_over", "2", due=_late_due(YEAR)),
        it("border_provinces", "Regular liaison meetings of the twinned border provinces (demo).", PROPOSING,
           "liaison_meetings", "4"),
        it("cyber_fraud", "Open joint cases against online-fraud call centres near the border (demo).", PROPOSING,
           "cases_opened", "1", due=f"{YEAR}-12-31"),
        it("national_security", "Exchange quarterly assessments of threats to the border area (demo).", PROPOSING,
           "reported", text="Four assessments exchanged"),
        it("training", "Hold a joint course on investigating online fraud (demo).", PROPOSING, "training_exchanges",
           "1", due=f"{YEAR}-10-31"),
        it("conferences", f"Take part in the {YEAR} trilateral ministerial conference hosted by "
           f"{HOSTS[_host(YEAR)]} (demo).", PROPOSING,
           "reported", text="Delegation led by the Minister"),
        it("drugs", "Joint operations against drug routes through Tây Ninh and Svay Rieng (demo).", PARTNER,
           "reported", "12"),
        it("trafficking", "Return identified trafficking victims home within 30 days (demo).", PARTNER,
           "victims_returned", "10", parameter=30),
        it("fugitives", "Answer verification requests within their deadline (demo).", PARTNER,
           "verification_on_time", "90"),
        it("cyber_fraud", "Share intelligence on scam compounds every month (demo).", PARTNER, "reported",
           text="Twelve monthly reports"),
        it("border_provinces", "Joint patrols on the Mộc Bài–Bavet section of the border (demo).", PARTNER, "reported",
           text="One patrol a month"),
        it("drugs", "Publish and share wanted notices for drug traffickers (demo).", PARTNER, "notices_published", "3"),
    ]


def _user(name: str) -> User | None:
    return User.objects.filter(username=name).first()


def _records() -> None:
    """The conference rotation up to this year (each missing year's conference; this year's carries a point
    linked to the plan's cyber-fraud items), one training exchange and one study visit, as this node's records."""
    planner = next((u for u in map(_user, ("vn.planner", "kh.planner", "la.planner")) if u is not None), None)
    if planner is None:
        return
    YEAR = year()
    held = set(Conference.objects.values_list("year", flat=True))
    plan_items = list(Item.objects.filter(plan__title=title(YEAR), in_force=True).order_by("position"))
    first = YEAR - conferences.YEARS_WINDOW + 1  # older conferences are outside what the service accepts
    for of_year, host, place, day, statement in rotation(YEAR):
        if of_year in held or not first <= of_year <= YEAR:
            continue
        reason = "" if conferences.proposed_host(of_year) == host else \
            "Demo: the earlier conferences are not recorded on this node."
        points = [conferences.PointInput("Fight transnational crime together, first of all online fraud (demo).",
                                         [str(i.pk) for i in plan_items if i.area == "cyber_fraud"])] if of_year == YEAR else []
        conferences.record_conference(planner, conferences.ConferenceInput(
            year=of_year, host=host, place=place, starts_on=day, ends_on=day, statement_text=statement,
            out_of_turn_reason=reason,
            delegates=[conferences.MemberInput("Minister (demo)", "General", "head of delegation", c) for c in ("VN", "LA", "KH")],
            points=points))
    if not Training.objects.exists():
        conferences.record_training(planner, conferences.TrainingInput(
            title="Investigating online fraud and tracing crypto (demo)", host="VN",
            starts_on=datetime.date(YEAR, 5, 4), ends_on=datetime.date(YEAR, 5, 8),
            courses=["Scam compounds: how they work (demo)", "Tracing crypto wallets (demo)"],
            participants={"VN": 14, "KH": 12, "LA": 6}, outcome="Demo: a shared checklist for fraud cases."))
    if not Visit.objects.exists():
        conferences.record_visit(planner, conferences.VisitInput(
            kind="study_visit", from_country="KH", to_country="VN", starts_on=datetime.date(YEAR, 8, 11),
            ends_on=datetime.date(YEAR, 8, 14), purpose="Study the border gate management at Mộc Bài (demo).",
            report="Demo: the delegation saw the joint control area and the pass checks.",
            members=[conferences.MemberInput("Col. Chan Dara (demo)", "Colonel", "head")]))


def _report(user: User | None, plan: Plan, side: str) -> int:
    """The side's progress reports on its hand-reported items, once (half of the items are then on track)."""
    if user is None or plan.state != PlanState.SIGNED:
        return 0
    done = 0
    reports = {"Four assessments exchanged": ("in_progress", "", "Three of four exchanged (demo)."),
               "Delegation led by the Minister": ("done", "", f"The delegation attended in {_place(plan.year)}."),
               "Twelve monthly reports": ("in_progress", "", "Ten reports shared (demo)."),
               "One patrol a month": ("in_progress", "", "Patrols held every month so far (demo)."),
               "": ("in_progress", "7", "Seven joint operations (demo).")}
    for item in plan.items.filter(owner_side=side, indicator="reported", in_force=True):
        if item.progress.exists():
            continue
        status, value, note = reports.get(item.target_text, reports[""])
        services.report_progress(user, item.pk, services.ProgressInput(status=status, value=value, note=note))
        done += 1
    return done


def advance() -> str:
    """Take the next demo steps this node can take (idempotent): the steps of each side whose demo users live on
    this node; returns what was done."""
    steps = []
    plan = Plan.objects.filter(title=title()).first()
    if _user("vn.planner") is not None:
        planner, leader = _user("vn.planner"), _user("vn.leader")
        if plan is None and planner is not None:
            plan = services.propose_plan(planner, services.PlanInput(
                year=year(), title=title(), partner_unit=KH, items=items(),
                text="Demo: the plan agreed at the working-group meeting, for signature."))
            steps.append("proposed")
        if plan is not None and leader is not None and plan.current_version and not plan.current_version.approved_proposing_at \
                and plan.state != PlanState.SIGNED:
            services.approve(leader, plan.pk, "Minister of Public Security (demo)", "General")
            steps.append("approved by Viet Nam")
    plan = Plan.objects.filter(title=title()).first()
    if plan is not None:
        leader = _user("kh.leader")
        if leader is not None and plan.current_version and not plan.current_version.approved_partner_at \
                and plan.state != PlanState.SIGNED:
            services.approve(leader, plan.pk, "Minister of Interior (demo)", "Samdech")
            steps.append("approved by Cambodia")
    plan = Plan.objects.filter(title=title()).first()
    if plan is not None:
        if _report(_user("vn.planner"), plan, PROPOSING):
            steps.append("Viet Nam's progress")
        if _report(_user("kh.planner"), plan, PARTNER):
            steps.append("Cambodia's progress")
    return ", ".join(steps) or "nothing to do"


@transaction.atomic
def load(country: str | None = None) -> int:
    """The demo plans data this node writes at once (`country` is the node's, None for one node serving every
    country; the steps taken follow from the demo users present); returns the number of plan items in force."""
    advance()
    _records()
    return Item.objects.filter(plan__title=title(), in_force=True).count()
