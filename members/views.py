from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.access import public, signed_in

from .forms import ProfileForm
from .selectors import profile_for
from .services import profile_update


@public
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin sends whoever it refuses to its login page. A visitor logs in through
    allauth (two-factor included); someone already signed in without admin access gets
    the 403 page, since sending them to log in again would bring them straight back here
    in an endless loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))


@signed_in
def profile_edit(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = form.profile_data
        profile_update(
            profile=profile,
            first_name=data.pop("first_name"),
            last_name=data.pop("last_name"),
            message_preferences=form.message_preferences,
            **data,
        )
        language = profile.preferred_language
        translation.activate(language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("members:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(request, "members/profile_form.html", {"form": form})
