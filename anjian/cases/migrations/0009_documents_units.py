"""Documents of penalty cases issued before the register (documents 0004) learn their unit."""

from django.db import migrations


def fill(apps, schema_editor):
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    Case = apps.get_model("cases", "Case")
    for doc in IssuedDocument.objects.filter(subject_type="cases.case", enterprise_id__isnull=True).only("pk", "subject_id").iterator():
        if doc.subject_id.isdigit():
            ent = Case.objects.filter(pk=int(doc.subject_id)).values_list("enterprise_id", flat=True).first()
            if ent is not None:
                IssuedDocument.objects.filter(pk=doc.pk).update(enterprise_id=ent)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_encrypt_existing_personal_data"),
        ("documents", "0004_register_and_verification"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
