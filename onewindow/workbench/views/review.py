"""待审核: the review queue and the review page (diff, quality, approve / reject), with four-eyes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion
from onewindow.catalogue.quality import check_version
from onewindow.catalogue.selectors import version_get_with_children
from onewindow.core.errors import ApplicationError

from ..access import can_review_item, forbidden, reviewer_departments, reviewer_required, version_for_user
from ..catalogue_diff import version_diff
from ..catalogue_forms import RejectForm, ReviewForm
from ..quality_panel import quality_panel
from .catalogue import readonly_context
from .common import apply_error

FOUR_EYES_MESSAGE = gettext_lazy("审核发布须由编辑、提交人以外的人员进行（双人复核）。")


@reviewer_required
def review_queue(request):
    """In-review versions of the departments the user reviews, oldest submission first. Fixed queries."""
    versions = (
        ItemVersion.objects.filter(status=VersionStatus.IN_REVIEW,
                                   item__department__in=reviewer_departments(request.user))
        .select_related("item__department", "item__published_version", "submitted_by", "created_by")
        .order_by("submitted_at", "pk")
    )
    return render(request, "workbench/catalogue/review_queue.html", {"nav": "review", "versions": versions})


def _review_page(request, version, *, approve_form=None, reject_form=None, alert=None, status=200):
    item = version.item
    base = None
    if item.published_version_id and item.published_version_id != version.pk:
        base = version_get_with_children(pk=item.published_version_id)
    four_eyes = request.user.pk in services.version_editors(version=version)
    panel = quality_panel(check_version(version))
    approve_form = approve_form or ReviewForm()
    if not (four_eyes or panel.errors):
        approve_form.fields["comment"].widget.attrs["autofocus"] = True
    return render(request, "workbench/catalogue/review.html", {
        **readonly_context(version, panel),
        "nav": "review",
        "version": version,
        "item": item,
        "base": base,
        "diff": version_diff(base, version),
        "panel": panel,
        "approve_form": approve_form,
        "reject_form": reject_form or RejectForm(),
        "four_eyes": four_eyes,
        "four_eyes_message": str(FOUR_EYES_MESSAGE),
        "alert": alert,
        "can_review": True,
    }, status=status)


def _reviewable(request, pk):
    version = version_for_user(request.user, pk)
    if not can_review_item(request.user, version.item):
        return version, forbidden(request, _("您无权审核发布该部门的事项。"))
    if version.status != VersionStatus.IN_REVIEW:
        messages.info(request, _("第 %(n)s 版当前为“%(status)s”，不在待审核状态。")
                      % {"n": version.number, "status": version.get_status_display()})
        return version, redirect("workbench:version", pk=version.pk)
    return version, None


@reviewer_required
def version_review(request, pk: int):
    version, refused = _reviewable(request, pk)
    return refused or _review_page(request, version)


@reviewer_required
@require_POST
def version_approve(request, pk: int):
    version, refused = _reviewable(request, pk)
    if refused:
        return refused
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_page(request, version, approve_form=form, status=400)
    try:
        services.version_approve(actor=request.user, version=version, comment=form.cleaned_data["comment"])
    except ApplicationError as exc:
        apply_error(request, form, exc, show_message=False)
        return _review_page(request, version, approve_form=form, alert={"level": "error", "message": exc.message},
                            status=exc.status_code)
    messages.success(request, _("审核通过，第 %(n)s 版已发布，办事指南已更新。") % {"n": version.number})
    return redirect("workbench:version", pk=version.pk)


@reviewer_required
@require_POST
def version_reject(request, pk: int):
    version, refused = _reviewable(request, pk)
    if refused:
        return refused
    form = RejectForm(request.POST)
    if not form.is_valid():
        alert = {"level": "error", "message": _("退回修改须填写审核意见。")}
        return _review_page(request, version, reject_form=form, alert=alert, status=400)
    try:
        services.version_reject(actor=request.user, version=version, comment=form.cleaned_data["comment"])
    except ApplicationError as exc:
        apply_error(request, form, exc, show_message=False)
        return _review_page(request, version, reject_form=form, alert={"level": "error", "message": exc.message},
                            status=exc.status_code)
    messages.success(request, _("已退回修改，编辑人员将在草稿中看到您的审核意见。"))
    return redirect("workbench:review_queue")
