"""Background work of the statistics (django-tasks; run by `anjian worker`)."""

from __future__ import annotations

from django_tasks import task

from anjian.stats import rollups


@task()
def refresh_rollups() -> str:
    """Daily, after the hazards' overdue sweep (and whenever queued): bring the rollups up to
    today, recomputing today in any case (the sweep's flags carry no audit event)."""
    result = rollups.refresh(today_too=True)
    return f"{result.through} {result.rows}"
