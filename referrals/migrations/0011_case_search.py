"""The advisors' case search: two access-log subjects, the latest cases first, and pg_trgm
indexes on the name and e-mail given with a case for "contains" lookups
(referrals.selectors.search)."""

from django.db import migrations, models

COLUMNS = ("contact_name", "contact_email")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS referrals_case_{column}_trgm "
            f"ON referrals_case USING gin (upper({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS referrals_case_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0010_partner_side"),
        # pg_trgm is created there.
        ("members", "0008_people_name_trigram_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseaccess",
            name="subject",
            field=models.CharField(
                choices=[
                    ("case", "Case"),
                    ("assessment_result", "Attached self-assessment result"),
                    ("queue_listing", "Listed in the advisors' queue"),
                    ("search_result", "Found by a search"),
                    ("other_case", "Listed as the same person's other case"),
                    ("partner_page", "Referral page opened by the partner"),
                ],
                max_length=20,
                verbose_name="what",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-created_at", "-id"], name="case_latest_idx"),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
