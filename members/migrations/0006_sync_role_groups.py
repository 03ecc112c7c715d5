"""Give the role groups exactly the permissions of members.roles.ROLE_PERMISSIONS.

0002 wrote its own copy of the table; from here on the groups are read from the one in
members.roles, by this migration and by the same function after each migrate.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from members.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make members' exist now.
    # Other apps' are given by the post_migrate run of sync_role_groups.
    app_config = apps.get_app_config("members")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_remove_memberprofile_notify_switches"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards there is nothing to undo: before this migration the groups already held
    # this table, given by sync_role_groups after each migrate; 0002 removes the groups.
    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
