"""Demo data for notifications: a few entries in the message log, so the managers' page
shows a sent message and a failed one with its error. Safe to run again (one row per intent).

Reminders, surveys and invitations come from each app's planners: run
`python manage.py send_due_messages` to send what is due.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from members.models import User
from notifications.models import Delivery, DeliveryStatus
from notifications.services import EMAIL_CHECK, delivery_schedule

MANAGER = "gestionnaire@demo.example"
MEMBER = "lid@demo.example"


@transaction.atomic
def seed(stdout) -> None:
    users = {user.email: user for user in User.objects.filter(email__in=[MANAGER, MEMBER])}
    if len(users) < 2:
        return
    now = timezone.now()
    sent = delivery_schedule(
        kind=EMAIL_CHECK,
        recipient=users[MANAGER],
        intent_key="demo:sent",
        due_at=now - timedelta(days=2),
    )
    failed = delivery_schedule(
        kind=EMAIL_CHECK,
        recipient=users[MEMBER],
        intent_key="demo:failed",
        due_at=now - timedelta(hours=5),
    )
    Delivery.objects.filter(pk=sent.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENT,
        attempts=1,
        sent_at=now - timedelta(days=2),
        address=MANAGER,
        language="fr",
        subject="E-mail de test de J'entreprends mon bien-être",
    )
    Delivery.objects.filter(pk=failed.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED,
        attempts=5,
        address=MEMBER,
        language="nl",
        last_error=("SMTPRecipientsRefused: {'lid@demo.example': (452, b'4.2.2 Mailbox full')}"),
    )
