"""Brute-force limits of the public progress query: per client address and per case number (cache-backed)."""

from __future__ import annotations

import hashlib

from rest_framework.exceptions import Throttled

from onewindow.apiauth.throttling import SettingsRateThrottle


class ProgressAddressThrottle(SettingsRateThrottle):
    scope = "cases_progress_address"
    rate_setting = "CASES_PROGRESS_RATE"
    default_rate = "10/min"


class ProgressNumberThrottle(SettingsRateThrottle):
    """Guessing the 6-character tail of one case from many addresses is limited per case number."""

    scope = "cases_progress_number"
    rate_setting = "CASES_PROGRESS_NUMBER_RATE"
    default_rate = "20/hour"

    def get_cache_key(self, request, view):
        data = request.data if hasattr(request.data, "get") else {}
        number = str(data.get("number") or "").strip()[:40]
        if not number:
            return None
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(number.encode()).hexdigest()[:32]}


class TooManyQueries(Throttled):
    default_detail = "查询过于频繁，请稍后再试。"
    extra_detail_singular = extra_detail_plural = "请 {wait} 秒后再试。"
