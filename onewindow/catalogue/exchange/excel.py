"""The Excel shape of the catalogue: template, reader and writer share one column table (fields.py).

Sheets: 填写说明 (how to fill every column, allowed values, an example), 事项基本信息 (one row per item,
keyed by 实施编码), 申请材料 / 办理环节 / 收费项目 / 常见问题 (rows keyed by 实施编码 + 序号) and a hidden
下拉选项 sheet that feeds the drop-down lists of choice columns.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from typing import Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import ItemType, Theme
from . import fields as F
from .payload import Location, Problem, RawItem, Record, code_text

XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
EXCEL_MAX_ROW = 1_048_576
TEMPLATE_ROWS = 2000  # rows that get drop-down lists and formats in an empty template
MAX_UNZIP_FACTOR = 20  # refuse "zip bombs": more than 20 × CATALOGUE_IMPORT_MAX_BYTES once unpacked

HEADER_FILL = PatternFill("solid", fgColor="E8F0FC")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"


def max_rows() -> int:
    return getattr(settings, "CATALOGUE_IMPORT_MAX_ROWS", 20000)


def header_text(col: F.Column) -> str:
    return f"*{col.header}" if col.required else col.header


def _norm_header(value: Any) -> str:
    text = re.sub(r"\s+", "", str(value or ""))
    text = text.lstrip("*＊").replace("（必填）", "").replace("(必填)", "")
    return text.replace("：", "-").replace(":", "-").replace("－", "-")


# ---------------------------------------------------------------------------------------------------
# Values: JSON form → Excel cell


class _Names:
    """Item type and theme names, loaded once per workbook."""

    def __init__(self) -> None:
        self.types = {t.code: t for t in ItemType.objects.all()}
        themes = list(Theme.objects.all())
        self.themes = {t.code: t for t in themes}
        names = [t.name for t in themes]
        self.ambiguous_theme_names = {n for n in names if names.count(n) > 1}

    def item_type_label(self, code: str) -> str:
        t = self.types.get(code)
        return f"{t.code} {t.name}" if t else code

    def theme_label(self, code: str) -> str:
        t = self.themes.get(code)
        return t.name if t and t.name not in self.ambiguous_theme_names else code


def excel_value(col: F.Column, value: Any, names: _Names) -> Any:
    if value is None:
        return None
    kind = col.kind
    if kind == F.BOOL:
        return F.EXCEL_TRUE if value else F.EXCEL_FALSE
    if kind == F.CHOICE:
        try:
            return str(col.choices(value).label)
        except ValueError:
            return value
    if kind == F.MULTI_CHOICE:
        labels = dict(zip(col.choices.values, col.choices.labels, strict=True))
        return "、".join(str(labels.get(v, v)) for v in value) or None
    if kind == F.ITEM_TYPE:
        return names.item_type_label(value)
    if kind == F.THEMES:
        return "、".join(names.theme_label(c) for c in value) or None
    if kind == F.JSON:
        return json.dumps(value, ensure_ascii=False) if value else None
    if kind == F.DATE:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if kind == F.DECIMAL:
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    return value


# ---------------------------------------------------------------------------------------------------
# Template and writer


def _options(wb: Workbook, names: _Names) -> dict[str, str]:
    """The hidden 下拉选项 sheet; returns the list formula of every column that has a drop-down."""
    ws = wb.create_sheet(F.OPTIONS_SHEET)
    ws.sheet_state = "hidden"
    lists: dict[str, list[str]] = {"是否": [F.EXCEL_TRUE, F.EXCEL_FALSE],
                                   "事项类型": [f"{t.code} {t.name}" for t in names.types.values() if t.is_active]}
    for sheet in F.SHEETS:
        for col in sheet.columns:
            if col.kind == F.CHOICE:
                lists.setdefault(col.header, col.choice_labels())
    formulas: dict[str, str] = {}
    for index, (title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ws.cell(row=1, column=index, value=title)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=index, value=value)
        formulas[title] = f"{quote_sheetname(F.OPTIONS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return formulas


def _validation_for(col: F.Column, formulas: dict[str, str]) -> DataValidation | None:
    if col.kind == F.BOOL:
        dv = DataValidation(type="list", formula1=formulas["是否"], allow_blank=True)
    elif col.kind == F.ITEM_TYPE:
        dv = DataValidation(type="list", formula1=formulas["事项类型"], allow_blank=True)
    elif col.kind == F.CHOICE:
        dv = DataValidation(type="list", formula1=formulas[col.header], allow_blank=True)
    elif col.kind in (F.INT, F.SORT) and col.max_value is not None:
        dv = DataValidation(type="whole", operator="between", formula1=str(col.min_value or 0),
                            formula2=str(col.max_value), allow_blank=True)
    elif col.kind == F.DECIMAL:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    else:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = "填写有误"
    dv.error = f"「{col.header}」只能填写：{_allowed_text(col)}"[:250]  # Excel's limit is 255 characters
    return dv


def _allowed_text(col: F.Column) -> str:
    if col.kind == F.BOOL:
        return "是、否"
    if col.kind in (F.CHOICE, F.MULTI_CHOICE):
        return col.labels_text()
    if col.kind == F.ITEM_TYPE:
        return "、".join(f"{t.code} {t.name}" for t in ItemType.objects.filter(is_active=True))
    if col.kind in (F.INT, F.SORT):
        low = col.min_value if col.min_value is not None else 0
        if col.max_value is not None and col.max_value < 32767:
            return f"{low}–{col.max_value} 的整数"
        return "正整数" if low == 1 else f"不小于 {low} 的整数"
    if col.kind == F.DECIMAL:
        return f"不小于 0 的数字，最多 {col.decimal_places} 位小数"
    return ""


def _describe(col: F.Column) -> str:
    """The 填写要求 of one column."""
    parts = [col.help] if col.help else []
    if col.kind in (F.TEXT, F.CODE, F.DEPARTMENT_NAME) and col.max_length:
        parts.append(f"文本，最多 {col.max_length} 个字")
    elif col.kind == F.TEXT:
        parts.append("文本")
    elif col.kind == F.BOOL:
        parts.append("填“是”或“否”，留空为“否”" if col.default is False else "填“是”或“否”")
    elif col.kind == F.CHOICE:
        parts.append("从下拉列表中选择")
    elif col.kind == F.DATE:
        parts.append("日期")
    if col.kind == F.CODE and col.key == "implementation_code":
        parts.append("单元格须为文本格式")
    if not col.required and col.default not in (None, "", [], {}) and col.kind in (F.CHOICE, F.INT, F.DECIMAL):
        shown = col.choices(col.default).label if col.choices else col.default
        parts.append(f"留空为“{shown}”")
    return "；".join(p for p in parts if p)


def _example_rows() -> dict[str, list[dict[str, Any]]]:
    item = F.EXAMPLE_ITEM
    rows: dict[str, list[dict[str, Any]]] = {"item": [_item_row(item)]}
    for relation in F.CHILD_SHEETS:
        rows[relation] = _child_rows(item, relation)
    return rows


def _item_row(item: dict[str, Any]) -> dict[str, Any]:
    department = item.get("department") or {}
    row = dict(item)
    row["department_name"] = department.get("name", "")
    row["department_credit_code"] = department.get("credit_code", "")
    return row


def _child_rows(item: dict[str, Any], relation: str) -> list[dict[str, Any]]:
    return [{"implementation_code": item["implementation_code"], "sort": i, **child}
            for i, child in enumerate(item.get(relation) or [], start=1)]


def _help_sheet(ws, names: _Names) -> None:
    ws.title = F.HELP_SHEET
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 60
    ws.column_dimensions["E"].width = 40
    ws.column_dimensions["F"].width = 30
    ws.append(["政务服务事项导入模板 填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    notes = [
        "1. 每个工作表的第一行是列名，请不要修改列名；列的顺序可以调整，不需要的非必填列可以删除。带 * 的列必须填写。",
        "2. 「事项基本信息」每行一个事项，以实施编码区分；「申请材料」「办理环节」「收费项目」「常见问题」每行一条记录，"
        "用“实施编码 + 序号”对应到事项，序号决定排列顺序。",
        "3. 实施编码已存在时更新该事项：在其草稿上修改，没有草稿则以现行版本为底稿新建草稿。文件中有某个子表时，"
        "该子表里某事项的记录会整体替换该事项原有的记录；没有该子表时原有记录不变。",
        "4. 整个文件先全部校验，只要有一处错误就不会导入任何数据；错误信息会写明工作表、行号（与 Excel 左侧行号一致）和列名。",
        "5. 有下拉列表的列只能从列表中选择；“是/否”列留空表示“否”。编码、电话等列请保持“文本”格式，以免 Excel 吃掉开头的 0。",
        "6. 空白表格、示例样表等附件不在本模板中，导入后请在事项工作台上传。",
    ]
    for note in notes:
        ws.append([note])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["工作表", "列名", "必填", "填写要求", "可选值", "示例"])
    for cell in ws[header_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    examples = _example_rows()
    for sheet in F.SHEETS:
        example = examples[sheet.key][0] if examples[sheet.key] else {}
        for col in sheet.columns:
            value = excel_value(col, example.get(col.key), names)
            if isinstance(value, dt.date):
                value = value.isoformat()
            ws.append([sheet.title, col.header, "是" if col.required else "", _describe(col), _allowed_text(col),
                       value])
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.append([])
    ws.append(["示例（每个工作表一行）"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for sheet in F.SHEETS:
        ws.append([sheet.title, *[c.header for c in sheet.columns]])
        for cell in ws[ws.max_row][1:]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
        for example in examples[sheet.key]:
            values = [excel_value(c, example.get(c.key), names) for c in sheet.columns]
            ws.append(["", *[v.isoformat() if isinstance(v, dt.date) else v for v in values]])
    ws.freeze_panes = None


def _data_sheet(wb: Workbook, sheet: F.Sheet, formulas: dict[str, str], rows: int) -> Any:
    ws = wb.create_sheet(sheet.title)
    for index, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index, value=header_text(col))
        cell.font = REQUIRED_FONT if col.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        help_text = "；".join(p for p in (_describe(col), _allowed_text(col) and f"可选：{_allowed_text(col)}") if p)
        if help_text:
            cell.comment = Comment(help_text, "一窗通办", width=300, height=120)
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = col.width
        if col.is_text_column:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        elif col.kind == F.DATE:
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        dv = _validation_for(col, formulas)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{rows + 1}")
        elif col.kind in (F.MULTI_CHOICE, F.THEMES):
            dv = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=col.header,
                                prompt=("多个用顿号“、”分隔：" + _allowed_text(col))[:250] if col.kind == F.MULTI_CHOICE
                                else "主题名称或代码，多个用顿号“、”分隔")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{rows + 1}")
    ws.freeze_panes = "C2"
    return ws


def build_workbook(items: list[dict[str, Any]] | None = None) -> Workbook:
    """The template; with `items` (JSON-form payloads) filled with them, in the same shape."""
    items = items or []
    names = _Names()
    wb = Workbook()
    _help_sheet(wb.active, names)
    formulas = _options(wb, names)
    rows_by_sheet: dict[str, list[dict[str, Any]]] = {"item": [_item_row(i) for i in items]}
    for relation in F.CHILD_SHEETS:
        rows_by_sheet[relation] = [row for i in items for row in _child_rows(i, relation)]
    for sheet in F.SHEETS:
        rows = rows_by_sheet[sheet.key]
        ws = _data_sheet(wb, sheet, formulas, max(TEMPLATE_ROWS, len(rows) + 500))
        for row in rows:
            ws.append([excel_value(c, row.get(c.key), names) for c in sheet.columns])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"  # text that starts with "=" stays text, never a formula
        for index, col in enumerate(sheet.columns, start=1):
            if col.kind == F.DATE:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = DATE_FORMAT
            elif col.is_text_column:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = TEXT_FORMAT
    # The options sheet goes last, after the data sheets.
    wb.move_sheet(F.OPTIONS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(F.OPTIONS_SHEET))
    wb.active = 0
    return wb


def workbook_bytes(items: list[dict[str, Any]] | None = None) -> bytes:
    buf = io.BytesIO()
    build_workbook(items).save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------
# Reader


def check_signature(content: bytes) -> str | None:
    """A Chinese message when `content` is not an .xlsx file (or is a zip bomb); None when it looks right."""
    if not content:
        return "文件是空的"
    if content.startswith(OLE_SIGNATURE):
        return "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再导入"
    if not content.startswith(XLSX_SIGNATURE):
        return "文件不是有效的 Excel（.xlsx）文件，请使用 catalogue_template 生成的模板填写后导入"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "文件已损坏或不是有效的 Excel（.xlsx）文件"
    if "xl/workbook.xml" not in names:
        return "文件不是 Excel 工作簿（可能是其他格式的压缩文件），请使用 .xlsx 格式"
    if unpacked > settings.CATALOGUE_IMPORT_MAX_BYTES * MAX_UNZIP_FACTOR:
        return "文件解压后过大（可能是恶意构造的文件），无法导入"
    return None


def read_workbook(content: bytes) -> tuple[list[RawItem], list[Problem]]:
    """Raw items of an .xlsx file and every structural problem (columns, references, 序号)."""
    problems: list[Problem] = []
    message = check_signature(content)
    if message:
        return [], [Problem(message)]
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to parse the file is the user's file, not our bug
        return [], [Problem("文件已损坏或不是有效的 Excel（.xlsx）文件，无法打开")]
    try:
        return _read(wb, problems)
    except Exception:  # noqa: BLE001 - malformed sheet XML surfaces while streaming rows
        return [], [*problems, Problem("文件内容已损坏，无法读取，请在 Excel 中重新保存后再导入")]
    finally:
        wb.close()


def _read(wb, problems: list[Problem]) -> tuple[list[RawItem], list[Problem]]:
    sheets = {ws.title.strip(): ws for ws in wb.worksheets}
    known = {s.title for s in F.SHEETS} | {F.HELP_SHEET, F.OPTIONS_SHEET}
    if F.ITEM_SHEET not in sheets:
        problems.append(Problem(f"工作簿中没有「{F.ITEM_SHEET}」工作表，请使用 catalogue_template 生成的模板填写"))
        return [], problems
    tables: dict[str, tuple[dict[str, int], list[tuple[int, tuple]]] | None] = {}
    for sheet in F.SHEETS:
        ws = sheets.get(sheet.title)
        tables[sheet.key] = None if ws is None else _read_sheet(ws, sheet, problems)
    unknown = [t for t in sheets if t not in known]
    if unknown:
        problems.append(Problem(f"工作表「{'」「'.join(unknown)}」不属于导入模板：如是模板中的工作表，请改回原名称"
                                f"（{'、'.join(s.title for s in F.SHEETS)}）；不需要的请删除"))
    main = tables["item"]
    if main is None:
        return [], problems
    columns, rows = main
    items: list[RawItem] = []
    by_code: dict[str, RawItem] = {}
    headers = F.ITEM.headers
    for number, values in rows:
        record_values = {key: values[index] for key, index in columns.items()}
        item = RawItem(values=record_values, sheet=F.ITEM.title, row=number, headers=headers)
        items.append(item)
        code = code_text(record_values.get("implementation_code"))
        if code and code not in by_code:
            by_code[code] = item
    if not items:
        problems.append(Problem(f"文件中没有事项数据：「{F.ITEM_SHEET}」从第 2 行起每行填写一个事项"))
        return [], problems

    for relation, sheet in F.CHILDREN.items():
        table = tables[relation]
        if table is None:
            continue
        for item in items:
            item.children[relation] = []
            code = code_text(item.values.get("implementation_code"))
            item.child_where[relation] = Location(sheet=sheet.title, note=f"（实施编码 {code}）")
        _attach_children(sheet, table, by_code, problems)
    return items, problems


def _read_sheet(ws, sheet: F.Sheet, problems: list[Problem]):
    """(column index per key, [(row number, values)]) of one sheet, or None when its columns are unusable."""
    rows_iter = ws.iter_rows(min_row=1, values_only=True)
    header = next(rows_iter, None) or ()
    wanted = {_norm_header(c.header): c for c in sheet.columns}
    columns: dict[str, int] = {}
    broken = False
    for index, value in enumerate(header):
        if value is None or not str(value).strip():
            continue
        col = wanted.get(_norm_header(value))
        location = Location(sheet=sheet.title, row=1, column=str(value).strip())
        if col is None:
            problems.append(Problem(f"未知的列“{str(value).strip()}”，请核对列名（见「填写说明」）", location))
        elif col.key in columns:
            problems.append(Problem(f"列“{col.header}”重复", location))
            broken = True
        else:
            columns[col.key] = index
    missing = [c.header for c in sheet.columns if c.required and c.key not in columns]
    if sheet.key == "item" and "department_name" not in columns and "department_credit_code" not in columns:
        missing.append("实施主体名称”或“实施主体统一社会信用代码")
    for header_name in missing:
        problems.append(Problem(f"缺少必填列“{header_name}”", Location(sheet=sheet.title, row=1)))
    if missing or broken:
        return None
    rows: list[tuple[int, tuple]] = []
    width = max(columns.values()) + 1
    limit = max_rows()
    for number, values in enumerate(rows_iter, start=2):
        if number > EXCEL_MAX_ROW:
            problems.append(Problem(f"行数超过 Excel 的上限（{EXCEL_MAX_ROW} 行）", Location(sheet=sheet.title)))
            return None
        values = tuple(values[:width]) + (None,) * max(0, width - len(values))
        if all(_blank(v) for v in values):
            continue
        if len(rows) >= limit:
            problems.append(Problem(f"数据超过 {limit} 行的上限，请拆分成多个文件分批导入",
                                    Location(sheet=sheet.title)))
            return None
        rows.append((number, tuple(v.strip() if isinstance(v, str) else v for v in values)))
    return columns, rows


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sort_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= 32767 else None


def _attach_children(sheet: F.Sheet, table, by_code: dict[str, RawItem], problems: list[Problem]) -> None:
    columns, rows = table
    headers = sheet.headers
    seen: dict[tuple[str, int], int] = {}
    per_item: dict[str, list[tuple[int, Record]]] = {}
    for number, values in rows:
        record_values = {key: values[index] for key, index in columns.items()}
        record = Record(values=record_values, sheet=sheet.title, row=number, headers=headers)
        code = code_text(record_values.get("implementation_code"))
        if not code:
            problems.append(Problem("实施编码不能为空", record.where("implementation_code")))
            continue
        if code not in by_code:
            problems.append(Problem(f"实施编码“{code}”在「{F.ITEM_SHEET}」中不存在", record.where("implementation_code")))
            continue
        sort = _sort_number(record_values.get("sort"))
        if sort is None:
            shown = record_values.get("sort")
            message = "序号不能为空" if _blank(shown) else f"序号应为 1–32767 的整数（现为“{shown}”）"
            problems.append(Problem(message, record.where("sort"), code))
            continue
        if (code, sort) in seen:
            problems.append(Problem(f"序号 {sort} 重复（与第 {seen[(code, sort)]} 行相同）", record.where("sort"),
                                    code))
            continue
        seen[(code, sort)] = number
        per_item.setdefault(code, []).append((sort, record))
    for code, records in per_item.items():
        by_code[code].children[sheet.key] = [r for _s, r in sorted(records, key=lambda x: x[0])]
