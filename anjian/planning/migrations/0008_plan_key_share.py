"""The key/general split of a plan's capacity (issue 13: the document printed the split, the check
compared the total only). Existing plans take the key share from their stored capacity lines and
their key demand from their items, so that they are checked as new ones are."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import DecimalField, F, Sum


def fill(apps, schema_editor):
    AnnualPlan = apps.get_model("planning", "AnnualPlan")
    PlanItem = apps.get_model("planning", "PlanItem")
    for plan in AnnualPlan.objects.only("pk", "capacity").iterator():
        key_days = Decimal(str((plan.capacity or {}).get("key_days") or "0"))
        total = PlanItem.objects.filter(plan_id=plan.pk, key=True).aggregate(t=Sum(F("cost") * F("count"), output_field=DecimalField(max_digits=14, decimal_places=2)))["t"]
        AnnualPlan.objects.filter(pk=plan.pk).update(key_available=key_days, key_demand=total or Decimal(0))


class Migration(migrations.Migration):
    dependencies = [("planning", "0007_planitem_no_redundant_indexes")]

    operations = [
        migrations.AddField(
            model_name="annualplan", name="key_available", field=models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="重点检查可安排工作日")
        ),
        migrations.AddField(model_name="annualplan", name="key_demand", field=models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="重点检查需要工作日")),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
