from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _request_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A request saved on this node (written here or a copy from a peer): its identifier is read for
    cross-referencing with cases by the worker, after the commit (cases.related.index_request)."""
    from django.db import transaction

    from borderlink.cases.tasks import index_request

    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (fields is not None and "identifier" not in fields):
        return  # a fixture, or a save that leaves the identifier as it was
    request_id = str(instance.pk)
    transaction.on_commit(lambda: index_request.enqueue(request_id))


class CasesConfig(AppConfig):
    name = "borderlink.cases"
    verbose_name = _("Joint cases")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from borderlink.cases import federation, hits  # noqa: F401 (register the app's envelope kinds and its hit/no-hit answerer)

        post_save.connect(_request_saved, sender="assistance.Request", dispatch_uid="cases.request_saved")
