"""Reads of 好差评, in the caller's scope (DESIGN.md §3).

Anonymity: nothing here gives staff the rater of a rating that is not bad. Staff read ratings only as counts
(`rating_stats`, from the rollup tables, never a scan of ratings) and bad ratings through their rectification
record (`bad_cases_for_user`), which carries the applicant's name and masked ID for the responsible department.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from onewindow.catalogue.models import ServiceItem
from onewindow.core.errors import ApplicationError, NotFound, PermissionDenied
from onewindow.org.models import Department, Hall, Window
from onewindow.org.permissions import department_scope, has_role

from . import conf
from .constants import READERS, STATS_READERS, Level, RatingChannel, ServiceEvent, StatsGroup
from .models import BadRatingCase, CompletedRollup, Rating, RatingInvitation, RatingRollup
from .tokens import read_token

__all__ = [
    "rating_options",
    "invitation_for_token",
    "invitation_for_user",
    "invitation_for_window_pad",
    "ratings_for_applicant",
    "bad_cases_for_user",
    "bad_case_get_for_user",
    "parse_period",
    "rating_stats",
    "StatsRow",
    "invitations_for_case",
    "pad_windows_for_user",
]

LINK_INVALID = "评价链接无效或已过期。"


def rating_options() -> list[dict]:
    opts = conf.options()
    return [{"level": level.value, "label": str(level.label), "bad": level.value <= 2,
             "options": opts.get(level.value, []),
             "option_labels": [gettext(o) for o in opts.get(level.value, [])]} for level in Level]


def invitation_for_token(token: str, *, follow_up: bool = False) -> RatingInvitation:
    invitation_id = read_token(token, follow_up=follow_up)
    invitation = None
    if invitation_id is not None:
        invitation = (RatingInvitation.objects.select_related("case__version", "case__department", "staff")
                      .filter(pk=invitation_id, token=token).first())
    if invitation is None:
        raise NotFound(LINK_INVALID, code="invalid_token")
    return invitation


def invitation_for_user(*, user, case_number: str, service_event: str) -> RatingInvitation:
    """The newest invitation of this service event on a case of the user's (else NotFound: not disclosed)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("未找到可评价的办件服务。")
    own = Q(case__applicant__user=user) | Q(case__created_by=user, case__assisted_by__isnull=True)
    invitation = (RatingInvitation.objects.filter(own, case__number=(case_number or "").strip(),
                                                  service_event=service_event)
                  .select_related("case__applicant").order_by("-created_at", "-id").first())
    if invitation is None:
        raise NotFound("未找到可评价的办件服务。")
    return invitation


def invitation_for_window_pad(*, window_id: int, minutes: int = 30) -> RatingInvitation | None:
    """The rating pad of a window (评价器) shows the service just given there: the newest open invitation of a
    case at this window whose event happened in the last `minutes` (its token is what the pad posts, channel
    `window_pad`). None when nothing is waiting."""
    since = timezone.now() - dt.timedelta(minutes=minutes)
    return (RatingInvitation.objects.filter(case__window_id=window_id, closed_at__isnull=True, created_at__gte=since)
            .select_related("case__version", "staff").order_by("-created_at", "-id").first())


def ratings_for_applicant(user) -> QuerySet[Rating]:
    """The user's own ratings (as applicant or online agent), with the reply to any bad one."""
    if not getattr(user, "is_authenticated", False):
        return Rating.objects.none()
    own = Q(case__applicant__user=user) | Q(rater_user=user)
    return (Rating.objects.filter(own).select_related("case", "bad_case", "amendment")
            .order_by("-rated_at", "-id"))


def _require_reader(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("请先登录。", code="not_authenticated")
    if not has_role(user, READERS):
        raise PermissionDenied("只有工作人员可以查看差评整改记录。")


def bad_cases_for_user(user, *, status: list[str] | None = None, department: int | None = None,
                       overdue: bool = False) -> QuerySet[BadRatingCase]:
    """The bad-rating cases of the departments the user works for (readers' data scope)."""
    _require_reader(user)
    qs = BadRatingCase.objects.select_related("rating", "case__applicant", "case__version", "department")
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(department__in=department_scope(user, READERS))
    if status:
        qs = qs.filter(status__in=status)
    if department:
        qs = qs.filter(department_id=department)
    if overdue:
        qs = qs.filter(cards__resolved_at__isnull=True).distinct()
    return qs.order_by("-opened_at", "-id")


def bad_case_get_for_user(user, bad_case_id: int) -> BadRatingCase:
    bad = bad_cases_for_user(user).prefetch_related("actions", "cards").filter(pk=bad_case_id).first()
    if bad is None:
        raise NotFound("未找到该差评整改记录。")
    return bad


# ------------------------------------------------------------------ statistics (rollup tables only)

MONTH_RANGE = "统计期间格式为 YYYY-MM..YYYY-MM，如 2026-01..2026-06。"


def _month(text: str) -> dt.date:
    try:
        year, month = text.strip().split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, AttributeError) as exc:
        raise ApplicationError(MONTH_RANGE, fields={"period": MONTH_RANGE}) from exc


