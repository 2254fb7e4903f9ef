"""An API field error names the field by the label of the operation's own form (defect 6 of the try-out:
a request's and a case entity's `kind` were labelled as a notice's kind, from one project-wide map)."""

from __future__ import annotations

import pytest
from django.utils import translation

from borderlink.api import api as ninja_api
from borderlink.api_errors import _forms, _operation_fields, form_for
from borderlink.assistance.forms import RequestForm
from borderlink.cases.forms import EntityForm
from borderlink.notices.forms import NoticeForm
from tests.cases.helpers import open_case


def _label(form, name, language="vi"):
    with translation.override(language):
        return str(form.base_fields[name].label)


@pytest.mark.django_db
def test_a_requests_kind_is_labelled_as_the_request_form_labels_it(officer, api):
    officer.language = "vi"
    officer.save()
    body = {"kind": "locate_person", "requested_unit_id": 7, "offence": "robbery", "subject": "s", "details": "d"}
    answer = api(officer).post("/api/requests", body, content_type="application/json")
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail.startswith(_label(RequestForm, "kind") + ":"), detail
    assert _label(NoticeForm, "kind") not in detail


@pytest.mark.django_db
def test_a_case_entitys_kind_is_labelled_as_the_entity_form_labels_it(officer, supervisor, api, org):
    case = open_case(officer, supervisor, [org.la_unit])
    officer.language = "vi"
    officer.save()
    answer = api(officer).post(
        f"/api/cases/{case.pk}/entities", {"kind": "online_account", "value": "x"}, content_type="application/json"
    )
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail.startswith(_label(EntityForm, "kind") + ":"), detail
    assert _label(NoticeForm, "kind") not in detail


@pytest.mark.django_db
def test_a_notices_kind_keeps_the_notice_label(officer, api):
    officer.language = "vi"
    officer.save()
    answer = api(officer).post("/api/notices", {"kind": "nonsense"}, content_type="application/json")
    assert answer.status_code == 422
    assert _label(NoticeForm, "kind") + ":" in answer.json()["detail"]


def test_every_operation_with_a_form_of_its_own_app_is_labelled_by_that_form():
    """For all apps: an operation whose input shares fields with a form of its app takes that form's labels,
    never a form of another app."""
    apps_with_forms = {".".join(f.__module__.split(".")[:2]) for f in _forms()}
    checked = 0
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                module = operation.view_func.__module__
                app = ".".join(module.split(".")[:2])
                names = _operation_fields(operation)
                form = form_for(module, names)
                if form is None:
                    continue
                assert app in apps_with_forms
                assert form.__module__.startswith(app + "."), (operation.view_func.__name__, form)
                assert names & set(form.base_fields)
                checked += 1
    assert checked > 10
