"""Catalogue-wide quality report: every quality violation of every current version, in a fixed number of queries.

The current version of an item is its open version (draft or in review) if it has one, else the
published one; items with only retired versions are not reported. The rules are those of
`quality.check_version`; the children come from one prefetch each, so the report costs four queries
however many items it covers.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .constants import VersionStatus
from .models import Fee, ItemVersion, MaterialSpec, Step
from .quality import RULE_LABELS, Violation, check_version

__all__ = [
    "RULE_LABELS",
    "SEVERITY_LABELS",
    "ReportEntry",
    "RuleCount",
    "DepartmentCount",
    "QualityReport",
    "quality_report",
    "quality_report_to_xlsx",
    "rule_label",
]

SEVERITY_LABELS = {"error": _("错误"), "warning": _("提醒")}
CURRENT_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.PUBLISHED)


def rule_label(code: str) -> str:
    return str(RULE_LABELS.get(code, code))


@dataclass
class ReportEntry:
    """One item's current version and its violations (after the rule/severity filter)."""

    version: ItemVersion
    violations: list[Violation]

    @property
    def item(self):
        return self.version.item

    @property
    def errors(self) -> int:
        return sum(1 for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for v in self.violations if v.severity == "warning")


@dataclass
class RuleCount:
    code: str
    label: str
    severity: str
    violations: int = 0
    items: int = 0


@dataclass
class DepartmentCount:
    department: object
    items: int = 0
    items_with_errors: int = 0
    items_with_warnings: int = 0
    errors: int = 0
    warnings: int = 0

    @property
    def clean_items(self) -> int:
        return self.items - self.items_with_errors

    @property
    def pass_rate(self) -> float:
        return round(100 * self.clean_items / self.items, 1) if self.items else 100.0


@dataclass
class QualityReport:
    checked: int  # current versions checked (after the department filter)
    items_with_errors: int
    items_with_warnings: int
    by_rule: list[RuleCount]
    by_department: list[DepartmentCount]
    entries: list[ReportEntry] = field(default_factory=list)  # only items that have a matching violation
    department: object = None
    rule: str = ""
    severity: str = ""

    @property
    def errors(self) -> int:
        return sum(r.violations for r in self.by_rule if r.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(r.violations for r in self.by_rule if r.severity == "warning")


def _current_versions(departments, department=None) -> list[ItemVersion]:
    qs: QuerySet[ItemVersion] = (
        ItemVersion.objects.filter(item__department__in=departments, status__in=CURRENT_STATUSES)
        .select_related("item__department", "item_type")
        .prefetch_related(
            Prefetch("materials", queryset=MaterialSpec.objects.order_by("sort", "id")),
            Prefetch("steps", queryset=Step.objects.order_by("sort", "id")),
            Prefetch("fees", queryset=Fee.objects.order_by("sort", "id")),
        )
        .order_by("item__department__sort", "item__department__name", "item__implementation_code", "-number")
    )
    if department is not None:
        qs = qs.filter(item__department=department)
    current: dict[int, ItemVersion] = {}
    for version in qs:
        chosen = current.get(version.item_id)
        # An open version (draft / in review) is what the editors work on: it wins over the published one.
        if chosen is None or (chosen.status == VersionStatus.PUBLISHED and version.status != VersionStatus.PUBLISHED):
            current[version.item_id] = version
    return list(current.values())


def quality_report(*, departments, department=None, rule: str = "", severity: str = "") -> QualityReport:
    """Check every current version of the items of `departments` (a queryset or list), all rules at once.

    `department` narrows everything (counts and list); `rule` and `severity` narrow the list of items
    and their violations, while the counts stay those of all rules so that they can be compared.
    Four queries: versions, materials, steps, fees.
    """
    versions = _current_versions(departments, department)
    rule_counts: dict[tuple[str, str], RuleCount] = {}
    dept_counts: dict[int, DepartmentCount] = {}
    entries: list[ReportEntry] = []
    with_errors = with_warnings = 0
    for version in versions:
        found = check_version(version, materials=version.materials.all(), steps=version.steps.all(),
                              fees=version.fees.all())
        dept = version.item.department
        dc = dept_counts.setdefault(dept.pk, DepartmentCount(department=dept))
        dc.items += 1
        severities = Counter(v.severity for v in found)
        dc.errors += severities["error"]
        dc.warnings += severities["warning"]
        if severities["error"]:
            dc.items_with_errors += 1
            with_errors += 1
        if severities["warning"]:
            dc.items_with_warnings += 1
            with_warnings += 1
        per_rule: dict[tuple[str, str], int] = defaultdict(int)
        for v in found:
            per_rule[(v.code, v.severity)] += 1
        for (code, sev), n in per_rule.items():
            rc = rule_counts.setdefault((code, sev), RuleCount(code=code, label=rule_label(code), severity=sev))
            rc.violations += n
            rc.items += 1
        shown = [v for v in found if (not rule or v.code == rule) and (not severity or v.severity == severity)]
        if shown:
            entries.append(ReportEntry(version=version, violations=shown))
    by_rule = sorted(rule_counts.values(), key=lambda r: (r.severity != "error", -r.items, r.code))
    by_department = sorted(dept_counts.values(), key=lambda d: (d.department.sort, d.department.name))
    return QualityReport(checked=len(versions), items_with_errors=with_errors, items_with_warnings=with_warnings,
                         by_rule=by_rule, by_department=by_department, entries=entries, department=department,
                         rule=rule, severity=severity)


def _sheet(ws, title: str, headers: list[tuple[str, int]], rows: list[list]) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([gettext("生成时间：%(time)s") % {"time": f"{timezone.localtime():%Y-%m-%d %H:%M}"}])
    ws.append([h for h, _w in headers])
    fill = PatternFill("solid", fgColor="E8F0FC")
    for idx, (_h, width) in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=idx)
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[get_column_letter(idx)].width = width
    for row in rows:
        ws.append(row)
    for row_cells in ws.iter_rows(min_row=4):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"


