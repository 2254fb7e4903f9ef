from django.apps import AppConfig


class ToyflowConfig(AppConfig):
    """A toy cross-border workflow, installed only in tests (BORDERLINK_TEST_APPS=tests.toyflow)."""

    name = "tests.toyflow"
    label = "toyflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tests.toyflow import federation  # noqa: F401 (registers the toy's envelope kinds)
