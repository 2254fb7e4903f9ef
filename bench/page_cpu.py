"""In-process CPU per view of the case page, the incidents list, the notice search (page and API), a plan's page,
the custody list and the meetings list for each user who sees them (issue 19).

`bench/pages.py --profile` drives the first user of a page only; this drives each of `--users` (the case copies are
seen by kh.officer and vn.officer, whose pages differ: the lead unit draws the invitation form). Same loop: Django's
test client in this process, gzip accepted, three views to warm, then `--n` views timed with the thread's CPU
clock (median and mean ms), the statements of one view counted; the CPU of this connection's PostgreSQL backend over
the same views (from /proc/<pid>/stat, the server being on this machine: `db_cpu_ms`, per view) and the statements'
time (`db_wall_ms`, per view: each statement timed around its execution and fetch in this process, so round trips
included); `--statements N` lists the statements of the last view with their median time over N more views
(EXPLAIN them by hand). `--profile FILE` repeats the views under cProfile
on the thread's CPU clock (FILE-<page>-<user>.txt and .prof). For an A/B, run it alternately with
PYTHONPATH=<code tree> for each tree, on a database loaded by `bench/pages.py --keep` (`--data-dir`: that run's data
directory, which holds the collected static files). Pages: `case`, `incidents`, `plan` (the user's visible plans, for
planners), `custody_list` (`/custody/`, for users who may use custody: supervisors see the waiting box), `meetings`
(`/border/meetings/`); a page the user may not open is skipped for that user. Prints JSON.

`notice_search` and `notice_search_api` (`/notices/search/?q=` and `/api/notices/search?q=`, the API with a bearer
token made for the run) take the names `bench/pages.py` searched (its cache, `--queries`, default
`$TMPDIR/borderlink-pages-<database>.json`): the i-th user every third of them from the i-th, as pages.py's clients.

    PYTHONPATH=$PWD .venv/bin/python bench/page_cpu.py --database postgres://.../h_x_bench --data-dir /tmp/borderlink-pages-xyz
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import tempfile
import time
import uuid


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database", required=True)
    ap.add_argument("--data-dir", required=True, help="the data directory of a bench/pages.py --keep run")
    ap.add_argument("--n", type=int, default=60, help="timed views per page and user")
    ap.add_argument("--pages", default="case,incidents")
    ap.add_argument("--users", default="kh.officer,vn.officer")
    ap.add_argument("--statements", type=int, default=0, help="time each statement over N more views and list them")
    ap.add_argument("--server-binding", action="store_true",
                    help="experiment: psycopg's server-side binding, so that a statement run 5 times on the connection is "
                         "prepared on the server (its plan kept) - not the application's setting")
    ap.add_argument("--explain", default="", help="prefix of files with EXPLAIN (ANALYZE, BUFFERS) of the last view's reads")
    ap.add_argument("--profile", default="", help="prefix of the cProfile outputs (none: no profile)")
    ap.add_argument("--queries", default="", help="pages.py's cache of the searched names (default: from --database)")
    args = ap.parse_args()
    os.environ.update({
        "DATABASE_URL": args.database, "BORDERLINK_DATA_DIR": args.data_dir,
        "BORDERLINK_SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "BORDERLINK_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "BORDERLINK_SECURE_COOKIES": "false",
        "BORDERLINK_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "borderlink.settings", "BORDERLINK_WARM_INDEX": "false",
        "OMP_NUM_THREADS": "1",
    })
    os.environ.pop("BORDERLINK_TESTING", None)
    import django

    django.setup()
    from urllib.parse import quote, urlsplit

    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from borderlink.accounts.models import User
    from borderlink.accounts.services import create_token, revoke_token
    from borderlink.border.meeting_access import may_use_meetings
    from borderlink.cases.access import visible_cases
    from borderlink.custody.access import may_use_custody
    from borderlink.plans.access import may_plan, visible_plans

    cache = args.queries or os.path.join(tempfile.gettempdir(), f"borderlink-pages-{urlsplit(args.database).path.lstrip('/')}.json")
    pages = args.pages.split(",")
    queries = [q for q, _n in json.load(open(cache))["queries"]] if any(p.startswith("notice_search") for p in pages) else []

    if args.server_binding:
        connection.settings_dict["OPTIONS"] = {**connection.settings_dict.get("OPTIONS", {}), "server_side_binding": True}

    def backend_cpu_ms() -> float:
        """User + system CPU of this connection's PostgreSQL backend so far (ms; clock ticks of /proc/<pid>/stat)."""
        with open(f"/proc/{backend}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    out: dict = {"code": os.environ.get("PYTHONPATH"), "load_average_1min_at_start": round(os.getloadavg()[0], 2), "pages": {}}
    for i, name in enumerate(args.users.split(",")):
        user = User.objects.select_related("unit").get(username=name)
        browser = Client(HTTP_ACCEPT_ENCODING="gzip")
        browser.force_login(user)
        session = browser.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
        session.save()
        cases = visible_cases(user).order_by("-pk").values_list("pk", flat=True)[:200] if "case" in pages else []
        plans = visible_plans(user).order_by("-pk").values_list("pk", flat=True)[:200] if may_plan(user) else []
        names = queries[i::3] or ["x"]
        paths = {"case": [f"/cases/{pk}/" for pk in cases], "incidents": ["/border/"],
                 "notice_search": ["/notices/search/?q=" + quote(q) for q in names],
                 "notice_search_api": ["/api/notices/search?q=" + quote(q) for q in names],
                 "plan": [f"/plans/{pk}/" for pk in plans], "meetings": ["/border/meetings/"] if may_use_meetings(user) else [],
                 "custody_list": ["/custody/"] if may_use_custody(user) else []}
        token = create_token(user, "bench") if "notice_search_api" in pages else None  # revoked after the user's pages
        api = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_AUTHORIZATION=f"Bearer {token[1]}") if token else None
        for page in pages:
            mine = paths[page]
            if not mine:  # this user does not see the page (custody list: supervisors; plans: planners)
                continue
            client = api if page == "notice_search_api" else browser
            for path in mine[:3]:  # warm caches (templates, translations, prepared statements)
                client.get(path)
            cpu = []
            db0 = backend_cpu_ms()
            for j in range(args.n):
                t0 = time.thread_time()
                response = client.get(mine[(j + 3) % len(mine)])
                cpu.append((time.thread_time() - t0) * 1000)
                assert response.status_code == 200, (page, response.status_code)
            db_cpu = (backend_cpu_ms() - db0) / args.n
            timed: dict[int, list[float]] = {}
            sqls: dict[int, str] = {}

            sqls_in_view: list[str] = []  # the statements of the view being timed

            def time_each(execute, sql, params, many, context, timed=timed, sqls=sqls, sqls_in_view=sqls_in_view):  # type: ignore[no-untyped-def]
                # the statement and its fetch: Django fetches a result inside execute for most reads, and
                # the rest (chunked iteration) within the same view; time the call only
                t0 = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    key = len(sqls_in_view)
                    sqls_in_view.append(sql)
                    timed.setdefault(key, []).append((time.perf_counter() - t0) * 1000)
                    sqls.setdefault(key, sql)

            walls = []
            for w in range(max(args.statements, 10)):
                sqls_in_view.clear()
                with connection.execute_wrapper(time_each):
                    client.get(mine[(w + 3) % len(mine)])
                walls.append(sum(timed[k][-1] for k in range(len(sqls_in_view))))
            executed: list[str] = []

            bound: list[tuple[str, object]] = []

            def count(execute, sql, params, many, context, executed=executed, bound=bound):  # type: ignore[no-untyped-def]
                executed.append(sql)
                bound.append((sql, params))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(mine[-1])
            out["pages"][f"{page}:{name}"] = {"queries": len(executed), "median": round(statistics.median(cpu), 2),
                                              "mean": round(statistics.fmean(cpu), 2), "db_cpu_ms": round(db_cpu, 2),
                                              "db_wall_ms": round(statistics.median(walls), 2)}
            if args.explain:
                with open(f"{args.explain}-{page}-{name}.txt", "w") as f, connection.cursor() as cursor:
                    for sql, params in bound:
                        if not sql.lstrip().upper().startswith(("SELECT", "(SELECT", "WITH K")):
                            continue
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                        f.write(" ".join(sql.split())[:3000] + "\n" + repr(params)[:1000] + "\n" + plan + "\n\n")
            if args.statements:
                out["pages"][f"{page}:{name}"]["statements"] = [
                    [round(statistics.median(timed[k]), 3), " ".join(sqls[k].split())[:400]] for k in sorted(sqls)]
            if args.profile:
                profiler = cProfile.Profile(time.thread_time)
                profiler.enable()
                for j in range(args.n):
                    client.get(mine[(j + 3) % len(mine)])
                profiler.disable()
                profiler.dump_stats(f"{args.profile}-{page}-{name}.prof")
                text = io.StringIO()
                stats = pstats.Stats(profiler, stream=text)
                stats.sort_stats("cumulative").print_stats(90)
                stats.sort_stats("tottime").print_stats(50)
                statements = "\n".join(" ".join(sql.split())[:300] for sql in executed)
                with open(f"{args.profile}-{page}-{name}.txt", "w") as f:
                    f.write(f"{statements}\n\n{text.getvalue()}")
        if token:  # a user may hold only a few active tokens: runs on one database must not use them up
            revoke_token(user, token[0].pk)
    out["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
