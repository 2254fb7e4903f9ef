import pytest
from django.core.cache import cache

from tests.border.helpers import border  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The gate check's rate is counted in the cache (django-ratelimit): each test starts with none."""
    cache.clear()
    yield
    cache.clear()
