"""Builders for import/export tests: workbooks made in code with openpyxl, rows keyed by Chinese header."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from onewindow.catalogue.exchange import catalogue_import

ITEM = "事项基本信息"
MATERIALS = "申请材料"
STEPS = "办理环节"
FEES = "收费项目"
FAQS = "常见问题"


def item_row(code: str, department, **overrides: Any) -> dict[str, Any]:
    """A 事项基本信息 row of a complete 承诺件 that passes every quality rule (with `steps_rows`)."""
    row = {
        "实施编码": code,
        "基本编码": "0001200001",
        "实施主体统一社会信用代码": department.credit_code,
        "事项名称": "食品经营许可",
        "事项类型": "01",
        "设定依据": "《中华人民共和国食品安全法》第三十五条",
        "服务对象-自然人": "是",
        "服务对象-法人": "是",
        "受理条件": "有与经营的食品品种、数量相适应的经营场所。",
        "关键词": "餐饮 饭店",
        "主题": "经营许可、food-drug",
        "法定办结时限": 20,
        "承诺办结时限": 5,
        "办件类型": "承诺件",
        "办理地点": "示范县政务服务中心一楼 3 号窗口",
        "到办事现场次数": 1,
        "网上办理深度": "Ⅲ级 在线预审",
        "审批结果名称": "食品经营许可证",
        "咨询电话": "0734-1234567",
        "监督投诉电话": "12345",
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not ...}


def material_rows(code: str) -> list[dict[str, Any]]:
    return [
        {"实施编码": code, "序号": 2, "材料名称": "营业执照", "必要性": "必要", "来源渠道": "政府部门核发",
         "可替代的电子证照类型": "营业执照"},
        {"实施编码": code, "序号": 1, "材料名称": "食品经营许可申请书", "必要性": "必要", "材料形式": "原件"},
    ]


def step_rows(code: str, days=(1, 2, 1, 1)) -> list[dict[str, Any]]:
    kinds = ["受理", "审查", "决定", "办结"]
    return [{"实施编码": code, "序号": i, "环节": kind, "环节时限": d}
            for i, (kind, d) in enumerate(zip(kinds, days, strict=True), start=1)]


def workbook(sheets: dict[str, list[dict[str, Any]] | list[list[Any]]], *, headers: dict[str, list[str]] | None = None
             ) -> bytes:
    """An .xlsx with one sheet per entry: rows as dicts (header → value) or raw lists (first is the header)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        if rows and isinstance(rows[0], list):
            for row in rows:
                ws.append(row)
            continue
        columns = (headers or {}).get(title) or list(dict.fromkeys(k for row in rows for k in row))
        ws.append(columns)
        for row in rows:
            ws.append([row.get(c) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def catalogue(department, codes=("11430422MB000001",), **overrides) -> bytes:
    """A valid workbook of items with materials and steps."""
    return workbook({
        ITEM: [item_row(code, department, **overrides) for code in codes],
        MATERIALS: [row for code in codes for row in material_rows(code)],
        STEPS: [row for code in codes for row in step_rows(code)],
    })


def run(content: bytes, *, filename: str = "catalogue.xlsx", **kwargs):
    return catalogue_import(file=content, filename=filename, **kwargs)


def texts(result) -> list[str]:
    return [str(p) for p in result.errors]
