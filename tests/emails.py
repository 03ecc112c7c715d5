"""Reading the e-mails the portal sent in a test: which delivery each came from, its
HTML part, and what a mail client does with its one-click unsubscribe header."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail

from notifications.models import Delivery
from notifications.sending import send_inline, sweep

BRUSSELS = ZoneInfo("Europe/Brussels")
# The PORTAL_BASE_URL the e-mail tests set, so links can be checked in full.
BASE = "https://bien-etre.example.org"


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def send_due():
    """One sweep as `send_due_messages` runs it: planners, then every due message."""
    return sweep(dispatch=send_inline)


def delivery_id(message) -> int:
    """The delivery an e-mail came from (notifications puts it in the Message-ID)."""
    return int(re.match(r"<delivery\.(\d+)\.", message.extra_headers["Message-ID"]).group(1))


def sent(kind: str, to=None) -> list:
    """The e-mails of one kind in the outbox, to one person if given."""
    deliveries = Delivery.objects.filter(kind=kind)
    if to is not None:
        deliveries = deliveries.filter(recipient=to)
    ids = set(deliveries.values_list("pk", flat=True))
    return [message for message in mail.outbox if delivery_id(message) in ids]


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def one_click(client, message) -> int:
    """What a mail client does with the List-Unsubscribe header (RFC 8058)."""
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(BASE + "/")
    response = client.post(url.removeprefix(BASE), {"List-Unsubscribe": "One-Click"})
    return response.status_code
