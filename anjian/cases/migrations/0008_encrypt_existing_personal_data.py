"""Encrypt the ID and telephone numbers already stored (issue 10, item 6), and fill the blind
indexes. Reversible: going back writes the plaintext again (before 0007 narrows the columns).
Runs in batches by primary key through raw SQL (core/crypto.py ``rewrite_table``), the same on
SQLite and PostgreSQL."""

from django.db import migrations

from anjian.core.crypto import encrypt_app_rows

forward, backward = encrypt_app_rows("cases", ["Case", "InterviewRecord"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_encrypt_personal_data")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
