"""Published lists (清单) and the online/visit indicators, shared by the portal, the API and Excel.

Each list is built from published versions only, in a fixed number of queries.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from onewindow.org.models import Delegation

from .constants import (
    LICENSING_TYPE_CODE,
    PUBLIC_SERVICE_TYPE_CODE,
    HandlingType,
    ListKind,
    Necessity,
    OnlineDepth,
)
from .models import Fee, ItemVersion, MaterialSpec
from .selectors import published_versions

__all__ = ["Column", "PublishedList", "list_build", "list_to_xlsx", "indicators_build", "Indicators"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 16


@dataclass
class PublishedList:
    kind: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)


def _days(days: int | None, unit_label: str) -> str:
    if days is None:
        return "—"
    return str(_("即办")) if days == 0 else str(_("%(days)s个%(unit)s") % {"days": days, "unit": unit_label})


def _base_row(v: ItemVersion) -> dict:
    return {
        "code": v.item.implementation_code,
        "basic_code": v.item.basic_code,
        "name": v.name,
        "item_type": v.item_type.name,
        "department": v.item.department.name,
        "legal_basis": v.legal_basis,
        "exercise_level": v.get_exercise_level_display(),
        "legal_days": _days(v.legal_days, v.get_legal_days_unit_display()),
        "promised_days": _days(v.promised_days, v.get_promised_days_unit_display()),
        "result_name": v.result_name,
        "audience": v.audience_label,
        "place": v.place,
    }


COMMON = [Column("code", _("实施编码"), 24), Column("name", _("事项名称"), 30), Column("department", _("实施主体"), 22)]


def _powers() -> PublishedList:
    cols = COMMON + [Column("item_type", _("事项类型"), 12), Column("legal_basis", _("设定依据"), 50),
                     Column("exercise_level", _("行使层级"), 10), Column("promised_days", _("承诺办结时限"), 14)]
    rows = [_base_row(v) for v in published_versions().filter(item_type__is_power=True).order_by(
        "item_type__sort", "item__department__sort", "item__implementation_code")]
    return PublishedList(ListKind.POWERS, str(ListKind.POWERS.label),
                         _("本级各部门依法行使的行政权力事项及其设定依据。"), cols, rows)


def _licensing() -> PublishedList:
    cols = COMMON + [Column("basic_code", _("基本编码"), 16), Column("legal_basis", _("设定依据"), 50),
                     Column("legal_days", _("法定办结时限"), 14), Column("promised_days", _("承诺办结时限"), 14),
                     Column("result_name", _("审批结果"), 20)]
    rows = [_base_row(v) for v in published_versions().filter(item_type__code=LICENSING_TYPE_CODE).order_by(
        "item__department__sort", "item__implementation_code")]
    return PublishedList(ListKind.LICENSING, str(ListKind.LICENSING.label),
                         _("依法设定的行政许可事项，清单之外不得违法实施行政许可。"), cols, rows)


def _public_service() -> PublishedList:
    cols = COMMON + [Column("audience", _("服务对象"), 12), Column("legal_basis", _("依据"), 40),
                     Column("promised_days", _("承诺办结时限"), 14), Column("place", _("办理地点"), 30)]
    rows = [_base_row(v) for v in published_versions().filter(item_type__code=PUBLIC_SERVICE_TYPE_CODE).order_by(
        "item__department__sort", "item__implementation_code")]
    return PublishedList(ListKind.PUBLIC_SERVICE, str(ListKind.PUBLIC_SERVICE.label),
                         _("面向个人和企业提供的公共服务事项。"), cols, rows)


def _fees() -> PublishedList:
    cols = COMMON + [Column("fee_name", _("收费项目"), 24), Column("fee_standard", _("收费标准"), 30),
                     Column("fee_basis", _("收费依据"), 40), Column("fee_reducible", _("可否减免"), 10)]
    fees = Fee.objects.order_by("sort", "id")
    rows = []
    for v in published_versions().filter(has_fee=True).prefetch_related(Prefetch("fees", queryset=fees)).order_by(
            "item__department__sort", "item__implementation_code"):
        for fee in v.fees.all():
            rows.append(_base_row(v) | {"fee_name": fee.name, "fee_standard": fee.standard, "fee_basis": fee.basis,
                                        "fee_reducible": str(_("可减免") if fee.reducible else _("否"))})
    return PublishedList(ListKind.FEES, str(ListKind.FEES.label),
                         _("涉及收费的政务服务事项及其收费标准和依据；清单之外一律不得收费。"), cols, rows)


def _waivable() -> PublishedList:
    cols = COMMON + [Column("material", _("可容缺材料"), 30), Column("material_standard", _("补交要求"), 30),
                     Column("promised_days", _("承诺办结时限"), 14)]
    waivable = MaterialSpec.objects.filter(necessity=Necessity.WAIVABLE).order_by("sort", "id")
    has_waivable = MaterialSpec.objects.filter(version=OuterRef("pk"), necessity=Necessity.WAIVABLE)
    rows = []
    for v in (published_versions().filter(Exists(has_waivable))
              .prefetch_related(Prefetch("materials", queryset=waivable, to_attr="waivable_materials"))
              .order_by("item__department__sort", "item__implementation_code")):
        for m in v.waivable_materials:
            rows.append(_base_row(v) | {"material": m.name,
                                        "material_standard": m.acceptance_standard or str(_("受理后按承诺时间补交"))})
    return PublishedList(ListKind.WAIVABLE, str(ListKind.WAIVABLE.label),
                         _("次要材料暂缺时可先行受理、承诺限期补交的事项（容缺受理）。"), cols, rows)


_BUILDERS: dict[str, Callable[[], PublishedList]] = {
    ListKind.POWERS: _powers,
    ListKind.LICENSING: _licensing,
    ListKind.PUBLIC_SERVICE: _public_service,
    ListKind.FEES: _fees,
    ListKind.WAIVABLE: _waivable,
}


def list_build(kind: str) -> PublishedList:
    """One published list with its rows (raises KeyError for an unknown kind)."""
    result = _BUILDERS[ListKind(kind)]()
    for i, row in enumerate(result.rows, start=1):
        row["index"] = i
    return result


def list_to_xlsx(published: PublishedList, *, bureau: str = "") -> bytes:
    """The list as an .xlsx file: a title row, the header, one row per entry."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(published.title)[:31]
    columns: Iterable[Column] = [Column("index", _("序号"), 6), *published.columns]
    columns = list(columns)
    title = f"{bureau}{published.title}" if bureau else str(published.title)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([str(_("发布日期：%(date)s　共 %(count)s 项") % {"date": f"{timezone.localdate():%Y-%m-%d}",
                                                          "count": len(published.rows)})])
    ws.append([str(c.label) for c in columns])
    header_fill = PatternFill("solid", fgColor="E8F0FC")
    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=idx)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        ws.column_dimensions[get_column_letter(idx)].width = col.width
    for row in published.rows:
        ws.append([row.get(c.key, "") for c in columns])
    for row_cells in ws.iter_rows(min_row=4):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Indicator:
    key: str
    label: str
    description: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.count / self.total, 2) if self.total else 0.0


