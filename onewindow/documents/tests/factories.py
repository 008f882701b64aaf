"""Documents test helpers: a county department with a short name, staff, and committed transitions."""

from __future__ import annotations

import shutil
import subprocess

from onewindow.accounts.models import User
from onewindow.cases.tests.factories import person, submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, RegionFactory, UserFactory, staff


def county_department(name: str = "云溪县市场监督管理局", short_name: str = "市场监管局"):
    region = RegionFactory(code="430422", name="云溪县")
    return DepartmentFactory(name=name, short_name=short_name, region=region, address="云溪县舜德路 16 号")


def team(department) -> dict[str, User]:
    return {
        "clerk": staff(Role.CLERK, department, username=f"clerk-{department.pk}", name="张丽"),
        "reviewer": staff(Role.REVIEWER, department, username=f"reviewer-{department.pk}", name="陈志强"),
        "head": staff(Role.DEPARTMENT_HEAD, department, username=f"head-{department.pk}", name="王建国"),
    }


def applicant_with_account(seq: int = 1, name: str = "李明"):
    user = UserFactory(username=f"citizen{seq}", name=name, email=f"citizen{seq}@example.com")
    return person(seq, user=user, name=name), user


def new_case(version=None, department=None, seq: int = 1, **kwargs):
    version = version or published_item(department=department)
    return submitted_case(version=version, applicant=kwargs.pop("applicant", None) or person(seq), **kwargs)


def pdf_text(data: bytes) -> str | None:
    """Text of a PDF by poppler's pdftotext, or None when poppler-utils is not installed."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    done = subprocess.run([exe, "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603
    return done.stdout.decode("utf-8")
