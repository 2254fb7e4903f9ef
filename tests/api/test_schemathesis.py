"""Issue #11, proof in CI: schemathesis fuzzes every API operation from the OpenAPI schema against a
node in this process (WSGI, the test database), with a bounded number of examples. Any 5xx fails.

Each operation gets `EXAMPLES` generated cases (derandomized, so a run is repeatable), sent with a
supervisor's token (most routes) so that the requests reach validation and the services, not only
authentication. The whole module runs in well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

EXAMPLES = 10

pytestmark = pytest.mark.django_db


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI handler closes old connections at the start and end of each request; inside a test's
    transaction that would close it (PostgreSQL). Django's test client unhooks the same signal."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(supervisor, foreign_officer, _keep_the_test_connection):
    from borderlink.accounts.services import create_token

    return create_token(supervisor, "schemathesis")[1]


def _schema() -> schemathesis.BaseSchema:
    from django.core.handlers.wsgi import WSGIHandler

    return schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


schema = _schema()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
