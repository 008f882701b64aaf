"""Forms of the case screens (受理台 and the case page). They parse input; the rules live in cases.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.cases.constants import ApplicantKind, Decision, DeliveryMethod, SuspensionKind

TEXTAREA = {"rows": 2}


class ActionForm(forms.Form):
    """Every case action form carries the status the user saw: if it changed meanwhile, someone else acted."""

    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)


class CommentForm(ActionForm):
    comment = forms.CharField(label=_("说明"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs=TEXTAREA))


class ReasonForm(ActionForm):
    # Required by the services (with their own Chinese message); not by the form, so one message is shown.
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))


class AcceptForm(CommentForm):
    """受理: 容缺 waivers are added per waivable material that is missing (`waive_<id>`, `due_<id>`)."""

    def __init__(self, *args, waivable=(), default_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.waivable = list(waivable)
        for spec in self.waivable:
            self.fields[f"waive_{spec.pk}"] = forms.BooleanField(label=spec.name, required=False)
            self.fields[f"due_{spec.pk}"] = forms.DateField(
                label=_("补交期限"), required=False, initial=default_due,
                widget=forms.DateInput(attrs={"type": "date"}))

    def waivers(self) -> dict:
        data = self.cleaned_data
        return {s.pk: data.get(f"due_{s.pk}") for s in self.waivable if data.get(f"waive_{s.pk}")}

    def waiver_rows(self):
        return [(s, self[f"waive_{s.pk}"], self[f"due_{s.pk}"]) for s in self.waivable]


class CorrectionForm(CommentForm):
    """一次性告知: one row per material (`item_<id>` ticked = to be corrected, `reason_<id>`)."""

    def __init__(self, *args, specs=(), preselect=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        for spec in self.specs:
            self.fields[f"item_{spec.pk}"] = forms.BooleanField(label=spec.name, required=False,
                                                                initial=spec.pk in preselect)
            self.fields[f"reason_{spec.pk}"] = forms.CharField(label=_("补正原因"), required=False, max_length=300,
                                                               initial=_("未提交"))

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [{"spec_id": s.pk, "reason": data.get(f"reason_{s.pk}", "")}
                for s in self.specs if data.get(f"item_{s.pk}")]

    def rows(self):
        return [(s, self[f"item_{s.pk}"], self[f"reason_{s.pk}"]) for s in self.specs]


class DecideForm(ActionForm):
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices, widget=forms.RadioSelect,
                                 initial=Decision.APPROVE)
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))
    basis = forms.CharField(label=_("法律依据"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs=TEXTAREA))


class DeliverForm(ActionForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices, initial=DeliveryMethod.WINDOW)
    address = forms.CharField(label=_("邮寄地址"), required=False, max_length=300)
    tracking_number = forms.CharField(label=_("快递单号"), required=False, max_length=40)


class SuspendForm(ReasonForm):
    kind = forms.ChoiceField(label=_("特别程序"), choices=SuspensionKind.choices)
    expected_end = forms.DateField(label=_("预计结束"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["kind", "reason", "expected_end"]


class ExtensionRequestForm(ReasonForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=30, initial=10)

    field_order = ["days", "reason"]


class ExtensionDecisionForm(ActionForm):
    approve = forms.TypedChoiceField(label=_("审批"), choices=[("1", _("批准延期")), ("0", _("不批准"))],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1")
    comment = forms.CharField(label=_("审批意见"), required=False, max_length=500)


class ResubmitForm(CommentForm):
    """补正提交 at the window: per material the open notice asks for, 已收 on paper (`paper_<id>`) and/or a
    scan (`file_<id>`)."""

    def __init__(self, *args, notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice_items = list(notice.items) if notice is not None else []
        order = []
        for item in self.notice_items:
            pk = item["spec_id"]
            self.fields[f"paper_{pk}"] = forms.BooleanField(label=_("已收纸质"), required=False)
            self.fields[f"file_{pk}"] = forms.FileField(label=item["name"], required=False)
            order += [f"paper_{pk}", f"file_{pk}"]
        self.order_fields([*order, "comment"])

    def rows(self):
        return [(i, self[f"paper_{i['spec_id']}"], self[f"file_{i['spec_id']}"]) for i in self.notice_items]

    def files_by_spec(self) -> dict:
        return {i["spec_id"]: self.cleaned_data[f"file_{i['spec_id']}"] for i in self.notice_items
                if self.cleaned_data.get(f"file_{i['spec_id']}")}

    def paper(self) -> list[int]:
        return [i["spec_id"] for i in self.notice_items if self.cleaned_data.get(f"paper_{i['spec_id']}")]


class SupplyWaivedForm(ActionForm):
    spec = forms.IntegerField(widget=forms.HiddenInput)
    upload = forms.FileField(label=_("补交材料"))


# ---------------------------------------------------------------------------------------------------------------
# 受理台


class RegisterApplicantForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices, widget=forms.HiddenInput)
    identifier = forms.CharField(widget=forms.HiddenInput, max_length=32)
    name = forms.CharField(label=_("姓名/名称"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
