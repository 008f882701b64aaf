"""Writing audit events. Services call `audit_log` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .middleware import current_request_id
from .models import AuditEvent


def _actor_label(actor) -> str:
    if actor is None:
        return "系统"
    return (actor.get_full_name() or actor.get_username()) if hasattr(actor, "get_username") else str(actor)


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_actor_label(user),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:255] if obj is not None else "",
        old_values=old or {},
        new_values=new or {},
        reason=reason,
        request_id=current_request_id(),
    )


def model_values(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """A JSON-friendly snapshot of some fields, for old/new values."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        out[name] = value
    return out
