"""The plan keeps the numbers of units and inspections cut; the cut units are its items with
``cut_from`` set (the list stored on the plan was read with every page, issue 13)."""

from django.db import migrations, models


def counts_from_list(apps, schema_editor):
    AnnualPlan = apps.get_model("planning", "AnnualPlan")
    for plan in AnnualPlan.objects.exclude(cuts=[]).only("pk", "cuts").iterator():
        cuts = plan.cuts or []
        AnnualPlan.objects.filter(pk=plan.pk).update(cut_units=len(cuts), cut_inspections=sum(max(0, int(c.get("before", 0)) - int(c.get("after", 0))) for c in cuts))


class Migration(migrations.Migration):
    dependencies = [("planning", "0005_plan_filed_published")]

    operations = [
        migrations.AddField(model_name="annualplan", name="cut_units", field=models.PositiveIntegerField(default=0, verbose_name="削减单位数")),
        migrations.AddField(model_name="annualplan", name="cut_inspections", field=models.PositiveIntegerField(default=0, verbose_name="削减检查次数")),
        migrations.RunPython(counts_from_list, migrations.RunPython.noop),
        migrations.RemoveField(model_name="annualplan", name="cuts"),
    ]
