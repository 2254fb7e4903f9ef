"""Liaison meeting pages: the list (with decisions due for review and overdue action items), proposing a meeting,
the meeting with every step its side may take, and the approved minutes printed as one bilingual document."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.border import meeting_access as access
from borderlink.border import meetings as services
from borderlink.border import schedules
from borderlink.border.forms import _pair_choices
from borderlink.border.meeting_workflow import ACTION_ITEMS, DECISIONS, MEETING
from borderlink.border.models import (
    INVITED,
    PROPOSING,
    ActionState,
    Decision,
    Frequency,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesState,
)
from borderlink.border.models import MeetingAction as A
from borderlink.core import clock, widgets
from borderlink.core.forms import apply_errors
from borderlink.core.models import Country
from borderlink.core.page_query import BoundedPaginator, Later, page_number_or_first
from borderlink.core.prepared import Prepared
from borderlink.core.templatetags.display import countries

# the meeting page's widgets are core.widgets': the same HTML as Django's widget templates, without a template per
# widget and option (issue 19; tests/border/test_meetings.py compares them)
DATETIME = widgets.DateTimeInput()
DATE = widgets.DateInput()
INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class MeetingForm(forms.Form):
    pair = forms.ChoiceField(label=_("Province pair"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME, input_formats=INPUT_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=200)
    reason = forms.CharField(label=_("Reason (needed for an ad-hoc meeting)"), max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pair"].choices, self.fields["pair"].initial = _pair_choices(user)  # type: ignore[attr-defined]


class _OwnIds(forms.Form):
    """A form of the meeting page whose field ids carry the form's name: several of its forms have a field `text`,
    and ids must be unique on the page."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class AnswerForm(_OwnIds):
    id_prefix = "answer"
    text = forms.CharField(label=_("Text"), max_length=20_000, required=False, widget=widgets.Textarea(attrs={"rows": 2}))
    starts_at = forms.DateTimeField(label=_("Another date and time"), widget=DATETIME, input_formats=INPUT_FORMATS,
                                    required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False, widget=widgets.TextInput)


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300, widget=widgets.TextInput)
    link_kind = forms.CharField(required=False, widget=forms.HiddenInput)
    link_id = forms.CharField(required=False, widget=forms.HiddenInput)


class DelegationForm(forms.Form):
    delegates = forms.CharField(label=_("Delegation: one person a line, as name; rank; unit; role (add “; interpreter”)"),
                                max_length=6000, widget=widgets.Textarea(attrs={"rows": 4}))

    def people(self) -> list[dict[str, Any]]:
        out = []
        for line in self.cleaned_data["delegates"].splitlines():
            parts = [p.strip() for p in line.split(";")]
            if not parts[0]:
                continue
            interpreter = len(parts) > 4 and bool(parts[4])
            out.append({"name": parts[0], "rank": parts[1] if len(parts) > 1 else "", "unit": parts[2] if len(parts) > 2 else "",
                        "role": parts[3] if len(parts) > 3 else "", "interpreter": interpreter})
        return out


class MinutesForm(_OwnIds):
    id_prefix = "minutes"
    language = forms.ChoiceField(label=_("Language"), choices=[("vi", "Tiếng Việt"), ("lo", "ລາວ"), ("km", "ខ្មែរ"), ("en", "English")],
                                 widget=widgets.Select)
    text = forms.CharField(label=_("Minutes"), max_length=20_000, widget=widgets.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=2000, required=False, widget=widgets.TextInput)


class DecisionForm(_OwnIds):
    id_prefix = "decision"
    outcome = forms.CharField(label=_("Outcome statement"), max_length=5000, widget=widgets.Textarea(attrs={"rows": 2}))
    review_date = forms.DateField(label=_("Review date"), widget=DATE)


