from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_opt_outs_to_message_preferences'),
    ]

    operations = [
        migrations.DeleteModel(
            name='CategoryOptOut',
        ),
    ]
