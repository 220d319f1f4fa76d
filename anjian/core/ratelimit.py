"""A per-minute request count per client address, for the public pages without login (the
documents' verification page, the published plans and draws). The count is in the cache: shared
across processes with Redis, per process without it."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def over_per_minute(request: HttpRequest, kind: str, limit: int) -> bool:
    """Count this request of ``kind`` from its address; True once more than ``limit`` arrived in
    the current minute."""
    key = f"ratelimit:{kind}:{request.META.get('REMOTE_ADDR', '')}:{int(time.time()) // 60}"
    cache.add(key, 0, timeout=120)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        n = 1
    return n > limit
