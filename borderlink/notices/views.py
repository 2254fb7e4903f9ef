"""Notice pages: list, write, read, act, search, hits, print."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderlink.accounts.decorators import verified_required
from borderlink.audit.services import record
from borderlink.core.display import partial_date
from borderlink.core.forms import apply_errors, error_text
from borderlink.core.page_query import page_of, query_data
from borderlink.core.templatetags.display import countries as kept_countries
from borderlink.core.widgets import esc
from borderlink.exchange.attachments import storage_path
from borderlink.names import MATCH_THRESHOLD
from borderlink.notices import access, hits, services
from borderlink.notices.forms import ApproveForm, HitDecisionForm, NoticeForm, ReasonForm, ResolveForm, ResumeForm, SearchForm
from borderlink.notices.models import HitState, NoticeKind, NoticeState, Offence
from borderlink.notices.search import search_notices
from borderlink.persons.forms import DocumentFormSet, NameFormSet, PersonForm, person_input

PAGE_SIZE = 25
_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _user(request: HttpRequest) -> Any:
    if not access.may_use_notices(request.user):
        raise Http404("No access.")
    return request.user


@verified_required
def notice_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    state = request.GET.get("state", "")
    qs = access.visible_notices(user).filter(issuing_unit_id=user.unit_id).select_related("subject").prefetch_related("subject__names")
    if state in NoticeState.values:
        qs = qs.filter(state=state)
    needs_review = access.visible_notices(user).filter(
        issuing_unit_id=user.unit_id, state=NoticeState.SUSPENDED, events__reason="review date passed"
    ).distinct()
    page = page_of(request, qs.order_by("-updated_at"), PAGE_SIZE)
    context = {
        "page": page, "state": state, "states": NoticeState.choices, "needs_review": needs_review,
        "pending_hits": hits.hits_for_owner(user).filter(state=HitState.CANDIDATE).count(),
        "awaiting": qs.model.objects.filter(issuing_unit_id=user.unit_id, state=NoticeState.SUBMITTED).count()
        if user.has_capability("supervisor") else 0,
        "query": f"state={state}" if state else "",
    }
    return render(request, "notices/list.html", context)


@verified_required
def notice_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    post = request.POST if request.method == "POST" else None
    subject_id = request.POST.get("subject") or request.GET.get("subject")
    if subject_id:
        return _create_for_subject(request, user, subject_id)
    notice_form = NoticeForm(post, own_country=user.unit.country_id if user.unit_id else "")
    person_form = PersonForm(post, request.FILES or None)
    names = NameFormSet(post, prefix="names")
    documents = DocumentFormSet(post, prefix="docs")
    if post is not None and all(f.is_valid() for f in (notice_form, person_form, names, documents)):
        try:
            notice = services.create_notice_with_new_subject(
                user, person_input(person_form, names, documents), notice_form.to_input(None), request
            )
        except ValidationError as exc:
            person_keys = set(PersonForm.base_fields) | {"names", "documents", "photos"}
            for key, errors in exc.message_dict.items():
                target = person_form if key in person_keys else notice_form
                for error in errors:
                    target.add_error(key if key in target.fields else None, error)
        else:
            flash.success(request, _("The draft notice is saved. Submit it for approval when it is complete."))
            return redirect("notices:detail", notice_id=notice.pk)
    return render(request, "notices/form.html", {"form": notice_form, "person_form": person_form, "names": names, "documents": documents})


def _create_for_subject(request: HttpRequest, user: Any, subject_id: str) -> HttpResponse:
    from borderlink.persons.access import get_person_for_user

    subject = get_person_for_user(user, subject_id, request)
    form = NoticeForm(request.POST or None, own_country=user.unit.country_id if user.unit_id else "")
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.create_notice(user, form.to_input(subject.pk), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("The draft notice is saved. Submit it for approval when it is complete."))
            return redirect("notices:detail", notice_id=notice.pk)
    return render(request, "notices/form.html", {"form": form, "subject": subject})


@verified_required
def notice_edit(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    notice = access.get_notice_for_user(user, notice_id, request)
    if not access.is_owner(user, notice) or notice.state != NoticeState.DRAFT:
        raise Http404("No access.")
    initial = {
        "kind": notice.kind, "offence": notice.offence, "summary": notice.summary, "warrant_number": notice.warrant_number,
        "issuing_authority": notice.issuing_authority, "warrant_date": notice.warrant_date,
        "max_penalty_years": notice.max_penalty_years, "shared_with": list(notice.shared_with.all()),
        "handling_code": notice.handling_code, "review_date": notice.review_date,
    }
    form = NoticeForm(request.POST or None, initial=initial, own_country=user.unit.country_id if user.unit_id else "")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_notice(user, notice.pk, form.to_input(notice.subject_id), request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash.success(request, _("Saved."))
            return redirect("notices:detail", notice_id=notice.pk)
    return render(request, "notices/edit.html", {"form": form, "notice": notice})


@verified_required
def notice_detail(request: HttpRequest, notice_id: str) -> HttpResponse:
    """A notice: its subject's identity (names, photo, nationalities, documents, each read once: the title, the
    heading and the identity table all name the subject), the facts; for its owner the actions (their forms built
    only then), history and hits."""
    user = _user(request)
    notice = services.view_notice(user, notice_id, request)
    prefetch_related_objects([notice.subject], "names", "photos", "nationalities", "documents")
    owner = access.is_owner(user, notice)
    can_approve = access.can_approve(user, notice)
    context = {
        "notice": notice,
        "subject": notice.subject,
        "owner": owner,
        "can_approve": can_approve,
        "refusals": services.refusals(notice) if can_approve else [],
        "events": notice.events.select_related("actor") if owner else [],
        "hits": notice.hits.select_related("person", "raised_by_unit").prefetch_related("person__names") if owner else [],
    }
    if owner:
        context.update({"approve_form": ApproveForm(), "reason_form": ReasonForm(auto_id="suspend_%s"),
                        "cancel_form": ReasonForm(auto_id="cancel_%s"), "resolve_form": ResolveForm(), "resume_form": ResumeForm()})
    return render(request, "notices/detail.html", context)


@verified_required
def notice_print(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    notice = services.view_notice(user, notice_id, request)
    record(user, "notices.notice.printed", object_type="notice", object_id=notice.pk, request=request)
    return render(request, "notices/print.html", {"notice": notice, "subject": notice.subject})


@verified_required
def photo(request: HttpRequest, notice_id: str, photo_id: str) -> FileResponse:
    user = _user(request)
    notice = access.get_notice_for_user(user, notice_id, request)
    try:
        item = notice.subject.photos.get(pk=int(photo_id))
    except (ValueError, TypeError, notice.subject.photos.model.DoesNotExist):
        raise Http404("No such photo.") from None
    record(user, "notices.photo.viewed", object_type="notice", object_id=notice.pk, request=request)
    response = FileResponse(open(storage_path(item.storage_name), "rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _act(request: HttpRequest, notice_id: str, form_class: type[Form] | None, action: Callable[[dict], Any], done: str) -> HttpResponse:
    form = form_class(request.POST) if form_class else None
    data = form.cleaned_data if form is not None and form.is_valid() else {}
    if form is not None and not form.is_valid():
        flash.error(request, error_text(form))
        return redirect("notices:detail", notice_id=notice_id)
    try:
        action(data)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, done)
    return redirect("notices:detail", notice_id=notice_id)


@verified_required
@require_POST
def submit(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    return _act(request, notice_id, None, lambda d: services.submit_notice(user, notice_id, request),
                _("Submitted: a supervisor of your unit must approve the notice."))


@verified_required
@require_POST
def approve(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    return _act(request, notice_id, ApproveForm, lambda d: services.approve_notice(user, notice_id, d.get("justification", ""), request),
                _("The notice is published."))


@verified_required
@require_POST
def suspend(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    return _act(request, notice_id, ReasonForm, lambda d: services.suspend_notice(user, notice_id, d["reason"], request), _("Suspended."))


@verified_required
@require_POST
def resume(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    return _act(request, notice_id, ResumeForm,
                lambda d: services.resume_notice(user, notice_id, d["reason"], d["review_date"], request), _("Back in force."))


@verified_required
@require_POST
def cancel(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    return _act(request, notice_id, ReasonForm, lambda d: services.cancel_notice(user, notice_id, d["reason"], request), _("Cancelled."))


@verified_required
@require_POST
def resolve(request: HttpRequest, notice_id: str) -> HttpResponse:
    user = _user(request)
    return _act(request, notice_id, ResolveForm,
                lambda d: services.resolve_notice(user, notice_id, d["resolution"], d["reason"], request), _("Resolved."))


@verified_required
def search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SearchForm(query_data(request, SearchForm))
    results = None
    peer_answers = None
    if form.is_bound and form.is_valid() and (form.cleaned_data.get("q") or form.cleaned_data.get("document")):
        filters = form.filters()
        results = search_notices(user, form.cleaned_data.get("q", ""), filters, form.cleaned_data.get("document", ""),
                                 birth_year=filters.born_from if filters.born_from and filters.born_from == filters.born_to else None,
                                 limit=20)
        record(user, "notices.search", object_type="notice",
               data={"q": form.cleaned_data.get("q", ""), "document": form.cleaned_data.get("document", ""), "results": len(results)},
               request=request)
        if form.cleaned_data.get("peers"):
            peer_answers = _peer_answers(user, form.cleaned_data.get("q", ""), form.cleaned_data.get("document", ""))
    rows = _result_rows(results) if results else None
    return render(request, "notices/search.html", {"form": form, "results": rows if results else results,
                                                   "peer_answers": peer_answers, "result_rows": _result_html(rows) if rows else ""})


def _result_rows(results: list[Any]) -> list[dict[str, Any]]:
    """What each result row shows, as ready strings: drawn on every search, cheaper in Python than as
    template lookups and filters (get_FOO_display builds its choices dict on every call)."""
    kinds, offences = dict(NoticeKind.choices), dict(Offence.choices)
    countries = {code: c.name for code, c in kept_countries().items()}
    no_counterpart = _("no counterpart")
    detail = reverse("notices:detail", args=[_PLACEHOLDER])  # once, not per row (the ids are UUIDs: nothing to quote)
    formatted: dict[float, str] = {}  # floatformat(x, 2) once per value and page (the pairs' evidence repeats: 1.0, 0.95...)

    def two_places(x: float) -> str:
        text = formatted.get(x)
        if text is None:
            text = formatted[x] = esc(floatformat(x, 2))
        return text

    rows = []
    for r in results:
        notice, explanation = r.notice, r.explanation
        why: list[str] = []
        if explanation.get("pairs"):
            why = [
                SafeString(f'{esc(p["left"])} ↔ {esc(p["right"])} ({two_places(p["evidence"])}) {esc(p["reason_label"])}')
                for p in explanation["pairs"]
            ]
            why += [f"{w}: {no_counterpart}" for w in explanation.get("unmatched_left", [])]
            why += [f"{w}: {no_counterpart}" for w in explanation.get("unmatched_right", [])]
        rows.append({
            "url": detail.replace(_PLACEHOLDER, str(notice.pk)),
            "score": floatformat(r.score, 2),
            "weak": r.score < MATCH_THRESHOLD,  # listed, but below the score at which names count as the same
            "subject": r.subject_name,
            "matched_name": r.matched_name,
            "why": why,
            "notes": explanation.get("note_labels", []) if why else [],
            "kind": str(kinds.get(notice.kind, notice.kind)),
            "offence": str(offences.get(notice.offence, notice.offence)) if notice.offence else "",
            "issued_by": f"{notice.issuing_unit.name} ({countries.get(notice.issuing_unit.country_id, notice.issuing_unit.country_id)})",
            "born": partial_date(notice.subject.birth_year, notice.subject.birth_month, notice.subject.birth_day),
            "birth_agrees": r.birth_agrees,
            "document_agrees": r.document_agrees,
        })
    return rows


def _result_html(rows: list[dict[str, Any]]) -> SafeString:
    """The `<tr>` rows of the results (`_result_rows`), drawn in Python as the template drew them (issue 19:
    per-row lookups, loops and `{% translate %}` took most of the page's rendering; tests/notices/test_page_forms.py
    compares the two in four languages)."""
    weak = format_html(' <span class="badge" title="{}">{}</span>', _(
        "Below the score at which two names are taken to be the same person's: check the other details."), _("weak match"))
    why, agrees, differs = _("Why"), format_html(' <span class="badge">{}</span>', _("agrees")), _("differs")
    same = format_html('<span class="badge">{}</span>', _("same document"))
    other = format_html('<span class="badge urgent">{}</span>', differs)
    out = []
    for r in rows:  # (each value escaped as format_html did, with the faster `esc`)
        score = f"{esc(r['score'])}{weak}" if r["weak"] else f"<strong>{esc(r['score'])}</strong>"
        details = ""
        if r["why"]:
            notes = f'<ul class="meta">{"".join(f"<li>{esc(n)}</li>" for n in r["notes"])}</ul>' if r["notes"] else ""
            details = (f'<details><summary>{esc(why)}</summary><ul class="meta">{"".join(f"<li>{esc(line)}</li>" for line in r["why"])}'
                       f"</ul>{notes}</details>")
        born = agrees if r["birth_agrees"] is True else f" {other}" if r["birth_agrees"] is False else ""
        document = same if r["document_agrees"] is True else other if r["document_agrees"] is False else "—"
        offence = f'<br><span class="meta">{esc(r["offence"])}</span>' if r["offence"] else ""
        out.append(
            f'<tr class="result">\n<td>{score}</td>\n<td><a href="{esc(r["url"])}">{esc(r["subject"])}</a></td>\n'
            f"<td>{esc(r['matched_name'])}{details}</td>\n<td>{esc(r['kind'])}{offence}</td>\n<td>{esc(r['issued_by'])}</td>\n"
            f"<td>{esc(r['born'] or '—')}{born}</td>\n<td>{document}</td>\n</tr>")
    return SafeString("".join(out))


def _peer_answers(user: Any, q: str, document: str) -> list[Any]:
    """Each peer's hit or no hit; a reference links to the local copy when the notice was shared with us."""
    from borderlink.federation.search import search_peers

    answers = search_peers(user, q, document)
    visible = {
        str(pk) for pk in access.visible_notices(user).filter(
            pk__in=[h["notice"] for a in answers for h in a.hits if isinstance(h.get("notice"), str)]
        ).values_list("pk", flat=True)
    }
    from borderlink.notices.models import NoticeKind

    labels = dict(NoticeKind.choices)
    for answer in answers:
        for hit in answer.hits:
            hit["local"] = str(hit.get("notice")) in visible
            hit["kind_label"] = labels.get(str(hit.get("kind", "")), hit.get("kind", ""))
    return answers


