"""The item payload: one shape for one item, whichever file it came from, and the one validator.

Readers (Excel, JSON) turn a file into `RawItem`s: the values as the file holds them, with where each
value sits (sheet, row, column header; or a JSON path). `PayloadValidator` turns them into
`ItemPayload`s ready for the catalogue services, collecting every problem (never stopping at the
first) as a `Problem` with its location and a Chinese message.

The two dialects differ only in how a value is written: Excel uses Chinese labels for choices and
是/否 for booleans; JSON uses the stored values (`"promised"`, `true`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from onewindow.org.models import Department

from ..constants import TimeUnit, VersionStatus
from ..models import ItemType, ItemVersion, ServiceItem, Theme
from ..permissions import can_edit_item
from ..quality import check_version
from ..services import CHILD_FIELDS, VERSION_FIELDS
from . import fields as F

EXCEL = "excel"
JSON = "json"

CREATE = "create"
UPDATE_DRAFT = "update_draft"
NEW_DRAFT = "new_draft"
UNCHANGED = "unchanged"


# ---------------------------------------------------------------------------------------------------
# Locations and problems


@dataclass(frozen=True)
class Location:
    """Where a value sits: an Excel cell (sheet, row as Excel shows it, column header) or a JSON path."""

    sheet: str = ""
    row: int | None = None
    column: str = ""
    path: str = ""
    note: str = ""

    def __str__(self) -> str:
        if self.path:
            return self.path
        out = self.sheet + self.note
        if self.row:
            out += f" 第 {self.row} 行"
        if self.column:
            out += f"「{self.column}」"
        return out.strip()


@dataclass(frozen=True)
class Problem:
    message: str
    location: Location | None = None
    item_code: str = ""

    def __str__(self) -> str:
        where = str(self.location) if self.location else ""
        return f"{where}：{self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        loc = self.location or Location()
        return {"message": self.message, "location": str(loc), "sheet": loc.sheet, "row": loc.row,
                "column": loc.column, "path": loc.path, "item_code": self.item_code, "text": str(self)}


def _sheet_order(problem: Problem) -> tuple[int, int]:
    loc = problem.location or Location()
    titles = [s.title for s in F.SHEETS]
    index = titles.index(loc.sheet) if loc.sheet in titles else -1
    return index, loc.row or 0


def problem_order(problem: Problem) -> tuple:
    """Reading order: file-level first, then by sheet, row and column (Excel) or by item index (JSON)."""
    loc = problem.location
    if loc is None:
        return (0,)
    if loc.path:
        m = re.match(r"items\[(\d+)\]", loc.path)
        return (1, int(m[1]) if m else -1)
    sheet_index, row = _sheet_order(problem)
    sheet = F.SHEETS[sheet_index] if sheet_index >= 0 else None
    headers = [c.header for c in sheet.columns] if sheet else []
    column = headers.index(loc.column) if loc.column in headers else -1
    return (2, sheet_index, row, column)


def format_problems(problems: Iterable[Problem]) -> list[str]:
    """Lines for people: problems of the whole file first, then every item's problems under its code."""
    problems = list(problems)
    lines = [str(p) for p in problems if not p.item_code]
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        if p.item_code:
            groups.setdefault(p.item_code, []).append(p)
    for code, group in groups.items():
        lines.append(f"实施编码 {code}：")
        lines.extend(f"  {p}" for p in sorted(group, key=_sheet_order))
    return lines


# ---------------------------------------------------------------------------------------------------
# What readers produce


@dataclass
class Record:
    """One row of a sheet or one JSON object: the values present in the file (blank cells are None)."""

    values: dict[str, Any]
    sheet: str = ""
    row: int | None = None
    path: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def where(self, key: str | None = None) -> Location:
        if self.path or not self.sheet:
            return Location(path=f"{self.path}.{key}" if key else self.path)
        return Location(sheet=self.sheet, row=self.row, column=self.headers.get(key, key) if key else "")


