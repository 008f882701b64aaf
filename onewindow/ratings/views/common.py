"""Pieces shared by the applicant pages and the pad: the level/option form data, masking, the rating form."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from .. import selectors
from ..constants import BAD_LEVELS
from ..models import RatingInvitation

MAX_COMMENT = 500


def mask_name(name: str) -> str:
    """李明 → 李*, 欧阳娜娜 → 欧阳**; a company name keeps its first two and last two characters."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) <= 3:
        return name[0] + "*" * (len(name) - 1)
    if len(name) == 4:
        return name[:2] + "**"
    return name[:2] + "*" * min(len(name) - 4, 6) + name[-2:]


def levels() -> list[dict]:
    """The five levels (非常满意 first) with their options, each option with its stored value and its label."""
    out = []
    for lv in selectors.rating_options():
        lv = dict(lv)
        lv["choices"] = list(zip(lv["options"], lv["option_labels"], strict=False))
        lv["stars"] = "★" * lv["level"] + "☆" * (5 - lv["level"])
        out.append(lv)
    return sorted(out, key=lambda x: -x["level"])


def read_form(post) -> dict:
    """Level, the options ticked under that level (checkbox names are per level), the free text."""
    raw = (post.get("level") or "").strip()
    level = int(raw) if raw.isdigit() else None
    options = post.getlist(f"options-{level}") if level else []
    return {"level": level, "options": options, "comment": (post.get("comment") or "").strip()[:MAX_COMMENT]}


@dataclass
class ServiceFacts:
    """What the rating pages say about the service rated (no personal data beyond the masked name)."""

    item: str
    event: str
    date: object
    department: str
    staff: str
    staff_initial: str
    staff_number: str
    applicant: str
    case_number: str


def service_facts(invitation: RatingInvitation, *, with_department: bool = True) -> ServiceFacts:
    case = invitation.case
    staff = invitation.staff
    staff_name = str(staff) if staff is not None else ""
    return ServiceFacts(
        item=case.version.name, event=invitation.get_service_event_display(),
        date=timezone.localtime(invitation.created_at),
        department=case.department.display_name if with_department else "",
        staff=staff_name, staff_initial=staff_name[:1], staff_number=getattr(staff, "job_number", "") or "",
        applicant=mask_name(case.applicant.name), case_number=case.number)


def is_bad_level(level) -> bool:
    return level in [int(b) for b in BAD_LEVELS]
