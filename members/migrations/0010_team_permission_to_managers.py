"""Give programme managers the team pages' permission (members.manage_team, 0007)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from members.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make members' exist now.
    app_config = apps.get_app_config("members")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("members", "0009_invitations_and_team")]

    # Backwards: 0006's table is given again by sync_role_groups after the next migrate.
    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
