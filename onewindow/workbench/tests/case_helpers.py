"""Helpers of the case-screen tests: sign-in, window staff, and the POST a browser sends from the desk."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.accounts.testing import staff_login
from onewindow.cases.tests.factories import pdf
from onewindow.org.constants import Role
from onewindow.org.models import StaffRole
from onewindow.org.tests.factories import UserFactory
from onewindow.workbench.views.desk import applicant_ref


def login(client, user) -> None:
    """Sign a staff member in with both steps (password and TOTP), like the other workbench tests."""
    staff_login(client, user)


def window_clerk(department, window, name="孙窗口"):
    user = UserFactory(name=name)
    StaffRole.objects.create(user=user, role=Role.CLERK, department=department, window=window)
    return user


def desk_data(version, applicant, *, action, received=(), scans=None, waive=(), due=None, reasons=None,
              key="token-1", **extra) -> dict:
    """What the checklist form sends: `received` material names ticked 已收 (with a scan unless `scans` lists
    fewer), `waive` names with 容缺 ticked, every unreceived material kept in the composer (as the page does)."""
    scans = received if scans is None else scans
    due = due or (timezone.localdate() + dt.timedelta(days=10))
    reasons = reasons or {}
    data = {"a": applicant_ref(applicant), "version": str(version.pk), "token": key, "action": action}
    for spec in version.materials.all():
        pk = spec.pk
        data[f"reason_{pk}"] = reasons.get(spec.name, "未提交")
        if spec.name in received:
            data[f"recv_{pk}"] = "1"
            if spec.name in scans:
                data[f"scan_{pk}"] = pdf(f"{spec.name}.pdf")
        elif spec.name in waive:
            data[f"waive_{pk}"] = "1"
        else:
            data[f"notice_{pk}"] = "1"
        data[f"due_{pk}"] = due.isoformat()
    data.update(extra)
    return data
