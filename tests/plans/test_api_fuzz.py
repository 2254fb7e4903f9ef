"""schemathesis over the plans operations only, with a token of leadership (a planner who is a supervisor), so
that generated bodies reach the services (tests/api/test_schemathesis.py sends a supervisor's token, which the
plans routes refuse at once). Any 5xx fails."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from tests.api.test_schemathesis import _keep_the_test_connection, _schema  # noqa: F401
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

schema = _schema().include(tag="plans")


@pytest.fixture
def token(org, _keep_the_test_connection):  # noqa: F811
    from borderlink.accounts.services import create_token

    return create_token(make_user("fuzz.leader", org.vn_unit, "planner", "supervisor"), "schemathesis")[1]


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_plans_operation_answers_5xx(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
