"""The profile's four notification switches become the member's choices in
notifications' message preferences, where a missing row means the category's default.

Forward writes a row only where the profile differs from the default: the columns
cannot tell a member who chose the default from one who never opened the page, and a
row per member and category (600,000 at the programme's scale) would freeze today's
defaults for everyone. Backward writes each choice back onto the profile (the
default where there is no row) and removes the rows it came from, so the two
directions can be run again and again.
"""

from django.db import migrations

BATCH = 2000

# Profile field -> (category, its default), as they stood when the switches moved.
SWITCHES = {
    'notify_session_reminders': ('session_reminders', True),
    'notify_surveys': ('surveys', True),
    'notify_programme_news': ('programme_news', False),
    'notify_reassessment': ('reassessment', False),
}


def switches_to_preferences(apps, schema_editor):
    MemberProfile = apps.get_model('members', 'MemberProfile')
    MessagePreference = apps.get_model('notifications', 'MessagePreference')
    fields = list(SWITCHES)
    profiles = MemberProfile.objects.order_by('pk').values_list('user_id', *fields)
    batch = []
    for user_id, *values in profiles.iterator(chunk_size=BATCH):
        for field, value in zip(fields, values, strict=True):
            category, default = SWITCHES[field]
            if value != default:
                batch.append(MessagePreference(user_id=user_id, category=category, enabled=value))
        if len(batch) >= BATCH:
            MessagePreference.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    MessagePreference.objects.bulk_create(batch, ignore_conflicts=True)


def preferences_to_switches(apps, schema_editor):
    MemberProfile = apps.get_model('members', 'MemberProfile')
    MessagePreference = apps.get_model('notifications', 'MessagePreference')
    for field, (category, default) in SWITCHES.items():
        rows = MessagePreference.objects.filter(category=category)
        MemberProfile.objects.update(**{field: default})
        chosen = rows.filter(enabled=not default).values('user_id')
        MemberProfile.objects.filter(user_id__in=chosen).update(**{field: not default})
        rows.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0003_consents'),
        # After the opt-outs moved: unapplying that move (which empties the table)
        # first brings these rows back onto the profiles.
        ('notifications', '0003_opt_outs_to_message_preferences'),
    ]

    operations = [
        migrations.RunPython(switches_to_preferences, preferences_to_switches, elidable=False),
    ]
