"""电子监察 benchmark: card lists and the periodic scan with 1,000,000 open cases (PostgreSQL).

    .venv/bin/python bench/supervision_bench.py                 # builds the data once (~5 min), then measures
    .venv/bin/python bench/supervision_bench.py --rebuild       # drop the bench database and build again
    .venv/bin/python bench/supervision_bench.py --explain       # plus EXPLAIN ANALYZE of the list and scan queries
    SUPERVISION_BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/supervision_bench.py --cases 200000

Its own database (default postgres://postgres@127.0.0.1:5432/ow_bench_sup, created when missing, migrated):
DATABASE_URL is deliberately not used, so the bench never writes a million cases into a working database.

Data (built once, reused while the case count matches; the reference instant T0 is stored with it):
- 40 departments and 800 published items (demo generator), a hall with 10 windows, per department one head
  and three clerks, a bureau-wide inspector;
- N open cases (INSERT … SELECT generate_series, in batches) with their submit events, 40 % filed at a window: 2 % waiting for
  acceptance, 2 % paused (special procedure or correction), 96 % on the clock with due instants spread
  from T0 − 10 days to T0 + 50 days and warnings 1–4 days before (≈ 16 % red, ≈ 4 % yellow);
  0.1 % of the cases passed their warning instant in the last 5 minutes and have no card yet;
- the cards the scan would have issued up to T0 − 5 min (yellow, escalated when red; red), already alerted,
  and the scan watermark at T0 − 5 min: the state of a running system one scan period later.

Measured (p50/p95/p99 over --rounds calls, each with a freshly loaded user, as a request would):
- `selectors.cards_list` — one department's open red cards, open yellow cards, both; a department head's own
  red cards; bureau-wide red cards; the department's dashboard counts (`cards_summary`);
- the API view in-process (`GET /api/v1/supervision/cards?department=&level=&open=true`, rendered JSON);
- `cards_scan` at T0 (incremental: only the cases that passed warn/due since the last scan), and the daily
  burst at T0 + 1 day (every office-end instant of a working day passed at once), each inside a transaction
  that is rolled back so every run sees the same data; the full sweep once; `alerts_send` for the burst.
Target: list p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ow_bench_sup"
DEPARTMENTS = 40
WINDOWS = 10
BATCH = 100_000
PREFIX = "SUPB"  # case numbers of the generated cases


def ensure_database(url: str) -> None:
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("supervision_bench needs PostgreSQL (set SUPERVISION_BENCH_DATABASE_URL).")
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

    call_command("migrate", verbosity=0)


# ------------------------------------------------------------------ data

def _meta():
    from onewindow.supervision.models import ScanState

    return ScanState.objects.filter(key="bench").first()


def _staff():
    """Departments (with their items), a hall with windows, heads, clerks and an inspector; idempotent."""
    from django.contrib.auth import get_user_model

    from onewindow.catalogue.models import ServiceItem
    from onewindow.catalogue.tests.factories import published_item
    from onewindow.demo.generator import ensure_departments, generate_catalogue, generated_count
    from onewindow.org.constants import Role, WindowKind
    from onewindow.org.models import Hall, StaffRole, Window

    if generated_count() < 800:
        generate_catalogue(departments=DEPARTMENTS, items=800 - generated_count(), seed=2026)
    departments = sorted(ensure_departments(DEPARTMENTS), key=lambda d: d.pk)
    for k, dept in enumerate(departments):  # a department the generator gave no item gets two
        while ServiceItem.objects.filter(department=dept, published_version__isnull=False).count() < 2:
            published_item(department=dept, code=f"SUPB-{k:02d}-{ServiceItem.objects.filter(department=dept).count()}")
    User = get_user_model()
    hall = Hall.objects.filter(name="监察基准测试大厅").first() or Hall.objects.create(
        name="监察基准测试大厅", region=departments[0].region, address="基准路 1 号")
    for n in range(1, WINDOWS + 1):
        Window.objects.get_or_create(hall=hall, number=str(n),
                                     defaults={"name": f"{n}号综合窗口", "kind": WindowKind.COMPREHENSIVE})
    inspector, _ = User.objects.get_or_create(username="bench-inspector", defaults={"name": "基准监察员"})
    StaffRole.objects.get_or_create(user=inspector, role=Role.INSPECTOR, department=None)
    items, heads, clerks = [], {}, {}
    for k, dept in enumerate(departments):
        head, _ = User.objects.get_or_create(username=f"bench-head-{k}", defaults={"name": f"负责人{k}"})
        StaffRole.objects.get_or_create(user=head, role=Role.DEPARTMENT_HEAD, department=dept)
        heads[dept.pk] = head
        clerks[dept.pk] = []
        for j in range(3):
            clerk, _ = User.objects.get_or_create(username=f"bench-clerk-{k}-{j}", defaults={"name": f"窗口{k}-{j}"})
            StaffRole.objects.get_or_create(user=clerk, role=Role.CLERK, department=dept)
            clerks[dept.pk].append(clerk)
        for item in (ServiceItem.objects.filter(department=dept, published_version__isnull=False)
                     .select_related("department").order_by("pk")[:2]):
            items.append((item.pk, item.published_version_id, dept.pk, dept.region_id,
                          clerks[dept.pk][len(items) % 3].pk, head.pk))
    windows = list(Window.objects.filter(hall=hall).order_by("pk").values_list("pk", flat=True))
    return departments, items, hall, windows, inspector, heads


def _applicant_ids(count: int = 100) -> list[int]:
    from onewindow.cases.services import applicant_get_or_create
    from onewindow.cases.tests.factories import valid_ric

    return [applicant_get_or_create(kind="person", name=f"申请人{n}", id_number=valid_ric(n, "19800101")).pk
            for n in range(1, count + 1)]


def _rand(k: int) -> str:
    """A deterministic value in [0, 1) per case number i: a permutation of the residues of a prime."""
    mult = (7919, 104729, 1299709, 15485863, 32452843)[k]
    return f"(mod(g.i::bigint * {mult} + {k * 7}, 1000003)::float8 / 1000003)"


def build(cases: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from onewindow.cases.models import Case
    from onewindow.supervision.models import Card, ScanState
    from onewindow.supervision.services import Heads, ScanResult, _scan_steps

    started = time.monotonic()
    departments, items, hall, windows, inspector, heads = _staff()
    applicants = _applicant_ids()
    t0 = timezone.now().replace(microsecond=0)
    print(f"building {cases:,} open cases over {len(departments)} departments, T0 = {t0.isoformat()} ...",
          flush=True)
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_items (n int, item_id bigint, version_id bigint, department_id bigint, "
                    "region_id bigint, clerk_id bigint, head_id bigint)")
        cur.executemany("INSERT INTO bench_items VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [(n, *row) for n, row in enumerate(items)])
        cur.execute("CREATE TEMP TABLE bench_windows (n int, window_id bigint)")
        cur.executemany("INSERT INTO bench_windows VALUES (%s, %s)", list(enumerate(windows)))
        cur.execute("CREATE TEMP TABLE bench_applicants (n int, applicant_id bigint)")
        cur.executemany("INSERT INTO bench_applicants VALUES (%s, %s)", list(enumerate(applicants)))
    r1, r2, r3, r4, r5 = (_rand(k) for k in range(5))
    # status by r1; the 0.1 % "just passed its warning" slice by i % 1000.
    status = (f"CASE WHEN mod(g.i, 1000) = 7 THEN 'accepted' WHEN {r1} < 0.02 THEN 'submitted' "
              f"WHEN {r1} < 0.03 THEN 'suspended' WHEN {r1} < 0.04 THEN 'correction_requested' "
              f"WHEN {r1} < 0.30 THEN 'decided' ELSE 'accepted' END")
    insert = f"""
        INSERT INTO cases_case (number, item_id, version_id, department_id, region_id, hall_id, window_id,
            applicant_id, agent_name, agent_id_number, agent_phone, channel, status, form_data, created_by_id,
            idempotency_key, created_at, submitted_at, accepted_at, accepted_by_id, decided_at, decided_by_id,
            decision, decision_reason, decision_basis, closed_reason, delivery_method, delivery_address,
            tracking_number, due_at, warn_at, deadline_provisional, paused_at, extension_days, visits)
        SELECT '{PREFIX}' || lpad(g.i::text, 9, '0'), bi.item_id, bi.version_id, bi.department_id, bi.region_id,
            CASE WHEN w THEN %(hall)s END, CASE WHEN w THEN bw.window_id END, ba.applicant_id, '', '', '',
            CASE WHEN w THEN 'window' ELSE 'online' END, s.status, '{{}}'::jsonb,
            CASE WHEN w THEN bi.clerk_id END, '', t.accepted - interval '1 day', t.accepted - interval '1 day',
            CASE WHEN s.status <> 'submitted' THEN t.accepted END,
            CASE WHEN s.status <> 'submitted' THEN bi.clerk_id END,
            CASE WHEN s.status = 'decided' THEN t.accepted + (%(t0)s - t.accepted) / 2 END,
            CASE WHEN s.status = 'decided' THEN bi.head_id END,
            CASE WHEN s.status = 'decided' THEN 'approve' ELSE '' END, '', '', '', '', '', '',
            CASE WHEN s.running THEN t.due END, CASE WHEN s.running THEN t.warn END, false,
            CASE WHEN s.status IN ('suspended', 'correction_requested') THEN t.accepted + interval '1 hour' END,
            0, 1
        FROM generate_series(%(lo)s, %(hi)s) AS g(i)
        CROSS JOIN LATERAL (SELECT {status} AS status) s0
        CROSS JOIN LATERAL (SELECT s0.status, s0.status IN ('accepted', 'decided') AS running) s
        CROSS JOIN LATERAL (SELECT {r5} < 0.4 AS w) wc
        CROSS JOIN LATERAL (SELECT
            CASE WHEN mod(g.i, 1000) = 7 THEN %(t0)s + interval '1 day'
                 ELSE %(t0)s + ({r2} * 60 - 10) * interval '1 day' END AS due) d
        CROSS JOIN LATERAL (SELECT d.due,
            CASE WHEN mod(g.i, 1000) = 7 THEN %(t0)s - {r3} * interval '290 seconds'
                 ELSE d.due - (1 + {r3} * 3) * interval '1 day' END AS warn,
            CASE WHEN s.status = 'submitted' THEN %(t0)s - {r4} * interval '3 days' + interval '1 day'
                 ELSE least(d.due - interval '5 days', %(t0)s - interval '1 hour')
                      - {r4} * interval '10 days' END AS accepted) t
        JOIN bench_items bi ON bi.n = mod(g.i, {len(items)})
        JOIN bench_windows bw ON bw.n = mod(g.i, {len(windows)})
        JOIN bench_applicants ba ON ba.n = mod(g.i, {len(applicants)})
    """  # noqa: S608 (built from constants of this script)
    for lo in range(1, cases + 1, BATCH):
        hi = min(lo + BATCH - 1, cases)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(insert, {"lo": lo, "hi": hi, "t0": t0, "hall": hall.pk})
        print(f"  cases {hi:>9,}  {time.monotonic() - started:6.1f} s", flush=True)

    with transaction.atomic(), connection.cursor() as cur:  # the event log: one submit event per case
        cur.execute("""
            INSERT INTO cases_caseevent (case_id, created_at, actor_label, role, action, from_status, to_status,
                                         comment, data, clock, public)
            SELECT id, submitted_at, '', '', 'submit', 'draft', 'submitted', '', '{}'::jsonb, '{}'::jsonb, true
            FROM cases_case WHERE number LIKE %s""", [f"{PREFIX}%"])
    print(f"  events {time.monotonic() - started:6.1f} s", flush=True)

    carded_through = t0 - dt.timedelta(minutes=5)
    with transaction.atomic(), connection.cursor() as cur:
        common = ("case_id, level, step, issued_at, deadline_at, detected_at, department_id, hall_id, window_id, "
                  "item_id, responsible_id, escalated_at, resolved_at, late_by, alerted_at")
        source = ("FROM cases_case WHERE status IN ('accepted', 'decided') AND number LIKE %(prefix)s "
                  "AND {instant} <= %(through)s")
        cur.execute(f"""
            INSERT INTO supervision_card ({common})
            SELECT id, 'yellow', 'case', warn_at, due_at, warn_at + interval '3 minutes', department_id, hall_id,
                   window_id, item_id, coalesce(decided_by_id, accepted_by_id),
                   CASE WHEN due_at <= %(through)s THEN due_at END, NULL, NULL, warn_at + interval '4 minutes'
            {source.format(instant="warn_at")}""", {"through": carded_through, "prefix": f"{PREFIX}%"})
        yellow = cur.rowcount
        cur.execute(f"""
            INSERT INTO supervision_card ({common})
            SELECT id, 'red', 'case', due_at, due_at, due_at + interval '3 minutes', department_id, hall_id,
                   window_id, item_id, coalesce(decided_by_id, accepted_by_id), NULL, NULL, NULL,
                   due_at + interval '4 minutes'
            {source.format(instant="due_at")}""", {"through": carded_through, "prefix": f"{PREFIX}%"})
        red = cur.rowcount
    print(f"  cards: {yellow:,} yellow, {red:,} red  {time.monotonic() - started:6.1f} s", flush=True)
    with transaction.atomic():  # the step cards of applications waiting for acceptance, as of the last scan
        result = ScanResult()
        _scan_steps(carded_through, None, Heads(), result)
        Card.objects.filter(alerted_at__isnull=True).update(alerted_at=carded_through)
    print(f"  step cards: {result.step_yellow:,} yellow, {result.step_red:,} red  "
          f"{time.monotonic() - started:6.1f} s", flush=True)
    ScanState.objects.update_or_create(key="cards", defaults={"through": carded_through,
                                                              "full_through": t0 - dt.timedelta(hours=1)})
    ScanState.objects.update_or_create(key="anomalies", defaults={"through": t0})
    ScanState.objects.update_or_create(key="bench", defaults={"through": t0, "data": {
        "cases": cases, "departments": len(departments), "inspector": inspector.pk,
        "heads": {str(k): v.pk for k, v in heads.items()}, "built_in_s": round(time.monotonic() - started)}})
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE cases_case")
        cur.execute("VACUUM ANALYZE supervision_card")
    print(f"built in {time.monotonic() - started:.0f} s; {Case.objects.count():,} cases in the database",
          flush=True)


def recreate_database(url: str) -> None:
    """--rebuild: the bench owns its database, so dropping it is faster than deleting a million rows."""
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    print(f"recreated database {name}")


# ------------------------------------------------------------------ measuring

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _stats(times: list[float]) -> dict:
    return {"p50": statistics.median(times), "p95": percentile(times, 95), "p99": percentile(times, 99),
            "max": max(times), "n": len(times)}


def _fresh(user_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id)  # as the session middleware loads it per request


def bench_lists(meta, rounds: int) -> dict[str, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIRequestFactory, force_authenticate

    from onewindow.org.models import Department
    from onewindow.supervision.api.views import CardListView
    from onewindow.supervision.selectors import cards_list, cards_summary

    data = meta.data
    inspector = data["inspector"]
    heads = {int(k): v for k, v in data["heads"].items()}
    departments = {d.pk: d for d in Department.objects.filter(pk__in=heads)}
    dept_ids = sorted(heads)
    factory = APIRequestFactory()
    view = CardListView.as_view()

    def api(dept, level):
        request = factory.get("/api/v1/supervision/cards", {"department": dept.pk, "level": level, "open": "true"})
        force_authenticate(request, user=_fresh(inspector))
        response = view(request)
        response.render()
        assert response.status_code == 200, response.content
        return response

    cases = {
        "selector: dept red (open)": lambda d: cards_list(user=_fresh(inspector), department=d, level="red",
                                                          open_only=True),
        "selector: dept yellow (open)": lambda d: cards_list(user=_fresh(inspector), department=d, level="yellow",
                                                             open_only=True),
        "selector: dept red+yellow (open)": lambda d: cards_list(user=_fresh(inspector), department=d,
                                                                 open_only=True),
        "selector: dept red, all (record)": lambda d: cards_list(user=_fresh(inspector), department=d, level="red"),
        "selector: head's own red (scope)": lambda d: cards_list(user=_fresh(heads[d.pk]), level="red",
                                                                 open_only=True),
        "selector: bureau-wide red (open)": lambda d: cards_list(user=_fresh(inspector), level="red",
                                                                 open_only=True),
        "selector: dept summary (open)": lambda d: cards_summary(user=_fresh(inspector), department=d,
                                                                 open_only=True),
        "API view: dept red (open)": lambda d: api(d, "red"),
        "API view: dept yellow (open)": lambda d: api(d, "yellow"),
    }
    out = {}
    for label, fn in cases.items():
        fn(departments[dept_ids[0]])  # warm up (calendar, content types, plans)
        times, queries = [], 0
        for i in range(rounds):
            dept = departments[dept_ids[i % len(dept_ids)]]
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                fn(dept)
                times.append((time.perf_counter() - t) * 1000)
            queries = len(ctx.captured_queries)
        out[label] = {**_stats(times), "queries": queries}
    return out


def bench_scan(meta, repeat: int) -> dict[str, dict]:
    from django.db import transaction

    from onewindow.supervision.services import alerts_send, cards_scan

    t0 = meta.through
    out = {}

    def rolled_back(fn):
        with transaction.atomic():
            t = time.perf_counter()
            result = fn()
            elapsed = (time.perf_counter() - t) * 1000
            transaction.set_rollback(True)
        return elapsed, result

    for label, now, full in (("scan at T0 (incremental, 5 min after the last)", t0, False),
                             ("scan at T0 + 1 day (the daily office-end burst)", t0 + dt.timedelta(days=1), False),
                             ("full sweep at T0 (no watermark, daily)", t0, True)):
        times, result = [], None
        for _ in range(repeat if not full else 1):
            elapsed, result = rolled_back(lambda now=now, full=full: cards_scan(now=now, full=full))
            times.append(elapsed)
        out[label] = {**_stats(times), "result": result.as_dict()}

    def burst_with_alerts():
        result = cards_scan(now=t0 + dt.timedelta(days=1), full=False)
        return result, alerts_send(now=t0 + dt.timedelta(days=1))

    elapsed, (result, alerts) = rolled_back(burst_with_alerts)
    out["burst scan + alerts_send"] = {**_stats([elapsed]), "result": {**result.as_dict(), "alerts": alerts}}
    return out


def explain(meta) -> None:
    from django.db import connection

    from onewindow.supervision.selectors import cards_list

    data = meta.data
    dept_id = sorted(int(k) for k in data["heads"])[0]
    from onewindow.org.models import Department

    dept = Department.objects.get(pk=dept_id)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=data["inspector"])
    from django.test.utils import CaptureQueriesContext

    from onewindow.supervision.services import cards_scan

    with CaptureQueriesContext(connection) as ctx:
        cards_list(user=user, department=dept, level="red", open_only=True)
    sql = ctx.captured_queries[-1]["sql"]
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        print("\n-- cards_list: one department's open red cards\n" + "\n".join(r[0] for r in cur.fetchall()))
    from django.db import transaction

    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        cards_scan(now=meta.through, full=False)
        transaction.set_rollback(True)
    for q in ctx.captured_queries:
        if 'FROM "cases_case"' in q["sql"] and ("warn_at" in q["sql"] or "due_at" in q["sql"]):
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                print("\n-- cards_scan candidates\n" + "\n".join(r[0] for r in cur.fetchall()))


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        db = f"PostgreSQL {cursor.fetchone()[0]}"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {db}, load {load:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=200, help="calls per list measurement")
    parser.add_argument("--repeat", type=int, default=5, help="runs per scan measurement")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("SUPERVISION_BENCH_DATABASE_URL", DEFAULT_URL)
    setup(url)

    from django.db.models import Count

    from onewindow.supervision.models import Card

    meta = _meta()
    if args.rebuild or meta is None or meta.data.get("cases") != args.cases:
        if meta is not None or args.rebuild:
            recreate_database(url)
        build(args.cases)
        meta = _meta()
    cards = dict(Card.objects.values_list("level").annotate(n=Count("id")).order_by())
    print(f"\n{machine()}\n{meta.data['cases']:,} open cases, {meta.data['departments']} departments, "
          f"cards: {cards}, T0 {meta.through.isoformat()}, built in {meta.data.get('built_in_s')} s\n")
    print(f"{'card lists':<40} {'p50':>8} {'p95':>8} {'p99':>8} {'sql':>4}")
    for label, row in bench_lists(meta, args.rounds).items():
        print(f"{label:<40} {row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} {row['queries']:4d}")
    print(f"\n{'periodic work (rolled back)':<50} {'p50 ms':>9} {'max ms':>9}  result")
    for label, row in bench_scan(meta, args.repeat).items():
        r = row["result"]
        detail = ", ".join(f"{k}={r[k]}" for k in ("examined", "yellow", "red", "step_yellow", "step_red",
                                                     "resolved", "alerts") if r.get(k))
        print(f"{label:<50} {row['p50']:9.1f} {row['max']:9.1f}  {detail}")
    if args.explain:
        explain(meta)


if __name__ == "__main__":
    main()
