"""Export: the catalogue as item payloads (JSON form), written as .xlsx or JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import translation

from ..constants import VersionStatus
from ..models import ItemVersion
from ..services import CHILD_FIELDS
from . import excel, jsonio
from . import fields as F

XLSX = "xlsx"
JSON = "json"
FORMATS = (XLSX, JSON)
OPEN = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


def versions_for_export(*, all_drafts: bool = False) -> QuerySet[ItemVersion]:
    """Published versions; with `all_drafts`, each item's open draft (or version in review) instead where it has one.

    A fixed number of queries however many items: children and themes are prefetched.
    """
    if all_drafts:
        has_open = ItemVersion.objects.filter(item=OuterRef("item"), status__in=OPEN)
        qs = ItemVersion.objects.filter(Q(status__in=OPEN) | (Q(status=VersionStatus.PUBLISHED) & ~Exists(has_open)))
    else:
        qs = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    children = [Prefetch(rel, queryset=model.objects.order_by("sort", "id")) for rel, (model, _f) in CHILD_FIELDS.items()]
    return (qs.select_related("item__department", "item_type")
            .prefetch_related("themes", *children)
            .order_by("item__implementation_code"))


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, dict | list):
        return value.value
    return value


def version_payload(version: ItemVersion) -> dict[str, Any]:
    """One version as an item payload in JSON form (the shape the importer reads back)."""
    item = version.item
    out: dict[str, Any] = {
        "implementation_code": item.implementation_code,
        "basic_code": item.basic_code,
        "department": {"credit_code": item.department.credit_code, "name": item.department.name},
    }
    for col in F.ITEM.columns:
        if col.key in out or col.key.startswith("department_") or col.key in ("implementation_code", "basic_code"):
            continue
        if col.key == "item_type":
            out[col.key] = version.item_type.code
        elif col.key == "themes":
            out[col.key] = [t.code for t in version.themes.all()]
        else:
            out[col.key] = _json_value(getattr(version, col.key))
    for relation, sheet in F.CHILDREN.items():
        keys = [c.key for c in sheet.columns if c.key not in ("implementation_code", "sort")]
        out[relation] = [{k: _json_value(getattr(child, k)) for k in keys} for child in getattr(version, relation).all()]
    return out


def export_payloads(*, all_drafts: bool = False) -> list[dict[str, Any]]:
    return [version_payload(v) for v in versions_for_export(all_drafts=all_drafts)]


def catalogue_export(*, file_format: str = XLSX, all_drafts: bool = False) -> bytes:
    """The catalogue as the bytes of an .xlsx workbook (template shape) or a JSON document."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown format {file_format!r}")
    with translation.override("zh-hans"):
        items = export_payloads(all_drafts=all_drafts)
        if file_format == JSON:
            return jsonio.dumps(items, scope="all_drafts" if all_drafts else "published")
        return excel.workbook_bytes(items)


def catalogue_template() -> bytes:
    """The empty import template (.xlsx)."""
    with translation.override("zh-hans"):
        return excel.workbook_bytes([])
