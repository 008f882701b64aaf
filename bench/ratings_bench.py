"""好差评 benchmark: rating statistics over 5,000,000 ratings on PostgreSQL (issue 5: ≤ 1 s).

    .venv/bin/python bench/ratings_bench.py                  # builds the data once (~5–8 min), then measures
    .venv/bin/python bench/ratings_bench.py --rebuild        # drop the bench database and build again
    .venv/bin/python bench/ratings_bench.py --ratings 500000 # a smaller run
    .venv/bin/python bench/ratings_bench.py --explain        # plus EXPLAIN ANALYZE of the stats query

Database: DATABASE_URL when it names PostgreSQL, else postgres://postgres@127.0.0.1:5432/ow_bench_ratings
(created when missing, migrated). Use a database of its own: the bench writes millions of rows.

Data (INSERT … SELECT generate_series, in batches): 40 departments with 2 items each, a hall with 10
windows, 3 clerks per department; N/4 delivered cases completed over the last 24 months; per case four rated
service events (accept, correct, deliver, whole case) = N invitations and N ratings (levels 60/20/12/5/3 %,
channels online/mobile link/window pad/hotline); a bad-rating case per bad rating (replied, 90 % on time,
followed up, 2 % appeals upheld); then `rollups.rebuild()` (one set-based statement) — what the workers keep
current incrementally afterwards.

Measured (p50/p95 over --rounds calls, fresh user each time as a request would load it):
- `selectors.rating_stats` by department over 24 months, by month (bureau-wide), by month for one department
  head, by staff, by channel;
- the API view in-process (`GET /api/v1/ratings/stats?group_by=department&period=…`, rendered JSON);
- for contrast, the same figures by department × month counted straight from the 5 M ratings (one run).
"""

from __future__ import annotations

import argparse
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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ow_bench_ratings"
DEPARTMENTS = 40
WINDOWS = 10
BATCH = 250_000  # cases per statement (×4 invitations and ratings)
PREFIX = "RATB"
EVENTS = ("accept", "correct", "deliver", "whole_case")


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_URL


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"recreated database {name}")


def setup(url: str, rebuild: bool) -> None:
    os.environ["DATABASE_URL"] = url
    if rebuild:
        recreate_database(url)
    else:
        ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ------------------------------------------------------------------ data

def _org():
    from django.contrib.auth import get_user_model

    from onewindow.catalogue.models import ServiceItem
    from onewindow.catalogue.tests.factories import published_item
    from onewindow.demo.generator import ensure_departments, generate_catalogue, generated_count
    from onewindow.org.constants import Role, WindowKind
    from onewindow.org.models import Hall, StaffRole, Window

    if generated_count() < 200:
        generate_catalogue(departments=DEPARTMENTS, items=200 - generated_count(), seed=2026)
    departments = sorted(ensure_departments(DEPARTMENTS), key=lambda d: d.pk)
    for k, dept in enumerate(departments):
        while ServiceItem.objects.filter(department=dept, published_version__isnull=False).count() < 2:
            published_item(department=dept, code=f"RATB-{k:02d}-{ServiceItem.objects.filter(department=dept).count()}")
    User = get_user_model()
    hall = Hall.objects.filter(name="评价基准测试大厅").first() or Hall.objects.create(
        name="评价基准测试大厅", region=departments[0].region, address="基准路 2 号")
    windows = []
    for n in range(1, WINDOWS + 1):
        w, _ = Window.objects.get_or_create(hall=hall, number=str(n),
                                            defaults={"name": f"{n}号综合窗口", "kind": WindowKind.COMPREHENSIVE})
        windows.append(w.pk)
    inspector, _ = User.objects.get_or_create(username="rbench-inspector", defaults={"name": "基准监察员"})
    StaffRole.objects.get_or_create(user=inspector, role=Role.INSPECTOR, department=None)
    items, heads = [], {}
    for k, dept in enumerate(departments):
        head, _ = User.objects.get_or_create(username=f"rbench-head-{k}", defaults={"name": f"负责人{k}"})
        StaffRole.objects.get_or_create(user=head, role=Role.DEPARTMENT_HEAD, department=dept)
        heads[dept.pk] = head.pk
        clerks = []
        for j in range(3):
            clerk, _ = User.objects.get_or_create(username=f"rbench-clerk-{k}-{j}", defaults={"name": f"窗口{k}-{j}"})
            StaffRole.objects.get_or_create(user=clerk, role=Role.CLERK, department=dept)
            clerks.append(clerk.pk)
        for n, item in enumerate(ServiceItem.objects.filter(department=dept, published_version__isnull=False)
                                 .order_by("pk")[:2]):
            items.append((item.pk, item.published_version_id, dept.pk, dept.region_id, clerks[n], clerks[n + 1]))
    return departments, items, hall, windows, inspector, heads


