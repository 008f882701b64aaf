from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onewindow.cases.selectors import is_case_staff
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion
from onewindow.org.constants import Role
from onewindow.org.permissions import has_role, staff_roles

from ..access import is_catalogue_reviewer, is_catalogue_user, reviewer_departments
from .cases import inbox_counts, inbox_tabs


@login_required
def home(request):
    """Greeting with the user's roles and scope, and a card for each section the user may open."""
    user = request.user
    roles = staff_roles(user)
    catalogue = is_catalogue_user(user)
    reviewer = is_catalogue_reviewer(user)
    review_count = None
    if reviewer:
        review_count = ItemVersion.objects.filter(
            status=VersionStatus.IN_REVIEW, item__department__in=reviewer_departments(user)
        ).count()
    my_drafts = None
    if catalogue:
        my_drafts = ItemVersion.objects.filter(status=VersionStatus.DRAFT, created_by=user).count()
    case_tabs = []
    if is_case_staff(user):
        case_tabs = inbox_tabs(user)
        counts = inbox_counts(user, case_tabs)
        case_tabs = [dict(t, count=counts.get(t["key"])) for t in case_tabs if t["key"] != "closed"]
    return render(request, "workbench/home.html", {
        "nav": "home",
        "roles": roles,
        "catalogue": catalogue,
        "reviewer": reviewer,
        "review_count": review_count,
        "my_drafts": my_drafts,
        "desk": has_role(user, (Role.CLERK,)),
        "case_tabs": case_tabs,
        "case_counts": {"mine": next((t["count"] for t in case_tabs if t["default"]), 0)} if case_tabs else None,
    })
