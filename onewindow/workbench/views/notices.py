"""工作提醒: the notices a staff member received (cards, bad ratings), newest first; mark one or all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.core.errors import ApplicationError
from onewindow.notifications.selectors import staff_notices_for_user
from onewindow.notifications.services import staff_notice_mark_read

PAGE_SIZE = 30


@login_required
def notice_list(request):
    unread_only = request.GET.get("unread") == "1"
    qs = staff_notices_for_user(request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workbench/notices/list.html",
                  {"nav": "notices", "page": page, "unread_only": unread_only})


@login_required
@require_POST
def notice_read(request, pk: int | None = None):
    """Mark read; with a notice's own link, go on to the page it points to (a path inside the site only)."""
    try:
        changed = staff_notice_mark_read(user=request.user, notice_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("workbench:notices")
    target = request.POST.get("next", "")
    if pk is not None and target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    if pk is None:
        messages.success(request, _("已将 %(n)s 条提醒标为已读。") % {"n": changed})
    return redirect("workbench:notices")
