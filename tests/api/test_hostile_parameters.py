"""Issue #11, finding 3, as a kind: every page and every API operation, with out-of-range integers,
dates, months and pages in every parameter it reads, answers below 500, and the API answers a field
error (4xx) whenever the value is outside the schema's bounds.

Page routes come from the URL configuration, API operations and their parameters from the OpenAPI
schema, so a new route or parameter is covered without touching this test.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HOSTILE = ["99999999999999999999", "-1", "0001-01-01", "9999-12-31", "0000-00", "9999-12", "\x00"]
HUGE_ID = 99999999999999999999


def _page_routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "api/", "federation/", "i18n/")):
                continue
            yield from _page_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + str(entry.pattern)


PAGE_ROUTES = sorted({r for r in _page_routes() if "<" not in r})


def _parameters_read(client, route: str) -> set[str]:
    """The query parameters the page reads (recorded while it answers a bound request)."""
    from django.utils.datastructures import MultiValueDict

    read: set[str] = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def recorder(original):
        def method(self, key, *args, **kwargs):
            if isinstance(key, str):
                read.add(key)
            return original(self, key, *args, **kwargs)
        return method

    for name, original in originals.items():
        setattr(MultiValueDict, name, recorder(original))
    try:
        client.get(route, {"probe": "1"})
    finally:
        for name, original in originals.items():
            setattr(MultiValueDict, name, original)
    return read - {"probe", "csrfmiddlewaretoken"}


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_pages_hold_under_hostile_query_values(route, org, login):
    from tests.conftest import make_user

    everyone = make_user("everyone", org.vn_unit, "officer", "supervisor", "liaison", "auditor", "victim_protection")
    client = login(everyone)
    names = _parameters_read(client, route) | {"page"}
    # A route that answers 5xx by design without any parameter (/healthz while no worker runs) is judged by
    # whether a hostile value changes that answer.
    baseline = client.get(route).status_code
    failures = []
    for name in sorted(names):
        for value in HOSTILE:
            status = client.get(route, {name: value}).status_code
            if status >= 500 and status != baseline:
                failures.append((name, value, status))
    assert not failures


def _operations(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def test_every_api_parameter_holds_under_hostile_values(supervisor, api):
    client = api(supervisor)
    failures = []
    for method, path, operation in _operations(client):
        url = re.sub(r"{[^}]+}", "00000000-0000-0000-0000-000000000000", path)
        for parameter in [p for p in operation.get("parameters", []) if p["in"] == "query"]:
            for value in HOSTILE:
                response = client.generic(method.upper(), url, QUERY_STRING=urlencode({parameter["name"]: value}))
                if response.status_code >= 500:
                    failures.append((method, path, parameter["name"], value, response.status_code))
    assert not failures


def _id_fields(schema: dict, component: str) -> list[str]:
    """Names of the integer id fields (and lists of ids) of a request body component."""
    spec = schema["components"]["schemas"][component]
    fields = []
    for name, prop in spec.get("properties", {}).items():
        options = prop.get("anyOf", [prop])
        for option in options:
            if option.get("type") == "integer" or option.get("items", {}).get("type") == "integer":
                fields.append(name)
    return fields


def test_integer_body_fields_out_of_range_are_field_errors(supervisor, api, org):
    """Every integer (or list of integers) in a JSON body, given a 20-digit number: a 4xx naming that field."""
    client = api(supervisor)
    schema = client.get("/api/openapi.json").json()
    checked = 0
    failures = []
    for method, path, operation in _operations(client):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        ref = body.get("$ref", "")
        if not ref:
            continue
        component = ref.rsplit("/", 1)[-1]
        url = re.sub(r"{[^}]+}", "00000000-0000-0000-0000-000000000000", path)
        for field in _id_fields(schema, component):
            prop = schema["components"]["schemas"][component]["properties"][field]
            is_list = any(o.get("type") == "array" for o in prop.get("anyOf", [prop]))
            value = [HUGE_ID] if is_list else HUGE_ID
            response = client.generic(method.upper(), url, data=f'{{"{field}": {value}}}'.replace("'", '"'),
                                      content_type="application/json")
            checked += 1
            if response.status_code >= 500 or response.status_code < 400:
                failures.append((method, path, field, response.status_code))
            elif response.status_code == 422 and not any(k.split(".")[0] == field for k in response.json()["errors"]):
                failures.append((method, path, field, "no field error", response.json()["errors"]))
    assert checked >= 8 and not failures
