from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_notify_switches_to_message_preferences'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='memberprofile',
            name='notify_programme_news',
        ),
        migrations.RemoveField(
            model_name='memberprofile',
            name='notify_reassessment',
        ),
        migrations.RemoveField(
            model_name='memberprofile',
            name='notify_session_reminders',
        ),
        migrations.RemoveField(
            model_name='memberprofile',
            name='notify_surveys',
        ),
    ]
