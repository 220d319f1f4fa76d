"""The API tests use the inspection fixtures (a seeded calendar, a checklist, an inspection)."""

from tests.inspections.conftest import calendar, checklist, inspection  # noqa: F401
