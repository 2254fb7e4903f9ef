from tests.plans.helpers import people  # noqa: F401
