"""A short-lived cache of search result ids (docs/decisions/0004-two-step-search.md).

Citizens ask for the same few words all day (许可, 登记, 营业执照 …); ranking those reads thousands of terms.
The page's ids are kept for CATALOGUE_SEARCH_CACHE_SECONDS under a key that includes a catalogue
*generation*: any save or delete of an item, version, delegation or theme link starts a new generation, so a
publication, a withdrawal or a retired item is never served from an older result. What the generation does not
see (a popularity update by a bulk UPDATE) waits at most the time-to-live. The rows themselves are always read
fresh (one query by primary key), so a hit never shows stale names or statuses.
"""

from __future__ import annotations

import hashlib
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model

GENERATION_KEY = "catalogue:search:generation"


def ttl() -> int:
    return int(getattr(settings, "CATALOGUE_SEARCH_CACHE_SECONDS", 300))


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, str(time.time_ns()), None)
        value = cache.get(GENERATION_KEY)
    return str(value)


def bump(**kwargs) -> None:
    """A new generation: every cached result becomes unreachable (and expires on its own)."""
    cache.set(GENERATION_KEY, str(time.time_ns()), None)


def _plain(value):
    return value.pk if isinstance(value, Model) else value


def key_for(*, query: str, page: int, page_size: int, filters: dict) -> str | None:
    """The cache key of one search page, or None when it must not be cached (a window's scope: staff only,
    and it changes when the scope is edited, which is not a catalogue change)."""
    if ttl() <= 0 or filters.get("window") is not None:
        return None
    plain = {k: _plain(v) for k, v in sorted(filters.items()) if v not in (None, "")}
    raw = json.dumps([query.strip(), page, page_size, plain], ensure_ascii=False, sort_keys=True, default=str)
    return f"catalogue:search:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def get(key: str | None):
    return None if key is None else cache.get(key)


def put(key: str | None, ids: list[int], has_next: bool) -> None:
    if key is not None:
        cache.set(key, (ids, has_next), ttl())
