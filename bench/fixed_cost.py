"""What every page view pays outside its own queries and template (issue 19); prints JSON.

    .venv/bin/python bench/fixed_cost.py --database postgres://postgres@127.0.0.1:5432/h_pages_bench

Uses a database loaded by ``bench/pages.py --keep`` (any scale: the fixed part does not depend on the rows;
its demo users and their TOTP devices are what is needed). In this process, DEBUG off, it adds two views to
the site's URL configuration, both behind ``verified_required`` like every page:

- ``empty``: a fixed text (the middleware, the session, the user and their device check);
- ``layout``: an empty page in ``base.html`` (the same plus the layout: navigation, counts, CSRF token);

and times ``--views`` requests of each per user with the thread's CPU clock (median and mean, ms), through
Django's test client and through Django's WSGI handler called directly (the latter with the request signals
and the connection's health check, as under gunicorn). ``--profile``: cProfile (thread CPU clock) of the
layout page, the heaviest functions by cumulative time, to a text file named in the JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_LAYOUT = '{% extends "base.html" %}{% block title %}T{% endblock %}{% block content %}<p>x</p>{% endblock %}'


def urlconf():  # type: ignore[no-untyped-def]
    """A module-like object: the site's URL patterns and the two measuring views."""
    import types

    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    from borderlink.accounts.decorators import verified_required
    from borderlink.urls import urlpatterns

    layout = engines["django"].from_string(_LAYOUT)

    @verified_required
    def empty(request):  # type: ignore[no-untyped-def]
        return HttpResponse("ok " * 100)

    @verified_required
    def page(request):  # type: ignore[no-untyped-def]
        return HttpResponse(layout.render({}, request))

    module = types.ModuleType("fixed_cost_urls")
    module.urlpatterns = [path("__fixed/empty/", empty), path("__fixed/layout/", page), *urlpatterns]  # type: ignore[attr-defined]
    return module


def timed(call, n: int) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(10):
        call()
    spent = []
    for _ in range(n):
        t0 = time.thread_time()
        call()
        spent.append((time.thread_time() - t0) * 1000)
    return {"median": round(statistics.median(spent), 3), "mean": round(statistics.fmean(spent), 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/h_pages_bench")
    ap.add_argument("--users", default="vn.officer,vn.supervisor,vn.planner")
    ap.add_argument("--views", type=int, default=300)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="borderlink-fixed-"))
    os.environ.update({
        "DATABASE_URL": args.database, "BORDERLINK_DATA_DIR": str(data_dir), "BORDERLINK_DEBUG": "false",
        "BORDERLINK_SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex, "BORDERLINK_SECURE_COOKIES": "false",
        "BORDERLINK_ALLOWED_HOSTS": "testserver,127.0.0.1", "DJANGO_SETTINGS_MODULE": "borderlink.settings",
    })
    os.environ.pop("BORDERLINK_TESTING", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from borderlink.accounts.models import User

    call_command("collectstatic", "--noinput", verbosity=0)  # base.html names the static files by their hash
    report: dict = {"database": args.database.rsplit("/", 1)[-1], "load_average_1min_at_start": round(os.getloadavg()[0], 2),
                    "views": args.views, "users": {}}
    with override_settings(ROOT_URLCONF=urlconf()):
        handler = WSGIHandler()
        for name in args.users.split(","):
            client = Client(HTTP_ACCEPT_ENCODING="gzip")
            client.force_login(User.objects.get(username=name))
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user__username=name).first().persistent_id
            session.save()
            cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

            def wsgi(path: str, cookie: str = cookie) -> None:
                environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
                           "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": cookie,
                           "HTTP_ACCEPT_ENCODING": "gzip", "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(b""),
                           "wsgi.url_scheme": "http", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.errors": sys.stderr}
                status: list[str] = []
                body = handler(environ, lambda s, h, e=None: status.append(s))
                b"".join(body)
                body.close()
                assert status[0].startswith("200"), (path, status)

            def test_client(path: str, client: Client = client) -> None:
                assert client.get(path).status_code == 200, path

            report["users"][name] = {
                f"{kind}_{how}": timed(lambda kind=kind, call=call: call(f"/__fixed/{kind}/"), args.views)
                for kind in ("empty", "layout") for how, call in (("test_client", test_client), ("wsgi", wsgi))}
            if args.profile and "profile" not in report:  # (the profile stays in the data directory, kept then)
                import cProfile
                import pstats

                profiler = cProfile.Profile(time.thread_time)
                profiler.enable()
                for _ in range(args.views):
                    wsgi("/__fixed/layout/")
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(80)
                target = data_dir / "profile-layout.txt"
                target.write_text(out.getvalue())
                report["profile"] = str(target)
    report["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    if not args.profile:
        shutil.rmtree(data_dir, ignore_errors=True)  # the collected static files
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
