"""Turn a delivery into an e-mail, in the recipient's language, or into a Skip."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from common.helplines import help_lines_for

from .email import PortalEmail
from .links import absolute_url, portal_host, reverse_absolute
from .models import Delivery
from .preferences import preference_enabled, unsubscribe_url
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

    def as_message(self) -> PortalEmail:
        message = PortalEmail(
            subject=self.subject,
            body=self.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.address],
            headers=self.headers,
        )
        message.attach_alternative(self.html, "text/html")
        return message


def render_plain(template_name: str, context: dict) -> str:
    """Render a text template without HTML escaping (subjects and text parts)."""
    # The backend's template wraps the engine's, which renders a Context without escaping.
    return get_template(template_name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def _message_id(delivery: Delivery) -> str:
    # Stable across retries, so a client that sees it twice after a crash shows it once.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    return f"<delivery.{delivery.pk}.{int(delivery.created_at.timestamp())}@{domain}>"


def list_id(category_code: str) -> str:
    """RFC 2919: one list per category, named under the portal's own host, so a mail
    client can sort or filter reminders apart from survey invitations."""
    label = "".join(c if c.isalnum() or c == "-" else "-" for c in category_code.lower())
    return f"<{label}.{portal_host()}>"


def render_delivery(delivery: Delivery) -> RenderedEmail | Skip:
    """Everything the e-mail needs, loaded fresh; Skip when it should not go out."""
    recipient = delivery.recipient
    kind = get_kind(delivery.kind)
    category = get_category(kind.category)
    if kind.address_for is not None:
        # An outside address (a partner's): the account it goes on behalf of only signs it.
        target = kind.address_for(delivery)
        if isinstance(target, Skip):
            return target
        address, language = target
    else:
        if not recipient.is_active or not recipient.email:
            return Skip("the account is inactive or has no e-mail address")
        if not preference_enabled(recipient, category.code):
            return Skip(f"the recipient turned off {category.code}")
        address, language = recipient.email, recipient_language(recipient)
    with translation.override(language):
        built = kind.build_context(delivery)
        if isinstance(built, Skip):
            return built
        headers = {
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "Message-ID": _message_id(delivery),
            "List-Id": list_id(category.code),
            "Content-Language": language,
        }
        unsubscribe = None
        if category.unsubscribable and kind.address_for is None:
            unsubscribe = unsubscribe_url(
                user_id=recipient.pk, category_code=category.code, language=language
            )
            # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to this URL.
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = ONE_CLICK
        context = {
            "PORTAL_NAME": settings.PORTAL_NAME,
            "HELP_LINES": help_lines_for(language),
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
        subject = " ".join(render_plain(f"{kind.template}.subject.txt", context).split())
        context["subject"] = subject
        text = (
            re.sub(r"\n{3,}", "\n\n", render_plain(f"{kind.template}.txt", context)).strip() + "\n"
        )
        html = render_to_string(f"{kind.template}.html", context)
    return RenderedEmail(subject[:255], text, html, address, language, headers)
