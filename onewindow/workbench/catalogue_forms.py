"""Forms of the catalogue workbench. They only validate input; the catalogue services write.

Fields and labels come from the models (`fields_for_model`), so the screens use the verbose names
of the catalogue. Model-level constraints are left to the services, except those a database would
refuse outright (they are checked here so that the editor sees the message next to the field).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db.models import Q
from django.forms.formsets import ORDERING_FIELD_NAME
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.catalogue.constants import HandlingType, Necessity, SpecialProcedure
from onewindow.catalogue.models import Faq, Fee, ItemType, ItemVersion, MaterialSpec, Step, Theme
from onewindow.catalogue.services import CHILD_FIELDS, VERSION_FIELDS

# What the editor shows of VERSION_FIELDS, grouped in the sections of a service guide.
SECTIONS: list[tuple[str, str, list[str]]] = [
    ("basic", _("基本信息"), ["name", "item_type", "exercise_level", "for_person", "for_company", "valid_from",
                             "change_summary"]),
    ("conditions", _("受理条件与依据"), ["legal_basis", "acceptance_conditions"]),
    ("time", _("时限"), ["handling_type", "legal_days", "legal_days_unit", "promised_days", "promised_days_unit",
                        "time_limit_note", "special_procedures", "special_procedure_note"]),
    ("how", _("办理方式"), ["handling_form", "visits_required", "online_depth", "cross_region_scope", "place",
                           "office_hours", "supports_appointment", "supports_mail_delivery",
                           "supports_online_payment", "supports_self_service", "has_fee"]),
    ("result", _("结果与联系方式"), ["result_type", "result_name", "consult_phone", "complaint_phone"]),
    ("topics", _("主题与关键词"), ["themes", "keywords"]),
]
EDIT_FIELDS = [name for _key, _label, names in SECTIONS for name in names if name != "themes"]
assert set(EDIT_FIELDS) <= set(VERSION_FIELDS)
WIDE_FIELDS = {"name", "legal_basis", "acceptance_conditions", "time_limit_note", "special_procedures",
               "special_procedure_note", "place", "office_hours", "result_name", "keywords", "change_summary",
               "themes"}
TEXTAREA_ROWS = {"legal_basis": 3, "acceptance_conditions": 4}

UPLOAD_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "jpg", "jpeg", "png"]
UPLOAD_MAX_BYTES = 5 * 1024 * 1024


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return f"{obj.get_audience_display()}·{obj.name}"


def _item_type_label(item_type) -> str:
    # Seeded national type names are in the catalogue (constants.ITEM_TYPE_SEED); a renamed type shows as stored.
    return gettext(item_type.name)


class VersionForm(forms.Form):
    """All scalar elements of a draft version, plus its themes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_type"].queryset = ItemType.objects.filter(
            Q(is_active=True) | Q(pk=self.initial.get("item_type") or 0))
        self.fields["item_type"].empty_label = None
        self.fields["item_type"].label_from_instance = _item_type_label

    @classmethod
    def for_version(cls, version: ItemVersion, data=None) -> VersionForm:
        initial = model_to_dict(version, fields=[*EDIT_FIELDS, "themes"])
        if "themes" in initial:
            initial["themes"] = [t.pk for t in initial["themes"]]
        return cls(data=data, initial=initial)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("promised_days") is None:
            cleaned["promised_days"] = 0  # 即办件: decided at the counter
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in EDIT_FIELDS}
        data["special_procedures"] = list(self.cleaned_data["special_procedures"] or [])
        data["themes"] = list(self.cleaned_data["themes"])
        return data


VersionForm.base_fields = {
    **fields_for_model(
        ItemVersion,
        fields=EDIT_FIELDS,
        widgets={
            **{name: _textarea(TEXTAREA_ROWS.get(name, 2)) for name in ("legal_basis", "acceptance_conditions")},
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        },
    ),
    "special_procedures": forms.MultipleChoiceField(
        label=ItemVersion._meta.get_field("special_procedures").verbose_name,
        choices=SpecialProcedure.choices, required=False, widget=forms.CheckboxSelectMultiple,
    ),
    "visits_required": forms.IntegerField(
        label=ItemVersion._meta.get_field("visits_required").verbose_name, min_value=0, max_value=9,
        help_text=_("0 表示零跑动，1 表示最多跑一次。"),
    ),
    "themes": ThemeChoiceField(
        label=ItemVersion._meta.get_field("themes").verbose_name, queryset=Theme.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    ),
}
# Keep the order of SECTIONS (the overrides above were appended at the end).
VersionForm.base_fields = {
    name: VersionForm.base_fields[name] for _k, _l, names in SECTIONS for name in names
}
VersionForm.base_fields["promised_days"].required = False


