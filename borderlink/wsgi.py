import gc
import logging
import os
import threading
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
application: Any = get_wsgi_application()


def _warm_name_index() -> None:
    """Build the name index when the web process starts, not on the first search.

    The connection it read through is closed afterwards: under gunicorn's ``--preload`` this runs in the master,
    and a connection inherited by forked workers would be shared by all of them.
    """
    from django.db import DatabaseError, connections

    from borderlink.persons.name_index import get_index

    try:
        get_index()
    except DatabaseError:
        logging.getLogger(__name__).warning("name index not built at start: database not ready", exc_info=True)
    finally:
        connections.close_all()


if os.environ.get("BORDERLINK_WARM_INDEX", "true").lower() in ("1", "true", "yes", "on"):
    _warm_name_index()

# What the process holds from its start (Django, the URL and template machinery, the name index) moves to the
# permanent generation, so that the collector's full passes during requests no longer walk it; and again after
# the first requests, which load templates, API schemas and translations lazily. Without this a full pass costs
# one request in twenty on the case graph page 80-180 ms of CPU (bench/cases.py, --no-gc-freeze). Each freeze
# comes after a full collection, so no garbage is kept.
FREEZE_AFTER_REQUESTS = (1, 5, 25)


class FreezeAfterWarmUp:
    """Calls the WSGI application; after its FREEZE_AFTER_REQUESTS-th requests, collects and freezes once more."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.served = 0
        self.lock = threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        try:
            return self.app(environ, start_response)
        finally:
            with self.lock:
                self.served += 1
                if self.served in FREEZE_AFTER_REQUESTS:
                    gc.collect()
                    gc.freeze()


gc.collect()
gc.freeze()
application = FreezeAfterWarmUp(application)
