"""Institutional measures carry their owning agency (ARCHITECTURE.md rule 4: the owner writes)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_owner(apps, schema_editor):  # type: ignore[no-untyped-def]
    InstitutionalMeasure = apps.get_model("hazards", "InstitutionalMeasure")
    for im in InstitutionalMeasure.objects.select_related("enterprise").iterator():
        im.owner_agency_id = im.enterprise.owner_agency_id
        im.save(update_fields=["owner_agency"])


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0001_initial"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="institutionalmeasure",
            name="owner_agency",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.agency", verbose_name="管理机关"),
        ),
        migrations.RunPython(fill_owner, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="institutionalmeasure",
            name="owner_agency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.agency", verbose_name="管理机关"),
        ),
    ]
