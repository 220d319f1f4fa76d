"""What the public page shows of a published plan (issue 13 item 6), filled for the plans already
published (the same totals as ``selectors.plan_public_summary``)."""

from django.db import migrations, models

GROUPS = {"hazchem": "危险化学品", "mine": "非煤矿山", "industry": "工贸", "other": "其他"}


def fill(apps, schema_editor):
    AnnualPlan = apps.get_model("planning", "AnnualPlan")
    PlanItem = apps.get_model("planning", "PlanItem")
    for plan in AnnualPlan.objects.filter(published_at__isnull=False).only("pk").iterator():
        units = inspections = key_units = key_inspections = 0
        groups: dict = {}
        months = [0] * 12
        for is_key, group, count, ms in PlanItem.objects.filter(plan_id=plan.pk, count__gt=0).values_list("key", "group", "count", "months").iterator(chunk_size=5000):
            units += 1
            inspections += count
            if is_key:
                key_units += 1
                key_inspections += count
            groups[group] = groups.get(group, 0) + count
            for m in ms:
                if 1 <= m <= 12:
                    months[m - 1] += 1
        summary = {
            "units": units, "inspections": inspections, "key_units": key_units, "key_inspections": key_inspections,
            "general_units": units - key_units, "general_inspections": inspections - key_inspections,
            "groups": [{"group": g, "label": GROUPS.get(g, g), "inspections": groups[g]} for g in GROUPS if g in groups], "months": months,
        }  # fmt: skip
        AnnualPlan.objects.filter(pk=plan.pk).update(public_summary=summary)


class Migration(migrations.Migration):
    dependencies = [("planning", "0010_declared_relations")]

    operations = [
        migrations.AddField(model_name="annualplan", name="public_summary", field=models.JSONField(blank=True, default=dict, verbose_name="公布的汇总")),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
