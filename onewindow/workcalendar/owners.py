"""Deadline owners: apps that store deadlines (cases, supervision ...) and must recompute them when the
calendar of a year changes — above all when a year that was missing is configured, so that provisional
deadlines become final.

An owner registers once, usually in its AppConfig.ready():

    from onewindow.workcalendar.owners import register_deadline_owner

    class CaseDeadlines:
        label = "cases"

        def recompute_deadlines(self, *, years: frozenset[int]) -> int:
            # re-run compute_deadline for every open case whose clock touches one of `years`
            # (at least every case with provisional=True) and store due_at/warn_at; return how many changed
            ...

    register_deadline_owner(CaseDeadlines())

The calendar services call `deadline_owners_notify(years=...)` after their transaction commits; it runs
the `recompute_calendar_deadlines` task, which is eager in the embedded setup and queued on Celery
otherwise. Owners must be idempotent: they may be called more than once for the same change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

logger = logging.getLogger("onewindow.workcalendar")

__all__ = [
    "DeadlineOwner",
    "register_deadline_owner",
    "unregister_deadline_owner",
    "deadline_owners",
    "deadline_owners_recompute",
    "deadline_owners_notify",
]


@runtime_checkable
class DeadlineOwner(Protocol):
    label: str

    def recompute_deadlines(self, *, years: frozenset[int]) -> int: ...


_owners: dict[str, DeadlineOwner] = {}


def register_deadline_owner(owner: DeadlineOwner) -> DeadlineOwner:
    if not isinstance(owner, DeadlineOwner):
        raise TypeError("a deadline owner needs a `label` and a `recompute_deadlines(*, years)` method")
    _owners[owner.label] = owner
    return owner


def unregister_deadline_owner(label: str) -> None:
    _owners.pop(label, None)


def deadline_owners() -> list[DeadlineOwner]:
    return list(_owners.values())


def deadline_owners_recompute(*, years: Iterable[int]) -> dict[str, int]:
    """Ask every owner to recompute the deadlines touching `years`; returns how many each changed.

    One failing owner does not stop the others; its failure is logged and re-raised at the end.
    """
    wanted = frozenset(int(y) for y in years)
    results: dict[str, int] = {}
    failure: Exception | None = None
    for label, owner in list(_owners.items()):
        try:
            results[label] = int(owner.recompute_deadlines(years=wanted) or 0)
        except Exception as exc:
            logger.exception("deadline owner %s failed to recompute years %s", label, sorted(wanted))
            failure = failure or exc
    if failure is not None:
        raise failure
    logger.info("recomputed deadlines for years %s: %s", sorted(wanted), results)
    return results


def deadline_owners_notify(*, years: Iterable[int]) -> None:
    """Schedule the recomputation for after the current transaction commits."""
    from django.db import transaction

    from .tasks import recompute_calendar_deadlines

    wanted = sorted({int(y) for y in years})
    if not wanted or not _owners:
        return
    transaction.on_commit(lambda: recompute_calendar_deadlines.delay(wanted))
