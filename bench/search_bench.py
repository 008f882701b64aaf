"""Catalogue search and service-guide benchmark (reproducible).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ow_bench .venv/bin/python bench/search_bench.py

- creates the PostgreSQL database if it does not exist, migrates it;
- generates 20,000 published items (manage.py generate_catalogue, seed 2026) if fewer are there, plus two
  guide items with 3 and 30 materials (BENCH-M03, BENCH-M30) through the catalogue services;
- times `catalogue.selectors.item_search` over a fixed list of realistic queries (Chinese words, keywords,
  pinyin initials, filters, paging), many rounds, and reports p50/p95/p99 in ms and queries per call:
  cold (the ranking, result cache bypassed) and warm (the same pages from the result cache);
- times `item_get_published` for the 3- and 30-material items and counts its queries;
- `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of the slowest searches (PostgreSQL only).

Without DATABASE_URL it uses an SQLite file var/ow_bench.sqlite3 (what `make bench` runs).
"""

from __future__ import annotations

import argparse
import json
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
DEFAULT_SQLITE = f"sqlite:///{ROOT / 'var' / 'ow_bench.sqlite3'}"

# (label, item_search keyword arguments). Filters refer to objects by name and are resolved at run time.
QUERIES: list[tuple[str, dict]] = [
    ("word 食品", {"query": "食品"}),
    ("word 许可 (very common)", {"query": "许可"}),
    ("word 营业执照", {"query": "营业执照"}),
    ("word 身份证 (in many materials)", {"query": "身份证"}),
    ("word 养老保险", {"query": "养老保险"}),
    ("phrase 不动产登记", {"query": "不动产登记"}),
    ("phrase 公积金提取", {"query": "公积金提取"}),
    ("phrase 结婚登记", {"query": "结婚登记"}),
    ("phrase 建筑工程施工许可", {"query": "建筑工程施工许可"}),
    ("phrase 排污许可证变更", {"query": "排污许可证变更"}),
    ("keyword 餐馆", {"query": "餐馆"}),
    ("keyword 奶茶店", {"query": "奶茶店"}),
    ("keyword 网吧", {"query": "网吧"}),
    ("keyword 驾照", {"query": "驾照"}),
    ("keyword 低保", {"query": "低保"}),
    ("initials spjy", {"query": "spjy"}),
    ("initials bdc", {"query": "bdc"}),
    ("initials zfgjj", {"query": "zfgjj"}),
    ("initials xk (prefix of little)", {"query": "xk"}),
    ("fragment 证 (fallback)", {"query": "证"}),
    ("browse (no query)", {}),
    ("browse page 5", {"page": 5}),
    ("许可 page 3", {"query": "许可", "page": 3}),
    ("许可 + type 01", {"query": "许可", "item_type": "01"}),
    ("养老 + person", {"query": "养老", "audience": "person"}),
    ("登记 + depth 4", {"query": "登记", "online_depth": 4}),
    ("医保 + instant", {"query": "医保", "handling_type": "instant"}),
    ("browse + department", {"department": "青岚县市场监督管理局"}),
    ("许可 + department", {"query": "许可", "department": "青岚县市场监督管理局"}),
    ("browse + theme 经营许可", {"theme": "operation"}),
    ("食品 + theme 食品药品", {"query": "食品", "theme": "food-drug"}),
    ("browse + region 白鹭县", {"region": "439802"}),
    ("医保 + region 梅岭县", {"query": "医保", "region": "439805"}),
]


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()  # libpq takes postgres:// and postgresql://
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


def ensure_data(items: int, seed: int) -> None:
    from django.db import connection

    from onewindow.demo.generator import generate_catalogue, generated_count

    have = generated_count()
    if have < items:
        print(f"generating {items - have} items (have {have}) ...", flush=True)
        started = time.monotonic()
        generate_catalogue(departments=40, items=items - have, seed=seed)
        print(f"  done in {time.monotonic() - started:.1f} s", flush=True)
    _ensure_guide_items()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _ensure_guide_items() -> None:
    """Two items through the real services: the same guide with 3 and with 30 materials."""
    from onewindow.catalogue import services
    from onewindow.catalogue.models import ItemType, ServiceItem
    from onewindow.demo.data.helpers import flow
    from onewindow.demo.generator import ensure_departments

    dept = ensure_departments(1)[0]
    for count in (3, 30):
        code = f"BENCH-M{count:02d}"
        if ServiceItem.objects.filter(implementation_code=code).exists():
            continue
        data = {
            "name": f"基准测试事项（{count} 项材料）", "item_type": ItemType.objects.get(code="01"),
            "legal_basis": "《中华人民共和国行政许可法》", "for_company": True, "acceptance_conditions": "基准测试。",
            "keywords": "基准 测试", "legal_days": 20, "promised_days": 5, "handling_type": "promised",
            "place": "政务服务中心", "result_name": "许可证", "consult_phone": "12345", "complaint_phone": "12345",
            "materials": [{"name": f"申请材料{i + 1}", "necessity": "required"} for i in range(count)],
            "steps": flow(5), "fees": [{"name": "工本费", "standard": "10 元", "basis": "收费依据"}], "has_fee": True,
            "faqs": [{"question": f"问题{i}", "answer": "解答"} for i in range(3)], "themes": ["operation"],
        }
        version = services.item_create(actor=None, department=dept, implementation_code=code,
                                       basic_code=f"BENCH{count:02d}", data=data)
        services.version_publish_unreviewed(actor=None, version=version, reason="benchmark")


