"""The access log refuses updates in the database itself, not only through the ORM.

The model already refuses save() on an existing row and its manager refuses update()
and delete(); a trigger makes the same true for raw SQL, the admin's shell or another
program on the database. Rows still leave: with their case, and through the retention
job once past the limit, so DELETE stays allowed.

On SQLite, a later migration that rebuilds this table (most AlterField operations do)
drops the trigger with the old table: such a migration creates it again.
"""

from django.db import migrations

TABLE = "referrals_caseaccess"
MESSAGE = "the case access log is append-only"

FORWARD = {
    "postgresql": [
        f"""
        CREATE FUNCTION referrals_caseaccess_refuse_update() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER referrals_caseaccess_append_only BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION referrals_caseaccess_refuse_update()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER referrals_caseaccess_append_only BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """
    ],
}
BACKWARD = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS referrals_caseaccess_append_only ON {TABLE}",
        "DROP FUNCTION IF EXISTS referrals_caseaccess_refuse_update()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS referrals_caseaccess_append_only"],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_case_closed_when_member_erased")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
