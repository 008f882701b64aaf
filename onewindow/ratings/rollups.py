"""Rollup counters, changed incrementally inside the transaction of the rating, amendment, appeal outcome or
bad-case step that moves them, and rebuilt from the records by `ratings_rebuild_rollups`.

Each change is one `INSERT ... ON CONFLICT DO UPDATE SET col = col + excluded.col` per dimension row (PostgreSQL
and SQLite ≥ 3.24 both speak it), so concurrent ratings never lose an increment.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from .constants import DIMENSIONS, is_bad
from .models import CompletedCase, CompletedRollup, Rating, RatingRollup

__all__ = ["month_of", "rating_keys", "bump", "counts", "snapshot", "apply_change", "completed_add", "rebuild",
           "recount"]

COUNTERS = ("rated", "excluded", "real_name", "replied", "replied_on_time", "followed_up")


def month_of(instant: dt.datetime) -> dt.date:
    local = timezone.localtime(instant)
    return dt.date(local.year, local.month, 1)


def rating_keys(rating: Rating) -> dict[str, int]:
    return {
        "department": rating.department_id,
        "window": rating.window_id or 0,
        "staff": rating.staff_id or 0,
        "item": rating.item_id,
        "hall": rating.hall_id or 0,
    }


def _upsert(table: str, key_cols: tuple[str, ...], rows: list[tuple], counters: tuple[str, ...]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    cols = key_cols + counters
    placeholders = "(" + ", ".join(["%s"] * len(cols)) + ")"
    sql = (
        f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in cols)}) VALUES "  # noqa: S608 (names are constants)
        + ", ".join([placeholders] * len(rows))
        + f" ON CONFLICT ({', '.join(qn(c) for c in key_cols)}) DO UPDATE SET "
        + ", ".join(f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in counters)
    )
    params = [v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


RATING_KEY = ("dimension", "month", "department_id", "key", "service_event", "level", "channel")


def bump(rating: Rating, *, level: int | None = None, **deltas: int) -> None:
    """Add `deltas` (rated=1, excluded=1, replied=1 ...) to the rating's row in every dimension."""
    level = rating.level if level is None else level
    values = tuple(int(deltas.get(c, 0)) for c in COUNTERS)
    if not any(values):
        return
    rows = [(dim, rating.month, rating.department_id, key, rating.service_event, level, rating.channel, *values)
            for dim, key in rating_keys(rating).items()]
    _upsert(RatingRollup._meta.db_table, RATING_KEY, rows, COUNTERS)


def counts(rating: Rating, bad=None) -> list[int]:
    """The rating's contribution to its rollup row, from its current state (and its bad case's)."""
    row = [0] * len(COUNTERS)
    _add_rating_counts(row, rating, bad)
    return row


def snapshot(rating: Rating, bad=None) -> tuple[int, list[int]]:
    return rating.level, counts(rating, bad)


def apply_change(rating: Rating, before: tuple[int, list[int]] | None, bad=None) -> None:
    """Move the rating's contribution from `before` (None: a new rating) to what it is now."""
    after = counts(rating, bad)
    if before is None:
        bump(rating, **dict(zip(COUNTERS, after, strict=True)))
        return
    old_level, old = before
    if old_level == rating.level:
        bump(rating, **{c: a - o for c, a, o in zip(COUNTERS, after, old, strict=True)})
    else:
        bump(rating, level=old_level, **{c: -o for c, o in zip(COUNTERS, old, strict=True)})
        bump(rating, **dict(zip(COUNTERS, after, strict=True)))


def completed_add(*, case, instant: dt.datetime) -> bool:
    """Count one completed case (once, whatever the number of times the receiver runs)."""
    month = month_of(instant)
    with transaction.atomic():
        _, created = CompletedCase.objects.get_or_create(case_id=case.pk, defaults={"month": month})
        if not created:
            return False
        keys = {"department": case.department_id, "window": case.window_id or 0,
                "staff": case.accepted_by_id or 0, "item": case.item_id, "hall": case.hall_id or 0}
        rows = [(dim, month, case.department_id, key, 1) for dim, key in keys.items()]
        _upsert(CompletedRollup._meta.db_table, ("dimension", "month", "department_id", "key"), rows, ("completed",))
    return True


def recount() -> tuple[dict, dict]:
    """The rollups as they should be, counted from the records (used by rebuild and the tests)."""
    from .models import BadRatingCase

    ratings: dict[tuple, list[int]] = {}
    bad = {b.rating_id: b for b in BadRatingCase.objects.all().only(
        "rating_id", "replied_on_time", "replied_at", "followed_up_at", "follow_up_reached")}
    for r in Rating.objects.all().iterator(chunk_size=5000):
        b = bad.get(r.pk)
        for dim, key in rating_keys(r).items():
            row = ratings.setdefault((dim, r.month, r.department_id, key, r.service_event, r.level, r.channel),
                                     [0] * len(COUNTERS))
            _add_rating_counts(row, r, b)
    completed: dict[tuple, int] = {}
    from onewindow.cases.models import Case

    months = dict(CompletedCase.objects.values_list("case_id", "month"))
    for c in Case.objects.filter(pk__in=list(months)).only(
            "pk", "department_id", "window_id", "accepted_by_id", "item_id", "hall_id").iterator(chunk_size=5000):
        keys = {"department": c.department_id, "window": c.window_id or 0, "staff": c.accepted_by_id or 0,
                "item": c.item_id, "hall": c.hall_id or 0}
        for dim, key in keys.items():
            k = (dim, months[c.pk], c.department_id, key)
            completed[k] = completed.get(k, 0) + 1
    return ratings, completed


