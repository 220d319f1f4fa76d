"""Issue 8 (Low): on PostgreSQL every bulk write refreshes the planner's statistics of the tables
it touched (ANALYZE): the demo, an import's confirm, the data migrations that fill columns."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.core import db

pytestmark = pytest.mark.postgres


def _analyzes(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "ANALYZE" in q["sql"].upper()]


@pytest.mark.django_db
def test_analyze_names_the_tables_of_the_models() -> None:
    from anjian.enterprises.models import Enterprise, Site

    with CaptureQueriesContext(connection) as ctx:
        db.analyze(Enterprise, Site, Enterprise)
    assert _analyzes(ctx) == ['ANALYZE "enterprises_enterprise", "enterprises_site"']


@pytest.mark.django_db(transaction=True)
def test_vacuum_analyze_runs_outside_a_transaction() -> None:
    with CaptureQueriesContext(connection) as ctx:
        db.analyze(vacuum=True)
    assert _analyzes(ctx) == ["VACUUM (ANALYZE)"]


@pytest.mark.django_db
def test_the_demo_analyzes_after_its_bulk_load() -> None:
    with CaptureQueriesContext(connection) as ctx:
        call_command("demo", "--enterprises", "5", "--ledger-only", stdout=StringIO())
    sql = _analyzes(ctx)
    assert sql and sql[-1] in ("ANALYZE", "VACUUM (ANALYZE)")


@pytest.mark.parametrize(("module", "tables"), [("0006_fill_sector_group_flags", ["enterprises_enterprise"]), ("0008_fill_class_bits", ["enterprises_enterprise", "enterprises_sector"])])
@pytest.mark.django_db
def test_the_data_migrations_that_fill_columns_analyze(module: str, tables: list[str]) -> None:
    migration = importlib.import_module(f"anjian.enterprises.migrations.{module}")
    with connection.schema_editor() as editor, CaptureQueriesContext(connection) as ctx:
        migration.fill(apps, editor)
    sql = _analyzes(ctx)
    assert sql and all(f'"{t}"' in sql[-1] for t in tables)


@pytest.mark.django_db
def test_the_hazards_first_report_fill_analyzes() -> None:
    migration = importlib.import_module("anjian.hazards.migrations.0007_stats_indexes")
    with connection.schema_editor() as editor, CaptureQueriesContext(connection) as ctx:
        migration.fill(apps, editor)
    sql = _analyzes(ctx)
    assert sql and '"hazards_hazard"' in sql[-1]


@pytest.mark.django_db
def test_the_import_confirm_analyzes_the_tables_it_wrote(world: Any, settings: Any, tmp_path: Any) -> None:
    from anjian.enterprises import importing
    from tests.enterprises.test_import import commit, good, preview, xlsx

    settings.ANJIAN_IMPORT_DIR = tmp_path / "imports"
    job = preview(world, xlsx([good(1), good(2)]))
    with CaptureQueriesContext(connection) as ctx:
        done = commit(world, job)
    assert done.meta["status"] == "done"
    sql = _analyzes(ctx)
    assert len(sql) == 1
    for table in ("enterprises_enterprise", "enterprises_historicalenterprise", "enterprises_enterprise_sectors", "enterprises_site", "core_auditevent"):
        assert f'"{table}"' in sql[0], sql[0]
    assert importing.Job(job.token).load().meta["status"] == "done"
