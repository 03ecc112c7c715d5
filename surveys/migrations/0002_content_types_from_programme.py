"""The moved models' content types follow them from programme to surveys.

Renaming the rows (rather than letting Django create new ones) keeps what points at
them: the permissions groups or people hold on these models, and the admin's history.
On a new database they do not exist yet (Django creates content types after the
migrations): nothing to do. Reversible.
"""

from django.db import migrations

MODELS = (
    "sessionfeedback",
    "surveycampaign",
    "campaignquestion",
    "campaignresponse",
    "campaignanswer",
)


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue  # already there (created by a migrate in between): leave both
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forward(apps, schema_editor):
    _move(apps, "programme", "surveys")


def backward(apps, schema_editor):
    _move(apps, "surveys", "programme")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
