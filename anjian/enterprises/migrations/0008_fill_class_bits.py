"""Give existing sectors and features their bits, fill ``class_bits`` and ``subject_agency`` of
existing units (data migration; the same steps as classification.assign_masks,
services.refresh_classification and services.refresh_planned_subjects, on the historical models)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Sector = apps.get_model("enterprises", "Sector")
    Feature = apps.get_model("enterprises", "Feature")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    bit = 0
    for model in (Sector, Feature):
        for obj in model.objects.filter(mask=None).order_by("code"):
            if bit >= 63:
                raise RuntimeError("监管行业与行业领域特征合计超过63项,分类位已用完。")
            model.objects.filter(pk=obj.pk).update(mask=1 << bit)
            bit += 1

    def bits(through, field):  # type: ignore[no-untyped-def]
        total = through.objects.filter(enterprise_id=OuterRef("pk")).values("enterprise_id").annotate(m=Sum(f"{field}__mask")).values("m")
        return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())

    Enterprise.objects.update(class_bits=bits(Enterprise.sectors.through, "sector") + bits(Enterprise.features.through, "feature"))

    PlannedSubject = apps.get_model("enterprises", "PlannedSubject")
    day = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    current = PlannedSubject.objects.filter(enterprise_id=OuterRef("pk"), valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    Enterprise.objects.update(subject_agency_id=Subquery(current.order_by("-valid_from").values("agency_id")[:1]))
    if schema_editor.connection.vendor == "postgresql":
        # Planner statistics for the filled columns (anjian.core.db; no app code in migrations).
        schema_editor.execute('ANALYZE "enterprises_enterprise", "enterprises_sector", "enterprises_feature"')


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0007_class_bits_and_subject")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