def _add_rating_counts(row: list[int], r: Rating, b) -> None:
    if r.excluded:
        row[1] += 1
        return
    row[0] += 1
    row[2] += 1 if r.real_name else 0
    if b is not None and is_bad(r.level) and b.replied_at is not None:
        row[3] += 1
        row[4] += 1 if b.replied_on_time else 0
    if b is not None and r.real_name and b.followed_up_at is not None:
        row[5] += 1


REBUILD_SQL = """
INSERT INTO ratings_ratingrollup (dimension, month, department_id, key, service_event, level, channel,
                                  rated, excluded, real_name, replied, replied_on_time, followed_up)
SELECT d.dimension, r.month, r.department_id, d.key, r.service_event, r.level, r.channel,
       SUM(CASE WHEN r.excluded THEN 0 ELSE 1 END),
       SUM(CASE WHEN r.excluded THEN 1 ELSE 0 END),
       SUM(CASE WHEN NOT r.excluded AND r.real_name THEN 1 ELSE 0 END),
       SUM(CASE WHEN NOT r.excluded AND r.level <= 2 AND b.replied_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN NOT r.excluded AND r.level <= 2 AND b.replied_on_time THEN 1 ELSE 0 END),
       SUM(CASE WHEN NOT r.excluded AND r.real_name AND b.followed_up_at IS NOT NULL THEN 1 ELSE 0 END)
FROM ratings_rating r
LEFT JOIN ratings_badratingcase b ON b.rating_id = r.id
CROSS JOIN LATERAL (VALUES ('department', r.department_id), ('window', COALESCE(r.window_id, 0)),
                           ('staff', COALESCE(r.staff_id, 0)), ('item', r.item_id),
                           ('hall', COALESCE(r.hall_id, 0))) AS d(dimension, key)
GROUP BY d.dimension, r.month, r.department_id, d.key, r.service_event, r.level, r.channel
"""

REBUILD_COMPLETED_SQL = """
INSERT INTO ratings_completedrollup (dimension, month, department_id, key, completed)
SELECT d.dimension, cc.month, c.department_id, d.key, COUNT(*)
FROM ratings_completedcase cc JOIN cases_case c ON c.id = cc.case_id
CROSS JOIN LATERAL (VALUES ('department', c.department_id), ('window', COALESCE(c.window_id, 0)),
                           ('staff', COALESCE(c.accepted_by_id, 0)), ('item', c.item_id),
                           ('hall', COALESCE(c.hall_id, 0))) AS d(dimension, key)
GROUP BY d.dimension, cc.month, c.department_id, d.key
"""


def backfill_completed() -> int:
    """Count cases completed before the app was installed (or while its receiver was down)."""
    from onewindow.cases.models import Case

    done = 0
    qs = (Case.objects.filter(completed_at__isnull=False).exclude(pk__in=CompletedCase.objects.values("case_id"))
          .values_list("pk", "completed_at"))
    batch = []
    for pk, completed_at in qs.iterator(chunk_size=5000):
        batch.append(CompletedCase(case_id=pk, month=month_of(completed_at)))
        if len(batch) >= 5000:
            done += len(CompletedCase.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        done += len(CompletedCase.objects.bulk_create(batch, ignore_conflicts=True))
    return done


@transaction.atomic
def rebuild() -> dict:
    """Replace both rollups with a recount: one set-based statement on PostgreSQL, Python elsewhere."""
    RatingRollup.objects.all().delete()
    CompletedRollup.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(REBUILD_SQL)
            cursor.execute(REBUILD_COMPLETED_SQL)
    else:
        ratings, completed = recount()
        RatingRollup.objects.bulk_create(
            [RatingRollup(dimension=k[0], month=k[1], department_id=k[2], key=k[3], service_event=k[4], level=k[5],
                          channel=k[6], **dict(zip(COUNTERS, v, strict=True))) for k, v in ratings.items()],
            batch_size=2000)
        CompletedRollup.objects.bulk_create(
            [CompletedRollup(dimension=k[0], month=k[1], department_id=k[2], key=k[3], completed=v)
             for k, v in completed.items()], batch_size=2000)
    return {"rating_rows": RatingRollup.objects.count(), "completed_rows": CompletedRollup.objects.count()}


assert set(DIMENSIONS) == {"department", "window", "staff", "item", "hall"}
