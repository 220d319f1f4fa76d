"""Run a function in N threads released together (PostgreSQL lock tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(n: int, fn: Callable[[int], object]) -> tuple[list[object], list[Exception]]:
    """Call ``fn(i)`` for i in 0..n-1 at once; return the results and the exceptions raised."""
    barrier = threading.Barrier(n)
    ok: list[object] = []
    errors: list[Exception] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            ok.append(fn(i))
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok, errors
