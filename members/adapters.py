from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import translation

from .services import member_register


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
