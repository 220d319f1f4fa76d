"""Database housekeeping after bulk writes.

PostgreSQL plans a query from the statistics ANALYZE collects; right after a bulk load they
describe the table as it was (often empty) until autovacuum comes round, and the planner picks
bad plans: after ``anjian demo --enterprises 100000`` the city's list took 62 ms and a
2-character search 92 ms, against 21 ms and 54 ms after ``VACUUM ANALYZE`` (issue 8). So every
bulk write (the demo, an import's confirm, a data migration that fills a column) refreshes the
statistics of the tables it touched. VACUUM also sets the visibility map, which the count's
index-only scans need; it cannot run inside a transaction, so it is done only when there is none.
SQLite needs nothing here: its planner uses no statistics unless ANALYZE was ever run.
"""

from __future__ import annotations

from typing import Any

from django.db import connection


def analyze(*models: Any, vacuum: bool = False) -> None:
    """Refresh PostgreSQL's planner statistics for ``models`` (all tables when none is given);
    with ``vacuum`` and outside a transaction, ``VACUUM (ANALYZE)``. A no-op on SQLite."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    tables = list(dict.fromkeys(qn(m._meta.db_table) for m in models))
    command = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cur:
        # Only quoted table names from the models' meta are interpolated.
        cur.execute(f"{command} {', '.join(tables)}".strip())
