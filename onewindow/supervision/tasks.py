"""Periodic supervision work. Tasks take plain values and are idempotent (DESIGN.md §6)."""

from celery import shared_task

from . import services


@shared_task(name="supervision.scan")
def supervision_scan(full: bool | None = None) -> dict:
    """Celery beat, every 5 minutes: issue the cards earned since the last run, send their alerts, and
    (at most every SUPERVISION_ANOMALY_INTERVAL_MINUTES) look for off-system handling."""
    return services.supervision_run(full=full).as_dict()


@shared_task(name="supervision.alerts")
def supervision_alerts() -> int:
    return services.alerts_send()


@shared_task(name="supervision.anomalies")
def supervision_anomalies() -> dict:
    return services.anomalies_detect()
