"""Benchmark of notice search at scale (issue 4); prints JSON.

    .venv/bin/python bench/notices.py --persons 20000          # about a minute
    .venv/bin/python bench/notices.py                          # 1,000,000 persons

Steps, each bounded:

1. (Re)creates a dedicated PostgreSQL database (default ``borderlink_bench``;
   the names ``test``, ``postgres`` and the template databases are refused),
   migrates it, loads reference and demo data (``load_demo``) and collects the
   static files into a scratch data directory.
2. Bulk-loads N synthetic persons with COPY: each has 1-3 names (Lao, Khmer or
   Vietnamese, generated from the syllable lists below, in native script
   and/or Latin transcription; all invented), a nationality, sex and year of
   birth. A fraction (``--notice-share``, 5%) are subjects of published
   notices issued by the provincial units VN-QT.PP, LA-SVK.PP and KH-SVR.PP
   and shared with the two other countries. No IndexChange rows: the name
   index is built from PersonName when the web process starts.
3. Starts gunicorn (``borderlink.wsgi:application``, gthread) on a loopback
   port and waits until every worker is up; the name index is built during
   start-up (in the master with ``--preload``, followed by ``gc.freeze()`` so
   forked workers share its pages; otherwise in each worker).
4. Runs ``--clients`` concurrent clients (threads, http.client, keep-alive,
   127.0.0.1 only) against the search page (a signed-in, TOTP-verified
   session per client) and then the API (a bearer token per user). Queries
   are names of loaded persons in another script or spelling than stored:
   80% are subjects of notices (the expected notice should be found), 20%
   other persons (no visible notice expected). Every phase stops after
   ``--requests`` requests or ``--max-seconds``.
5. Prints JSON: sizes, load and start-up times, index build time (from the
   server log), server memory (RSS and PSS summed over gunicorn processes;
   PSS counts shared pages once, so it is the figure for the 2 GB budget),
   latency p50/p95/p99, throughput, errors, found rate, budgets and verdicts.
   The server is stopped at the end, also on Ctrl-C or error; the database is
   dropped unless ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent  # replaced by a snapshot of HEAD unless --source worktree

BUDGET_P95_MS = 150.0
BUDGET_MEMORY_MB = 2048.0
REFUSED_DATABASES = {"test", "postgres", "template0", "template1", "borderlink"}
ISSUING_UNITS = {"VN": ("VN-QT.PP", "vn.officer", "vn.supervisor"),
                 "LA": ("LA-SVK.PP", "la.officer", "la.supervisor"),
                 "KH": ("KH-SVR.PP", "kh.officer", "kh.supervisor")}
SEARCH_USERS = ["vn.officer", "la.officer", "kh.officer"]

# ---- synthetic names (invented syllables; no real person's name is used) ----------------

LAO_SYLLABLES = (
    "ບຸນ ຄຳ ສີ ສົມ ທອງ ແກ້ວ ວົງ ພອນ ໄຊ ມະ ນີ ຈັນ ສຸກ ພູ ວັນ ດາ ສອນ ພັນ ລາ ວິ ໄລ ສະ ຫວັດ "
    "ບົວ ເພັດ ລັດ ນະ ອຸ ດົມ ລິ ຍາ ພົມ ມາ ແສງ ອາ ລຸນ ສັກ ດີ ມົນ ເງິນ ຄູນ ຫອມ ນວນ ປະ ເສີດ ທິບ"
).split()
LAO_INITIALS = list("ກຂຄງຈສຊຍດຕຖທນບປຜພຟມຢລວຫອຮ")
LAO_FINALS = list("ກງດນບມຍວ")
LAO_SHAPES = ["{c}ະ", "{c}ັ{f}", "{c}າ", "{c}າ{f}", "{c}ິ{f}", "{c}ີ", "{c}ຸ{f}", "{c}ູ", "ເ{c}",
              "ແ{c}", "ໂ{c}", "ໄ{c}", "{c}ົ{f}", "{c}ອ{f}", "ເ{c}າ", "{c}ຳ"]
KM_FAMILY = "សុខ ចាន់ ហេង លី គឹម ឈឹម ទេព ពេជ្រ ម៉ម សៀង យឹម ខៀវ កែវ មាស សោម ទូច ឯក សាន់ ម៉ៅ ប៊ុន ឃុន ចេង ឡុង ហួត".split()
KM_CONS = list("កខគឃងចឆជញដតថទធនបផពភមយរលវសហឡអ")
KM_VOWELS = ["", "ា", "ិ", "ី", "ុ", "ូ", "ួ", "េ", "ែ", "ោ", "ៅ", "ៀ", "ំ", "ាំ"]
KM_FINALS = ["", "", "ក", "ង", "ន", "ម", "ត", "ញ", "យ", "ល", "ស"]
VN_FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Phan", 4), ("Vũ", 2),
             ("Võ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
             ("Lý", 0.5), ("Đinh", 0.5), ("Đào", 0.4), ("Mai", 0.3), ("Lâm", 0.3), ("Cao", 0.3), ("Tạ", 0.2)]
VN_MIDDLE = [("Văn", 30), ("Thị", 30), ("Minh", 5), ("Hữu", 4), ("Đức", 4), ("Ngọc", 4), ("Thanh", 4),
             ("Quốc", 3), ("Xuân", 3), ("Kim", 3), ("Công", 2), ("Đình", 2), ("Thu", 2), ("Gia", 1)]
VN_GIVEN = ("An Anh Bảo Bình Cường Chi Dũng Dung Duy Đạt Điệp Đông Giang Hà Hải Hạnh Hằng Hiền Hiếu Hòa Hoa "
            "Hồng Huệ Hùng Hưng Hương Huy Khang Khánh Khoa Kiên Lan Linh Loan Long Lộc Mai Mạnh My Nam Nga "
            "Ngân Nghĩa Nhân Nhung Oanh Phong Phú Phúc Phượng Quang Quân Quế Quý Sang Sơn Tài Tâm Tân Thắng "
            "Thảo Thịnh Thủy Thư Tiến Toàn Trang Trí Trinh Trung Tú Tuấn Tùng Tuyết Uyên Vân Việt Vinh Yến").split()
LATIN_VARIANTS = [("ph", "p"), ("x", "s"), ("ou", "u"), ("v", "w"), ("th", "t"), ("ch", "j"), ("a", "aa"),
                  ("o", "oh"), ("ee", "i"), ("i", "y"), ("kh", "k"), ("ng", "n")]


def _weighted(rng: random.Random, items: list[tuple[str, float]]) -> str:
    return rng.choices([w for w, _ in items], [p for _, p in items])[0]


def _lao_word(rng: random.Random, syllables: tuple[int, int]) -> str:
    out = []
    for _ in range(rng.randint(*syllables)):
        if rng.random() < 0.55:
            out.append(rng.choice(LAO_SYLLABLES))
        else:
            out.append(rng.choice(LAO_SHAPES).format(c=rng.choice(LAO_INITIALS), f=rng.choice(LAO_FINALS)))
    return "".join(out)


def _khmer_word(rng: random.Random) -> str:
    return "".join(rng.choice(KM_CONS) + rng.choice(KM_VOWELS) + rng.choice(KM_FINALS) for _ in range(rng.choice((1, 2, 2))))


def _fold(name: str) -> str:
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in folded if not unicodedata.combining(c)))


def _respell(rng: random.Random, latin: str) -> str:
    """Another plausible Latin spelling: one substitution, random case."""
    options = [(a, b) for a, b in LATIN_VARIANTS if a in latin.lower()]
    out = latin
    if options:
        a, b = rng.choice(options)
        low = latin.lower()
        i = low.find(a)
        out = latin[:i] + b + latin[i + len(a):]
    r = rng.random()
    return out.lower() if r < 0.4 else out.upper() if r < 0.6 else out


class PersonGen:
    """Synthetic persons: names as stored, plus a search query in another script or spelling."""

    def __init__(self, seed: int) -> None:
        from borderlink.names import khmer, lao

        self.rng = random.Random(seed)
        self.lao, self.khmer = lao, khmer

    def person(self) -> tuple[str, list[tuple[str, str]], str]:
        """(country, [(name, kind)], query)."""
        rng = self.rng
        r = rng.random()
        if r < 0.35 or r >= 0.65:
            country = "LA" if r < 0.35 else "KH"
            if country == "LA":
                given, family = _lao_word(rng, (1, 2)), _lao_word(rng, (2, 4))
                native = f"{given} {family}"
                latin = self.lao.romanize(native)
                alias = f"{_lao_word(rng, (1, 2))} {family}"
            else:
                family = rng.choice(KM_FAMILY) if rng.random() < 0.6 else _khmer_word(rng)
                native = f"{family} {_khmer_word(rng)}"
                latin = self.khmer.romanize(native)
                alias = f"{family} {_khmer_word(rng)}"
            form = rng.random()
            if form < 0.4:  # native script only: searched in Latin letters
                names, query = [(native, "primary")], latin if rng.random() < 0.5 else _respell(rng, latin)
            elif form < 0.7:  # native and transcription: searched in another Latin spelling
                names, query = [(native, "primary"), (latin, "transcription")], _respell(rng, latin)
            else:  # Latin only (recorded from a passport): searched in native script
                names, query = [(latin.upper(), "primary")], native
            if rng.random() < 0.1:
                names.append((alias, "alias"))
        else:
            country = "VN"
            parts = [_weighted(rng, VN_FAMILY), _weighted(rng, VN_MIDDLE), rng.choice(VN_GIVEN)]
            if rng.random() < 0.2:
                parts.insert(2, rng.choice(VN_GIVEN))
            native = " ".join(parts)
            ascii_name = _fold(native)
            if rng.random() < 0.7:
                names = [(native, "primary")]
                if rng.random() < 0.3:
                    names.append((ascii_name.upper(), "transcription"))
                query = ascii_name.lower() if rng.random() < 0.7 else " ".join(ascii_name.split()[1:] + ascii_name.split()[:1])
            else:
                names, query = [(ascii_name.upper(), "primary")], native
            if rng.random() < 0.1:
                names.append((" ".join(parts[:-1] + [rng.choice(VN_GIVEN)]), "alias"))
        return country, names, query


# ---- database ----------------------------------------------------------------------------


def _pg_kwargs(url: str, dbname: str | None = None) -> dict:
    p = urlparse(url)
    return {"host": p.hostname or "127.0.0.1", "port": p.port or 5432, "user": p.username or "postgres",
            "password": p.password or None, "dbname": dbname or (p.path or "/").lstrip("/"), "connect_timeout": 10}


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = _pg_kwargs(url)["dbname"]
    if not name or name in REFUSED_DATABASES:
        raise SystemExit(f"refusing to (re)create database {name!r}: use a dedicated benchmark database")
    with psycopg.connect(**_pg_kwargs(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = _pg_kwargs(url)["dbname"]
    if name in REFUSED_DATABASES:
        return
    with psycopg.connect(**_pg_kwargs(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


PERSON_COLUMNS = ("id", "recorded_by_unit_id", "created_by_id", "sex", "birth_year", "birth_month", "birth_day",
                  "place_of_birth", "distinguishing_marks", "is_refugee", "refugee_from_id", "is_trafficking_victim",
                  "is_minor", "created_at", "updated_at")
NOTICE_COLUMNS = ("id", "kind", "subject_id", "offence", "warrant_number", "issuing_authority", "warrant_date",
                  "max_penalty_years", "summary", "issuing_unit_id", "created_by_id", "handling_code", "review_date",
                  "state", "resolution", "neutrality_flags", "neutrality_justification", "approved_by_id",
                  "published_at", "created_at", "updated_at")


def copy_rows(cur, model, columns: tuple[str, ...], rows: list[tuple], now: datetime) -> None:
    """COPY rows into the model's table; columns not given get the field's default (the schema may grow)."""
    from django.db import models

    given = {c: i for i, c in enumerate(columns)}
    fields = [f for f in model._meta.concrete_fields if not (isinstance(f, models.AutoField) and f.attname not in given)]
    fill = []
    for f in fields:
        if f.attname in given:
            fill.append((given[f.attname], None))
            continue
        if f.has_default() or not f.null:
            value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            if value is None and not f.null:
                raise SystemExit(f"bench: no value for the new NOT NULL column {model._meta.db_table}.{f.column}")
        else:
            value = None
        fill.append((None, value))
    json_cols = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    cols = ", ".join(f.column for f in fields)
    with cur.copy(f"COPY {model._meta.db_table} ({cols}) FROM STDIN") as cp:
        for row in rows:
            out = [row[i] if i is not None else v for i, v in fill]
            for j in json_cols:
                if not isinstance(out[j], str):
                    out[j] = json.dumps(out[j])
            cp.write_row(out)


def bulk_load(url: str, n: int, notice_share: float, seed: int, pool_size: int) -> dict:
    """COPY n persons, their names and nationalities, and notices about a share of them."""
    import psycopg

    from borderlink.accounts.models import User
    from borderlink.core.models import Unit
    from borderlink.notices.models import Notice
    from borderlink.persons.models import Person, PersonName, detect_script

    units = {c: Unit.objects.get(code=code).pk for c, (code, _o, _s) in ISSUING_UNITS.items()}
    users = {u.username: u.pk for u in User.objects.filter(username__in=[x for v in ISSUING_UNITS.values() for x in v[1:]])}

    gen = PersonGen(seed)
    rng = random.Random(seed + 1)
    now = datetime.now(UTC)
    review = date.today() + timedelta(days=365)
    kinds = [("wanted_arrest", 0.4), ("wanted_locate", 0.25), ("missing", 0.2), ("warning", 0.15)]
    offences = ["drug_trafficking", "trafficking_in_persons", "migrant_smuggling", "fraud", "cybercrime",
                "money_laundering", "homicide", "robbery", "smuggling_of_goods", "wildlife_trafficking"]
    pool: list[tuple[str, str | None]] = []  # (query, expected notice id or None)
    other_pool: list[tuple[str, None]] = []
    names_total = notices_total = 0
    chunk = 50_000
    started = time.perf_counter()
    with psycopg.connect(**_pg_kwargs(url)) as conn:
        try:  # skip FK triggers while loading generated, consistent rows (needs superuser)
            conn.execute("SET session_replication_role = replica")
        except psycopg.Error:
            conn.rollback()
        done = 0
        while done < n:
            size = min(chunk, n - done)
            persons, names, nats, notices, shared = [], [], [], [], []
            for _ in range(size):
                country, pnames, query = gen.person()
                pid = uuid.UUID(int=rng.getrandbits(128), version=4)
                rec_country = rng.choice("VVLK") if rng.random() < 0.5 else country
                rec_country = {"V": "VN", "L": "LA", "K": "KH"}.get(rec_country, rec_country)
                _unit, officer, supervisor = ISSUING_UNITS[rec_country]
                year = rng.randint(1950, 2006) if rng.random() < 0.9 else None
                persons.append((pid, units[rec_country], users[officer], rng.choice("MMFFU"), year, None, None,
                                "", "", False, None, False, False, now, now))
                for name, kind in pnames:
                    names.append((pid, name, kind, detect_script(name)))
                nats.append((pid, country))
                if rng.random() < notice_share:
                    nid = uuid.UUID(int=rng.getrandbits(128), version=4)
                    kind = _weighted(rng, kinds)
                    wanted = kind.startswith("wanted")
                    notices.append((
                        nid, kind, pid, rng.choice(offences) if kind in ("wanted_arrest", "wanted_locate", "warning") else "",
                        f"W-{rng.randint(1000, 99999)}/{rng.randint(2020, 2026)}" if wanted else "",
                        "Provincial People's Procuracy (synthetic)" if wanted else "",
                        date(2025, rng.randint(1, 12), rng.randint(1, 28)) if wanted else None,
                        rng.randint(3, 20) if kind == "wanted_arrest" else None,
                        "Synthetic benchmark notice; every fact is invented.", units[rec_country], users[officer],
                        "H1", review, "published", "", "[]", "", users[supervisor], now, now, now,
                    ))
                    shared.extend((nid, c) for c in ISSUING_UNITS if c != rec_country)
                    if len(pool) < pool_size:
                        pool.append((query, str(nid)))
                elif len(other_pool) < pool_size // 4 and rng.random() < 0.05:
                    other_pool.append((query, None))
            with conn.cursor() as cur:
                copy_rows(cur, Person, PERSON_COLUMNS, persons, now)
                copy_rows(cur, PersonName, ("person_id", "name", "kind", "script"), names, now)
                copy_rows(cur, Person.nationalities.through, ("person_id", "country_id"), nats, now)
                if notices:
                    copy_rows(cur, Notice, NOTICE_COLUMNS, notices, now)
                    copy_rows(cur, Notice.shared_with.through, ("notice_id", "country_id"), shared, now)
            conn.commit()
            done += size
            names_total += len(names)
            notices_total += len(notices)
    load_seconds = time.perf_counter() - started
    t0 = time.perf_counter()
    with psycopg.connect(**_pg_kwargs(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    # 80% of queries find a notice subject, 20% another person
    want_other = max(1, len(pool) // 4)
    queries = pool + other_pool[:want_other]
    rng.shuffle(queries)
    return {"persons": n, "names": names_total, "notices": notices_total, "load_seconds": round(load_seconds, 1),
            "vacuum_analyze_seconds": round(time.perf_counter() - t0, 1), "queries": queries}


# ---- server ------------------------------------------------------------------------------

GUNICORN_CONF = '''
import gc, os, time
bind = {bind!r}
workers = {workers}
threads = {threads}
worker_class = "gthread"
preload_app = {preload}
timeout = 600
graceful_timeout = 10
keepalive = 30
backlog = 256
errorlog = {errorlog!r}
control_socket_disable = True  # not the shared $HOME/.gunicorn/gunicorn.ctl of other servers on this machine
loglevel = "info"
READY = {ready!r}


def when_ready(server):
    if preload_app:
        from django.db import connections
        connections.close_all()  # the index was read in the master: never share its connection with workers
        gc.freeze()  # objects built so far (the index) are never touched by GC in workers: pages stay shared


def post_worker_init(worker):
    with open(READY, "a") as f:
        f.write(f"{{os.getpid()}} {{time.time()}}\\n")
'''


def snapshot_head(work: Path) -> dict:
    """Export the committed tree (HEAD) to `work`, so edits in progress in the working tree do not leak in."""
    repo = Path(__file__).resolve().parent.parent
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "borderlink"], cwd=repo,
                                check=True, capture_output=True, text=True).stdout.strip())
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=repo, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    for mo in (repo / "borderlink" / "locale").glob("*/LC_MESSAGES/*.mo"):  # compiled catalogs are not in git
        target = work / mo.relative_to(repo)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(mo, target)
    return {"source": "HEAD", "commit": commit[:12], "working_tree_had_uncommitted_changes": dirty}


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    out.append(int(entry))
            except OSError:
                continue
    return out


def server_memory(master: int) -> dict:
    """RSS and PSS (MB) summed over the master and its workers, and their peak RSS (VmHWM)."""
    rss = pss = hwm = 0.0
    pids = [master] + _children(master)
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) / 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) / 1024
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm += int(line.split()[1]) / 1024
        except OSError:
            continue
    return {"processes": len(pids), "rss_mb": round(rss, 1), "pss_mb": round(pss, 1), "peak_rss_mb": round(hwm, 1)}


class Server:
    def __init__(self, data_dir: Path, env: dict, port: int, workers: int, threads: int, preload: bool) -> None:
        self.data_dir, self.env, self.port = data_dir, env, port
        self.workers, self.threads, self.preload = workers, threads, preload
        self.log = data_dir / "gunicorn.log"
        self.ready = data_dir / "workers.ready"
        self.proc: subprocess.Popen | None = None
        self._stderr = None

    def start(self, timeout: float) -> float:
        conf = self.data_dir / "gunicorn_bench.conf.py"
        conf.write_text(GUNICORN_CONF.format(bind=f"127.0.0.1:{self.port}", workers=self.workers, threads=self.threads,
                                             preload=self.preload, errorlog=str(self.log), ready=str(self.ready)))
        self.ready.unlink(missing_ok=True)
        self._stderr = open(self.data_dir / "gunicorn.stderr", "w")
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "borderlink.wsgi:application", "-c", str(conf)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self._stderr,
            start_new_session=True,
        )
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log}")
            up = len(self.ready.read_text().splitlines()) if self.ready.exists() else 0
            if up >= self.workers and self._answers():
                return time.monotonic() - started
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s; see {self.log}")

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/login/")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def index_builds(self) -> list[dict]:
        """'name index built: N names in S s' lines from the server log."""
        import re

        out = []
        for path in (self.log, self.data_dir / "gunicorn.stderr"):
            if path.exists():
                for m in re.finditer(r"name index built: (\d+) names in ([\d.]+) s", path.read_text(errors="replace")):
                    out.append({"names": int(m.group(1)), "seconds": float(m.group(2))})
        return out

    def stop(self) -> None:
        try:
            self._terminate()
        finally:
            if self._stderr is not None:
                self._stderr.close()

    def _terminate(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own session: the master and its workers only
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass


# ---- load --------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))], 1) if s else 0.0


def run_phase(port: int, kind: str, creds: list[str], queries: list[tuple[str, str | None]], clients: int,
              requests: int, max_seconds: float, warmup: int, memory_probe, think_ms: float = 0.0) -> dict:
    """`clients` threads share `requests` searches (after `warmup` uncounted ones); stops at max_seconds."""
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors: list[str] = []
    found = expected = empty_ok = others = 0
    total = warmup + requests
    deadline = time.monotonic() + max_seconds

    def take() -> int | None:
        with lock:
            i = state["next"]
            if i >= total or time.monotonic() > deadline:
                return None
            state["next"] = i + 1
            return i

    def client(n: int) -> None:
        nonlocal found, expected, empty_ok, others
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rng = random.Random(n)
        headers = {"Accept-Encoding": "gzip"}
        if kind == "page":
            headers["Cookie"] = creds[n % len(creds)]
        else:
            headers["Authorization"] = f"Bearer {creds[n % len(creds)]}"
        while (i := take()) is not None:
            if think_ms:
                time.sleep(rng.expovariate(1000.0 / think_ms))
            query, notice = queries[i % len(queries)]
            path = ("/notices/search/?q=" if kind == "page" else "/api/notices/search?q=") + quote(query)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                ms = (time.perf_counter() - t0) * 1000
                if resp.getheader("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                ok = resp.status == 200
                err = None if ok else f"HTTP {resp.status} after {time.perf_counter() - started:.1f} s"
            except (OSError, http.client.HTTPException) as exc:
                ms = (time.perf_counter() - t0) * 1000
                ok, err, body = False, f"{type(exc).__name__} after {time.perf_counter() - started:.1f} s", b""
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if i < warmup:
                continue
            with lock:
                latencies.append(ms)
                if not ok:
                    errors.append(err or "error")
                    continue
                if notice is not None:
                    expected += 1
                    found += notice.encode() in body
                else:
                    others += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    t0 = started = time.perf_counter()
    for t in threads:
        t.start()
    peak = {"rss_mb": 0.0, "pss_mb": 0.0}
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline + 65:
        m = memory_probe()
        peak = {k: max(peak[k], m[k]) for k in peak}
        time.sleep(1.0)
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 65))
    wall = time.perf_counter() - t0
    counted = len(latencies)
    return {
        "requests": counted,
        "errors": len(errors),
        "first_errors": errors[:5],
        "p50_ms": pct(latencies, 50), "p95_ms": pct(latencies, 95), "p99_ms": pct(latencies, 99),
        "max_ms": round(max(latencies), 1) if latencies else 0.0,
        "throughput_rps": round(counted / wall, 1) if wall > 0 else 0.0,
        "expected_notice_found": round(found / expected, 3) if expected else None,
        "queries_expecting_a_notice": expected, "queries_expecting_none": others,
        "stopped_by_time_limit": state["next"] < total,
        "server_memory_peak_during_phase": peak,
    }


def make_credentials(clients: int) -> tuple[list[str], list[str]]:
    """A verified session per client (as tests/conftest.py verified_client) and a token per search user."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from borderlink.accounts.models import User
    from borderlink.accounts.services import create_token

    users = [User.objects.get(username=u) for u in SEARCH_USERS]
    sessions = []
    for n in range(clients):
        user = users[n % len(users)]
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
        session.save()
        sessions.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    tokens = [create_token(u, "bench")[1] for u in users]
    return sessions, tokens


