"""Who may use the catalogue workbench, and the data scope of every page (404 outside it)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from onewindow.catalogue.models import ItemVersion, ServiceItem
from onewindow.catalogue.permissions import can_edit_item, can_review_item
from onewindow.catalogue.selectors import version_get_with_children
from onewindow.org.permissions import CATALOGUE_EDITORS, CATALOGUE_REVIEWERS, department_scope, has_role

CATALOGUE_ROLES = tuple(dict.fromkeys((*CATALOGUE_EDITORS, *CATALOGUE_REVIEWERS)))

__all__ = [
    "CATALOGUE_ROLES",
    "catalogue_departments",
    "reviewer_departments",
    "is_catalogue_user",
    "is_catalogue_reviewer",
    "forbidden",
    "catalogue_user_required",
    "reviewer_required",
    "item_for_user",
    "version_for_user",
    "can_edit_item",
    "can_review_item",
]


def catalogue_departments(user):
    """Departments whose items the user may see in the workbench (editors ∪ reviewers)."""
    return department_scope(user, CATALOGUE_ROLES)


def reviewer_departments(user):
    return department_scope(user, CATALOGUE_REVIEWERS)


def is_catalogue_user(user) -> bool:
    return has_role(user, CATALOGUE_ROLES)


def is_catalogue_reviewer(user) -> bool:
    return has_role(user, CATALOGUE_REVIEWERS)


def forbidden(request, message: str):
    return render(request, "workbench/forbidden.html", {"message": message}, status=403)


def _guard(check, message):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                return forbidden(request, str(message()))
            try:
                return view(request, *args, **kwargs)
            except Http404:
                # Staff stay in the workbench; the message does not tell whether the item exists elsewhere.
                return render(request, "workbench/not_found.html",
                              {"message": _("事项不存在或不在您的管理范围内。")}, status=404)

        return wrapper

    return decorator


catalogue_user_required = _guard(
    is_catalogue_user, lambda: _("您没有事项管理权限。事项编辑员、部门负责人或系统管理员可以使用此功能。")
)
reviewer_required = _guard(
    is_catalogue_reviewer, lambda: _("您没有事项审核权限。只有部门负责人或系统管理员可以审核发布事项。")
)


def item_for_user(user, pk: int) -> ServiceItem:
    """The item if it belongs to a department in the user's scope; otherwise 404 (do not reveal it exists)."""
    item = (
        ServiceItem.objects.filter(pk=pk)
        .select_related("department__region", "published_version")
        .first()
    )
    if item is None or not has_role(user, CATALOGUE_ROLES, item.department):
        raise Http404(_("事项不存在或不在您的管理范围内。"))
    return item


def version_for_user(user, pk: int) -> ItemVersion:
    """A version with its children, if its item is in the user's scope; otherwise 404."""
    version = version_get_with_children(pk=pk)
    if not has_role(user, CATALOGUE_ROLES, version.item.department):
        raise Http404(_("事项不存在或不在您的管理范围内。"))
    return version
