"""The columns of the exchange format, derived from the models so that they cannot drift apart.

One table describes every element an item payload carries: its key (model field name), its Chinese
header in Excel, its kind (how a value is parsed and written), whether it is required, its limits and
the help text of the 填写说明 sheet. The Excel template, the Excel reader and writer, the JSON reader
and writer and the validator all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from ..constants import SpecialProcedure
from ..models import Faq, Fee, ItemVersion, MaterialSpec, ServiceItem, Step
from ..services import CHILD_FIELDS, VERSION_FIELDS

SCHEMA_NAME = "onewindow.catalogue"
SCHEMA_VERSION = 1

ITEM_SHEET = "事项基本信息"
HELP_SHEET = "填写说明"
OPTIONS_SHEET = "下拉选项"
# Excel sheet of each child list, in template order.
CHILD_SHEETS = {"materials": "申请材料", "steps": "办理环节", "fees": "收费项目", "faqs": "常见问题"}
CHILD_MODELS = {"materials": MaterialSpec, "steps": Step, "fees": Fee, "faqs": Faq}

# Separators accepted between several values in one cell (主题, 特别程序).
MULTI_SEPARATORS = r"[、,，;；/\s]+"
EXCEL_TRUE, EXCEL_FALSE = "是", "否"

# Kinds of value
TEXT = "text"
CODE = "code"
INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
CHOICE = "choice"
MULTI_CHOICE = "multi_choice"
ITEM_TYPE = "item_type"
THEMES = "themes"
JSON = "json"
DATE = "date"
DEPARTMENT_NAME = "department_name"
DEPARTMENT_CODE = "department_credit_code"
SORT = "sort"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str
    required: bool = False
    choices: Any = None  # a TextChoices / IntegerChoices class
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    nullable: bool = False
    default: Any = None
    help: str = ""
    width: int = 16

    @property
    def is_text_column(self) -> bool:
        """Cells formatted as text in the template, so that Excel keeps leading zeros and long codes."""
        return self.kind in (TEXT, CODE, DEPARTMENT_CODE, DEPARTMENT_NAME, JSON, THEMES, ITEM_TYPE, MULTI_CHOICE)

    def choice_labels(self) -> list[str]:
        return [str(label) for label in self.choices.labels] if self.choices is not None else []

    def labels_text(self) -> str:
        return join_labels(self.choice_labels())


def join_labels(labels: list[str]) -> str:
    """Allowed values for people: 即办件、承诺件 (with ； when a label itself holds a 、)."""
    return ("；" if any("、" in x for x in labels) else "、").join(labels)


@dataclass(frozen=True)
class Sheet:
    key: str  # "item" or a child relation ("materials", ...)
    title: str
    columns: list[Column] = field(default_factory=list)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def headers(self) -> dict[str, str]:
        return {c.key: c.header for c in self.columns}


# Help for particular elements (the kind adds the general rule: length, allowed values, format).
HELP = {
    (ServiceItem, "implementation_code"): "事项实施编码，全库唯一，导入后不能修改；已存在的编码会更新该事项（生成新草稿）",
    (ServiceItem, "basic_code"): "基本目录编码；已有事项的基本编码须与系统一致",
    (ServiceItem, "department_name"): "实施主体（部门）全称，须与系统中的部门名称完全一致；与统一社会信用代码至少填一项",
    (ServiceItem, "department_credit_code"): "实施主体的 18 位统一社会信用代码；两项都填时须是同一个部门",
    (ItemVersion, "name"): "事项名称（三级四同：与上级目录一致）",
    (ItemVersion, "item_type"): "填写国家事项类型代码或名称，如“01”“行政许可”或“01 行政许可”",
    (ItemVersion, "legal_basis"): "法律法规名称及条款；行政权力事项必填",
    (ItemVersion, "acceptance_conditions"): "发布时必填",
    (ItemVersion, "themes"): "主题代码或名称，多个用顿号“、”分隔，如“设立开办、经营许可”",
    (ItemVersion, "keywords"): "搜索关键词，多个用空格分隔，如“餐饮 饭店 小吃”",
    (ItemVersion, "legal_days"): "天数；没有法定时限的留空，并在时限说明中写明理由",
    (ItemVersion, "promised_days"): "天数，不能超过法定办结时限；即办件填 0；承诺件须大于 0",
    (ItemVersion, "special_procedures"): "多个用顿号“、”分隔；没有的留空",
    (ItemVersion, "place"): "需要到现场的事项发布时必填",
    (ItemVersion, "visits_required"): "0 为零跑动，1 为最多跑一次",
    (ItemVersion, "result_name"): "发布时必填",
    (ItemVersion, "consult_phone"): "发布时必填",
    (ItemVersion, "complaint_phone"): "发布时必填",
    (ItemVersion, "form_schema"): "JSON 格式，一般留空，由系统管理员填写",
    (ItemVersion, "change_summary"): "本次修订内容的简要说明",
    (ItemVersion, "valid_from"): "格式 2025-01-01；留空则发布当日生效",
    (ItemVersion, "valid_to"): "格式 2025-12-31；一般留空",
    (MaterialSpec, "condition"): "必要性为“情形必要”时必须填写",
    (MaterialSpec, "certificate_type"): "可用电子证照代替时填写证照类型（免提交）",
    (Step, "days"): "天数，可有一位小数；各环节之和应等于承诺办结时限",
    (Fee, "basis"): "文件名称及文号；发布时必填",
    "child_code": "所属事项的实施编码，须在「事项基本信息」中存在",
    "sort": "同一事项内的排列顺序，正整数，不能重复",
}


def _example_credit_code() -> str:
    from stdnum.cn import uscc

    body = "11430422MB1234567"
    return body + uscc.calc_check_digit(body)


EXAMPLE_CREDIT_CODE = _example_credit_code()

# The example item of the 填写说明 sheet and the docs, in JSON form.
EXAMPLE_ITEM: dict[str, Any] = {
    "implementation_code": "11430422MB1234567X4000112001",
    "basic_code": "000112001000",
    "department": {"credit_code": EXAMPLE_CREDIT_CODE, "name": "示范县市场监督管理局"},
    "name": "食品经营许可",
    "item_type": "01",
    "legal_basis": "《中华人民共和国食品安全法》第三十五条",
    "exercise_level": "county",
    "for_person": True,
    "for_company": True,
    "acceptance_conditions": "有与经营的食品品种、数量相适应的经营场所。",
    "keywords": "餐饮 饭店 小吃",
    "themes": ["operation", "food-drug"],
    "legal_days": 20,
    "legal_days_unit": "workday",
    "promised_days": 5,
    "promised_days_unit": "workday",
    "time_limit_note": "",
    "handling_type": "promised",
    "special_procedures": ["site_check"],
    "special_procedure_note": "需现场核查的，核查时间不计入办结时限",
    "handling_form": "online_and_window",
    "place": "示范县政务服务中心一楼 3 号窗口",
    "office_hours": "工作日 9:00-12:00，14:00-17:30",
    "visits_required": 1,
    "online_depth": 3,
    "supports_appointment": True,
    "supports_mail_delivery": True,
    "supports_online_payment": False,
    "supports_self_service": False,
    "cross_region_scope": "county",
    "has_fee": False,
    "result_type": "certificate",
    "result_name": "食品经营许可证",
    "consult_phone": "0734-1234567",
    "complaint_phone": "12345",
    "form_schema": {},
    "change_summary": "首次导入",
    "valid_from": None,
    "valid_to": None,
    "materials": [
        {"name": "食品经营许可申请书", "necessity": "required", "condition": "", "form": "original", "count": 1,
         "source": "applicant", "issuing_body": "", "certificate_type": "", "acceptance_standard": "填写完整并签字"},
    ],
    "steps": [
        {"kind": "accept", "name": "窗口受理", "days": 1, "handler": "窗口人员", "standard": "材料齐全、符合法定形式"},
    ],
    "fees": [
        {"name": "（示例）证书工本费", "standard": "10 元/本", "basis": "××价〔2020〕1 号", "reducible": True,
         "note": "低保户免收"},
    ],
    "faqs": [{"question": "营业执照还没办下来可以先申请吗？", "answer": "不可以，须先取得营业执照。"}],
}


def _limits(f: models.Field) -> tuple[int | None, int | None]:
    positive = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
    low: int | None = 0 if isinstance(f, positive) else None
    high: int | None = None
    if isinstance(f, models.PositiveSmallIntegerField | models.SmallIntegerField):
        high = 32767
    elif isinstance(f, models.IntegerField):
        high = 2147483647
    for v in f.validators:
        limit = getattr(v, "limit_value", None)
        if isinstance(limit, int):
            if v.code == "max_value":
                high = limit if high is None else min(high, limit)
            elif v.code == "min_value":
                low = limit if low is None else max(low, limit)
    return low, high


# Headers that differ from the model's verbose name.
HEADERS = {
    (ItemVersion, "for_person"): "服务对象-自然人",
    (ItemVersion, "for_company"): "服务对象-法人",
    (Fee, "name"): "收费项目名称",
}


def column_for(model: type[models.Model], name: str, *, required: bool | None = None) -> Column:
    """The exchange column of one model field."""
    f = model._meta.get_field(name)
    header = HEADERS.get((model, name), str(f.verbose_name))
    if required is None:
        required = not f.has_default() and not f.null and not f.blank
    common: dict[str, Any] = {"required": required, "help": HELP.get((model, name), ""), "nullable": f.null,
                              "default": f.get_default() if f.has_default() else None}
    if name == "item_type":
        return Column(name, header, ITEM_TYPE, width=16, **common)
    if name == "special_procedures":
        return Column(name, header, MULTI_CHOICE, choices=SpecialProcedure, width=18, **common)
    if isinstance(f, models.JSONField):
        return Column(name, header, JSON, width=20, **common)
    if f.choices:
        choices = _choices_class(model, name)
        width = max(12, max(len(str(label)) for label in choices.labels) * 2 + 2)
        return Column(name, header, CHOICE, choices=choices, width=width, **common)
    if isinstance(f, models.BooleanField):
        return Column(name, header, BOOL, width=12, **common)
    if isinstance(f, models.DateField):
        return Column(name, header, DATE, width=14, **common)
    if isinstance(f, models.DecimalField):
        return Column(name, header, DECIMAL, max_digits=f.max_digits, decimal_places=f.decimal_places, width=12,
                      **common)
    if isinstance(f, models.IntegerField):
        low, high = _limits(f)
        return Column(name, header, INT, min_value=low, max_value=high, width=12, **common)
    if isinstance(f, models.CharField | models.TextField):
        width = 40 if isinstance(f, models.TextField) or (f.max_length or 0) >= 300 else 20
        return Column(name, header, TEXT, max_length=f.max_length, width=width, **common)
    raise TypeError(f"No exchange column for {model.__name__}.{name} ({type(f).__name__})")


def _choices_class(model: type[models.Model], name: str):
    """The TextChoices/IntegerChoices class behind a field's choices (matched by its values)."""
    from .. import constants

    values = [c[0] for c in model._meta.get_field(name).choices]
    for obj in vars(constants).values():
        if isinstance(obj, type) and issubclass(obj, models.Choices) and list(obj.values) == values:
            return obj
    raise TypeError(f"No Choices class for {model.__name__}.{name}")


