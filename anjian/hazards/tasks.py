"""Background work of the hazard loop (django-tasks; run by `anjian worker`)."""

from __future__ import annotations

from django_tasks import task

from anjian.hazards.services import hazards_overdue_sweep


@task()
def sweep_overdue_hazards() -> int:
    """Daily: flag hazards past their rectification deadline (AQSCF §102)."""
    return hazards_overdue_sweep()
