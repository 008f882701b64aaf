"""Case lifecycles per second through the API, on a real WSGI server, with concurrent clients (reproducible).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ow_bench_cases .venv/bin/python bench/cases_bench.py
    DATABASE_URL=... .venv/bin/python bench/cases_bench.py --clients 1,4,8 --lifecycles 48 --time-limit 120
    .venv/bin/python bench/cases_bench.py          # SQLite file var/ow_bench_cases.sqlite3 (what `make bench` runs)

- creates the PostgreSQL database if it does not exist, migrates it, loads the demo county (`demo_load`);
- makes one citizen account per client thread (bench-citizen-01 ...) and issues one-hour personal API tokens
  (apiauth services) to them, to the demo clerk 张丽 (county-wide window) and to the demo reviewer 陈志强
  (市场监管局); the tokens are revoked at the end;
- starts the app in a child process: Django's threaded WSGI server (the one `runserver` uses, without the
  autoreloader and static files, DEBUG off) on 127.0.0.1 and a free port the OS picks; loopback traffic only;
- for each level of concurrency (N client threads, `http.client`) runs a fixed number of lifecycles of the
  demo item 食品经营许可 (8 materials), each: POST /api/v1/cases as the citizen (multipart, a small PDF for every
  material, an Idempotency-Key), accept (clerk), decide "approve" (reviewer), complete (reviewer); every
  answer is checked (201/200 and the new status), a lifecycle stops at its first error;
- reports lifecycles per second, requests per second, p50/p95/max per request type, and the SQL queries of
  each request type counted in-process (django.test.Client) on the same database;
- stops the server (also on errors and Ctrl-C). Bounded: `--lifecycles` per level and `--time-limit` seconds
  per level (no new lifecycle starts after it).

Everything after each transition commits runs inside the request, as in production without a Celery worker:
the legal document (PDF with the embedded CJK font) for accept and decide, the applicant's message, the
supervision cards. Uploads and documents go to var/bench-cases-media (MEDIA_ROOT).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-cases-media"))
DEFAULT_SQLITE = f"sqlite:///{ROOT / 'var' / 'ow_bench_cases.sqlite3'}"
LOG = ROOT / "var" / "bench-cases-server.log"  # the server's stderr (errors and their tracebacks)
ITEM_NAME = "食品经营许可"
REQUESTS = ("create", "accept", "decide", "complete")
# A small but real PDF (the upload check sniffs the content): ~1 KB.
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
       + b"% bench material padding " + b"0" * 800 + b"\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


# ------------------------------------------------------------------ database and accounts (parent process)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("demo_load", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115 (idempotent, quiet)
    print(f"database ready (migrate + demo_load) in {time.monotonic() - started:.1f} s", flush=True)


def valid_ric(seq: int) -> str:
    from stdnum.cn import ric

    body = f"110105{1980 + seq % 20}0101{900 + seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def prepare(clients: int) -> dict:
    """The item, its material slots, the accounts and their tokens (revoked by `revoke`)."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from onewindow.apiauth.services import api_token_create
    from onewindow.catalogue.constants import VersionStatus
    from onewindow.catalogue.models import ServiceItem

    item = (ServiceItem.objects.select_related("published_version")
            .filter(published_version__name=ITEM_NAME, published_version__status=VersionStatus.PUBLISHED).first())
    if item is None:
        raise SystemExit(f"the demo item {ITEM_NAME} is not published; run `manage.py demo_load` on this database")
    specs = list(item.published_version.materials.order_by("sort", "pk").values_list("pk", flat=True))
    User = get_user_model()
    expires = timezone.now() + dt.timedelta(hours=1)
    tokens, raw = [], {}
    for who in ("clerk", "reviewer"):
        user = User.objects.get(username=who)
        token, raw[who] = api_token_create(actor=None, user=user, name="cases_bench", expires_at=expires)
        tokens.append(token)
    citizens = []
    for i in range(1, clients + 1):
        user, created = User.objects.get_or_create(username=f"bench-citizen-{i:02d}", defaults={"name": f"基准{i}"})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        token, secret = api_token_create(actor=None, user=user, name="cases_bench", expires_at=expires)
        tokens.append(token)
        citizens.append({"token": secret, "id_number": valid_ric(i), "name": f"李{i}"})
    return {"item": item.implementation_code, "specs": specs, "clerk": raw["clerk"], "reviewer": raw["reviewer"],
            "citizens": citizens, "tokens": tokens}


def revoke(tokens) -> None:
    from onewindow.apiauth.services import api_token_revoke

    for token in tokens:
        api_token_revoke(actor=None, token=token)


# ------------------------------------------------------------------ the server (child process)


def serve() -> None:
    """Run the app in Django's threaded WSGI server on 127.0.0.1 and a free port; print the port."""
    import logging

    import django

    django.setup()
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()  # sets up logging again: quieten the access log after it
    logging.getLogger("django.server").setLevel(logging.WARNING)  # no line per request, errors still shown
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run("127.0.0.1", 0, app, threading=True, on_bind=lambda port: print(f"LISTENING {port}", flush=True))


