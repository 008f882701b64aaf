"""What a version changes against another (normally the published one): field by field, and row by row
for materials, steps, fees and FAQs. Pure functions over loaded versions (children prefetched)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from onewindow.catalogue.constants import SpecialProcedure
from onewindow.catalogue.models import ItemVersion
from onewindow.catalogue.services import CHILD_FIELDS, VERSION_FIELDS

# Workflow metadata, not elements of the guide.
SKIPPED = {"change_summary", "valid_from", "valid_to"}
DIFF_FIELDS = [f for f in VERSION_FIELDS if f not in SKIPPED] + ["themes"]
EMPTY = "—"


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class RowChange:
    key: str
    changes: list[FieldChange]


@dataclass
class ChildDiff:
    relation: str
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    moved: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


@dataclass
class VersionDiff:
    base: ItemVersion | None
    fields: list[FieldChange]
    children: list[ChildDiff]

    @property
    def is_empty(self) -> bool:
        return not self.fields and all(c.is_empty for c in self.children)

    @property
    def count(self) -> int:
        return len(self.fields) + sum(len(c.added) + len(c.removed) + len(c.changed) for c in self.children)


def _display(obj: models.Model, name: str) -> str:
    if name == "themes":
        return _("、").join(t.name for t in obj.themes.all()) or EMPTY
    value: Any = getattr(obj, name)
    model_field = obj._meta.get_field(name)
    if name == "item_type":
        return _(value.name) if value is not None else EMPTY
    if name == "special_procedures":
        labels = dict(SpecialProcedure.choices)
        return _("、").join(str(labels.get(v, v)) for v in (value or [])) or EMPTY
    if model_field.choices:
        return str(getattr(obj, f"get_{name}_display")()) if value not in (None, "") else EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(model_field, models.FileField):
        return value.name.rsplit("/", 1)[-1] if value else EMPTY
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else EMPTY
    if value is None or value == "":
        return EMPTY
    if hasattr(value, "normalize"):  # Decimal: 1.0 → 1
        return f"{value.normalize():f}"
    return str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _keyed(rows: list, key_fields: tuple[str, ...]) -> dict[str, Any]:
    """Rows by a readable key; repeated keys get “（2）”, “（3）” so that each row is matched once."""
    seen: Counter = Counter()
    out = {}
    for row in rows:
        base = " · ".join(_display(row, f) for f in key_fields if _display(row, f) != EMPTY) or EMPTY
        seen[base] += 1
        out[base if seen[base] == 1 else f"{base}（{seen[base]}）"] = row
    return out


CHILD_KEYS = {
    "materials": ("name",),
    "steps": ("kind", "name"),
    "fees": ("name",),
    "faqs": ("question",),
}


def _child_diff(relation: str, old_rows: list, new_rows: list) -> ChildDiff:
    model, fields = CHILD_FIELDS[relation]
    key_fields = CHILD_KEYS[relation]
    old, new = _keyed(old_rows, key_fields), _keyed(new_rows, key_fields)
    diff = ChildDiff(relation=relation, label=str(model._meta.verbose_name))
    diff.added = [k for k in new if k not in old]
    diff.removed = [k for k in old if k not in new]
    for key in new:
        if key not in old:
            continue
        changes = []
        for name in fields:
            if name in key_fields:
                continue
            a, b = _display(old[key], name), _display(new[key], name)
            if a != b:
                changes.append(FieldChange(name, _label(model, name), a, b))
        if changes:
            diff.changed.append(RowChange(key, changes))
    common_old = [k for k in old if k in new]
    common_new = [k for k in new if k in old]
    diff.moved = common_old != common_new
    return diff


def version_diff(base: ItemVersion | None, version: ItemVersion) -> VersionDiff:
    """Changes from `base` (None: nothing published yet, everything is new) to `version`."""
    fields: list[FieldChange] = []
    for name in DIFF_FIELDS:
        old = _display(base, name) if base is not None else EMPTY
        new = _display(version, name)
        if old != new:
            fields.append(FieldChange(name, _label(ItemVersion, name), old, new))
    children = [
        _child_diff(relation, list(getattr(base, relation).all()) if base is not None else [],
                    list(getattr(version, relation).all()))
        for relation in CHILD_FIELDS
    ]
    return VersionDiff(base=base, fields=fields, children=children)


@dataclass
class Fact:
    name: str
    label: str
    value: str
    wide: bool = False


# Read-only pages show a time limit with its unit: “20 工作日”.
UNIT_OF = {"legal_days": "legal_days_unit", "promised_days": "promised_days_unit"}


def _fact_value(version: ItemVersion, name: str) -> str:
    value = _display(version, name)
    if name in UNIT_OF and value != EMPTY:
        value = f"{value} {_display(version, UNIT_OF[name])}"
    return value


def version_sections(version: ItemVersion, sections, wide_fields) -> list[tuple[str, str, list[Fact]]]:
    """The elements of a version for a read-only page, in the sections of the editor."""
    units = set(UNIT_OF.values())
    return [
        (key, str(label), [Fact(name, _label(ItemVersion, name), _fact_value(version, name), name in wide_fields)
                           for name in names if name not in units])
        for key, label, names in sections
    ]


@dataclass
class ChildTable:
    relation: str
    label: str
    headers: list[tuple[str, str]]
    rows: list[list[Fact]]


def version_children(version: ItemVersion) -> list[ChildTable]:
    tables = []
    for relation, (model, fields) in CHILD_FIELDS.items():
        children = list(getattr(version, relation).all())
        # Columns that no row fills are left out: a read-only table stays narrow.
        headers = [(name, _label(model, name)) for name in fields
                   if name == fields[0] or any(_display(c, name) != EMPTY for c in children)]
        rows = [[Fact(name, label, _display(child, name)) for name, label in headers] for child in children]
        tables.append(ChildTable(relation, str(model._meta.verbose_name), headers, rows))
    return tables
