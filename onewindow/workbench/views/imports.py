"""导入事项: upload a filled template (or a JSON exchange file); check first, then import all or nothing."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from onewindow.catalogue.exchange import catalogue_import, catalogue_template

from ..access import catalogue_user_required


class ImportForm(forms.Form):
    file = forms.FileField(label=_("事项文件（.xlsx 模板或 .json 交换文件）"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False, initial=True)
    publish = forms.BooleanField(label=_("导入后直接发布（仅系统管理员批量建库时使用）"), required=False)


@catalogue_user_required
@require_http_methods(["GET", "POST"])
def catalogue_import_view(request):
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if not request.user.is_superuser:
        form.fields.pop("publish")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Every item is written through the catalogue services with this user's permissions: a department
        # editor can import only their department's items, as drafts that still go through review.
        result = catalogue_import(file=upload, actor=request.user, filename=upload.name,
                                  publish=bool(form.cleaned_data.get("publish")),
                                  dry_run=form.cleaned_data["dry_run"])
    status = 400 if result is not None and not result.ok else 200
    return render(request, "workbench/catalogue/import.html", {"nav": "import", "form": form, "result": result},
                  status=status)


@catalogue_user_required
def catalogue_template_download(request):
    response = HttpResponse(catalogue_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"政务服务事项导入模板-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"catalogue-template.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
