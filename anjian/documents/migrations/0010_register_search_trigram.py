"""The register's "number or party contains" search over a million documents (issue 14 Speed):
trigram indexes on PostgreSQL for ``number__icontains`` and ``party_name__icontains``, which Django
writes as ``UPPER(col) LIKE UPPER('%…%')``. SQLite needs none (and has no pg_trgm). Where the
database role may not create the extension, the search still works, only slower; the migration
says so instead of failing."""

from django.db import migrations, transaction

INDEXES = (
    ("document_number_trgm", "number"),
    ("document_party_trgm", "party_name"),
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # no privilege to create the extension: the search stays unindexed
        print(f"\n  未能启用pg_trgm扩展（{exc.__class__.__name__}），文书登记簿按文号或当事人查找不使用索引。")
        return
    for name, column in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON documents_issueddocument USING gin (UPPER("{column}") gin_trgm_ops)')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0009_act_index")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