class NewItemForm(forms.Form):
    """A new item: its department, codes and the first elements of its first draft."""

    department = forms.ModelChoiceField(label=_("实施主体"), queryset=None, empty_label=None)
    implementation_code = forms.CharField(
        label=_("实施编码"), max_length=60, validators=[RegexValidator(settings.CATALOGUE_IMPLEMENTATION_CODE_PATTERN,
                                                                   _("实施编码只能包含字母、数字和“-”，6 至 60 位。"))])
    basic_code = forms.CharField(
        label=_("基本编码"), max_length=40, validators=[RegexValidator(settings.CATALOGUE_BASIC_CODE_PATTERN,
                                                                  _("基本编码只能包含字母、数字和“-”，6 至 40 位。"))])

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].widget.attrs["autofocus"] = True
        self.fields["item_type"].queryset = ItemType.objects.filter(is_active=True)
        self.fields["item_type"].empty_label = None
        self.fields["item_type"].label_from_instance = _item_type_label
        self.fields["handling_type"].initial = HandlingType.PROMISED

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("name", "item_type", "handling_type")}
        if data["handling_type"] == HandlingType.INSTANT:
            data["promised_days"] = 0
        return data


NewItemForm.base_fields.update(fields_for_model(ItemVersion, fields=["name", "item_type", "handling_type"]))


class RowForm(forms.Form):
    """One child row (material, step, fee, FAQ). Moving a row (ORDER) alone does not count as a change."""

    model: type
    fields_list: list[str]

    def has_changed(self) -> bool:
        return bool(set(self.changed_data) - {ORDERING_FIELD_NAME})

    def row_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields_list}


def _row_form(model, relation: str, widgets=None, overrides=None, clean=None):
    fields = CHILD_FIELDS[relation][1]
    base = fields_for_model(model, fields=fields, widgets=widgets or {})
    base.update(overrides or {})
    attrs = {"model": model, "fields_list": fields, **{n: base[n] for n in fields}}
    if clean is not None:
        attrs["clean"] = clean
    return type(f"{model.__name__}RowForm", (RowForm,), attrs)


def _clean_material(self):
    cleaned = forms.Form.clean(self)
    if cleaned.get("necessity") == Necessity.CONDITIONAL and not (cleaned.get("condition") or "").strip():
        self.add_error("condition", _("情形必要材料须写明适用情形。"))
    for name in ("blank_form", "sample"):
        upload = cleaned.get(name)
        if upload and getattr(upload, "size", 0) > UPLOAD_MAX_BYTES:
            self.add_error(name, _("文件不能超过 5 MB。"))
    return cleaned


def _file_field(name: str) -> forms.FileField:
    return forms.FileField(
        label=MaterialSpec._meta.get_field(name).verbose_name, required=False,
        validators=[FileExtensionValidator(UPLOAD_EXTENSIONS)],
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in UPLOAD_EXTENSIONS)}),
    )


MaterialRowForm = _row_form(
    MaterialSpec, "materials",
    overrides={"blank_form": _file_field("blank_form"), "sample": _file_field("sample")},
    clean=_clean_material,
)
StepRowForm = _row_form(
    Step, "steps",
    overrides={"days": forms.DecimalField(label=Step._meta.get_field("days").verbose_name, max_digits=5,
                                          decimal_places=1, min_value=Decimal(0), initial=Decimal(0))},
)
FeeRowForm = _row_form(Fee, "fees")
FaqRowForm = _row_form(Faq, "faqs", widgets={"answer": _textarea(2)})

# relation → (title, form class)
CHILD_FORMS = {
    "materials": (_("申请材料"), MaterialRowForm),
    "steps": (_("办理环节"), StepRowForm),
    "fees": (_("收费项目"), FeeRowForm),
    "faqs": (_("常见问题"), FaqRowForm),
}


def child_formset(relation: str, version: ItemVersion, data=None, files=None):
    _title, form_class = CHILD_FORMS[relation]
    formset_class = forms.formset_factory(form_class, extra=1 if relation != "faqs" else 0, can_delete=True,
                                          can_order=True, max_num=200, validate_max=True)
    fields = CHILD_FIELDS[relation][1]
    initial = [{f: getattr(child, f) for f in fields} for child in getattr(version, relation).all()]
    formset = formset_class(data=data, files=files, initial=initial, prefix=relation)
    formset.relation = relation
    formset.title = _title
    return formset


def formset_rows(formset) -> list[dict]:
    """The rows to give the service, in the order shown (moved rows follow ORDER), deleted rows left out."""
    rows = []
    for form in formset.ordered_forms:
        row = form.row_data()
        for name in ("blank_form", "sample"):
            if name in row:
                value = row[name]
                # False = "clear" ticked, None = nothing; a FieldFile is kept by name; an upload is stored by the service.
                row[name] = "" if not value else (value.name if hasattr(value, "storage") else value)
        rows.append(row)
    return rows


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), max_length=500, required=False, widget=_textarea(3))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "approve_%s")  # the reject form on the same page has a comment too
        super().__init__(*args, **kwargs)


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("退回意见"), max_length=500, widget=_textarea(3),
                              error_messages={"required": _("退回修改须填写审核意见。")})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reject_%s")
        super().__init__(*args, **kwargs)


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("废止原因"), max_length=500, widget=_textarea(3),
                             error_messages={"required": _("请填写废止原因。")})
    confirm = forms.BooleanField(label=_("我已确认该事项应当废止"),
                                 error_messages={"required": _("请勾选确认后再废止。")})
