"""Quality violations as the workbench shows them: with a readable place and a link to the field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from onewindow.catalogue.models import ItemVersion
from onewindow.catalogue.quality import Violation
from onewindow.catalogue.quality_report import rule_label
from onewindow.catalogue.services import CHILD_FIELDS

ROW_FIELD = re.compile(r"^(?P<relation>\w+)\[(?P<index>\d+)\]\.(?P<name>\w+)$")


@dataclass
class Issue:
    code: str
    field: str
    message: str
    severity: str
    anchor: str  # element id on the page: id_<field>, id_<relation>-<n>-<field>, or sec-<relation>
    place: str  # “申请材料 第2行 · 适用情形”
    rule: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class QualityPanel:
    issues: list[Issue]
    by_field: dict[str, list[Issue]] = field(default_factory=dict)
    by_row: dict[tuple[str, int], dict[str, list[Issue]]] = field(default_factory=dict)
    by_section: dict[str, list[Issue]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]


def _place(relation: str | None, index: int | None, name: str) -> str:
    if relation is None:
        try:
            return str(ItemVersion._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a rule may name something that is not a model field
            return name
    model = CHILD_FIELDS[relation][0]
    label = str(model._meta.verbose_name)
    if index is None:
        return label
    return _("%(label)s 第%(n)s行 · %(field)s") % {
        "label": label, "n": index, "field": str(model._meta.get_field(name).verbose_name)}


def quality_panel(violations: list[Violation]) -> QualityPanel:
    issues: list[Issue] = []
    panel = QualityPanel(issues=issues)
    for v in sorted(violations, key=lambda v: v.severity != "error"):
        match = ROW_FIELD.match(v.field)
        if match and match["relation"] in CHILD_FIELDS:
            relation, index, name = match["relation"], int(match["index"]), match["name"]
            anchor = f"id_{relation}-{index - 1}-{name}"
            issue = Issue(v.code, v.field, v.message, v.severity, anchor, _place(relation, index, name),
                          rule_label(v.code))
            panel.by_row.setdefault((relation, index - 1), {}).setdefault(name, []).append(issue)
        elif v.field in CHILD_FIELDS:
            issue = Issue(v.code, v.field, v.message, v.severity, f"sec-{v.field}", _place(v.field, None, ""),
                          rule_label(v.code))
            panel.by_section.setdefault(v.field, []).append(issue)
        else:
            issue = Issue(v.code, v.field, v.message, v.severity, f"id_{v.field}", _place(None, None, v.field),
                          rule_label(v.code))
            panel.by_field.setdefault(v.field, []).append(issue)
        issues.append(issue)
    return panel


def attach_issues(panel: QualityPanel, form, formsets) -> None:
    """Let the field templates show each issue next to its field (only valid for forms built from the saved draft)."""
    form.issues = panel.by_field
    for formset in formsets:
        formset.issues = panel.by_section.get(formset.relation, [])
        for i, row in enumerate(formset.forms):
            row.issues = panel.by_row.get((formset.relation, i), {})
