from django.db import migrations, models


class Migration(migrations.Migration):
    """The advisors' queue with every status is ordered by urgency (urgent cases first), then age: an index
    in that order lets a page read its rows instead of sorting every case."""

    dependencies = [
        ("referrals", "0007_guest_callback"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["-urgent", "-urgency", "created_at", "id"], name="case_queue_order_idx"
            ),
        ),
    ]
