"""Fill the sector-group flags of existing units from their sector links (data migration)."""

from django.db import migrations
from django.db.models import Exists, OuterRef

FLAGS = {"hazchem": "in_hazchem", "mine": "in_mine", "industry": "in_industry"}


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Enterprise = apps.get_model("enterprises", "Enterprise")
    through = Enterprise.sectors.through.objects.filter(enterprise_id=OuterRef("pk"))
    Enterprise.objects.update(**{flag: Exists(through.filter(sector__group_id=group)) for group, flag in FLAGS.items()})
    if schema_editor.connection.vendor == "postgresql":
        # Planner statistics for the filled columns (anjian.core.db; no app code in migrations).
        schema_editor.execute('ANALYZE "enterprises_enterprise"')


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0005_sector_group_flags")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
