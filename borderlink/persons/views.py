"""Recording persons met in the field; each is checked against published notices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from borderlink.accounts.decorators import signed_in, verified_required
from borderlink.core.page_query import page_of
from borderlink.persons import access, services
from borderlink.persons.forms import DocumentFormSet, NameFormSet, PersonForm, person_input


def _user(request: HttpRequest) -> Any:
    user = signed_in(request)
    if user.unit_id is None or not (user.can_exchange or user.has_capability("victim_protection")):
        raise Http404("No access.")
    return user


def _save(request: HttpRequest, person: Any = None) -> HttpResponse:
    user = _user(request)
    post = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    names_initial: list[dict[str, Any]] = []
    docs_initial: list[dict[str, Any]] = []
    if person is not None:
        initial = {
            "sex": person.sex, "birth_year": person.birth_year, "birth_month": person.birth_month, "birth_day": person.birth_day,
            "place_of_birth": person.place_of_birth, "nationalities": list(person.nationalities.all()),
            "distinguishing_marks": person.distinguishing_marks, "is_refugee": person.is_refugee,
            "refugee_from": person.refugee_from, "is_trafficking_victim": person.is_trafficking_victim, "is_minor": person.is_minor,
        }
        names_initial = [{"name": n.name, "kind": n.kind} for n in person.names.all()]
        docs_initial = [{"doc_type": d.doc_type, "number": d.number, "issuing_country": d.issuing_country} for d in person.documents.all()]
    form = PersonForm(post, request.FILES or None, initial=initial)
    names = NameFormSet(post, prefix="names", initial=names_initial or None)
    documents = DocumentFormSet(post, prefix="docs", initial=docs_initial or None)
    if post is not None and form.is_valid() and names.is_valid() and documents.is_valid():
        data = person_input(form, names, documents)
        try:
            if person is None:
                saved = services.record_person(user, data, request)
            else:
                saved = services.update_person(user, person.pk, data, request)
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(key if key in form.fields else None, error)
        else:
            flash.success(request, _("Saved. The person is checked against the published notices your unit may see."))
            return redirect("persons:detail", person_id=saved.pk)
    return render(request, "persons/form.html", {"form": form, "names": names, "documents": documents, "person": person})


@verified_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = access.visible_persons(user).prefetch_related("names", "nationalities").order_by("-created_at")
    page = page_of(request, qs, 25)
    return render(request, "persons/list.html", {"page": page, "query": ""})


@verified_required
def person_create(request: HttpRequest) -> HttpResponse:
    return _save(request)


@verified_required
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _user(request)
    return _save(request, access.get_person_for_user(user, person_id, request))


@verified_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _user(request)
    person = services.view_person(user, person_id, request)
    return render(request, "persons/detail.html", {"person": person, "notices": person.notices.all()})
