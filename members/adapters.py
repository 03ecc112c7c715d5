from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.helplines import help_lines_for
from notifications.email import as_portal_email
from notifications.links import absolute_url

from .models import User
from .services import member_register


def on_portal(url: str) -> str:
    """The same link on PORTAL_BASE_URL, whatever host the request came in on."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


# The buttons that offer another way to confirm before personal data, in the words of
# the reauthentication pages (allauth says "Use your password").
REAUTHENTICATION_LABELS = {
    "reauthenticate": _("With the password"),
    "mfa_reauthenticate": _("With the authenticator app or a recovery code"),
}


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            member_register(user=user, language=translation.get_language() or "fr")
        return user

    def get_login_redirect_url(self, request):
        # Land in the member's own language, whatever page they logged in from.
        profile = getattr(request.user, "profile", None)
        language = profile.preferred_language if profile else translation.get_language()
        with translation.override(language):
            return resolve_url(settings.LOGIN_REDIRECT_URL)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        profile = getattr(user, "profile", None)
        if profile is not None:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                profile.preferred_language,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response

    def get_reauthentication_methods(self, user):
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = REAUTHENTICATION_LABELS.get(method["id"], method["description"])
        return methods

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails in the portal's voice and layout (templates/account/email):
        links on PORTAL_BASE_URL, a greeting by first name when the address is known."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        recipient = context.get("user")
        if not isinstance(recipient, User):
            recipient = User.objects.filter(email__iexact=email, is_active=True).first()
        if template_prefix.startswith("mfa/email/"):
            # A change to the second factor: the address it concerns, and the way to take
            # the account back if the change was not expected.
            context = {
                "email": email,
                "password_reset_url": absolute_url(reverse("account_reset_password")),
                **context,
            }
        context = {
            **context,
            **{
                key: on_portal(value)
                for key, value in context.items()
                if key.endswith("_url") and isinstance(value, str) and "://" in value
            },
            "recipient": recipient,
            "PORTAL_NAME": settings.PORTAL_NAME,
            "HELP_LINES": help_lines_for(language),
            "LANGUAGE_CODE": language,
            "portal_url": absolute_url(f"/{language}/"),
            "expire_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
        }
        # The HTML part's <title>, as the portal's own messages have it.
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        context["subject"] = " ".join(subject.split())
        super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        headers = {
            **(headers or {}),
            "Auto-Submitted": "auto-generated",
            "Content-Language": translation.get_language() or settings.LANGUAGE_CODE,
        }
        message = super().render_mail(template_prefix, email, context, headers=headers)
        # Folds the subject without losing a space (notifications.email).
        return as_portal_email(message)
