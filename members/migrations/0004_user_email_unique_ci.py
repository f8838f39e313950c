"""People log in with their e-mail: no two accounts may share one, whatever its case."""

from django.db import migrations

INDEX = "members_user_email_ci_unique"


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0003_receipts_reminders_settings_page"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(email)) WHERE email <> ''",
            f"DROP INDEX {INDEX}",
        ),
    ]
