"""Deadline computations per second, in-process, on the cached working-day calendar.

    .venv/bin/python bench/workdays_bench.py            # a fresh temporary SQLite database, seeded by migrate
    DATABASE_URL=postgres://... .venv/bin/python bench/workdays_bench.py --no-migrate   # an existing database
    .venv/bin/python bench/workdays_bench.py -n 500000 --repeat 7

The clock answers from a per-process snapshot of the calendar (snapshot.py): the database is read
once, then every computation is list look-ups. The figure that matters is the first line
(`compute_deadline`, N working days from an acceptance instant, as the case services call it).
Target: at least 100,000 per second on one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(migrate: bool) -> None:
    if migrate and "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="ow-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def _rate(fn, inputs, repeat: int) -> tuple[float, float]:
    """(best per second, median per second) over `repeat` passes of fn over all inputs."""
    rates = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(inputs)
        elapsed = time.perf_counter() - t0
        rates.append(len(inputs) / elapsed)
    rates.sort()
    return rates[-1], rates[len(rates) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200_000, help="computations per pass")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-migrate", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--seed", type=int, default=20251001)
    args = parser.parse_args()
    _setup(migrate=not args.no_migrate)

    from onewindow.workcalendar.clock import clock_settings, compute_deadline, working_days_between
    from onewindow.workcalendar.selectors import calendar_snapshot

    t0 = time.perf_counter()
    snap = calendar_snapshot()
    build_ms = (time.perf_counter() - t0) * 1000
    tz = clock_settings().tz
    rng = random.Random(args.seed)
    first = dt.datetime(2020, 1, 1, tzinfo=tz).timestamp()
    last = dt.datetime(2026, 10, 31, tzinfo=tz).timestamp()
    starts = [dt.datetime.fromtimestamp(rng.uniform(first, last), tz) for _ in range(args.n)]
    days = [rng.choice((0, 1, 3, 5, 7, 10, 15, 20, 30, 45, 60)) for _ in range(args.n)]
    plain = list(zip(starts, days, strict=True))
    pauses = [
        (s, d, [(s + dt.timedelta(days=1, hours=2), s + dt.timedelta(days=6))]) for s, d in plain
    ]

    def workday(items):
        for s, d in items:
            compute_deadline(s, d)

    def natural(items):
        for s, d in items:
            compute_deadline(s, d, "natural")

    def paused(items):
        for s, d, p in items:
            compute_deadline(s, d, pauses=p, extensions=(5,))

    def between(items):
        for s, d in items:
            working_days_between(s, s + dt.timedelta(days=d))

    print(f"OneWindow workdays benchmark — Python {platform.python_version()} on {platform.machine()}, "
          f"{platform.processor() or platform.system()}")
    print(f"snapshot: years {min(snap.configured_years)}–{max(snap.configured_years)} configured, "
          f"built in {build_ms:.1f} ms (2 queries, then cached)")
    print(f"{args.n:,} computations per pass, best and median of {args.repeat} passes:")
    for label, fn, items in (
        ("compute_deadline, N working days", workday, plain),
        ("compute_deadline, N natural days", natural, plain),
        ("compute_deadline, 1 pause + 1 extension", paused, pauses),
        ("working_days_between", between, plain),
    ):
        best, median = _rate(fn, items, args.repeat)
        print(f"  {label:<42} {best:>12,.0f}/s  (median {median:,.0f}/s)")


if __name__ == "__main__":
    main()
