from __future__ import annotations

from onewindow.core.errors import PermissionDenied
from onewindow.org.permissions import CATALOGUE_EDITORS, CATALOGUE_REVIEWERS, has_role


def can_edit_item(user, item) -> bool:
    return has_role(user, CATALOGUE_EDITORS, item.department)


def can_review_item(user, item) -> bool:
    return has_role(user, CATALOGUE_REVIEWERS, item.department)


def require_edit(user, item) -> None:
    if not can_edit_item(user, item):
        raise PermissionDenied("您无权编辑该部门的事项。")


def require_review(user, item) -> None:
    if not can_review_item(user, item):
        raise PermissionDenied("您无权审核发布该部门的事项。")