def parse_period(period: str | None) -> tuple[dt.date, dt.date]:
    """'YYYY-MM..YYYY-MM' (or one month); default: the last 12 months up to this one."""
    if not period:
        today = timezone.localdate()
        m = today.year * 12 + today.month - 1 - 11
        return dt.date(m // 12, m % 12 + 1, 1), dt.date(today.year, today.month, 1)
    first, _, last = period.partition("..")
    start, end = _month(first), _month(last or first)
    if end < start:
        raise ApplicationError(MONTH_RANGE, fields={"period": "结束月份不能早于开始月份。"})
    if (end.year - start.year) * 12 + end.month - start.month > 120:
        raise ApplicationError(MONTH_RANGE, fields={"period": "统计期间不能超过 10 年。"})
    return start, end


@dataclass
class StatsRow:
    key: str
    label: str
    rated: int = 0
    by_level: dict = field(default_factory=dict)
    good: int = 0
    bad: int = 0
    excluded: int = 0
    default_good: int = 0
    rated_cases: int = 0
    completed_cases: int = 0
    bad_replied: int = 0
    bad_on_time: int = 0
    real_name_bad: int = 0
    followed_up: int = 0

    @staticmethod
    def _rate(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    @property
    def rating_rate(self):  # 评价率
        return self._rate(self.rated_cases, self.completed_cases)

    @property
    def good_rate(self):  # 好评率
        return self._rate(self.good, self.rated)

    @property
    def on_time_rate(self):  # 差评按期整改率
        return self._rate(self.bad_on_time, self.bad)

    @property
    def follow_up_rate(self):  # 实名差评回访率
        return self._rate(self.followed_up, self.real_name_bad)


def _scope(user):
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("请先登录。", code="not_authenticated")
    if getattr(user, "is_superuser", False):
        return None
    if not has_role(user, STATS_READERS):
        raise PermissionDenied("只有部门负责人、大厅管理员、电子监察员可以查看评价统计。")
    return list(department_scope(user, STATS_READERS).values_list("pk", flat=True))


def _labels(group_by: str, keys: set) -> dict:
    ids = {int(k) for k in keys if str(k).isdigit()}
    if group_by == StatsGroup.DEPARTMENT:
        return {d.pk: d.display_name for d in Department.objects.filter(pk__in=ids)}
    if group_by == StatsGroup.WINDOW:
        return {w.pk: f"{w.hall.name} {w.number}号窗口" for w in Window.objects.filter(pk__in=ids).select_related("hall")}
    if group_by == StatsGroup.STAFF:
        return {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=ids)}
    if group_by == StatsGroup.ITEM:
        return dict(ServiceItem.objects.filter(pk__in=ids).values_list("pk", "name"))
    if group_by == StatsGroup.HALL:
        return dict(Hall.objects.filter(pk__in=ids).values_list("pk", "name"))
    if group_by == StatsGroup.CHANNEL:
        return {c.value: str(c.label) for c in RatingChannel}
    return {}


def rating_stats(*, user, group_by: str = StatsGroup.DEPARTMENT, period: str | None = None,
                 department: int | None = None) -> dict:
    """评价率, 好评率, bad ratings handled on time and real-name follow-up rate, per group, from the rollups."""
    if group_by not in StatsGroup.values:
        raise ApplicationError("分组方式无效。", fields={"group_by": "可选 " + "、".join(StatsGroup.values) + "。"})
    start, end = parse_period(period)
    scope = _scope(user)
    dimension = group_by if group_by in ("department", "window", "staff", "item", "hall") else "department"
    group_col = {"channel": "channel", "month": "month"}.get(group_by, "key")
    rows = RatingRollup.objects.filter(dimension=dimension, month__gte=start, month__lte=end)
    done = CompletedRollup.objects.filter(dimension=dimension, month__gte=start, month__lte=end)
    if scope is not None:
        rows, done = rows.filter(department_id__in=scope), done.filter(department_id__in=scope)
    if department:
        rows, done = rows.filter(department_id=department), done.filter(department_id=department)
    out: dict = {}

    def row(key) -> StatsRow:
        k = key.strftime("%Y-%m") if isinstance(key, dt.date) else key
        if k not in out:
            out[k] = StatsRow(key=str(k), label=str(k), by_level={lv.value: 0 for lv in Level})
        return out[k]

    agg = (rows.values(group_col, "level", "service_event", "channel")
           .annotate(n=Sum("rated"), x=Sum("excluded"), rn=Sum("real_name"), rp=Sum("replied"),
                     ot=Sum("replied_on_time"), fu=Sum("followed_up")))
    for a in agg:
        r = row(a[group_col])
        if a["channel"] == RatingChannel.DEFAULT:
            r.default_good += a["n"]
            continue
        r.rated += a["n"]
        r.excluded += a["x"]
        r.by_level[a["level"]] += a["n"]
        if a["level"] <= 2:
            r.bad += a["n"]
            r.real_name_bad += a["rn"]
            r.bad_replied += a["rp"]
            r.bad_on_time += a["ot"]
            r.followed_up += a["fu"]
        else:
            r.good += a["n"]
        if a["service_event"] == ServiceEvent.WHOLE_CASE:
            r.rated_cases += a["n"] + a["x"]
    if group_by == StatsGroup.CHANNEL:
        total = done.aggregate(n=Sum("completed"))["n"] or 0
        for r in out.values():
            r.completed_cases = total
    else:
        done_col = "month" if group_by == StatsGroup.MONTH else "key"
        for d in done.values(done_col).annotate(n=Sum("completed")):
            row(d[done_col]).completed_cases += d["n"]
    labels = _labels(group_by, set(out))
    for k, r in out.items():
        r.label = labels.get(int(k) if str(k).isdigit() and group_by != StatsGroup.MONTH else k, r.label)
        if group_by not in (StatsGroup.CHANNEL, StatsGroup.MONTH) and str(k) == "0":
            r.label = "（无）"
    ordered = sorted(out.values(), key=lambda r: r.key if group_by == StatsGroup.MONTH else (-r.rated, r.key))
    total = StatsRow(key="total", label="合计", by_level={lv.value: 0 for lv in Level})
    for r in ordered:
        for f in ("rated", "good", "bad", "excluded", "default_good", "rated_cases", "bad_replied", "bad_on_time",
                  "real_name_bad", "followed_up"):
            setattr(total, f, getattr(total, f) + getattr(r, f))
        for lv, n in r.by_level.items():
            total.by_level[lv] += n
    if group_by == StatsGroup.CHANNEL:
        total.completed_cases = ordered[0].completed_cases if ordered else 0
    else:
        total.completed_cases = sum(r.completed_cases for r in ordered)
    return {"group_by": group_by, "period": f"{start:%Y-%m}..{end:%Y-%m}", "rows": ordered, "total": total}


# ------------------------------------------------------------------ screens (applicant pages, window pad)

def invitations_for_case(*, user, case) -> list[RatingInvitation]:
    """The invitations of one of the user's cases (我的办件), newest first, each with its rating, amendment and
    bad-rating record loaded (one query). Empty for anyone who is not the applicant or the online filer."""
    if not getattr(user, "is_authenticated", False):
        return []
    own = Q(case__applicant__user=user) | Q(case__created_by=user, case__assisted_by__isnull=True)
    return list(RatingInvitation.objects.filter(own, case=case)
                .select_related("rating__bad_case", "rating__amendment")
                .order_by("-created_at", "-id"))


PAD_ROLES = ("clerk", "hall_manager")


def pad_windows_for_user(user) -> QuerySet[Window]:
    """Windows a staff member may bind a rating pad to: those of the halls where they hold a clerk or
    hall-manager role (their own window's hall, the halls of their region, their department's windows);
    every window for bureau-wide roles and superusers."""
    from onewindow.org.permissions import staff_roles

    active = Window.objects.filter(is_active=True).select_related("hall").order_by("hall__name", "number")
    if not getattr(user, "is_authenticated", False):
        return active.none()
    if getattr(user, "is_superuser", False):
        return active
    roles = [r for r in staff_roles(user) if r.role in PAD_ROLES]
    scope = Q(pk__in=[])
    for r in roles:
        if r.window_id:
            scope |= Q(hall__windows=r.window_id)
        if r.region_id:
            scope |= Q(hall__region__code__startswith=r.region.code)
        elif r.department_id:
            scope |= Q(department_id=r.department_id)
        elif not r.window_id:
            return active  # bureau-wide
    return active.filter(scope).distinct()