class ActionItemForm(_OwnIds):
    id_prefix = "item"
    text = forms.CharField(label=_("Action"), max_length=5000, widget=widgets.Textarea(attrs={"rows": 2}))
    owner_side = forms.ChoiceField(label=_("Owner side"), choices=[(PROPOSING, _("proposing side")), (INVITED, _("invited side"))],
                                   widget=widgets.Select)
    owner_unit = forms.CharField(label=_("Owner unit (code)"), max_length=60, widget=widgets.TextInput)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class ProgressForm(forms.Form):
    """Shown once per action item, in the table's row: no ids (they would repeat), the label said by aria-label."""

    state = forms.ChoiceField(label=_("State"), choices=[(state, label) for state, label in ActionState.choices if state != ActionState.OPEN],
                              widget=widgets.Select(attrs={"aria-label": _("State")}))
    note = forms.CharField(label=_("Progress note (the reason, when dropped)"), max_length=5000, required=False,
                           widget=widgets.TextInput(attrs={"aria-label": _("Progress note (the reason, when dropped)")}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)


class ScheduleForm(forms.Form):
    pair = forms.ChoiceField(label=_("Province pair"))
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    first_starts_at = forms.DateTimeField(label=_("First meeting"), widget=DATETIME, input_formats=INPUT_FORMATS)
    first_host = forms.ChoiceField(label=_("Host of the first meeting (then the sides alternate)"))
    place_here = forms.CharField(label=_("Place when our side hosts"), max_length=200)
    place_across = forms.CharField(label=_("Place when the other side hosts"), max_length=200)
    lead_days = forms.IntegerField(label=_("Propose each meeting this many days before"), initial=45,
                                   min_value=schedules.LEAD_DAYS_MIN, max_value=schedules.LEAD_DAYS_MAX)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pair"].choices, self.fields["pair"].initial = _pair_choices(user)  # type: ignore[attr-defined]
        self.fields["first_host"].choices = [(c.code, c.name) for c in Country.objects.order_by("code")]  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> Any:
    if not access.may_use_meetings(request.user):
        raise Http404("No access.")
    return request.user


LIST_PAGE = 25


# the columns the list's boxes draw (border_rows.decision_items, action_items), not every column of each meeting
DUE_COLUMNS = ("id", "meeting_id", "outcome", "review_date", "meeting__reference")
OVERDUE_COLUMNS = ("id", "meeting_id", "text", "due_date", "meeting__reference", "owner_unit__name_en", "owner_unit__name_vi",
                   "owner_unit__name_lo", "owner_unit__name_km")


def _meetings(reader: Any) -> Any:
    return access.visible_meetings(reader).select_related("pair__side_a", "pair__side_b").order_by("-starts_at", "pk")


# The meetings list's reads, compiled once per process and reader shape (core.prepared; issue 19): `visible_meetings`'
# rule runs in each statement with this reader's unit and country bound on every view.
_MEETINGS: Prepared[Meeting] = Prepared("border.meetings.list", Meeting, _meetings, args=[])
_DUE: Prepared[Decision] = Prepared("border.meetings.due", Decision, lambda reader, today: services.decisions_due(
    reader, today).only(*DUE_COLUMNS), args=[Decision._meta.get_field("review_date")])
PREPARED_PAGES = 3


def _meeting_page(request: HttpRequest, user: Any) -> Page:
    """The page of `_meetings(user)` the query asks for, as `bounded_page` gives it: counted up to the paginator's
    bound and, for the first pages, read through prepared statements (a whole page's window, cut where the
    paginator's page ends); later pages and larger bounds through the ORM."""
    number = page_number_or_first(request)
    paginator = BoundedPaginator(Later(lambda: _meetings(user)), LIST_PAGE, number)
    limit = paginator.limit or BoundedPaginator.COUNT_LIMIT  # (never None: a page number was given)
    if limit == BoundedPaginator.COUNT_LIMIT:  # one counting shape (pages up to 30)
        paginator.count = _MEETINGS.count(user, limit=limit + 1)
    else:
        paginator.count = _meetings(user).order_by()[: limit + 1].count()
    page = paginator.get_page(number)
    if not paginator.count:
        page.object_list = []  # nothing to read
    elif page.number <= PREPARED_PAGES:
        bottom = (page.number - 1) * LIST_PAGE
        page.object_list = _MEETINGS.all(user, window=(bottom, bottom + LIST_PAGE))[:page.end_index() - bottom]
    return page


@verified_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    # a page at a time (issue 19: the newest 200 were drawn on every view), in the order of the index `meeting_list`,
    # counted up to a bound (page_query.BoundedPaginator); the rows draw their pair, not the units
    rows = _meeting_page(request, user)
    kept = countries()  # the process's kept rows (as `{% country %}`), not a query per view
    today = timezone.localtime(clock.now()).date()
    return render(request, "border/meetings.html", {
        "rows": rows, "page": rows, "query": "", "due": _DUE.all(user, today, window=(0, 50)),
        "overdue": services.overdue_box(user, 50, OVERDUE_COLUMNS),
        "schedules": [(s, [{**o, "host_name": kept[o["host"]].name if o["host"] in kept else o["host"]}
                           for o in schedules.next_meetings(s, 2)] if s.active else [])
                      for s in schedules.visible_schedules(user)[:50]],
        "may_keep_schedules": schedules.may_keep_schedules(user)})


@verified_required
def schedule_create(request: HttpRequest) -> HttpResponse:
    """Store a pair's regular schedule (a supervisor of the province); its meetings are proposed as they near."""
    user = _user(request)
    if not schedules.may_keep_schedules(user):
        raise Http404("No access.")
    first = (timezone.localtime() + datetime.timedelta(days=30)).replace(hour=9, minute=0)
    form = ScheduleForm(request.POST or None, user=user, initial={"first_starts_at": first.strftime("%Y-%m-%dT%H:%M"),
                                                                   "first_host": user.unit.country_id, "lead_days": 45})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            schedules.create_schedule(user, schedules.ScheduleInput(
                d["pair"], d["frequency"], d["first_starts_at"], d["first_host"], d["place_here"], d["place_across"],
                d["lead_days"]), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Schedule stored. Each meeting is proposed to the province across the border as it nears."))
            return redirect("border:meetings")
    return render(request, "border/schedule_form.html", {"form": form}, status=400 if form.errors else 200)


@verified_required
@require_POST
def schedule_stop(request: HttpRequest, schedule_id: str) -> HttpResponse:
    user = _user(request)
    try:
        schedules.stop_schedule(user, schedule_id, request)
    except ValidationError as exc:
        for message in exc.messages:
            flash.error(request, message)
    else:
        flash.success(request, _("Schedule stopped. Meetings proposed already stay."))
    return redirect("border:meetings")


@verified_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = MeetingForm(request.POST or None, user=user, initial={"starts_at": (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.propose_meeting(user, services.MeetingInput(d["pair"], d["kind"], d["starts_at"], d["place"],
                                                                           d.get("reason") or ""), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Proposed. The province across the border is told at once."))
            return redirect("border:meeting", meeting_id=meeting.pk)
    return render(request, "border/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


def _context(user: Any, meeting: Any, **forms_: Any) -> dict[str, Any]:
    side = access.side_of(user, meeting)
    can = MEETING.possible_steps(meeting, side)
    if can.get("held") and meeting.starts_at > clock.now():
        can = {**can, "held": False}  # the service refuses it before the start time: no button that can only fail
    held = meeting.state == MeetingState.HELD  # the minutes, decisions and action items are drawn for a held meeting only
    mine = Minutes.objects.filter(meeting=meeting, side=side).order_by("-version").first() if side and held else None
    can_decide = side is not None and can.get(DECISIONS[side], False)
    can_record_item = side is not None and can.get(ACTION_ITEMS[side], False)

    def form(name: str, drawn: bool, build: Any) -> Any:
        """The form bound by a failed step, or a blank one where the page draws it (issue 19: seven forms were
        built on every view, whatever the reader may do); None where it is not drawn."""
        return forms_.get(name) or (build() if drawn else None)

    return {
        "meeting": meeting, "side": side, "can": can, "can_decide": can_decide, "can_record_item": can_record_item,
        "events": meeting.events.all(),
        "agenda": [(a, access.may_see_link(user, a)) for a in meeting.agenda.all()],
        "delegates": meeting.delegates.all(), "minutes": meeting.minutes.filter(state=MinutesState.APPROVED),
        "my_draft": mine if mine is not None and mine.state == MinutesState.SUBMITTED else None,
        "decisions": meeting.decisions.all(), "items": meeting.action_items.select_related("owner_unit").prefetch_related("notes"),
        "may_approve": mine is not None and mine.state == MinutesState.SUBMITTED and user.has_capability("supervisor")
        and mine.author_id != user.pk,
        "answer_form": form("answer_form", bool(can.get("countered") or can.get("reproposed")), AnswerForm),
        "agenda_form": form("agenda_form", bool(can.get("agenda_proposing") or can.get("agenda_invited")), AgendaForm),
        "delegation_form": form("delegation_form", bool(can.get("delegation_proposing") or can.get("delegation_invited")),
                                DelegationForm),
        "minutes_form": form("minutes_form", bool(held and side),
                             lambda: MinutesForm(initial={"language": user.language or "en"})),
        "decision_form": form("decision_form", bool(held and can_decide), DecisionForm),
        "item_form": form("item_form", bool(held and can_record_item), ActionItemForm),
        "progress_form": ProgressForm() if held and side else None,
    }


@verified_required
def meeting_detail(request: HttpRequest, meeting_id: str) -> HttpResponse:
    user = _user(request)
    meeting = services.view_meeting(user, meeting_id, request)
    return render(request, "border/meeting.html", _context(user, meeting))


@verified_required
def meeting_print(request: HttpRequest, meeting_id: str) -> HttpResponse:
    """The approved minutes of both sides as one bilingual document, with the decisions and action items."""
    user = _user(request)
    meeting = services.view_meeting(user, meeting_id, request)
    latest: dict[str, Minutes] = {}
    for m in meeting.minutes.filter(state=MinutesState.APPROVED).order_by("side", "version"):
        latest[m.side] = m
    return render(request, "border/meeting_print.html", {
        "meeting": meeting, "proposing": latest.get(PROPOSING), "invited": latest.get(INVITED),
        "delegates": meeting.delegates.all(), "decisions": meeting.decisions.all(),
        "items": meeting.action_items.select_related("owner_unit")})


STEP_FORMS = {"answer": AnswerForm, "agenda": AgendaForm, "delegation": DelegationForm, "minutes": MinutesForm,
              "decision": DecisionForm, "item": ActionItemForm}


@verified_required
@require_POST
def meeting_step(request: HttpRequest, meeting_id: str, step: str) -> HttpResponse:
    """Every form of the meeting page posts here; the service decides, and errors come back on the form."""
    user = _user(request)
    meeting = access.get_meeting_for_user(user, meeting_id, request)
    action = request.POST.get("action", "")
    form_class = STEP_FORMS.get(step)
    form: Any = form_class(request.POST) if form_class else None
    if step not in (*STEP_FORMS, "held", "approve", "progress"):
        raise Http404("No such step.")
    try:
        if form is not None and not form.is_valid():
            raise ValidationError({})
        d = form.cleaned_data if form is not None else {}
        if step == "answer":
            services.answer(user, meeting.pk, action, d.get("text") or "", d.get("starts_at"), d.get("place") or "", request)
        elif step == "agenda":
            services.add_agenda_item(user, meeting.pk, d["title"], d.get("link_kind") or "", d.get("link_id") or "", request)
            if d.get("link_kind"):
                flash.success(request, _("Added to the agenda."))
        elif step == "delegation":
            services.name_delegation(user, meeting.pk, form.people(), request)
        elif step == "held":
            services.record_held(user, meeting.pk, request)
        elif step == "minutes":
            services.write_minutes(user, meeting.pk, d["language"], d["text"], d.get("reason") or "", request)
        elif step == "approve":
            services.approve_minutes(user, meeting.pk, request)
        elif step == "decision":
            services.record_decision(user, meeting.pk, d["outcome"], d["review_date"], request)
        elif step == "item":
            services.record_action_item(user, meeting.pk, d["text"], d["owner_side"], d["owner_unit"], d["due_date"], request)
        elif step == "progress":
            progress_form = ProgressForm(request.POST)
            if not progress_form.is_valid():
                raise ValidationError(progress_form.errors.get_json_data())
            services.progress(user, request.POST.get("item", ""), progress_form.cleaned_data["state"],
                              progress_form.cleaned_data.get("note") or "", request)
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict") and exc.error_dict:
            apply_errors(form, exc)
        elif form is not None and not hasattr(exc, "error_dict"):
            apply_errors(form, exc)
        else:
            for message in exc.messages:
                flash.error(request, message)
        context = _context(user, access.get_meeting_for_user(user, meeting_id, request), **{f"{step}_form": form})
        return render(request, "border/meeting.html", context, status=400)
    if request.POST.get("next") == "incident":
        return redirect("border:detail", incident_id=request.POST.get("incident", ""))
    return redirect("border:meeting", meeting_id=meeting.pk)


ACTION_LABELS = dict(A.choices)
