from tests.border.helpers import border  # noqa: F401