# ---- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/borderlink_bench")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=None,
                    help="counted requests per phase (page, API); default persons/100, between 200 and 2000")
    ap.add_argument("--warmup", type=int, default=40, help="uncounted requests before each phase")
    ap.add_argument("--max-seconds", type=float, default=300, help="time limit per phase")
    ap.add_argument("--think-ms", type=float, default=0.0,
                    help="mean pause of each client before each request (exponential); 0: closed loop, no pause")
    ap.add_argument("--notice-share", type=float, default=0.05)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--no-preload", dest="preload", action="store_false",
                    help="build the index in each worker instead of once in the master")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--start-timeout", type=float, default=1200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--source", choices=["head", "worktree"], default="head",
                    help="run the committed code (a snapshot of HEAD, default) or the working tree as it is")
    ap.add_argument("--keep", action="store_true", help="keep the database and the data directory")
    args = ap.parse_args(argv)
    if args.requests is None:
        args.requests = min(2000, max(200, args.persons // 100))
    if not 1 <= args.clients <= 100 or not 1 <= args.requests <= 100_000 or args.persons < 100:
        ap.error("clients 1-100, requests 1-100000, persons at least 100")

    global ROOT
    data_dir = Path(tempfile.mkdtemp(prefix="borderlink-bench-"))
    if args.source == "head":
        ROOT = data_dir / "src"
        ROOT.mkdir()
        code = snapshot_head(ROOT)
    else:
        code = {"source": "working tree", "path": str(ROOT)}
    sys.path.insert(0, str(ROOT))
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": args.database, "BORDERLINK_DATA_DIR": str(data_dir),
        "BORDERLINK_SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "BORDERLINK_ALLOWED_HOSTS": "127.0.0.1,localhost", "BORDERLINK_SECURE_COOKIES": "false",
        "BORDERLINK_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "borderlink.settings",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "BORDERLINK_WARM_INDEX": "true",
    })
    env.pop("BORDERLINK_SECRET_KEY_FILE", None)
    env.pop("BORDERLINK_TESTING", None)
    os.environ.update(env)
    os.environ.pop("BORDERLINK_SECRET_KEY_FILE", None)
    os.environ["BORDERLINK_WARM_INDEX"] = "false"  # this process never needs the index

    server = Server(data_dir, env, args.port, args.workers, args.threads, args.preload)
    db = _pg_kwargs(args.database)
    report: dict = {"database": f"{db['host']}:{db['port']}/{db['dbname']}", "code": code}
    t_all = time.perf_counter()
    try:
        t0 = time.perf_counter()
        report["load_average_1min_at_start"] = round(os.getloadavg()[0], 2)  # other work on the machine skews latency
        recreate_database(args.database)
        import django
        from django.core.management import call_command

        import borderlink

        assert Path(borderlink.__file__).resolve().is_relative_to(ROOT.resolve()), borderlink.__file__

        django.setup()
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as devnull:
            call_command("load_demo", stdout=devnull)
        call_command("collectstatic", "--noinput", verbosity=0)
        report["setup_seconds"] = round(time.perf_counter() - t0, 1)
        from django.db import connections

        connections.close_all()
        loaded = bulk_load(args.database, args.persons, args.notice_share, args.seed, pool_size=2 * (args.requests + args.warmup))
        queries = loaded.pop("queries")
        report.update(loaded)
        report["clients"] = {"count": args.clients, "requests_per_phase": args.requests, "warmup": args.warmup,
                             "think_ms": args.think_ms, "model": "closed loop" + (" with think time" if args.think_ms else ", no pause")}
        report["server"] = {"workers": args.workers, "threads": args.threads, "worker_class": "gthread",
                            "preload_and_gc_freeze": args.preload}
        report["server"]["startup_seconds"] = round(server.start(args.start_timeout), 1)
        report["server"]["index_builds"] = server.index_builds()
        assert server.proc is not None
        master = server.proc.pid
        report["server"]["memory_idle"] = server_memory(master)
        sessions, tokens = make_credentials(args.clients)
        connections.close_all()
        def probe() -> dict:
            return server_memory(master)

        report["page"] = run_phase(args.port, "page", sessions, queries, args.clients, args.requests, args.max_seconds,
                                   args.warmup, probe, args.think_ms)
        # the API phase starts half-way through the queries: mostly other names than the page phase
        report["api"] = run_phase(args.port, "api", tokens, queries[len(queries) // 2:] + queries[: len(queries) // 2],
                                  args.clients, args.requests, args.max_seconds, args.warmup, probe, args.think_ms)
        report["server"]["memory_after_load"] = server_memory(master)
        peak_pss = max(report[k]["server_memory_peak_during_phase"]["pss_mb"] for k in ("page", "api"))
        peak_pss = max(peak_pss, report["server"]["memory_after_load"]["pss_mb"])
        report["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
        report["budgets"] = {
            "p95_ms": BUDGET_P95_MS, "memory_mb": BUDGET_MEMORY_MB,
            "page_p95_met": report["page"]["p95_ms"] <= BUDGET_P95_MS and report["page"]["errors"] == 0,
            "api_p95_met": report["api"]["p95_ms"] <= BUDGET_P95_MS and report["api"]["errors"] == 0,
            "memory_measured": "peak PSS summed over gunicorn master and workers (PostgreSQL not included)",
            "memory_peak_pss_mb": peak_pss,
            "memory_met": peak_pss < BUDGET_MEMORY_MB,
        }
    finally:
        server.stop()
        report["total_seconds"] = round(time.perf_counter() - t_all, 1)
        if not args.keep:
            with contextlib.suppress(Exception):  # Django may not be set up yet
                from django.db import connections

                connections.close_all()
            drop_database(args.database)
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            report["data_dir"] = str(data_dir)
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
