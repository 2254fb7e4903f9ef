"""Message pages. Thin: forms in, service functions do the work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import signed_in, verified_required
from borderlink.audit.services import record
from borderlink.core.forms import apply_errors
from borderlink.core.page_query import page_number, page_of, query_data
from borderlink.exchange import access, queries, services
from borderlink.exchange.attachments import storage_path
from borderlink.exchange.forms import ComposeForm, FilterForm, ForwardForm, RejectForm
from borderlink.exchange.models import MessageState
from borderlink.exchange.rows import inbox_rows

PAGE_SIZE = 25
INBOX_STATE_CHOICES: list[tuple[str, Any]] = [
    ("unread", gettext_lazy("unread")),
    ("read", gettext_lazy("read")),
    ("unacknowledged", gettext_lazy("not acknowledged")),
    ("acknowledged", gettext_lazy("acknowledged")),
]


def _exchange_user(request: HttpRequest) -> Any:
    user = signed_in(request)
    if not user.can_exchange:
        raise Http404("No access.")
    return user


def _listing(request: HttpRequest, kind: str) -> HttpResponse:
    user = _exchange_user(request)
    states: list[tuple[str, Any]] = INBOX_STATE_CHOICES if kind == "inbox" else list(MessageState.choices)
    form = FilterForm(user, states, query_data(request, FilterForm))
    filters = form.to_filter()
    if filters.is_search:
        record(user, "exchange.search", object_type="message", data={"box": kind, **filters.as_audit()}, request=request)
    number = page_number(request)
    paginator = (
        queries.InboxPaginator(user, filters, PAGE_SIZE, page=number) if kind == "inbox"
        else Paginator(queries.outbox(user, filters), PAGE_SIZE)
    )
    page = paginator.get_page(number)
    if kind == "inbox":
        listed = page.object_list
        if not filters.is_search and page.number <= queries.PREPARED_PAGES and paginator.count:
            # the unfiltered inbox's first pages: the same rows, the statement compiled once per process (one per
            # page number: a whole page's window, cut where the paginator's page ends)
            bottom = (page.number - 1) * PAGE_SIZE
            listed = queries.INBOX_PAGE.all(user, window=(bottom, bottom + PAGE_SIZE))[:page.end_index() - bottom]
        page.object_list = queries.count_attachments(listed)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        f"exchange/{kind}.html",
        {"form": form, "page": page, "query": query.urlencode(), "box": kind, "filtered": filters.is_search,
         "rows": inbox_rows(page.object_list) if kind == "inbox" else None},
        status=400 if form.errors else 200,
    )


@verified_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _listing(request, "inbox")


@verified_required
def outbox(request: HttpRequest) -> HttpResponse:
    return _listing(request, "outbox")


@verified_required
def approvals(request: HttpRequest) -> HttpResponse:
    user = _exchange_user(request)
    if not user.has_capability("supervisor"):
        raise Http404("No access.")
    page = page_of(request, queries.awaiting_approval(user), PAGE_SIZE)
    return render(request, "exchange/approvals.html", {"page": page, "reject_form": RejectForm()})


@verified_required
def compose(request: HttpRequest) -> HttpResponse:
    user = _exchange_user(request)
    parent = None
    reply_to = request.GET.get("reply_to") or request.POST.get("in_reply_to")
    if reply_to:
        parent = access.get_message_for_user(user, reply_to, request)
    if request.method == "POST":
        form = ComposeForm(user, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            draft = services.Draft(
                recipient_unit_ids=[unit.pk for unit in data["recipients"]],
                subject=data["subject"],
                body=data["body"],
                priority=data["priority"],
                handling_code=data["handling_code"],
                classification=data["classification"],
                in_reply_to_id=data.get("in_reply_to"),
                attachments=data["attachments"],
            )
            try:
                message = services.send_message(user, draft, request)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if message.state == MessageState.PENDING_APPROVAL:
                    flash.info(request, _("The message goes to another country: it waits for a supervisor's approval."))
                else:
                    flash.success(request, _("The message is sent."))
                return redirect("exchange:detail", message_id=message.pk)
    else:
        initial: dict[str, Any] = {}
        if parent is not None:
            initial = {
                "in_reply_to": parent.pk,
                "subject": parent.subject if parent.subject.startswith(_("Re:")) else f"{_('Re:')} {parent.subject}"[:200],
                "recipients": [parent.sender_unit_id] if parent.sender_unit_id != user.unit_id else [],
                "priority": parent.priority,
                "handling_code": parent.handling_code,
                "classification": parent.classification,
            }
        form = ComposeForm(user, initial=initial)
    context = {"form": form, "parent": parent, "max_size": settings.ATTACHMENT_MAX_BYTES}
    return render(request, "exchange/compose.html", context)


@verified_required
def detail(request: HttpRequest, message_id: str) -> HttpResponse:
    user = _exchange_user(request)
    message = services.open_message(user, message_id, request)
    mine = access.recipient_row(user, message)
    if mine is not None and mine.read_at is None:
        mine = services.mark_read(user, message.pk, request)
    visible = access.visible_messages(user)
    context = {
        "message": message,
        "mine": mine,
        "sender_side": access.is_sender_side(user, message),
        "recipients": message.recipients.select_related("unit", "read_by", "acknowledged_by").order_by("unit__code"),
        "attachments": message.attachments.all(),
        "thread": queries.thread(message, visible),
        "can_approve": access.can_approve(user, message),
        "can_forward": access.can_forward(user, message),
        "can_reply": message.state == MessageState.SENT,
        "reject_form": RejectForm(),
    }
    return render(request, "exchange/detail.html", context)


def _act(request: HttpRequest, message_id: str, action: Any, done: str) -> HttpResponse:
    """Run one service action on a message and come back to it with the outcome."""
    try:
        action()
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, done)
    return redirect("exchange:detail", message_id=message_id)


@verified_required
@require_POST
def approve(request: HttpRequest, message_id: str) -> HttpResponse:
    user = _exchange_user(request)
    return _act(
        request, message_id, lambda: services.approve_message(user, message_id, request),
        _("Approved: the message is sent."),
    )


@verified_required
@require_POST
def reject(request: HttpRequest, message_id: str) -> HttpResponse:
    user = _exchange_user(request)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request, message_id, lambda: services.reject_message(user, message_id, reason, request),
        _("The message is rejected and will not be sent."),
    )


@verified_required
@require_POST
def acknowledge(request: HttpRequest, message_id: str) -> HttpResponse:
    user = _exchange_user(request)
    return _act(request, message_id, lambda: services.acknowledge(user, message_id, request), _("Acknowledged."))


@verified_required
def forward(request: HttpRequest, message_id: str) -> HttpResponse:
    user = _exchange_user(request)
    message = access.get_message_for_user(user, message_id, request)
    if not access.can_forward(user, message):
        flash.error(request, _("This message has handling code H2: it cannot be forwarded without the originator's consent.")
                    if message.handling_code == "H2" else _("Only a sent message can be forwarded."))
        return redirect("exchange:detail", message_id=message.pk)
    form = ForwardForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.forward_message(
                user, message.pk, [u.pk for u in form.cleaned_data["recipients"]], form.cleaned_data["note"], request
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("The message is forwarded."))
            return redirect("exchange:detail", message_id=new.pk)
    return render(request, "exchange/forward.html", {"form": form, "message": message})


@verified_required
def download(request: HttpRequest, message_id: str, attachment_id: str) -> FileResponse:
    user = _exchange_user(request)
    attachment = services.download_attachment(user, message_id, attachment_id, request)
    path = storage_path(attachment.storage_name)
    if not path.is_file():
        raise Http404("The file is missing from storage.")
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=attachment.filename, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
