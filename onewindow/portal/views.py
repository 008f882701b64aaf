"""Public citizen portal: home, search and browse, the service guide (办事指南), departments, lists (清单)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from onewindow.catalogue.constants import Audience, HandlingType, ListKind, OnlineDepth
from onewindow.catalogue.lists import indicators_build, list_build, list_to_xlsx
from onewindow.catalogue.models import ItemType, Theme
from onewindow.catalogue.selectors import item_get_published, item_search
from onewindow.org.models import Department, Region

from . import presenters
from .hall import expected_completion
from .selectors import (
    active_delegations,
    delegation_regions,
    departments_with_counts,
    halls_for_regions,
    hot_items,
    nearby_regions_for,
    themes_by_audience,
)

PAGE_SIZE = 20
MAX_PAGE = 500
MAX_QUERY_LENGTH = 100
ONE_VISIT_INDICATORS = ("instant", "online", "nearby", "one_visit")

# Citizen-facing wording of the indicators and lists (the catalogue's own strings are for Excel).
INDICATOR_TEXT = {
    "instant": (gettext_lazy("马上办"), gettext_lazy("即办件，当场办结")),
    "online": (gettext_lazy("网上办"), gettext_lazy("可在网上申请和预审")),
    "full_online": (gettext_lazy("全程网办"), gettext_lazy("全程网上办理，不用跑现场")),
    "nearby": (gettext_lazy("就近办"), gettext_lazy("可在乡镇（街道）、村（社区）办理")),
    "one_visit": (gettext_lazy("一次办"), gettext_lazy("最多跑一次")),
    "zero_visit": (gettext_lazy("零跑动"), gettext_lazy("不用到现场")),
}
LIST_TEXT = {
    ListKind.POWERS: gettext_lazy("本级各部门依法行使的行政权力事项及其设定依据。"),
    ListKind.LICENSING: gettext_lazy("依法设定的行政许可事项，清单之外不得违法实施行政许可。"),
    ListKind.PUBLIC_SERVICE: gettext_lazy("面向个人和企业提供的公共服务事项。"),
    ListKind.FEES: gettext_lazy("涉及收费的事项及其收费标准和依据，清单之外一律不得收费。"),
    ListKind.WAIVABLE: gettext_lazy("次要材料暂缺时可先行受理、承诺限期补交的事项。"),
}


def _is_partial(request: HttpRequest) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _indicators(keys=None) -> list[dict]:
    data = indicators_build()
    rows = []
    for ind in data.items:
        if keys is not None and ind.key not in keys:
            continue
        label, description = INDICATOR_TEXT.get(ind.key, (ind.label, ind.description))
        rows.append({"key": ind.key, "label": label, "description": description, "count": ind.count,
                     "total": ind.total, "percent": ind.percent})
    return rows


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    themes = themes_by_audience()
    context = {
        "nav": "home",
        "person_themes": themes.get(Audience.PERSON, []),
        "company_themes": themes.get(Audience.COMPANY, []),
        "hot_items": hot_items(limit=8),
        "departments": list(departments_with_counts()[:12]),
        "indicators": _indicators(ONE_VISIT_INDICATORS),
        "lists": [{"kind": k.value, "title": k.label, "description": LIST_TEXT[k]} for k in ListKind],
    }
    return render(request, "portal/home.html", context)


# --- Search and browse -------------------------------------------------------------------------

@dataclass
class SearchFilters:
    q: str = ""
    department: Department | None = None
    theme: Theme | None = None
    audience: str = ""
    item_type: ItemType | None = None
    handling_type: str = ""
    online: bool = False
    region: Region | None = None
    page: int = 1
    ignored: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any([self.department, self.theme, self.audience, self.item_type, self.handling_type, self.online,
                    self.region])

    def as_search_kwargs(self) -> dict:
        return {
            "query": self.q, "page": self.page, "page_size": PAGE_SIZE,
            "department": self.department, "theme": self.theme, "audience": self.audience or None,
            "item_type": self.item_type, "handling_type": self.handling_type or None,
            "online_depth": OnlineDepth.PREREVIEW if self.online else None, "region": self.region,
        }


def _parse_filters(params) -> SearchFilters:
    """Read the search parameters. Unknown or malformed values are dropped and named in `ignored`."""
    f = SearchFilters(q=(params.get("q") or "").strip()[:MAX_QUERY_LENGTH])

    def ignore(label):
        f.ignored.append(str(label))

    raw = (params.get("department") or "").strip()
    if raw:
        f.department = Department.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if f.department is None:
            ignore(_("部门"))
    raw = (params.get("theme") or "").strip()
    if raw:
        f.theme = Theme.objects.filter(code=raw[:40]).first()
        if f.theme is None:
            ignore(_("主题"))
    raw = (params.get("audience") or "").strip()
    if raw:
        if raw in Audience.values:
            f.audience = raw
        else:
            ignore(_("服务对象"))
    raw = (params.get("item_type") or "").strip()
    if raw:
        f.item_type = ItemType.objects.filter(code=raw[:4], is_active=True).first()
        if f.item_type is None:
            ignore(_("事项类型"))
    raw = (params.get("handling_type") or "").strip()
    if raw:
        if raw in HandlingType.values:
            f.handling_type = raw
        else:
            ignore(_("办件类型"))
    f.online = (params.get("online") or "") in ("1", "on", "true")
    raw = (params.get("region") or "").strip()
    if raw:
        f.region = Region.objects.filter(code=raw[:12]).first() if raw.isdigit() else None
        if f.region is None:
            ignore(_("办理地点"))
    raw = (params.get("page") or "").strip()
    if raw:
        if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE:
            f.page = int(raw)
        else:
            ignore(_("页码"))
    return f


def _search_title(f: SearchFilters) -> str:
    if f.theme is not None:
        return f.theme.name
    if f.department is not None:
        return f.department.name
    if f.region is not None:
        return _("%(region)s 就近办理") % {"region": f.region.name}
    if f.audience == Audience.PERSON:
        return _("个人办事")
    if f.audience == Audience.COMPANY:
        return _("法人办事")
    return _("办事指南")


def _chips(request: HttpRequest, f: SearchFilters) -> list[tuple[str, str]]:
    """The active filters, each with the URL that removes it (and goes back to page 1)."""
    labels = {
        "audience": dict(Audience.choices).get(f.audience),
        "theme": f.theme.name if f.theme else None,
        "department": f.department.display_name if f.department else None,
        "item_type": _(f.item_type.name) if f.item_type else None,
        "handling_type": dict(HandlingType.choices).get(f.handling_type),
        "region": f.region.name if f.region else None,
        "online": _("可网上办理") if f.online else None,
    }
    base = reverse("portal:guide_search")
    chips = []
    for key, label in labels.items():
        if not label:
            continue
        query = urlencode([(k, v) for k, values in request.GET.lists() if k not in (key, "page")
                           for v in values if v])
        chips.append((str(label), f"{base}?{query}" if query else base))
    return chips


@require_safe
def guide_search(request: HttpRequest) -> HttpResponse:
    f = _parse_filters(request.GET)
    page = item_search(**f.as_search_kwargs())
    nearby = nearby_regions_for(page.results)
    for v in page.results:
        v.nearby_regions = nearby.get(v.item_id, [])
    context = {"nav": "guide", "filters": f, "page": page, "title": _search_title(f), "chips": _chips(request, f),
               "first_number": (page.page - 1) * page.page_size + 1, "partial": _is_partial(request)}
    if not page.results:
        themes = themes_by_audience()
        context["suggest_items"] = hot_items(limit=6)
        context["suggest_themes"] = (themes.get(Audience.PERSON, [])[:6] + themes.get(Audience.COMPANY, [])[:6])
    if _is_partial(request):
        response = render(request, "portal/_results.html", context)
    else:
        context.update({
            "departments": departments_with_counts(),
            "themes": themes_by_audience(),
            "item_types": ItemType.objects.filter(is_active=True),
            "regions": delegation_regions(),
            "handling_types": HandlingType.choices,
            "audiences": Audience.choices,
        })
        response = render(request, "portal/guide_search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def department_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/departments.html",
                  {"nav": "departments", "departments": departments_with_counts()})


# --- The service guide -------------------------------------------------------------------------

@require_safe
def guide_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = item_get_published(code=code)
    item = version.item
    department = item.department
    delegations = active_delegations(item.delegations.all())
    halls = halls_for_regions([department.region_id] + [d.region_id for d in delegations])
    places = [{"delegation": d, "halls": halls.get(d.region_id, [])} for d in delegations]
    materials = list(version.materials.all())
    fees = list(version.fees.all())
    flags = [
        (_("网上预约"), version.supports_appointment),
        (_("免费寄递（物流快递）"), version.supports_mail_delivery),
        (_("网上支付"), version.supports_online_payment),
        (_("自助终端办理"), version.supports_self_service),
    ]
    context = {
        "nav": "guide",
        "v": version,
        "item": item,
        "department": department,
        "materials": materials,
        "required_count": sum(1 for m in materials if m.necessity != "conditional"),
        "waivable_count": sum(1 for m in materials if m.necessity == "waivable"),
        "reusable_count": sum(1 for m in materials if m.is_reusable),
        "steps": presenters.step_rows(list(version.steps.all()), version.promised_days),
        "fees": fees,
        "faqs": list(version.faqs.all()),
        "themes": list(version.themes.all()),
        "special_procedures": presenters.special_procedure_labels(version.special_procedures),
        "flags": flags,
        "county_halls": halls.get(department.region_id, []),
        "places": places,
        "is_instant": version.handling_type == HandlingType.INSTANT,
        "expected": expected_completion(version),
        "can_apply_online": version.online_depth >= OnlineDepth.PREREVIEW,
        "printed_on": timezone.localdate(),
        "page_url": request.build_absolute_uri(),
    }
    return render(request, "portal/guide_detail.html", context)


# --- Published lists (清单公开) -------------------------------------------------------------------

def _kind_or_404(kind: str) -> ListKind:
    if kind not in ListKind.values:
        raise Http404(_("没有这个清单。"))
    return ListKind(kind)


@require_safe
def list_index(request: HttpRequest) -> HttpResponse:
    lists = []
    for kind in ListKind:
        built = list_build(kind)
        lists.append({"kind": kind.value, "title": kind.label, "description": LIST_TEXT[kind],
                      "count": len(built.rows), "items": len({r["code"] for r in built.rows})})
    return render(request, "portal/lists.html",
                  {"nav": "lists", "lists": lists, "indicators": _indicators()})


def _xlsx_filename(kind: ListKind, today: date) -> str:
    return f"{settings.SITE_BUREAU}{kind.label}_{today:%Y%m%d}.xlsx"


def _content_disposition(filename: str, fallback: str) -> str:
    """RFC 6266 / 5987: an ASCII fallback for old clients and the UTF-8 name for everyone else."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _xlsx_response(kind: ListKind) -> HttpResponse:
    built = list_build(kind)
    today = timezone.localdate()
    response = HttpResponse(
        list_to_xlsx(built, bureau=settings.SITE_BUREAU),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _content_disposition(_xlsx_filename(kind, today),
                                                           f"{kind.value}-{today:%Y%m%d}.xlsx")
    return response


@require_safe
def list_xlsx(request: HttpRequest, kind: str) -> HttpResponse:
    return _xlsx_response(_kind_or_404(kind))


@require_safe
def list_detail(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(kind)
    built = list_build(kind)
    guide_url = reverse("portal:guide_detail", args=["__code__"])
    for row in built.rows:
        row["url"] = guide_url.replace("__code__", quote(row["code"]))
    columns = built.columns
    context = {
        "nav": "lists",
        "kind": kind,
        "title": kind.label,
        "description": LIST_TEXT[kind],
        "columns": columns,
        "rows": [{"url": r["url"], "index": r["index"], "cells": [(c.key, c.label, r.get(c.key, "")) for c in columns]}
                 for r in built.rows],
        "other_lists": [k for k in ListKind if k != kind],
    }
    return render(request, "portal/list_detail.html", context)
