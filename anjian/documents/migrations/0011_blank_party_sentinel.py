"""Documents of kinds that name no party (a circular, a plan, a complaint's reply or referral) were
registered with the repr of an internal "missing" marker as their party (``<object object at …>``),
which the register showed. They get a blank party, as documents/services.py now stores."""

from django.db import migrations


def forwards(apps, schema_editor):
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    IssuedDocument.objects.filter(party_name__startswith="<object object at ").update(party_name="")


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_register_search_trigram")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
