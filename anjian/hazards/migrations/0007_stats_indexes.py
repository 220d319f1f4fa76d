"""Indexes the statistics read at scale (issue 11, Speed), and each hazard's first report date
(stats: 期内发现且已报整改完成), filled from the reports already recorded."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Each hazard's first report date, from the reports already recorded."""
    Hazard = apps.get_model("hazards", "Hazard")
    Report = apps.get_model("hazards", "RectificationReport")
    reports = Report.objects.filter(hazard=OuterRef("pk"))
    Hazard.objects.filter(Exists(reports)).update(first_reported_on=Subquery(reports.order_by("reported_on").values("reported_on")[:1]))
    if schema_editor.connection.vendor == "postgresql":
        # Planner statistics for the filled column (anjian.core.db; no app code in migrations).
        schema_editor.execute('ANALYZE "hazards_hazard"')


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_second_factor_and_api_tokens'),
        ('documents', '0003_one_document_per_act'),
        ('enterprises', '0012_encrypt_existing_personal_data'),
        ('hazards', '0006_full_width_punctuation_in_labels'),
        ('inspections', '0006_stats_indexes'),
        ('org', '0004_admin_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='hazard',
            name='first_reported_on',
            field=models.DateField(blank=True, null=True, verbose_name='首次报告整改完成日期'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(condition=models.Q(('overdue_since__isnull', False), models.Q(('status', 'closed'), _negated=True)), fields=['jurisdiction', 'deadline', 'id'], name='hazard_overdue_idx'),
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(condition=models.Q(('overdue_since__isnull', False), models.Q(('status', 'closed'), _negated=True)), fields=['deadline', 'id'], include=('jurisdiction',), name='hazard_overdue_city_idx'),
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(condition=models.Q(('overdue_since__isnull', True), ('status', 'rectifying')), fields=['jurisdiction', 'deadline', 'id'], name='hazard_due_idx'),
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(fields=['found_on'], name='hazard_found_idx'),
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(condition=models.Q(('closed_on__isnull', False)), fields=['closed_on'], name='hazard_closed_idx'),
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(condition=models.Q(('served_on__isnull', False)), fields=['served_on'], name='hazard_served_idx'),
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(condition=models.Q(('overdue_since__isnull', False)), fields=['overdue_since'], name='hazard_overdue_since_idx'),
        ),
        migrations.AddIndex(
            model_name='hazard',
            index=models.Index(condition=models.Q(('first_reported_on__isnull', False)), fields=['first_reported_on'], name='hazard_reported_idx'),
        ),
        migrations.AddIndex(
            model_name='measure',
            index=models.Index(fields=['decided_on'], name='measure_decided_idx'),
        ),
    ]
