"""Quality rules for an item version ("三化" consistency), checked all at once.

Each rule returns every violation it finds, so an editor sees the whole list in one go.
Errors block submission and publication; warnings are shown but do not block.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .constants import HandlingType, MaterialSource, Necessity, OnlineDepth, StepKind, TimeUnit

# Short names of the rules below, for reports and filters: a new rule gets its name here too.
RULE_LABELS = {
    "name_required": _("事项名称为空"),
    "legal_basis_required": _("缺少设定依据"),
    "conditions_required": _("缺少受理条件"),
    "audience_required": _("未选择服务对象"),
    "consult_phone_required": _("缺少咨询电话"),
    "complaint_phone_required": _("缺少监督投诉电话"),
    "place_required": _("缺少办理地点"),
    "result_name_required": _("缺少审批结果名称"),
    "promised_exceeds_legal": _("承诺时限超过法定时限"),
    "legal_days_required": _("缺少法定办结时限"),
    "instant_has_days": _("即办件承诺时限不为 0"),
    "promised_days_required": _("承诺件缺少承诺时限"),
    "steps_required": _("缺少办理环节"),
    "step_missing": _("办理环节不完整"),
    "step_days_mismatch": _("环节时限之和与承诺时限不符"),
    "full_online_needs_zero_visits": _("全程网办仍需到现场"),
    "zero_visits_needs_mail": _("零跑动事项未支持快递送达"),
    "fee_items_required": _("收费事项缺少收费项目"),
    "fee_flag_mismatch": _("“是否收费”与收费项目不符"),
    "fee_basis_required": _("收费项目缺少收费依据"),
    "material_duplicate": _("申请材料重复"),
    "material_condition_required": _("情形必要材料缺少适用情形"),
    "material_certificate_type": _("未注明可替代的电子证照"),
    "instant_waivable": _("即办件含容缺材料"),
}

@dataclass(frozen=True)
class Violation:
    code: str
    field: str
    message: str
    severity: str = "error"  # "error" blocks publication, "warning" does not

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message, "severity": self.severity}


def _in_workdays(days: int, unit: str) -> Decimal:
    # Natural days are compared as working days by the 5-in-7 ratio; only used for mixed units.
    return Decimal(days) if unit == TimeUnit.WORKDAY else Decimal(days) * 5 / 7


def check_version(version, *, materials=None, steps=None, fees=None) -> list[Violation]:
    """All violations of one version. Pass children to avoid queries (e.g. from prefetch)."""
    materials = list(version.materials.all()) if materials is None else list(materials)
    steps = list(version.steps.all()) if steps is None else list(steps)
    fees = list(version.fees.all()) if fees is None else list(fees)
    out: list[Violation] = []
    add = out.append

    if not version.name.strip():
        add(Violation("name_required", "name", gettext("事项名称不能为空。")))
    if version.item_type.is_power and not version.legal_basis.strip():
        add(Violation("legal_basis_required", "legal_basis", gettext("行政权力事项必须填写设定依据。")))
    if not version.acceptance_conditions.strip():
        add(Violation("conditions_required", "acceptance_conditions", gettext("受理条件不能为空。")))
    if not (version.for_person or version.for_company):
        add(Violation("audience_required", "for_person", gettext("请至少选择一种服务对象（自然人或法人）。")))
    if not version.consult_phone.strip():
        add(Violation("consult_phone_required", "consult_phone", gettext("咨询电话不能为空。")))
    if not version.complaint_phone.strip():
        add(Violation("complaint_phone_required", "complaint_phone", gettext("监督投诉电话不能为空。")))
    if version.visits_required > 0 and not version.place.strip():
        add(Violation("place_required", "place", gettext("需要到现场办理的事项必须填写办理地点。")))
    if not version.result_name.strip():
        add(Violation("result_name_required", "result_name", gettext("请填写审批结果名称。")))

    # Time limits
    if version.legal_days is not None:
        promised = _in_workdays(version.promised_days, version.promised_days_unit)
        legal = _in_workdays(version.legal_days, version.legal_days_unit)
        if promised > legal:
            add(Violation("promised_exceeds_legal", "promised_days",
                          gettext("承诺办结时限（%(promised)s%(promised_unit)s）"
                                  "不能超过法定办结时限（%(legal)s%(legal_unit)s）。") % {
                              "promised": version.promised_days,
                              "promised_unit": version.get_promised_days_unit_display(),
                              "legal": version.legal_days, "legal_unit": version.get_legal_days_unit_display()}))
    elif version.item_type.is_power and not version.time_limit_note.strip():
        add(Violation("legal_days_required", "legal_days", gettext("行政权力事项应填写法定办结时限，或在时限说明中写明理由。")))
    if version.handling_type == HandlingType.INSTANT:
        if version.promised_days != 0:
            add(Violation("instant_has_days", "promised_days", gettext("即办件的承诺办结时限应为 0（当场办结）。")))
    elif version.promised_days == 0:
        add(Violation("promised_days_required", "promised_days", gettext("承诺件必须填写大于 0 的承诺办结时限。")))

    # Steps
    kinds = {s.kind for s in steps}
    if not steps:
        add(Violation("steps_required", "steps", gettext("请填写办理环节。")))
    else:
        for needed in (StepKind.ACCEPT, StepKind.DECIDE):
            if needed not in kinds:
                add(Violation("step_missing", "steps", gettext("办理环节缺少“%(step)s”。") % {"step": needed.label}))
        total = sum((Decimal(s.days) for s in steps), Decimal(0))
        if total != Decimal(version.promised_days):
            add(Violation("step_days_mismatch", "steps",
                          gettext("各环节时限之和（%(total)s）应等于承诺办结时限（%(promised)s）。") % {
                              "total": f"{total.normalize():f}", "promised": version.promised_days}))

    # Online, visits and delivery
    if version.online_depth == OnlineDepth.FULL and version.visits_required != 0:
        add(Violation("full_online_needs_zero_visits", "visits_required",
                      gettext("网上办理深度为Ⅳ级（全程网办）的事项，到现场次数应为 0。")))
    if version.visits_required == 0 and version.online_depth < OnlineDepth.FULL and not version.supports_mail_delivery:
        add(Violation("zero_visits_needs_mail", "supports_mail_delivery",
                      gettext("到现场次数为 0 但不能全程网办的事项，必须支持物流快递送达。")))

    # Fees
    if version.has_fee and not fees:
        add(Violation("fee_items_required", "fees", gettext("事项标注为收费，请填写收费项目。")))
    if not version.has_fee and fees:
        add(Violation("fee_flag_mismatch", "has_fee", gettext("已填写收费项目，请将“是否收费”选为“是”。")))
    for i, fee in enumerate(fees, start=1):
        if not fee.basis.strip():
            add(Violation("fee_basis_required", f"fees[{i}].basis",
                          gettext("收费项目“%(fee)s”必须填写收费依据。") % {"fee": fee.name}))

    # Materials
    seen: set[str] = set()
    for i, m in enumerate(materials, start=1):
        if m.name in seen:
            add(Violation("material_duplicate", f"materials[{i}].name",
                          gettext("申请材料“%(material)s”重复。") % {"material": m.name}))
        seen.add(m.name)
        if m.necessity == Necessity.CONDITIONAL and not m.condition.strip():
            add(Violation("material_condition_required", f"materials[{i}].condition",
                          gettext("情形必要材料“%(material)s”必须写明适用情形。") % {"material": m.name}))
        if m.source == MaterialSource.GOVERNMENT and not m.certificate_type.strip():
            add(Violation("material_certificate_type", f"materials[{i}].certificate_type",
                          gettext("材料“%(material)s”由政府部门核发，应注明可替代的电子证照类型（免提交）。") % {
                              "material": m.name}, "warning"))
    if version.handling_type == HandlingType.INSTANT and any(m.necessity == Necessity.WAIVABLE for m in materials):
        add(Violation("instant_waivable", "materials", gettext("即办件不适用容缺受理，请调整材料的必要性。"), "warning"))
    return out


def errors_only(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "error"]
