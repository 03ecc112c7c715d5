"""The survey and campaign models now belong to the surveys app (surveys.0001).

State only: their tables and rows stay as they are, surveys uses them under the same
names. Children first, so no model in the state points at one already gone.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0008_session_sequence"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="CampaignAnswer"),
                migrations.DeleteModel(name="CampaignQuestion"),
                migrations.DeleteModel(name="CampaignResponse"),
                migrations.DeleteModel(name="SurveyCampaign"),
                migrations.DeleteModel(name="SessionFeedback"),
            ],
        ),
    ]