class Server:
    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log = None

    def start(self, timeout: float = 60.0) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), "--serve"]
        self.log = open(LOG, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log, text=True,  # noqa: S603
                                        env=os.environ.copy())
        found: list[int] = []

        def read() -> None:
            for line in self.process.stdout:
                if line.startswith("LISTENING "):
                    found.append(int(line.split()[1]))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if not found:
            self.stop()
            raise SystemExit("the server did not start")
        self.port = found[0]
        print(f"server pid {self.process.pid} on http://127.0.0.1:{self.port}", flush=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.log is not None:
            self.log.close()
            self.log = None

    @staticmethod
    def errors_logged() -> dict[str, int]:
        """Server errors by kind, from its log (the client only sees "500")."""
        text = LOG.read_text(encoding="utf-8", errors="replace") if LOG.exists() else ""
        return {"tracebacks": text.count("Traceback (most recent call last)") // 2,  # Django logs each twice
                "deadlocks": text.count("psycopg.errors.DeadlockDetected"),
                "sqlite_locked": text.count("database is locked") // 2}


# ------------------------------------------------------------------ the clients


class Failed(Exception):
    pass


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def call(port: int, token: str, path: str, body: bytes, content_type: str, expect: int, status: str,
         extra: dict | None = None) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": content_type, "Accept": "application/json",
            "Connection": "close", **(extra or {})})
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    if response.status != expect:
        raise Failed(f"{path}: HTTP {response.status} {raw[:200].decode('utf-8', 'replace')}")
    data = json.loads(raw)
    if data.get("status") != status:
        raise Failed(f"{path}: status {data.get('status')!r}, expected {status!r}")
    return data


def lifecycle(port: int, ctx: dict, citizen: dict, timings: dict[str, list[float]]) -> None:
    """One application from filing to completion; the time of each request goes into `timings`."""
    fields = {"item": ctx["item"], "applicant.kind": "person", "applicant.name": citizen["name"],
              "applicant.id_number": citizen["id_number"], "applicant.phone": "13800000000"}
    files = {f"materials.{pk}": (f"材料{pk}.pdf", PDF) for pk in ctx["specs"]}
    body, content_type = multipart(fields, files)
    steps = [
        ("create", citizen["token"], "/api/v1/cases", body, content_type, 201, "submitted",
         {"Idempotency-Key": str(uuid.uuid4())}),
        ("accept", ctx["clerk"], "accept", json.dumps({"comment": "材料齐全"}).encode(), "application/json", 200,
         "accepted", None),
        ("decide", ctx["reviewer"], "decide", json.dumps({"decision": "approve", "reason": "符合条件"}).encode(),
         "application/json", 200, "decided", None),
        ("complete", ctx["reviewer"], "complete", b"{}", "application/json", 200, "completed", None),
    ]
    number = None
    for name, token, path, payload, ctype, expect, status, extra in steps:
        if number is not None:
            path = f"/api/v1/cases/{number}/{path}"
        started = time.perf_counter()
        data = call(port, token, path, payload, ctype, expect, status, extra)
        timings[name].append(time.perf_counter() - started)
        number = data["number"]


def run_level(port: int, ctx: dict, clients: int, lifecycles: int, time_limit: float) -> dict:
    quotas = [lifecycles // clients + (1 if i < lifecycles % clients else 0) for i in range(clients)]
    timings: dict[str, list[float]] = {name: [] for name in REQUESTS}
    done, errors = [0], []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        mine: dict[str, list[float]] = {name: [] for name in REQUESTS}
        count = 0
        barrier.wait()
        for _ in range(quotas[index]):
            if time.perf_counter() > deadline[0]:
                break
            try:
                lifecycle(port, ctx, ctx["citizens"][index], mine)
                count += 1
            except Exception as exc:  # record and go on with the next lifecycle
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
        with lock:
            done[0] += count
            for name in REQUESTS:
                timings[name] += mine[name]

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    load_before = os.getloadavg()
    started = time.perf_counter()
    deadline[0] = started + time_limit
    barrier.wait()
    for t in threads:
        t.join(time_limit + 300)
    wall = time.perf_counter() - started
    return {"clients": clients, "lifecycles": done[0], "wall_s": wall, "errors": errors,
            "lifecycles_per_s": done[0] / wall if wall else 0.0,
            "requests_per_s": sum(len(v) for v in timings.values()) / wall if wall else 0.0,
            "load_before": load_before, "load_after": os.getloadavg(),
            "requests": {name: summary(values) for name, values in timings.items()}}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": pct(ms, 0.5), "p95_ms": pct(ms, 0.95), "max_ms": max(ms) if ms else float("nan"),
            "mean_ms": statistics.fmean(ms) if ms else float("nan")}


# ------------------------------------------------------------------ SQL queries per request (in-process)


