"""Request bodies of every API operation, as a kind (tryout defects 7 and 11):

- a field the schema does not know is refused with 422 naming it, never dropped in silence;
- no body at all is the same as `{}`: accepted where every field is optional (a step such as
  `POST /api/requests/{id}/approve`), and where a field is required the 422 names that field, never the
  view's parameter ("payload").

Operations and their bodies come from the OpenAPI schema, so a new operation is covered without touching
this test. Ids in the path are unknown: past the body's validation the view answers 404.
"""

from __future__ import annotations

import enum
import re
import typing

import pytest

pytestmark = pytest.mark.django_db

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def _path_value(annotation):
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation)).value
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)[0]
    if annotation is int:
        return 999999
    return UNKNOWN_ID


def _operations():
    """(method, url, body schema class) of every API operation with a JSON body, from ninja's routers."""
    from ninja.params.models import BodyModel, PathModel

    from borderlink.api import api

    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                bodies = [m for m in operation.models if issubclass(m, BodyModel)]
                if not bodies:
                    continue
                values = {name: _path_value(field.annotation) for m in operation.models if issubclass(m, PathModel)
                          for name, field in m.model_fields.items()}
                url = "/api" + (prefix.rstrip("/") + "/" + path.lstrip("/")).replace("//", "/")
                url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m, values=values: str(values[m.group(1)]), url)
                body = bodies[0].model_fields["payload"].annotation
                for method in operation.methods:
                    yield pytest.param(method.lower(), url, body, id=f"{method} {path}")


OPERATIONS = list(_operations())


def test_the_schema_has_body_operations_from_every_app():
    paths = {p.values[1] for p in OPERATIONS}
    for prefix in ("/api/messages", "/api/requests", "/api/notices", "/api/custody", "/api/cases", "/api/victims",
                   "/api/border", "/api/plans"):
        assert any(p.startswith(prefix) for p in paths), prefix


@pytest.mark.parametrize(("method", "url", "body"), OPERATIONS)
def test_an_unknown_field_is_refused_by_name(method, url, body, officer, api):
    response = getattr(api(officer), method)(url, {"priorty_typo": "urgent"}, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "priorty_typo" in response.json()["errors"]


@pytest.mark.parametrize(("method", "url", "body"), OPERATIONS)
def test_no_body_is_an_empty_object(method, url, body, officer, api):
    required = {name for name, field in body.model_fields.items() if field.is_required()}
    for content_type in ("application/json", "text/plain", ""):
        client = api(officer)
        response = client.generic(method.upper(), url, b"", content_type=content_type) if content_type else \
            client.generic(method.upper(), url, b"")
        if required:
            assert response.status_code == 422, (content_type, response.content)
            errors = response.json()["errors"]
            assert "payload" not in errors and "payload" not in response.json()["detail"]
            assert set(errors) <= required | {"__all__"} and errors
        else:
            assert response.status_code != 422, (content_type, response.content)
            assert response.status_code < 500


def test_a_nested_unknown_field_is_refused_too(officer, api, org):
    response = api(officer).post("/api/persons", {"names": [{"name": "A B", "nickname": "x"}], "sex": "F"},
                                 content_type="application/json")
    assert response.status_code == 422 and "names.0.nickname" in response.json()["errors"], response.content
