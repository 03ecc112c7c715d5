import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MessagePreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(max_length=40, verbose_name='category')),
                ('enabled', models.BooleanField(verbose_name='receives these messages')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='chosen at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='message_preferences', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'message preference',
                'verbose_name_plural': 'message preferences',
                'indexes': [models.Index(fields=['category', 'enabled'], name='message_pref_category')],
                'constraints': [models.UniqueConstraint(fields=('user', 'category'), name='message_preference_once_per_category')],
            },
        ),
    ]
