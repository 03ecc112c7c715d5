"""Surveys take over their models from programme, data untouched.

State only: the tables stay where programme created them (each model's db_table names
its programme_… table), so no row is copied and nothing is locked; programme.0009 drops
the models from programme's state once they are here.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programme', '0008_session_sequence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SurveyCampaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=120, verbose_name='title')),
                        ('intro', models.TextField(max_length=1000, verbose_name='introduction')),
                        ('audience', models.CharField(choices=[('all', 'All members'), ('theme', 'Participants of a theme'), ('format', 'Participants of a format'), ('province', 'Members of a province'), ('language', 'Members who read a language')], max_length=10, verbose_name='audience')),
                        ('audience_value', models.CharField(blank=True, max_length=60, verbose_name='audience detail')),
                        ('send_at', models.DateTimeField(blank=True, null=True, verbose_name='send at')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('scheduled', 'Scheduled'), ('sent', 'Sent'), ('withdrawn', 'Withdrawn')], default='draft', max_length=10, verbose_name='status')),
                        ('invited_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='invited')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'programme_surveycampaign',
                        'verbose_name': 'survey campaign',
                        'verbose_name_plural': 'survey campaigns',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='answered at')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='campaign_responses', to=settings.AUTH_USER_MODEL)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='surveys.surveycampaign')),
                    ],
                    options={
                        'db_table': 'programme_campaignresponse',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(verbose_name='position')),
                        ('text', models.CharField(max_length=300, verbose_name='question')),
                        ('kind', models.CharField(choices=[('scale', 'Scale from 1 to 5'), ('text', 'Free text')], max_length=5, verbose_name='kind of answer')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='surveys.surveycampaign')),
                    ],
                    options={
                        'db_table': 'programme_campaignquestion',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scale_value', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)])),
                        ('text_value', models.TextField(blank=True, max_length=2000)),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='surveys.campaignquestion')),
                        ('response', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='surveys.campaignresponse')),
                    ],
                    options={
                        'db_table': 'programme_campaignanswer',
                        'constraints': [models.UniqueConstraint(fields=('response', 'question'), name='answer_once_per_question'), models.CheckConstraint(condition=models.Q(('scale_value__isnull', True), models.Q(('scale_value__gte', 1), ('scale_value__lte', 5)), _connector='OR'), name='answer_scale_1_5')],
                    },
                ),
                migrations.CreateModel(
                    name='SessionFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('usefulness', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='usefulness')),
                        ('quality', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='quality')),
                        ('recommend', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)], verbose_name='would recommend (0–10)')),
                        ('comment', models.TextField(blank=True, max_length=2000, verbose_name='comment')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='answered at')),
                        ('enrolment', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='feedback', to='programme.enrolment')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='feedback', to='programme.session', verbose_name='session')),
                    ],
                    options={
                        'db_table': 'programme_sessionfeedback',
                        'verbose_name': 'session feedback',
                        'verbose_name_plural': 'session feedback',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('usefulness__gte', 1), ('usefulness__lte', 5)), name='feedback_usefulness_1_5'), models.CheckConstraint(condition=models.Q(('quality__gte', 1), ('quality__lte', 5)), name='feedback_quality_1_5'), models.CheckConstraint(condition=models.Q(('recommend__gte', 0), ('recommend__lte', 10)), name='feedback_recommend_0_10')],
                    },
                ),
                migrations.AddIndex(
                    model_name='surveycampaign',
                    index=models.Index(fields=['status', 'send_at'], name='programme_s_status_02696f_idx'),
                ),
                migrations.AddConstraint(
                    model_name='surveycampaign',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('audience', 'all'), ('audience_value', '')), models.Q(models.Q(('audience', 'all'), _negated=True), models.Q(('audience_value', ''), _negated=True)), _connector='OR'), name='campaign_audience_detail'),
                ),
                migrations.AddConstraint(
                    model_name='surveycampaign',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), ('send_at__isnull', False), _connector='OR'), name='campaign_scheduled_has_time'),
                ),
                migrations.AddConstraint(
                    model_name='campaignresponse',
                    constraint=models.UniqueConstraint(fields=('campaign', 'user'), name='one_response_per_member'),
                ),
                migrations.AddConstraint(
                    model_name='campaignquestion',
                    constraint=models.UniqueConstraint(fields=('campaign', 'position'), name='question_position_once'),
                ),
            ],
        ),
    ]
