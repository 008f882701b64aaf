"""Ratings settings, each with a default (docs/ratings.md §Settings). Read at call time, so tests may override."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The standard option lists per level (configurable with RATINGS_OPTIONS: {"1": [...], ...}).
DEFAULT_OPTIONS = {
    5: [_("服务态度好"), _("办事效率高"), _("一次性告知清楚"), _("材料要求合理"), _("少跑动或零跑动")],
    4: [_("服务态度好"), _("办事效率较高"), _("告知比较清楚"), _("办事流程顺畅")],
    3: [_("等候时间较长"), _("告知不够清楚"), _("办事流程较繁琐")],
    2: [_("服务态度差"), _("办事效率低"), _("材料要求不合理"), _("多次跑动"), _("未一次性告知"), _("超时办结")],
    1: [_("服务态度差"), _("办事效率低"), _("材料要求不合理"), _("多次跑动"), _("未一次性告知"), _("超时办结"),
        _("吃拿卡要")],
}


def _get(name: str, default):
    return getattr(settings, name, default)


def window_days() -> int:
    """Days (natural) after the service event during which it may be rated."""
    return int(_get("RATINGS_WINDOW_DAYS", 15))


def link_days() -> int:
    """How long the link still opens the applicant's own rating, its amendment and the reply (natural days)."""
    return max(int(_get("RATINGS_LINK_DAYS", 60)), window_days())


def amend_days() -> int:
    """Days (natural) after rating during which it may be amended, once."""
    return int(_get("RATINGS_AMEND_DAYS", 7))


def verify_days() -> int:
    return int(_get("RATINGS_VERIFY_DAYS", 1))


def rectify_days(region_code: str = "") -> int:
    """Working days to rectify and reply; RATINGS_RECTIFY_DAYS_BY_REGION {"4304": 10} (longest prefix wins)."""
    by_region = _get("RATINGS_RECTIFY_DAYS_BY_REGION", {}) or {}
    best = None
    for prefix, days in by_region.items():
        if region_code.startswith(str(prefix)) and (best is None or len(str(prefix)) > len(best[0])):
            best = (str(prefix), int(days))
    return best[1] if best else int(_get("RATINGS_RECTIFY_DAYS", 15))


def follow_up_days() -> int:
    return int(_get("RATINGS_FOLLOW_UP_DAYS", 3))


def default_good() -> bool:
    """Count an unrated completed case as 默认好评 once its window closes (reported separately)."""
    return bool(_get("RATINGS_DEFAULT_GOOD", False))


def options() -> dict[int, list[str]]:
    """The options per level as stored and validated: always the Chinese source text, whatever the request's
    language (the English labels are for display only, `selectors.rating_options`)."""
    configured = _get("RATINGS_OPTIONS", None) or {}
    with translation.override(settings.LANGUAGE_CODE):
        merged = {level: [str(o) for o in opts] for level, opts in DEFAULT_OPTIONS.items()}
    for level, opts in configured.items():
        merged[int(level)] = [str(o) for o in opts]
    return merged


def link_base_url() -> str:
    return str(_get("RATINGS_LINK_BASE_URL", "")).rstrip("/")


def exchange() -> dict:
    return {
        "url": _get("RATINGS_EXCHANGE_URL", ""),
        "plugin": _get("RATINGS_EXCHANGE_PLUGIN", "provincial"),
        "system_id": _get("RATINGS_EXCHANGE_SYSTEM_ID", "onewindow"),
        "private_key": _get("RATINGS_EXCHANGE_PRIVATE_KEY", ""),
        "public_key": _get("RATINGS_EXCHANGE_PUBLIC_KEY", ""),
        "timeout": float(_get("RATINGS_EXCHANGE_TIMEOUT", 10.0)),
        "max_attempts": int(_get("RATINGS_EXCHANGE_MAX_ATTEMPTS", 5)),
        "backoff": int(_get("RATINGS_EXCHANGE_BACKOFF", 60)),
        "backoff_max": int(_get("RATINGS_EXCHANGE_BACKOFF_MAX", 3600)),
        "batch_size": int(_get("RATINGS_EXCHANGE_BATCH_SIZE", 500)),
    }
