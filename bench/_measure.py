"""Timing one page through the test client, shared by the bench scripts.

"Server time" is the time Django takes to answer a request through the test client (routing,
middleware, queries, rendering), without network; run with DEBUG off.
"""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def percentile(sorted_ms: list[float], p: float) -> float:
    """The ``p`` percentile (0–100) of sorted timings, nearest rank."""
    return sorted_ms[max(int(round(len(sorted_ms) * p / 100)) - 1, 0)]


def measure(client: Client, url: str, n: int) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries of one request, status) of ``n`` requests after one warm-up."""
    client.get(url)  # warm
    times = []
    status = 0
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        status = r.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    return statistics.median(times), percentile(times, 95), len(ctx.captured_queries), status
