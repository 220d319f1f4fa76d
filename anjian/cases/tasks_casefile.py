"""Background work of the case file and the daily reminders (django-tasks; run by `anjian worker`)."""

from __future__ import annotations

from django_tasks import task

from anjian.cases import casefile
from anjian.cases.models import Case


@task()
def case_reminders() -> int:
    """Daily: remind the handlers of cases whose next legal step is due soon or overdue."""
    return casefile.case_reminders()


@task()
def count_case_file_pages(case_id: int) -> int:
    """Count the pages of a case file's documents through LibreOffice (for 页次)."""
    case = Case.objects.filter(pk=case_id).select_related("finding", "hazard").first()
    return casefile.count_pages(case) if case is not None else 0
