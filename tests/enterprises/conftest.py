"""The ledger tests that follow a unit into the hazard loop use the inspection fixtures."""

from tests.inspections.conftest import calendar, checklist, inspection  # noqa: F401
