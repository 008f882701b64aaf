"""Cache-backed rate limits whose rates come from settings (no entry in REST_FRAMEWORK needed)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class SettingsRateThrottle(SimpleRateThrottle):
    """Per client address; the rate is `getattr(settings, rate_setting, default_rate)`, e.g. "30/min".

    Behind a reverse proxy set REST_FRAMEWORK["NUM_PROXIES"] so the client address is the real one.
    """

    rate_setting = ""
    default_rate = "60/min"

    def get_rate(self):
        return getattr(settings, self.rate_setting, self.default_rate) if self.rate_setting else self.default_rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenEndpointThrottle(SettingsRateThrottle):
    scope = "oauth_token"
    rate_setting = "APIAUTH_TOKEN_RATE"
    default_rate = "30/min"
