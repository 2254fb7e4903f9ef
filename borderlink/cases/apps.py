from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _request_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A request saved on this node (written here or a copy from a peer): its identifier is read for
    cross-referencing with cases by the worker, after the commit (cases.related.index_request)."""
    from django.db import transaction

    from borderlink.cases.tasks import index_request, index_request_name

    fields = kwargs.get("update_fields")
    if kwargs.get("raw"):
        return  # a fixture
    request_id = str(instance.pk)
    if fields is None or "identifier" in fields:
        transaction.on_commit(lambda: index_request.enqueue(request_id))
    if fields is None or "person_name" in fields:  # the worker reads only a changed name again
        transaction.on_commit(lambda: index_request_name.enqueue(request_id))


def _person_held(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A notice or a custody record written on this node (here or a copy from a peer) holds a person: the worker
    matches that person with the cases' person entities, after the commit (cases.person_match.match_person)."""
    from django.db import transaction

    from borderlink.cases.tasks import match_person

    if kwargs.get("raw") or not created:
        return
    person_id = getattr(instance, "subject_id", None) or getattr(instance, "person_id", None)
    if person_id:
        transaction.on_commit(lambda: match_person.enqueue(str(person_id)))


class CasesConfig(AppConfig):
    name = "borderlink.cases"
    verbose_name = _("Joint cases")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from borderlink.cases import federation, hits  # noqa: F401 (register the app's envelope kinds and its hit/no-hit answerer)

        post_save.connect(_request_saved, sender="assistance.Request", dispatch_uid="cases.request_saved")
        post_save.connect(_person_held, sender="notices.Notice", dispatch_uid="cases.notice_person")
        post_save.connect(_person_held, sender="custody.CustodyRecord", dispatch_uid="cases.custody_person")
