"""Documents issued before the register (documents 0004) learn their unit: an inspection's, a
hazard's (the first of an order's hazards: they are one unit's), a measure's."""

from django.db import migrations


def fill(apps, schema_editor):
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    sources = {
        "inspections.inspection": apps.get_model("inspections", "Inspection"),
        "hazards.hazard": apps.get_model("hazards", "Hazard"),
        "hazards.measure": apps.get_model("hazards", "Measure"),
    }
    for subject_type, model in sources.items():
        for doc in IssuedDocument.objects.filter(subject_type=subject_type, enterprise_id__isnull=True).only("pk", "subject_id").iterator():
            first = doc.subject_id.split(",")[0].strip()
            if first.isdigit():
                ent = model.objects.filter(pk=int(first)).values_list("enterprise_id", flat=True).first()
                if ent is not None:
                    IssuedDocument.objects.filter(pk=doc.pk).update(enterprise_id=ent)


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0007_stats_indexes"),
        ("inspections", "0006_stats_indexes"),
        ("documents", "0004_register_and_verification"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