@dataclass
class Indicators:
    total: int
    items: list[Indicator]


def indicators_build(*, department=None) -> Indicators:
    """马上办 / 网上办 / 就近办 / 一次办 (and 全程网办, 零跑动) over published items, in one query."""
    qs = published_versions()
    if department is not None:
        qs = qs.filter(item__department=department)
    delegated = Delegation.objects.active().filter(item=OuterRef("item"))
    agg = qs.annotate(delegated=Exists(delegated)).aggregate(
        total=Count("pk"),
        instant=Count("pk", filter=Q(handling_type=HandlingType.INSTANT)),
        online=Count("pk", filter=Q(online_depth__gte=OnlineDepth.PREREVIEW)),
        full_online=Count("pk", filter=Q(online_depth=OnlineDepth.FULL)),
        nearby=Count("pk", filter=Q(delegated=True)),
        one_visit=Count("pk", filter=Q(visits_required__lte=1)),
        zero_visit=Count("pk", filter=Q(visits_required=0)),
    )
    total = agg["total"]
    defs = [
        ("instant", _("马上办"), _("即办件，当场办结")),
        ("online", _("网上办"), _("网上办理深度达到Ⅲ级及以上")),
        ("full_online", _("全程网办"), _("网上办理深度Ⅳ级，不用跑现场")),
        ("nearby", _("就近办"), _("已赋权或前移至乡镇（街道）、村（社区）办理")),
        ("one_visit", _("一次办"), _("最多跑一次")),
        ("zero_visit", _("零跑动"), _("到现场次数为 0")),
    ]
    return Indicators(total=total, items=[Indicator(k, label, desc, agg[k], total) for k, label, desc in defs])