def quality_report_to_xlsx(report: QualityReport, *, bureau: str = "") -> bytes:
    """Three sheets: one row per violation, counts by rule, counts by department."""
    wb = Workbook()
    ws = wb.active
    ws.title = gettext("问题清单")
    rows = []
    for entry in report.entries:
        v = entry.version
        for violation in entry.violations:
            rows.append([
                v.item.implementation_code, v.name or v.item.name, v.item.department.name, v.number,
                v.get_status_display(), str(SEVERITY_LABELS.get(violation.severity, violation.severity)),
                rule_label(violation.code), violation.message, violation.field,
            ])
    _sheet(ws, gettext("%(bureau)s事项要素质量报告") % {"bureau": bureau}, [
        (gettext("实施编码"), 24), (gettext("事项名称"), 30), (gettext("实施主体"), 22), (gettext("版本"), 6),
        (gettext("版本状态"), 10), (gettext("严重程度"), 10), (gettext("规则"), 24), (gettext("问题说明"), 50),
        (gettext("要素"), 22),
    ], rows)
    ws = wb.create_sheet(gettext("按规则统计"))
    _sheet(ws, gettext("按规则统计"), [(gettext("规则"), 30), (gettext("严重程度"), 10), (gettext("涉及事项数"), 12),
                                      (gettext("问题数"), 10)], [
        [r.label, str(SEVERITY_LABELS.get(r.severity, r.severity)), r.items, r.violations] for r in report.by_rule
    ])
    ws = wb.create_sheet(gettext("按部门统计"))
    _sheet(ws, gettext("按部门统计"), [(gettext("实施主体"), 30), (gettext("检查事项数"), 12),
                                      (gettext("有错误事项"), 12), (gettext("有提醒事项"), 12), (gettext("错误数"), 10),
                                      (gettext("提醒数"), 10), (gettext("合格率%"), 10)], [
        [d.department.name, d.items, d.items_with_errors, d.items_with_warnings, d.errors, d.warnings, d.pass_rate]
        for d in report.by_department
    ])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