@dataclass
class RawItem(Record):
    # Child lists present in the file (a relation that is absent keeps the item's current list).
    children: dict[str, list[Record]] = field(default_factory=dict)
    child_where: dict[str, Location] = field(default_factory=dict)


@dataclass
class ItemPayload:
    """One validated item, ready for the catalogue services."""

    implementation_code: str
    basic_code: str
    department: Department | None
    data: dict[str, Any]  # VERSION_FIELDS subset, "themes" (Theme list), child relations (lists of dicts)
    raw: RawItem
    item: ServiceItem | None = None
    base: ItemVersion | None = None
    action: str = CREATE
    valid: bool = True  # False: the item has problems; it is checked further but never written

    @property
    def name(self) -> str:
        return self.data.get("name") or (self.base.name if self.base else "")


class Invalid(Exception):
    pass


_BLANK = object()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def code_text(value: Any) -> str:
    """A code as text, whatever Excel did to it (a number when the cell was not formatted as text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value)
    return str(value).strip()


def _choice_values(choices) -> list[Any]:
    return list(choices.values)


# ---------------------------------------------------------------------------------------------------
# The validator


class PayloadValidator:
    """Checks raw items of one file. Collects every problem in `problems` (errors) and `warnings`."""

    def __init__(self, *, dialect: str, actor=None, publish: bool = False) -> None:
        self.dialect = dialect
        self.actor = actor
        self.publish = publish
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self._departments = list(Department.objects.select_related("region"))
        self._dept_by_code = {d.credit_code: d for d in self._departments}
        self._dept_by_name: dict[str, list[Department]] = {}
        for d in self._departments:
            self._dept_by_name.setdefault(d.name, []).append(d)
        self._item_types = list(ItemType.objects.all())
        self._type_by_code = {t.code: t for t in self._item_types}
        self._type_by_name = {t.name: t for t in self._item_types}
        self._themes = list(Theme.objects.all())
        self._theme_by_code = {t.code: t for t in self._themes}
        self._theme_by_name: dict[str, list[Theme]] = {}
        for t in self._themes:
            self._theme_by_name.setdefault(t.name, []).append(t)
        self._can_edit: dict[int, bool] = {}

    # -- reporting

    def error(self, message: str, where: Location | None, item_code: str = "") -> None:
        self.problems.append(Problem(message, where, item_code))

    def warn(self, message: str, where: Location | None, item_code: str = "") -> None:
        self.warnings.append(Problem(message, where, item_code))

    # -- entry point

    def validate(self, raw_items: list[RawItem], progress=None) -> list[ItemPayload]:
        """Clean every item; `progress(iterable, desc=..., total=...)` may wrap the loop (e.g. tqdm)."""
        payloads: list[ItemPayload] = []
        seen: dict[str, RawItem] = {}
        iterable = progress(raw_items, desc="校验", total=len(raw_items)) if progress else raw_items
        for raw in iterable:
            code = code_text(raw.values.get("implementation_code"))
            if code and code in seen:
                self.error(f"实施编码“{code}”在文件中重复（与 {seen[code].where()} 重复）",
                           raw.where("implementation_code"), code)
                continue
            if code:
                seen[code] = raw
            payload = self._item(raw)
            if payload is not None:
                payloads.append(payload)
        # Items with problems still go through the checks against the database and across fields,
        # so that one run reports everything; only valid items are returned.
        self._against_database(payloads)
        return [p for p in payloads if p.valid]

    # -- one item

    def _item(self, raw: RawItem) -> ItemPayload | None:
        ok = True
        code = code_text(raw.values.get("implementation_code"))
        values: dict[str, Any] = {}
        for col in F.ITEM.columns:
            if col.key not in raw.values:
                if col.required:
                    self.error(f"缺少{col.header}", raw.where(col.key), code)
                    ok = False
                continue
            value = self._value(col, raw, code)
            if value is _BLANK:
                ok = False
            else:
                values[col.key] = value

        impl = values.get("implementation_code", "")
        basic = values.get("basic_code", "")
        if impl and not re.fullmatch(settings.CATALOGUE_IMPLEMENTATION_CODE_PATTERN, impl):
            self.error(f"实施编码“{impl}”格式不正确", raw.where("implementation_code"), code)
            ok = False
        if basic and not re.fullmatch(settings.CATALOGUE_BASIC_CODE_PATTERN, basic):
            self.error(f"基本编码“{basic}”格式不正确", raw.where("basic_code"), code)
            ok = False
        department = self._department(raw, values, code)
        if department is None:
            ok = False
        elif not self._may_edit(department):
            self.error(f"您无权编辑“{department.name}”的事项", raw.where("department_name"), code)
            ok = False

        data = {k: v for k, v in values.items() if k in VERSION_FIELDS or k == "themes"}
        for relation, records in raw.children.items():
            rows = self._children(relation, records, code)
            if rows is None:
                ok = False
            else:
                data[relation] = rows
        vf, vt = data.get("valid_from"), data.get("valid_to")
        if vf and vt and vt < vf:
            self.error(f"失效日期（{vt}）不能早于生效日期（{vf}）", raw.where("valid_to"), code)
            ok = False
        if not impl:
            return None
        return ItemPayload(implementation_code=impl, basic_code=basic, department=department, data=data, raw=raw,
                           valid=ok)

    def _department(self, raw: RawItem, values: dict[str, Any], code: str) -> Department | None:
        credit = (values.get("department_credit_code") or "").upper()
        name = values.get("department_name") or ""
        by_code = by_name = None
        if credit:
            by_code = self._dept_by_code.get(credit)
            if by_code is None:
                self.error(f"统一社会信用代码为“{credit}”的部门不存在", raw.where("department_credit_code"), code)
                return None
        if name:
            found = self._dept_by_name.get(name, [])
            if not found:
                self.error(f"部门“{name}”不存在，请填写系统中部门的全称或统一社会信用代码",
                           raw.where("department_name"), code)
                return None
            if len(found) > 1 and by_code is None:
                self.error(f"有多个名为“{name}”的部门，请同时填写统一社会信用代码", raw.where("department_name"),
                           code)
                return None
            by_name = by_code if by_code in found else found[0]
            if by_code is not None and by_code not in found:
                self.error(f"实施主体名称“{name}”与统一社会信用代码“{credit}”（{by_code.name}）不是同一个部门",
                           raw.where("department_name"), code)
                return None
        if by_code is None and by_name is None:
            self.error("请填写实施主体名称或统一社会信用代码", raw.where("department_name"), code)
            return None
        return by_code or by_name

    def _may_edit(self, department: Department) -> bool:
        if self.actor is None:
            return True
        if department.pk not in self._can_edit:
            self._can_edit[department.pk] = can_edit_item(self.actor, ServiceItem(department=department))
        return self._can_edit[department.pk]

    def _children(self, relation: str, records: list[Record], code: str) -> list[dict[str, Any]] | None:
        sheet = F.CHILDREN[relation]
        model_fields = [c for c in sheet.columns if c.key not in ("implementation_code", "sort")]
        rows: list[dict[str, Any]] = []
        ok = True
        for record in records:
            row: dict[str, Any] = {}
            for col in model_fields:
                if col.key in record.values:
                    value = self._value(col, record, code)
                    if value is _BLANK:
                        ok = False
                        continue
                    row[col.key] = value
                elif col.required:
                    self.error(f"{col.header}不能为空", record.where(col.key), code)
                    ok = False
                else:
                    row[col.key] = default_value(col)
            if relation == "materials" and row.get("necessity") == "conditional" and not row.get("condition"):
                self.error(f"情形必要材料“{row.get('name', '')}”必须写明适用情形", record.where("condition"), code)
                ok = False
            rows.append(row)
        return rows if ok else None

    # -- one value

    def _value(self, col: F.Column, record: Record, code: str) -> Any:
        """The clean value of one column, or _BLANK after reporting the problem."""
        raw = record.values.get(col.key)
        where = record.where(col.key)
        blank = _is_blank(raw) if not isinstance(raw, list | dict) else False
        if blank:
            if col.required:
                self.error(f"{col.header}不能为空", where, code)
                return _BLANK
            return default_value(col)
        try:
            return getattr(self, f"_clean_{col.kind}")(col, raw)
        except Invalid as exc:
            self.error(str(exc), where, code)
            return _BLANK

    def _clean_text(self, col: F.Column, raw: Any) -> str:
        if self.dialect == JSON and not isinstance(raw, str):
            raise Invalid(f"{col.header}应为字符串")
        if isinstance(raw, bool):
            raise Invalid(f"{col.header}应为文本")
        if isinstance(raw, dt.datetime | dt.date):
            raise Invalid(f"{col.header}应为文本，不是日期")
        value = code_text(raw) if isinstance(raw, int | float) else str(raw).strip()
        if col.max_length and len(value) > col.max_length:
            raise Invalid(f"{col.header}不能超过 {col.max_length} 个字（现有 {len(value)} 个字）")
        return value

    _clean_department_name = _clean_text
    _clean_department_credit_code = _clean_text

    def _clean_code(self, col: F.Column, raw: Any) -> str:
        if self.dialect == EXCEL and isinstance(raw, float) and not (raw.is_integer() and abs(raw) < 1e15):
            raise Invalid(f"{col.header}被 Excel 当成了数字（{raw}），请把该列单元格格式设为“文本”后重新填写")
        return self._clean_text(col, raw)

    def _int(self, col: F.Column, raw: Any) -> int:
        if isinstance(raw, bool):
            raise Invalid(f"{col.header}应为整数")
        whole_float = isinstance(raw, float) and raw.is_integer()
        digits = isinstance(raw, str) and re.fullmatch(r"\s*-?\d+\s*", raw)
        if isinstance(raw, int):
            value = raw
        elif self.dialect == EXCEL and (whole_float or digits):
            value = int(raw)
        else:
            raise Invalid(f"{col.header}应为整数（现为“{raw}”）")
        if col.min_value is not None and value < col.min_value:
            raise Invalid(f"{col.header}不能小于 {col.min_value}（现为 {value}）")
        if col.max_value is not None and value > col.max_value:
            raise Invalid(f"{col.header}不能大于 {col.max_value}（现为 {value}）")
        return value

    _clean_int = _int
    _clean_sort = _int

    def _clean_decimal(self, col: F.Column, raw: Any) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            raise Invalid(f"{col.header}应为数字")
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation as exc:
            raise Invalid(f"{col.header}应为数字（现为“{raw}”）") from exc
        if not value.is_finite() or value < 0:
            raise Invalid(f"{col.header}应为不小于 0 的数字（现为“{raw}”）")
        places = col.decimal_places or 0
        if value != value.quantize(Decimal(1).scaleb(-places)):
            raise Invalid(f"{col.header}最多保留 {places} 位小数（现为 {raw}）")
        if value >= Decimal(10) ** ((col.max_digits or 10) - places):
            raise Invalid(f"{col.header}数值过大（现为 {raw}）")
        return value.quantize(Decimal(1).scaleb(-places))

    def _clean_bool(self, col: F.Column, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if self.dialect == EXCEL and isinstance(raw, str) and raw.strip() in (F.EXCEL_TRUE, F.EXCEL_FALSE):
            return raw.strip() == F.EXCEL_TRUE
        if self.dialect == EXCEL:
            raise Invalid(f"{col.header}应填“是”或“否”（现为“{raw}”）")
        raise Invalid(f"{col.header}应为 true 或 false（现为 {json.dumps(raw, ensure_ascii=False)}）")

    def _choice(self, col: F.Column, raw: Any) -> Any:
        values = _choice_values(col.choices)
        if self.dialect == JSON:
            if raw in values and not isinstance(raw, bool):
                return raw
            allowed = "、".join(json.dumps(v, ensure_ascii=False) for v in values)
            raise Invalid(f"{json.dumps(raw, ensure_ascii=False)} 不是有效的{col.header}，可选值：{allowed}")
        text = code_text(raw) if isinstance(raw, int | float) else str(raw).strip()
        for value, label in zip(values, col.choices.labels, strict=True):
            if text in (str(label), str(value)):
                return value
        raise Invalid(f"“{text}”不是有效的{col.header}，可选：{col.labels_text()}")

    _clean_choice = _choice

    def _tokens(self, col: F.Column, raw: Any) -> list[str]:
        if self.dialect == JSON:
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                raise Invalid(f"{col.header}应为字符串数组")
            return [x.strip() for x in raw if x.strip()]
        text = code_text(raw) if isinstance(raw, int | float) else str(raw)
        return [t for t in re.split(F.MULTI_SEPARATORS, text) if t]

    def _clean_multi_choice(self, col: F.Column, raw: Any) -> list[str]:
        out: list[str] = []
        bad: list[str] = []
        for token in self._tokens(col, raw):
            try:
                value = self._choice(col, token)
            except Invalid:
                bad.append(token)
                continue
            if value not in out:
                out.append(value)
        if bad:
            allowed = col.labels_text() if self.dialect == EXCEL else "、".join(map(str, _choice_values(col.choices)))
            raise Invalid(f"“{'、'.join(bad)}”不是有效的{col.header}，可选：{allowed}")
        return out

    def _clean_item_type(self, col: F.Column, raw: Any) -> ItemType:
        if self.dialect == JSON and not isinstance(raw, str):
            raise Invalid(f"{col.header}应为类型代码字符串，如 \"01\"")
        if isinstance(raw, int) and not isinstance(raw, bool):
            text = f"{raw:02d}"
        elif isinstance(raw, float) and raw.is_integer():
            text = f"{int(raw):02d}"
        else:
            text = str(raw).strip()
        found = self._type_by_code.get(text)
        if found is None and self.dialect == EXCEL:
            found = self._type_by_name.get(text)
            first = re.split(r"\s+", text, maxsplit=1)
            if found is None and first and first[0] in self._type_by_code:
                found = self._type_by_code[first[0]]
                if len(first) == 2 and first[1] != found.name:
                    found = None
        if found is None:
            allowed = "、".join(f"{t.code} {t.name}" for t in self._item_types if t.is_active)
            raise Invalid(f"事项类型“{text}”不存在，可选：{allowed}")
        if not found.is_active:
            raise Invalid(f"事项类型“{found.code} {found.name}”已停用")
        return found

    def _clean_themes(self, col: F.Column, raw: Any) -> list[Theme]:
        out: list[Theme] = []
        bad: list[str] = []
        for token in self._tokens(col, raw):
            theme = self._theme_by_code.get(token)
            if theme is None:
                named = self._theme_by_name.get(token, [])
                if len(named) > 1:
                    raise Invalid(f"有多个名为“{token}”的主题，请改填主题代码")
                theme = named[0] if named else None
            if theme is None:
                bad.append(token)
            elif theme not in out:
                out.append(theme)
        if bad:
            raise Invalid(f"主题“{'、'.join(bad)}”不存在")
        return out

    def _clean_json(self, col: F.Column, raw: Any) -> dict:
        if isinstance(raw, dict):
            return raw
        if self.dialect == EXCEL and isinstance(raw, str):
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise Invalid(f"{col.header}不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from exc
            if isinstance(value, dict):
                return value
        raise Invalid(f"{col.header}应为 JSON 对象")

    def _clean_date(self, col: F.Column, raw: Any) -> dt.date:
        if self.dialect == EXCEL and isinstance(raw, dt.datetime):
            return raw.date()
        if self.dialect == EXCEL and isinstance(raw, dt.date):
            return raw
        if isinstance(raw, str):
            text = raw.strip().replace("/", "-").replace(".", "-")
            m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
                r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    pass
        raise Invalid(f"“{raw}”不是有效的{col.header}，格式应为 2025-01-01")

    # -- against what is in the database

    def _against_database(self, payloads: list[ItemPayload]) -> None:
        codes = [p.implementation_code for p in payloads]
        items: dict[str, ServiceItem] = {}
        for start in range(0, len(codes), 500):
            for item in ServiceItem.objects.filter(implementation_code__in=codes[start:start + 500]).select_related(
                    "department"):
                items[item.implementation_code] = item
        bases = self._base_versions(list(items.values()))
        for p in payloads:
            p.item = items.get(p.implementation_code)
            if p.item is not None:
                self._existing(p, bases.get(p.item.pk))
            self._check_merged(p)

    def _base_versions(self, items: list[ServiceItem]) -> dict[int, ItemVersion]:
        """Per item, the version an import starts from: its open draft, else its latest version."""
        if not items:
            return {}
        chosen: dict[int, tuple[int, int, bool]] = {}
        ids = [i.pk for i in items]
        for start in range(0, len(ids), 500):
            rows = ItemVersion.objects.filter(item_id__in=ids[start:start + 500]).values_list(
                "pk", "item_id", "number", "status")
            for pk, item_id, number, status in rows:
                is_open = status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)
                current = chosen.get(item_id)
                if current is None or (is_open, number) > (current[2], current[1]):
                    chosen[item_id] = (pk, number, is_open)
        pks = [v[0] for v in chosen.values()]
        out: dict[int, ItemVersion] = {}
        for start in range(0, len(pks), 500):
            qs = ItemVersion.objects.filter(pk__in=pks[start:start + 500]).select_related("item_type").prefetch_related(
                "themes", *(Prefetch(rel, queryset=model.objects.order_by("sort", "id"))
                            for rel, (model, _f) in CHILD_FIELDS.items()))
            out.update({v.item_id: v for v in qs})
        return out

    def _existing(self, p: ItemPayload, base: ItemVersion | None) -> None:
        item, raw, code = p.item, p.raw, p.implementation_code
        if item.basic_code != p.basic_code:
            self.error(f"基本编码（{p.basic_code}）与系统中该事项的基本编码（{item.basic_code}）不一致，编码不能修改",
                       raw.where("basic_code"), code)
        if p.department is not None and item.department_id != p.department.pk:
            self.error(f"实施主体（{p.department.name}）与系统中该事项的实施主体（{item.department.name}）不一致，"
                       "实施主体不能通过导入修改", raw.where("department_name"), code)
        p.base = base
        if base is not None and base.status == VersionStatus.IN_REVIEW:
            self.error("该事项有待审核的版本，请先审核发布或退回后再导入", raw.where(), code)
            p.action = ""
            p.valid = False
        elif base is not None and base.status == VersionStatus.DRAFT:
            p.action = UPDATE_DRAFT
        elif (base is not None and base.pk == item.published_version_id
              and _same(version_values(base, children=True), p.data)):
            p.action = UNCHANGED
        else:
            p.action = NEW_DRAFT

    def _check_merged(self, p: ItemPayload) -> None:
        """Rules over the item as it will be after the import (file values on top of the current version)."""
        merged = version_values(p.base, children=True) if p.base is not None else version_values(None)
        merged.update(p.data)
        raw, code = p.raw, p.implementation_code
        legal, promised = merged["legal_days"], merged["promised_days"]
        if legal is not None and promised is not None:
            same_unit = merged["legal_days_unit"] == merged["promised_days_unit"]
            exceeds = (promised > legal) if same_unit else (
                _workdays(promised, merged["promised_days_unit"]) > _workdays(legal, merged["legal_days_unit"]))
            if exceeds:
                if same_unit:
                    text = f"承诺办结时限（{promised}）不能超过法定办结时限（{legal}）"
                else:
                    text = (f"承诺办结时限（{promised}{TimeUnit(merged['promised_days_unit']).label}）不能超过"
                            f"法定办结时限（{legal}{TimeUnit(merged['legal_days_unit']).label}）")
                key = "promised_days" if "promised_days" in raw.values or "legal_days" not in raw.values \
                    else "legal_days"
                self.error(text, raw.where(key), code)
                p.valid = False
                return
        if p.action == UNCHANGED or not p.valid or merged["item_type"] is None:
            return
        violations = _quality(merged)
        for v in violations:
            where = self._violation_where(p, v.field)
            message = v.message.rstrip("。")
            if v.severity == "error" and self.publish:
                self.error(message, where, code)
            elif v.severity == "error":
                self.warn(f"发布前须修改：{message}", where, code)
            else:
                self.warn(message, where, code)

    def _violation_where(self, p: ItemPayload, path: str) -> Location:
        raw = p.raw
        m = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", path)
        if m:
            relation, index, key = m[1], int(m[2]) - 1, m[3]
            records = raw.children.get(relation)
            if records is not None and 0 <= index < len(records):
                return records[index].where(key)
            return raw.where()
        if path in CHILD_FIELDS:
            return raw.child_where.get(path) or raw.where()
        return raw.where(path)


def _workdays(days: int, unit: str) -> Decimal:
    return Decimal(days) if unit == TimeUnit.WORKDAY else Decimal(days) * 5 / 7


def default_value(col: F.Column) -> Any:
    """What a blank cell / absent key means for a new record."""
    if col.nullable:
        return None
    if col.kind in (F.TEXT, F.CODE, F.DEPARTMENT_NAME, F.DEPARTMENT_CODE):
        return ""
    if col.kind in (F.THEMES, F.MULTI_CHOICE):
        return []
    if col.kind == F.JSON:
        return {}
    if col.kind == F.DECIMAL:
        return Decimal(col.default or 0).quantize(Decimal(1).scaleb(-(col.decimal_places or 0)))
    return col.default.value if hasattr(col.default, "value") else col.default


def version_values(version: ItemVersion | None, *, children: bool = False) -> dict[str, Any]:
    """The elements of a version (defaults for None) in the payload's form."""
    source = version if version is not None else ItemVersion()
    out: dict[str, Any] = {}
    for name in VERSION_FIELDS:
        if name == "item_type":
            out[name] = source.item_type if version is not None else None
        else:
            value = getattr(source, name)
            out[name] = value.value if hasattr(value, "value") and not isinstance(value, dict | list) else value
    out["themes"] = list(version.themes.all()) if version is not None else []
    for relation in CHILD_FIELDS:
        out[relation] = []
    if version is not None and children:
        for relation in CHILD_FIELDS:
            cols = [c.key for c in F.CHILDREN[relation].columns if c.key not in ("implementation_code", "sort")]
            out[relation] = [{k: getattr(child, k) for k in cols} for child in getattr(version, relation).all()]
    return out


def _norm(key: str, value: Any) -> Any:
    if key == "item_type":
        return value.pk if value is not None else None
    if key == "themes":
        return sorted(t.pk for t in value)
    if key in CHILD_FIELDS:
        return [tuple(sorted((k, Decimal(v) if isinstance(v, Decimal | float) else v) for k, v in row.items()))
                for row in value]
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def _same(current: dict[str, Any], data: dict[str, Any]) -> bool:
    return all(_norm(k, current.get(k)) == _norm(k, v) for k, v in data.items())


def _quality(merged: dict[str, Any]):
    version = ItemVersion(**{k: merged[k] for k in VERSION_FIELDS})
    children = {}
    for relation, (model, _fields) in CHILD_FIELDS.items():
        children[relation] = [model(**row) for row in merged[relation]]
    return check_version(version, materials=children["materials"], steps=children["steps"], fees=children["fees"])
