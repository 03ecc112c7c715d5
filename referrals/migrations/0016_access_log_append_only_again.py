from django.db import migrations

# SQLite rebuilt the access log's table in 0015 (its check constraint changed), and the
# rebuild dropped the append-only trigger that 0010 had created again: on the embedded
# database the log could be rewritten. PostgreSQL's trigger survives ALTER TABLE.
SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS referrals_caseaccess_append_only",
    """
    CREATE TRIGGER referrals_caseaccess_append_only BEFORE UPDATE ON referrals_caseaccess
    BEGIN SELECT RAISE(ABORT, 'the case access log is append-only'); END
    """,
]


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGER:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0015_partner_accounts")]

    operations = [
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
