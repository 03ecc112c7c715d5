"""The opt-outs of categories that had no switch elsewhere (advisors' alerts) become
choices in the one table of message preferences: an opt-out is a choice turned off."""

from django.db import migrations

BATCH = 2000


def opt_outs_to_preferences(apps, schema_editor):
    CategoryOptOut = apps.get_model('notifications', 'CategoryOptOut')
    MessagePreference = apps.get_model('notifications', 'MessagePreference')
    rows = CategoryOptOut.objects.order_by('pk').values_list('user_id', 'category')
    batch = []
    for user_id, category in rows.iterator(chunk_size=BATCH):
        batch.append(MessagePreference(user_id=user_id, category=category, enabled=False))
        if len(batch) == BATCH:
            MessagePreference.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    MessagePreference.objects.bulk_create(batch, ignore_conflicts=True)


def preferences_to_opt_outs(apps, schema_editor):
    """Back to opt-outs: a category turned off is an opt-out; one turned on is what
    having no opt-out meant. Only the rows that came from opt-outs are left here: the
    members' profile switches went back to the profile first (members' migration
    0004 depends on this one, so it is unapplied before)."""
    CategoryOptOut = apps.get_model('notifications', 'CategoryOptOut')
    MessagePreference = apps.get_model('notifications', 'MessagePreference')
    off = MessagePreference.objects.filter(enabled=False).order_by('pk')
    CategoryOptOut.objects.bulk_create(
        [
            CategoryOptOut(user_id=user_id, category=category)
            for user_id, category in off.values_list('user_id', 'category').iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    MessagePreference.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_messagepreference'),
    ]

    operations = [
        migrations.RunPython(opt_outs_to_preferences, preferences_to_opt_outs, elidable=False),
    ]
