import uuid

from django.db import migrations, models


def fill_hsds_ids(apps, schema_editor):
    Partner = apps.get_model("referrals", "Partner")
    for partner in Partner.objects.filter(hsds_id__isnull=True).only("pk"):
        partner.hsds_id = uuid.uuid4()
        partner.save(update_fields=["hsds_id"])


class Migration(migrations.Migration):
    """Each partner gets a stable HSDS identifier (UUID), so an export imported back
    (or into another directory) updates the same partner instead of adding a copy."""

    dependencies = [
        ("referrals", "0008_case_queue_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS identifier"),
        ),
        migrations.RunPython(fill_hsds_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="partner",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS identifier"
            ),
        ),
    ]
