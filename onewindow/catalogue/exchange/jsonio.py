"""The JSON shape of the catalogue, for exchange between installations.

    {"schema": "onewindow.catalogue", "schema_version": 1, "exported_at": "...", "source": "...",
     "items": [{"implementation_code": "...", "basic_code": "...",
                "department": {"credit_code": "...", "name": "..."},
                "name": "...", "item_type": "01", ..., "themes": ["operation"],
                "materials": [{...}], "steps": [{...}], "fees": [{...}], "faqs": [{...}]}]}

Choices are written as their stored values ("promised"), booleans as true/false, dates as ISO text;
a child list's order is its 序号.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from . import fields as F
from .excel import max_rows
from .payload import Location, Problem, RawItem, Record

ITEM_KEYS = {c.key for c in F.ITEM.columns} - {"department_name", "department_credit_code"}
CHILD_KEYS = {rel: {c.key for c in sheet.columns} - {"implementation_code", "sort"}
              for rel, sheet in F.CHILDREN.items()}


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def document(items: list[dict[str, Any]], *, scope: str = "published") -> dict[str, Any]:
    return {
        "schema": F.SCHEMA_NAME,
        "schema_version": F.SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "source": getattr(settings, "SITE_NAME", ""),
        "scope": scope,
        "items": items,
    }


def dumps(items: list[dict[str, Any]], *, scope: str = "published") -> bytes:
    return json.dumps(document(items, scope=scope), ensure_ascii=False, indent=2, default=_default).encode("utf-8")


def read_json(content: bytes) -> tuple[list[RawItem], list[Problem]]:
    """Raw items of a JSON document and every structural problem (envelope, unknown keys, sizes)."""
    if not content.strip():
        return [], [Problem("文件是空的")]
    try:
        doc = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return [], [Problem("JSON 文件须为 UTF-8 编码")]
    except json.JSONDecodeError as exc:
        return [], [Problem(f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近格式错误")]
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        return [], [Problem("JSON 文件应为一个对象，并包含 items 数组（事项列表）")]
    problems: list[Problem] = []
    if doc.get("schema", F.SCHEMA_NAME) != F.SCHEMA_NAME:
        problems.append(Problem(f"schema 应为“{F.SCHEMA_NAME}”（现为“{doc.get('schema')}”）", Location(path="schema")))
    version = doc.get("schema_version")
    if version != F.SCHEMA_VERSION:
        problems.append(Problem(f"不支持的 schema_version：{json.dumps(version)}（本系统支持 {F.SCHEMA_VERSION}）",
                                Location(path="schema_version")))
        return [], problems
    limit = max_rows()
    if len(doc["items"]) > limit:
        return [], [*problems, Problem(f"事项超过 {limit} 个的上限，请拆分成多个文件分批导入", Location(path="items"))]
    if not doc["items"]:
        return [], [*problems, Problem("文件中没有事项数据（items 为空）", Location(path="items"))]
    items: list[RawItem] = []
    for index, obj in enumerate(doc["items"]):
        path = f"items[{index}]"
        if not isinstance(obj, dict):
            problems.append(Problem("应为对象", Location(path=path)))
            continue
        item = _item(obj, path, problems, limit)
        if item is not None:
            items.append(item)
    return items, problems


def _unknown(obj: dict, allowed: set[str], path: str, problems: list[Problem], code: str) -> None:
    for key in obj:
        if key not in allowed:
            problems.append(Problem(f"未知的字段“{key}”", Location(path=f"{path}.{key}"), code))


def _item(obj: dict, path: str, problems: list[Problem], limit: int) -> RawItem | None:
    code = str(obj.get("implementation_code") or "")
    _unknown(obj, ITEM_KEYS | {"department"} | set(F.CHILD_SHEETS), path, problems, code)
    values = {k: v for k, v in obj.items() if k in ITEM_KEYS}
    department = obj.get("department")
    if isinstance(department, dict):
        _unknown(department, {"credit_code", "name"}, f"{path}.department", problems, code)
        if "credit_code" in department:
            values["department_credit_code"] = department["credit_code"]
        if "name" in department:
            values["department_name"] = department["name"]
    elif isinstance(department, str):
        key = "department_credit_code" if len(department.strip()) == 18 and department.isascii() else "department_name"
        values[key] = department
    elif department is not None:
        problems.append(Problem("department 应为 {\"credit_code\": ..., \"name\": ...}", Location(path=f"{path}.department"),
                                code))
    headers = {"department_credit_code": "department.credit_code", "department_name": "department.name"}
    item = _JsonItem(values=values, path=path, headers=headers)
    for relation in F.CHILD_SHEETS:
        if relation not in obj:
            continue
        rows = obj[relation]
        where = Location(path=f"{path}.{relation}")
        item.child_where[relation] = where
        if not isinstance(rows, list):
            problems.append(Problem("应为数组", where, code))
            continue
        if len(rows) > limit:
            problems.append(Problem(f"超过 {limit} 条的上限", where, code))
            continue
        records = []
        for j, row in enumerate(rows):
            row_path = f"{path}.{relation}[{j}]"
            if not isinstance(row, dict):
                problems.append(Problem("应为对象", Location(path=row_path), code))
                continue
            _unknown(row, CHILD_KEYS[relation], row_path, problems, code)
            records.append(Record(values={k: v for k, v in row.items() if k in CHILD_KEYS[relation]}, path=row_path))
        item.children[relation] = records
    return item


class _JsonItem(RawItem):
    def where(self, key: str | None = None) -> Location:
        if key in self.headers:
            return Location(path=f"{self.path}.{self.headers[key]}")
        return super().where(key)
