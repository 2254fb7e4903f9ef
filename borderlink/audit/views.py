from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderlink.accounts.decorators import capability_required
from borderlink.audit.actions import ACTION_LABELS
from borderlink.audit.display import describe
from borderlink.audit.models import AuditEvent
from borderlink.audit.services import record
from borderlink.core import widgets
from borderlink.core.inputs import FilterDateField
from borderlink.core.page_query import page_of, query_data


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = FilterDateField(label=_("From"), widget=widgets.DateInput())
    date_to = FilterDateField(label=_("To"), widget=widgets.DateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("any"))] + [(code, label) for code, label in ACTION_LABELS.items()]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


@capability_required("auditor")
def log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(query_data(request, AuditFilterForm))
    qs = AuditEvent.objects.all()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        if data["actor"]:
            qs = qs.filter(actor_username__iexact=data["actor"].strip())
        if data["action"]:
            qs = qs.filter(action=data["action"])
        if data["object_id"]:
            qs = qs.filter(object_id=data["object_id"].strip())
        if data["date_from"]:
            qs = qs.filter(created_at__gte=datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=tz))
        if data["date_to"]:
            end = datetime.datetime.combine(data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
            qs = qs.filter(created_at__lt=end)
    record(request.user, "audit.viewed", data={k: str(v) for k, v in request.GET.items() if k != "page"}, request=request)
    page = page_of(request, qs.order_by("-seq"), 50)
    query = request.GET.copy()
    query.pop("page", None)
    events = describe(page.object_list, request.user)
    return render(request, "audit/log.html", {"form": form, "page": page, "events": events, "query": query.urlencode()},
                  status=400 if form.errors else 200)