def _applicant_ids(count: int = 200) -> list[int]:
    from onewindow.cases.services import applicant_get_or_create
    from onewindow.cases.tests.factories import valid_ric

    return [applicant_get_or_create(kind="person", name=f"申请人{n}", id_number=valid_ric(n, "19850101")).pk
            for n in range(1, count + 1)]


def _rand(k: int, col: str = "g.i") -> str:
    mult = (7919, 104729, 1299709, 15485863, 32452843, 49979687)[k]
    return f"(mod({col}::bigint * {mult} + {k * 7}, 1000003)::float8 / 1000003)"


def build(ratings: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from onewindow.ratings import rollups

    started = time.monotonic()
    departments, items, hall, windows, inspector, heads = _org()
    applicants = _applicant_ids()
    cases = ratings // len(EVENTS)
    t0 = timezone.now().replace(microsecond=0)
    print(f"organisation ready in {time.monotonic() - started:.0f} s; building {cases:,} completed cases and "
          f"{cases * len(EVENTS):,} ratings over {len(departments)} departments ...", flush=True)
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_items (n int, item_id bigint, version_id bigint, department_id bigint, "
                    "region_id bigint, clerk_id bigint, clerk2_id bigint)")
        cur.executemany("INSERT INTO bench_items VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [(n, *row) for n, row in enumerate(items)])
        cur.execute("CREATE TEMP TABLE bench_windows (n int, window_id bigint)")
        cur.executemany("INSERT INTO bench_windows VALUES (%s, %s)", list(enumerate(windows)))
        cur.execute("CREATE TEMP TABLE bench_applicants (n int, applicant_id bigint)")
        cur.executemany("INSERT INTO bench_applicants VALUES (%s, %s)", list(enumerate(applicants)))
        cur.execute("CREATE TEMP TABLE bench_events (k int, service_event text)")
        cur.executemany("INSERT INTO bench_events VALUES (%s, %s)", list(enumerate(EVENTS)))
    r1, r2 = _rand(0), _rand(1)
    insert_cases = f"""
        INSERT INTO cases_case (number, item_id, version_id, department_id, region_id, hall_id, window_id,
            applicant_id, agent_name, agent_id_number, agent_phone, channel, status, form_data, created_by_id,
            idempotency_key, created_at, submitted_at, accepted_at, accepted_by_id, decided_at, decided_by_id,
            decision, decision_reason, decision_basis, completed_at, delivered_at, closed_reason, delivery_method,
            delivery_address, tracking_number, due_at, warn_at, deadline_provisional, paused_at, extension_days,
            visits)
        SELECT '{PREFIX}' || lpad(g.i::text, 9, '0'), bi.item_id, bi.version_id, bi.department_id, bi.region_id,
            CASE WHEN w THEN %(hall)s END, CASE WHEN w THEN bw.window_id END, ba.applicant_id, '', '', '',
            CASE WHEN w THEN 'window' ELSE 'online' END, 'delivered', '{{}}'::jsonb, NULL, '',
            t.done - interval '6 days', t.done - interval '6 days', t.done - interval '5 days',
            CASE WHEN {r2} < 0.5 THEN bi.clerk_id ELSE bi.clerk2_id END, t.done - interval '1 day', bi.clerk_id,
            'approve', '', '', t.done, t.done + interval '1 day', '', 'window', '', '', t.done + interval '2 days',
            t.done, false, NULL, 0, 1
        FROM generate_series(%(lo)s, %(hi)s) AS g(i)
        CROSS JOIN LATERAL (SELECT {r1} < 0.6 AS w) wc
        CROSS JOIN LATERAL (SELECT %(t0)s - interval '2 days' - {r1} * interval '728 days' AS done) t
        JOIN bench_items bi ON bi.n = mod(g.i, {len(items)})
        JOIN bench_windows bw ON bw.n = mod(g.i, {len(windows)})
        JOIN bench_applicants ba ON ba.n = mod(g.i, {len(applicants)})
    """  # noqa: S608 (constants of this script)
    lvl = _rand(3, "c.id * 4 + e.k")
    chan = _rand(4, "c.id * 4 + e.k")
    insert_invitations = """
        INSERT INTO ratings_ratinginvitation (case_id, service_event, event_key, case_event_id, staff_id, token,
                                              created_at, expires_at, closed_at)
        SELECT c.id, e.service_event, CASE WHEN e.service_event = 'whole_case' THEN '' ELSE e.k::text END, NULL,
               c.accepted_by_id, 'RB' || c.id || '-' || e.k, c.completed_at, c.completed_at + interval '15 days',
               c.completed_at + interval '1 day'
        FROM cases_case c CROSS JOIN bench_events e
        WHERE c.id BETWEEN %(first)s AND %(last)s
    """
    insert_ratings = f"""
        INSERT INTO ratings_rating (invitation_id, case_id, service_event, level, options, comment, channel,
            applicant_id, rater_kind, rater_user_id, real_name, recorded_by_id, department_id, hall_id, window_id,
            staff_id, item_id, rated_at, month, amended_at, amend_until, excluded, exported_at)
        SELECT i.id, c.id, i.service_event, l.level, '[]'::jsonb, '', ch.channel, c.applicant_id, 'applicant',
            NULL, true, NULL, c.department_id, c.hall_id, c.window_id, i.staff_id, c.item_id,
            i.closed_at, date_trunc('month', i.closed_at AT TIME ZONE 'Asia/Shanghai')::date, NULL,
            i.closed_at + interval '7 days', false, i.closed_at + interval '1 hour'
        FROM ratings_ratinginvitation i JOIN cases_case c ON c.id = i.case_id
        JOIN bench_events e ON e.service_event = i.service_event
        CROSS JOIN LATERAL (SELECT CASE WHEN {lvl} < 0.60 THEN 5 WHEN {lvl} < 0.80 THEN 4
                                        WHEN {lvl} < 0.92 THEN 3 WHEN {lvl} < 0.97 THEN 2 ELSE 1 END AS level) l
        CROSS JOIN LATERAL (SELECT CASE WHEN {chan} < 0.4 THEN 'online' WHEN {chan} < 0.7 THEN 'mobile_link'
                                        WHEN {chan} < 0.95 THEN 'window_pad' ELSE 'hotline' END AS channel) ch
        WHERE i.case_id BETWEEN %(first)s AND %(last)s
    """  # noqa: S608
    r5 = _rand(5, "r.id")
    insert_bad = f"""
        INSERT INTO ratings_badratingcase (rating_id, case_id, department_id, hall_id, status, round, escalated,
            opened_at, verify_due_at, reply_due_at, follow_up_due_at, deadline_provisional, verified_at,
            verified_by_id, verify_note, outcome, reply, changes, replied_at, replied_by_id, replied_on_time,
            appeal_reason, appealed_at, appeal_decided_at, appeal_decided_by_id, appeal_upheld, appeal_comment,
            applicant_satisfied, applicant_comment, applicant_responded_at, followed_up_at, followed_up_by_id,
            follow_up_reached, follow_up_note, closed_at)
        SELECT r.id, r.case_id, r.department_id, r.hall_id, 'closed', 1, false, r.rated_at,
            r.rated_at + interval '1 day', r.rated_at + interval '21 days', r.rated_at + interval '25 days', false,
            r.rated_at + interval '5 hours', r.staff_id, '核实', CASE WHEN x.appeal THEN 'appeal_upheld'
            ELSE 'rectified' END, '已整改', '流程调整', CASE WHEN x.appeal THEN NULL
            ELSE r.rated_at + (x.v * 25) * interval '1 day' END, NULL,
            CASE WHEN x.appeal THEN NULL ELSE x.v * 25 <= 21 END, CASE WHEN x.appeal THEN '误评' ELSE '' END,
            NULL, NULL, NULL, CASE WHEN x.appeal THEN true END, '', true, '', NULL,
            CASE WHEN x.appeal THEN NULL ELSE r.rated_at + interval '24 days' END, NULL, true, '回访',
            r.rated_at + interval '24 days'
        FROM ratings_rating r
        CROSS JOIN LATERAL (SELECT {r5} AS v, {r5} < 0.02 AS appeal) x
        WHERE r.level <= 2 AND r.case_id BETWEEN %(first)s AND %(last)s
    """  # noqa: S608
    for lo in range(1, cases + 1, BATCH):
        hi = min(lo + BATCH - 1, cases)
        bounds = {"lo": f"{PREFIX}{lo:09d}", "hi": f"{PREFIX}{hi:09d}"}
        with transaction.atomic(), connection.cursor() as cur:
            # Generated rows are consistent by construction: skip the per-row deferred foreign-key triggers,
            # which would cost more than the inserts themselves (needs a superuser, as the bench database has).
            cur.execute("SET LOCAL session_replication_role = replica")
            cur.execute(insert_cases, {"lo": lo, "hi": hi, "t0": t0, "hall": hall.pk})
            cur.execute("SELECT min(id), max(id) FROM cases_case WHERE number >= %(lo)s AND number <= %(hi)s",
                        bounds)
            first, last = cur.fetchone()
            ids = {"first": first, "last": last}
            cur.execute("INSERT INTO ratings_completedcase (case_id, month) SELECT id, date_trunc('month', "
                        "completed_at AT TIME ZONE 'Asia/Shanghai')::date FROM cases_case "
                        "WHERE id BETWEEN %(first)s AND %(last)s", ids)
            cur.execute(insert_invitations, ids)
            cur.execute(insert_ratings, ids)
            cur.execute(insert_bad, ids)
            cur.execute("UPDATE ratings_rating r SET excluded = true FROM ratings_badratingcase b "
                        "WHERE b.rating_id = r.id AND b.appeal_upheld AND b.case_id BETWEEN %(first)s AND %(last)s",
                        ids)
        print(f"  ratings {hi * len(EVENTS):>10,}  {time.monotonic() - started:6.1f} s", flush=True)
    with connection.cursor() as cur:
        for table in ("cases_case", "ratings_ratinginvitation", "ratings_rating", "ratings_badratingcase",
                      "ratings_completedcase"):
            cur.execute(f"VACUUM ANALYZE {table}")
    loaded = time.monotonic() - started
    t = time.monotonic()
    result = rollups.rebuild()
    rebuild_s = time.monotonic() - t
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE ratings_ratingrollup")
        cur.execute("VACUUM ANALYZE ratings_completedrollup")
    from onewindow.supervision.models import ScanState

    ScanState.objects.update_or_create(key="ratings-bench", defaults={"through": t0, "data": {
        "ratings": cases * len(EVENTS), "cases": cases, "inspector": inspector.pk,
        "heads": {str(k): v for k, v in heads.items()}, "load_s": round(loaded), "rebuild_s": round(rebuild_s, 1),
        **result}})
    print(f"loaded in {loaded:.0f} s; rollups rebuilt in {rebuild_s:.1f} s ({result['rating_rows']:,} rating rows, "
          f"{result['completed_rows']:,} completed rows)", flush=True)
    return result


# ------------------------------------------------------------------ measuring

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _fresh(user_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id)


def _time(fn, rounds: int) -> dict:
    fn()  # warm
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"p50": statistics.median(times), "p95": percentile(times, 95), "n": rounds}


def measure(meta, rounds: int) -> dict[str, dict]:
    from django.utils import timezone
    from rest_framework.test import APIRequestFactory, force_authenticate

    from onewindow.ratings.api.views import StatsView
    from onewindow.ratings.selectors import rating_stats

    inspector = meta.data["inspector"]
    head = next(iter(meta.data["heads"].values()))
    today = timezone.localdate()
    m = today.year * 12 + today.month - 1 - 23
    period = f"{m // 12:04d}-{m % 12 + 1:02d}..{today:%Y-%m}"
    out = {}
    for name, user, group in (("by department, 24 months (inspector)", inspector, "department"),
                              ("by month, 24 months (inspector)", inspector, "month"),
                              ("by month, one department (its head)", head, "month"),
                              ("by staff, 24 months (inspector)", inspector, "staff"),
                              ("by channel, 24 months (inspector)", inspector, "channel")):
        out[name] = _time(lambda u=user, g=group: rating_stats(user=_fresh(u), group_by=g, period=period), rounds)
    factory = APIRequestFactory()
    view = StatsView.as_view()

    def api():
        request = factory.get("/api/v1/ratings/stats", {"group_by": "department", "period": period})
        force_authenticate(request, user=_fresh(inspector))
        response = view(request)
        assert response.status_code == 200, response.data
        response.render()

    out["API GET /ratings/stats?group_by=department (rendered)"] = _time(api, rounds)
    return out, period


def scan_contrast(period: str) -> float:
    """The same by-department × month figures counted from the ratings table itself (what the rollups avoid)."""
    from django.db import connection

    first = period.split("..")[0] + "-01"
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT department_id, month, level, count(*) FROM ratings_rating WHERE month >= %s "
                    "AND NOT excluded GROUP BY department_id, month, level", [first])
        cur.fetchall()
    return (time.perf_counter() - t) * 1000


