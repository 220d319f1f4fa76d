"""The statistics' rollups read completed inspections by date (issue 11, Speed)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_second_factor_and_api_tokens'),
        ('enterprises', '0012_encrypt_existing_personal_data'),
        ('inspections', '0005_full_width_punctuation_in_labels'),
        ('org', '0004_admin_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(condition=models.Q(('status', 'completed')), fields=['inspected_on'], name='insp_done_date_idx'),
        ),
    ]
