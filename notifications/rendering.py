"""Turn a delivery into an e-mail, in the recipient's language, or into a Skip."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from common.helplines import HELP_LINES

from .links import absolute_url, reverse_absolute
from .models import Delivery
from .preferences import unsubscribe_url, wants
from .registry import Skip, get_category, get_kind, recipient_language

ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    address: str
    language: str
    headers: dict[str, str]

    def as_message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.address],
            headers=self.headers,
        )
        message.attach_alternative(self.html, "text/html")
        return message


def _plain(template_name: str, context: dict) -> str:
    """Render a text template without HTML escaping (subjects and text parts)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def _message_id(delivery: Delivery) -> str:
    # Stable across retries, so a client that sees it twice after a crash shows it once.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    return f"<delivery.{delivery.pk}.{int(delivery.created_at.timestamp())}@{domain}>"


def render_delivery(delivery: Delivery) -> RenderedEmail | Skip:
    """Everything the e-mail needs, loaded fresh; Skip when it should not go out."""
    recipient = delivery.recipient
    if not recipient.is_active or not recipient.email:
        return Skip("the account is inactive or has no e-mail address")
    kind = get_kind(delivery.kind)
    category = get_category(kind.category)
    if not wants(recipient, category.code):
        return Skip(f"the recipient turned off {category.code}")

    language = recipient_language(recipient)
    with translation.override(language):
        built = kind.build_context(delivery)
        if isinstance(built, Skip):
            return built
        headers = {
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "Message-ID": _message_id(delivery),
        }
        unsubscribe = None
        if category.unsubscribable:
            unsubscribe = unsubscribe_url(
                user_id=recipient.pk, category_code=category.code, language=language
            )
            # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to this URL.
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = ONE_CLICK
        context = {
            "PORTAL_NAME": settings.PORTAL_NAME,
            "HELP_LINES": HELP_LINES,
            "LANGUAGE_CODE": language,
            "portal_url": absolute_url(f"/{language}/"),
            "recipient": recipient,
            "delivery": delivery,
            "category": category,
            "unsubscribe_url": unsubscribe,
            "settings_url": (
                reverse_absolute(category.settings_url_name) if category.settings_url_name else None
            ),
            **built,
        }
        subject = " ".join(_plain(f"{kind.template}.subject.txt", context).split())
        context["subject"] = subject
        text = re.sub(r"\n{3,}", "\n\n", _plain(f"{kind.template}.txt", context)).strip() + "\n"
        html = render_to_string(f"{kind.template}.html", context)
    return RenderedEmail(subject[:255], text, html, recipient.email, language, headers)
