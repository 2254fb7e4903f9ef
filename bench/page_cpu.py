"""In-process CPU per view of the case page, the incidents list, a plan's page, the custody list and the meetings list
for each user who sees the copies (issue 19).

`bench/pages.py --profile` drives the first user of a page only; this drives each of `--users` (the case copies are
seen by kh.officer and vn.officer, whose pages differ: the lead unit draws the invitation form). Same loop: Django's
test client in this process, gzip accepted, three views to warm, then `--n` views timed with the thread's CPU
clock (median and mean ms), the statements of one view counted; `--profile FILE` repeats the views under cProfile
on the thread's CPU clock (FILE-<page>-<user>.txt and .prof). For an A/B, run it alternately with
PYTHONPATH=<code tree> for each tree, on a database loaded by `bench/pages.py --keep` (`--data-dir`: that run's data
directory, which holds the collected static files). Pages: `case`, `incidents`, `plan` (the user's visible plans, for
planners), `custody_list` (`/custody/`, for users who may use custody: supervisors see the waiting box), `meetings`
(`/border/meetings/`); a page the user may not open is skipped for that user. Prints JSON.

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
import time
import uuid


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database", required=True)
    ap.add_argument("--data-dir", required=True, help="the data directory of a bench/pages.py --keep run")
    ap.add_argument("--n", type=int, default=60, help="timed views per page and user")
    ap.add_argument("--pages", default="case,incidents")
    ap.add_argument("--users", default="kh.officer,vn.officer")
    ap.add_argument("--profile", default="", help="prefix of the cProfile outputs (none: no profile)")
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
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from borderlink.accounts.models import User
    from borderlink.border.meeting_access import may_use_meetings
    from borderlink.cases.access import visible_cases
    from borderlink.custody.access import may_use_custody
    from borderlink.plans.access import may_plan, visible_plans

    out: dict = {"code": os.environ.get("PYTHONPATH"), "load_average_1min_at_start": round(os.getloadavg()[0], 2), "pages": {}}
    for name in args.users.split(","):
        user = User.objects.select_related("unit").get(username=name)
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
        session.save()
        cases = visible_cases(user).order_by("-pk").values_list("pk", flat=True)[:200]
        plans = visible_plans(user).order_by("-pk").values_list("pk", flat=True)[:200] if may_plan(user) else []
        paths = {"case": [f"/cases/{pk}/" for pk in cases], "incidents": ["/border/"],
                 "plan": [f"/plans/{pk}/" for pk in plans], "meetings": ["/border/meetings/"] if may_use_meetings(user) else [],
                 "custody_list": ["/custody/"] if may_use_custody(user) else []}
        for page in args.pages.split(","):
            mine = paths[page]
            if not mine:  # this user does not see the page (custody list: supervisors; plans: planners)
                continue
            for path in mine[:3]:  # warm caches (templates, translations, prepared statements)
                client.get(path)
            cpu = []
            for i in range(args.n):
                t0 = time.thread_time()
                response = client.get(mine[(i + 3) % len(mine)])
                cpu.append((time.thread_time() - t0) * 1000)
                assert response.status_code == 200, (page, response.status_code)
            executed: list[str] = []

            def count(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(mine[-1])
            out["pages"][f"{page}:{name}"] = {"queries": len(executed), "median": round(statistics.median(cpu), 2),
                                              "mean": round(statistics.fmean(cpu), 2)}
            if args.profile:
                profiler = cProfile.Profile(time.thread_time)
                profiler.enable()
                for i in range(args.n):
                    client.get(mine[(i + 3) % len(mine)])
                profiler.disable()
                profiler.dump_stats(f"{args.profile}-{page}-{name}.prof")
                text = io.StringIO()
                stats = pstats.Stats(profiler, stream=text)
                stats.sort_stats("cumulative").print_stats(90)
                stats.sort_stats("tottime").print_stats(50)
                statements = "\n".join(" ".join(sql.split())[:300] for sql in executed)
                with open(f"{args.profile}-{page}-{name}.txt", "w") as f:
                    f.write(f"{statements}\n\n{text.getvalue()}")
    out["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