def queries_per_request(ctx: dict) -> dict[str, int]:
    """One lifecycle through django.test.Client with every query captured (on-commit receivers included)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    citizen = ctx["citizens"][0]
    data = {"item": ctx["item"], "applicant.kind": "person", "applicant.name": citizen["name"],
            "applicant.id_number": citizen["id_number"], "applicant.phone": "13800000000",
            **{f"materials.{pk}": SimpleUploadedFile(f"材料{pk}.pdf", PDF, content_type="application/pdf")
               for pk in ctx["specs"]}}
    counts = {}
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/api/v1/cases", data, headers={"Authorization": f"Bearer {citizen['token']}",
                                                                 "Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 201, response.content[:300]
    counts["create"] = len(captured)
    number = response.json()["number"]
    for name, who, body in (("accept", "clerk", {"comment": "材料齐全"}),
                            ("decide", "reviewer", {"decision": "approve", "reason": "符合条件"}),
                            ("complete", "reviewer", {})):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(f"/api/v1/cases/{number}/{name}", body, content_type="application/json",
                                   headers={"Authorization": f"Bearer {ctx[who]}"})
        assert response.status_code == 200, response.content[:300]
        counts[name] = len(captured)
    return counts


# ------------------------------------------------------------------ report


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            database = cursor.fetchone()[0].split(" on ")[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    import django

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S607
                                text=True, check=False).stdout.strip() or "-"
    except OSError:
        commit = "-"
    return {"python": platform.python_version(), "django": django.get_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "database": database, "commit": commit}


def report(levels: list[dict], queries: dict[str, int], info: dict, materials: int) -> None:
    print(f"\n{info['database']}, Python {info['python']}, Django {info['django']}, {info['machine']}, "
          f"{info['cpus']} CPUs, commit {info['commit']}; item {ITEM_NAME} with {materials} materials (PDF each)"
          )
    print("\n| clients | lifecycles | wall s | lifecycles/s | requests/s | errors | load avg (1 min) before → after |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for lv in levels:
        print(f"| {lv['clients']} | {lv['lifecycles']} | {lv['wall_s']:.1f} | **{lv['lifecycles_per_s']:.2f}** | "
              f"{lv['requests_per_s']:.1f} | {len(lv['errors'])} | "
              f"{lv['load_before'][0]:.2f} → {lv['load_after'][0]:.2f} |")
    print("\n| request | SQL queries | " + " | ".join(f"N={lv['clients']} p50 / p95 / max ms" for lv in levels)
          + " |")
    print("|---|---:|" + "---:|" * len(levels))
    for name in REQUESTS:
        cells = [f"{lv['requests'][name]['p50_ms']:.0f} / {lv['requests'][name]['p95_ms']:.0f} / "
                 f"{lv['requests'][name]['max_ms']:.0f}" for lv in levels]
        print(f"| {name} | {queries.get(name, '-')} | " + " | ".join(cells) + " |")
    for lv in levels:
        for error in lv["errors"][:5]:
            print(f"  N={lv['clients']} error: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--clients", default="1,4,8", help="levels of concurrency, comma-separated (1,4,8)")
    parser.add_argument("--lifecycles", type=int, default=48, help="lifecycles per level, split among the clients")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per level (no new lifecycle after)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    levels_wanted = [int(x) for x in args.clients.split(",") if x.strip()]
    if not levels_wanted or min(levels_wanted) < 1 or max(levels_wanted) > 64 or args.lifecycles < 1:
        parser.error("clients must be 1-64 and lifecycles at least 1")
    url = os.environ.get("DATABASE_URL") or DEFAULT_SQLITE
    setup(url)
    ctx = prepare(max(levels_wanted))
    server = Server()
    levels: list[dict] = []
    try:
        server.start()
        warm = run_level(server.port, ctx, 1, 2, args.time_limit)  # imports, first connections, sequences
        if warm["errors"]:
            print("warm-up failed:", *warm["errors"][:3], sep="\n  ")
            return 1
        for clients in levels_wanted:
            level = run_level(server.port, ctx, clients, args.lifecycles, args.time_limit)
            levels.append(level)
            print(f"N={clients}: {level['lifecycles']} lifecycles in {level['wall_s']:.1f} s = "
                  f"{level['lifecycles_per_s']:.2f}/s, {len(level['errors'])} errors", flush=True)
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        server.stop()
        print(f"server stopped; its log: {LOG}", flush=True)
    logged = server.errors_logged()
    queries = queries_per_request(ctx)
    revoke(ctx["tokens"])
    info = machine()
    report(levels, queries, info, len(ctx["specs"]))
    print(f"\nserver log: {logged['tracebacks']} tracebacks, {logged['deadlocks']} PostgreSQL deadlocks, "
          f"{logged['sqlite_locked']} SQLite 'database is locked'")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "queries": queries, "levels": levels,
                                               "server_log": logged}, ensure_ascii=False, indent=2))
    return 1 if any(lv["errors"] for lv in levels) else 0


if __name__ == "__main__":
    sys.exit(main())