def explain(period: str, inspector_id: int) -> None:
    from django.db import connection

    from onewindow.ratings.models import RatingRollup

    first, last = period.split("..")
    qs = (RatingRollup.objects.filter(dimension="department", month__gte=f"{first}-01", month__lte=f"{last}-01")
          .values("key", "level", "service_event", "channel").annotate())
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(r[0] for r in cur.fetchall()))


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, PostgreSQL {version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ratings", type=int, default=5_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    url = database_url()
    setup(url, args.rebuild)
    from onewindow.supervision.models import ScanState

    meta = ScanState.objects.filter(key="ratings-bench").first()
    if meta is None or meta.data.get("ratings") != (args.ratings // len(EVENTS)) * len(EVENTS):
        if meta is not None:
            setup(url, True)
        build(args.ratings)
        meta = ScanState.objects.get(key="ratings-bench")
    from onewindow.ratings.models import Rating

    print(f"\n{machine()}; {Rating.objects.count():,} ratings, {meta.data['rating_rows']:,} rollup rows "
          f"(load {meta.data['load_s']} s, rollup rebuild {meta.data['rebuild_s']} s)")
    results, period = measure(meta, args.rounds)
    print(f"\nrating_stats, period {period}, {args.rounds} rounds (ms):")
    worst = 0.0
    for name, r in results.items():
        worst = max(worst, r["p95"])
        print(f"  {name:<55} p50 {r['p50']:8.1f}   p95 {r['p95']:8.1f}")
    print(f"\nfor contrast, counted straight from ratings_rating (one run): {scan_contrast(period):,.0f} ms")
    if args.explain:
        explain(period, meta.data["inspector"])
    print(f"\nworst p95 {worst:.1f} ms — target ≤ 1000 ms: {'PASS' if worst <= 1000 else 'FAIL'}")


if __name__ == "__main__":
    main()
