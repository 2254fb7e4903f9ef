import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
application = get_wsgi_application()


def _warm_name_index() -> None:
    """Build the name index when the web process starts, not on the first search."""
    from django.db import DatabaseError

    from borderlink.persons.name_index import get_index

    try:
        get_index()
    except DatabaseError:
        logging.getLogger(__name__).warning("name index not built at start: database not ready", exc_info=True)


if os.environ.get("BORDERLINK_WARM_INDEX", "true").lower() in ("1", "true", "yes", "on"):
    _warm_name_index()

# What the process holds from its start (Django, the URL and template machinery, the name index) moves to the
# permanent generation, so that the collector's full passes during requests no longer walk it: they cost one
# request in twenty on the case graph page up to 150 ms of CPU (bench/cases.py, --no-gc-freeze).
gc.freeze()
