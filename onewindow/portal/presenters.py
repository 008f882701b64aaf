"""How the portal words catalogue facts for citizens: short labels, phone links, time shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from onewindow.catalogue.constants import HandlingType, OnlineDepth, SpecialProcedure
from onewindow.catalogue.models import ItemVersion, Step

DEPTH_SHORT = {
    OnlineDepth.INFO: (gettext_noop("仅公开指南"), ""),
    OnlineDepth.DOWNLOAD: (gettext_noop("表格下载"), ""),
    OnlineDepth.PREREVIEW: (gettext_noop("网上预审"), "badge-primary"),
    OnlineDepth.FULL: (gettext_noop("全程网办"), "badge-ok"),
}


def depth_short(depth: int) -> str:
    label = DEPTH_SHORT.get(depth, ("", ""))[0]
    return _(label) if label else ""


def depth_badge_class(depth: int) -> str:
    return DEPTH_SHORT.get(depth, ("", ""))[1]


def visits_label(visits: int) -> str:
    if visits == 0:
        return _("零跑动")
    if visits == 1:
        return _("最多跑一次")
    return ngettext("到现场 %(n)d 次", "到现场 %(n)d 次", visits) % {"n": visits}


def promised_label(version: ItemVersion) -> str:
    """即办 or 承诺 N 个工作日."""
    if version.handling_type == HandlingType.INSTANT or not version.promised_days:
        return _("即办")
    return _("承诺 %(days)d 个%(unit)s") % {"days": version.promised_days,
                                           "unit": version.get_promised_days_unit_display()}


def legal_label(version: ItemVersion) -> str:
    if version.legal_days is None:
        return version.time_limit_note or "—"
    if version.legal_days == 0:
        return _("当场办结")
    return _("%(days)d 个%(unit)s") % {"days": version.legal_days, "unit": version.get_legal_days_unit_display()}


def special_procedure_labels(values: list | None) -> list[str]:
    labels = dict(SpecialProcedure.choices)
    return [str(labels.get(v, v)) for v in (values or [])]


_PHONE_SPLIT = re.compile(r"[、,，;；/]+")


@dataclass(frozen=True)
class Phone:
    text: str
    href: str  # "" when the text has no number to dial


def phones(value: str) -> list[Phone]:
    """“0734-1234567、12345” → two tel: links. Text without digits stays plain."""
    out = []
    for part in _PHONE_SPLIT.split(value or ""):
        part = part.strip()
        if not part:
            continue
        digits = re.sub(r"[^\d+]", "", re.split(r"[（(]", part)[0])
        out.append(Phone(part, f"tel:{digits}" if len(digits) >= 3 else ""))
    return out


@dataclass(frozen=True)
class StepRow:
    step: Step
    label: str
    days: str
    percent: float


def step_rows(steps: list[Step], promised_days: int) -> list[StepRow]:
    """Each step with its share of the promised time (for the little bars on the guide)."""
    total = Decimal(promised_days) if promised_days else sum((Decimal(s.days) for s in steps), Decimal(0))
    rows = []
    for s in steps:
        share = float(Decimal(s.days) / total * 100) if total else 0.0
        rows.append(StepRow(step=s, label=s.name or s.get_kind_display(), days=format(Decimal(s.days).normalize(), "f"),
                            percent=round(min(share, 100.0), 1)))
    return rows


def percent(value: float | None) -> str:
    """0.75 → “75%”, 0.6667 → “66.7%”."""
    if value is None:
        return "—"
    pct = round(value * 100, 1)
    return f"{pct:g}%"
