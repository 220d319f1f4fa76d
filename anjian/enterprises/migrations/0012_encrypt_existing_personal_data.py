"""Encrypt the telephone and ID numbers already stored (issue 10, item 6) — the units' principal and
contact telephones, their row history, and the key people — and fill the blind indexes.
Reversible: going back writes the plaintext again (before 0011 narrows the columns)."""

from django.db import migrations

from anjian.core.crypto import encrypt_app_rows

forward, backward = encrypt_app_rows("enterprises", ["Enterprise", "HistoricalEnterprise", "KeyPerson"])


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0011_encrypt_personal_data")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