def _item_sheet() -> Sheet:
    item_fields = ServiceItem._meta
    cols = [
        Column("implementation_code", str(item_fields.get_field("implementation_code").verbose_name), CODE,
               required=True, max_length=item_fields.get_field("implementation_code").max_length,
               help=HELP[(ServiceItem, "implementation_code")], width=30),
        Column("basic_code", str(item_fields.get_field("basic_code").verbose_name), CODE, required=True,
               max_length=item_fields.get_field("basic_code").max_length, help=HELP[(ServiceItem, "basic_code")], width=18),
        Column("department_name", "实施主体名称", DEPARTMENT_NAME, max_length=100, help=HELP[(ServiceItem, "department_name")],
               width=24),
        Column("department_credit_code", "实施主体统一社会信用代码", DEPARTMENT_CODE, max_length=18,
               help=HELP[(ServiceItem, "department_credit_code")], width=22),
    ]
    for name in VERSION_FIELDS:
        cols.append(column_for(ItemVersion, name))
        if name == "keywords":
            cols.append(Column("themes", "主题", THEMES, help=HELP[(ItemVersion, "themes")], width=20))
    return Sheet("item", ITEM_SHEET, cols)


def _child_sheet(relation: str) -> Sheet:
    model, names = CHILD_FIELDS[relation]
    cols = [
        Column("implementation_code", "实施编码", CODE, required=True, max_length=60,
               help=HELP["child_code"], width=30),
        Column("sort", "序号", SORT, required=True, min_value=1, max_value=32767, help=HELP["sort"], width=8),
    ]
    for name in names:
        if isinstance(model._meta.get_field(name), models.FileField):
            continue  # files (空白表格, 样表) are uploaded in the workbench, not exchanged
        cols.append(column_for(model, name))
    return Sheet(relation, CHILD_SHEETS[relation], cols)


ITEM = _item_sheet()
CHILDREN: dict[str, Sheet] = {rel: _child_sheet(rel) for rel in CHILD_SHEETS}
SHEETS: list[Sheet] = [ITEM, *CHILDREN.values()]
SCALAR_KEYS = [c.key for c in ITEM.columns if c.key in VERSION_FIELDS]