@verified_required
def hit_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    state = request.GET.get("state", HitState.CANDIDATE)
    qs = hits.hits_for_owner(user).prefetch_related("person__names")
    if state in HitState.values:
        qs = qs.filter(state=state)
    page = page_of(request, qs, PAGE_SIZE)
    held = hits.hits_held(user).filter(state=HitState.CANDIDATE, shared_at__isnull=True)[:PAGE_SIZE]
    return render(request, "notices/hits.html", {"page": page, "state": state, "states": HitState.choices,
                                                  "form": HitDecisionForm(), "query": f"state={state}", "held": held})


@verified_required
@require_POST
def share(request: HttpRequest, hit_id: str) -> HttpResponse:
    """A person here decides to tell the owner of another country's notice of a hit (hits.share_hit)."""
    user = _user(request)
    try:
        hits.share_hit(user, hit_id, request.POST.get("reason", "")[:2000], request)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("Shared with the notice's owner."))
    return redirect("notices:hits")


@verified_required
@require_POST
def decide(request: HttpRequest, hit_id: str) -> HttpResponse:
    user = _user(request)
    form = HitDecisionForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Choose confirm or reject and give the reason."))
    else:
        try:
            hits.decide_hit(user, hit_id, form.cleaned_data["decision"] == "confirm", form.cleaned_data["reason"], request)
        except ValidationError as exc:
            flash.error(request, " ".join(exc.messages))
        else:
            flash.success(request, _("Decision recorded."))
    return redirect("notices:hits")