def _resolve(kwargs: dict) -> dict:
    from onewindow.catalogue.models import ItemType, Theme
    from onewindow.org.models import Department, Region

    out = dict(kwargs)
    if "item_type" in out:
        out["item_type"] = ItemType.objects.get(code=out["item_type"])
    if "theme" in out:
        out["theme"] = Theme.objects.get(code=out["theme"])
    if "department" in out:
        out["department"] = Department.objects.get(name=out["department"])
    if "region" in out:
        out["region"] = Region.objects.get(code=out["region"])
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def bench_search(rounds: int, item_search=None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if item_search is None:
        from onewindow.catalogue.selectors import item_search

    resolved = [(label, _resolve(kw)) for label, kw in QUERIES]
    for _label, kw in resolved:  # warm-up: jieba dictionary, connection, caches
        item_search(**kw)
    per_query: dict[str, list[float]] = {label: [] for label, _ in resolved}
    queries: dict[str, int] = {}
    hits: dict[str, int] = {}
    sql: dict[str, str] = {}
    for _ in range(rounds):
        for label, kw in resolved:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                page = item_search(**kw)
                per_query[label].append((time.perf_counter() - started) * 1000)
            queries[label] = len(ctx.captured_queries)
            hits[label] = [v.pk for v in page.results]
            if ctx.captured_queries:  # a cached empty page needs none
                sql[label] = max(ctx.captured_queries, key=lambda q: float(q["time"]))["sql"]  # the slowest one
    everything = [t for ts in per_query.values() for t in ts]
    return {
        "calls": len(everything),
        "p50": percentile(everything, 50), "p95": percentile(everything, 95), "p99": percentile(everything, 99),
        "per_query": {label: {"p50": statistics.median(ts), "p95": percentile(ts, 95), "max": max(ts),
                              "queries": queries[label], "results": len(hits[label]), "ids": hits[label]}
                      for label, ts in per_query.items()},
        "sql": sql,
    }


def bench_guide(repeat: int = 200) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onewindow.catalogue.selectors import item_get_published

    out = {}
    for code in ("BENCH-M03", "BENCH-M30"):
        item_get_published(code=code)
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                version = item_get_published(code=code)
                list(version.materials.all())
                times.append((time.perf_counter() - started) * 1000)
        out[code] = {"materials": len(version.materials.all()), "queries": len(ctx.captured_queries),
                     "p50": statistics.median(times), "p95": percentile(times, 95)}
    return out


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def report(title: str, search: dict, rounds: int) -> None:
    print(f"\n{title}: {search['calls']} calls ({len(QUERIES)} queries x {rounds} rounds)")
    print(f"  p50 {search['p50']:.1f} ms   p95 {search['p95']:.1f} ms   p99 {search['p99']:.1f} ms\n")
    print(f"  {'query':<34} {'p50':>7} {'p95':>7} {'max':>7} {'sql':>4} {'rows':>5}")
    for label, row in sorted(search["per_query"].items(), key=lambda kv: -kv[1]["p95"]):
        print(f"  {label:<34} {row['p50']:7.1f} {row['p95']:7.1f} {row['max']:7.1f} {row['queries']:4d} "
              f"{row['results']:5d}")


def explain_slowest(search: dict, n: int) -> None:
    slowest = sorted(search["per_query"].items(), key=lambda kv: -kv[1]["p95"])[:n]
    for label, _row in slowest:
        print(f"\n===== EXPLAIN ANALYZE: {label}\n{search['sql'][label]}\n")
        print(explain(search["sql"][label]))


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {db}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="EXPLAIN ANALYZE the N slowest searches")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_SQLITE
    setup(url)
    ensure_data(args.items, args.seed)

    from django.db import connection

    from onewindow.catalogue.models import ItemVersion, SearchTerm

    published = ItemVersion.objects.filter(status="published").count()
    print(f"\nmachine: {machine()}")
    print(f"data: {published} published versions, {SearchTerm.objects.count()} search terms")

    from onewindow.catalogue.selectors import _item_search

    # Cold: the ranking every first search of a page pays (the result cache is bypassed). Warm: the same
    # calls again within the cache's time-to-live, as citizens repeat the common words all day.
    search = bench_search(args.rounds, _item_search)
    report("item_search, cold (result cache bypassed: the ranking itself)", search, args.rounds)
    warm = bench_search(args.rounds)
    report("item_search, warm (the same pages again, from the result cache)", warm, args.rounds)
    results = {"cold": search, "warm": warm}

    guide = bench_guide()
    print("\nitem_get_published (guide detail, materials read from the prefetch):")
    for code, row in guide.items():
        print(f"  {code}: {row['materials']:2d} materials, {row['queries']} queries, p50 {row['p50']:.2f} ms, "
              f"p95 {row['p95']:.2f} ms")

    if args.explain:
        if connection.vendor != "postgresql":
            print("\n--explain needs PostgreSQL")
        else:
            explain_slowest(search, args.explain)

    if args.json:
        data = {"machine": machine(), "published": published, "guide": guide,
                "search": {mode: {k: v for k, v in r.items() if k != "sql"} for mode, r in results.items()}}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
