from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "borderlink.review"
    label = "review"
    verbose_name = _("year-end review")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from borderlink.audit.actions import ACTION_LABELS
        from borderlink.review import federation  # noqa: F401 (registers the statistics envelope kind)
        from borderlink.review.services import AUDIT_LABELS

        ACTION_LABELS.update(AUDIT_LABELS)  # type: ignore[arg-type]  # lazy labels, as the table holds
