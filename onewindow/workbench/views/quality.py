"""质量报告: every quality violation of every current version in the user's scope, on screen and as .xlsx."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onewindow.catalogue.quality_report import (
    RULE_LABELS,
    SEVERITY_LABELS,
    quality_report,
    quality_report_to_xlsx,
)

from ..access import catalogue_departments, catalogue_user_required
from ..quality_panel import quality_panel

PAGE_SIZE = 50


def _report(request):
    scope = catalogue_departments(request.user)
    departments = list(scope.order_by("sort", "name"))
    department = None
    department_id = request.GET.get("department", "")
    if department_id.isdigit():
        department = next((d for d in departments if d.pk == int(department_id)), None)
    rule = request.GET.get("rule", "")
    rule = rule if rule in RULE_LABELS else ""
    severity = request.GET.get("severity", "")
    severity = severity if severity in SEVERITY_LABELS else ""
    report = quality_report(departments=scope, department=department, rule=rule, severity=severity)
    return report, departments


@catalogue_user_required
def quality_report_view(request):
    report, departments = _report(request)
    page = Paginator(report.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.issues = quality_panel(entry.violations).issues
    return render(request, "workbench/catalogue/quality_report.html", {
        "nav": "quality",
        "report": report,
        "page": page,
        "departments": departments,
        "rules": sorted(((code, str(label)) for code, label in RULE_LABELS.items()), key=lambda r: r[1]),
        "severities": [(k, str(v)) for k, v in SEVERITY_LABELS.items()],
    })


@catalogue_user_required
def quality_report_xlsx(request):
    report, _departments = _report(request)
    content = quality_report_to_xlsx(report, bureau=settings.SITE_BUREAU)
    response = HttpResponse(content,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"quality-report-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
