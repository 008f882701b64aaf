"""12345 热线代录: an operator (HOTLINE_OPERATORS) records a caller's rating after checking the case number and
the last six characters of the applicant's ID (services.rating_record_hotline)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.core.errors import ApplicationError
from onewindow.workbench.views.common import apply_error

from .. import selectors, services
from ..constants import HOTLINE_OPERATORS, Level, ServiceEvent
from ..models import BadRatingCase
from .common import can, role_required

OPERATORS_ONLY = gettext_lazy("只有 12345 热线话务员（大厅管理员）或系统管理员可以代录评价。")

operator_required = role_required(lambda user: can(user, HOTLINE_OPERATORS), OPERATORS_ONLY)


class HotlineForm(forms.Form):
    case_number = forms.CharField(label=gettext_lazy("办件编号"), max_length=40,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "class": "wb-code"}))
    id_tail = forms.CharField(label=gettext_lazy("申请人证件号码后六位"), min_length=6, max_length=6,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text",
                                                            "class": "wb-code", "size": 8}))
    service_event = forms.ChoiceField(label=gettext_lazy("评价的服务环节"), choices=ServiceEvent.choices,
                                      initial=ServiceEvent.WHOLE_CASE)
    level = forms.TypedChoiceField(label=gettext_lazy("评价等级"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(lv.value, lv.label) for lv in Level])
    options = forms.MultipleChoiceField(label=gettext_lazy("评价选项"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    comment = forms.CharField(label=gettext_lazy("来电人的评价内容"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))
    real_name = forms.BooleanField(label=gettext_lazy("实名评价（来电人同意留下身份）"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = selectors.rating_options()
        seen = []
        for lv in self.levels:
            for option in lv["options"]:
                if option not in seen:
                    seen.append(option)
        self.fields["options"].choices = [(o, o) for o in seen]

    def option_groups(self):
        """Options grouped by level for the page (the script shows the group of the chosen level)."""
        chosen = set(self["options"].value() or [])
        return [{"level": lv["level"], "label": lv["label"], "bad": lv["bad"],
                 "options": [{"value": o, "label": label, "checked": o in chosen}
                             for o, label in zip(lv["options"], lv["option_labels"], strict=False)]}
                for lv in self.levels]


@operator_required
def hotline_rating(request):
    form = HotlineForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                rating = services.rating_record_hotline(
                    actor=request.user, case_number=d["case_number"], id_tail=d["id_tail"],
                    service_event=d["service_event"], level=d["level"], options=d["options"], comment=d["comment"],
                    real_name=d["real_name"])
            except ApplicationError as exc:
                # Not found, already rated, window closed, options not of the level: the page again, form kept.
                apply_error(request, form, exc, show_message=False)
                return render(request, "ratings/workbench/hotline.html",
                              {"nav": "hotline_rating", "form": form, "alert": exc.message}, status=exc.status_code)
            bad = BadRatingCase.objects.filter(rating=rating).only("pk").first()
            if bad is not None:
                messages.success(request, format_html(
                    '{} <a href="{}">{}</a>', _("已录入评价；差评已生成差评整改单，已通知责任部门。"),
                    reverse("workbench:bad_rating", args=[bad.pk]), _("查看整改单")))
            else:
                messages.success(request, _("已录入评价（%(case)s，%(level)s）。")
                                 % {"case": rating.case.number, "level": rating.get_level_display()})
            return redirect("workbench:hotline_rating")
        return render(request, "ratings/workbench/hotline.html",
                      {"nav": "hotline_rating", "form": form, "alert": _("请检查标出的项目。")}, status=400)
    return render(request, "ratings/workbench/hotline.html", {"nav": "hotline_rating", "form": form})
